/* tb-renewal-dialog.c: the renewal assistant for the pool's OAuth certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-renewal-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tb-certificate-loader.h"
#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-pool-script.h"
#include "tb-profile.h"
#include "tb-renewal-dialog-private.h"
#include "tb-renewal-request.h"
#include "tb-row-layout.h"
#include "tb-sign-in.h"
#include "tb-ui-util.h"

G_DEFINE_FINAL_TYPE (TbRenewalDialog, tb_renewal_dialog, ADW_TYPE_WINDOW)

static void read_next_principal (TbRenewalDialog *self);

void
_tb_renewal_dialog_set_message (TbRenewalDialog *self,
                                const char      *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
}

void
_tb_renewal_dialog_set_busy (TbRenewalDialog *self,
                             gboolean         busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
}

/* Whether @step can run now, following TbRenewal's order; a step that cannot says why in its
 * button's tooltip. */
static gboolean
step_enabled (GtkWidget     *button,
              TbRenewal     *renewal,
              TbRenewalStep  step,
              gboolean       busy)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = renewal != NULL && !busy && tb_renewal_check_step (renewal, step, &error);
  const char *done = NULL;

  /* Allowed but with nothing left to do (steps are safe to repeat): not offered again. */
  if (ok)
    {
      TbRenewalPhase phase = tb_renewal_get_phase (renewal);

      if (step == TB_RENEWAL_STEP_UPLOAD && phase != TB_RENEWAL_PHASE_CANDIDATE_CHOSEN &&
          phase != TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING)
        done = _("Microsoft 365 already has the new certificate.");
      else if (step == TB_RENEWAL_STEP_STAGE && phase != TB_RENEWAL_PHASE_UPLOADED)
        done = _("The pool already stages the new certificate.");
      else if (step == TB_RENEWAL_STEP_FINISH && phase != TB_RENEWAL_PHASE_SWITCHED)
        done = _("Nothing is left to remove.");
    }

  gtk_widget_set_tooltip_text (button, error != NULL ? error->message : done);
  return ok && done == NULL;
}

/* The dialog's commands are enabled from its state here, in one place: its buttons name them.
 * Nothing new starts while a read or a write is under way. */
static void
update_actions (TbRenewalDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "renewal.load",
                                 !self->busy && self->load_chooser == NULL);
  gtk_widget_action_set_enabled (widget, "renewal.upload",
                                 step_enabled (GTK_WIDGET (self->upload_button), self->renewal,
                                               TB_RENEWAL_STEP_UPLOAD, self->busy));
  gtk_widget_action_set_enabled (widget, "renewal.stage",
                                 step_enabled (GTK_WIDGET (self->stage_button), self->renewal,
                                               TB_RENEWAL_STEP_STAGE, self->busy));
  gtk_widget_action_set_enabled (widget, "renewal.finish",
                                 step_enabled (GTK_WIDGET (self->finish_button), self->renewal,
                                               TB_RENEWAL_STEP_FINISH, self->busy));
}

void
_tb_renewal_dialog_update (TbRenewalDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *phase = NULL;

  if (self->renewal != NULL)
    {
      g_autofree char *text = NULL;

      phase = tb_renewal_describe (self->renewal, now);
      /* Translators: %s is the renewal's phase, such as “staged, Microsoft 365 ready”. */
      text = g_strdup_printf (_("Renewal: %s"), phase);
      gtk_label_set_label (self->phase_label, text);
    }
  else
    gtk_label_set_label (self->phase_label, _("Reading the pool and the tenant…"));

  update_actions (self);
  /* The date is for staging; once staged it is the pool's. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->date_row),
                            !self->busy && self->renewal != NULL &&
                            (tb_renewal_get_phase (self->renewal) ==
                               TB_RENEWAL_PHASE_CANDIDATE_CHOSEN ||
                             tb_renewal_get_phase (self->renewal) == TB_RENEWAL_PHASE_UPLOADED));
  for (guint i = 0; i < self->candidate_rows->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->candidate_rows, i),
                              !self->busy && tb_pool_state_get_staged_certificate (self->state)
                                               == NULL);
}

static void
recompute (TbRenewalDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *thumbprint = tb_pool_state_get_staged_certificate (self->state) != NULL
                             ? NULL : self->chosen;

  g_clear_object (&self->renewal);
  if (thumbprint != NULL && self->loaded != NULL &&
      g_ascii_strcasecmp (thumbprint, tb_certificate_get_sha1 (self->loaded)) == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      self->renewal = tb_renewal_new_with_certificate (self->state, self->principals,
                                                       self->loaded, now, &error);
    }
  else
    self->renewal = tb_renewal_new (self->state, self->principals, thumbprint, &error);
  if (self->renewal == NULL)
    _tb_renewal_dialog_set_message (self, error->message);
  if (self->renewal != NULL && tb_renewal_get_new_certificate (self->renewal) != NULL &&
      *gtk_editable_get_text (GTK_EDITABLE (self->date_row)) == '\0')
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) when = tb_renewal_choose_effective_date (self->renewal, NULL, now,
                                                                    NULL);
      GDateTime *staged = tb_renewal_get_effective_date (self->renewal);
      g_autofree char *text = tb_format_iso8601_utc (staged != NULL ? staged : when);

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), text);
    }
  _tb_renewal_dialog_update (self);
}

/* A candidate's check button: choosing it chooses @thumbprint. */
typedef struct
{
  TbRenewalDialog *self;        /* owns the check button */
  char            *thumbprint;
} Candidate;

static void
candidate_free (gpointer  data,
                GClosure *closure)
{
  Candidate *candidate = data;

  g_free (candidate->thumbprint);
  g_free (candidate);
}

static void
on_candidate_toggled (GtkCheckButton *check,
                      Candidate      *candidate)
{
  TbRenewalDialog *self = candidate->self;

  if (!gtk_check_button_get_active (check))
    return;
  g_free (self->chosen);
  self->chosen = g_strdup (candidate->thumbprint);
  recompute (self);
}

static void
connect_candidate (TbRenewalDialog *self,
                   GtkWidget       *check,
                   const char      *thumbprint)
{
  Candidate *candidate = g_new0 (Candidate, 1);

  candidate->self = self;
  candidate->thumbprint = g_strdup (thumbprint);
  g_signal_connect_data (check, "toggled", G_CALLBACK (on_candidate_toggled), candidate,
                         candidate_free, 0);
}

/* The certificate loaded from a file, unless the pool lists it among its candidates (then
 * that row stands for it). */
static void
add_loaded_row (TbRenewalDialog *self,
                GtkCheckButton  *group)
{
  const char *sha1;
  const char *subject;
  g_autofree char *expires = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row, *check;

  if (self->loaded == NULL)
    return;
  sha1 = tb_certificate_get_sha1 (self->loaded);
  if (tb_pool_state_find_certificate (self->state, sha1) != NULL)
    return;
  subject = tb_certificate_get_subject (self->loaded);
  expires = tb_format_iso8601_utc (tb_certificate_get_not_after (self->loaded));
  /* Translators: a thumbprint, then the date the certificate expires. */
  subtitle = g_strdup_printf (_("%s · expires %s · loaded from a file; not in the store as the "
                                "pool was last read"), sha1, expires);
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), subject != NULL ? subject : sha1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  subject != NULL ? subject : sha1, -1);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  if (self->chosen != NULL && g_ascii_strcasecmp (self->chosen, sha1) == 0)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  connect_candidate (self, check, sha1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (self->candidates_group, row);
  g_ptr_array_add (self->candidate_rows, row);
}

static void
fill_candidates (TbRenewalDialog *self)
{
  GPtrArray *candidates = tb_pool_state_get_candidates (self->state);
  const TbPoolCertificate *suggested = tb_renewal_suggest_candidate (self->state);
  TbCertificate *staged = tb_pool_state_get_staged_certificate (self->state);
  GtkCheckButton *group = NULL;

  for (guint i = 0; i < self->candidate_rows->len; i++)
    adw_preferences_group_remove (self->candidates_group,
                                  g_ptr_array_index (self->candidate_rows, i));
  g_ptr_array_set_size (self->candidate_rows, 0);

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (candidates, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *expires = NULL;
      GtkWidget *row, *check;

      if (c->certificate == NULL)
        continue;
      expires = tb_format_iso8601_utc (tb_certificate_get_not_after (c->certificate));
      /* Translators: a thumbprint, then the date the certificate expires. */
      subtitle = g_strdup_printf (_("%s · expires %s"), c->thumbprint, expires);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     c->subject != NULL ? c->subject : c->thumbprint);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      c->subject != NULL ? c->subject : c->thumbprint, -1);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      if ((staged != NULL && g_ascii_strcasecmp (tb_certificate_get_sha1 (staged),
                                                 c->thumbprint) == 0) ||
          (staged == NULL && self->chosen == NULL && c == suggested) ||
          (self->chosen != NULL && g_ascii_strcasecmp (self->chosen, c->thumbprint) == 0))
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
          g_free (self->chosen);
          self->chosen = g_strdup (c->thumbprint);
        }
      connect_candidate (self, check, c->thumbprint);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->candidates_group, row);
      g_ptr_array_add (self->candidate_rows, row);
    }
  add_loaded_row (self, group);
  tb_row_layout_fix_all (GTK_WIDGET (self->candidates_group));
}

/* ---- Reading both halves ---------------------------------------------------------------- */

void
_tb_renewal_dialog_fail (TbRenewalDialog *self,
                         const GError    *error)
{
  /* Cancelled: the dialog is going away and its widgets with it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (self->cancellable))
    return;
  self->job = JOB_NONE;
  _tb_renewal_dialog_set_busy (self, FALSE);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _tb_renewal_dialog_set_message (self, error->message);
  _tb_renewal_dialog_update (self);
}

static void
principals_read (TbRenewalDialog *self)
{
  _tb_renewal_dialog_set_busy (self, FALSE);
  fill_candidates (self);
  recompute (self);
}

static void
on_principal (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  TbServicePrincipal *sp;

  sp = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (sp != NULL)
    g_ptr_array_add (self->principals, sp);
  else if (!g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND))
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  read_next_principal (self);
}

/* The profile's principals that carry the pool's certificate, one single-object read each
 * (the only read that returns the keys). */
static void
read_next_principal (TbRenewalDialog *self)
{
  TbProfile *profile = tb_context_get_profile (self->context);

  while (self->next < tb_profile_get_n_targets (profile))
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, self->next++);

      if (!target->receives_certificate)
        continue;
      tb_graph_client_get_service_principal_async (tb_context_get_graph_client (self->context),
                                                   target->app_id, self->cancellable,
                                                   on_principal, g_object_ref (self));
      return;
    }
  principals_read (self);
}

static void
read_principals (TbRenewalDialog *self)
{
  _tb_renewal_dialog_set_busy (self, TRUE);
  g_ptr_array_set_size (self->principals, 0);
  self->next = 0;
  _tb_renewal_dialog_update (self);
  read_next_principal (self);
}

static void
on_pool_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  TbPoolState *state = tb_pool_client_status_finish (TB_POOL_CLIENT (source), result, &error);

  if (state == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  g_set_object (&self->state, state);
  g_object_unref (state);
  read_principals (self);
}

/* Both halves again after a step: the pool live when connected, the tenant always. */
void
_tb_renewal_dialog_reread (TbRenewalDialog *self)
{
  _tb_renewal_dialog_set_busy (self, TRUE);
  if (self->client != NULL)
    tb_pool_client_status_async (self->client, self->cancellable, on_pool_read,
                                 g_object_ref (self));
  else
    read_principals (self);
}

static void
on_read_access (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  _tb_renewal_dialog_reread (self);
}

void
tb_renewal_dialog_refresh (TbRenewalDialog *self)
{
  g_return_if_fail (TB_IS_RENEWAL_DIALOG (self));

  if (self->busy)
    return;
  _tb_renewal_dialog_set_busy (self, TRUE);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_READ,
                                  _("The renewal reads the certificates on the service "
                                    "principals."),
                                  self->cancellable, on_read_access, g_object_ref (self));
}

/* ---- A certificate loaded from a file ---------------------------------------------------- */

static void
on_certificate_loaded (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = tb_certificate_load_file_finish (result, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TbCertificate *certificate;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  _tb_renewal_dialog_set_busy (self, FALSE);
  if (certificates == NULL)
    {
      _tb_renewal_dialog_set_message (self, error->message);
      _tb_renewal_dialog_update (self);
      return;
    }
  if (certificates->len != 1)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "“%s” holds %u certificate; give a "
                                                            "file with exactly one.",
                                                            "“%s” holds %u certificates; give a "
                                                            "file with exactly one.",
                                                            certificates->len),
                                               tb_certificate_get_source (
                                                 g_ptr_array_index (certificates, 0)),
                                               certificates->len);

      _tb_renewal_dialog_set_message (self, text);
      _tb_renewal_dialog_update (self);
      return;
    }
  certificate = g_ptr_array_index (certificates, 0);
  if (!tb_renewal_check_loaded_certificate (self->state, certificate, now, &error))
    {
      _tb_renewal_dialog_set_message (self, error->message);
      _tb_renewal_dialog_update (self);
      return;
    }
  g_set_object (&self->loaded, certificate);
  g_free (self->chosen);
  self->chosen = g_strdup (tb_certificate_get_sha1 (certificate));
  _tb_renewal_dialog_set_message (self,
                                  tb_pool_state_find_certificate (self->state, self->chosen) != NULL
                                  ? NULL
                                  : _("Loaded. It can be uploaded now; staging waits until the "
                                      "pool, read again, shows it in the Front End’s store."));
  fill_candidates (self);
  recompute (self);
}

void
tb_renewal_dialog_load_certificate (TbRenewalDialog *self,
                                    GFile           *file)
{
  g_return_if_fail (TB_IS_RENEWAL_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->busy)
    return;
  _tb_renewal_dialog_set_message (self, NULL);
  _tb_renewal_dialog_set_busy (self, TRUE);
  _tb_renewal_dialog_update (self);
  tb_certificate_load_file_async (file, self->cancellable, on_certificate_loaded,
                                  g_object_ref (self));
}

static void
on_load_response (GtkNativeDialog *chooser,
                  int              response,
                  TbRenewalDialog *self)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->load_chooser, response);

  _tb_renewal_dialog_update (self);
  if (file != NULL)
    tb_renewal_dialog_load_certificate (self, file);
}

static void
request_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (widget);

  tb_renewal_request_present (GTK_WINDOW (self), self->state);
}

static void
load_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->busy || self->load_chooser != NULL)
    return;
  self->load_chooser = gtk_file_chooser_native_new (_("Load the New Certificate"),
                                                    GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"),
                                                    _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->load_chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Certificates (.cer, .crt, .pem)"));
  gtk_file_filter_add_suffix (filter, "cer");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->load_chooser), filter);
  g_signal_connect (self->load_chooser, "response", G_CALLBACK (on_load_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->load_chooser));
  _tb_renewal_dialog_update (self);
}

/* ---- Object ----------------------------------------------------------------------------- */

static void
tb_renewal_dialog_dispose (GObject *object)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  tb_file_chooser_clear (&self->load_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_RENEWAL_DIALOG);

  G_OBJECT_CLASS (tb_renewal_dialog_parent_class)->dispose (object);
}

static void
tb_renewal_dialog_finalize (GObject *object)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->state);
  g_clear_object (&self->client);
  g_clear_object (&self->renewal);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->principals, g_ptr_array_unref);
  g_clear_pointer (&self->edits, g_ptr_array_unref);
  g_clear_pointer (&self->candidate_rows, g_ptr_array_unref);
  g_free (self->chosen);
  g_free (self->message);

  G_OBJECT_CLASS (tb_renewal_dialog_parent_class)->finalize (object);
}

static void
tb_renewal_dialog_class_init (TbRenewalDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_renewal_dialog_dispose;
  object_class->finalize = tb_renewal_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/trustbridge/TrustBridge/"
                                               "tb-renewal-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, phase_label);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, candidates_group);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, upload_button);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, stage_button);
  gtk_widget_class_bind_template_child (widget_class, TbRenewalDialog, finish_button);

  /* The dialog's commands: its buttons name these, and update_actions enables them. */
  gtk_widget_class_install_action (widget_class, "renewal.load", NULL, load_action);
  gtk_widget_class_install_action (widget_class, "renewal.request", NULL, request_action);
  _tb_renewal_dialog_class_install_steps (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tb_renewal_dialog_init (TbRenewalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its rows and groups wrap width first, as the pages' do. */
  tb_row_layout_fix_all (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->principals = g_ptr_array_new_with_free_func (g_object_unref);
  self->candidate_rows = g_ptr_array_new ();
}

GtkWidget *
tb_renewal_dialog_new (GtkWindow    *parent,
                       TbContext    *context,
                       TbPoolState  *state,
                       TbPoolClient *client)
{
  TbRenewalDialog *self;

  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);

  self = g_object_new (TB_TYPE_RENEWAL_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->state = g_object_ref (state);
  if (client != NULL)
    self->client = g_object_ref (client);
  gtk_button_set_label (self->stage_button, client != NULL ? _("3. _Stage on the Pool")
                                                           : _("3. Export _Stage Script…"));
  _tb_renewal_dialog_update (self);
  return GTK_WIDGET (self);
}

TbRenewal *
tb_renewal_dialog_get_renewal (TbRenewalDialog *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL_DIALOG (self), NULL);
  return self->busy ? NULL : self->renewal;
}

const char *
tb_renewal_dialog_get_message (TbRenewalDialog *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL_DIALOG (self), NULL);
  return self->message;
}

gboolean
tb_renewal_dialog_get_busy (TbRenewalDialog *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL_DIALOG (self), FALSE);
  return self->busy;
}
