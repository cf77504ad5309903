/* tb-pool-page-connection.c: the On-premises Pool page's live read over WinRM
 *
 * What the admin typed is validated, pinned and, for Basic, given its password (typed or
 * remembered) by TbPoolConnection, the same unit trust-bridge-cli uses; this file asks for
 * what is missing and shows the result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-page-connection"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-format.h"
#include "tb-pool-client.h"
#include "tb-pool-connection.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script.h"
#include "tb-tenant.h"
#include "tb-ui-util.h"
#include "tb-winrm-shell.h"

/* Live over WinRM ---------------------------------------------------------------------------- */

/* One live read. The connection (the core's, shared with trust-bridge-cli) holds the host,
 * the pin and the Basic password, which it wipes when freed. */
typedef struct
{
  TbPoolPage       *self;
  TbPoolConnection *connection;
  TbPoolClient     *client;
  gboolean          remember;
} LiveData;

static void
live_data_free (LiveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->client);
  g_clear_pointer (&data->connection, tb_pool_connection_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiveData, live_data_free)

/* The certificate the admin is asked about, for the dialog's answer. */
typedef struct
{
  TbPoolPage *self;          /* weak: the page may go while the dialog is open */
  char       *host;
  guint       port;
  char       *fingerprint;
} TrustPrompt;

static void
trust_prompt_free (gpointer  data,
                   GClosure *closure)
{
  TrustPrompt *prompt = data;

  g_clear_weak_pointer (&prompt->self);
  g_free (prompt->host);
  g_free (prompt->fingerprint);
  g_free (prompt);
}

static void
on_trust_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TrustPrompt      *prompt)
{
  TbContext *context;

  if (prompt->self == NULL || !g_str_equal (response, "trust"))
    return;
  context = tb_page_get_context (TB_PAGE (prompt->self));
  if (context == NULL)
    return;
  tb_winrm_pins_remember (tb_context_get_winrm_pins (context), prompt->host, prompt->port,
                          prompt->fingerprint);
  _tb_pool_page_connect_live (prompt->self);
}

/* First contact with a certificate the system does not trust: show its fingerprint so the
 * admin can compare it with the one on the server (Get-ChildItem Cert:\LocalMachine\My). */
static void
ask_trust (TbPoolPage *self,
           const char *host,
           guint       port,
           const char *fingerprint)
{
  g_autoptr(GString) pairs = g_string_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  TrustPrompt *prompt;

  for (const char *p = fingerprint; *p != '\0'; p += 2)
    {
      if (pairs->len > 0)
        g_string_append_c (pairs, ':');
      g_string_append_len (pairs, p, p[1] != '\0' ? 2 : 1);
      if (p[1] == '\0')
        break;
    }

  body = g_strdup_printf (_("The system does not trust the certificate of %s. Trust it only if "
                            "this SHA-256 fingerprint is the one of the WinRM listener’s "
                            "certificate on that server:\n\n%s\n\nIt is remembered for this "
                            "host; a different certificate later is refused."),
                          host, pairs->str);
  dialog = adw_message_dialog_new (_tb_pool_page_parent_window (self),
                                   _("Trust This Certificate?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust This Certificate"),
                                    NULL);
  /* Trust is never the default: Enter must not accept an unknown certificate. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  prompt = g_new0 (TrustPrompt, 1);
  g_set_weak_pointer (&prompt->self, self);
  prompt->host = g_strdup (host);
  prompt->port = port;
  prompt->fingerprint = g_strdup (fingerprint);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_trust_response), prompt,
                         trust_prompt_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  TbPoolPage       *self;
  TbPoolConnection *connection;
  gboolean          remember;
} RememberData;

static void
on_password_remembered (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  RememberData *data = user_data;
  g_autoptr(GError) error = NULL;

  /* Not remembering is a small notice: the connection itself worked. */
  if (!tb_pool_connection_remember_password_finish (data->connection, result, &error) &&
      !_tb_pool_page_is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("The password was not remembered: %s"),
                                               error->message);

      if (data->remember)
        tb_widget_show_toast (GTK_WIDGET (data->self), text);
      else
        g_debug ("Clearing a WinRM password: %s", error->message);
    }
  g_object_unref (data->self);
  tb_pool_connection_free (data->connection);
  g_free (data);
}

/* An error from talking to the pool: a certificate to confirm, or the inline error group. */
static void
show_live_error (TbPoolPage   *self,
                 LiveData     *data,
                 const char   *action,
                 const GError *error)
{
  if (g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_UNTRUSTED) &&
      tb_winrm_error_get_fingerprint (error) != NULL)
    {
      ask_trust (self, tb_pool_connection_get_host (data->connection),
                 tb_pool_connection_get_port (data->connection),
                 tb_winrm_error_get_fingerprint (error));
      return;
    }
  _tb_pool_page_show_error (self, action, error, RETRY_CONNECT, NULL);
}

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LiveData) data = user_data;
  TbPoolPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) symptom = NULL;
  g_autoptr(TbPoolState) state = tb_pool_client_status_finish (data->client, result, &error);
  g_autofree char *action = NULL;
  g_autofree char *host = g_strdup (tb_pool_connection_get_display (data->connection));

  if (_tb_pool_page_is_cancelled (error))
    return;
  _tb_pool_page_set_busy (self, FALSE);

  /* Translators: %s is a server name */
  action = g_strdup_printf (_("The pool could not be read from %s"),
                            tb_pool_connection_get_display (data->connection));
  if (state == NULL)
    {
      show_live_error (self, data, action, error);
      return;
    }

  g_set_object (&self->client, data->client);
  {
    RememberData *remember = g_new0 (RememberData, 1);

    remember->self = g_object_ref (self);
    remember->connection = g_steal_pointer (&data->connection);
    remember->remember = data->remember;
    tb_pool_connection_remember_password_async (remember->connection, remember->remember,
                                                tb_page_get_cancellable (TB_PAGE (self)),
                                                on_password_remembered, remember);
  }

  /* What was read is shown even when cmdlets failed (the double hop); the error says why
   * items are unknown and offers the script round trip. */
  if (!tb_pool_client_diagnose (state, host, &symptom))
    _tb_pool_page_show_error (self, _("Some of the pool could not be read"), symptom,
                              RETRY_CONNECT, NULL);
  else
    _tb_pool_page_clear_error (self);
  _tb_pool_page_set_state (self, state, host);
}

static void
start_status (TbPoolPage *self,
              LiveData   *data)
{
  _tb_pool_page_set_busy (self, TRUE);
  tb_pool_client_status_async (data->client, tb_page_get_cancellable (TB_PAGE (self)), on_status,
                               data);
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LiveData *data = user_data;
  TbPoolPage *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean found = tb_pool_connection_lookup_password_finish (data->connection, result, &error);

  if (_tb_pool_page_is_cancelled (error))
    {
      live_data_free (data);
      return;
    }
  _tb_pool_page_set_busy (self, FALSE);
  if (!found)
    {
      live_data_free (data);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      tb_widget_show_toast (GTK_WIDGET (self), _("Type the password of the local account"));
      return;
    }

  /* Remembered: the switch says so, and the field stays empty (never shown). */
  gtk_switch_set_active (self->remember_switch, TRUE);
  data->remember = TRUE;
  data->client = tb_pool_connection_new_client (data->connection, NULL);
  start_status (self, data);
}

void
_tb_pool_page_connect_live (TbPoolPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  TbWinrmAuth auth = adw_combo_row_get_selected (self->auth_row) == TB_WINRM_AUTH_BASIC
                       ? TB_WINRM_AUTH_BASIC : TB_WINRM_AUTH_KERBEROS;
  guint port = 0;
  g_autoptr(TbPoolConnection) connection = NULL;
  LiveData *data;

  /* The WinRM client judges the name (an FQDN for Kerberos, any host name for Basic). */
  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row))));
  if (*host == '\0')
    return;
  if (!tb_pool_connection_parse_port (port_text, &port, &error))
    {
      _tb_pool_page_show_error (self, _("The port is not valid"), error, RETRY_NONE, NULL);
      return;
    }
  if (tb_page_get_context (TB_PAGE (self)) == NULL)
    return;
  /* Validation, the pin (confirmed before, or the demo's) and the demo wiring are the core's,
   * shared with trust-bridge-cli. */
  connection = tb_pool_connection_new (tb_page_get_context (TB_PAGE (self)), host, port,
                                       auth == TB_WINRM_AUTH_BASIC ? "basic" : "kerberos",
                                       auth == TB_WINRM_AUTH_BASIC ? user : NULL, NULL, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_NO_USER))
        {
          _tb_pool_page_show_error (self, _("The user is missing"), error, RETRY_NONE, NULL);
          gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
        }
      else
        _tb_pool_page_show_error (self, _("The connection is not valid"), error, RETRY_NONE, NULL);
      return;
    }

  _tb_pool_page_clear_error (self);
  data = g_new0 (LiveData, 1);
  data->self = g_object_ref (self);
  data->remember = gtk_switch_get_active (self->remember_switch);
  data->connection = g_steal_pointer (&connection);
  if (auth == TB_WINRM_AUTH_BASIC)
    {
      /* An empty field with a remembered password: look it up rather than ask. */
      if (*password == '\0')
        {
          _tb_pool_page_set_busy (self, TRUE);
          tb_pool_connection_lookup_password_async (data->connection,
                                                    tb_page_get_cancellable (TB_PAGE (self)),
                                                    on_password_found, data);
          return;
        }
      tb_pool_connection_set_password (data->connection, password);
    }
  data->client = tb_pool_connection_new_client (data->connection, NULL);
  start_status (self, data);
}

void
_tb_pool_page_connect (TbPoolPage *self)
{
  if (!tb_page_get_loading (TB_PAGE (self)) &&
      *gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row)) != '\0')
    _tb_pool_page_connect_live (self);
}

void
_tb_pool_page_prefill_demo_pool (TbPoolPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  g_autoptr(TbPoolConnection) demo = NULL;
  g_autofree char *port_text = NULL;

  /* The demo Front End as the core's pool connection describes it (the CLI's too). */
  if (context == NULL || (demo = tb_pool_connection_dup_demo (context)) == NULL)
    return;

  port_text = g_strdup_printf ("%u", tb_pool_connection_get_port (demo));
  gtk_editable_set_text (GTK_EDITABLE (self->fqdn_row), tb_pool_connection_get_host (demo));
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
  adw_combo_row_set_selected (self->auth_row, tb_pool_connection_get_auth (demo));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), tb_pool_connection_get_user (demo));
  /* Made at random for this run by the demo; the field never shows it. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row),
                         tb_pool_connection_get_password (demo));
}
