/* fuzz-common.c: the loopback server and main-loop helpers the fuzz targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>

#include "fuzz.h"

/* GLib stops on a fatal message with a breakpoint trap, which libFuzzer does not take for a
 * crash (no input saved): turn it into an abort, which it does. */
static void
on_trap (int signum)
{
  abort ();
}

void
tb_fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, on_trap);
  /* libsecret must fail at once instead of starting a bus. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/trust-bridge-fuzz", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("TB_DEBUG");
}

void
tb_fuzz_check_refusal (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

void
tb_fuzz_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

GAsyncResult *
tb_fuzz_wait (GAsyncResult **result,
              GCancellable  *cancellable,
              guint          timeout_ms)
{
  guint timeout = g_timeout_add (timeout_ms, cancel_cb, cancellable);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (timeout);

  return *result;
}

static SoupServer *server;
static char *server_base;
static TbFuzzHandler server_handler;
static gpointer server_handler_data;
static guint server_requests;

static void
server_cb (SoupServer        *srv,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  guint status = SOUP_STATUS_NOT_FOUND;
  g_autoptr(GBytes) body = NULL;

  server_requests++;
  if (server_handler != NULL)
    server_handler (soup_server_message_get_method (msg), path, &status, &body,
                    server_handler_data);

  soup_server_message_set_status (msg, status, NULL);
  /* One connection a request: libsoup 3.2's server leaves the sockets of connections the
   * client dropped in CLOSE_WAIT, which at thousands of inputs a second uses up the file
   * descriptors. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  if (body != NULL)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, size);
    }
}

static void
server_start (void)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  if (server != NULL)
    return;

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen on loopback: %s", error->message);

  uris = soup_server_get_uris (server);
  server_base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

const char *
tb_fuzz_server_base (void)
{
  server_start ();
  return server_base;
}

void
tb_fuzz_server_set_handler (TbFuzzHandler handler,
                            gpointer      user_data)
{
  server_start ();
  server_handler = handler;
  server_handler_data = user_data;
}

guint
tb_fuzz_server_requests (void)
{
  return server_requests;
}

/* A signed-in Graph client */

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-graph-client.h"
#include "tb-http.h"

static GBytes *graph_reply;
static guint graph_status = SOUP_STATUS_OK;

static void
graph_handler (const char  *method,
               const char  *path,
               guint       *status,
               GBytes     **body,
               gpointer     user_data)
{
  const char *base = tb_fuzz_server_base ();

  if (g_str_has_suffix (path, "/oauth2/v2.0/devicecode"))
    {
      g_autofree char *text = g_strdup_printf (
        "{\"device_code\":\"DC\",\"user_code\":\"UC\",\"verification_uri\":\"%s/devicelogin\","
        "\"expires_in\":900,\"interval\":1}", base);

      *status = SOUP_STATUS_OK;
      *body = g_bytes_new (text, strlen (text));
    }
  else if (g_str_has_suffix (path, "/oauth2/v2.0/token"))
    {
      g_autofree char *text = g_strdup_printf (
        "{\"token_type\":\"Bearer\",\"access_token\":\"AT\",\"refresh_token\":\"RT\","
        "\"expires_in\":86400,\"scope\":\"%s/graph/Application.ReadWrite.All\"}", base);

      *status = SOUP_STATUS_OK;
      *body = g_bytes_new (text, strlen (text));
    }
  else
    {
      *status = graph_status;
      *body = graph_reply != NULL ? g_bytes_ref (graph_reply) : NULL;
    }
}

static void
ignore_prompt (const TbDeviceCodePrompt *prompt,
               gpointer                  user_data)
{
}

TbGraphClient *
tb_fuzz_graph_client (void)
{
  static TbGraphClient *client;
  g_autoptr(TbCloud) cloud = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  g_autofree char *graph = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  if (client != NULL)
    return client;

  tb_fuzz_server_set_handler (graph_handler, NULL);
  login = g_strdup_printf ("%s/login", tb_fuzz_server_base ());
  graph = g_strdup_printf ("%s/graph", tb_fuzz_server_base ());
  cloud = tb_cloud_new ("fuzz", login, graph, login, &error);
  g_assert_no_error (error);

  session = tb_http_session_new ();
  auth = tb_auth_new (cloud, session, NULL, "0a9300c9-134a-4bb3-8930-cf5362ecf125");
  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_WRITE, ignore_prompt, NULL,
                                     cancellable, tb_fuzz_store_result, &result);
  tb_fuzz_wait (&result, cancellable, 30000);
  if (!tb_auth_sign_in_device_code_finish (auth, result, &error))
    g_error ("Fuzz sign-in failed: %s", error->message);

  client = tb_graph_client_new (cloud, auth, session);
  return client;
}

void
tb_fuzz_graph_set_reply (guint         status,
                         const guint8 *data,
                         gsize         size)
{
  g_clear_pointer (&graph_reply, g_bytes_unref);
  graph_reply = g_bytes_new (data, size);
  graph_status = status;
  tb_fuzz_server_set_handler (graph_handler, NULL);
}
