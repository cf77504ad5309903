/* tb-renewal-request.c: "Request from CA…": the script asking the enterprise CA for a new
 * OAuthTokenIssuer certificate, saved for the Front End's console
 *
 * The script is never run over WinRM: Request-CsCertificate talks to the CA, another server,
 * which a remote session cannot reach on the admin's behalf. Exported, it ends with the pool's
 * state, so the file it writes lists the new certificate among the renewal's candidates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-renewal-request"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tb-pool-script.h"
#include "tb-renewal-request.h"
#include "tb-renewal.h"
#include "tb-ui-util.h"

char *
tb_renewal_request_build_script (const char  *ca,
                                 const char  *domains,
                                 GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *friendly = g_strdup_printf ("TrustBridge-OAuthTokenIssuer-%s", date);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit_set (domains != NULL ? domains : "", ", ", -1);
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (ca != NULL, NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  names = g_strv_builder_end (builder);
  return tb_pool_script_new_request (ca, (const char * const *) names, friendly, FALSE,
                                     TB_POOL_SCRIPT_FORM_EXPORT, error);
}

/* The dialog's fields, for its handlers (freed with its "response" handler). */
typedef struct
{
  AdwMessageDialog *dialog;
  GtkWidget        *ca_row;
  GtkWidget        *domains_row;
  GtkWidget        *error_label;
} Rows;

static void
on_changed (Rows *rows)
{
  AdwMessageDialog *dialog = rows->dialog;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  const char *ca = gtk_editable_get_text (GTK_EDITABLE (rows->ca_row));
  const char *domains = gtk_editable_get_text (GTK_EDITABLE (rows->domains_row));

  script = tb_renewal_request_build_script (ca, domains, &error);
  adw_message_dialog_set_response_enabled (dialog, "save", script != NULL);
  /* Nothing typed yet is no mistake. */
  gtk_label_set_text (GTK_LABEL (rows->error_label),
                      error != NULL && ca[0] != '\0' ? error->message : "");
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      GtkWidget *alert = adw_message_dialog_new (parent, _("The Script Could Not Be Saved"),
                                                 error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (alert));
    }
}

/* @script: the request script, waiting for the file to save it in. */
static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  const char      *script)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GBytes) bytes = g_bytes_new (script, strlen (script));
      GtkWindow *parent = gtk_native_dialog_get_transient_for (chooser);

      if (file != NULL)
        g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                             G_FILE_CREATE_REPLACE_DESTINATION, NULL, on_saved,
                                             parent != NULL ? g_object_ref (parent) : NULL);
    }
  g_object_unref (chooser);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Rows             *rows)
{
  g_autofree char *script = NULL;
  GtkFileChooserNative *chooser;

  if (g_strcmp0 (response, "save") != 0)
    return;
  script = tb_renewal_request_build_script (
    gtk_editable_get_text (GTK_EDITABLE (rows->ca_row)),
    gtk_editable_get_text (GTK_EDITABLE (rows->domains_row)), NULL);
  if (script == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save Certificate Request Script"),
                                         gtk_window_get_transient_for (GTK_WINDOW (dialog)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "request-oauth-certificate.ps1");
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_save_response),
                         g_steal_pointer (&script), tb_closure_free_data, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

GtkWidget *
tb_renewal_request_present (GtkWindow   *parent,
                            TbPoolState *state)
{
  g_auto(GStrv) domains = NULL;
  g_autofree char *joined = NULL;
  GtkWidget *dialog, *box, *list;
  Rows *rows;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);

  domains = tb_renewal_dup_request_domains (state);
  joined = g_strjoinv (", ", domains);
  dialog = adw_message_dialog_new (parent, _("Request a New Certificate"),
                                   _("Trust Bridge writes a script that asks your enterprise "
                                     "certification authority for a new OAuthTokenIssuer "
                                     "certificate (Request-CsCertificate). Run it in the Skype "
                                     "for Business Server Management Shell at a Front End’s "
                                     "console, then open the trust-bridge-state.json it writes "
                                     "on the pool page: the new certificate is then among the "
                                     "candidates."));
  rows = g_new0 (Rows, 1);
  rows->dialog = ADW_MESSAGE_DIALOG (dialog);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  rows->ca_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->ca_row),
                                 _("Certification authority (server\\CA name)"));
  gtk_list_box_append (GTK_LIST_BOX (list), rows->ca_row);
  rows->domains_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->domains_row),
                                 _("Domain names (the pool’s SIP domain)"));
  gtk_editable_set_text (GTK_EDITABLE (rows->domains_row), joined);
  gtk_list_box_append (GTK_LIST_BOX (list), rows->domains_row);
  gtk_box_append (GTK_BOX (box), list);
  rows->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (rows->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (rows->error_label), 0);
  gtk_widget_add_css_class (rows->error_label, "error");
  gtk_box_append (GTK_BOX (box), rows->error_label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "save", _("_Save Script…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_swapped (rows->ca_row, "changed", G_CALLBACK (on_changed), rows);
  g_signal_connect_swapped (rows->domains_row, "changed", G_CALLBACK (on_changed), rows);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), rows,
                         tb_closure_free_data, 0);
  on_changed (rows);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
