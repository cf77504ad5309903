/* test-pool-client.c: TbPoolClient against the simulated Front End over HTTPS with a pin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-context.h"
#include "tb-pool-client.h"
#include "tb-pool-script-private.h"
#include "tb-sim-winrm-private.h"
#include "tb-winrm-pins-private.h"
#include "tb-test-util.h"

#define USER "labadmin"
#define PASSWORD "s3cret: pool p@ss"
#define TENANT "7a3f5e2d-1b4c-4d8e-9f60-0a1b2c3d4e5f"
#define ACS "https://accounts.accesscontrol.windows.net"
#define WRONG_PIN "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF"

/* Each test case gets a Front End of its own, holding the demo pool. */
typedef TbTestWinrm Fixture;

static const TbTestWinrmSpec front_end = { USER, PASSWORD, TB_TEST_WINRM_POOL_DEMO };

static TbPoolClient *
client_for (Fixture    *f,
            const char *password,
            const char *pin)
{
  return tb_pool_client_new ("localhost", tb_sim_winrm_get_port (f->sim), TB_WINRM_AUTH_BASIC,
                             USER, password, pin);
}

/* A client set up right: the account's password and the Front End's certificate pinned. */
static TbPoolClient *
good_client (Fixture *f)
{
  return client_for (f, PASSWORD, tb_sim_winrm_get_fingerprint (f->sim));
}

static TbPoolState *
status (TbPoolClient  *client,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_pool_client_status_async (client, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_pool_client_status");
  return tb_pool_client_status_finish (client, result, error);
}

static TbPoolApplyResult *
apply (TbPoolClient  *client,
       gboolean       dry_run,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_pool_client_apply_async (client, TENANT, ACS, dry_run, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_pool_client_apply");
  return tb_pool_client_apply_finish (client, result, error);
}

/* The pool's own checks of @state for TENANT. */
static GPtrArray *
checks_for (TbPoolState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GPtrArray *checks = tb_pool_state_check (state, TENANT, ACS, now, 30, &error);

  g_assert_no_error (error);
  return checks;
}

/* The check with id @item of @state for TENANT. */
static TbPoolCheckResult
check_of (TbPoolState *state,
          const char  *item)
{
  g_autoptr(GPtrArray) checks = checks_for (state);

  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);

      if (g_str_equal (check->item, item))
        return check->ok;
    }
  g_assert_not_reached ();
  return TB_POOL_CHECK_UNKNOWN;
}

static TbPoolCheckResult
summary_of (TbPoolState *state)
{
  g_autoptr(GPtrArray) checks = checks_for (state);

  return tb_pool_checks_summary (checks);
}

static const char *
sim_oauth_url (Fixture *f)
{
  static char url[256];
  g_autoptr(JsonObject) pool = tb_sim_winrm_dup_pool_state (f->sim);
  JsonArray *servers = json_object_get_array_member (pool, "oauthServers");

  g_strlcpy (url, json_object_get_string_member (json_array_get_object_element (servers, 0),
                                                 "metadataUrl"), sizeof url);
  return url;
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = status (client, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tb_pool_state_get_server_fqdn (state), ==,
                   tb_sim_winrm_get_server_fqdn (f->sim));
  /* The demo pool points microsoft.sts at another tenant: that one check fails. */
  g_assert_cmpint (check_of (state, TB_POOL_CHECK_OAUTH_SERVER), ==, TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_of (state, TB_POOL_CHECK_PARTNER_APPLICATION), ==, TB_POOL_CHECK_OK);
  g_assert_cmpint (check_of (state, TB_POOL_CHECK_OAUTH_SERVICE_NAME), ==, TB_POOL_CHECK_OK);
  g_assert_true (tb_pool_client_diagnose (state, "localhost", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
}

static void
test_apply (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) dry = NULL;
  g_autoptr(TbPoolApplyResult) done = NULL;
  g_autoptr(TbPoolApplyResult) again = NULL;
  g_autofree char *before_url = g_strdup (sim_oauth_url (f));
  const TbChange *change;
  guint commands;

  /* Dry run: the change is reported, nothing on the server moves. */
  dry = apply (client, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (dry->dry_run);
  g_assert_cmpuint (dry->changes->len, ==, 1);
  change = g_ptr_array_index (dry->changes, 0);
  g_assert_cmpstr (change->target, ==, TB_POOL_CHECK_OAUTH_SERVER);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_UPDATE);
  g_assert_nonnull (strstr (change->detail, TENANT));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
  g_assert_cmpstr (sim_oauth_url (f), ==, before_url);
  g_assert_cmpint (check_of (dry->after, TB_POOL_CHECK_OAUTH_SERVER), ==, TB_POOL_CHECK_FAILED);
  /* The apply script ran with DryRun 'yes'. */
  {
    g_autoptr(GHashTable) params = tb_pool_script_parse_parameters (
      tb_sim_winrm_get_last_command (f->sim), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (params, "DryRun"), ==, "yes");
  }

  /* Apply: read, apply, read again; the re-read shows every check passing. */
  commands = tb_sim_winrm_get_commands_run (f->sim);
  done = apply (client, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (done->dry_run);
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, commands + 3);
  g_assert_cmpuint (done->changes->len, ==, 1);
  g_assert_cmpint (check_of (done->before, TB_POOL_CHECK_OAUTH_SERVER), ==, TB_POOL_CHECK_FAILED);
  g_assert_cmpint (summary_of (done->applied), ==, TB_POOL_CHECK_OK);
  g_assert_cmpint (summary_of (done->after), ==, TB_POOL_CHECK_OK);
  g_assert_cmpstr (sim_oauth_url (f), ==, ACS "/" TENANT "/metadata/json/1");
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);
  /* The last command was the read script, not the apply script. */
  {
    g_autoptr(GHashTable) params = tb_pool_script_parse_parameters (
      tb_sim_winrm_get_last_command (f->sim), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, "read");
  }

  /* Second apply: nothing to change, and nothing changed. */
  again = apply (client, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->changes->len, ==, 0);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 1);
  g_assert_cmpuint (tb_sim_winrm_get_open_shells (f->sim), ==, 0);

  /* The JSON the CLI prints. */
  {
    g_autoptr(JsonNode) node = tb_changes_to_json (done->changes);
    g_autofree char *text = json_to_string (node, FALSE);
    g_autoptr(JsonNode) empty = tb_changes_to_json (again->changes);
    g_autofree char *empty_text = json_to_string (empty, FALSE);

    g_assert_true (g_str_has_prefix (text, "{\"changes\":[{\"item\":\"oauth-server\","
                                           "\"action\":\"update\",\"detail\":"));
    g_assert_cmpstr (empty_text, ==, "{\"changes\":[]}");
  }
}

/* Everything missing: create and replace, then verified. */
static void
test_apply_creates (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) pool = tb_sim_winrm_dup_pool_state (f->sim);
  g_autoptr(TbPoolApplyResult) done = NULL;
  JsonObject *app;
  TbChangeAction actions[3];

  json_object_set_array_member (pool, "oauthServers", json_array_new ());
  app = json_array_get_object_element (json_object_get_array_member (pool, "partnerApplications"),
                                       0);
  json_object_set_string_member (app, "applicationIdentifier",
                                 "00000002-0000-0ff1-ce00-000000000001");
  json_object_set_null_member (pool, "oauthConfiguration");
  tb_sim_winrm_set_pool_state (f->sim, pool);

  done = apply (client, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (done->changes->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    actions[i] = ((TbChange *) g_ptr_array_index (done->changes, i))->action;
  g_assert_cmpint (actions[0], ==, TB_CHANGE_ACTION_CREATE);
  g_assert_cmpint (actions[1], ==, TB_CHANGE_ACTION_REPLACE);
  g_assert_cmpint (actions[2], ==, TB_CHANGE_ACTION_UPDATE);
  g_assert_cmpint (summary_of (done->after), ==, TB_POOL_CHECK_OK);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = client_for (f, "wrong", tb_sim_winrm_get_fingerprint (f->sim));
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = status (client, &error);
  g_autoptr(TbPoolApplyResult) done = NULL;

  g_assert_null (state);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  done = apply (client, FALSE, &error);
  g_assert_null (done);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_BAD_CREDENTIALS);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
}

static void
test_wrong_pin (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TbPoolClient) pinned = client_for (f, PASSWORD, WRONG_PIN);
  g_autoptr(TbPoolClient) unpinned = client_for (f, PASSWORD, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = status (pinned, &error);

  g_assert_null (state);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_CHANGED);
  g_assert_cmpstr (tb_winrm_error_get_fingerprint (error), ==,
                   tb_sim_winrm_get_fingerprint (f->sim));
  g_clear_error (&error);

  /* No pin and a self-signed listener: refused, with the fingerprint to show. */
  state = status (unpinned, &error);
  g_assert_null (state);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (tb_winrm_error_get_fingerprint (error), ==,
                   tb_sim_winrm_get_fingerprint (f->sim));
  /* The server never saw a command. */
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
}

static void
test_double_hop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(TbPoolApplyResult) done = NULL;

  tb_sim_winrm_set_double_hop (f->sim, TRUE);

  /* The read script still prints a state, with the cmdlets' errors in it. */
  state = status (client, &error);
  g_assert_no_error (error);
  g_assert_null (tb_pool_state_get_oauth_servers (state));
  g_assert_false (tb_pool_client_diagnose (state, "localhost", &error));
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP);
  g_assert_nonnull (strstr (error->message, "script round trip"));
  g_clear_error (&error);

  /* Apply refuses after the read, so the apply script never runs. */
  done = apply (client, FALSE, &error);
  g_assert_null (done);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP);
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 2);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (f->sim), ==, 0);
}

static void
test_module_missing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(TbPoolApplyResult) done = NULL;

  tb_sim_winrm_set_module (f->sim, NULL);
  state = status (client, &error);
  g_assert_no_error (error);
  g_assert_false (tb_pool_client_diagnose (state, "localhost", &error));
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_MODULE_MISSING);
  g_clear_error (&error);

  done = apply (client, TRUE, &error);
  g_assert_null (done);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_MODULE_MISSING);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TbPoolClient) client = good_client (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TbPoolApplyResult *done;

  tb_pool_client_apply_async (client, "'; Remove-Item C:\\ -Recurse; '", ACS, FALSE, NULL,
                              tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_pool_client_apply");
  done = tb_pool_client_apply_finish (client, result, &error);
  g_assert_null (done);
  g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT);
  g_assert_cmpuint (tb_sim_winrm_get_commands_run (f->sim), ==, 0);
}

/* A read that does not say enough: apply does not guess. */
static void
test_plan_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  const char *json = "{\"schema\":1,\"partnerApplications\":[],\"oauthConfiguration\":null,"
                     "\"errors\":[{\"cmdlet\":\"Get-CsOAuthServer\",\"message\":\"boom\"}]}";
  g_autoptr(TbPoolState) state = tb_pool_state_new_from_data (json, strlen (json), &error);
  g_autoptr(GPtrArray) changes = NULL;

  g_assert_no_error (error);
  changes = tb_pool_plan_changes (state, ACS "/" TENANT "/metadata/json/1", &error);
  g_assert_null (changes);
  g_assert_error (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "Get-CsOAuthServer: boom"));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_pool_export_script_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tb-export-XXXXXX", NULL);
  g_autofree char *read_path = g_build_filename (dir, "read.ps1", NULL);
  g_autofree char *apply_path = g_build_filename (dir, "apply.ps1", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.ps1", NULL);
  g_autoptr(GFile) read_file = g_file_new_for_path (read_path);
  g_autoptr(GFile) apply_file = g_file_new_for_path (apply_path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  g_autofree char *expected_read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *expected_apply = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean done = FALSE;

  expected_apply = tb_pool_script_new_apply (TENANT, ACS, FALSE, TB_POOL_SCRIPT_FORM_EXPORT,
                                             &error);
  g_assert_no_error (error);

  tb_pool_export_script_async (read_file, NULL, NULL, FALSE, NULL, on_exported, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_file_get_contents (read_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected_read);
  g_clear_pointer (&contents, g_free);

  done = FALSE;
  tb_pool_export_script_async (apply_file, TENANT, ACS, FALSE, NULL, on_exported, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_file_get_contents (apply_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected_apply);

  /* A hostile tenant is refused and no file is written. */
  tb_pool_export_script_async (bad_file, "$(calc)", ACS, FALSE, NULL, tb_test_store_result,
                               &result);
  tb_test_wait_for (&result, "tb_pool_export_script");
  g_assert_false (tb_pool_export_script_finish (result, &error));
  g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT);
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));

  g_unlink (read_path);
  g_unlink (apply_path);
  g_rmdir (dir);
}

static void
test_pins (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  GSettings *settings = tb_context_get_settings (context);
  TbWinrmPins *pins = tb_context_get_winrm_pins (context);
  g_autoptr(GVariant) stored = NULL;
  g_autofree char *found = NULL;
  g_autofree char *other_port = NULL;

  /* The tests run with the build's schema and the memory backend: the setting is used. */
  g_assert_nonnull (settings);
  g_assert_null (tb_winrm_pins_lookup (pins, "fe01.contoso.local", 0));
  g_assert_false (tb_winrm_pins_remember (pins, "fe01.contoso.local", 0, "not a fingerprint"));
  g_assert_true (tb_winrm_pins_remember (pins, "FE01.contoso.local", 5986,
                                         "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:"
                                         "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99"));
  found = tb_winrm_pins_lookup (pins, "fe01.CONTOSO.local", 0);
  g_assert_cmpstr (found, ==, "AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899");
  other_port = tb_winrm_pins_lookup (pins, "fe01.contoso.local", 15986);
  g_assert_null (other_port);

  stored = g_settings_get_value (settings, "winrm-pins");
  g_assert_cmpstr (g_variant_get_type_string (stored), ==, "a{ss}");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 1);
  {
    const char *value = NULL;

    g_assert_true (g_variant_lookup (stored, "fe01.contoso.local:5986", "&s", &value));
    g_assert_cmpstr (value, ==, found);
  }

  tb_winrm_pins_forget (pins, "fe01.contoso.local", 0);
  g_clear_pointer (&found, g_free);
  found = tb_winrm_pins_lookup (pins, "fe01.contoso.local", 0);
  g_assert_null (found);

  /* Without settings: memory only, same behaviour. */
  {
    g_autoptr(TbWinrmPins) memory = tb_winrm_pins_new (NULL);
    g_autofree char *fp = NULL;

    g_assert_true (tb_winrm_pins_remember (memory, "h.example", 1, WRONG_PIN));
    fp = tb_winrm_pins_lookup (memory, "h.example", 1);
    g_assert_cmpstr (fp, ==, WRONG_PIN);
  }
}

/* Starting the demo brings the demo Front End, reachable with what the accessor hands
 * over and nothing else. */
static void
test_context_demo_pool (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolClient) client = NULL;
  g_autoptr(TbPoolState) state = NULL;
  const char *host = NULL, *user = NULL, *password = NULL, *fingerprint = NULL;
  guint port = 0;

  g_assert_false (tb_context_get_demo_pool (context, &host, &port, &user, &password,
                                            &fingerprint));
  g_assert_true (tb_test_start_demo (context, &error));
  g_assert_no_error (error);
  g_assert_true (tb_context_get_demo_pool (context, &host, &port, &user, &password,
                                           &fingerprint));
  g_assert_cmpuint (port, ==, tb_sim_winrm_get_port (tb_test_get_sim_winrm (context)));
  g_assert_cmpuint (strlen (password), >=, 16);
  g_assert_cmpuint (strlen (fingerprint), ==, 64);

  client = tb_pool_client_new (host, port, TB_WINRM_AUTH_BASIC, user, password, fingerprint);
  state = status (client, &error);
  g_assert_no_error (error);
  g_assert_cmpint (check_of (state, TB_POOL_CHECK_OAUTH_SERVER), ==, TB_POOL_CHECK_FAILED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) tb_test_add_winrm (path, &front_end, func)
  ADD ("/pool-client/status", test_status);
  ADD ("/pool-client/apply", test_apply);
  ADD ("/pool-client/apply-creates", test_apply_creates);
  ADD ("/pool-client/wrong-password", test_wrong_password);
  ADD ("/pool-client/wrong-pin", test_wrong_pin);
  ADD ("/pool-client/double-hop", test_double_hop);
  ADD ("/pool-client/module-missing", test_module_missing);
  ADD ("/pool-client/bad-input", test_bad_input);
#undef ADD
  g_test_add_func ("/pool-client/plan-incomplete", test_plan_incomplete);
  g_test_add_func ("/pool-client/export", test_export);
  g_test_add_func ("/pool-client/pins", test_pins);
  g_test_add_func ("/pool-client/context-demo-pool", test_context_demo_pool);

  return g_test_run ();
}
