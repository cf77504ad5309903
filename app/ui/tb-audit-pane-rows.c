/* tb-audit-pane-rows.c: the Audit page's rows: one per finding, built from a queue in slices
 * of a few milliseconds at idle priority so the main loop keeps drawing on the largest tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit-pane-private.h"
#include "tb-audit-timeline.h"
#include "tb-format.h"
#include "tb-ui-util.h"

/* Rows are built for at most this long at a time before the main loop gets a turn. */
#define SLICE_US (8 * 1000)

static void
on_open_clicked (GtkWidget   *row,
                 TbAuditPane *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (row), "tb-finding");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  GtkWidget *window;

  if (_tb_audit_pane_can_open (self, finding))
    {
      _tb_audit_pane_emit_open (self, finding);
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
on_remove_clicked (GtkButton   *button,
                   TbAuditPane *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (button), "tb-finding");

  _tb_audit_pane_emit_remove (self, finding);
}

static void
on_known_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TbAuditPane      *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (dialog), "tb-finding");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "tb-entry");

  if (g_strcmp0 (response, "mark") == 0)
    {
      g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

      tb_audit_pane_set_known (self, finding, note[0] != '\0' ? note : _("Known"));
    }
}

static void
on_known_clicked (GtkButton   *button,
                  TbAuditPane *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (button), "tb-finding");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (tb_audit_finding_get_note (finding) != NULL)
    {
      tb_audit_pane_set_known (self, finding, NULL);
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
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("e.g. Exchange Server 2019 hybrid, ticket 4711"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "mark", _("_Mark as Known"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "mark");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tb-finding", g_object_ref (finding), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "tb-entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_known_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
make_row (TbAuditPane    *self,
          TbAuditFinding *finding)
{
  GtkWidget *row = adw_action_row_new ();
  TbCertificateStatus status = tb_audit_finding_get_status (finding);
  GDateTime *end = tb_audit_finding_get_end (finding);
  g_autofree char *until = end != NULL ? tb_format_local (end) : NULL;
  const char *sha1 = tb_audit_finding_get_sha1 (finding);
  const char *name = tb_audit_finding_get_credential_name (finding);
  gboolean password = tb_audit_finding_get_kind (finding) == TB_AUDIT_KIND_PASSWORD;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *pill;
  GtkWidget *button;

  g_object_set_data_full (G_OBJECT (row), "tb-finding", g_object_ref (finding), g_object_unref);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  title = g_strdup_printf ("%s — %s", tb_audit_finding_get_display_name (finding),
                           password ? _("client secret") : (name != NULL ? name : _("certificate")));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  subtitle = g_strdup_printf ("%s%s%s · %s %s · %s %s%s%s",
                              password ? _("Secret") : _("Key"),
                              sha1 != NULL ? " " : "", sha1 != NULL ? sha1 : "",
                              _("until"), until != NULL ? until : "?",
                              _("key ID"), tb_audit_finding_get_key_id (finding),
                              tb_audit_finding_get_note (finding) != NULL ? " · " : "",
                              tb_audit_finding_get_note (finding) != NULL
                              ? tb_audit_finding_get_note (finding) : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  pill = gtk_label_new (tb_certificate_status_get_label (status));
  gtk_widget_add_css_class (pill, "tb-status-pill");
  gtk_widget_add_css_class (pill, tb_status_get_css_class (status));
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), pill);

  /* Expired credentials can go, through the Service Principals page's safe removal
   * (preview, keep everything else, read back). */
  if (status == TB_CERTIFICATE_STATUS_EXPIRED && !password && _tb_audit_pane_can_open (self, finding))
    {
      button = gtk_button_new_with_mnemonic (_("_Remove…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Remove this expired credential from the service "
                                             "principal, keeping every other one"));
      g_object_set_data (G_OBJECT (button), "tb-finding", finding);
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  if (tb_audit_finding_get_classified_origin (finding) != TB_AUDIT_ORIGIN_POOL)
    {
      gboolean known = tb_audit_finding_get_note (finding) != NULL;

      button = gtk_button_new_with_mnemonic (known ? _("_Forget") : _("_Known…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, known ? _("No longer treat this credential as known")
                                                 : _("Mark this credential as known, with a note"));
      gtk_widget_set_sensitive (button, tb_page_get_context (TB_PAGE (self)) != NULL &&
                                        tb_context_get_settings (
                                          tb_page_get_context (TB_PAGE (self))) != NULL);
      g_object_set_data (G_OBJECT (button), "tb-finding", finding);
      g_signal_connect (button, "clicked", G_CALLBACK (on_known_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  /* Every row opens its principal's timeline: on the Service Principals page for the
   * principals it shows, in a window of its own for the others. */
  {
    GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
    gboolean on_page = _tb_audit_pane_can_open (self, finding);

    gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    on_page ? _("Open on the Service Principals page")
                                            : _("Show its credential timeline"), -1);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    g_signal_connect (row, "activated", G_CALLBACK (on_open_clicked), self);
  }
  return row;
}

gboolean
_tb_audit_pane_filter_row (GtkListBoxRow *row,
                           gpointer       user_data)
{
  TbAuditPane *self = user_data;
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (row), "tb-finding");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *needle = NULL;
  const char *fields[6];

  if (finding == NULL || text == NULL || text[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  fields[0] = tb_audit_finding_get_display_name (finding);
  fields[1] = tb_audit_finding_get_app_id (finding);
  fields[2] = tb_audit_finding_get_sha1 (finding);
  fields[3] = tb_audit_finding_get_key_id (finding);
  fields[4] = tb_audit_finding_get_credential_name (finding);
  fields[5] = tb_audit_finding_get_note (finding);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *hay = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (hay != NULL && strstr (hay, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

gint
_tb_audit_pane_sort_rows (GtkListBoxRow *a,
                          GtkListBoxRow *b,
                          gpointer       user_data)
{
  TbAuditFinding *fa = g_object_get_data (G_OBJECT (a), "tb-finding");
  TbAuditFinding *fb = g_object_get_data (G_OBJECT (b), "tb-finding");

  return tb_audit_finding_compare (&fa, &fb);
}

static void
add_row (TbAuditPane    *self,
         TbAuditFinding *finding)
{
  GtkWidget *row = make_row (self, finding);

  gtk_list_box_append (GTK_LIST_BOX (self->lists[tb_audit_finding_get_origin (finding)]), row);
  g_hash_table_insert (self->rows, finding, row);
}

void
_tb_audit_pane_rebuild_row (TbAuditPane    *self,
                            TbAuditFinding *finding)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, finding);

  if (row != NULL)
    {
      GtkWidget *list = gtk_widget_get_parent (row);

      g_hash_table_remove (self->rows, finding);
      gtk_list_box_remove (GTK_LIST_BOX (list), row);
    }
  add_row (self, finding);
  _tb_audit_pane_update_groups (self);
}

static gboolean
build_slice (gpointer user_data)
{
  TbAuditPane *self = user_data;
  gint64 start = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->pending) && g_get_monotonic_time () - start < SLICE_US)
    add_row (self, g_queue_pop_head (&self->pending));

  _tb_audit_pane_update_groups (self);
  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;
  self->build_id = 0;
  return G_SOURCE_REMOVE;
}

void
_tb_audit_pane_queue_rows (TbAuditPane *self)
{
  if (self->build_id == 0 && !g_queue_is_empty (&self->pending))
    self->build_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, build_slice, self, NULL);
}

void
_tb_audit_pane_clear_rows (TbAuditPane *self)
{
  g_queue_clear (&self->pending);
  g_clear_handle_id (&self->build_id, g_source_remove);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      GtkWidget *child;

      while ((child = gtk_widget_get_first_child (self->lists[g])) != NULL)
        gtk_list_box_remove (GTK_LIST_BOX (self->lists[g]), child);
    }
  g_hash_table_remove_all (self->rows);
}

gboolean
tb_audit_pane_set_known (TbAuditPane    *self,
                         TbAuditFinding *finding,
                         const char     *note)
{
  TbContext *context;
  GSettings *settings;

  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), FALSE);
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (finding), FALSE);

  context = tb_page_get_context (TB_PAGE (self));
  settings = context != NULL ? tb_context_get_settings (context) : NULL;
  if (self->tenant_id == NULL || tb_audit_finding_get_key_id (finding) == NULL ||
      !tb_audit_known_set (settings, self->tenant_id, tb_audit_finding_get_key_id (finding),
                           tb_audit_finding_get_sha1 (finding), note))
    {
      _tb_audit_pane_set_error (self, _("The note could not be kept: the settings are not "
                                        "available."));
      return FALSE;
    }
  tb_audit_finding_set_note (finding, note);
  _tb_audit_pane_rebuild_row (self, finding);
  return TRUE;
}
