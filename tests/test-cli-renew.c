/* test-cli-renew.c: trust-bridge-cli trust renew across both halves, live over WinRM and by
 * state file, against a simulated tenant and Front End this test holds
 *
 * The renewal an admin does: the trust is in place with the pool's current certificate; the
 * new one is chosen from the Front End's store, uploaded to Microsoft 365, staged on the pool;
 * the Front End's clock passes the effective date; the old credential and the previous
 * certificate are removed. Each step is checked on the services, repeated to show it is safe
 * to repeat, and the steps out of order are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-pool-script-private.h"
#include "tb-pool-state.h"
#include "tb-sim-private.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

#define USER "labadmin"
#define PASSWORD "Renew-P@ss w0rd"

typedef struct
{
  TbSim      *sim;
  TbTestWinrm pool;         /* the Front End */
  char       *endpoints;
  TbTestCli  *cli;
  char       *current;     /* thumbprints */
  char       *candidate;
} Fixture;

static const TbTestWinrmSpec front_end = { USER, PASSWORD, TB_TEST_WINRM_POOL_DEMO_RENEWAL_DUE };

#define CONNECT(f) "--pool-host", "localhost", TB_TEST_WINRM_CLI_OPTIONS (&(f)->pool)

/* The pool as the read script shows it, run at the Front End's console. */
static TbPoolState *
console_read (Fixture *fx)
{
  g_autofree char *script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  TbPoolState *state;
  int exit_code = -1;

  out = tb_sim_winrm_run_at_console (fx->pool.sim, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  state = tb_pool_state_new_from_output (out, strlen (out), &error);
  g_assert_no_error (error);
  return state;
}

/* Writes what the read script printed at the console to a state file, as an admin saves it. */
static char *
save_console_read (Fixture    *fx,
                   const char *name)
{
  g_autofree char *script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *out = NULL;
  int exit_code = -1;

  out = tb_sim_winrm_run_at_console (fx->pool.sim, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  return tb_test_write_file (name, out, strlen (out));
}

static const char *
thumbprint_of_role (TbPoolState *state,
                    const char  *role)
{
  const TbPoolCertificate *c = tb_pool_state_find_oauth_certificate (state, role);

  return c != NULL ? c->thumbprint : NULL;
}

/* How many of @app_id's credentials hold the certificate with @thumbprint. */
static guint
cloud_count (Fixture    *fx,
             const char *app_id,
             const char *thumbprint)
{
  return tb_test_sim_count_thumbprint (fx->sim, app_id, thumbprint);
}

static guint
cloud_total (Fixture    *fx,
             const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, app_id);

  return json_array_get_length (json_object_get_array_member (sp, "keyCredentials"));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TbPoolState) state = NULL;
  const TbPoolCertificate *current;
  g_autofree guchar *der = NULL;
  g_autofree char *cert_path = NULL;
  gsize len = 0;
  TbTestRun r;

  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);
  tb_test_cli_setenv (fx->cli, "TRUST_BRIDGE_PASSWORD", PASSWORD);
  tb_test_winrm_setup (&fx->pool, &front_end);

  state = console_read (fx);
  current = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_CURRENT);
  g_assert_nonnull (current);
  fx->current = g_strdup (current->thumbprint);
  /* The store's one good candidate besides the current certificate. */
  for (guint i = 0; i < tb_pool_state_get_candidates (state)->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (tb_pool_state_get_candidates (state), i);

      if (g_ascii_strcasecmp (c->thumbprint, fx->current) != 0)
        {
          g_assert_null (fx->candidate);
          fx->candidate = g_strdup (c->thumbprint);
        }
    }
  g_assert_nonnull (fx->candidate);

  /* The trust as it stands: both principals hold the pool's current certificate. */
  der = g_base64_decode (current->raw_data, &len);
  cert_path = tb_test_write_file ("current.cer", der, len);
  tb_test_cli_run (fx->cli, &r, "credentials", "add", "--cert", cert_path, "--to", SKYPE "," EXO,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 1);
  g_assert_cmpuint (cloud_count (fx, EXO, fx->current), ==, 1);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_test_winrm_teardown (&fx->pool, &front_end);
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
  g_free (fx->current);
  g_free (fx->candidate);
}

/* "action" of each change, in order, joined with spaces. */
static char *
actions (JsonObject *result)
{
  JsonArray *changes = json_object_get_array_member (result, "changes");
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (changes,
                                                                                          i),
                                                           "action"));
  return g_string_free (s, FALSE);
}

/* Runs `--json trust renew` with the arguments up to NULL, which must exit 0, and returns its
 * result; with @expected, the actions of its changes must be those (as actions() joins them). */
static JsonObject *
renew_json (Fixture    *fx,
            const char *expected,
            const char *first,
            ...) G_GNUC_NULL_TERMINATED;

static JsonObject *
renew_json (Fixture    *fx,
            const char *expected,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(TbTestRun) r = { 0 };
  JsonObject *result;
  va_list ap;

  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, "trust");
  g_ptr_array_add (args, "renew");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  tb_test_cli_runv (fx->cli, &r, (const char * const *) args->pdata);
  g_assert_cmpint (r.status, ==, 0);
  result = tb_test_parse_object (r.out);
  if (expected != NULL)
    {
      g_autofree char *acts = actions (result);

      g_assert_cmpstr (acts, ==, expected);
    }
  return result;
}

/* Moves the Front End's clock past the staged certificate's effective date. */
static void
pass_effective_date (Fixture *fx)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);

  tb_sim_winrm_set_now (fx->pool.sim, later);
}

static void
test_live (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(TbPoolState) state = NULL;
  guint skype_total, writes;
  TbTestRun r;

  /* Nothing staged: nothing to finish, and a refusal is not a write. */
  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--finish", CONNECT (fx), "--new-thumbprint",
                   fx->candidate, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not staged"));
  tb_test_run_clear (&r);

  /* Bad input: exit 2, nothing written. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", CONNECT (fx), "--new-thumbprint", "12AB", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "40 hexadecimal"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", CONNECT (fx), "--new-thumbprint",
                   "00112233445566778899AABBCCDDEEFF00112233", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "Cert:\\LocalMachine\\My"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", CONNECT (fx), "--new-thumbprint", fx->candidate,
                   "--effective-date", "2020-01-01T00:00:00Z", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "24 hours"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", CONNECT (fx), "--new-thumbprint", fx->candidate,
                   "--effective-date", "tomorrow", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (fx->pool.sim), ==, 0);

  /* A dry run shows the upload and the stage, and changes neither half. */
  result = renew_json (fx, "add-credential add-credential stage", CONNECT (fx),
                       "--new-thumbprint", fx->candidate, "--dry-run", NULL);
  g_clear_pointer (&result, json_object_unref);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (fx->pool.sim), ==, 0);

  /* Steps 1–3: upload to both principals, keeping the current credential; then stage. */
  skype_total = cloud_total (fx, SKYPE);
  result = renew_json (fx, "add-credential add-credential stage", CONNECT (fx),
                       "--new-thumbprint", fx->candidate, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "staged-cloud-ready");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "phase_text"),
                            "Microsoft 365 ready"));
  g_clear_pointer (&result, json_object_unref);
  g_assert_cmpuint (cloud_total (fx, SKYPE), ==, skype_total + 1);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->candidate), ==, 1);
  g_assert_cmpuint (cloud_count (fx, EXO, fx->candidate), ==, 1);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 1);
  state = console_read (fx);
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_STAGED), ==, fx->candidate);
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_CURRENT), ==, fx->current);
  /* The effective date: at least 24 hours ahead. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GDateTime *effective = tb_pool_state_get_staged_effective_date (state);

    g_assert_nonnull (effective);
    g_assert_cmpint (g_date_time_difference (effective, now), >=, 24 * G_TIME_SPAN_HOUR);
  }
  g_clear_object (&state);

  /* Safe to repeat: nothing changes. */
  result = renew_json (fx, "none none none", CONNECT (fx), "--new-thumbprint", fx->candidate,
                       NULL);
  g_clear_pointer (&result, json_object_unref);
  g_assert_cmpuint (cloud_total (fx, SKYPE), ==, skype_total + 1);

  /* Step 4 before the switch is refused with the reason; the old key stays. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--finish", CONNECT (fx), NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "has not switched"));
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 1);

  /* The Front End passes the effective date: the new certificate is current. */
  pass_effective_date (fx);
  state = console_read (fx);
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_CURRENT), ==, fx->candidate);
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_PREVIOUS), ==, fx->current);
  g_clear_object (&state);

  /* Staging again now is refused: the pool already uses it. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", CONNECT (fx), "--new-thumbprint", fx->candidate,
                   NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already uses"));
  tb_test_run_clear (&r);

  /* Step 4: the old credential leaves both principals, then -Previous leaves the pool. */
  result = renew_json (fx, "remove-credential remove-credential remove-previous", "--finish",
                       CONNECT (fx), NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "cleaned");
  g_clear_pointer (&result, json_object_unref);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 0);
  g_assert_cmpuint (cloud_count (fx, EXO, fx->current), ==, 0);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->candidate), ==, 1);
  g_assert_cmpuint (cloud_total (fx, SKYPE), ==, skype_total);
  state = console_read (fx);
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_CURRENT), ==, fx->candidate);
  g_assert_null (thumbprint_of_role (state, TB_POOL_CERT_ROLE_PREVIOUS));
  g_assert_cmpuint (tb_pool_state_get_oauth_certificates (state)->len, ==, 1);
  g_clear_object (&state);

  /* And again: nothing left to do. */
  result = renew_json (fx, "none", "--finish", CONNECT (fx), NULL);
}

/* Runs a script the CLI printed at the Front End's console; returns the state file it left. */
static char *
run_exported (Fixture    *fx,
              const char *script,
              const char *name)
{
  g_autofree char *out = NULL;
  int exit_code = -1;

  out = tb_sim_winrm_run_at_console (fx->pool.sim, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  g_assert_nonnull (strstr (out, TB_POOL_STATE_MARKER));
  return tb_test_write_file (name, out, strlen (out));
}

static void
test_state_file (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autofree char *file1 = save_console_read (fx, "state1.txt");
  g_autofree char *file2 = NULL;
  g_autofree char *file3 = NULL;
  g_autofree char *file4 = NULL;
  g_autofree char *script = NULL;
  TbTestRun r;

  /* Upload, and the stage as a script for the admin to run; the pool is unchanged so far. */
  result = renew_json (fx, "add-credential add-credential stage", "--pool-state", file1,
                       "--new-thumbprint", fx->candidate, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "uploaded");
  script = g_strdup (json_object_get_string_member (result, "script"));
  g_clear_pointer (&result, json_object_unref);
  g_assert_nonnull (strstr (script, "Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint "
                                    "$Thumbprint -Roll -EffectiveDate $d"));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (fx->pool.sim), ==, 0);
  g_assert_cmpuint (cloud_count (fx, EXO, fx->candidate), ==, 1);

  /* Without --json the script alone is on stdout, ready for a .ps1. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file1, "--new-thumbprint",
                   fx->candidate, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "# Trust Bridge: stage"));
  tb_test_run_clear (&r);

  /* The admin runs it on the Front End; the state it prints comes back. */
  file2 = run_exported (fx, script, "state2.txt");
  g_clear_pointer (&script, g_free);
  result = renew_json (fx, "none none none", "--pool-state", file2, "--new-thumbprint",
                       fx->candidate, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "staged-cloud-ready");
  g_assert_false (json_object_has_member (result, "script"));
  g_clear_pointer (&result, json_object_unref);

  /* Too early to finish. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--finish", "--pool-state", file2, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "has not switched"));
  tb_test_run_clear (&r);

  /* After the effective date: read again, finish, run the cleanup script. */
  pass_effective_date (fx);
  file3 = save_console_read (fx, "state3.txt");
  result = renew_json (fx, "remove-credential remove-credential remove-previous", "--finish",
                       "--pool-state", file3, NULL);
  script = g_strdup (json_object_get_string_member (result, "script"));
  g_clear_pointer (&result, json_object_unref);
  g_assert_nonnull (strstr (script, "Remove-CsCertificate -Type OAuthTokenIssuer -Previous"));
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 0);

  file4 = run_exported (fx, script, "state4.txt");
  state = console_read (fx);
  g_assert_null (thumbprint_of_role (state, TB_POOL_CERT_ROLE_PREVIOUS));
  g_assert_cmpstr (thumbprint_of_role (state, TB_POOL_CERT_ROLE_CURRENT), ==, fx->candidate);
  result = renew_json (fx, NULL, "--finish", "--pool-state", file4, "--new-thumbprint",
                       fx->candidate, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "cleaned");
}

/* The cloud lacks the staged key (someone staged by hand): the roll is reported, and the
 * upload fixes it; a schema 1 state file is refused as unknown. */
static void
test_staged_by_hand (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_hours (now, 30);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *file = NULL;
  g_autofree char *old = NULL;
  int exit_code = -1;
  TbTestRun r;

  script = tb_pool_script_new_renew (TB_POOL_RENEW_STAGE, fx->candidate, when, FALSE,
                                     TB_POOL_SCRIPT_FORM_EXPORT, NULL);
  out = tb_sim_winrm_run_at_console (fx->pool.sim, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  file = tb_test_write_file ("by-hand.txt", out, strlen (out));

  result = renew_json (fx, NULL, "--pool-state", file, "--new-thumbprint", fx->candidate,
                       "--dry-run", NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "staged-cloud-missing");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "phase_text"),
                            "does not have it yet"));
  g_clear_pointer (&result, json_object_unref);

  result = renew_json (fx, NULL, "--pool-state", file, "--new-thumbprint", fx->candidate, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "staged-cloud-ready");
  g_clear_pointer (&result, json_object_unref);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->candidate), ==, 1);

  /* Another certificate than the staged one is refused. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-thumbprint",
                   fx->current, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "already stages"));
  tb_test_run_clear (&r);

  /* Schema 1 does not tell: refused as unknown, not guessed. */
  {
    static const char schema1[] = "{\"schema\":1,\"oauthCertificate\":null,\"errors\":[]}";

    old = tb_test_write_file ("schema1.json", schema1, strlen (schema1));
  }
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", old, "--new-thumbprint",
                   fx->candidate, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "schema 2"));
  tb_test_run_clear (&r);
}

/* --new-cert: a .cer of a certificate already in the Front End's store is the same as its
 * thumbprint; one the store lacks is uploaded but not staged; the pool's current certificate,
 * a weak key or one about to expire are refused before anything is written. */
static char *
write_cert (const char *name,
            guint       rsa_bits,
            gint64      not_after)
{
  TbTestCertSpec spec = { .common_name = "fe01.contoso.local", .rsa_bits = rsa_bits,
                          .not_after = not_after };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);

  return tb_test_write_file (name, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
}

static void
test_new_cert (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TbPoolState) state = console_read (fx);
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *file = save_console_read (fx, "state-cert.txt");
  g_autofree char *candidate_cer = NULL;
  g_autofree char *current_cer = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *weak = NULL;
  g_autofree char *short_lived = NULL;
  g_autofree char *outside_sha1 = NULL;
  const TbPoolCertificate *c;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint skype_keys = cloud_total (fx, SKYPE);
  guint exo_keys = cloud_total (fx, EXO);
  TbTestRun r;

  c = tb_pool_state_find_certificate (state, fx->candidate);
  {
    gsize len = 0;
    g_autofree guchar *der = g_base64_decode (c->raw_data, &len);

    candidate_cer = tb_test_write_file ("candidate.cer", der, len);
  }
  c = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_CURRENT);
  {
    gsize len = 0;
    g_autofree guchar *der = g_base64_decode (c->raw_data, &len);

    current_cer = tb_test_write_file ("current-again.cer", der, len);
  }

  /* Refused before anything is written: the current one, a weak key, one about to expire,
   * and both ways of naming the certificate at once. */
  weak = write_cert ("weak.cer", 1024, 0);
  short_lived = write_cert ("short.cer", 2048, now + 10 * 24 * 3600);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-cert", current_cer,
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "current OAuth certificate"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-cert", weak, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "2048 bits or more"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-cert", short_lived,
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "30 more days"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-cert", candidate_cer,
                   "--new-thumbprint", fx->candidate, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_total (fx, SKYPE), ==, skype_keys);
  g_assert_cmpuint (cloud_total (fx, EXO), ==, exo_keys);

  /* A certificate the store does not have: uploaded (Microsoft 365 may hold a key early),
   * the stage refused with the reason, in a dry run too. */
  outside = write_cert ("outside.cer", 2048, 0);
  {
    gsize len = 0;
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (outside, &contents, &len, NULL));
    outside_sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (guchar *) contents, len);
  }
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--new-cert", outside,
                   "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "store does not have"));
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_count (fx, SKYPE, outside_sha1), ==, 0);
  tb_test_cli_run (fx->cli, &r, "--json", "trust", "renew", "--pool-state", file, "--new-cert",
                   outside, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "store does not have"));
  result = tb_test_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "uploaded");
  g_assert_false (json_object_has_member (result, "script"));
  g_clear_pointer (&result, json_object_unref);
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_count (fx, SKYPE, outside_sha1), ==, 1);
  g_assert_cmpuint (cloud_count (fx, EXO, outside_sha1), ==, 1);
  g_assert_cmpuint (cloud_count (fx, SKYPE, fx->current), ==, 1);

  /* The candidate's own .cer: the renewal goes on as with its thumbprint. */
  result = renew_json (fx, "add-credential add-credential stage", "--pool-state", file,
                       "--new-cert", candidate_cer, NULL);
  g_assert_cmpstr (json_object_get_string_member (result, "phase"), ==, "uploaded");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "script"), fx->candidate));
}

/* --request-new: the script for the Front End's console that asks the enterprise CA for a
 * new certificate named after the pool's SIP domain; nothing is written to either half. */
static void
test_request_new (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *file = save_console_read (fx, "state-request.txt");
  g_autoptr(GHashTable) params = NULL;
  guint skype_keys = cloud_total (fx, SKYPE);
  const char *script;
  TbTestRun r;

  result = renew_json (fx, NULL, "--pool-state", file, "--request-new", "--ca",
                       "ca01.contoso.com\\Contoso Issuing CA", NULL);
  script = json_object_get_string_member (result, "script");
  g_assert_true (g_str_has_prefix (script, "# Trust Bridge: request a new OAuthTokenIssuer"));
  g_assert_nonnull (strstr (script, "Request-CsCertificate @rq"));
  params = tb_pool_script_parse_parameters (script, NULL);
  g_assert_nonnull (params);
  g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, "request");
  g_assert_cmpstr (g_hash_table_lookup (params, "CAHost"), ==, "ca01.contoso.com");
  g_assert_cmpstr (g_hash_table_lookup (params, "DomainName"), ==, "contoso.com");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (result,
                                                                                  "changes"),
                                                    0), "action"), ==, "request");

  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--request-new", "--ca",
                   "ca01.contoso.com\\Contoso Issuing CA", "--domain-name", "sip.fabrikam.com",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "[string]$DomainName = 'sip.fabrikam.com'"));
  tb_test_run_clear (&r);

  /* Refused: no CA, a CA without its server, a hostile domain, mixed with a renewal step. */
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--request-new", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--request-new", "--ca",
                   "Contoso Issuing CA", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "server\\CA name"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--request-new", "--ca",
                   "ca01.contoso.com\\CA", "--domain-name", "x';Remove-Item C:", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "trust", "renew", "--pool-state", file, "--request-new", "--ca",
                   "ca01.contoso.com\\CA", "--new-thumbprint", fx->candidate, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  g_assert_cmpuint (cloud_total (fx, SKYPE), ==, skype_keys);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (fx->pool.sim), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli-renew/live", test_live);
  ADD ("/cli-renew/state-file", test_state_file);
  ADD ("/cli-renew/staged-by-hand", test_staged_by_hand);
  ADD ("/cli-renew/new-cert", test_new_cert);
  ADD ("/cli-renew/request-new", test_request_new);
#undef ADD

  return g_test_run ();
}
