/* tb-audit-page-rows.c: the Audit page's list: one GtkListView over every finding
 *
 * The findings go into one store as pages arrive; it is sorted once, filtered by the filter
 * box once, then split into one filtered model per origin. The list shows a heading item
 * before each group, then the group, Unexplained first: GTK 4.8's list views
 * have no section headers, and a single view inside the scrolled window is what keeps the
 * list virtual (a list view that is not the scrolled window's own child makes widgets for
 * its first couple of hundred items only). Rows are made only for what is on screen and
 * recycled, so the page costs the same on a tenant with thousands of credentials.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-page-rows"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit-page-private.h"
#include "tb-audit-row.h"
#include "tb-audit-timeline.h"

/* ---- headings ----------------------------------------------------------------------- */

/* A group's heading in the list: its origin and how many of the group's rows match the
 * filter. The item stays while the list is shown and only its count changes, so a heading
 * never moves the rows around it, and the view stays put when rows arrive above the ones
 * on screen. */
#define TB_TYPE_AUDIT_HEADING (tb_audit_heading_get_type ())
G_DECLARE_FINAL_TYPE (TbAuditHeading, tb_audit_heading, TB, AUDIT_HEADING, GObject)

struct _TbAuditHeading
{
  GObject       parent_instance;
  TbAuditOrigin origin;
  guint         count;
};

G_DEFINE_FINAL_TYPE (TbAuditHeading, tb_audit_heading, G_TYPE_OBJECT)

enum
{
  HEADING_PROP_0,
  HEADING_PROP_COUNT,
  N_HEADING_PROPS
};

static GParamSpec *heading_properties[N_HEADING_PROPS];

static void
tb_audit_heading_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TbAuditHeading *self = TB_AUDIT_HEADING (object);

  switch (prop_id)
    {
    case HEADING_PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_audit_heading_class_init (TbAuditHeadingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tb_audit_heading_get_property;
  heading_properties[HEADING_PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_HEADING_PROPS, heading_properties);
}

static void
tb_audit_heading_init (TbAuditHeading *self)
{
}

static TbAuditHeading *
tb_audit_heading_new (TbAuditOrigin origin)
{
  TbAuditHeading *self = g_object_new (TB_TYPE_AUDIT_HEADING, NULL);

  self->origin = origin;
  return self;
}

static void
tb_audit_heading_set_count (TbAuditHeading *self,
                            guint           count)
{
  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), heading_properties[HEADING_PROP_COUNT]);
}

static const char *group_descriptions[N_GROUPS] = {
  N_("Keys with no documented reason, and every client secret: find out who added them."),
  N_("Principals where Microsoft documents on-premises certificates (Exchange, SharePoint, "
     "Skype for Business, Teams calendar and voicemail), but not this pool’s certificate: "
     "confirm each thumbprint with its server."),
  N_("The pool’s OAuth certificate (the one selected on the Certificates page, or read "
     "from the pool)."),
  N_("Marked as known on this computer, with a note."),
};

/* The list item around it takes the focus when the arrow keys reach it, and a screen reader
 * says which group comes next. */
static GtkWidget *
make_heading (void)
{
  GtkWidget *heading = g_object_new (GTK_TYPE_BOX,
                                     "orientation", GTK_ORIENTATION_VERTICAL,
                                     "spacing", 3,
                                     "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                     NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);

  gtk_widget_add_css_class (heading, "tb-audit-heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (heading), title);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_widget_add_css_class (description, "dim-label");
  gtk_box_append (GTK_BOX (heading), description);
  return heading;
}

/* Says the heading's text; the list item GTK wraps it in is named after it too, as what a
 * screen reader reaches first. */
static void
show_heading (GtkWidget      *heading,
              TbAuditHeading *item)
{
  GtkWidget *title = gtk_widget_get_first_child (heading);
  GtkWidget *description = gtk_widget_get_next_sibling (title);
  GtkWidget *item_widget = gtk_widget_get_parent (heading);
  g_autofree char *text = g_strdup_printf ("%s (%u)", tb_audit_origin_get_label (item->origin),
                                           item->count);

  gtk_label_set_text (GTK_LABEL (title), text);
  gtk_label_set_text (GTK_LABEL (description), _(group_descriptions[item->origin]));
  if (item->origin == TB_AUDIT_ORIGIN_UNEXPLAINED)
    gtk_widget_add_css_class (heading, "tb-audit-unexplained");
  else
    gtk_widget_remove_css_class (heading, "tb-audit-unexplained");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _(group_descriptions[item->origin]),
                                  -1);
  if (item_widget != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
on_heading_count (TbAuditHeading *item,
                  GParamSpec     *pspec,
                  GtkWidget      *heading)
{
  show_heading (heading, item);
}

/* Runs after the list has taken the group's change; only the heading's count changes. */
static void
on_group_changed (GListModel  *group,
                  guint        position,
                  guint        removed,
                  guint        added,
                  TbAuditPage *self)
{
  for (guint g = 0; g < N_GROUPS; g++)
    if (G_LIST_MODEL (self->groups[g]) == group &&
        g_list_model_get_n_items (G_LIST_MODEL (self->headings[g])) > 0)
      {
        g_autoptr(TbAuditHeading) heading = g_list_model_get_item (G_LIST_MODEL (
                                                                     self->headings[g]), 0);

        tb_audit_heading_set_count (heading, g_list_model_get_n_items (group));
      }
}

/* The headings are there from the start of a scan (a group without findings says so with
 * its zero) until the list is cleared for another tenant; the empty state takes the list's
 * place when a whole scan found nothing. */
void
_tb_audit_page_update_groups (TbAuditPage *self)
{
  gboolean empty = self->findings != NULL && !tb_audit_page_get_running (self) &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0;
  gboolean show = self->findings != NULL && !empty;

  for (guint g = 0; g < N_GROUPS; g++)
    {
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->headings[g]));

      if (show && shown == 0)
        {
          g_autoptr(TbAuditHeading) heading = tb_audit_heading_new (g);

          tb_audit_heading_set_count (heading,
                                      g_list_model_get_n_items (G_LIST_MODEL (self->groups[g])));
          g_list_store_append (self->headings[g], heading);
        }
      else if (!show && shown > 0)
        g_list_store_remove_all (self->headings[g]);
    }
  gtk_widget_set_visible (self->empty, empty);
  gtk_widget_set_visible (self->scrolled, !empty);
}

/* ---- a row's actions ---------------------------------------------------------------- */

static void
open_finding (TbAuditPage    *self,
              TbAuditFinding *finding)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  GtkWidget *window;

  if (_tb_audit_page_can_open (self, finding))
    {
      _tb_audit_page_emit_open (self, finding);
      return;
    }
  /* Not one the app shows: its own timeline, read by appId. */
  if (context == NULL)
    return;
  if (self->timeline_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->timeline_window));
  window = tb_audit_timeline_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  tb_context_get_graph_client (context),
                                  tb_audit_finding_get_app_id (finding),
                                  tb_audit_finding_get_display_name (finding),
                                  tb_context_get_warn_days (context));
  g_set_weak_pointer (&self->timeline_window, window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_activate (GtkListView *list_view,
             guint        position,
             TbAuditPage *self)
{
  g_autoptr(GObject) item = g_list_model_get_item (self->items, position);

  if (TB_IS_AUDIT_FINDING (item))
    open_finding (self, TB_AUDIT_FINDING (item));
}

static void
on_remove (TbAuditRow  *row,
           TbAuditPage *self)
{
  _tb_audit_page_emit_remove (self, tb_audit_row_get_finding (row));
}

/* The finding the admin is asked about and the note's field, for the dialog's answer. */
typedef struct
{
  TbAuditPage    *self;       /* weak: the page may go while the dialog is open */
  TbAuditFinding *finding;
  GtkEditable    *entry;      /* the dialog's */
} KnownPrompt;

static void
known_prompt_free (gpointer  data,
                   GClosure *closure)
{
  KnownPrompt *prompt = data;

  g_clear_weak_pointer (&prompt->self);
  g_clear_object (&prompt->finding);
  g_free (prompt);
}

static void
on_known_response (AdwMessageDialog *dialog,
                   const char       *response,
                   KnownPrompt      *prompt)
{
  if (prompt->self != NULL && g_strcmp0 (response, "mark") == 0)
    {
      g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (prompt->entry)));

      tb_audit_page_set_known (prompt->self, prompt->finding, note[0] != '\0' ? note : _("Known"));
    }
}

static void
on_known (TbAuditRow  *row,
          TbAuditPage *self)
{
  TbAuditFinding *finding = tb_audit_row_get_finding (row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  KnownPrompt *prompt;

  if (tb_audit_finding_get_note (finding) != NULL)
    {
      tb_audit_page_set_known (self, finding, NULL);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Mark Credential as Known?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("Say who added this credential to %s and why. The note is "
                                    "kept on this computer for this tenant, by key ID and "
                                    "thumbprint; a different credential will not inherit it."),
                                  tb_audit_finding_get_display_name (finding));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  _("e.g. Exchange Server 2019 hybrid, ticket 4711"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "mark", _("_Mark as Known"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "mark");
  adw_message_dialog_set_close_response (dialog, "cancel");
  prompt = g_new0 (KnownPrompt, 1);
  g_set_weak_pointer (&prompt->self, self);
  prompt->finding = g_object_ref (finding);
  prompt->entry = GTK_EDITABLE (entry);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_known_response), prompt,
                         known_prompt_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the list ----------------------------------------------------------------------- */

/* An item is a heading or a finding, and the view recycles widgets across both: a bound
 * item gets a widget of its kind, made when the recycled one is of the other kind. */
static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         TbAuditPage              *self)
{
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  GtkWidget *item_widget;

  if (TB_IS_AUDIT_FINDING (item))
    {
      TbAuditFinding *finding = TB_AUDIT_FINDING (item);

      if (!TB_IS_AUDIT_ROW (child))
        {
          child = tb_audit_row_new ();
          g_signal_connect_object (child, "remove", G_CALLBACK (on_remove), self, 0);
          g_signal_connect_object (child, "known", G_CALLBACK (on_known), self, 0);
          gtk_list_item_set_child (list_item, child);
        }
      TbContext *context = tb_page_get_context (TB_PAGE (self));

      tb_audit_row_bind (TB_AUDIT_ROW (child), finding, _tb_audit_page_can_open (self, finding),
                         context != NULL && tb_context_get_settings (context) != NULL);
      g_hash_table_insert (self->bound, finding, child);
      gtk_list_item_set_activatable (list_item, TRUE);
      /* The list item GTK wraps each row in is what a screen reader reaches first: it says
       * the row's title (GTK 4.8 names it after nothing). */
      item_widget = gtk_widget_get_parent (child);
      if (item_widget != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        tb_audit_row_get_title (TB_AUDIT_ROW (child)), -1);
    }
  else
    {
      if (child == NULL || TB_IS_AUDIT_ROW (child))
        {
          child = make_heading ();
          gtk_list_item_set_child (list_item, child);
        }
      gtk_list_item_set_activatable (list_item, FALSE);
      show_heading (child, TB_AUDIT_HEADING (item));
      g_signal_connect_object (item, "notify::count", G_CALLBACK (on_heading_count), child, 0);
    }
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           TbAuditPage              *self)
{
  GtkWidget *child = gtk_list_item_get_child (list_item);
  TbAuditFinding *finding;

  if (TB_IS_AUDIT_HEADING (gtk_list_item_get_item (list_item)))
    g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), on_heading_count,
                                          child);
  if (!TB_IS_AUDIT_ROW (child))
    return;
  finding = tb_audit_row_get_finding (TB_AUDIT_ROW (child));
  if (finding != NULL && g_hash_table_lookup (self->bound, finding) == child)
    g_hash_table_remove (self->bound, finding);
  tb_audit_row_bind (TB_AUDIT_ROW (child), NULL, FALSE, FALSE);
}

static gboolean
match_text (gpointer item,
            gpointer user_data)
{
  TbAuditPage *self = user_data;
  TbAuditFinding *finding = item;
  const char *fields[6];

  if (self->needle == NULL)
    return TRUE;

  fields[0] = tb_audit_finding_get_display_name (finding);
  fields[1] = tb_audit_finding_get_app_id (finding);
  fields[2] = tb_audit_finding_get_sha1 (finding);
  fields[3] = tb_audit_finding_get_key_id (finding);
  fields[4] = tb_audit_finding_get_credential_name (finding);
  fields[5] = tb_audit_finding_get_note (finding);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *hay = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (hay != NULL && strstr (hay, self->needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
in_group (gpointer item,
          gpointer user_data)
{
  return tb_audit_finding_get_origin (item) == GPOINTER_TO_UINT (user_data);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return tb_audit_finding_compare (&a, &b);
}

void
_tb_audit_page_filter_changed (TbAuditPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *old = g_steal_pointer (&self->needle);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (text != NULL && text[0] != '\0')
    self->needle = g_utf8_casefold (text, -1);
  if (g_strcmp0 (old, self->needle) == 0)
    return;
  /* Typing on narrows what matched, deleting widens it: only those rows are looked at. */
  if (old == NULL || (self->needle != NULL && strstr (self->needle, old) != NULL))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->needle == NULL || strstr (old, self->needle) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  gtk_filter_changed (GTK_FILTER (self->text_filter), change);
}

GtkWidget *
_tb_audit_page_make_list (TbAuditPage *self)
{
  GtkSortListModel *sorted;
  GtkFilterListModel *matching;
  GListStore *sections;
  GtkListItemFactory *factory;

  self->bound = g_hash_table_new (NULL, NULL);
  self->store = g_list_store_new (TB_TYPE_AUDIT_FINDING);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                    GTK_SORTER (gtk_custom_sorter_new (compare_findings, NULL,
                                                                       NULL)));
  self->text_filter = gtk_custom_filter_new (match_text, self, NULL);
  matching = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                        g_object_ref (GTK_FILTER (self->text_filter)));

  /* Heading, group, heading, group…, in the order of TbAuditOrigin: Unexplained first. */
  sections = g_list_store_new (G_TYPE_LIST_MODEL);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      self->headings[g] = g_list_store_new (TB_TYPE_AUDIT_HEADING);
      self->groups[g] = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (matching)),
                                                   GTK_FILTER (gtk_custom_filter_new (
                                                     in_group, GUINT_TO_POINTER (g), NULL)));
      g_list_store_append (sections, self->headings[g]);
      g_list_store_append (sections, self->groups[g]);
      g_signal_connect_object (self->groups[g], "items-changed", G_CALLBACK (on_group_changed),
                               self, G_CONNECT_AFTER);
    }
  g_object_unref (matching);
  self->items = G_LIST_MODEL (gtk_flatten_list_model_new (G_LIST_MODEL (sections)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (on_unbind), self, 0);
  self->list_view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                         g_object_ref (self->items))),
                                       factory);
  /* A click opens the principal, as on the other pages' rows. */
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list_view), TRUE);
  gtk_widget_add_css_class (self->list_view, "tb-audit-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Credentials"), -1);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_activate), self, 0);
  return self->list_view;
}

void
_tb_audit_page_add_findings (TbAuditPage *self,
                             GPtrArray   *findings)
{
  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       findings->pdata, findings->len);
}

void
_tb_audit_page_clear_rows (TbAuditPage *self)
{
  g_list_store_remove_all (self->store);
}

/* The finding's origin or note changed: putting it back in the store sorts and filters it
 * again and binds its row anew. */
static void
refresh_finding (TbAuditPage    *self,
                 TbAuditFinding *finding)
{
  guint position;

  if (g_list_store_find (self->store, finding, &position))
    g_list_store_splice (self->store, position, 1, (gpointer *) &finding, 1);
}

gboolean
tb_audit_page_set_known (TbAuditPage    *self,
                         TbAuditFinding *finding,
                         const char     *note)
{
  TbContext *context;
  GSettings *settings;

  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), FALSE);
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (finding), FALSE);

  context = tb_page_get_context (TB_PAGE (self));
  settings = context != NULL ? tb_context_get_settings (context) : NULL;
  if (self->tenant_id == NULL || tb_audit_finding_get_key_id (finding) == NULL ||
      !tb_audit_known_set (settings, self->tenant_id, tb_audit_finding_get_key_id (finding),
                           tb_audit_finding_get_sha1 (finding), note))
    {
      _tb_audit_page_show_error (self, _("The note could not be kept: the settings are not "
                                         "available."));
      return FALSE;
    }
  tb_audit_finding_set_note (finding, note);
  refresh_finding (self, finding);
  return TRUE;
}

GtkWidget *
tb_audit_page_get_row (TbAuditPage    *self,
                       TbAuditFinding *finding)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  return g_hash_table_lookup (self->bound, finding);
}

/* The group is read from the list as shown: the heading above the finding's item. */
const char *
tb_audit_page_get_row_group (TbAuditPage    *self,
                             TbAuditFinding *finding)
{
  const char *group = NULL;
  guint n;

  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);

  n = g_list_model_get_n_items (self->items);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->items, i);

      if (TB_IS_AUDIT_HEADING (item))
        group = tb_audit_origin_to_string (TB_AUDIT_HEADING (item)->origin);
      else if (item == (GObject *) finding)
        return group;
    }
  return NULL;
}
