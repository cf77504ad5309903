/* test-cli-trust.c: trust-bridge-cli trust check and trust establish across both halves
 *
 * The test holds a simulated tenant and hands the CLI its endpoints (--endpoints), so several
 * runs see the same tenant: broken, established from a state file, reviewed, all ok. The
 * Prometheus output is read back with a real parser of the format (python3-prometheus-client).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-sim-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

typedef struct
{
  TbSim         *sim;
  char          *endpoints;
  TbTestCli     *cli;
  char          *state_path;
  TbCertificate *cert;
  TbCertificate *older;
} Fixture;

static TbCertificate *
make_cert (const char *cn,
           gint64      not_after)
{
  TbTestCertSpec spec = { .common_name = cn, .rsa_bits = 2048, .not_after = not_after,
                          .serial = g_random_int () };

  return tb_test_cert_new (&spec);
}

/* The state file the read script brings back from a pool that is set up for this tenant. */
static void
write_state (Fixture    *fx,
             const char *tenant_id)
{
  g_autofree char *raw = tb_certificate_dup_base64 (fx->cert);
  g_autofree char *json = g_strdup_printf (
    "{\"schema\": 1, \"server\": {\"fqdn\": \"fe01.contoso.com\"},"
    " \"oauthServers\": [{\"identity\": \"microsoft.sts\","
    "   \"metadataUrl\": \"%s/%s/metadata/json/1\"}],"
    " \"partnerApplications\": [{\"identity\": \"microsoft.exchange\","
    "   \"applicationIdentifier\": \"" EXO "\", \"applicationTrustLevel\": \"Full\","
    "   \"useOAuthServer\": true, \"enabled\": true}],"
    " \"oauthConfiguration\": {\"serviceName\": \"" SKYPE "\"},"
    " \"webServices\": [{\"poolFqdn\": \"pool.contoso.com\","
    "   \"externalFqdn\": \"webext.contoso.com\"}],"
    " \"oauthCertificate\": {\"thumbprint\": \"%s\", \"rawData\": \"%s\"}, \"errors\": []}",
    tb_sim_get_acs_base (fx->sim), tenant_id, tb_certificate_get_sha1 (fx->cert), raw);

  g_free (fx->state_path);
  fx->state_path = tb_test_write_file ("trust-bridge-state.json", json, strlen (json));
}

/* The cloud already holds a credential for the pool's previous certificate. */
static void
add_old_credential (Fixture *fx)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
  JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");
  JsonObject *kc = json_object_new ();
  g_autofree char *b64 = tb_certificate_dup_base64 (fx->older);
  g_autofree char *end = tb_format_iso8601_utc (tb_certificate_get_not_after (fx->older));

  json_object_set_string_member (kc, "keyId", "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f");
  json_object_set_string_member (kc, "type", "AsymmetricX509Cert");
  json_object_set_string_member (kc, "usage", "Verify");
  json_object_set_string_member (kc, "key", b64);
  json_object_set_string_member (kc, "displayName", "CN=oauth-2024.contoso.com");
  json_object_set_string_member (kc, "endDateTime", end);
  json_object_set_string_member (kc, "customKeyIdentifier", tb_certificate_get_sha1 (fx->older));
  json_array_add_object_element (keys, kc);
  tb_sim_put_service_principal (fx->sim, sp);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fx->sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);

  fx->cert = make_cert ("oauth-2026.contoso.com", now + 700 * 86400);
  fx->older = make_cert ("oauth-2024.contoso.com", now + 60 * 86400);
  write_state (fx, tb_sim_get_tenant_id (fx->sim));
  add_old_credential (fx);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
  g_remove (fx->state_path);
  g_free (fx->state_path);
  g_clear_object (&fx->cert);
  g_clear_object (&fx->older);
}

static const char *
status_of (JsonObject *report,
           const char *id)
{
  JsonArray *checks = json_object_get_array_member (report, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "id"), id))
        return json_object_get_string_member (check, "status");
    }
  g_error ("no check %s", id);
  return NULL;
}

/* Broken, one click from the state file, the admin's review, all ok: the same tenant
 * throughout, as the exit statuses tell a script. */
static void
test_round_trip (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) broken = NULL;
  g_autoptr(JsonObject) established = NULL;
  g_autoptr(JsonObject) green = NULL;
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state", fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  broken = tb_test_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (broken, "tenant_id"), ==,
                   tb_sim_get_tenant_id (fx->sim));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (broken, "pool"),
                                                  "source"), ==, "state-file");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (broken, "pool"),
                                                  "server"), ==, "fe01.contoso.com");
  g_assert_cmpstr (status_of (broken, "tenant-realm"), ==, "ok");
  g_assert_cmpstr (status_of (broken, "sfb-credential"), ==, "failed");
  g_assert_cmpstr (status_of (broken, "spns"), ==, "failed");
  g_assert_cmpstr (status_of (broken, "unexplained-credentials"), ==, "warning");
  tb_test_run_clear (&r);

  /* One click from the state file: the Microsoft 365 half applied, the pool half pending. */
  /* Opted in to the Exchange Online upload: the check below then finds it there. */
  tb_test_cli_run (fx->cli, &r, "trust", "establish", "--pool-state", fx->state_path,
                   "--include-exchange", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Pool half pending"));
  g_assert_nonnull (strstr (r.out, "pool script apply --tenant"));
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state", fx->state_path, NULL);
  established = tb_test_parse_object (r.out);
  g_assert_cmpstr (status_of (established, "sfb-credential"), ==, "ok");
  g_assert_cmpstr (status_of (established, "exchange-credential"), ==, "ok");
  g_assert_cmpstr (status_of (established, "exchange-enabled"), ==, "ok");
  g_assert_cmpstr (status_of (established, "spns"), ==, "ok");
  /* The old credential was kept: only the admin removes it. */
  g_assert_cmpstr (status_of (established, "unexplained-credentials"), ==, "warning");
  g_assert_cmpint (r.status, ==, 1);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "credentials", "remove", "--from", SKYPE, "--key-id",
                   "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", NULL);
  g_assert_cmpint (r.status, ==, 0);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state", fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  green = tb_test_parse_object (r.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (green, "summary"),
                                               "ok"), ==, 11);
  tb_test_run_clear (&r);

  /* Text for people, grouped by half. */
  tb_test_cli_run (fx->cli, &r, "trust", "check", "--pool-state", fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "On-premises pool"));
  g_assert_nonnull (strstr (r.out, "Microsoft 365"));
  g_assert_nonnull (strstr (r.out, "11 ok, 0 warning, 0 failed, 0 unknown"));
  tb_test_run_clear (&r);
}

/* 2: bad input, or something that could not be read; the JSON still comes, with unknown. */
static void
test_exit_errors (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) report = NULL;
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state",
                   "/nonexistent/state.json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent/state.json"));
  report = tb_test_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "pool"),
                                                  "source"), ==, "none");
  g_assert_cmpstr (status_of (report, "oauth-server"), ==, "unknown");
  /* The tenant half was still read. */
  g_assert_cmpstr (status_of (report, "exchange-enabled"), !=, "unknown");
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--format", "xml", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--pool-host", "fe01.contoso.com", "--pool-state",
                   fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "establish", "--pool-state", fx->state_path, "--cert",
                   fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  /* A connection option without the host it belongs to is refused, not ignored, by both
   * commands, before anything is read or written. */
  for (guint i = 0; i < 2; i++)
    {
      guint writes = tb_sim_get_write_count (fx->sim);

      if (i == 0)
        tb_test_cli_run (fx->cli, &r, "trust", "check", "--pool-state", fx->state_path,
                         "--port", "5986", NULL);
      else
        tb_test_cli_run (fx->cli, &r, "trust", "establish", "--cert", "oauth.cer", "--fqdn",
                         "webext.contoso.com", "--user", "CONTOSO\\admin", NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, "go with --pool-host"));
      g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
      tb_test_run_clear (&r);
    }
}

/* The Prometheus text read back by the Prometheus client library's own parser; the values
 * agree with --json. */
static void
test_prometheus (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *path = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "read-prometheus.py", NULL);
  g_autofree char *parsed_out = NULL;
  g_autofree char *parsed_err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) parsed = NULL;
  JsonArray *checks;
  int wait_status = 0;
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--json", "--pool-state", fx->state_path, NULL);
  report = tb_test_parse_object (r.out);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "trust", "check", "--format", "prometheus", "--pool-state",
                   fx->state_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  path = tb_test_write_file ("trust.prom", r.out, strlen (r.out));
  tb_test_run_clear (&r);

  g_assert_true (g_spawn_sync (NULL, (char *[]) { "/usr/bin/python3", script, path, NULL },
                               NULL, G_SPAWN_DEFAULT, NULL, NULL, &parsed_out, &parsed_err,
                               &wait_status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("read-prometheus.py: %s", parsed_err);
  parsed = tb_test_parse_object (parsed_out);

  checks = json_object_get_array_member (report, "checks");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      const char *id = json_object_get_string_member (check, "id");
      const char *status = json_object_get_string_member (check, "status");
      const char *codes[] = { "ok", "warning", "failed", "unknown" };
      JsonObject *statuses = json_object_get_object_member (parsed, "status");

      g_assert_true (json_object_has_member (statuses, id));
      g_assert_cmpstr (codes[json_object_get_int_member (statuses, id)], ==, status);
    }
  /* The pool's certificate, with its expiry in seconds since the epoch. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (parsed, "expiry"),
                                               tb_certificate_get_sha1 (fx->cert)), ==,
                   g_date_time_to_unix (tb_certificate_get_not_after (fx->cert)));
  g_assert_cmpstr (json_object_get_string_member (parsed, "tenant"), ==,
                   tb_sim_get_tenant_id (fx->sim));
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli-trust/round-trip", test_round_trip);
  ADD ("/cli-trust/exit-errors", test_exit_errors);
  ADD ("/cli-trust/prometheus", test_prometheus);
#undef ADD
  return g_test_run ();
}
