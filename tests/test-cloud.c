/* test-cloud.c: clouds, endpoint files, URL rules and log redaction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-cloud-private.h"
#include "tb-http.h"
#include "tb-tenant.h"
#include "tb-test-certs.h"

static void
test_builtins (void)
{
  const char * const *names = tb_cloud_list_builtin ();
  const struct { const char *name, *login, *graph, *acs, *scope; } expected[] = {
    { "global", "https://login.microsoftonline.com", "https://graph.microsoft.com",
      "https://accounts.accesscontrol.windows.net",
      "https://graph.microsoft.com/Application.Read.All" },
    { "usgov-high", "https://login.microsoftonline.us", "https://graph.microsoft.us",
      "https://login.microsoftonline.us", "https://graph.microsoft.us/Application.Read.All" },
    { "usgov-dod", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us",
      "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/Application.Read.All" },
    { "china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn",
      "https://accounts.accesscontrol.chinacloudapi.cn",
      "https://microsoftgraph.chinacloudapi.cn/Application.Read.All" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) unknown = NULL;

  g_assert_cmpuint (g_strv_length ((char **) names), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(TbCloud) cloud = tb_cloud_new_builtin (expected[i].name, &error);
      g_autofree char *scope = NULL;
      g_autofree char *meta = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (names[i], ==, expected[i].name);
      g_assert_cmpstr (tb_cloud_get_name (cloud), ==, expected[i].name);
      g_assert_cmpstr (tb_cloud_get_login (cloud), ==, expected[i].login);
      g_assert_cmpstr (tb_cloud_get_graph (cloud), ==, expected[i].graph);
      g_assert_cmpstr (tb_cloud_get_acs (cloud), ==, expected[i].acs);
      g_assert_false (tb_cloud_is_custom (cloud));
      g_assert_nonnull (tb_cloud_get_display_name (cloud));
      scope = tb_cloud_graph_scope (cloud, "Application.Read.All");
      g_assert_cmpstr (scope, ==, expected[i].scope);
      meta = tb_cloud_acs_metadata_uri (cloud, "72f988bf-86f1-41af-91ab-2d7cd011db47");
      g_assert_true (g_str_has_prefix (meta, expected[i].acs));
      g_assert_true (g_str_has_suffix (meta, "/72f988bf-86f1-41af-91ab-2d7cd011db47/metadata/json/1"));
      g_assert_finalize_object (g_steal_pointer (&cloud));
    }

  {
    g_autoptr(TbCloud) global = tb_cloud_new_builtin ("global", NULL);
    g_autofree char *meta = tb_cloud_acs_metadata_uri (global, "72f988bf-86f1-41af-91ab-2d7cd011db47");
    g_autofree char *login = tb_cloud_login_uri (global, "contoso.com",
                                                 "v2.0/.well-known/openid-configuration");
    g_autofree char *graph = tb_cloud_graph_uri (global, "servicePrincipals(appId='x')");

    /* The exact MetadataUrl from Microsoft's SfB hybrid article. */
    g_assert_cmpstr (meta, ==, "https://accounts.accesscontrol.windows.net/"
                     "72f988bf-86f1-41af-91ab-2d7cd011db47/metadata/json/1");
    g_assert_cmpstr (login, ==, "https://login.microsoftonline.com/contoso.com/v2.0/"
                     ".well-known/openid-configuration");
    g_assert_cmpstr (graph, ==, "https://graph.microsoft.com/v1.0/servicePrincipals(appId='x')");
  }

  unknown = tb_cloud_new_builtin ("mars", &error);
  g_assert_null (unknown);
  g_assert_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_UNKNOWN_CLOUD);
  g_assert_nonnull (strstr (error->message, "mars"));
}

static void
test_custom_file (void)
{
  const char *text =
    "# the simulator\n"
    "[Endpoints]\n"
    "Login=http://127.0.0.1:8123/login/\n"
    "Graph = http://127.0.0.1:8123/graph///\n"
    "Acs=http://localhost:8123/acs\n";
  g_autofree char *path = tb_test_write_file ("sim.ini", text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = tb_cloud_new_from_file (path, &error);
  g_autofree char *login = NULL;
  g_autofree char *graph = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *scope = NULL;

  g_assert_no_error (error);
  g_assert_true (tb_cloud_is_custom (cloud));
  g_assert_cmpstr (tb_cloud_get_login (cloud), ==, "http://127.0.0.1:8123/login");
  g_assert_cmpstr (tb_cloud_get_graph (cloud), ==, "http://127.0.0.1:8123/graph");
  g_assert_cmpstr (tb_cloud_get_acs (cloud), ==, "http://localhost:8123/acs");

  login = tb_cloud_login_uri (cloud, "contoso.onmicrosoft.com", "oauth2/v2.0/token");
  g_assert_cmpstr (login, ==, "http://127.0.0.1:8123/login/contoso.onmicrosoft.com/oauth2/v2.0/token");
  graph = tb_cloud_graph_uri (cloud, "organization");
  g_assert_cmpstr (graph, ==, "http://127.0.0.1:8123/graph/v1.0/organization");
  meta = tb_cloud_acs_metadata_uri (cloud, "00000000-0000-0000-0000-000000000001");
  g_assert_cmpstr (meta, ==, "http://localhost:8123/acs/00000000-0000-0000-0000-000000000001/metadata/json/1");
  scope = tb_cloud_graph_scope (cloud, "Application.ReadWrite.All");
  g_assert_cmpstr (scope, ==, "http://127.0.0.1:8123/Application.ReadWrite.All");

  /* A tenant that is not a plain name is escaped, never spliced into the path. */
  {
    g_autofree char *odd = tb_cloud_login_uri (cloud, "a/../b?x", "v2.0");
    g_assert_cmpstr (odd, ==, "http://127.0.0.1:8123/login/a%2F..%2Fb%3Fx/v2.0");
  }

  /* nextLink and token safety: same scheme, host, port and inside the path prefix. */
  g_assert_true (tb_cloud_is_graph_uri (cloud, "http://127.0.0.1:8123/graph/v1.0/servicePrincipals?$skiptoken=x"));
  g_assert_true (tb_cloud_is_graph_uri (cloud, "HTTP://127.0.0.1:8123/graph"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://127.0.0.1:8124/graph/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://127.0.0.2:8123/graph/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "https://127.0.0.1:8123/graph/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://127.0.0.1:8123/graphx/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://127.0.0.1:8123/login/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://evil@127.0.0.1:8123/graph/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "/graph/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, NULL));
  g_assert_true (tb_cloud_is_login_uri (cloud, "http://127.0.0.1:8123/login/t/oauth2/v2.0/token"));
  g_assert_false (tb_cloud_is_login_uri (cloud, "http://127.0.0.1:8123/graph/v1.0/x"));

  g_assert_finalize_object (g_steal_pointer (&cloud));
}

static void
test_graph_uri_global (void)
{
  g_autoptr(TbCloud) cloud = tb_cloud_new_builtin ("global", NULL);

  g_assert_true (tb_cloud_is_graph_uri (cloud, "https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=abc"));
  /* The default port written out is the same origin. */
  g_assert_true (tb_cloud_is_graph_uri (cloud, "https://graph.microsoft.com:443/v1.0/x"));
  g_assert_true (tb_cloud_is_graph_uri (cloud, "https://GRAPH.microsoft.com/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "http://graph.microsoft.com/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "https://graph.microsoft.com:8443/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "https://graph.microsoft.com.evil.example/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "https://graph.microsoft.us/v1.0/x"));
  g_assert_false (tb_cloud_is_graph_uri (cloud, "not a uri"));
  g_assert_true (tb_cloud_is_login_uri (cloud, "https://login.microsoftonline.com/common/oauth2/v2.0/token"));
  g_assert_false (tb_cloud_is_login_uri (cloud, "https://graph.microsoft.com/v1.0/x"));
}

static void
test_check_url (void)
{
  const char *good[] = {
    "https://login.microsoftonline.com", "https://example.org:8443/prefix",
    "http://127.0.0.1:9/x", "http://127.200.3.4/", "http://[::1]:8080/", "http://localhost:1/",
    "http://LOCALHOST/",
  };
  const char *bad[] = {
    "http://login.microsoftonline.com", "http://10.0.0.1/", "http://128.0.0.1/",
    "http://localhost.evil.example/", "http://[::2]/", "ftp://127.0.0.1/", "file:///etc/passwd",
    "login.microsoftonline.com", "", "https://", "/relative",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tb_cloud_check_url (good[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      if (tb_cloud_check_url (bad[i], &error))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL);
    }

  /* The message explains the rule so an admin knows what to change. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (tb_cloud_check_url ("http://login.example.com/", &error));
    g_assert_nonnull (strstr (error->message, "https://"));
    g_assert_nonnull (strstr (error->message, "localhost"));
  }
}

static void
expect_file_error (const char *text,
                   int         code,
                   const char *needle)
{
  g_autofree char *path = tb_test_write_file ("bad.ini", text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = tb_cloud_new_from_file (path, &error);

  g_assert_null (cloud);
  g_assert_error (error, TB_CLOUD_ERROR, code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, needle);
}

static void
test_bad_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) missing = NULL;

  missing = tb_cloud_new_from_file ("/nonexistent/endpoints.ini", &error);
  g_assert_null (missing);
  g_assert_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE);

  expect_file_error ("not a key file\n", TB_CLOUD_ERROR_BAD_FILE, NULL);
  expect_file_error ("[Other]\nLogin=https://a\n", TB_CLOUD_ERROR_BAD_FILE, "[Endpoints]");
  expect_file_error ("[Endpoints]\nLogin=https://a.example\nGraph=https://b.example\n",
                     TB_CLOUD_ERROR_BAD_FILE, "Acs");
  expect_file_error ("[Endpoints]\nLogin=https://a.example\nGraph=\nAcs=https://c.example\n",
                     TB_CLOUD_ERROR_BAD_FILE, "Graph");
  expect_file_error ("[Endpoints]\nLogin=http://login.example.com\nGraph=https://b.example\n"
                     "Acs=https://c.example\n", TB_CLOUD_ERROR_BAD_URL, "Login");
  expect_file_error ("[Endpoints]\nLogin=https://a.example\nGraph=https://b.example/?x=1\n"
                     "Acs=https://c.example\n", TB_CLOUD_ERROR_BAD_URL, "Graph");
  expect_file_error ("[Endpoints]\nLogin=https://a.example\nGraph=https://b.example\n"
                     "Acs=https://user:pw@c.example\n", TB_CLOUD_ERROR_BAD_URL, "Acs");
}

/* Every kind of secret the app handles, in every form it travels in. */
static void
test_redact (void)
{
  const struct { const char *in; const char *secret; const char *kept; } cases[] = {
    { "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig", "eyJhbGciOiJSUzI1NiJ9", "Authorization" },
    { "authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA", "authorization" },
    { "Authorization: Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1", "YIIGhgYJ", NULL },
    { "Cookie: esctx=SECRETCOOKIE; fpc=x", "SECRETCOOKIE", NULL },
    { "{\"token_type\":\"Bearer\",\"access_token\":\"AT-123.456\",\"expires_in\":3599}", "AT-123.456", "expires_in" },
    { "{\"refresh_token\" : \"RT\\\"quoted\\\\x\", \"scope\":\"a b\"}", "quoted", "scope" },
    { "{\"id_token\":\"eyJ0eXAi.eyJhdWQi.sig\"}", "eyJhdWQi", NULL },
    { "{\"device_code\":\"DC-secret\",\"user_code\":\"ABCD-EFGH\"}", "DC-secret", "ABCD-EFGH" },
    { "{\"keyCredentials\":[{\"keyId\":\"k1\",\"type\":\"AsymmetricX509Cert\",\"key\":\"MIIC+base64/==\"}]}", "MIIC+base64", "k1" },
    { "{\"password\":\"hunter2\"}", "hunter2", NULL },
    { "{\"secretText\":\"s3cr3t\"}", "s3cr3t", NULL },
    { "{\"client_secret\":\"cs-value\"}", "cs-value", NULL },
    { "client_id=14d82eec&grant_type=refresh_token&refresh_token=0.ARoA-RT&scope=openid", "0.ARoA-RT", "grant_type=refresh_token" },
    { "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=DAQABAAEAAAA&client_id=x", "DAQABAAEAAAA", "client_id=x" },
    { "grant_type=authorization_code&code=0.AUTHCODE&code_verifier=VERIFIER-43chars&redirect_uri=http%3A%2F%2Flocalhost", "0.AUTHCODE", "redirect_uri" },
    { "code_verifier=VERIFIER-43chars&code=x", "VERIFIER-43chars", NULL },
    { "GET /?code=0.AUTHCODE2&state=abc HTTP/1.1", "0.AUTHCODE2", "state=abc" },
    { "client_assertion_type=jwt&client_assertion=eyJASSERT", "eyJASSERT", NULL },
    { "assertion=eyJOBO&requested_token_use=on_behalf_of", "eyJOBO", "requested_token_use" },
    { "password=P%40ss&user=admin", "P%40ss", "user=admin" },
    /* A body cut by the logger's size cap must not leak the start of a token. */
    { "{\"access_token\":\"eyJUNTERMINATED", "eyJUNTERMINATED", NULL },
    { "{\"ACCESS_TOKEN\":\"UPPER\"}", "UPPER", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = tb_http_redact (cases[i].in);

      if (strstr (out, cases[i].secret) != NULL)
        g_error ("secret left in “%s”", out);
      g_assert_nonnull (strstr (out, "[REDACTED]"));
      if (cases[i].kept != NULL && strstr (out, cases[i].kept) == NULL)
        g_error ("“%s” lost “%s”", out, cases[i].kept);
    }

  /* Names that merely contain a secret's name are left alone; so is ordinary text. */
  {
    const char *plain[] = {
      "{\"user_code\":\"ABCD\",\"keyId\":\"1\",\"verification_uri\":\"https://microsoft.com/devicelogin\"}",
      "errorcode=5&zipcode=1234&passwordless=true",
      "GET /v1.0/servicePrincipals?$select=keyCredentials HTTP/1.1",
      "Content-Type: application/json",
      "",
    };

    for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
      {
        g_autofree char *out = tb_http_redact (plain[i]);
        g_assert_cmpstr (out, ==, plain[i]);
      }
  }

  g_assert_null (tb_http_redact (NULL));
}

static void
test_parse_json (void)
{
  g_autoptr(GError) error = NULL;
  static const char ok_text[] = "{\"a\":\"b\",\"n\":\"42\",\"KeyValue\":{}}";
  g_autoptr(GBytes) ok = g_bytes_new_static (ok_text, strlen (ok_text));
  g_autoptr(GBytes) array = g_bytes_new_static ("[1]", 3);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("<html>", 6);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GBytes) deep_bytes = NULL;

  object = tb_http_parse_json_object (ok, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_json_get_string (object, "a"), ==, "b");
  g_assert_null (tb_json_get_string (object, "n2"));
  g_assert_cmpint (tb_json_get_int (object, "n", -1), ==, 42);
  g_assert_cmpint (tb_json_get_int (object, "a", -1), ==, -1);
  g_assert_nonnull (tb_json_get_member_ci (object, "keyvalue"));

  none = tb_http_parse_json_object (ok, 10, &error);
  g_assert_null (none);
  g_assert_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  none = tb_http_parse_json_object (array, 1024, &error);
  g_assert_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON);
  g_clear_error (&error);
  none = tb_http_parse_json_object (garbage, 1024, &error);
  g_assert_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON);
  g_clear_error (&error);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_bytes_new (deep->str, deep->len);
  none = tb_http_parse_json_object (deep_bytes, 1024 * 1024, &error);
  g_assert_null (none);
  g_assert_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON);
}

static void
test_tenant_input (void)
{
  const char *good[] = {
    "contoso.com", "Contoso.OnMicrosoft.com", "a-b.example.co.uk", " contoso.com. ",
    "72f988bf-86f1-41af-91ab-2d7cd011db47", "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
    "bücher.example",
  };
  const char *bad[] = {
    "", "contoso", "-contoso.com", "contoso-.com", "con_toso.com", "contoso..com",
    "10.0.0.1", "contoso.com/../x", "contoso.com?x", "a@contoso.com",
    "72f988bf-86f1-41af-91ab-2d7cd011db4", "72f988bf86f141af91ab2d7cd011db47x",
    "organizations/../common",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!tb_tenant_check_input (good[i], &error))
        g_error ("“%s” refused: %s", good[i], error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      if (tb_tenant_check_input (bad[i], &error))
        g_error ("“%s” accepted", bad[i]);
      g_assert_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_INVALID_INPUT);
    }
  g_assert_false (tb_tenant_check_input (NULL, NULL));
  g_assert_true (tb_tenant_is_guid ("00000004-0000-0ff1-ce00-000000000000"));
  g_assert_false (tb_tenant_is_guid ("00000004-0000-0ff1-ce00-00000000000g"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cloud/builtins", test_builtins);
  g_test_add_func ("/cloud/custom-file", test_custom_file);
  g_test_add_func ("/cloud/graph-uri", test_graph_uri_global);
  g_test_add_func ("/cloud/check-url", test_check_url);
  g_test_add_func ("/cloud/bad-files", test_bad_files);
  g_test_add_func ("/tenant/input", test_tenant_input);
  g_test_add_func ("/http/redact", test_redact);
  g_test_add_func ("/http/parse-json", test_parse_json);

  return g_test_run ();
}
