/* tb-renewal-dialog-steps.c: the renewal assistant's steps: upload the new certificate to
 * Microsoft 365's principals, stage it on the pool, and finish (the old one removed from both)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-renewal-dialog-steps"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-pool-script.h"
#include "tb-renewal-dialog-private.h"
#include "tb-sign-in.h"

static void run_next_edit (TbRenewalDialog *self);

static void
on_edit_applied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbChange) change = tb_graph_client_apply_edit_finish (TB_GRAPH_CLIENT (source),
                                                                  result, &error);

  if (change == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  if (tb_change_had_loss (change))
    {
      g_autofree char *names = g_strjoinv (", ", change->restored);
      g_autofree char *text = g_strdup_printf (_("Another change to %s removed %s while this "
                                                 "one was written; it has been put back."),
                                               change->target, names);

      _tb_renewal_dialog_set_message (self, text);
    }
  run_next_edit (self);
}

static void stage_on_pool (TbRenewalDialog *self);
static void cleanup_pool (TbRenewalDialog *self);

static void
run_next_edit (TbRenewalDialog *self)
{
  if (self->next < self->edits->len)
    {
      tb_graph_client_apply_edit_async (tb_context_get_graph_client (self->context),
                                        g_ptr_array_index (self->edits, self->next++),
                                        self->cancellable, on_edit_applied,
                                        g_object_ref (self));
      return;
    }
  if (self->job == JOB_FINISH)
    cleanup_pool (self);
  else
    {
      self->job = JOB_NONE;
      if (self->message == NULL || *self->message == '\0')
        _tb_renewal_dialog_set_message (self, _("Microsoft 365 holds the new certificate; the "
                                                 "current one was kept."));
      _tb_renewal_dialog_reread (self);
    }
}

static void
start_edits (TbRenewalDialog *self,
             GPtrArray       *edits)
{
  g_clear_pointer (&self->edits, g_ptr_array_unref);
  self->edits = g_ptr_array_ref (edits);
  self->next = 0;
  run_next_edit (self);
}

static void
on_write_access (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edits = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  if (self->job == JOB_UPLOAD)
    edits = tb_renewal_upload_edits (self->renewal, &error);
  else
    {
      g_auto(GStrv) skipped = NULL;

      edits = tb_renewal_cleanup_edits (self->renewal, &skipped);
      if (skipped != NULL && skipped[0] != NULL)
        {
          g_autofree char *text = g_strjoinv ("\n", skipped);

          _tb_renewal_dialog_set_message (self, text);
        }
    }
  if (edits == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  start_edits (self, edits);
}

static void
upload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (widget);

  self->job = JOB_UPLOAD;
  _tb_renewal_dialog_set_message (self, NULL);
  _tb_renewal_dialog_set_busy (self, TRUE);
  _tb_renewal_dialog_update (self);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_WRITE,
                                  _("Uploading the new certificate changes the service "
                                    "principals."),
                                  self->cancellable, on_write_access, g_object_ref (self));
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (widget);

  self->job = JOB_FINISH;
  _tb_renewal_dialog_set_message (self, NULL);
  _tb_renewal_dialog_set_busy (self, TRUE);
  _tb_renewal_dialog_update (self);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_WRITE,
                                  _("Removing the old certificate changes the service "
                                    "principals."),
                                  self->cancellable, on_write_access, g_object_ref (self));
}

static void
on_script_ran (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) ran = tb_winrm_shell_run_finish (TB_WINRM_SHELL (source), result,
                                                            &error);

  if (ran == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  if (tb_winrm_result_get_exit_code (ran) != 0 || *tb_winrm_result_get_error_text (ran) != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("The renewal script failed on the Front End: "
                                                 "%s"), tb_winrm_result_get_error_text (ran));

      self->job = JOB_NONE;
      _tb_renewal_dialog_set_busy (self, FALSE);
      _tb_renewal_dialog_set_message (self, text);
      _tb_renewal_dialog_update (self);
      return;
    }
  _tb_renewal_dialog_set_message (self, self->job == JOB_STAGE
                                  ? _("Staged on the pool. Come back after the effective date "
                                      "to finish.")
                                  : _("The old certificate is gone from both halves."));
  self->job = JOB_NONE;
  _tb_renewal_dialog_reread (self);
}

static void
on_script_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbRenewalDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->job = JOB_NONE;
  _tb_renewal_dialog_set_busy (self, FALSE);
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    _tb_renewal_dialog_set_message (self, error->message);
  else
    _tb_renewal_dialog_set_message (self, _("Script saved. Run it in the Skype for Business "
                                             "Server Management Shell on a Front End, then open "
                                             "the trust-bridge-state.json it writes on the pool "
                                             "page."));
  _tb_renewal_dialog_update (self);
}

/* A renewal script waiting for the file to save it in. */
typedef struct
{
  TbRenewalDialog *self;
  char            *script;
} ScriptSave;

static void
script_save_free (gpointer  data,
                  GClosure *closure)
{
  ScriptSave *save = data;

  g_object_unref (save->self);
  g_free (save->script);
  g_free (save);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  ScriptSave      *save)
{
  TbRenewalDialog *self = save->self;
  const char *script = save->script;
  g_autoptr(GFile) file = NULL;
  GBytes *bytes;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      self->job = JOB_NONE;
      _tb_renewal_dialog_set_busy (self, FALSE);
      _tb_renewal_dialog_update (self);
      g_object_unref (chooser);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  bytes = g_bytes_new (script, strlen (script));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_script_saved, g_object_ref (self));
  g_bytes_unref (bytes);
  g_object_unref (chooser);
}

/* Live through the pool page's connection, else saved as a script for the Front End. */
static void
run_or_export (TbRenewalDialog   *self,
               TbPoolRenewAction  action,
               const char        *thumbprint,
               GDateTime         *effective)
{
  g_autoptr(GError) error = NULL;
  char *script = tb_pool_script_new_renew (action, thumbprint, effective, FALSE,
                                           self->client != NULL ? TB_POOL_SCRIPT_FORM_TRANSPORT
                                                                : TB_POOL_SCRIPT_FORM_EXPORT,
                                           &error);
  GtkFileChooserNative *chooser;
  ScriptSave *save;

  if (script == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  if (self->client != NULL)
    {
      tb_winrm_shell_run_async (tb_pool_client_get_shell (self->client),
                                TB_WINRM_COMMAND_POWERSHELL, script, 0, self->cancellable,
                                on_script_ran, g_object_ref (self));
      g_free (script);
      return;
    }
  chooser = gtk_file_chooser_native_new (_("Save Renewal Script"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     action == TB_POOL_RENEW_STAGE ? "renew-stage.ps1"
                                                                   : "renew-cleanup.ps1");
  save = g_new0 (ScriptSave, 1);
  save->self = g_object_ref (self);
  save->script = script;
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_save_response), save,
                         script_save_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
stage_on_pool (TbRenewalDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) wanted = NULL;
  g_autoptr(GDateTime) effective = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));

  wanted = tb_pool_script_parse_effective_date (text, &error);
  if (wanted != NULL)
    effective = tb_renewal_choose_effective_date (self->renewal, wanted, now, &error);
  if (effective == NULL)
    {
      _tb_renewal_dialog_fail (self, error);
      return;
    }
  run_or_export (self, TB_POOL_RENEW_STAGE,
                 tb_renewal_get_new_certificate (self->renewal)->thumbprint, effective);
}

static void
cleanup_pool (TbRenewalDialog *self)
{
  const TbPoolCertificate *old = tb_renewal_get_old_certificate (self->renewal);

  if (!tb_renewal_pool_has_previous (self->renewal) || old == NULL)
    {
      self->job = JOB_NONE;
      _tb_renewal_dialog_reread (self);
      return;
    }
  run_or_export (self, TB_POOL_RENEW_CLEANUP, old->thumbprint, NULL);
}

static void
stage_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TbRenewalDialog *self = TB_RENEWAL_DIALOG (widget);

  self->job = JOB_STAGE;
  _tb_renewal_dialog_set_message (self, NULL);
  _tb_renewal_dialog_set_busy (self, TRUE);
  _tb_renewal_dialog_update (self);
  stage_on_pool (self);
}

/* The steps, which the dialog's step buttons name; the dialog enables each from its state. */
void
_tb_renewal_dialog_class_install_steps (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "renewal.upload", NULL, upload_action);
  gtk_widget_class_install_action (widget_class, "renewal.stage", NULL, stage_action);
  gtk_widget_class_install_action (widget_class, "renewal.finish", NULL, finish_action);
}
