/* test-cli-pool.c: trust-bridge-cli pool … as admins and scripts use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-pool-script-private.h"
#include "tb-test-certs.h"
#include "tb-test-cli.h"

#define TENANT "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d"

static char *
fixture_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "pool-state-misconfigured.json", NULL);
}

static void
test_help (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (NULL, &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "pool script read"));
  g_assert_nonnull (strstr (r.out, "pool script apply"));
  g_assert_nonnull (strstr (r.out, "pool import"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  /* Commands without options of their own still refuse unknown ones. */
  tb_test_cli_run (NULL, &r, "cert", "inspect", "--bogus", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--bogus"));
  tb_test_run_clear (&r);
}

/* The CLI prints exactly what the golden files hold. */
static void
test_script_golden (void)
{
  g_autofree char *read = tb_test_read_dist_file ("golden", "pool-read.ps1", NULL);
  g_autofree char *apply = tb_test_read_dist_file ("golden", "pool-apply.ps1", NULL);
  TbTestRun r = { 0 };

  tb_test_cli_run (NULL, &r, "pool", "script", "read", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, read);
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, apply);
  g_assert_cmpstr (r.err, ==, "");
  tb_test_run_clear (&r);

  /* Options may come first. */
  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--cloud", "global", "--tenant", TENANT,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, apply);
  tb_test_run_clear (&r);
}

static GHashTable *
params_of (const char *script)
{
  g_autoptr(GError) error = NULL;
  GHashTable *params = tb_pool_script_parse_parameters (script, &error);

  g_assert_no_error (error);
  return params;
}

static void
test_script_options (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--cloud", "china",
                   "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(GHashTable) p = params_of (r.out);

    g_assert_cmpstr (g_hash_table_lookup (p, "MetadataUrl"), ==,
                     "https://accounts.accesscontrol.chinacloudapi.cn/" TENANT "/metadata/json/1");
    g_assert_cmpstr (g_hash_table_lookup (p, "DryRun"), ==, "yes");
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--cloud", "usgov-high",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "'https://login.microsoftonline.us/" TENANT
                                   "/metadata/json/1'"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--acs-base",
                   "https://acs.example.test/", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "'https://acs.example.test/" TENANT "/metadata/json/1'"));
  tb_test_run_clear (&r);

  /* The encoded command line: one line, within the limit, carrying the transport form. */
  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--encoded", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "powershell.exe -NoProfile -NonInteractive "
                                          "-EncodedCommand "));
  g_assert_cmpuint (strlen (r.out), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE + 1);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *script = tb_pool_script_decode_command (r.out, &error);
    g_autofree char *transport = tb_test_read_dist_file ("golden", "pool-apply.transport.ps1",
                                                         NULL);

    g_assert_no_error (error);
    g_assert_cmpstr (script, ==, transport);
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "read", "--encoded", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (strlen (r.out), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE + 1);
  tb_test_run_clear (&r);
}

/* Bad input: exit 2, a message on stderr, no script on stdout. */
static void
test_script_refused (void)
{
  const char *tenants[] = {
    "'; Remove-Item C:\\ -Recurse; '", "$(Remove-Item C:\\)", TENANT "`n", "contoso.com", "",
  };
  const char *bases[] = {
    "http://accounts.accesscontrol.windows.net", "https://evil.example.com/'+$(calc)+'",
    "https://ev il.example.com", "https://exаmple.com" /* Cyrillic a */,
  };
  TbTestRun r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", tenants[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, "GUID"));
      tb_test_run_clear (&r);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--acs-base",
                       bases[i], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_nonnull (strstr (r.err, "https URL"));
      tb_test_run_clear (&r);
    }

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--tenant"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--cloud", "mars",
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "mars"));
  tb_test_run_clear (&r);

  /* The admin may override a cloud's ACS host (GCC High's differs between Microsoft's articles). */
  tb_test_cli_run (NULL, &r, "pool", "script", "apply", "--tenant", TENANT, "--cloud", "usgov-high",
                   "--acs-base", "https://acs.example.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(GHashTable) p = params_of (r.out);

    g_assert_cmpstr (g_hash_table_lookup (p, "MetadataUrl"), ==,
                     "https://acs.example.com/" TENANT "/metadata/json/1");
  }
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "read", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "script", "read", "--tenant", TENANT, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
}

static JsonObject *
parse_object (const char *text,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_import (void)
{
  g_autofree char *path = fixture_path ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  TbTestRun r = { 0 };
  JsonObject *root;
  JsonArray *checks;

  /* The fixture's OAuth server points at another tenant: exit 1, and it says what to set. */
  tb_test_cli_run (NULL, &r, "pool", "import", path, "--tenant", TENANT, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "FAILED"));
  g_assert_nonnull (strstr (r.out, "oauth-server"));
  g_assert_nonnull (strstr (r.out, "https://accounts.accesscontrol.windows.net/" TENANT
                                   "/metadata/json/1"));
  g_assert_nonnull (strstr (r.out, "webext2.contoso.com"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--json", "pool", "import", "--tenant", TENANT, path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  root = parse_object (r.out, parser);
  g_assert_cmpint (json_object_get_int_member (root, "schema"), ==, 1);
  g_assert_true (json_object_has_member (root, "oauthServers"));
  g_assert_true (json_object_has_member (root, "oauthCertificate"));
  checks = json_object_get_array_member (root, "checks");
  g_assert_cmpuint (json_array_get_length (checks), ==, 8);
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *c = json_array_get_object_element (checks, i);
      const char *item = json_object_get_string_member (c, "item");

      g_assert_nonnull (json_object_get_string_member (c, "detail"));
      g_assert_cmpint (json_object_get_boolean_member (c, "ok"), ==,
                       !g_str_equal (item, "oauth-server"));
    }
  tb_test_run_clear (&r);

  /* Without the tenant the URL is unknown: ok is null and the exit status is not 0. */
  tb_test_cli_run (NULL, &r, "--json", "pool", "import", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  root = parse_object (r.out, parser);
  checks = json_object_get_array_member (root, "checks");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (checks, 0), "ok"));
  tb_test_run_clear (&r);

  /* Corrected, everything passes. */
  {
    g_autofree char *json = tb_test_read_dist_file ("data", "pool-state-misconfigured.json", NULL);
    g_auto(GStrv) parts = g_strsplit (json, "0b9a2c4e-1d3f-4a5b-8c7d-6e5f4a3b2c1d/metadata", -1);
    g_autofree char *fixed = g_strjoinv (TENANT "/metadata", parts);
    g_autofree char *fixed_path = tb_test_write_file ("fixed.json", fixed, strlen (fixed));

    tb_test_cli_run (NULL, &r, "pool", "import", "--tenant", TENANT, fixed_path, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_null (strstr (r.out, "FAILED"));
    tb_test_run_clear (&r);
  }
}

static void
test_import_bad (void)
{
  static const struct { const char *name; const char *content; const char *says; } files[] = {
    { "not-json.json", "this is not json", "JSON" },
    { "schema.json", "{\"schema\": 3, \"server\": {}}", "schema 3" },
    { "no-schema.json", "{\"server\": {}}", "schema" },
    { "type.json", "{\"schema\": 1, \"webServices\": {}}", "webServices" },
    { "output.txt", "PS C:\\> .\\read.ps1\nAccess denied\n", "TRUSTBRIDGE-STATE" },
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  TbTestRun r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = tb_test_write_file (files[i].name, files[i].content,
                                                  strlen (files[i].content));
      JsonObject *root;

      tb_test_cli_run (NULL, &r, "pool", "import", path, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      if (strstr (r.err, files[i].says) == NULL)
        g_error ("“%s” not in “%s”", files[i].says, r.err);
      tb_test_run_clear (&r);

      tb_test_cli_run (NULL, &r, "--json", "pool", "import", path, NULL);
      g_assert_cmpint (r.status, ==, 2);
      root = parse_object (r.out, parser);
      g_assert_cmpstr (json_object_get_string_member (root, "file"), ==, path);
      g_assert_nonnull (strstr (json_object_get_string_member (root, "error"), files[i].says));
      tb_test_run_clear (&r);
    }

  /* Huge: refused by size. */
  {
    g_autofree char *huge = g_strnfill (2 * 1024 * 1024, ' ');
    g_autofree char *path = tb_test_write_file ("huge.json", huge, strlen (huge));

    tb_test_cli_run (NULL, &r, "pool", "import", path, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "larger than"));
    tb_test_run_clear (&r);
  }

  tb_test_cli_run (NULL, &r, "pool", "import", "/nonexistent/state.json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent/state.json"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "pool", "import", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  {
    g_autofree char *path = fixture_path ();

    tb_test_cli_run (NULL, &r, "pool", "import", path, "--tenant",
                     "'; Remove-Item C:\\ -Recurse; '", NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "GUID"));
    tb_test_run_clear (&r);
  }

  /* Missing members are unknown, not errors: exit 1 with every check unknown. */
  {
    const char *minimal = "{\"schema\": 1, \"errors\": [{\"cmdlet\": \"Get-CsService\", "
                          "\"message\": \"Access is denied.\"}]}";
    g_autofree char *path = tb_test_write_file ("minimal.json", minimal, strlen (minimal));

    tb_test_cli_run (NULL, &r, "pool", "import", "--tenant", TENANT, path, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "unknown"));
    g_assert_nonnull (strstr (r.out, "Access is denied."));
    g_assert_null (strstr (r.out, "FAILED"));
    tb_test_run_clear (&r);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/pool/help", test_help);
  g_test_add_func ("/cli/pool/script-golden", test_script_golden);
  g_test_add_func ("/cli/pool/script-options", test_script_options);
  g_test_add_func ("/cli/pool/script-refused", test_script_refused);
  g_test_add_func ("/cli/pool/import", test_import);
  g_test_add_func ("/cli/pool/import-bad", test_import_bad);

  return g_test_run ();
}
