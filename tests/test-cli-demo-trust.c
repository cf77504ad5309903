/* test-cli-demo-trust.c: the demo's broken trust, and the one click that makes it green
 *
 * The trust check shows each of the demo's three faults once (the pool's metadata URL names
 * another tenant, Skype for Business Online holds only the pool's earlier certificate, one
 * external web services FQDN is not an SPN) and nothing else. With the built-in demo, trust
 * establish over WinRM fixes both halves without the opt-in Exchange Online upload and its
 * check is all ok. With the demo services held by this test (several CLI runs see the same
 * tenant), the state-file round trip makes the Microsoft 365 half, leaves the pool half
 * pending, and a second run writes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-certificate.h"
#include "tb-pool-script.h"
#include "tb-sim-private.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

#define USER "demo-admin"
#define PASSWORD "Demo-P@ss w0rd"

typedef struct
{
  TbSim      *sim;
  TbTestWinrm pool;         /* the Front End */
  char       *endpoints;
  TbTestCli  *cli;
} Fixture;

static const TbTestWinrmSpec front_end = { USER, PASSWORD, TB_TEST_WINRM_POOL_DEMO };

#define CONNECT(f) "--pool-host", "localhost", TB_TEST_WINRM_CLI_OPTIONS (&(f)->pool)

static JsonObject *
check_of (JsonObject *report,
          const char *id)
{
  JsonArray *checks = json_object_get_array_member (report, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "id"), id))
        return check;
    }
  g_error ("no check %s", id);
  return NULL;
}

/* The ids of the checks with @status, in report order, joined with spaces. */
static char *
ids_with (JsonObject *report,
          const char *status)
{
  JsonArray *checks = json_object_get_array_member (report, "checks");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "status"), status))
        g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "",
                                json_object_get_string_member (check, "id"));
    }
  return g_string_free (s, FALSE);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);
  tb_test_cli_setenv (fx->cli, "TRUST_BRIDGE_PASSWORD", PASSWORD);
  tb_test_winrm_setup (&fx->pool, &front_end);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_test_winrm_teardown (&fx->pool, &front_end);
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
}

/* The three faults, each once, and every other check ok. @same_process: the demo services
 * are this process's, whose earlier pool certificates the detail can be compared with. */
static void
assert_demo_broken (JsonObject *report,
                    gboolean    same_process)
{
  g_autofree char *failed = ids_with (report, "failed");
  g_autofree char *warnings = ids_with (report, "warning");
  g_autofree char *unknown = ids_with (report, "unknown");
  const TbSimDemoCertificate *earlier = tb_sim_demo_pool_history (0);
  g_autoptr(TbCertificate) earlier_cert = tb_certificate_new_from_der (earlier->der, NULL);
  const char *detail;

  g_assert_cmpstr (failed, ==, "tenant-realm sfb-credential spns");
  g_assert_cmpstr (warnings, ==, "");
  g_assert_cmpstr (unknown, ==, "");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "summary"),
                                               "ok"), ==, 8);

  /* Each says what is wrong, in the seam between the halves. */
  detail = json_object_get_string_member (check_of (report, "tenant-realm"), "detail");
  g_assert_nonnull (strstr (detail, "names another tenant"));
  detail = json_object_get_string_member (check_of (report, "sfb-credential"), "detail");
  g_assert_nonnull (strstr (detail, "only its earlier certificate"));
  if (same_process)
    g_assert_nonnull (strstr (detail, tb_certificate_get_sha1 (earlier_cert)));
  detail = json_object_get_string_member (check_of (report, "spns"), "detail");
  g_assert_nonnull (strstr (detail, SKYPE "/webext02.contoso.com"));
  g_assert_null (strstr (detail, SKYPE "/webext.contoso.com"));
  /* The opt-in Exchange Online upload not made is no fault. */
  g_assert_nonnull (strstr (json_object_get_string_member (check_of (report,
                                                                     "exchange-credential"),
                                                           "detail"), "optional"));
}

/* Against the demo services this test holds: the broken trust, then the script round trip
 * (the Front End's apply script is for a real ACS over https, so the pool half of these
 * services is carried by a state file): the Microsoft 365 half made, the pool half pending,
 * and a second run changes nothing. */
static void
test_state_file (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) broken = NULL;
  g_autoptr(JsonObject) pending = NULL;
  g_autoptr(JsonObject) exo = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *failed = NULL;
  guint writes;
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", CONNECT (fx), NULL);
  g_assert_cmpint (r.status, ==, 1);
  broken = tb_test_parse_object (r.out);
  assert_demo_broken (broken, TRUE);
  tb_test_run_clear (&r);

  /* What the read script prints at the Front End's console, saved as an admin brings it back. */
  {
    g_autofree char *script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
    g_autofree char *out = NULL;
    int exit_code = -1;

    out = tb_sim_winrm_run_at_console (fx->pool.sim, script, &exit_code);
    g_assert_cmpint (exit_code, ==, 0);
    state_path = tb_test_write_file ("demo-state.txt", out, strlen (out));
  }

  /* One click from the state file; the Exchange Online upload is left out. */
  tb_test_cli_run (fx->cli, &r, "trust", "establish", "--pool-state", state_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "Left out"));
  g_assert_nonnull (strstr (r.out, "Pool half pending"));
  tb_test_run_clear (&r);
  exo = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (exo, "keyCredentials")),
                    ==, 0);

  /* The Microsoft 365 half is green; the pool still names another tenant until the apply
   * script has run and its state comes back. */
  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state", state_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  pending = tb_test_parse_object (r.out);
  failed = ids_with (pending, "failed");
  g_assert_cmpstr (failed, ==, "tenant-realm");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (pending, "summary"),
                                               "ok"), ==, 10);
  tb_test_run_clear (&r);

  /* Again: nothing to do, nothing written; in JSON, the pool half is pending. */
  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "--json", "trust", "establish", "--pool-state", state_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) both = tb_test_parse_object (r.out);
    JsonObject *pool = json_object_get_object_member (both, "pool");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (both, "changes")),
                      >, 0);
    g_assert_cmpstr (json_object_get_string_member (pool, "source"), ==, "state-file");
    g_assert_true (json_object_get_boolean_member (pool, "pending"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pool, "changes")),
                      ==, 0);
    g_assert_false (json_object_has_member (both, "trust"));
  }
  tb_test_run_clear (&r);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  g_remove (state_path);
}

/* The built-in demo (--demo, its own services in the CLI's process): the same broken trust,
 * and one run of trust establish over WinRM makes both halves green, checked after reading
 * both again. */
static void
test_builtin_demo (void)
{
  g_autoptr(TbTestCli) demo = tb_test_cli_new (NULL);
  g_autoptr(JsonObject) report = NULL;
  TbTestRun r;

  tb_test_cli_add_args (demo, "--demo", NULL);
  tb_test_cli_setenv (demo, "TRUST_BRIDGE_PASSWORD", PASSWORD);

  tb_test_cli_run (demo, &r, "trust", "check", "--json", NULL);
  g_assert_cmpint (r.status, ==, 1);
  report = tb_test_parse_object (r.out);
  assert_demo_broken (report, FALSE);
  tb_test_run_clear (&r);

  tb_test_cli_run (demo, &r, "trust", "establish", "--pool-host", "fe01.contoso.local", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "Left out"));
  /* The pool half: microsoft.sts pointed at this tenant. */
  g_assert_nonnull (strstr (r.out, "oauth-server"));
  g_assert_nonnull (strstr (r.out, "11 ok, 0 warning, 0 failed, 0 unknown"));
  tb_test_run_clear (&r);

  /* The same with --json: one document for both halves, the pool's changes and the trust
   * check read again after them. */
  tb_test_cli_run (demo, &r, "--json", "trust", "establish", "--pool-host", "fe01.contoso.local",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonObject) both = tb_test_parse_object (r.out);
    JsonObject *pool = json_object_get_object_member (both, "pool");
    JsonArray *pool_changes = json_object_get_array_member (pool, "changes");
    JsonObject *trust = json_object_get_object_member (both, "trust");
    gboolean oauth_server = FALSE;

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (both, "changes")),
                      >, 0);
    g_assert_cmpstr (json_object_get_string_member (pool, "source"), ==, "demo");
    g_assert_cmpstr (json_object_get_string_member (pool, "server"), ==, "fe01.contoso.local");
    g_assert_false (json_object_get_boolean_member (pool, "pending"));
    for (guint i = 0; i < json_array_get_length (pool_changes); i++)
      oauth_server = oauth_server ||
                     g_str_equal (json_object_get_string_member (
                                    json_array_get_object_element (pool_changes, i), "item"),
                                  "oauth-server");
    g_assert_true (oauth_server);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (trust, "summary"),
                                                 "ok"), ==, 11);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (trust, "summary"),
                                                 "failed"), ==, 0);
  }
  tb_test_run_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-demo-trust/state-file", Fixture, NULL, fixture_setup, test_state_file,
              fixture_teardown);
  g_test_add_func ("/cli-demo-trust/builtin", test_builtin_demo);
  return g_test_run ();
}
