/* tb-principal-write.c: one change to a service principal, from preview to read-back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principal-write"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-principal-detail.h"
#include "tb-principal-write.h"
#include "tb-sign-in.h"
#include "tb-ui-util.h"
#include "tb-wide-dialog.h"

struct _TbPrincipalWrite
{
  TbPrincipalEdit            *edit;
  GtkWidget                  *parent;
  TbContext                  *context;
  GCancellable               *cancellable;
  const TbPrincipalWriteHost *host;
  gpointer                    host_data;

  char                       *reason;
  char                       *done_toast;
  char                       *confirm_heading;   /* NULL: apply without asking */
  char                       *confirm_body;
  char                       *confirm_label;
  gboolean                    destructive;
  gboolean                    preview;           /* add certificate: show the merge first */
  char                       *warning;           /* shown first in the preview, or NULL */
  char                       *notice;            /* the target's notice, last in the preview */
  gboolean                    busy;              /* talking to Graph (never while a dialog waits) */
  TbServicePrincipal         *approved;          /* what the confirmed dialog showed, or NULL */
};

TbPrincipalWrite *
tb_principal_write_new (TbPrincipalEdit *edit)
{
  TbPrincipalWrite *write = g_new0 (TbPrincipalWrite, 1);

  write->edit = edit;
  return write;
}

static void
write_set_busy (TbPrincipalWrite *write,
                gboolean          busy)
{
  if (write->busy != busy)
    {
      write->busy = busy;
      if (write->host != NULL)
        write->host->set_busy (write->host_data, busy);
    }
}

void
tb_principal_write_free (TbPrincipalWrite *write)
{
  if (write == NULL)
    return;
  write_set_busy (write, FALSE);
  g_clear_object (&write->edit);
  g_clear_object (&write->parent);
  g_clear_object (&write->context);
  g_clear_object (&write->cancellable);
  g_clear_object (&write->approved);
  g_free (write->reason);
  g_free (write->done_toast);
  g_free (write->confirm_heading);
  g_free (write->confirm_body);
  g_free (write->confirm_label);
  g_free (write->warning);
  g_free (write->notice);
  g_free (write);
}

TbPrincipalEdit *
tb_principal_write_get_edit (TbPrincipalWrite *write)
{
  return write->edit;
}

void
tb_principal_write_set_reason (TbPrincipalWrite *write,
                               const char       *reason)
{
  g_free (write->reason);
  write->reason = g_strdup (reason);
}

void
tb_principal_write_set_done (TbPrincipalWrite *write,
                             const char       *toast)
{
  g_free (write->done_toast);
  write->done_toast = g_strdup (toast);
}

void
tb_principal_write_set_confirm (TbPrincipalWrite *write,
                                const char       *heading,
                                const char       *body,
                                const char       *label,
                                gboolean          destructive)
{
  g_free (write->confirm_heading);
  g_free (write->confirm_body);
  g_free (write->confirm_label);
  write->confirm_heading = g_strdup (heading);
  write->confirm_body = g_strdup (body);
  write->confirm_label = g_strdup (label);
  write->destructive = destructive;
}

void
tb_principal_write_set_preview (TbPrincipalWrite *write,
                                const char       *warning,
                                const char       *notice)
{
  write->preview = TRUE;
  g_free (write->warning);
  g_free (write->notice);
  write->warning = g_strdup (warning);
  write->notice = g_strdup (notice);
}

static const char *
app_id (TbPrincipalWrite *write)
{
  return tb_principal_edit_get_app_id (write->edit);
}

static void
finish (TbPrincipalWrite       *write,
        TbPrincipalWriteResult  result,
        const GError           *error)
{
  write_set_busy (write, FALSE);
  write->host->finished (write->host_data, write, result, error);
  tb_principal_write_free (write);
}

static void
write_failed (TbPrincipalWrite *write,
              const GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish (write, TB_PRINCIPAL_WRITE_CANCELLED, NULL);
  else
    finish (write, TB_PRINCIPAL_WRITE_FAILED, error);
}

static void confirm (TbPrincipalWrite *write, const char *body);

static char *
preview_body (TbPrincipalWrite   *write,
              TbServicePrincipal *principal)
{
  TbCertificate *cert = tb_principal_edit_get_certificate (write->edit);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GPtrArray *kept = principal != NULL ? tb_service_principal_get_key_credentials (principal) : NULL;
  GString *body = g_string_new (NULL);
  g_autofree char *until = tb_format_local (tb_certificate_get_not_after (cert));

  if (write->warning != NULL)
    g_string_append_printf (body, "%s\n\n", write->warning);

  g_string_append_printf (body, _("Added: %s (thumbprint %s), valid until %s."),
                          tb_certificate_get_display_name (cert), tb_certificate_get_sha1 (cert),
                          until);
  g_string_append (body, "\n\n");
  if (kept == NULL || kept->len == 0)
    g_string_append (body, _("Kept: nothing — the principal has no credentials yet."));
  else
    {
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Kept unchanged: %u credential",
                                           "Kept unchanged: %u credentials",
                                           kept->len),
                              kept->len);
      for (guint i = 0; i < kept->len; i++)
        {
          TbKeyCredential *credential = g_ptr_array_index (kept, i);
          g_autofree char *title = tb_key_credential_dup_title (credential);
          g_autofree char *dates = tb_principal_detail_format_dates (credential, now);

          g_string_append_printf (body, "\n• %s — %s", title, dates);
        }
    }
  if (write->notice != NULL)
    g_string_append_printf (body, "\n\n%s", write->notice);

  return g_string_free (body, FALSE);
}

/* Another writer removed entries while the change was written; they were put back. An error
 * the admin cannot miss, naming each entry: a toast would vanish, the page is re-read. */
static void
show_loss (TbPrincipalWrite *write,
           const TbChange   *change)
{
  g_autofree char *entries = g_strjoinv ("\n• ", change->restored);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("While this change was written, another change to %s removed:\n• %s\n\n"
                            "Trust Bridge put it back and checked it. Find out who else changes "
                            "this service principal: the next change of theirs may remove it "
                            "again."),
                          write->host->get_name (write->host_data, change->target), entries);
  dialog = tb_wide_message_dialog_new (write->parent, _("Another Change Removed Entries"), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report_done (TbPrincipalWrite *write,
             TbChange         *change)
{
  const char *done = tb_change_is_none (change) ? _("Nothing to change: already in place")
                                                : write->done_toast;

  if (tb_change_had_loss (change))
    show_loss (write, change);
  else if (change->retries > 0)
    {
      g_autofree char *toast = g_strdup_printf (_("%s (after a retry: Microsoft Graph was briefly "
                                                  "unreachable)"),
                                                done);

      tb_widget_show_toast (write->parent, toast);
    }
  else
    tb_widget_show_toast (write->parent, done);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TbPrincipalWrite *write = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbServicePrincipal) current = NULL;
  g_autoptr(TbChange) change = NULL;

  if (write->approved != NULL)
    change = tb_graph_client_apply_approved_edit_finish (TB_GRAPH_CLIENT (source), result,
                                                         &current, &error);
  else
    change = tb_graph_client_apply_edit_finish (TB_GRAPH_CLIENT (source), result, &error);

  if (change == NULL && g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_CHANGED) &&
      current != NULL)
    {
      g_autofree char *shown = NULL;
      g_autofree char *body = NULL;

      /* Someone else changed what the admin approved: nothing was written. They see the
       * change as it would be now and decide again. */
      write_set_busy (write, FALSE);
      g_set_object (&write->approved, current);
      shown = write->preview ? preview_body (write, current) : g_strdup (write->confirm_body);
      body = g_strdup_printf ("%s\n\n%s", error->message, shown);
      confirm (write, body);
      return;
    }
  if (change == NULL)
    {
      write_failed (write, error);
      return;
    }

  report_done (write, change);
  finish (write, TB_PRINCIPAL_WRITE_APPLIED, NULL);
}

static void
apply_write (TbPrincipalWrite *write)
{
  TbGraphClient *graph = tb_context_get_graph_client (write->context);

  write_set_busy (write, TRUE);
  /* A confirmed change goes only if the principal still is what the dialog showed. */
  if (write->approved != NULL)
    tb_graph_client_apply_approved_edit_async (graph, write->edit, write->approved,
                                               write->cancellable, on_applied, write);
  else
    tb_graph_client_apply_edit_async (graph, write->edit, write->cancellable, on_applied, write);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     TbPrincipalWrite *write)
{
  /* One answer per dialog, whatever closes it afterwards. */
  g_signal_handlers_disconnect_by_func (dialog, on_confirm_response, write);
  if (!g_str_equal (response, "confirm"))
    {
      finish (write, TB_PRINCIPAL_WRITE_DECLINED, NULL);
      return;
    }
  apply_write (write);
}

static void
confirm (TbPrincipalWrite *write,
         const char       *body)
{
  GtkWidget *dialog = tb_wide_message_dialog_new (write->parent, write->confirm_heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", write->confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              write->destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                                 : ADW_RESPONSE_SUGGESTED);
  /* A destructive answer is never the default: Enter must not remove anything. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           write->destructive ? "cancel" : "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), write);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_previewed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TbPrincipalWrite *write = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbChange) change = tb_graph_client_preview_edit_finish (TB_GRAPH_CLIENT (source),
                                                                    result, &error);
  g_autofree char *body = NULL;

  write_set_busy (write, FALSE);
  if (change == NULL)
    {
      write_failed (write, error);
      return;
    }

  if (tb_change_is_none (change))
    {
      tb_widget_show_toast (write->parent, _("The certificate is already there: nothing to add"));
      finish (write, TB_PRINCIPAL_WRITE_DECLINED, NULL);
      return;
    }

  g_set_object (&write->approved, write->host->get_principal (write->host_data, app_id (write)));
  body = preview_body (write, write->approved);
  confirm (write, body);
}

static void
on_access (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TbPrincipalWrite *write = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      write_failed (write, error);
      return;
    }

  if (write->preview)
    {
      write_set_busy (write, TRUE);
      tb_graph_client_preview_edit_async (tb_context_get_graph_client (write->context),
                                          write->edit, write->cancellable, on_previewed, write);
    }
  else if (write->confirm_heading != NULL)
    {
      g_set_object (&write->approved,
                    write->host->get_principal (write->host_data, app_id (write)));
      confirm (write, write->confirm_body);
    }
  else
    apply_write (write);
}

void
tb_principal_write_start (TbPrincipalWrite           *write,
                          GtkWidget                  *parent,
                          TbContext                  *context,
                          const TbPrincipalWriteHost *host,
                          gpointer                    host_data,
                          GCancellable               *cancellable)
{
  g_return_if_fail (write != NULL && write->edit != NULL);
  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (TB_IS_CONTEXT (context));

  write->parent = g_object_ref (parent);
  write->context = g_object_ref (context);
  write->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  write->host = host;
  write->host_data = host_data;
  tb_sign_in_ensure_access_async (parent, tb_context_get_auth (context), TB_AUTH_ACCESS_WRITE,
                                  write->reason, write->cancellable, on_access, write);
}
