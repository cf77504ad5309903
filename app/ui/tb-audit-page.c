/* tb-audit-page.c: the Audit page: every credential on Microsoft's own service principals
 *
 * Findings arrive page by page while the scan runs and go into one list view
 * (tb-audit-page-rows.c), which makes rows only for what is on screen, so the main loop keeps
 * drawing and answering input on the largest tenant. Groups: Unexplained (first, in red),
 * Documented hybrid use, This pool, Known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "tb-audit-page-private.h"
#include "tb-profile.h"
#include "tb-ui-util.h"

G_DEFINE_FINAL_TYPE (TbAuditPage, tb_audit_page, TB_TYPE_PAGE)

enum
{
  SIGNAL_OPEN_PRINCIPAL,
  SIGNAL_REMOVE_CREDENTIAL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
_tb_audit_page_emit_open (TbAuditPage    *self,
                          TbAuditFinding *finding)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_PRINCIPAL], 0, tb_audit_finding_get_app_id (finding));
}

void
_tb_audit_page_emit_remove (TbAuditPage    *self,
                            TbAuditFinding *finding)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE_CREDENTIAL], 0,
                 tb_audit_finding_get_app_id (finding), tb_audit_finding_get_key_id (finding));
}

/* In TbPage's inline error, where a failed scan shows its error, and without a heading: @text
 * says what failed. Retry (a new scan) helps none of these, so none is offered. */
void
_tb_audit_page_show_error (TbAuditPage *self,
                           const char  *text)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, text);

  tb_page_show_error (TB_PAGE (self), NULL, error, NULL, TB_PAGE_ERROR_NONE);
}

/* A scan runs while the page is busy: one tb_page_set_busy (TRUE) per scan started, and the
 * page has no update hook that would also count as loading. */
static gboolean
is_running (TbAuditPage *self)
{
  return tb_page_get_loading (TB_PAGE (self));
}

static void
set_progress_text (TbAuditPage *self,
                   const char  *text)
{
  g_free (self->progress_text);
  self->progress_text = g_strdup (text);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

/* The page's commands are enabled from its state here, in one place: its buttons name them. */
static void
update_actions (TbAuditPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean running = is_running (self);
  /* An incomplete or cancelled scan is not offered for export. */
  gboolean have = !running && self->findings != NULL && self->audit != NULL;

  gtk_widget_action_set_enabled (widget, "audit.scan", !running);
  gtk_widget_action_set_enabled (widget, "audit.cancel-scan", running);
  gtk_widget_action_set_enabled (widget, "audit.export-csv", have);
  gtk_widget_action_set_enabled (widget, "audit.export-json", have);
  gtk_widget_set_visible (self->scan_button, !running);
  gtk_widget_set_visible (self->cancel_button, running);
}

/* ---- scanning ----------------------------------------------------------------------- */

static void
on_page (TbAudit   *audit,
         GPtrArray *findings,
         guint      scanned,
         guint      estimate,
         gpointer   user_data)
{
  TbAuditPage *self = user_data;
  g_autofree char *text = NULL;
  gint64 elapsed = g_get_monotonic_time () - self->started;

  /* The page was torn down while a reply was on its way. */
  if (self->box == NULL || audit != self->audit)
    return;

  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (self->findings, g_object_ref (g_ptr_array_index (findings, i)));
  _tb_audit_page_add_findings (self, findings);

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
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbAuditPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TbAudit *audit = TB_AUDIT (source);

  tb_audit_run_finish (audit, result, &error);
  /* A newer scan replaced this one, or the page was torn down. */
  if (audit != self->audit || self->box == NULL)
    return;

  tb_page_set_busy (TB_PAGE (self), FALSE);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_progress_text (self, _("Scan cancelled; the list is incomplete."));
      else
        {
          tb_page_show_error (TB_PAGE (self), _("The Scan Failed"), error, NULL,
                              TB_PAGE_ERROR_RETRY);
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
  update_actions (self);
  _tb_audit_page_update_groups (self);
}

void
tb_audit_page_scan (TbAuditPage *self)
{
  TbContext *context;
  TbAuth *auth;
  TbCertificate *certificate;
  TbPoolState *state;

  g_return_if_fail (TB_IS_AUDIT_PAGE (self));

  tb_audit_page_cancel (self);
  tb_page_clear_error (TB_PAGE (self));
  gtk_widget_set_visible (self->summary, FALSE);

  context = tb_page_get_context (TB_PAGE (self));
  auth = tb_page_get_auth (TB_PAGE (self));
  if (context == NULL || auth == NULL || !tb_auth_get_signed_in (auth))
    {
      _tb_audit_page_show_error (self, _("Sign in to Microsoft 365 first (the account button in "
                                         "the header bar): the audit reads the tenant’s "
                                         "service principals."));
      return;
    }

  _tb_audit_page_clear_rows (self);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  g_free (self->tenant_id);
  self->tenant_id = g_strdup (tb_auth_get_tenant_id (auth));

  g_clear_object (&self->audit);
  self->audit = tb_audit_new (tb_context_get_graph_client (context));
  tb_audit_set_warn_days (self->audit, tb_context_get_warn_days (context));
  tb_audit_set_known (self->audit, tb_context_get_settings (context), self->tenant_id);
  /* "This pool": the certificate chosen and the pool state read, as the workspace holds them. */
  certificate = tb_workspace_get_certificate (tb_page_get_workspace (TB_PAGE (self)));
  if (certificate != NULL)
    tb_audit_add_pool_certificate (self->audit, certificate);
  state = tb_workspace_get_pool_state (tb_page_get_workspace (TB_PAGE (self)));
  if (state != NULL)
    tb_audit_add_pool_state (self->audit, state);

  /* A scan still running is cancelled, and its busy count ends here: its done callback sees
   * another audit and leaves the page alone. */
  tb_page_renew_cancellable (TB_PAGE (self));
  tb_page_clear_busy (TB_PAGE (self));
  tb_page_set_busy (TB_PAGE (self), TRUE);
  self->started = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  set_progress_text (self, _("Reading Microsoft’s service principals…"));
  gtk_widget_set_visible (self->progress, TRUE);
  update_actions (self);
  _tb_audit_page_update_groups (self);
  tb_audit_run_async (self->audit, on_page, self, tb_page_get_cancellable (TB_PAGE (self)),
                      on_scan_done, g_object_ref (self));
}

void
tb_audit_page_cancel (TbAuditPage *self)
{
  g_return_if_fail (TB_IS_AUDIT_PAGE (self));

  /* The scan ends cancelled; it is running until then. */
  if (is_running (self))
    g_cancellable_cancel (tb_page_get_cancellable (TB_PAGE (self)));
}

gboolean
tb_audit_page_get_running (TbAuditPage *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), FALSE);
  return is_running (self);
}

static void
activate_command (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TbAuditPage *self = TB_AUDIT_PAGE (widget);

  if (g_str_equal (action_name, "audit.scan"))
    tb_audit_page_scan (self);
  else if (g_str_equal (action_name, "audit.cancel-scan"))
    tb_audit_page_cancel (self);
  else if (g_str_equal (action_name, "audit.export-csv"))
    _tb_audit_page_choose_export (self, TRUE);
  else if (g_str_equal (action_name, "audit.export-json"))
    _tb_audit_page_choose_export (self, FALSE);
}

/* ---- widget ------------------------------------------------------------------------- */

static void
tb_audit_page_dispose (GObject *object)
{
  TbAuditPage *self = TB_AUDIT_PAGE (object);

  /* TbPage's dispose cancels a scan under way; its callbacks find the box gone. */
  tb_file_chooser_clear (&self->chooser);
  if (self->timeline_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->timeline_window));
  g_clear_weak_pointer (&self->timeline_window);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (tb_audit_page_parent_class)->dispose (object);
}

static void
tb_audit_page_finalize (GObject *object)
{
  TbAuditPage *self = TB_AUDIT_PAGE (object);

  g_clear_object (&self->audit);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_object (&self->items);
  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_clear_object (&self->groups[g]);
      g_clear_object (&self->headings[g]);
    }
  g_clear_object (&self->text_filter);
  g_clear_object (&self->store);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_free (self->needle);
  g_free (self->tenant_id);
  g_free (self->progress_text);

  G_OBJECT_CLASS (tb_audit_page_parent_class)->finalize (object);
}

static void tb_audit_page_auth_changed (TbPage *page);

static void
tb_audit_page_retry (TbPage *page)
{
  tb_audit_page_scan (TB_AUDIT_PAGE (page));
}

static void
tb_audit_page_class_init (TbAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_audit_page_dispose;
  object_class->finalize = tb_audit_page_finalize;
  TB_PAGE_CLASS (klass)->auth_changed = tb_audit_page_auth_changed;
  TB_PAGE_CLASS (klass)->retry = tb_audit_page_retry;

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

  /* The page's commands: its buttons name these, and update_actions enables them from the
   * page's state. */
  gtk_widget_class_install_action (widget_class, "audit.scan", NULL, activate_command);
  gtk_widget_class_install_action (widget_class, "audit.cancel-scan", NULL, activate_command);
  gtk_widget_class_install_action (widget_class, "audit.export-csv", NULL, activate_command);
  gtk_widget_class_install_action (widget_class, "audit.export-json", NULL, activate_command);
}

/* Scan, Cancel Scan, the filter and the two exports. */
static GtkWidget *
make_toolbar (TbAuditPage *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->scan_button = gtk_button_new_with_mnemonic (_("_Scan Tenant"));
  gtk_widget_add_css_class (self->scan_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->scan_button,
                               _("Read every Microsoft-owned service principal and its credentials"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->scan_button), "audit.scan");
  gtk_box_append (GTK_BOX (toolbar), self->scan_button);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel Scan"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button), "audit.cancel-scan");
  gtk_box_append (GTK_BOX (toolbar), self->cancel_button);

  self->filter_entry = gtk_search_entry_new ();
  gtk_widget_set_hexpand (self->filter_entry, TRUE);
  g_object_set (self->filter_entry, "placeholder-text", _("Filter by name, app ID, thumbprint…"),
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filter credentials"), -1);
  g_signal_connect_swapped (self->filter_entry, "search-changed",
                            G_CALLBACK (_tb_audit_page_filter_changed), self);
  gtk_box_append (GTK_BOX (toolbar), self->filter_entry);

  self->export_csv_button = gtk_button_new_with_mnemonic (_("Export _CSV…"));
  gtk_widget_set_tooltip_text (self->export_csv_button, _("Save the findings as CSV"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_csv_button), "audit.export-csv");
  gtk_box_append (GTK_BOX (toolbar), self->export_csv_button);

  self->export_json_button = gtk_button_new_with_mnemonic (_("Export _JSON…"));
  gtk_widget_set_tooltip_text (self->export_json_button, _("Save the findings as JSON"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_json_button),
                                  "audit.export-json");
  gtk_box_append (GTK_BOX (toolbar), self->export_json_button);

  return toolbar;
}

static void
tb_audit_page_init (TbAuditPage *self)
{
  GtkWidget *clamp;
  GtkWidget *content;
  GtkWidget *intro;
  GtkWidget *error_slot;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* The explanation, the toolbar and the scan's state stay in view above the list, which
   * scrolls on its own: a list view is only virtual as the scrolled window's own child. */
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  gtk_box_append (GTK_BOX (self->box), clamp);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 12);
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

  gtk_box_append (GTK_BOX (content), make_toolbar (self));

  self->progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), _("Not scanned yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scan progress"), -1);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (content), self->progress);

  /* What failed (a scan, with Retry; an export…): TbPage's inline error. */
  error_slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (content), error_slot);
  tb_page_set_error_slot (TB_PAGE (self), GTK_BOX (error_slot));

  self->summary = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_widget_set_visible (self->summary, FALSE);
  gtk_box_append (GTK_BOX (content), self->summary);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->scrolled);
  clamp = adw_clamp_scrollable_new ();
  adw_clamp_scrollable_set_maximum_size (ADW_CLAMP_SCROLLABLE (clamp), 900);
  adw_clamp_scrollable_set_child (ADW_CLAMP_SCROLLABLE (clamp), _tb_audit_page_make_list (self));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "security-high-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Credentials"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("No Microsoft-owned service principal in this tenant holds a "
                                     "key or a client secret."));
  gtk_widget_set_visible (self->empty, FALSE);
  gtk_widget_set_vexpand (self->empty, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->empty);

  update_actions (self);
}

GtkWidget *
tb_audit_page_new (TbContext *context)
{
  TbAuditPage *self = g_object_new (TB_TYPE_AUDIT_PAGE, NULL);

  tb_audit_page_set_context (self, context);
  return GTK_WIDGET (self);
}

void
tb_audit_page_set_context (TbAuditPage *self,
                           TbContext   *context)
{
  g_return_if_fail (TB_IS_AUDIT_PAGE (self));
  tb_page_set_context (TB_PAGE (self), context);
}

/* Another cloud or account (TbPage runs this after a new context too): the findings were
 * another tenant's. */
static void
tb_audit_page_auth_changed (TbPage *page)
{
  TbAuditPage *self = TB_AUDIT_PAGE (page);

  tb_page_renew_cancellable (page);
  tb_page_clear_busy (page);
  g_clear_object (&self->audit);
  _tb_audit_page_clear_rows (self);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_widget_set_visible (self->summary, FALSE);
  tb_page_clear_error (page);
  update_actions (self);
  _tb_audit_page_update_groups (self);
}

gboolean
_tb_audit_page_can_open (TbAuditPage    *self,
                         TbAuditFinding *finding)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  return context != NULL &&
         tb_profile_find_target (tb_context_get_profile (context),
                                 tb_audit_finding_get_app_id (finding)) != NULL;
}

GPtrArray *
tb_audit_page_get_findings (TbAuditPage *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  return self->findings;
}

GtkEditable *
tb_audit_page_get_filter_entry (TbAuditPage *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  return GTK_EDITABLE (self->filter_entry);
}

const char *
tb_audit_page_get_progress_text (TbAuditPage *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  return self->progress_text;
}

GtkWidget *
tb_audit_page_get_timeline_window (TbAuditPage *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  return self->timeline_window;
}

const char *
tb_audit_page_get_error (TbAuditPage *self)
{
  const GError *error;

  g_return_val_if_fail (TB_IS_AUDIT_PAGE (self), NULL);
  error = tb_page_get_error (TB_PAGE (self));
  return error != NULL ? error->message : NULL;
}
