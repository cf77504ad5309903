/* test-demo-start.c: the demo's simulators started on a thread of their own
 *
 * The app announces the demo at start-up (tb_demo_prepare) and starts its simulators after the
 * first frame (tb_demo_start_async). Checked here: demo is on from the announcement and
 * nothing is served until the start; once started, the tenant and the demo Front End answer
 * while the main thread only iterates its own main context, so they are served elsewhere; a
 * context dropped while they run stops them; a page that needs them earlier waits through the
 * context alone (tb_context_start_demo); the scenarios.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-context.h"
#include "tb-demo-private.h"
#include "tb-pool-client.h"
#include "tb-pool-connection-private.h"
#include "tb-tenant.h"
#include "tb-test-util.h"

/* The demo tenant's own domain resolves against the demo cloud. */
static void
assert_tenant_answers (TbContext *context)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbTenant) tenant = NULL;
  g_autoptr(GError) error = NULL;

  tb_tenant_resolve_async (tb_context_get_cloud (context), tb_context_get_session (context),
                           tb_context_get_tenant (context), NULL, tb_test_store_result, &result);
  tenant = tb_tenant_resolve_finish (tb_test_wait_for (&result, "the tenant lookup"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_tenant_get_id (tenant), ==,
                   tb_sim_get_tenant_id (tb_test_get_sim (context)));
}

static void
test_prepare_then_async (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolClient) client = NULL;
  g_autoptr(GAsyncResult) status_result = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(TbPoolConnection) demo_connection = NULL;
  const char *host = NULL, *user = NULL, *password = NULL, *fingerprint = NULL;
  guint port = 0;

  TbDemo *demo;

  demo = tb_test_prepare_demo (context);
  g_assert_true (tb_context_get_demo (context));
  g_assert_true (tb_context_get_demo_pending (context));
  g_assert_null (tb_test_get_sim (context));
  g_assert_false (tb_context_get_demo_pool (context, NULL, NULL, NULL, NULL, NULL));
  /* Nothing to prefill a connection form with, and asking starts nothing. */
  g_assert_null (tb_pool_connection_dup_demo (context));
  g_assert_true (tb_context_get_demo_pending (context));
  /* Demo is on, so the tenant is not the production one; but nothing answers yet. */
  g_assert_cmpstr (tb_context_get_tenant (context), ==, "organizations");

  tb_demo_start_async (demo, NULL, tb_test_store_result, &result);
  g_assert_true (tb_demo_start_finish (demo, tb_test_wait_for (&result, "the demo start"),
                                       &error));
  g_assert_no_error (error);
  g_assert_false (tb_context_get_demo_pending (context));
  g_assert_nonnull (tb_test_get_sim (context));
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (context)), ==, "demo");
  g_assert_cmpstr (tb_context_get_tenant (context), ==,
                   tb_sim_get_domains (tb_test_get_sim (context))[0]);
  assert_tenant_answers (context);

  g_assert_true (tb_context_get_demo_pool (context, &host, &port, &user, &password,
                                           &fingerprint));
  /* The pool connection the GUI's form is prefilled from names the same Front End. */
  demo_connection = tb_pool_connection_dup_demo (context);
  g_assert_nonnull (demo_connection);
  g_assert_cmpstr (tb_pool_connection_get_host (demo_connection), ==, host);
  g_assert_cmpuint (tb_pool_connection_get_port (demo_connection), ==, port);
  g_assert_cmpint (tb_pool_connection_get_auth (demo_connection), ==, TB_WINRM_AUTH_BASIC);
  g_assert_cmpstr (tb_pool_connection_get_user (demo_connection), ==, user);
  g_assert_cmpstr (tb_pool_connection_get_password (demo_connection), ==, password);
  g_assert_cmpstr (tb_pool_connection_get_pin (demo_connection), ==, fingerprint);
  g_assert_true (tb_pool_connection_get_demo (demo_connection));

  client = tb_pool_client_new (host, port, TB_WINRM_AUTH_BASIC, user, password, fingerprint);
  tb_pool_client_status_async (client, NULL, tb_test_store_result, &status_result);
  state = tb_pool_client_status_finish (client,
                                        tb_test_wait_for (&status_result, "the pool status"),
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (state);
}

/* A page needed before the simulators answer waits for them (tb_context_start_demo); the
 * asynchronous start asked for earlier still completes. */
static void
test_prepare_then_sync (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  TbDemo *demo = tb_test_prepare_demo (context);

  tb_demo_start_async (demo, NULL, tb_test_store_result, &result);
  g_assert_true (tb_context_start_demo (context, &error));
  g_assert_no_error (error);
  g_assert_false (tb_context_get_demo_pending (context));
  assert_tenant_answers (context);
  g_assert_true (tb_demo_start_finish (demo, tb_test_wait_for (&result, "the demo start"),
                                       &error));
  g_assert_no_error (error);
}

static gboolean
on_proxy_incoming (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  guint *count = user_data;

  (*count)++;
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* With the system's proxy settings pointing at a proxy (here the environment's, which GIO's
 * resolvers read outside a desktop session): the demo's tenant, on this computer's loopback
 * address that no proxy can reach, is asked directly; a real cloud still goes through the
 * proxy. Run in a child process, whose proxy resolver sees these settings from the start. */
static void
test_proxy (void)
{
  g_autoptr(GSocketService) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy_url = NULL;
  guint connections = 0;
  guint16 port;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  proxy = g_socket_service_new ();
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (proxy), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (proxy, "incoming", G_CALLBACK (on_proxy_incoming), &connections);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  for (guint i = 0; i < 4; i++)
    g_setenv ((const char *[]) { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY" }[i],
              proxy_url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

  {
    g_autoptr(TbContext) context = tb_context_new ();

    tb_test_prepare_demo (context);
    g_assert_true (tb_test_start_demo (context, &error));
    g_assert_no_error (error);
    assert_tenant_answers (context);
    g_assert_cmpuint (connections, ==, 0);
  }
  {
    g_autoptr(TbContext) context = tb_context_new ();
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TbTenant) tenant = NULL;

    g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (context)), ==, "global");
    tb_tenant_resolve_async (tb_context_get_cloud (context), tb_context_get_session (context),
                             "contoso.com", cancellable, tb_test_store_result, &result);
    while (connections == 0 && result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (connections, >, 0);
    g_cancellable_cancel (cancellable);
    tenant = tb_tenant_resolve_finish (tb_test_wait_for (&result, "the cancelled lookup"), NULL);
    g_assert_null (tenant);
  }
  g_socket_service_stop (proxy);
}

/* Dropping the context stops the simulators on their thread: the port stops answering. */
static void
test_dispose_stops (void)
{
  TbContext *context = tb_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  guint port;

  tb_test_prepare_demo (context);
  g_assert_true (tb_test_start_demo (context, &error));
  port = tb_sim_winrm_get_port (tb_test_get_sim_winrm (context));
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&connection);

  g_object_unref (context);
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* Announced but never started (the window closed before its first frame): nothing runs and
 * nothing is left behind. */
static void
test_prepare_only (void)
{
  TbContext *context = tb_context_new ();

  tb_test_prepare_demo (context);
  g_assert_true (tb_context_get_demo_pending (context));
  g_assert_false (tb_context_get_demo_pool (context, NULL, NULL, NULL, NULL, NULL));
  g_object_unref (context);
}

/* Without a demo the context says so instead of starting anything. */
static void
test_no_demo (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tb_context_start_demo (context, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_false (tb_context_get_demo (context));
}

/* An unknown scenario is refused by name and leaves the context as it was. */
static void
test_unknown_scenario (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GError) error = NULL;

  g_assert_null (tb_demo_attach (context, "no-such-scenario", &error));
  g_assert_error (error, TB_DEMO_ERROR, TB_DEMO_ERROR_UNKNOWN_SCENARIO);
  g_assert_nonnull (strstr (error->message, "renewal-due"));
  g_assert_null (tb_demo_get_for_context (context));
  g_assert_false (tb_context_get_demo (context));
}

/* The pool's OAuth certificate of each scenario, as a client reads it from the Front End. */
static TbPoolState *
read_demo_pool (const char *scenario)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *host = NULL, *user = NULL, *password = NULL, *fingerprint = NULL;
  guint port = 0;
  TbDemo *demo = tb_demo_attach (context, scenario, &error);
  TbPoolState *state;

  g_assert_no_error (error);
  g_assert_cmpstr (tb_demo_get_scenario (demo), ==, scenario ? scenario : "default");
  g_assert_true (tb_demo_start (demo, &error));
  g_assert_no_error (error);
  g_assert_true (tb_context_get_demo_pool (context, &host, &port, &user, &password,
                                           &fingerprint));
  client = tb_pool_client_new (host, port, TB_WINRM_AUTH_BASIC, user, password, fingerprint);
  tb_pool_client_status_async (client, NULL, tb_test_store_result, &result);
  state = tb_pool_client_status_finish (client, tb_test_wait_for (&result, "the pool status"),
                                        &error);
  g_assert_no_error (error);
  return state;
}

static void
test_scenarios (void)
{
  g_autoptr(TbPoolState) standard = read_demo_pool (NULL);
  g_autoptr(TbPoolState) due = read_demo_pool ("renewal-due");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, TB_SIM_WINRM_RENEWAL_DUE_DAYS + 1);
  const TbPoolCertificate *due_cert = NULL, *standard_cert = NULL;

  g_assert_cmpint (tb_pool_state_get_oauth_certificate (due, &due_cert), ==, TB_POOL_PRESENT);
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (standard, &standard_cert), ==,
                   TB_POOL_PRESENT);
  g_assert_cmpint (g_date_time_compare (due_cert->not_after, now), >, 0);
  g_assert_cmpint (g_date_time_compare (due_cert->not_after, soon), <, 0);
  g_assert_cmpint (g_date_time_compare (standard_cert->not_after, soon), >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-start/prepare-then-async", test_prepare_then_async);
  g_test_add_func ("/demo-start/prepare-then-sync", test_prepare_then_sync);
  g_test_add_func ("/demo-start/dispose-stops", test_dispose_stops);
  g_test_add_func ("/demo-start/prepare-only", test_prepare_only);
  g_test_add_func ("/demo-start/no-demo", test_no_demo);
  g_test_add_func ("/demo-start/unknown-scenario", test_unknown_scenario);
  g_test_add_func ("/demo-start/scenarios", test_scenarios);
  g_test_add_func ("/demo-start/proxy", test_proxy);

  return g_test_run ();
}
