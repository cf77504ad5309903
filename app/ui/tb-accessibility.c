/* tb-accessibility.c: names for what GTK 4.8 and libadwaita 1.2 leave unnamed
 *
 * A screen reader reads each control's accessible name. GTK 4.8 falls back to the widget's
 * class ("GtkMenuButton") when none was given, reads a mnemonic label twice with its
 * underscore ("_Cancel Cancel"), and names no list row by its content. Rather than chase
 * each widget, every widget is looked at once when it is first mapped (a "map" emission
 * hook), wherever it was made: our pages, libadwaita's rows, message dialogs.
 *
 * - a button with a mnemonic is named by its label without the underscore, and renamed when
 *   the label changes;
 * - a menu button is named by its label, else its tooltip;
 * - an icon-only button is named by its tooltip;
 * - a list row that is not a libadwaita row (those name themselves) is labelled by the text
 *   it shows;
 * - widgets never mapped (a page not shown yet) are tidied once, from the window, too;
 * - monospace identifiers never gain hyphens when they wrap (see keep_exact);
 * - the decorative icons inside libadwaita's entry and combo rows are hidden from the tree;
 *   the password row's reveal button is named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-accessibility"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-ui-util.h"

static GQuark tidied_quark;

static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (out, '_');
          p++;
        }
      else if (*p != '_')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static gboolean
inside (GtkWidget *widget,
        GType      type)
{
  return gtk_widget_get_ancestor (widget, type) != NULL;
}

/* libadwaita's private widgets have no public type to test against. */
static gboolean
inside_type_named (GtkWidget  *widget,
                   const char *type_name)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (g_str_equal (G_OBJECT_TYPE_NAME (w), type_name))
      return TRUE;
  return FALSE;
}

static void
name_button (GtkWidget *button)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (button));

  if (label != NULL && *label != '\0')
    {
      g_autofree char *plain = gtk_button_get_use_underline (GTK_BUTTON (button))
                                 ? strip_mnemonic (label) : g_strdup (label);

      set_label (button, plain);
    }
  else if (gtk_button_get_child (GTK_BUTTON (button)) != NULL &&
           GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (button))))
    {
      const char *icon = gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (button))));

      if (gtk_widget_get_tooltip_text (button) != NULL)
        set_label (button, gtk_widget_get_tooltip_text (button));
      else if (g_strcmp0 (icon, "edit-find-symbolic") == 0)
        set_label (button, _("Search"));
      else if (g_strcmp0 (icon, "window-close-symbolic") == 0)
        set_label (button, _("Close"));
      else if (g_strcmp0 (icon, "go-previous-symbolic") == 0)
        set_label (button, _("Back"));
      else if (g_strcmp0 (icon, "value-increase-symbolic") == 0)
        set_label (button, _("Increase"));
      else if (g_strcmp0 (icon, "value-decrease-symbolic") == 0)
        set_label (button, _("Decrease"));
    }
}

/* A list is named after the row or group it belongs to. */
static void
name_list (GtkWidget *list)
{
  GtkWidget *row = gtk_widget_get_ancestor (list, ADW_TYPE_PREFERENCES_ROW);
  GtkWidget *group = gtk_widget_get_ancestor (list, ADW_TYPE_PREFERENCES_GROUP);

  if (row != NULL && adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) != NULL)
    set_label (list, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  else if (group != NULL && adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)) != NULL &&
           *adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)) != '\0')
    set_label (list, adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)));
  else if (inside (list, ADW_TYPE_PREFERENCES_WINDOW))
    set_label (list, _("Search Results"));
}

static void
name_menu_button (GtkWidget *button)
{
  const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (button));
  g_autofree char *plain = NULL;

  if (label != NULL && *label != '\0')
    plain = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (button)) ? strip_mnemonic (label)
                                                                         : g_strdup (label);
  else if (gtk_widget_get_tooltip_text (button) != NULL)
    plain = g_strdup (gtk_widget_get_tooltip_text (button));
  else if (inside (button, GTK_TYPE_SHORTCUTS_WINDOW))
    plain = g_strdup (_("Shortcut Sections"));
  if (plain == NULL)
    return;
  set_label (button, plain);
  /* Its inner toggle button is what takes focus and is read. */
  for (GtkWidget *child = gtk_widget_get_first_child (button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      set_label (child, plain);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_ptr_array_add (labels, widget);
      return;
    }
  /* Buttons inside a row are controls of their own, read separately. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static void
name_row (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GValue value = G_VALUE_INIT;
  GList *list = NULL;

  collect_labels (row, labels);
  if (labels->len == 0)
    return;
  for (guint i = labels->len; i > 0; i--)
    list = g_list_prepend (list, g_ptr_array_index (labels, i - 1));
  gtk_accessible_relation_init_value (GTK_ACCESSIBLE_RELATION_LABELLED_BY, &value);
  g_value_set_pointer (&value, list);
  gtk_accessible_update_relation_value (GTK_ACCESSIBLE (row), 1,
                                        (GtkAccessibleRelation[]) { GTK_ACCESSIBLE_RELATION_LABELLED_BY },
                                        &value);
  g_value_unset (&value);
}


/* The list row a widget belongs to: libadwaita's rows draw their own icons and switches. */
static GtkWidget *
nearest_row (GtkWidget *widget)
{
  return gtk_widget_get_ancestor (gtk_widget_get_parent (widget) ? gtk_widget_get_parent (widget)
                                                                 : widget,
                                  GTK_TYPE_LIST_BOX_ROW);
}

/* The expander row whose own header (not one of the rows it holds) @widget is part of. */
static GtkWidget *
own_expander (GtkWidget *widget)
{
  GtkWidget *expander = gtk_widget_get_ancestor (widget, ADW_TYPE_EXPANDER_ROW);
  GtkWidget *row = nearest_row (widget);

  GtkWidget *revealer = gtk_widget_get_ancestor (widget, GTK_TYPE_REVEALER);

  if (expander == NULL || row == NULL)
    return NULL;
  /* The rows it holds sit in a revealer inside it; its header (an action row of its own in
   * libadwaita 1.2) does not. */
  if (revealer != NULL && gtk_widget_is_ancestor (revealer, expander))
    return NULL;
  return expander;
}

static void
on_label_changed (GtkWidget *button)
{
  if (GTK_IS_MENU_BUTTON (button))
    name_menu_button (button);
  else
    name_button (button);
}

/* Identifiers (thumbprints, GUIDs, host names) in a monospace font are values to copy and
 * compare: wrapped, they must not gain the hyphens Pango inserts ("…1B5A-6965", "contos-o.com"),
 * which would show a value that is not the real one. */
static gboolean
is_identifier (GtkWidget *label)
{
  if (gtk_widget_has_css_class (label, "monospace"))
    return TRUE;
  for (GtkWidget *w = gtk_widget_get_parent (label); w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_has_css_class (w, "tb-monospace-subtitle") ||
        gtk_widget_has_css_class (w, "tb-monospace-title"))
      return TRUE;
  return FALSE;
}

static void
keep_exact (GtkWidget *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (GTK_LABEL (label));
  PangoAttrList *copy = attrs != NULL ? pango_attr_list_copy (attrs) : pango_attr_list_new ();

  pango_attr_list_insert (copy, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), copy);
  pango_attr_list_unref (copy);
}

static void
tidy (GtkWidget *widget)
{
  if (g_object_get_qdata (G_OBJECT (widget), tidied_quark) != NULL)
    return;
  g_object_set_qdata (G_OBJECT (widget), tidied_quark, GINT_TO_POINTER (1));

  if (GTK_IS_LABEL (widget))
    {
      if (is_identifier (widget))
        keep_exact (widget);
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      name_menu_button (widget);
      g_signal_connect (widget, "notify::label", G_CALLBACK (on_label_changed), NULL);
    }
  else if (GTK_IS_BUTTON (widget) && inside (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) &&
           gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    set_label (widget, _("Show or Hide the Password"));
  else if (GTK_IS_BUTTON (widget) && !inside (widget, GTK_TYPE_MENU_BUTTON))
    {
      name_button (widget);
      g_signal_connect (widget, "notify::label", G_CALLBACK (on_label_changed), NULL);
    }
  else if (GTK_IS_IMAGE (widget) && !inside (widget, GTK_TYPE_BUTTON) &&
           (ADW_IS_ENTRY_ROW (nearest_row (widget)) || ADW_IS_COMBO_ROW (nearest_row (widget)) ||
            own_expander (widget) != NULL || inside (widget, GTK_TYPE_POPOVER)))
    /* libadwaita's own arrows and edit icons: decoration. */
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  else if (ADW_IS_EXPANDER_ROW (widget))
    set_label (widget, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  else if (GTK_IS_LIST_BOX (widget) && !gtk_widget_has_css_class (widget, "navigation-sidebar"))
    name_list (widget);
  else if (GTK_IS_SEARCH_ENTRY (widget))
    set_label (widget, _("Search"));
  else if (GTK_IS_IMAGE (widget) &&
           ((inside (widget, GTK_TYPE_SHORTCUTS_WINDOW) && !inside (widget, GTK_TYPE_BUTTON)) ||
            inside_type_named (widget, "AdwIndicatorBin")))
    /* Toolkit decoration beside a label that says the same. */
    gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  else if (GTK_IS_SWITCH (widget) && own_expander (widget) != NULL)
    /* The expander's own switch and the list of its rows: called after the expander. */
    set_label (widget, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (own_expander (widget))));
  else if (GTK_IS_LIST_VIEW (widget) && inside (widget, ADW_TYPE_COMBO_ROW))
    set_label (widget, _("Choices"));
  else if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM &&
           !ADW_IS_ACTION_ROW (widget) && !ADW_IS_EXPANDER_ROW (widget) &&
           !ADW_IS_ENTRY_ROW (widget))
    name_row (widget);
}

static void
tidy_tree (GtkWidget *widget)
{
  tidy (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tidy_tree (child);
}

void
tb_accessibility_tidy_tree (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  tb_accessibility_init ();
  /* Pages not shown yet are read by a screen reader too (they are in the tree). */
  tidy_tree (root);
}

static gboolean
on_map (GSignalInvocationHint *hint,
        guint                  n_params,
        const GValue          *params,
        gpointer               user_data)
{
  GObject *object = g_value_get_object (&params[0]);

  /* A window as it appears: all of it, with what it does not show yet (collapsed rows,
   * search bars, other pages) — a screen reader can reach those too. */
  if (GTK_IS_WINDOW (object))
    tidy_tree (GTK_WIDGET (object));
  else if (GTK_IS_WIDGET (object))
    tidy (GTK_WIDGET (object));
  return TRUE;
}

void
tb_accessibility_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      tidied_quark = g_quark_from_static_string ("tb-accessibility-tidied");
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_map, NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}
