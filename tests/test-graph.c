/* test-graph.c: the Graph client, the principal editor and the plan over loopback
 *
 * Two peers: the simulator (app/sim), which behaves like Graph, and a tiny server in this
 * file that misbehaves on purpose (garbage, huge or wrongly typed replies, foreign links),
 * with a minimal login so the real TbAuth signs in to both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-credential-merge.h"
#include "tb-graph-client.h"
#include "tb-http.h"
#include "tb-plan.h"
#include "tb-principal-editor.h"
#include "tb-profile.h"
#include "tb-test-certs.h"

/* ------------------------------------------------------------------------------------ */
/* Waiting for async results on the default main context */

static GAsyncResult *async_result;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_assert_null (async_result);
  async_result = g_object_ref (result);
}

static GAsyncResult *
wait_result (void)
{
  GAsyncResult *result;

  while (async_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = async_result;
  async_result = NULL;
  return result;
}

static TbCertificate *
make_cert (const char *cn)
{
  TbTestCertSpec spec = { .common_name = cn, .key_type = TB_TEST_KEY_EC_P256 };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autoptr(GError) error = NULL;
  TbCertificate *cert = tb_certificate_new_from_der (der, &error);

  g_assert_no_error (error);
  return cert;
}

static void
prompt_ignore (const TbDeviceCodePrompt *prompt,
               gpointer                  user_data)
{
}

static void
sign_in (TbAuth *auth)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_WRITE, prompt_ignore, NULL, NULL,
                                     store_result, NULL);
  result = wait_result ();
  g_assert_true (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_no_error (error);
}

static TbServicePrincipal *
get_principal (TbGraphClient *client,
               const char    *app_id,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_graph_client_get_service_principal_async (client, app_id, NULL, store_result, NULL);
  result = wait_result ();
  return tb_graph_client_get_service_principal_finish (client, result, error);
}

static TbChange *
apply_edit (TbGraphClient   *client,
            TbPrincipalEdit *edit,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_principal_editor_apply_async (client, edit, NULL, store_result, NULL);
  result = wait_result ();
  return tb_principal_editor_apply_finish (client, result, error);
}

/* ------------------------------------------------------------------------------------ */
/* The misbehaving peer */

typedef struct
{
  SoupServer *server;
  char       *base;
  const char *mode;
  guint       graph_requests;
  guint       patches;
  guint       gets;
  char       *foreign_hits;
} BadPeer;

static BadPeer bad;

#define OTHER_KEY_ID "0a0b0c0d-0000-0000-0000-00000000000a"

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static char *
principal_json (gboolean with_other,
                gboolean null_key)
{
  return g_strdup_printf ("{\"id\":\"obj-1\",\"appId\":\"00000004-0000-0ff1-ce00-000000000000\","
                          "\"displayName\":\"Skype for Business Online\",\"accountEnabled\":true,"
                          "\"servicePrincipalNames\":[],\"keyCredentials\":[%s]}",
                          with_other ? (null_key
                                        ? "{\"keyId\":\"" OTHER_KEY_ID "\",\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":null}"
                                        : "{\"keyId\":\"" OTHER_KEY_ID "\",\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\",\"key\":\"AQIDBA==\",\"displayName\":\"admin's own\"}")
                                     : "");
}

static void
bad_login (SoupServerMessage *msg,
           const char        *path)
{
  if (g_str_has_suffix (path, "/devicecode"))
    reply_json (msg, 200, "{\"device_code\":\"dc\",\"user_code\":\"ABCD\",\"verification_uri\":"
                          "\"http://127.0.0.1/verify\",\"expires_in\":600,\"interval\":1,"
                          "\"message\":\"Enter ABCD\"}");
  else if (g_str_has_suffix (path, "/token"))
    reply_json (msg, 200, "{\"access_token\":\"AT\",\"refresh_token\":\"RT\",\"token_type\":\"Bearer\","
                          "\"expires_in\":3600,\"scope\":\"Application.ReadWrite.All\"}");
  else
    reply_json (msg, 404, "{}");
}

static void
bad_graph (SoupServerMessage *msg,
           const char        *method,
           const char        *path)
{
  const char *mode = bad.mode;

  bad.graph_requests++;
  if (g_str_equal (method, "PATCH"))
    {
      bad.patches++;
      soup_server_message_set_status (msg, 204, NULL);
      return;
    }
  bad.gets++;

  if (g_str_equal (mode, "not-json"))
    reply_json (msg, 200, "<html><body>Service unavailable</body></html>");
  else if (g_str_equal (mode, "oversized"))
    {
      gsize size = 17 * 1024 * 1024;
      char *data = g_malloc (size);

      memset (data, ' ', size);
      data[0] = '{';
      data[size - 1] = '}';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, size);
    }
  else if (g_str_equal (mode, "deep"))
    {
      g_autoptr(GString) text = g_string_new ("{\"value\":");
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (text, '[');
      reply_json (msg, 200, text->str);
    }
  else if (g_str_equal (mode, "wrong-type"))
    reply_json (msg, 200, "{\"id\":\"obj-1\",\"appId\":\"00000004-0000-0ff1-ce00-000000000000\","
                          "\"keyCredentials\":\"none\"}");
  else if (g_str_equal (mode, "array-root"))
    reply_json (msg, 200, "[1,2,3]");
  else if (g_str_equal (mode, "forbidden"))
    reply_json (msg, 403, "{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":"
                          "\"Insufficient privileges to complete the operation.\",\"innerError\":"
                          "{\"date\":\"2025-01-01T00:00:00\",\"request-id\":\"5f5e0f4a-1111-2222-3333-444444444444\","
                          "\"client-request-id\":\"x\"}}}");
  else if (g_str_equal (mode, "unauthorized"))
    reply_json (msg, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\"}}");
  else if (g_str_equal (mode, "foreign-next"))
    reply_json (msg, 200, "{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":\"http://127.0.0.2:9/graph/v1.0/servicePrincipals?$skiptoken=x\"}");
  else if (g_str_equal (mode, "batch-missing"))
    reply_json (msg, 200, "{\"responses\":[{\"id\":\"organization\",\"status\":200,\"body\":{\"value\":[]}}]}");
  else if (g_str_equal (mode, "batch-wrong-type"))
    reply_json (msg, 200, "{\"responses\":{\"id\":\"organization\"}}");
  else if (g_str_equal (mode, "null-key"))
    {
      g_autofree char *json = principal_json (TRUE, TRUE);
      reply_json (msg, 200, json);
    }
  else if (g_str_equal (mode, "verify-drops"))
    {
      /* Accepts the PATCH, then "loses" the admin's credential: the read-back must catch it. */
      g_autofree char *json = principal_json (bad.patches == 0, FALSE);
      reply_json (msg, 200, json);
    }
  else
    reply_json (msg, 500, "{}");
}

static void
bad_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  if (g_str_has_prefix (path, "/login/"))
    bad_login (msg, path);
  else if (g_str_has_prefix (path, "/graph/"))
    bad_graph (msg, soup_server_message_get_method (msg), path);
  else
    reply_json (msg, 404, "{}");
}

typedef struct
{
  TbAuth        *auth;
  TbGraphClient *client;
} BadFixture;

static void
bad_fixture_setup (BadFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = NULL;
  g_autoptr(SoupSession) session = tb_http_session_new ();
  g_autofree char *login = NULL;
  g_autofree char *graph = NULL;
  g_autofree char *acs = NULL;
  GSList *uris;

  bad.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (bad.server, NULL, bad_handler, NULL, NULL);
  soup_server_listen_local (bad.server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (bad.server);
  bad.base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  bad.mode = "";
  bad.graph_requests = bad.patches = bad.gets = 0;

  login = g_strconcat (bad.base, "login", NULL);
  graph = g_strconcat (bad.base, "graph", NULL);
  acs = g_strconcat (bad.base, "acs", NULL);
  cloud = tb_cloud_new ("custom", login, graph, acs, &error);
  g_assert_no_error (error);
  fixture->auth = tb_auth_new (cloud, session, TB_AUTH_DEFAULT_CLIENT_ID, "contoso.onmicrosoft.com");
  fixture->client = tb_graph_client_new (cloud, fixture->auth, session);
  sign_in (fixture->auth);
}

static void
bad_fixture_teardown (BadFixture    *fixture,
                      gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->auth);
  soup_server_disconnect (bad.server);
  g_clear_object (&bad.server);
  g_clear_pointer (&bad.base, g_free);
}

static void
test_bad_replies (BadFixture    *fixture,
                  gconstpointer  data)
{
  const char *modes[] = { "not-json", "oversized", "deep", "wrong-type", "array-root" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TbServicePrincipal) principal = NULL;
      g_autoptr(TbPrincipalEdit) edit = NULL;
      g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
      g_autoptr(TbChange) change = NULL;

      bad.mode = modes[i];
      principal = get_principal (fixture->client, "00000004-0000-0ff1-ce00-000000000000", &error);
      g_assert_null (principal);
      g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
      g_clear_error (&error);

      /* A write built on such a read never happens. */
      edit = tb_principal_edit_new_add_certificate ("00000004-0000-0ff1-ce00-000000000000", cert, NULL, 0, &error);
      g_assert_no_error (error);
      change = apply_edit (fixture->client, edit, &error);
      g_assert_null (change);
      g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
      g_assert_cmpuint (bad.patches, ==, 0);
    }
}

static void
test_error_body (BadFixture    *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(TbServicePrincipal) principal = NULL;

  bad.mode = "forbidden";
  principal = get_principal (fixture->client, "00000004-0000-0ff1-ce00-000000000000", &error);
  g_assert_null (principal);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_FORBIDDEN);
  g_assert_cmpstr (tb_graph_error_get_code (error), ==, "Authorization_RequestDenied");
  g_assert_cmpstr (tb_graph_error_get_request_id (error), ==, "5f5e0f4a-1111-2222-3333-444444444444");
  g_assert_nonnull (strstr (error->message, "Insufficient privileges"));
  /* The details survive copying, as GTask and the faces do. */
  copy = g_error_copy (error);
  g_assert_cmpstr (tb_graph_error_get_request_id (copy), ==, "5f5e0f4a-1111-2222-3333-444444444444");
}

static void
test_unauthorized (BadFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbServicePrincipal) principal = NULL;

  bad.mode = "unauthorized";
  principal = get_principal (fixture->client, "00000004-0000-0ff1-ce00-000000000000", &error);
  g_assert_null (principal);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_UNAUTHORIZED);
  /* One refresh, one retry, then give up. */
  g_assert_cmpuint (bad.graph_requests, ==, 2);
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 2);
}

static void
test_foreign_next_link (BadFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) items = NULL;

  bad.mode = "foreign-next";
  tb_graph_client_list_async (fixture->client, "servicePrincipals", NULL, store_result, NULL);
  result = wait_result ();
  items = tb_graph_client_list_finish (fixture->client, result, &error);
  g_assert_null (items);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
  /* The token never left for the other host. */
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 1);
}

static void
test_bad_batch (BadFixture    *fixture,
                gconstpointer  data)
{
  const char *modes[] = { "batch-missing", "batch-wrong-type", "not-json" };
  const char *ids[] = { "00000004-0000-0ff1-ce00-000000000000", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TbGraphSnapshot) snapshot = NULL;

      bad.mode = modes[i];
      tb_graph_client_snapshot_async (fixture->client, ids, NULL, store_result, NULL);
      result = wait_result ();
      snapshot = tb_graph_client_snapshot_finish (fixture->client, result, &error);
      g_assert_null (snapshot);
      g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
    }
}

static void
test_null_key_refused (BadFixture    *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbChange) change = NULL;

  bad.mode = "null-key";
  edit = tb_principal_edit_new_add_certificate ("00000004-0000-0ff1-ce00-000000000000", cert, NULL, 0, &error);
  change = apply_edit (fixture->client, edit, &error);
  g_assert_null (change);
  g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN);
  g_assert_cmpuint (bad.patches, ==, 0);
}

static void
test_verify_catches_loss (BadFixture    *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbChange) change = NULL;

  bad.mode = "verify-drops";
  edit = tb_principal_edit_new_add_certificate ("00000004-0000-0ff1-ce00-000000000000", cert, NULL, 0, &error);
  change = apply_edit (fixture->client, edit, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (error->message, OTHER_KEY_ID));
  g_assert_cmpuint (bad.patches, ==, 1);
  g_assert_cmpuint (bad.gets, ==, 2);
}

/* SIM_TESTS */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/graph/bad/replies", BadFixture, NULL, bad_fixture_setup, test_bad_replies, bad_fixture_teardown);
  g_test_add ("/graph/bad/error-body", BadFixture, NULL, bad_fixture_setup, test_error_body, bad_fixture_teardown);
  g_test_add ("/graph/bad/unauthorized", BadFixture, NULL, bad_fixture_setup, test_unauthorized, bad_fixture_teardown);
  g_test_add ("/graph/bad/foreign-next-link", BadFixture, NULL, bad_fixture_setup, test_foreign_next_link, bad_fixture_teardown);
  g_test_add ("/graph/bad/batch", BadFixture, NULL, bad_fixture_setup, test_bad_batch, bad_fixture_teardown);
  g_test_add ("/graph/bad/null-key-refused", BadFixture, NULL, bad_fixture_setup, test_null_key_refused, bad_fixture_teardown);
  g_test_add ("/graph/bad/verify-catches-loss", BadFixture, NULL, bad_fixture_setup, test_verify_catches_loss, bad_fixture_teardown);
  /* SIM_REGISTER */

  return g_test_run ();
}
