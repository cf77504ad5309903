/* tb-window-sidebar.c: the sidebar, made from the window's pages, and moving between them
 *
 * The pages are the GtkStackPages of tb-window.ui, in order, each with a name, a title and an
 * icon: the sidebar rows, Alt+1…9 (win.show-page with the page's name, the one way to change
 * pages) and the accessible names all come from that one list, so adding a page is adding a
 * stack page.
 *
 * The sidebar is one Tab stop: Tab and Shift+Tab leave it, the arrow keys move inside it
 * (GtkListBox alone moves from row to row on Tab, and in browse mode that switches pages).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-window-private.h"

static GtkWidget *
make_row (GtkStackPage *page)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", gtk_stack_page_get_icon_name (page),
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));

  gtk_widget_set_name (row, gtk_stack_page_get_name (page));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* A screen reader reads the page's name, as the label shows it. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  return row;
}

static gboolean
on_sidebar_key (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TbWindow              *self)
{
  GtkDirectionType direction;

  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = (state & GDK_SHIFT_MASK) ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  else if (keyval == GDK_KEY_ISO_Left_Tab)
    direction = GTK_DIR_TAB_BACKWARD;
  else
    return FALSE;

  /* Out of the sidebar into the page side; nothing precedes the sidebar, so Shift+Tab wraps
   * to the page side's last control. A folded window shows only the sidebar: stay. */
  if (gtk_widget_get_mapped (self->content_box))
    {
      gtk_root_set_focus (GTK_ROOT (self), NULL);
      gtk_widget_child_focus (self->content_box, direction);
    }
  return TRUE;
}

void
_tb_window_init_sidebar (TbWindow *self)
{
  GtkSelectionModel *pages = gtk_stack_get_pages (self->stack);
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* Alt+1…9 (and the keypad's) show the pages in sidebar order, through win.show-page. */
  gtk_event_controller_set_name (shortcuts, "tb-page-shortcuts");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      GtkStackPage *page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      gtk_list_box_append (self->sidebar, make_row (page));
      if (i < 9)
        {
          GtkShortcutTrigger *trigger =
            gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_ALT_MASK),
                                         gtk_keyval_trigger_new (GDK_KEY_KP_1 + i, GDK_ALT_MASK));
          GtkShortcut *shortcut = gtk_shortcut_new (trigger,
                                                    gtk_named_action_new ("win.show-page"));

          gtk_shortcut_set_arguments (shortcut,
                                      g_variant_new_string (gtk_stack_page_get_name (page)));
          gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
        }
      g_object_unref (page);
    }
  g_object_unref (pages);
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  gtk_event_controller_set_name (keys, "tb-sidebar-keys");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_sidebar_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->sidebar), keys);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);
  const char *page = tb_window_get_visible_page (self);

  /* Each page reads again what it shows; the Overview reads what it summarises. */
  if (g_strcmp0 (page, "tenant") == 0)
    tb_tenant_page_refresh (_tb_window_ensure_tenant_page (self));
  else if (g_strcmp0 (page, "service-principals") == 0 || g_strcmp0 (page, "overview") == 0)
    tb_principals_page_refresh (_tb_window_ensure_principals_page (self));
}

void
_tb_window_class_init_sidebar (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.sign-in", NULL);
}
