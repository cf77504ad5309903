/* tb-audit-pane.c: the Audit page: every credential on Microsoft's own service principals
 *
 * Findings arrive page by page while the scan runs; rows are built from a queue in slices of
 * a few milliseconds at idle priority, so the main loop keeps drawing and answering input on
 * the largest tenant. Groups: Unexplained (first, in red), Documented hybrid use, This pool,
 * Known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "tb-audit-pane.h"
#include "tb-format.h"
#include "tb-ui-util.h"

/* Rows are built for at most this long at a time before the main loop gets a turn. */
#define SLICE_US (8 * 1000)
#define N_GROUPS (TB_AUDIT_ORIGIN_KNOWN + 1)

struct _TbAuditPane
{
  GtkWidget        parent_instance;

  TbContext       *context;
  TbAudit         *audit;
  GCancellable    *cancellable;
  char            *tenant_id;

  TbAuditPaneCertificateFunc certificate_func;
  TbAuditPanePoolStateFunc   pool_state_func;
  gpointer                   pool_data;
  TbAuditPaneCanOpenFunc     can_open_func;
  gpointer                   can_open_data;

  GPtrArray       *findings;       /* TbAuditFinding, in arrival order */
  GQueue           pending;        /* TbAuditFinding (borrowed) waiting for a row */
  guint            build_id;
  GHashTable      *rows;           /* TbAuditFinding → GtkWidget (borrowed) */
  char            *progress_text;
  char            *error_text;
  gint64           started;

  GtkWidget       *box;
  GtkWidget       *scan_button;
  GtkWidget       *cancel_button;
  GtkWidget       *export_csv_button;
  GtkWidget       *export_json_button;
  GtkWidget       *filter_entry;
  GtkWidget       *progress;
  GtkWidget       *summary;
  GtkWidget       *error_label;
  GtkWidget       *groups[N_GROUPS];
  GtkWidget       *lists[N_GROUPS];
  GtkWidget       *empty;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (TbAuditPane, tb_audit_pane, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_OPEN_PRINCIPAL,
  SIGNAL_REMOVE_CREDENTIAL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild_row (TbAuditPane *self, TbAuditFinding *finding);

static void
set_error (TbAuditPane *self,
           const char  *text)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->error_label), text != NULL ? text : "");
  gtk_widget_set_visible (self->error_label, text != NULL);
}

static void
set_progress_text (TbAuditPane *self,
                   const char  *text)
{
  g_free (self->progress_text);
  self->progress_text = g_strdup (text);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

static void
update_buttons (TbAuditPane *self)
{
  gboolean running = self->cancellable != NULL;
  gboolean have = !running && self->findings != NULL && self->audit != NULL;

  gtk_widget_set_visible (self->scan_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_sensitive (self->export_csv_button, have);
  gtk_widget_set_sensitive (self->export_json_button, have);
}

static void
update_groups (TbAuditPane *self)
{
  guint counts[N_GROUPS] = { 0 };
  GHashTableIter iter;
  gpointer finding;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &finding, NULL))
    counts[tb_audit_finding_get_origin (finding)]++;

  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_autofree char *title = g_strdup_printf ("%s (%u)", tb_audit_origin_get_label (g),
                                                counts[g]);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[g]), title);
      gtk_widget_set_visible (self->groups[g], counts[g] > 0);
    }
  gtk_widget_set_visible (self->empty, self->findings != NULL && self->cancellable == NULL &&
                                       g_hash_table_size (self->rows) == 0);
}

/* ---- rows --------------------------------------------------------------------------- */

static void
on_open_clicked (GtkWidget   *row,
                 TbAuditPane *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (row), "tb-finding");

  g_signal_emit (self, signals[SIGNAL_OPEN_PRINCIPAL], 0, tb_audit_finding_get_app_id (finding));
}

static void
on_remove_clicked (GtkButton   *button,
                   TbAuditPane *self)
{
  TbAuditFinding *finding = g_object_get_data (G_OBJECT (button), "tb-finding");

  g_signal_emit (self, signals[SIGNAL_REMOVE_CREDENTIAL], 0,
                 tb_audit_finding_get_app_id (finding), tb_audit_finding_get_key_id (finding));
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
  if (status == TB_CERTIFICATE_STATUS_EXPIRED && !password && self->can_open_func != NULL &&
      self->can_open_func (tb_audit_finding_get_app_id (finding), self->can_open_data))
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
      gtk_widget_set_sensitive (button, self->context != NULL &&
                                        tb_context_get_settings (self->context) != NULL);
      g_object_set_data (G_OBJECT (button), "tb-finding", finding);
      g_signal_connect (button, "clicked", G_CALLBACK (on_known_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  if (self->can_open_func != NULL &&
      self->can_open_func (tb_audit_finding_get_app_id (finding), self->can_open_data))
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Open on the Service Principals page"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (on_open_clicked), self);
    }
  return row;
}

static gboolean
filter_row (GtkListBoxRow *row,
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

static gint
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  TbAuditFinding *fa = g_object_get_data (G_OBJECT (a), "tb-finding");
  TbAuditFinding *fb = g_object_get_data (G_OBJECT (b), "tb-finding");

  return tb_audit_finding_compare (&fa, &fb);
}

static void
on_filter_changed (TbAuditPane *self)
{
  for (guint g = 0; g < N_GROUPS; g++)
    gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->lists[g]));
}

static void
add_row (TbAuditPane    *self,
         TbAuditFinding *finding)
{
  GtkWidget *row = make_row (self, finding);

  gtk_list_box_append (GTK_LIST_BOX (self->lists[tb_audit_finding_get_origin (finding)]), row);
  g_hash_table_insert (self->rows, finding, row);
}

static void
rebuild_row (TbAuditPane    *self,
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
  update_groups (self);
}

static gboolean
build_slice (gpointer user_data)
{
  TbAuditPane *self = user_data;
  gint64 start = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->pending) && g_get_monotonic_time () - start < SLICE_US)
    add_row (self, g_queue_pop_head (&self->pending));

  update_groups (self);
  if (!g_queue_is_empty (&self->pending))
    return G_SOURCE_CONTINUE;
  self->build_id = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_rows (TbAuditPane *self)
{
  if (self->build_id == 0 && !g_queue_is_empty (&self->pending))
    self->build_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, build_slice, self, NULL);
}

static void
clear_rows (TbAuditPane *self)
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

/* ---- scanning ----------------------------------------------------------------------- */

static void
on_page (TbAudit   *audit,
         GPtrArray *findings,
         guint      scanned,
         guint      estimate,
         gpointer   user_data)
{
  TbAuditPane *self = user_data;
  g_autofree char *text = NULL;
  gint64 elapsed = g_get_monotonic_time () - self->started;

  /* The page was torn down while a reply was on its way. */
  if (self->box == NULL || audit != self->audit)
    return;

  for (guint i = 0; i < findings->len; i++)
    {
      TbAuditFinding *finding = g_ptr_array_index (findings, i);

      g_ptr_array_add (self->findings, g_object_ref (finding));
      g_queue_push_tail (&self->pending, finding);
    }
  queue_rows (self);

  if (estimate > 0)
    {
      /* The rest at the pace so far. */
      gint64 left = scanned > 0 && estimate > scanned
                    ? elapsed * (gint64) (estimate - scanned) / scanned / G_USEC_PER_SEC : 0;

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress),
                                     MIN (1.0, scanned / (double) estimate));
      if (left > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Scanned %u of about %u principals, about %u second left",
                                             "Scanned %u of about %u principals, about %u seconds left",
                                             (guint) left),
                                scanned, estimate, (guint) left);
      else
        text = g_strdup_printf (_("Scanned %u of about %u principals"), scanned, estimate);
    }
  else
    {
      gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
      text = g_strdup_printf (_("Scanned %u principals"), scanned);
    }
  set_progress_text (self, text);
}

static void
scan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TbAuditPane) self = user_data;
  g_autoptr(GError) error = NULL;
  TbAudit *audit = TB_AUDIT (source);

  tb_audit_run_finish (audit, result, &error);
  /* A newer scan replaced this one, or the page was torn down. */
  if (audit != self->audit || self->box == NULL)
    return;

  g_clear_object (&self->cancellable);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_progress_text (self, _("Scan cancelled; the list is incomplete."));
      else
        {
          set_error (self, error->message);
          set_progress_text (self, _("Scan failed; the list is incomplete."));
        }
      /* An incomplete list must not be exported as if it were the audit. */
      g_clear_pointer (&self->findings, g_ptr_array_unref);
      self->findings = g_ptr_array_new_with_free_func (g_object_unref);
      g_clear_object (&self->audit);
    }
  else
    {
      g_autofree char *text = NULL;
      guint unexplained = 0;

      for (guint i = 0; i < self->findings->len; i++)
        if (tb_audit_finding_get_origin (g_ptr_array_index (self->findings, i)) ==
            TB_AUDIT_ORIGIN_UNEXPLAINED)
          unexplained++;
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 1.0);
      text = g_strdup_printf (_("Scanned %u principals, %u of them Microsoft’s%s"),
                              tb_audit_get_scanned (audit), tb_audit_get_microsoft_owned (audit),
                              tb_audit_get_used_fallback (audit)
                              ? _(" (the tenant refused the owner filter; all were read)") : "");
      set_progress_text (self, text);
      gtk_label_set_text (GTK_LABEL (self->summary),
                          unexplained > 0
                          ? _("Unexplained credentials let whoever holds them act as Microsoft’s "
                              "application in this tenant. Find who added each one in the Entra "
                              "audit log and remove it unless its owner can explain it.")
                          : _("Every credential on Microsoft’s principals is explained."));
      gtk_widget_set_visible (self->summary, TRUE);
    }
  update_buttons (self);
  update_groups (self);
}

void
tb_audit_pane_scan (TbAuditPane *self)
{
  TbAuth *auth;
  TbCertificate *certificate;
  TbPoolState *state;

  g_return_if_fail (TB_IS_AUDIT_PANE (self));

  tb_audit_pane_cancel (self);
  set_error (self, NULL);
  gtk_widget_set_visible (self->summary, FALSE);

  auth = self->context != NULL ? tb_context_get_auth (self->context) : NULL;
  if (auth == NULL || !tb_auth_get_signed_in (auth))
    {
      set_error (self, _("Sign in to Microsoft 365 first (the account button in the header "
                         "bar): the audit reads the tenant’s service principals."));
      return;
    }

  clear_rows (self);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_free (self->tenant_id);
  self->tenant_id = g_strdup (tb_auth_get_tenant_id (auth));

  g_clear_object (&self->audit);
  self->audit = tb_audit_new (tb_context_get_graph_client (self->context));
  tb_audit_set_warn_days (self->audit, tb_context_get_warn_days (self->context));
  tb_audit_set_known (self->audit, tb_context_get_settings (self->context), self->tenant_id);
  certificate = self->certificate_func != NULL ? self->certificate_func (self->pool_data) : NULL;
  if (certificate != NULL)
    tb_audit_add_pool_certificate (self->audit, certificate);
  state = self->pool_state_func != NULL ? self->pool_state_func (self->pool_data) : NULL;
  if (state != NULL)
    tb_audit_add_pool_state (self->audit, state);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->started = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  set_progress_text (self, _("Reading Microsoft’s service principals…"));
  gtk_widget_set_visible (self->progress, TRUE);
  update_buttons (self);
  update_groups (self);
  tb_audit_run_async (self->audit, on_page, self, self->cancellable, scan_done,
                      g_object_ref (self));
}

void
tb_audit_pane_cancel (TbAuditPane *self)
{
  g_return_if_fail (TB_IS_AUDIT_PANE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
tb_audit_pane_get_running (TbAuditPane *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
tb_audit_pane_set_known (TbAuditPane    *self,
                         TbAuditFinding *finding,
                         const char     *note)
{
  GSettings *settings;

  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), FALSE);
  g_return_val_if_fail (TB_IS_AUDIT_FINDING (finding), FALSE);

  settings = self->context != NULL ? tb_context_get_settings (self->context) : NULL;
  if (self->tenant_id == NULL || tb_audit_finding_get_key_id (finding) == NULL ||
      !tb_audit_known_set (settings, self->tenant_id, tb_audit_finding_get_key_id (finding),
                           tb_audit_finding_get_sha1 (finding), note))
    {
      set_error (self, _("The note could not be kept: the settings are not available."));
      return FALSE;
    }
  tb_audit_finding_set_note (finding, note);
  rebuild_row (self, finding);
  return TRUE;
}

/* ---- export ------------------------------------------------------------------------- */

static GBytes *
export_bytes (TbAuditPane *self,
              gboolean     csv)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->findings->len; i++)
    g_ptr_array_add (sorted, g_object_ref (g_ptr_array_index (self->findings, i)));
  g_ptr_array_sort (sorted, tb_audit_finding_compare);
  if (csv)
    {
      GString *s = g_string_new (tb_audit_csv_header ());

      g_string_append (s, "\r\n");
      for (guint i = 0; i < sorted->len; i++)
        {
          g_autofree char *row = tb_audit_finding_to_csv (g_ptr_array_index (sorted, i));

          g_string_append (s, row);
          g_string_append (s, "\r\n");
        }
      return g_string_free_to_bytes (s);
    }
  else
    {
      g_autoptr(JsonNode) root = tb_audit_report_json (self->tenant_id,
                                                       tb_audit_get_scanned (self->audit), sorted);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *data;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      data = json_generator_to_data (generator, &length);
      return g_bytes_new_take (data, length);
    }
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbAuditPane) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The audit could not be saved: %s"),
                                               error->message);
      set_error (self, text);
    }
}

void
tb_audit_pane_export (TbAuditPane *self,
                      GFile       *file,
                      gboolean     csv)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TB_IS_AUDIT_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->findings == NULL || self->audit == NULL || self->cancellable != NULL)
    return;
  bytes = export_bytes (self, csv);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, export_done, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     TbAuditPane     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      gboolean csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "tb-csv"));

      if (file != NULL)
        tb_audit_pane_export (self, file, csv);
    }
  g_clear_object (&self->chooser);
}

static void
choose_export (TbAuditPane *self,
               gboolean     csv)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (csv ? _("Export Audit as CSV")
                                                   : _("Export Audit as JSON"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     csv ? "trust-bridge-audit.csv" : "trust-bridge-audit.json");
  g_object_set_data (G_OBJECT (self->chooser), "tb-csv", GINT_TO_POINTER (csv));
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_csv (TbAuditPane *self)
{
  choose_export (self, TRUE);
}

static void
on_export_json (TbAuditPane *self)
{
  choose_export (self, FALSE);
}

/* ---- widget ------------------------------------------------------------------------- */

static void
tb_audit_pane_dispose (GObject *object)
{
  TbAuditPane *self = TB_AUDIT_PANE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_queue_clear (&self->pending);
  g_clear_handle_id (&self->build_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (tb_audit_pane_parent_class)->dispose (object);
}

static void
tb_audit_pane_finalize (GObject *object)
{
  TbAuditPane *self = TB_AUDIT_PANE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->audit);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_free (self->tenant_id);
  g_free (self->progress_text);
  g_free (self->error_text);

  G_OBJECT_CLASS (tb_audit_pane_parent_class)->finalize (object);
}

static void
tb_audit_pane_class_init (TbAuditPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_audit_pane_dispose;
  object_class->finalize = tb_audit_pane_finalize;

  /* The admin asked to see @app_id's credentials on the Service Principals page. */
  signals[SIGNAL_OPEN_PRINCIPAL] =
    g_signal_new ("open-principal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The admin asked to remove credential @key_id from @app_id (the safe removal flow). */
  signals[SIGNAL_REMOVE_CREDENTIAL] =
    g_signal_new ("remove-credential", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tb_audit_pane_init (TbAuditPane *self)
{
  GtkWidget *scrolled;
  GtkWidget *clamp;
  GtkWidget *content;
  GtkWidget *toolbar;
  GtkWidget *intro;

  self->rows = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->pending);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self->box), scrolled);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);

  intro = gtk_label_new (_("Every key and client secret on Microsoft’s own service principals "
                           "in this tenant. Whoever holds one can act as that Microsoft "
                           "application here; the Entra admin center does not show them."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_widget_add_css_class (intro, "dim-label");
  gtk_box_append (GTK_BOX (content), intro);

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (content), toolbar);

  self->scan_button = gtk_button_new_with_mnemonic (_("_Scan Tenant"));
  gtk_widget_add_css_class (self->scan_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->scan_button,
                               _("Read every Microsoft-owned service principal and its credentials"));
  g_signal_connect_swapped (self->scan_button, "clicked", G_CALLBACK (tb_audit_pane_scan), self);
  gtk_box_append (GTK_BOX (toolbar), self->scan_button);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel Scan"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (tb_audit_pane_cancel),
                            self);
  gtk_box_append (GTK_BOX (toolbar), self->cancel_button);

  self->filter_entry = gtk_search_entry_new ();
  gtk_widget_set_hexpand (self->filter_entry, TRUE);
  g_object_set (self->filter_entry, "placeholder-text", _("Filter by name, app ID, thumbprint…"),
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filter credentials"), -1);
  g_signal_connect_swapped (self->filter_entry, "search-changed", G_CALLBACK (on_filter_changed),
                            self);
  gtk_box_append (GTK_BOX (toolbar), self->filter_entry);

  self->export_csv_button = gtk_button_new_with_mnemonic (_("Export _CSV…"));
  gtk_widget_set_tooltip_text (self->export_csv_button, _("Save the findings as CSV"));
  g_signal_connect_swapped (self->export_csv_button, "clicked", G_CALLBACK (on_export_csv), self);
  gtk_box_append (GTK_BOX (toolbar), self->export_csv_button);

  self->export_json_button = gtk_button_new_with_mnemonic (_("Export _JSON…"));
  gtk_widget_set_tooltip_text (self->export_json_button, _("Save the findings as JSON"));
  g_signal_connect_swapped (self->export_json_button, "clicked", G_CALLBACK (on_export_json),
                            self);
  gtk_box_append (GTK_BOX (toolbar), self->export_json_button);

  self->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), _("Not scanned yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scan progress"), -1);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (content), self->progress);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->error_label);

  self->summary = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_set_visible (self->summary, FALSE);
  gtk_box_append (GTK_BOX (content), self->summary);

  for (guint g = 0; g < N_GROUPS; g++)
    {
      static const char *descriptions[N_GROUPS] = {
        N_("Keys with no documented reason, and every client secret: find out who added them."),
        N_("Principals where Microsoft documents on-premises certificates (Exchange, SharePoint, "
           "Skype for Business, Teams calendar and voicemail), but not this pool’s certificate: "
           "confirm each thumbprint with its server."),
        N_("The pool’s OAuth certificate (the one selected on the Certificates page, or read "
           "from the pool)."),
        N_("Marked as known on this computer, with a note."),
      };

      self->groups[g] = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[g]),
                                       tb_audit_origin_get_label (g));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->groups[g]),
                                             _(descriptions[g]));
      if (g == TB_AUDIT_ORIGIN_UNEXPLAINED)
        gtk_widget_add_css_class (self->groups[g], "tb-audit-unexplained");
      self->lists[g] = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->lists[g]), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (self->lists[g], "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->lists[g]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tb_audit_origin_get_label (g), -1);
      gtk_list_box_set_filter_func (GTK_LIST_BOX (self->lists[g]), filter_row, self, NULL);
      gtk_list_box_set_sort_func (GTK_LIST_BOX (self->lists[g]), sort_rows, NULL, NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[g]), self->lists[g]);
      gtk_widget_set_visible (self->groups[g], FALSE);
      gtk_box_append (GTK_BOX (content), self->groups[g]);
    }

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "security-high-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Credentials"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("No Microsoft-owned service principal in this tenant holds a "
                                     "key or a client secret."));
  gtk_widget_set_visible (self->empty, FALSE);
  gtk_box_append (GTK_BOX (content), self->empty);

  update_buttons (self);
}

GtkWidget *
tb_audit_pane_new (TbContext *context)
{
  TbAuditPane *self = g_object_new (TB_TYPE_AUDIT_PANE, NULL);

  tb_audit_pane_set_context (self, context);
  return GTK_WIDGET (self);
}

void
tb_audit_pane_set_context (TbAuditPane *self,
                           TbContext   *context)
{
  g_return_if_fail (TB_IS_AUDIT_PANE (self));

  /* Another cloud or account: the findings were another tenant's. */
  tb_audit_pane_cancel (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->audit);
  clear_rows (self);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_widget_set_visible (self->summary, FALSE);
  set_error (self, NULL);
  g_set_object (&self->context, context);
  update_buttons (self);
  update_groups (self);
}

void
tb_audit_pane_set_pool_sources (TbAuditPane                *self,
                                TbAuditPaneCertificateFunc  certificate_func,
                                TbAuditPanePoolStateFunc    pool_state_func,
                                gpointer                    user_data)
{
  g_return_if_fail (TB_IS_AUDIT_PANE (self));
  self->certificate_func = certificate_func;
  self->pool_state_func = pool_state_func;
  self->pool_data = user_data;
}

void
tb_audit_pane_set_can_open (TbAuditPane            *self,
                            TbAuditPaneCanOpenFunc  func,
                            gpointer                user_data)
{
  g_return_if_fail (TB_IS_AUDIT_PANE (self));
  self->can_open_func = func;
  self->can_open_data = user_data;
}

GPtrArray *
tb_audit_pane_get_findings (TbAuditPane *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  return self->findings;
}

GtkEditable *
tb_audit_pane_get_filter_entry (TbAuditPane *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  return GTK_EDITABLE (self->filter_entry);
}

const char *
tb_audit_pane_get_progress_text (TbAuditPane *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  return self->progress_text;
}

GtkWidget *
tb_audit_pane_get_row (TbAuditPane    *self,
                       TbAuditFinding *finding)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  return g_hash_table_lookup (self->rows, finding);
}

const char *
tb_audit_pane_get_row_group (TbAuditPane    *self,
                             TbAuditFinding *finding)
{
  GtkWidget *row;
  GtkWidget *list;

  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  row = g_hash_table_lookup (self->rows, finding);
  if (row == NULL)
    return NULL;
  list = gtk_widget_get_parent (row);
  for (guint g = 0; g < N_GROUPS; g++)
    if (self->lists[g] == list)
      return tb_audit_origin_to_string (g);
  return NULL;
}

const char *
tb_audit_pane_get_error (TbAuditPane *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PANE (self), NULL);
  return self->error_text;
}
