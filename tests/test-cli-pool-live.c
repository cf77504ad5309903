/* test-cli-pool-live.c: trust-bridge-cli pool status / pool apply over WinRM, as admins and
 * scripts use them: against --demo, and against a simulated Front End this test holds
 *
 * The CLI runs as a child process while this process's main loop serves the simulator.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-pool-state.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-util.h"

#define USER "labadmin"
#define PASSWORD "Pool-P@ss w0rd;'\""
#define TENANT "7a3f5e2d-1b4c-4d8e-9f60-0a1b2c3d4e5f"
/* The tenant the demo pool's microsoft.sts already points at. */
#define DEMO_POOL_TENANT "0b3c9d1e-7a44-4c5e-9f1a-2d6e8b7c5a10"

/* trust-bridge-cli as this test runs it. */
static TbTestCli *cli;

/* The CLI with @password in TRUST_BRIDGE_PASSWORD (NULL: unset). */
static TbTestCli *
with_password (const char *password)
{
  tb_test_cli_setenv (cli, "TRUST_BRIDGE_PASSWORD", password);
  return cli;
}

/* "ok" of the check @item in a report: 1, 0, or -1 for null. */
static int
check_ok (JsonObject *report,
          const char *item)
{
  JsonArray *checks = json_object_get_array_member (report, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "item"), item))
        {
          JsonNode *ok = json_object_get_member (check, "ok");

          g_assert_nonnull (json_object_get_string_member (check, "detail"));
          return JSON_NODE_HOLDS_NULL (ok) ? -1 : json_node_get_boolean (ok);
        }
    }
  g_assert_not_reached ();
  return -1;
}

static JsonArray *
changes_of (JsonObject *object)
{
  g_assert_cmpuint (json_object_get_size (object), ==, 1);
  return json_object_get_array_member (object, "changes");
}

static void
test_help (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (with_password (NULL), &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "pool status --host FQDN"));
  g_assert_nonnull (strstr (r.out, "pool apply --host FQDN"));
  g_assert_nonnull (strstr (r.out, "--demo"));
  g_assert_nonnull (strstr (r.out, "\"item\""));
  tb_test_run_clear (&r);
}

static void
test_demo (void)
{
  TbTestRun r = { 0 };

  /* Status of the misconfigured demo pool: the state document plus checks. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "status", "--host",
                   "pool.contoso.com", "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  {
    g_autoptr(JsonObject) report = tb_test_parse_object (r.out);

    g_assert_cmpint (json_object_get_int_member (report, "schema"), ==, 2);
    g_assert_cmpint (check_ok (report, TB_POOL_CHECK_OAUTH_SERVER), ==, 0);
    g_assert_cmpint (check_ok (report, TB_POOL_CHECK_PARTNER_APPLICATION), ==, 1);
    g_assert_cmpint (check_ok (report, TB_POOL_CHECK_OAUTH_SERVICE_NAME), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report,
                                                                                   "server"),
                                                    "fqdn"), ==, "fe01.contoso.local");
  }
  g_assert_nonnull (strstr (r.err, "pool.contoso.com"));
  tb_test_run_clear (&r);

  /* Human output names each check with its status. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "status", "--host",
                   "pool.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "FAILED   oauth-server"));
  g_assert_nonnull (strstr (r.out, "ok       partner-application"));
  tb_test_run_clear (&r);

  /* Apply for a tenant: one change; each run starts a fresh demo Front End. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "apply", "--host",
                   "pool.contoso.com", "--tenant", TENANT, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) object = tb_test_parse_object (r.out);
    JsonArray *changes = changes_of (object);
    JsonObject *change;

    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    change = json_array_get_object_element (changes, 0);
    g_assert_cmpstr (json_object_get_string_member (change, "item"), ==, "oauth-server");
    g_assert_cmpstr (json_object_get_string_member (change, "action"), ==, "update");
    g_assert_nonnull (strstr (json_object_get_string_member (change, "detail"), TENANT));
    g_assert_false (json_object_has_member (change, "app_id"));
  }
  tb_test_run_clear (&r);

  /* Without --tenant the demo's own tenant is used. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "apply", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) object = tb_test_parse_object (r.out);

    g_assert_cmpuint (json_array_get_length (changes_of (object)), ==, 1);
  }
  tb_test_run_clear (&r);

  /* A pool already right for the tenant: nothing to change, exit 0. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "apply", "--host",
                   "pool.contoso.com", "--tenant", DEMO_POOL_TENANT, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) object = tb_test_parse_object (r.out);

    g_assert_cmpuint (json_array_get_length (changes_of (object)), ==, 0);
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "apply", "--tenant", TENANT,
                   "--dry-run", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) object = tb_test_parse_object (r.out);

    g_assert_cmpuint (json_array_get_length (changes_of (object)), ==, 1);
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "apply", "--tenant", TENANT,
                   "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "dry run"));
  g_assert_nonnull (strstr (r.out, "update   oauth-server"));
  tb_test_run_clear (&r);

  /* The demo supplies the connection: other connection options are refused. */
  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "status", "--user", "x", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--host"));
  tb_test_run_clear (&r);
}

/* Days until the pool's OAuth certificate expires, from `pool status --json`. */
static int
oauth_certificate_days_left (JsonObject *report)
{
  JsonObject *cert = json_object_get_object_member (report, "oauthCertificate");
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (cert);
  not_after = g_date_time_new_from_iso8601 (json_object_get_string_member (cert, "notAfter"),
                                            NULL);
  g_assert_nonnull (not_after);
  return (int) (g_date_time_difference (not_after, now) / G_TIME_SPAN_DAY);
}

/* --demo-scenario=renewal-due: the demo pool whose OAuth certificate expires within the
 * warning threshold; the default scenario's does not; an unknown name is bad input. */
static void
test_demo_scenario (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (with_password (NULL), &r, "--demo-scenario=renewal-due", "pool", "status",
                   "--json", NULL);
  {
    g_autoptr(JsonObject) report = tb_test_parse_object (r.out);
    int days = oauth_certificate_days_left (report);

    g_assert_cmpint (days, >=, 0);
    g_assert_cmpint (days, <, 30);
    g_assert_cmpint (check_ok (report, TB_POOL_CHECK_OAUTH_CERTIFICATE), ==, 1);
    g_assert_nonnull (strstr (r.out, "expires in"));
  }
  tb_test_run_clear (&r);

  /* The renewal is all that scenario is about: the rest of its trust is whole, so the
   * renewal can be followed with the trust check green but for the certificate's expiry. */
  tb_test_cli_run (with_password (NULL), &r, "--demo-scenario=renewal-due", "trust", "check",
                   "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  {
    g_autoptr(JsonObject) report = tb_test_parse_object (r.out);
    JsonArray *checks = json_object_get_array_member (report, "checks");
    JsonObject *summary = json_object_get_object_member (report, "summary");

    for (guint i = 0; i < json_array_get_length (checks); i++)
      {
        JsonObject *check = json_array_get_object_element (checks, i);
        const char *id = json_object_get_string_member (check, "id");

        g_assert_cmpstr (json_object_get_string_member (check, "status"), ==,
                         g_str_equal (id, "pool-certificate") ? "warning" : "ok");
      }
    g_assert_cmpint (json_object_get_int_member (summary, "ok"), ==, 10);
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (NULL), &r, "--demo-scenario", "default", "pool", "status",
                   "--json", NULL);
  {
    g_autoptr(JsonObject) report = tb_test_parse_object (r.out);

    g_assert_cmpint (oauth_certificate_days_left (report), >, 30);
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (NULL), &r, "--demo-scenario=no-such-thing", "pool", "status",
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no-such-thing"));
  g_assert_nonnull (strstr (r.err, "renewal-due"));
  g_assert_cmpstr (r.out, ==, "");
  tb_test_run_clear (&r);
}

/* Each test case gets a Front End of its own, holding the demo pool. */
typedef TbTestWinrm Fixture;

static const TbTestWinrmSpec front_end = { USER, PASSWORD, TB_TEST_WINRM_POOL_DEMO };

#define CONNECT(f) "--host", "localhost", TB_TEST_WINRM_CLI_OPTIONS (f)

/* `pool apply --json` against the simulated Front End, which must exit 0: how many changes it
 * reports. */
static guint
apply_json (Fixture *f)
{
  g_auto(TbTestRun) r = { 0 };
  g_autoptr(JsonObject) object = NULL;

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  object = tb_test_parse_object (r.out);
  return json_array_get_length (changes_of (object));
}

static void
test_live (Fixture       *f,
           gconstpointer  data)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", CONNECT (f), "--tenant", TENANT,
                   "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  {
    g_autoptr(JsonObject) report = tb_test_parse_object (r.out);

    g_assert_cmpint (check_ok (report, TB_POOL_CHECK_OAUTH_SERVER), ==, 0);
  }
  g_assert_cmpstr (tb_sim_winrm_get_last_principal (f->sim), ==, USER);
  g_assert_null (strstr (r.out, PASSWORD));
  g_assert_null (strstr (r.err, PASSWORD));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   "--dry-run", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
  tb_test_run_clear (&r);

  g_assert_cmpuint (apply_json (f), ==, 1);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);

  /* Again, against the same Front End: no changes, exit 0. */
  g_assert_cmpuint (apply_json (f), ==, 0);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Nothing to change"));
  tb_test_run_clear (&r);

  /* Every check passes now. */
  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", CONNECT (f), "--tenant", TENANT,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "FAILED"));
  tb_test_run_clear (&r);
}

static void
test_password (Fixture       *f,
               gconstpointer  data)
{
  TbTestRun r = { 0 };

  /* No variable and no terminal: a clear error, and the server is never asked. */
  tb_test_cli_run (with_password (NULL), &r, "pool", "status", CONNECT (f), NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "TRUST_BRIDGE_PASSWORD"));
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
  g_assert_null (tb_sim_winrm_get_last_principal (f->sim));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password ("wrong"), &r, "pool", "status", CONNECT (f), NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "refused the user name or password"));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (""), &r, "pool", "status", CONNECT (f), NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "empty"));
  tb_test_run_clear (&r);
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  const char *fingerprint = tb_sim_winrm_get_fingerprint (f->sim);
  TbTestRun r = { 0 };

  /* Self-signed and no pin: refused, the fingerprint shown with what to do; never trusted. */
  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", "--host", "localhost", "--port",
                   f->port, "--auth", "basic", "--user", USER, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, fingerprint));
  g_assert_nonnull (strstr (r.err, "--tls-fingerprint"));
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", "--host", "localhost", "--port",
                   f->port, "--auth", "basic", "--user", USER, "--json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  {
    g_autoptr(JsonObject) object = tb_test_parse_object (r.out);

    g_assert_cmpstr (json_object_get_string_member (object, "fingerprint"), ==, fingerprint);
    g_assert_nonnull (json_object_get_string_member (object, "error"));
  }
  tb_test_run_clear (&r);

  /* A different pinned certificate: refused. */
  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", "--host", "localhost", "--port",
                   f->port, "--auth", "basic", "--user", USER, "--tls-fingerprint",
                   "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:"
                   "CC:DD:EE:FF", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, fingerprint));
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
  tb_test_run_clear (&r);
}

static void
test_double_hop (Fixture       *f,
                 gconstpointer  data)
{
  TbTestRun r = { 0 };

  tb_sim_winrm_set_double_hop (f->sim, TRUE);
  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", CONNECT (f), NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "double hop"));
  g_assert_nonnull (strstr (r.err, "pool script read"));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "double hop"));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
  tb_test_run_clear (&r);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const char *fingerprint = tb_sim_winrm_get_fingerprint (f->sim);
  TbTestRun r = { 0 };
  struct
  {
    const char *args[4];
    const char *message;
  } cases[] = {
    { { "--port", "70000", NULL }, "--port" },
    { { "--auth", "ntlm", NULL }, "ntlm" },
    { { "--tls-fingerprint", "abc", NULL }, "SHA-256" },
    { { "--tenant", "'; calc; '", NULL }, "GUID" },
    { { "--cloud", "mars", NULL }, "mars" },
    { { "extra", NULL }, "arguments" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", "--host", "localhost",
                       "--user", USER, "--auth", "basic", "--tls-fingerprint", fingerprint,
                       "--port", f->port, cases[i].args[0], cases[i].args[1], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      tb_test_run_clear (&r);
    }

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--host"));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--tenant"));
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant",
                   "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  /* Plain HTTP is refused. */
  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", "--host", "localhost", "--port",
                   "5985", "--auth", "basic", "--user", USER, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
}

/* With the system's proxy settings pointing at a proxy that is not there (the environment's,
 * which GIO's resolvers read outside a desktop session), the demo's Front End, on this
 * computer's loopback address that no proxy can reach, is still asked directly. */
static void
test_demo_proxy (void)
{
  const char *names[] = { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY" };
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *proxy = NULL;
  TbTestRun r = { 0 };

  /* A port bound but never listened on: a connection to it is refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  proxy = g_strdup_printf ("http://127.0.0.1:%u/",
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    tb_test_cli_setenv (cli, names[i], proxy);
  tb_test_cli_setenv (cli, "no_proxy", NULL);
  tb_test_cli_setenv (cli, "NO_PROXY", NULL);

  tb_test_cli_run (with_password (NULL), &r, "--demo", "pool", "status", "--host",
                   "pool.contoso.com", "--json", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    tb_test_cli_setenv (cli, names[i], NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "fe01.contoso.local"));
  tb_test_run_clear (&r);
}

/* A test cloud on this machine (an endpoints file or --acs-base naming a loopback ACS) sets up
 * a pool like the real one; plain http:// to anywhere else is refused before the Front End is
 * touched, since a metadata document read in the clear could name any realm. */
static void
test_loopback_acs (Fixture       *f,
                   gconstpointer  data)
{
  TbTestRun r;

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   "--acs-base", "http://acs.example.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "http://acs.example.com"));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "apply", CONNECT (f), "--tenant", TENANT,
                   "--acs-base", "http://127.0.0.1:8443/", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);
  tb_test_run_clear (&r);

  tb_test_cli_run (with_password (PASSWORD), &r, "pool", "status", CONNECT (f), "--tenant", TENANT,
                   "--acs-base", "http://127.0.0.1:8443", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "http://127.0.0.1:8443/" TENANT "/metadata/json/1"));
  tb_test_run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = tb_test_cli_new (NULL);

  g_test_add_func ("/cli-pool-live/help", test_help);
  g_test_add_func ("/cli-pool-live/demo", test_demo);
  g_test_add_func ("/cli-pool-live/demo-scenario", test_demo_scenario);
  g_test_add_func ("/cli-pool-live/demo-proxy", test_demo_proxy);
#define ADD(path, func) tb_test_add_winrm (path, &front_end, func)
  ADD ("/cli-pool-live/live", test_live);
  ADD ("/cli-pool-live/password", test_password);
  ADD ("/cli-pool-live/tls", test_tls);
  ADD ("/cli-pool-live/double-hop", test_double_hop);
  ADD ("/cli-pool-live/bad-input", test_bad_input);
  ADD ("/cli-pool-live/loopback-acs", test_loopback_acs);
#undef ADD

  status = g_test_run ();
  tb_test_cli_free (cli);
  return status;
}
