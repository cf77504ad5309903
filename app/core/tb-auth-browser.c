/* tb-auth-browser.c: signing in through the system browser — authorization code + PKCE, with
 * a one-shot listener on the loopback address for the redirect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-auth-browser"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-auth-private.h"
#include "tb-dl-soup.h"
#include "tb-oauth.h"
#include "tb-secret.h"

/* Authorization code + PKCE through the browser */

typedef struct
{
  TbAuthAccess  access;
  SoupServer   *server;
  char         *verifier;
  char         *state;
  char         *redirect_uri;
  GSource      *cancel_source;
  gboolean      got_reply;
} BrowserData;

static gboolean
on_disconnect_server (gpointer user_data);

static void
browser_data_free (BrowserData *bd)
{
  if (bd->server != NULL)
    {
      /* The handler's data is this task: nothing may reach it any more. */
      soup_server_remove_handler (bd->server, NULL);
      if (bd->got_reply)
        /* The browser may still be receiving its page; let it, briefly. */
        g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 5, on_disconnect_server,
                                    g_object_ref (bd->server), g_object_unref);
      else
        soup_server_disconnect (bd->server);
    }
  g_clear_object (&bd->server);
  tb_secret_clear (&bd->verifier);
  tb_secret_clear (&bd->state);
  g_free (bd->redirect_uri);
  if (bd->cancel_source != NULL)
    {
      g_source_destroy (bd->cancel_source);
      g_source_unref (bd->cancel_source);
    }
  g_free (bd);
}

static void
browser_stop_listening (BrowserData *bd)
{
  if (bd->cancel_source != NULL)
    {
      g_source_destroy (bd->cancel_source);
      g_clear_pointer (&bd->cancel_source, g_source_unref);
    }
}

static gboolean
on_disconnect_server (gpointer user_data)
{
  SoupServer *server = user_data;

  soup_server_disconnect (server);
  return G_SOURCE_REMOVE;
}

static void
on_reply_finished (SoupServerMessage *msg,
                   gpointer           user_data)
{
  SoupServer *server = user_data;

  /* The browser has its page: close the listener from a fresh main loop iteration, not from
   * inside the server's own callback. */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_disconnect_server, g_object_ref (server),
                   g_object_unref);
}

static void
answer_page (SoupServerMessage *msg,
             SoupServer        *server,
             gboolean           ok)
{
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                          "</head><body><h1>%s</h1><p>%s</p></body></html>",
                          "Trust Bridge",
                          ok ? _("Signed in") : _("Sign-in failed"),
                          ok ? _("You can close this window and return to Trust Bridge.")
                             : _("Return to Trust Bridge for details. You can close this "
                                 "window."));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_reply_finished), server, 0);
}

static void
on_browser_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  BrowserData *bd = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = _tb_auth_post_form_finish_ok (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (_tb_auth_accept_sign_in_reply (self, reply, bd->access, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
loopback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GTask *task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  BrowserData *bd = g_task_get_task_data (task);
  const char *code;
  const char *state;
  const char *oauth_error;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *uri = NULL;

  /* Favicons and the like: not ours. Only the redirect counts, and only once. */
  if (bd->got_reply || g_strcmp0 (path, "/") != 0
      || g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0
      || query == NULL
      || (!g_hash_table_contains (query, "code") && !g_hash_table_contains (query, "error")))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  bd->got_reply = TRUE;
  browser_stop_listening (bd);

  code = g_hash_table_lookup (query, "code");
  state = g_hash_table_lookup (query, "state");
  oauth_error = g_hash_table_lookup (query, "error");

  if (!tb_oauth_constant_time_equal (state, bd->state))
    {
      answer_page (msg, server, FALSE);
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_STATE_MISMATCH,
                               _("The browser returned from a different sign-in attempt. "
                                 "Sign in again."));
      g_object_unref (task);
      return;
    }

  if (oauth_error != NULL || code == NULL || *code == '\0')
    {
      g_autoptr(JsonObject) reply = json_object_new ();
      g_autoptr(GError) error = NULL;
      const char *description = g_hash_table_lookup (query, "error_description");

      json_object_set_string_member (reply, "error", oauth_error ? oauth_error : "invalid_request");
      if (description != NULL)
        json_object_set_string_member (reply, "error_description", description);
      answer_page (msg, server, FALSE);
      tb_oauth_set_error (reply, 400, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  answer_page (msg, server, TRUE);

  form = _tb_auth_new_form ();
  g_hash_table_insert (form, "grant_type", g_strdup ("authorization_code"));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "code", g_strdup (code));
  g_hash_table_insert (form, "redirect_uri", g_strdup (bd->redirect_uri));
  g_hash_table_insert (form, "code_verifier", g_strdup (bd->verifier));
  g_hash_table_insert (form, "scope", _tb_auth_scope_for (self, bd->access));
  uri = _tb_auth_endpoint_for (self, "token");

  _tb_auth_post_form_async (self, uri, form, g_task_get_cancellable (task), on_browser_token, task);
}

static gboolean
on_browser_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  BrowserData *bd = g_task_get_task_data (task);

  browser_stop_listening (bd);
  bd->got_reply = TRUE;
  soup_server_disconnect (bd->server);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

void
tb_auth_sign_in_browser_async (TbAuth              *self,
                               TbAuthAccess         access,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  BrowserData *bd;
  int port;

  g_return_if_fail (TB_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_auth_sign_in_browser_async);
  bd = g_new0 (BrowserData, 1);
  bd->access = access;
  g_task_set_task_data (task, bd, (GDestroyNotify) browser_data_free);

  /* 32 random bytes give the 43-character verifier RFC 7636 recommends. */
  bd->verifier = tb_oauth_random_base64url (32);
  bd->state = tb_oauth_random_base64url (16);
  challenge = tb_oauth_pkce_challenge (bd->verifier);

  bd->server = soup_server_new ("server-header", NULL, NULL);
  if (!soup_server_listen_local (bd->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                               _("Cannot listen on this computer for the browser’s answer: %s"),
                               error->message);
      return;
    }
  uris = soup_server_get_uris (bd->server);
  port = uris ? g_uri_get_port (uris->data) : -1;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (port <= 0)
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                               _("Cannot listen on this computer for the browser’s answer."));
      return;
    }

  /* Microsoft matches loopback redirect URIs without the port, so an ephemeral one works. */
  bd->redirect_uri = g_strdup_printf ("http://localhost:%d/", port);

  /* The listener holds a task reference until it is answered or cancelled. */
  soup_server_add_handler (bd->server, NULL, loopback_handler, g_object_ref (task), NULL);
  if (cancellable != NULL)
    {
      bd->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (bd->cancel_source, G_SOURCE_FUNC (on_browser_cancelled), task, NULL);
      g_source_attach (bd->cancel_source, g_task_get_context (task));
    }

  _tb_auth_forget_tenant_id (self);
  scope = _tb_auth_scope_for (self, access);
  query = soup_form_encode ("client_id", self->client_id,
                            "response_type", "code",
                            "redirect_uri", bd->redirect_uri,
                            "response_mode", "query",
                            "scope", scope,
                            "state", bd->state,
                            "code_challenge", challenge,
                            "code_challenge_method", "S256",
                            "prompt", "select_account",
                            NULL);
  authorize = _tb_auth_endpoint_for (self, "authorize");
  uri = g_strdup_printf ("%s?%s", authorize, query);

  _tb_auth_emit_open_uri (self, uri);
}

gboolean
tb_auth_sign_in_browser_finish (TbAuth        *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == tb_auth_sign_in_browser_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
