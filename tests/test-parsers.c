/* test-parsers.c: parsers of outside input end in a clear error or a correct result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input that once crashed or misled a parser under fuzzing (tests/fuzz/corpus/…) is
 * checked here for the exact outcome a user sees; the fuzz suite replays the same files for
 * crashes only. The JSON gate, number clamping, XML checks, the endpoints file, the WinRM reply
 * cap, dates, certificate names and the HTTP log's redaction each have their own cases.
 * GLib criticals and warnings are fatal here (g_test_init), so an overwritten GError or a NULL
 * date fails the test.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fuzz/fuzz.h"
#include "tb-auth-private.h"
#include "tb-certificate-loader.h"
#include "tb-cloud.h"
#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-http.h"
#include "tb-json.h"
#include "tb-pool-state.h"
#include "tb-service-principal.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-util.h"
#include "tb-winrm-shell.h"
#include "tb-winrm-soap.h"
#include "tb-xml.h"

#define TENANT "0a9300c9-134a-4bb3-8930-cf5362ecf125"

static char *
corpus_path (const char *target,
             const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", target, name, NULL);
}

static GBytes *
corpus_bytes (const char *target,
              const char *name)
{
  g_autofree char *path = corpus_path (target, name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* Runs the CLI with the name, value pairs @env_extra in its environment; returns its exit
 * status and fills @out/@err. */
static int
run_cli (const char * const *args,
         const char * const *env_extra,
         char              **out,
         char              **err)
{
  g_autoptr(TbTestCli) cli = tb_test_cli_new (NULL);
  TbTestRun r;

  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i += 2)
    tb_test_cli_setenv (cli, env_extra[i], env_extra[i + 1]);
  tb_test_cli_runv (cli, &r, args);
  *out = r.out;
  *err = r.err;
  return r.status;
}

/* The JSON gate */

static void
test_json_gate (void)
{
  static const struct { const char *text; int code; } cases[] = {
    /* RFC 8259 JSON passes */
    { "{}", -1 }, { "[]", -1 }, { " {\"a\" : [1, -0, 2.5e+3, 1E-2, true, false, null]}\r\n", -1 },
    { "\"[[[[\"", -1 }, { "3", -1 }, { "{\"q\":\"\\\"[{\\\\\"}", -1 },
    { "\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\"", -1 },
    /* what json-glib accepts and JSON does not */
    { "{\"a\":/*\"*/[]}", TB_JSON_ERROR_SYNTAX }, { "{\"a\":1 // c\n}", TB_JSON_ERROR_SYNTAX },
    { "{'a':1}", TB_JSON_ERROR_SYNTAX }, { "{\"a\":'\"'}", TB_JSON_ERROR_SYNTAX },
    { "[1,]", TB_JSON_ERROR_SYNTAX }, { "{\"a\":1,}", TB_JSON_ERROR_SYNTAX },
    { "[NaN]", TB_JSON_ERROR_SYNTAX }, { "[Infinity]", TB_JSON_ERROR_SYNTAX },
    { "[0x10]", TB_JSON_ERROR_SYNTAX }, { "[01]", TB_JSON_ERROR_SYNTAX },
    { "[1.]", TB_JSON_ERROR_SYNTAX }, { "[.5]", TB_JSON_ERROR_SYNTAX }, { "[+1]", TB_JSON_ERROR_SYNTAX },
    { "[True]", TB_JSON_ERROR_SYNTAX }, { "{a:1}", TB_JSON_ERROR_SYNTAX },
    { "{} {}", TB_JSON_ERROR_SYNTAX }, { "[1 2]", TB_JSON_ERROR_SYNTAX },
    { "[\"a\tb\"]", TB_JSON_ERROR_SYNTAX }, { "[\"\\x41\"]", TB_JSON_ERROR_SYNTAX },
    { "[\"\\u12\"]", TB_JSON_ERROR_SYNTAX }, { "{\"a\"}", TB_JSON_ERROR_SYNTAX },
    { "[", TB_JSON_ERROR_SYNTAX }, { "[}", TB_JSON_ERROR_SYNTAX }, { "\"abc", TB_JSON_ERROR_SYNTAX },
    { "\xef\xbb\xbf{}", TB_JSON_ERROR_SYNTAX },
    /* what json-glib cannot hold in a C string, or is not Unicode */
    { "[\"\\u0000\"]", TB_JSON_ERROR_ENCODING }, { "[\"\\ud800\"]", TB_JSON_ERROR_ENCODING },
    { "[\"\\udc00\\ud800\"]", TB_JSON_ERROR_ENCODING }, { "[\"\xff\"]", TB_JSON_ERROR_ENCODING },
    { "", TB_JSON_ERROR_EMPTY }, { " \n\t", TB_JSON_ERROR_EMPTY },
    /* integers json-glib would wrap (-18446744073709551615 became 1) */
    { "[9223372036854775807,-9223372036854775808,1e400,123456789012345678901.5]", -1 },
    { "[9223372036854775808]", TB_JSON_ERROR_NUMBER },
    { "[-9223372036854775809]", TB_JSON_ERROR_NUMBER },
    { "{\"schema\":-18446744073709551615}", TB_JSON_ERROR_NUMBER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = tb_json_check (cases[i].text, strlen (cases[i].text), 8, &error);

      if (cases[i].code < 0)
        {
          g_autoptr(JsonNode) node = NULL;

          if (!ok)
            g_error ("“%s” refused: %s", cases[i].text, error->message);
          /* json-glib reads what the gate passes. */
          node = tb_json_parse (cases[i].text, strlen (cases[i].text), 8, &error);
          g_assert_no_error (error);
          g_assert_nonnull (node);
        }
      else if (ok || !g_error_matches (error, TB_JSON_ERROR, cases[i].code))
        g_error ("“%s”: expected error %d, got %s", cases[i].text, cases[i].code,
                 ok ? "success" : error->message);
    }

  /* A NUL byte inside the length. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (tb_json_check ("[1]\0", 4, 8, &error));
    g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_ENCODING);
  }
}

static char *
nested (guint       levels,
        const char *prefix)
{
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < levels; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
test_json_depth (void)
{
  g_autofree char *at_limit = nested (TB_JSON_MAX_DEPTH, "");
  g_autofree char *past_limit = nested (TB_JSON_MAX_DEPTH + 1, "");
  g_autofree char *very_deep = nested (200000, "");
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_json_check (at_limit, strlen (at_limit), TB_JSON_MAX_DEPTH, NULL));
  g_assert_false (tb_json_check (past_limit, strlen (past_limit), TB_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);
  /* The check itself is a loop: 200,000 levels cost no stack. */
  g_assert_false (tb_json_check (very_deep, strlen (very_deep), TB_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP);
}

/* The nesting hidden behind a comment or a single-quoted run, in a Graph reply. */
static void
test_json_hidden_nesting (void)
{
  const char *files[][2] = {
    { "graph", "deep-nesting-hidden-by-comment.json" },
    { "json", "deep-nesting-hidden-by-single-quote.json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) body = corpus_bytes (files[i][0], files[i][1]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = tb_http_parse_json_object (body, 16 * 1024 * 1024, &error);

      g_assert_null (object);
      g_assert_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON);
      g_assert_cmpstr (error->message, ==, "The server’s reply is not valid JSON.");
    }
}

static void
test_json_numbers (void)
{
  static const struct { const char *json; gboolean ok; gint64 value; } cases[] = {
    { "{\"n\":3599}", TRUE, 3599 },
    { "{\"n\":\"3599\"}", TRUE, 3599 },
    { "{\"n\":9223372036854775807}", TRUE, 86400 },
    { "{\"n\":1e300}", TRUE, 86400 },
    { "{\"n\":4e767}", TRUE, 86400 },
    { "{\"n\":-1e999}", TRUE, -5 },
    { "{\"n\":\"99999999999999999999999\"}", TRUE, 86400 },
    { "{\"n\":12.9}", TRUE, 12 },
    { "{\"n\":\"12x\"}", FALSE, 0 },
    { "{\"n\":\"\"}", FALSE, 0 },
    { "{\"n\":true}", FALSE, 0 },
    { "{\"n\":null}", FALSE, 0 },
    { "{}", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = tb_json_parse (cases[i].json, strlen (cases[i].json), 8, &error);
      gint64 value = 0;

      g_assert_no_error (error);
      g_assert_cmpint (tb_json_get_int_clamped (json_node_get_object (root), "n", -5, 86400,
                                                &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
    }

  /* The old getter cast 1e300 to gint64 (undefined); it now saturates. */
  {
    g_autoptr(JsonNode) root = tb_json_parse ("{\"a\":1e300,\"b\":-1e300}", 22, 8, NULL);

    g_assert_cmpint (tb_json_get_int (json_node_get_object (root), "a", 0), ==, G_MAXINT64);
    g_assert_cmpint (tb_json_get_int (json_node_get_object (root), "b", 0), ==, G_MININT64);
  }
}

/* Pool state */

static void
test_pool_state_hidden_nesting (void)
{
  const char *files[][2] = {
    { "pool-state", "deep-nesting-hidden-by-comment.json" },
    { "pool-state", "deep-nesting-hidden-by-single-quote.json" },
    { "pool-state-line", "deep-nesting-hidden-by-comment.marker.txt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = corpus_path (files[i][0], files[i][1]);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TbPoolState) state = tb_pool_state_new_from_file (file, NULL, &error);

      g_assert_null (state);
      g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON);
      g_assert_true (g_str_has_prefix (error->message, "The pool state is not JSON: "));
    }

  /* An integer json-glib would have wrapped to schema 1. */
  {
    g_autoptr(GBytes) bytes = corpus_bytes ("pool-state", "integer-wraps-to-one.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPoolState) state = tb_pool_state_new_from_data (g_bytes_get_data (bytes, NULL),
                                                                g_bytes_get_size (bytes),
                                                                &error);

    g_assert_null (state);
    g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON);
  }

  /* Real nesting past the limit is called what it is. */
  {
    g_autofree char *deep = nested (TB_POOL_STATE_MAX_DEPTH, "{\"schema\":1,\"x\":");
    g_autofree char *text = g_strconcat (deep, "}", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(TbPoolState) state = tb_pool_state_new_from_data (text, strlen (text), &error);

    g_assert_null (state);
    g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_DEEP);
  }
}

static char *
generate (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static void
test_pool_state_year_644 (void)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("pool-state", "normalised-date-year-644.min");
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(TbPoolState) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  const TbPoolCertificate *cert = NULL;

  state = tb_pool_state_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                       &error);
  g_assert_no_error (error);
  node = tb_pool_state_to_json_node (state);
  text = generate (node);
  g_assert_nonnull (strstr (text, "\"notBefore\" : \"0644-01-01T00:00:00Z\""));

  again = tb_pool_state_new_from_data (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (again, &cert), ==, TB_POOL_PRESENT);
  g_assert_cmpint (g_date_time_get_year (cert->not_before), ==, 644);
}

/* What `pool import --json` and `pool status --json` print loads back (it was refused as
 * "nests deeper than 16 levels"). */
static void
test_pool_state_cli_round_trip (void)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data",
                                                   "pool-state-misconfigured.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("tb-parsers-XXXXXX", NULL);
  g_autofree char *first_path = g_build_filename (dir, "import.json", NULL);
  g_autofree char *status_path = g_build_filename (dir, "status.json", NULL);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  int rc;

  {
    const char *args[] = { "--json", "pool", "import", "--tenant", TENANT, source, NULL };

    rc = run_cli (args, NULL, &out, &err);
    g_assert_cmpint (rc, ==, 1);   /* the sample pool is misconfigured: checks fail */
    g_assert_true (g_file_set_contents (first_path, out, -1, NULL));
  }
  {
    const char *args[] = { "--json", "pool", "import", "--tenant", TENANT, first_path, NULL };

    rc = run_cli (args, NULL, &out2, &err2);
    if (rc == 2)
      g_error ("pool import refuses its own output: %s", err2);
    g_assert_cmpint (rc, ==, 1);
    g_assert_cmpstr (out2, ==, out);
  }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *args[] = { "--demo", "--json", "pool", "status", "--host", "pool.contoso.com",
                           NULL };

    rc = run_cli (args, NULL, &out, &err);
    g_assert_cmpint (rc, !=, 2);
    g_assert_true (g_file_set_contents (status_path, out, -1, NULL));
  }
  g_clear_pointer (&out2, g_free);
  g_clear_pointer (&err2, g_free);
  {
    const char *args[] = { "--json", "pool", "import", status_path, NULL };

    rc = run_cli (args, NULL, &out2, &err2);
    if (rc == 2)
      g_error ("pool import refuses pool status output: %s", err2);
  }

  g_unlink (first_path);
  g_unlink (status_path);
  g_rmdir (dir);
}

/* Sign-in replies */

static JsonObject *
auth_reply (const char *name)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("auth", name);
  g_autoptr(GError) error = NULL;
  JsonObject *reply = tb_http_parse_json_object (bytes, TB_HTTP_MAX_LOGIN_REPLY, &error);

  g_assert_no_error (error);
  return reply;
}

static void
test_auth_expires_in (void)
{
  const char *clamped[] = { "expires-in-int64-max.json", "expires-in-1e300.json" };

  for (guint i = 0; i < G_N_ELEMENTS (clamped); i++)
    {
      g_autoptr(JsonObject) reply = auth_reply (clamped[i]);
      g_autoptr(GError) error = NULL;
      TbAuthTokenReply token;

      g_assert_true (tb_auth_read_token_reply (reply, TB_AUTH_ACCESS_READ, &token, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (token.access_token, ==, "a");
      /* At most two days: the token is refreshed early instead of never. */
      g_assert_cmpint (token.expires_in, ==, 2 * 24 * 3600);
      tb_auth_token_reply_clear (&token);
    }

  /* 4e77 and no access token: a clear refusal. */
  {
    g_autoptr(JsonObject) reply = auth_reply ("expires-in-4e767.min");
    g_autoptr(GError) error = NULL;
    TbAuthTokenReply token;

    g_assert_false (tb_auth_read_token_reply (reply, TB_AUTH_ACCESS_READ, &token, &error));
    g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY);
  }

  {
    g_autoptr(JsonObject) reply = auth_reply ("device-code-expires-in-int64-max.json");
    g_autoptr(GError) error = NULL;
    TbAuthDeviceCodeReply device;

    g_assert_true (tb_auth_read_device_code_reply (reply, &device, &error));
    g_assert_no_error (error);
    g_assert_cmpint (device.expires_in, ==, 3600);
    g_assert_cmpuint (device.interval, ==, 5);
    g_assert_cmpstr (device.user_code, ==, "A");
  }
}

/* $batch and Graph replies through the real client (loopback server, signed in). */
static void
test_graph_replies (void)
{
  static const char * const app_ids[] = { "00000004-0000-0ff1-ce00-000000000000", NULL };
  const char *batch_files[] = { "batch-status-inf.json", "batch-status-float.min" };
  TbGraphClient *client = tb_fuzz_graph_client ();

  for (guint i = 0; i < G_N_ELEMENTS (batch_files); i++)
    {
      g_autoptr(GBytes) body = corpus_bytes ("batch", batch_files[i]);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TbGraphSnapshot) snapshot = NULL;
      g_autoptr(GError) error = NULL;

      tb_fuzz_graph_set_reply (SOUP_STATUS_OK, g_bytes_get_data (body, NULL),
                               g_bytes_get_size (body));
      tb_graph_client_snapshot_async (client, app_ids, cancellable, tb_fuzz_store_result,
                                      &result);
      tb_fuzz_wait (&result, cancellable, 20000);
      snapshot = tb_graph_client_snapshot_finish (client, result, &error);
      g_assert_null (snapshot);
      g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
      g_assert_true (g_str_has_prefix (error->message,
                                       "Microsoft Graph sent a reply that cannot be used"));
    }

  {
    g_autoptr(GBytes) body = corpus_bytes ("graph", "deep-nesting-hidden-by-comment.json");
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TbServicePrincipal) principal = NULL;
    g_autoptr(GError) error = NULL;

    tb_fuzz_graph_set_reply (SOUP_STATUS_OK, g_bytes_get_data (body, NULL),
                             g_bytes_get_size (body));
    tb_graph_client_get_service_principal_async (client, app_ids[0], cancellable,
                                                 tb_fuzz_store_result, &result);
    tb_fuzz_wait (&result, cancellable, 20000);
    principal = tb_graph_client_get_service_principal_finish (client, result, &error);
    g_assert_null (principal);
    g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
  }
}

/* XML */

static void
test_xml_nul (void)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("winrm-soap", "gmarkup-nul-in-comment.min");
  const char *data = g_bytes_get_data (bytes, NULL);
  gsize len = g_bytes_get_size (bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbXmlNode) tree = tb_xml_parse (data, len, &error);
  g_autoptr(TbWinrmReply) reply = NULL;

  g_assert_null (tree);
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_BAD_UTF8);
  g_clear_error (&error);

  reply = tb_winrm_reply_parse (data, len, &error);
  g_assert_null (reply);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message, "The server’s reply is not valid XML"));
  g_clear_error (&error);

  /* Invalid UTF-8 in text, and a tree is only returned without an error. */
  tree = tb_xml_parse ("<a>\xc3\x28</a>", -1, &error);
  g_assert_null (tree);
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_BAD_UTF8);
  g_clear_error (&error);
  tree = tb_xml_parse ("<a><b/></a><c/>", -1, &error);
  g_assert_null (tree);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* GMarkup's own message quotes half a character for a name it refuses (U+037E here). */
  tree = tb_xml_parse ("<a\xcd\xbe/>", -1, &error);
  g_assert_null (tree);
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);
  tree = tb_xml_parse ("<a><!-- fine --><b>x</b></a>", -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tree);
}

/* The endpoints file */

static void
test_endpoints_escape (void)
{
  g_autofree char *path = corpus_path ("endpoints", "keyfile-escape-at-eol.min");
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = tb_cloud_new_from_file (path, &error);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_null (cloud);
  g_assert_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE);
  g_assert_nonnull (strstr (error->message, "Line 2 of the endpoints file"));
  g_clear_error (&error);

  {
    const char *args[] = { "--endpoints", path, "tenant", "resolve", "contoso.com", NULL };

    g_assert_cmpint (run_cli (args, NULL, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "holds a backslash"));
    g_assert_null (strstr (err, "CRITICAL"));
    g_assert_null (strstr (err, "WARNING"));
  }

  /* A backslash in a comment is harmless; the addresses still load. */
  {
    g_autoptr(GBytes) bytes = corpus_bytes ("endpoints", "seed-loopback.ini");
    g_autoptr(TbCloud) ok = tb_cloud_new_from_data (g_bytes_get_data (bytes, NULL),
                                                    g_bytes_get_size (bytes), "seed", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (tb_cloud_get_login (ok), ==, "http://127.0.0.1:8080");
  }
}

/* The WinRM client stops reading at its 16 MiB cap */

static void
test_winrm_endless_reply (void)
{
  g_autoptr(TbSimWinrm) sim = tb_sim_winrm_new ();
  g_autoptr(TbWinrmShell) shell = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbWinrmResult) run = NULL;
  g_autoptr(GError) error = NULL;

  tb_sim_winrm_set_basic_account (sim, "labadmin", "pw");
  tb_sim_winrm_start (sim, 0, &error);
  g_assert_no_error (error);
  tb_sim_winrm_inject_fault (sim, TB_SIM_WINRM_FAULT_ENDLESS_REPLY, 1);

  shell = tb_winrm_shell_new ("localhost", tb_sim_winrm_get_port (sim), TB_WINRM_AUTH_BASIC,
                              "labadmin", "pw", tb_sim_winrm_get_fingerprint (sim));
  tb_winrm_shell_run_async (shell, TB_WINRM_COMMAND_POWERSHELL, "Get-Date", 60000, NULL,
                            tb_test_store_result, &result);
  tb_test_wait_for (&result, "tb_winrm_shell_run");
  run = tb_winrm_shell_run_finish (shell, result, &error);

  g_assert_null (run);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "The server’s reply is too large.");
  /* It stopped near the cap: 16 MiB read, plus what sat in socket buffers. */
  g_assert_cmpuint (tb_sim_winrm_get_endless_bytes (sim), <, 48 * 1024 * 1024);

  /* The client dropped the connection: the server's writes fail and it stops sending (were the
   * connection kept, the server's blocking TLS goodbye below would wait forever). */
  g_clear_object (&shell);
  {
    gint64 until = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  tb_sim_winrm_stop (sim);
}

/* Dates */

static void
test_format_years (void)
{
  const struct { int year; const char *iso; } cases[] = {
    { 1, "0001-01-01T00:00:00Z" }, { 644, "0644-01-01T00:00:00Z" },
    { 999, "0999-01-01T00:00:00Z" }, { 2027, "2027-01-01T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_new_utc (cases[i].year, 1, 1, 0, 0, 0);
      g_autofree char *iso = tb_format_iso8601_utc (when);
      g_autoptr(GDateTime) back = g_date_time_new_from_iso8601 (iso, NULL);
      g_autofree char *local = tb_format_local (when);

      g_assert_cmpstr (iso, ==, cases[i].iso);
      g_assert_nonnull (back);
      g_assert_true (g_date_time_equal (back, when));
      g_assert_nonnull (local);
    }

  /* An offset that puts the UTC time past 9999 still gives text. */
  {
    g_autoptr(GTimeZone) west = g_time_zone_new_identifier ("-05:00");
    g_autoptr(GDateTime) when = g_date_time_new (west, 9999, 12, 31, 23, 0, 0);
    g_autofree char *iso = tb_format_iso8601_utc (when);

    g_assert_cmpstr (iso, ==, "9999-12-31T23:00:00-05:00");
  }
}

/* The process runs with TZ east of UTC (see main): 9999-12-31T23:59:59Z has no local time. */
static void
test_format_9999_east (void)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("cert", "notafter-9999-local-time.min");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = tb_certificate_parse_bytes (bytes, "9999", &error);
  g_autofree char *path = corpus_path ("cert", "notafter-9999-local-time.min");
  g_autofree char *local = NULL, *iso = NULL, *out = NULL, *err = NULL;
  GDateTime *not_after;

  g_assert_no_error (error);
  not_after = tb_certificate_get_not_after (g_ptr_array_index (certs, 0));
  local = tb_format_local (not_after);
  iso = tb_format_iso8601_utc (not_after);
  g_assert_cmpstr (local, ==, "9999-12-31 23:59:59 UTC");
  g_assert_cmpstr (iso, ==, "9999-12-31T23:59:59Z");

  {
    const char *args[] = { "cert", "inspect", path, NULL };
    const char *env[] = { "TZ", "Asia/Tokyo", "G_DEBUG", "fatal-criticals", NULL };

    g_assert_cmpint (run_cli (args, env, &out, &err), ==, 0);
    g_assert_null (strstr (out, "(null)"));
    g_assert_nonnull (strstr (out, "9999-12-31 23:59:59 UTC"));
    g_assert_null (strstr (err, "CRITICAL"));
  }
}

/* Certificate names */

static void
test_cert_universalstring (void)
{
  g_autoptr(GBytes) bytes = corpus_bytes ("cert", "universalstring-invalid-utf8.min");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = tb_certificate_parse_bytes (bytes, "u", &error);
  g_autofree char *path = corpus_path ("cert", "universalstring-invalid-utf8.min");
  g_autofree char *out = NULL, *err = NULL;
  TbCertificate *cert;

  g_assert_no_error (error);
  cert = g_ptr_array_index (certs, 0);
  g_assert_true (g_utf8_validate (tb_certificate_get_issuer (cert), -1, NULL));
  g_assert_true (g_utf8_validate (tb_certificate_get_subject (cert), -1, NULL));
  /* What did not convert is shown as U+FFFD, not dropped. */
  g_assert_nonnull (strstr (tb_certificate_get_issuer (cert), "\xef\xbf\xbd"));

  {
    const char *args[] = { "cert", "inspect", "--json", path, NULL };

    g_assert_cmpint (run_cli (args, NULL, &out, &err), ==, 0);
    /* Strict JSON in valid UTF-8. */
    if (!tb_json_check (out, strlen (out), 8, &error))
      g_error ("cert inspect --json is not JSON: %s", error->message);
  }
}

/* Redaction of the HTTP debug log */

static void
assert_redacted (const char *body,
                 const char *const *secrets,
                 const char *const *kept)
{
  g_autofree char *out = tb_http_redact_body (body, strlen (body));

  for (guint i = 0; secrets[i] != NULL; i++)
    if (strstr (out, secrets[i]) != NULL)
      g_error ("“%s” left in:\n%s", secrets[i], out);
  for (guint i = 0; kept != NULL && kept[i] != NULL; i++)
    if (strstr (out, kept[i]) == NULL)
      g_error ("“%s” lost from:\n%s", kept[i], out);
}

static void
test_redact_bodies (void)
{
  const char *token_secrets[] = { "eyJAT", "0.ARsecret", "eyJID", NULL };
  const char *token_kept[] = { "Bearer", "3599", "Application.Read.All", NULL };
  const char *token_replies[] = {
    /* compact */
    "{\"token_type\":\"Bearer\",\"scope\":\"Application.Read.All\",\"expires_in\":3599,"
    "\"access_token\":\"eyJAT.x.y\",\"refresh_token\":\"0.ARsecret\",\"id_token\":\"eyJID.a.b\"}",
    /* pretty-printed: key and value on different lines */
    "{\n  \"token_type\": \"Bearer\",\n  \"scope\": \"Application.Read.All\",\n"
    "  \"expires_in\": 3599,\n  \"access_token\":\n    \"eyJAT.x.y\",\n  \"refresh_token\"\n"
    "  :\n  \"0.ARsecret\",\n  \"id_token\"\n:\n\"eyJID.a.b\"\n}\n",
    /* odd white space */
    "\r\n\t{ \"token_type\" :\t\"Bearer\" , \"scope\":\"Application.Read.All\","
    "\"expires_in\"\r\n:\r\n3599 ,\"access_token\"\t:\t\"eyJAT.x.y\" ,\r\n\"refresh_token\":"
    "\n\n\"0.ARsecret\",\"id_token\"   :   \"eyJID.a.b\"   }   \n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (token_replies); i++)
    assert_redacted (token_replies[i], token_secrets, token_kept);

  /* Form-encoded requests */
  {
    const char *secrets[] = { "0.ARrefresh", "0.AUTHCODE", "VERIFIER43", "P%40ssw0rd",
                              "DAQABAAE", "cs-value", NULL };
    const char *kept1[] = { "grant_type=refresh_token", "client_id=14d82eec",
                            "scope=openid+offline_access", "refresh_token=[REDACTED]", NULL };
    const char *kept2[] = { "redirect_uri=http%3A%2F%2Flocalhost", "code=[REDACTED]",
                            "code_verifier=[REDACTED]", NULL };
    const char *kept3[] = { "username=admin", "password=[REDACTED]", NULL };
    const char *kept4[] = { "device_code=[REDACTED]", "client_secret=[REDACTED]", NULL };
    const char *kept5[] = { "refresh%5Ftoken=[REDACTED]", "client_id=14d82eec", NULL };

    assert_redacted ("client_id=14d82eec&grant_type=refresh_token&refresh_token=0.ARrefresh&"
                     "scope=openid+offline_access", secrets, kept1);
    assert_redacted ("grant_type=authorization_code&code=0.AUTHCODE&code_verifier=VERIFIER43&"
                     "redirect_uri=http%3A%2F%2Flocalhost&client_id=14d82eec", secrets, kept2);
    assert_redacted ("grant_type=password&username=admin&password=P%40ssw0rd&client_id=14d82eec",
                     secrets, kept3);
    assert_redacted ("device_code=DAQABAAE&client_secret=cs-value&client_id=14d82eec",
                     secrets, kept4);
    /* A name spelled with escapes is still recognised. */
    assert_redacted ("refresh%5Ftoken=0.ARrefresh&client_id=14d82eec", secrets, kept5);
  }

  /* Graph's error.code stays: support needs it. The OAuth code at the top does not. */
  {
    const char *secrets[] = { "TOPCODE", NULL };
    const char *kept[] = { "Authorization_RequestDenied", "Insufficient privileges",
                           "request-id", NULL };

    assert_redacted ("{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":"
                     "\"Insufficient privileges to complete the operation.\",\"innerError\":"
                     "{\"request-id\":\"1\"}}}", secrets, kept);
    assert_redacted ("{\"code\":\"TOPCODE\",\"state\":\"abc\"}", secrets, NULL);
    /* $batch: the error inside an item's body too */
    assert_redacted ("{\"responses\":[{\"id\":\"sp0\",\"status\":403,\"body\":{\"error\":"
                     "{\"code\":\"Authorization_RequestDenied\",\"message\":"
                     "\"Insufficient privileges\",\"innerError\":{\"request-id\":\"1\"}}}}]}",
                     secrets, kept);
  }

  /* Certificate key values sit in keyCredential(s); other "key" members are not secrets. */
  {
    const char *secrets[] = { "MIICsecret", "MIIDsecret", "eyJPROOF", "pw-text", NULL };
    const char *kept[] = { "AsymmetricX509Cert", "k1", "\"key\" : \"visible\"", NULL };

    assert_redacted ("{\"keyCredentials\":[{\"keyId\":\"k1\",\"type\":\"AsymmetricX509Cert\","
                     "\"key\":\"MIICsecret\"}],\"settings\":{\"key\":\"visible\"}}",
                     secrets, kept);
    assert_redacted ("{\"keyCredential\":{\"type\":\"AsymmetricX509Cert\",\"key\":"
                     "\"MIIDsecret\"},\"proof\":\"eyJPROOF\",\"passwordCredential\":"
                     "{\"secretText\":\"pw-text\"},\"x\":{\"keyId\":\"k1\",\"key\":\"visible\"}}",
                     secrets, kept);
    /* $batch request bodies */
    assert_redacted ("{\"requests\":[{\"id\":\"1\",\"method\":\"PATCH\",\"body\":"
                     "{\"keyCredentials\":[{\"keyId\":\"k1\",\"type\":\"AsymmetricX509Cert\","
                     "\"key\":\"MIICsecret\"}]}}],\"x\":{\"key\":\"visible\"}}", secrets, kept);
  }

  /* Numbers json-glib's generator would write as non-JSON still give a JSON log. */
  {
    const char *bodies[] = { "\r80e040", "{\"a\":[1e999,-1e999,1e21,0.5]}" };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autofree char *out = tb_http_redact_body (bodies[i], strlen (bodies[i]));
        g_autoptr(GError) error = NULL;

        if (!tb_json_check (out, strlen (out), 8, &error))
          g_error ("“%s” redacted to non-JSON “%s”: %s", bodies[i], out, error->message);
      }
  }

  /* What does not parse is hidden whole, including a body cut short. */
  {
    const char *secrets[] = { "eyJCUT", "hunter2", "<html>", NULL };
    const char *kept[] = { "[REDACTED:", NULL };

    assert_redacted ("{\"access_token\":\"eyJCUT", secrets, kept);
    assert_redacted ("{\"a\":1}\n[...]", secrets, kept);
    assert_redacted ("password: hunter2", secrets, kept);
    assert_redacted ("<html><body>Error</body></html>", secrets, kept);
  }
}

/* The log itself, through a session with TB_DEBUG=http. */

static GString *http_log;

static void
capture_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  g_string_append (http_log, message);
  g_string_append_c (http_log, '\n');
}

static const char pretty_token[] =
  "{\n  \"token_type\": \"Bearer\",\n  \"expires_in\": 3599,\n  \"access_token\":\n"
  "    \"eyJLOGGEDAT.x.y\",\n  \"refresh_token\"\n  :\n  \"0.ARLOGGEDRT\"\n}\n";
static const char graph_error[] =
  "{\n  \"error\": {\n    \"code\": \"Authorization_RequestDenied\",\n"
  "    \"message\": \"Insufficient privileges to complete the operation.\"\n  }\n}";

static void
log_handler (const char  *method,
             const char  *path,
             guint       *status,
             GBytes     **body,
             gpointer     user_data)
{
  if (g_str_has_suffix (path, "/token"))
    {
      *status = SOUP_STATUS_OK;
      *body = g_bytes_new_static (pretty_token, strlen (pretty_token));
    }
  else
    {
      *status = SOUP_STATUS_FORBIDDEN;
      *body = g_bytes_new_static (graph_error, strlen (graph_error));
    }
}

static GBytes *
send (SoupSession *session,
      SoupMessage *msg)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  tb_http_send_and_read_async (session, msg, 1024 * 1024, G_PRIORITY_DEFAULT, cancellable,
                               tb_fuzz_store_result, &result);
  tb_fuzz_wait (&result, cancellable, 20000);
  body = tb_http_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  return body;
}

static void
test_redact_log (void)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *token_uri = g_strdup_printf ("%s/common/oauth2/v2.0/token",
                                                tb_fuzz_server_base ());
  g_autofree char *graph_uri = g_strdup_printf ("%s/v1.0/servicePrincipals",
                                                tb_fuzz_server_base ());
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(GBytes) body1 = NULL;
  g_autoptr(GBytes) body2 = NULL;
  const char *secrets[] = { "eyJLOGGEDAT", "0.ARLOGGEDRT", "0.ARREQUESTRT", "AUTHCODE1",
                            "VERIFIER1", "P%40ss", "eyJBEARER", NULL };
  guint handler;

  http_log = g_string_new (NULL);
  handler = g_log_set_handler ("TrustBridge-http", G_LOG_LEVEL_MASK, capture_log, NULL);
  g_setenv ("TB_DEBUG", "http", TRUE);
  session = tb_http_session_new ();
  g_unsetenv ("TB_DEBUG");
  tb_fuzz_server_set_handler (log_handler, NULL);

  g_hash_table_insert (form, g_strdup ("grant_type"), g_strdup ("refresh_token"));
  g_hash_table_insert (form, g_strdup ("refresh_token"), g_strdup ("0.ARREQUESTRT"));
  g_hash_table_insert (form, g_strdup ("code"), g_strdup ("AUTHCODE1"));
  g_hash_table_insert (form, g_strdup ("code_verifier"), g_strdup ("VERIFIER1"));
  g_hash_table_insert (form, g_strdup ("password"), g_strdup ("P@ss"));
  g_hash_table_insert (form, g_strdup ("client_id"), g_strdup ("14d82eec"));
  post = tb_http_new_form_post (token_uri, g_steal_pointer (&form));
  body1 = send (session, post);

  get = soup_message_new ("GET", graph_uri);
  soup_message_headers_replace (soup_message_get_request_headers (get), "Authorization",
                                "Bearer eyJBEARER.x.y");
  body2 = send (session, get);

  g_log_remove_handler ("TrustBridge-http", handler);

  for (guint i = 0; secrets[i] != NULL; i++)
    if (strstr (http_log->str, secrets[i]) != NULL)
      g_error ("“%s” reached the log:\n%s", secrets[i], http_log->str);
  g_assert_nonnull (strstr (http_log->str, "Authorization_RequestDenied"));
  g_assert_nonnull (strstr (http_log->str, "grant_type=refresh_token"));
  g_assert_nonnull (strstr (http_log->str, "client_id=14d82eec"));
  g_assert_nonnull (strstr (http_log->str, "\"expires_in\" : 3599"));
  g_assert_nonnull (strstr (http_log->str, "Authorization: [REDACTED]"));
  g_string_free (g_steal_pointer (&http_log), TRUE);
}

int
main (int    argc,
      char **argv)
{
  /* East of UTC, for the 9999-12-31 case; set before GLib reads the local zone. */
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);
  tb_fuzz_init ();

  g_test_add_func ("/json/gate", test_json_gate);
  g_test_add_func ("/json/depth", test_json_depth);
  g_test_add_func ("/json/hidden-nesting", test_json_hidden_nesting);
  g_test_add_func ("/json/numbers", test_json_numbers);
  g_test_add_func ("/pool-state/hidden-nesting", test_pool_state_hidden_nesting);
  g_test_add_func ("/pool-state/year-644", test_pool_state_year_644);
  g_test_add_func ("/pool-state/cli-round-trip", test_pool_state_cli_round_trip);
  g_test_add_func ("/auth/expires-in", test_auth_expires_in);
  g_test_add_func ("/graph/replies", test_graph_replies);
  g_test_add_func ("/xml/nul", test_xml_nul);
  g_test_add_func ("/endpoints/escape", test_endpoints_escape);
  g_test_add_func ("/winrm/endless-reply", test_winrm_endless_reply);
  g_test_add_func ("/format/years", test_format_years);
  g_test_add_func ("/format/9999-east", test_format_9999_east);
  g_test_add_func ("/cert/universalstring", test_cert_universalstring);
  g_test_add_func ("/redact/bodies", test_redact_bodies);
  g_test_add_func ("/redact/log", test_redact_log);

  return g_test_run ();
}
