/* test-graph.c: the Graph client, its safe principal edits and the plan over loopback
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
#include "tb-graph-client-edit.h"
#include "tb-graph-client-private.h"
#include "tb-http.h"
#include "tb-plan.h"
#include "tb-profile.h"
#include "tb-sim-private.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

static TbCertificate *
make_cert (const char *cn)
{
  TbTestCertSpec spec = { .common_name = cn, .key_type = TB_TEST_KEY_EC_P256 };

  return tb_test_cert_new (&spec);
}

static TbServicePrincipal *
get_principal (TbGraphClient *client,
               const char    *app_id,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_graph_client_get_service_principal_async (client, app_id, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_graph_client_get_service_principal_finish (client, result, error);
}

static TbChange *
apply_edit (TbGraphClient   *client,
            TbPrincipalEdit *edit,
            GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_graph_client_apply_edit_async (client, edit, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_graph_client_apply_edit_finish (client, result, error);
}

/* Adds @cert to the principal of @app_id through @client: the change made, or NULL with
 * @error. */
static TbChange *
add_certificate (TbGraphClient  *client,
                 const char     *app_id,
                 TbCertificate  *cert,
                 GError        **error)
{
  g_autoptr(TbPrincipalEdit) edit = tb_principal_edit_new_add_certificate (app_id, cert, NULL, 0,
                                                                           error);

  return edit != NULL ? apply_edit (client, edit, error) : NULL;
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
  guint       token_posts;
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
  else if (g_str_has_suffix (path, "/token") && ++bad.token_posts)
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
  else if (g_str_equal (mode, "unauthorized-once"))
    {
      if (bad.graph_requests == 1)
        reply_json (msg, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\"}}");
      else
        {
          g_autofree char *json = principal_json (TRUE, FALSE);
          reply_json (msg, 200, json);
        }
    }
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
  tb_test_sign_in (fixture->auth, TB_AUTH_ACCESS_WRITE);
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
test_unauthorized_once (BadFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbServicePrincipal) principal = NULL;
  guint token_posts = bad.token_posts;

  /* A token revoked or expired early: refreshed once, the request goes through. */
  bad.mode = "unauthorized-once";
  principal = get_principal (fixture->client, "00000004-0000-0ff1-ce00-000000000000", &error);
  g_assert_no_error (error);
  g_assert_nonnull (principal);
  g_assert_cmpuint (bad.graph_requests, ==, 2);
  g_assert_cmpuint (bad.token_posts, ==, token_posts + 1);
}

static void
test_foreign_next_link (BadFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) items = NULL;

  bad.mode = "foreign-next";
  tb_graph_client_list_async (fixture->client, "servicePrincipals", NULL, tb_test_store_result,
                              NULL);
  result = tb_test_wait_result ();
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
      tb_graph_client_snapshot_async (fixture->client, ids, NULL, tb_test_store_result, NULL);
      result = tb_test_wait_result ();
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
  g_autoptr(TbChange) change = NULL;

  bad.mode = "null-key";
  change = add_certificate (fixture->client, "00000004-0000-0ff1-ce00-000000000000", cert, &error);
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
  g_autoptr(TbChange) change = NULL;

  bad.mode = "verify-drops";
  change = add_certificate (fixture->client, "00000004-0000-0ff1-ce00-000000000000", cert, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (error->message, OTHER_KEY_ID));
  /* Read, read again before writing, then each write read back and repaired, until the
   * bound: a service that keeps losing the credential ends in an error naming it. */
  g_assert_cmpuint (bad.patches, ==, 4);
  g_assert_cmpuint (bad.gets, ==, 6);
}

/* ------------------------------------------------------------------------------------ */
/* Against the simulator */

#define SFB TB_APP_ID_SKYPE_ONLINE

typedef struct
{
  TbSim         *sim;
  TbAuth        *auth;
  TbGraphClient *client;
} SimFixture;

static void
sim_fixture_setup (SimFixture    *fixture,
                   gconstpointer  data)
{
  fixture->sim = tb_sim_new (GPOINTER_TO_INT (data));
  tb_test_sim_start (fixture->sim);
  fixture->client = tb_test_graph_client_new (fixture->sim, TB_AUTH_ACCESS_WRITE,
                                              &fixture->auth);
}

static void
sim_fixture_teardown (SimFixture    *fixture,
                      gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->auth);
  tb_sim_stop (fixture->sim);
  g_clear_object (&fixture->sim);
}

static TbGraphSnapshot *
snapshot (TbGraphClient       *client,
          const char * const  *app_ids,
          GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_graph_client_snapshot_async (client, app_ids, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_graph_client_snapshot_finish (client, result, error);
}

/* Each credential on the server as the admin would see it, serialised. */
static GPtrArray *
server_credentials (TbSim      *sim,
                    const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (sim, app_id);
  JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json_array_get_object_element (keys, i));
      g_ptr_array_add (out, json_to_string (node, FALSE));
    }
  return out;
}

static void
test_snapshot_one_request (SimFixture    *fixture,
                           gconstpointer  data)
{
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  g_auto(GStrv) ids = tb_profile_dup_app_ids (profile);
  g_autoptr(TbGraphSnapshot) snap = NULL;
  g_autoptr(GError) error = NULL;
  guint served = tb_sim_get_request_count (fixture->sim);
  TbServicePrincipal *sfb;

  snap = snapshot (fixture->client, (const char * const *) ids, &error);
  g_assert_no_error (error);
  /* Everything the page shows, in one HTTP request. */
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 1);
  g_assert_cmpuint (tb_sim_get_request_count (fixture->sim) - served, ==, 1);

  g_assert_nonnull (snap->organization);
  g_assert_cmpstr (json_object_get_string_member (snap->organization, "id"), ==, tb_sim_get_tenant_id (fixture->sim));
  g_assert_cmpuint (g_hash_table_size (snap->principals), ==, 5);
  sfb = g_hash_table_lookup (snap->principals, SFB);
  g_assert_nonnull (sfb);
  g_assert_cmpstr (tb_service_principal_get_display_name (sfb), ==, "Skype for Business Online");
  /* The demo's two certificates (the pool's earlier ones), with their keys: a single-object
   * read. */
  g_assert_cmpuint (tb_service_principal_get_key_credentials (sfb)->len, ==, 2);
  g_assert_true (tb_service_principal_get_keys_complete (sfb));
  g_assert_false (tb_service_principal_get_account_enabled (g_hash_table_lookup (snap->principals, EXO)));
}

static void
test_missing_principal (SimFixture    *fixture,
                        gconstpointer  data)
{
  const char *ids[] = { SFB, EXO, NULL };
  g_autoptr(TbGraphSnapshot) snap = NULL;
  g_autoptr(TbServicePrincipal) principal = NULL;
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) error = NULL;
  guint writes;

  g_assert_true (tb_sim_remove_service_principal (fixture->sim, SFB));
  writes = tb_sim_get_write_count (fixture->sim);

  snap = snapshot (fixture->client, ids, &error);
  g_assert_no_error (error);
  g_assert_true (g_hash_table_contains (snap->principals, SFB));
  g_assert_null (g_hash_table_lookup (snap->principals, SFB));
  g_assert_nonnull (g_hash_table_lookup (snap->principals, EXO));

  principal = get_principal (fixture->client, SFB, &error);
  g_assert_null (principal);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, SFB));
  g_clear_error (&error);

  change = add_certificate (fixture->client, SFB, cert, &error);
  g_assert_null (change);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND);
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
}

/* A session keeps its connection to a host for requests sent one after another: the reads
 * and the snapshot's read-only $batch arrive on the connection sign-in already opened (with
 * TLS, each new connection is a handshake and a read of the system's CA store). libsoup sends
 * a POST on a new connection unless the message says it may be sent again, so the $batch
 * is the request that would open one. */
static void
test_connection_reuse (SimFixture    *fixture,
                       gconstpointer  data)
{
  const char *app_ids[] = { SFB, EXO, SFB, EXO, SFB, EXO, NULL };
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  g_auto(GStrv) ids = tb_profile_dup_app_ids (profile);
  g_autoptr(TbGraphSnapshot) snap = NULL;
  g_autoptr(GError) error = NULL;
  guint served = tb_sim_get_request_count (fixture->sim);
  guint connections = tb_sim_get_connection_count (fixture->sim);

  g_assert_cmpuint (connections, >, 0);
  for (guint i = 0; app_ids[i] != NULL; i++)
    {
      g_autoptr(TbServicePrincipal) principal = get_principal (fixture->client, app_ids[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (principal);
    }
  snap = snapshot (fixture->client, (const char * const *) ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_sim_get_request_count (fixture->sim) - served, ==, 7);
  g_assert_cmpuint (tb_sim_get_connection_count (fixture->sim) - connections, ==, 0);
}

/* Requests sent back to back, each from the previous one's callback, as the clients chain
 * them: when a read completes, its connection is free for the next request. */
typedef struct
{
  SoupSession *session;
  char        *uri;
  guint        left;
  guint        read;
  GMainLoop   *loop;
} Chain;

static void chain_send (Chain *chain);

static void
chain_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Chain *chain = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (body), >, 0);
  chain->read++;
  if (--chain->left > 0)
    chain_send (chain);
  else
    g_main_loop_quit (chain->loop);
}

static void
chain_send (Chain *chain)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", chain->uri);

  tb_http_send_and_read_async (chain->session, msg, 1024 * 1024, G_PRIORITY_DEFAULT, NULL,
                               chain_read_cb, chain);
}

static void
test_connection_reuse_chained (SimFixture    *fixture,
                               gconstpointer  data)
{
  g_autoptr(SoupSession) session = tb_http_session_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("%s/%s/v2.0/.well-known/openid-configuration",
                                          tb_sim_get_login_base (fixture->sim),
                                          tb_sim_get_tenant_id (fixture->sim));
  Chain chain = { session, uri, 8, 0, loop };
  guint served = tb_sim_get_request_count (fixture->sim);
  guint connections = tb_sim_get_connection_count (fixture->sim);

  chain_send (&chain);
  g_main_loop_run (loop);
  g_assert_cmpuint (chain.read, ==, 8);
  g_assert_cmpuint (tb_sim_get_request_count (fixture->sim) - served, ==, 8);
  /* A new session: one connection, then the same one for every request. */
  g_assert_cmpuint (tb_sim_get_connection_count (fixture->sim) - connections, ==, 1);
}

static void
test_paging (SimFixture    *fixture,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  tb_graph_client_list_async (fixture->client, "servicePrincipals?$select=id,appId&$top=999",
                              NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  items = tb_graph_client_list_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  /* 1,500 others and the six first-party principals, each once. */
  g_assert_cmpuint (json_array_get_length (items), ==, 1506);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_hash_table_add (seen, (gpointer) json_object_get_string_member (json_array_get_object_element (items, i), "id"));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1506);
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 2);
}

static void
test_throttling_storm (SimFixture    *fixture,
                       gconstpointer  data)
{
  const char *ids[] = { SFB, EXO, NULL };
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Fractional Retry-After. */
  {
    g_autoptr(TbServicePrincipal) principal = NULL;

    tb_sim_inject_throttling (fixture->sim, 3, "0.1");
    start = g_get_monotonic_time ();
    principal = get_principal (fixture->client, SFB, &error);
    g_assert_no_error (error);
    g_assert_nonnull (principal);
    g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 4);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  }

  /* No Retry-After: exponential back-off. */
  {
    g_autoptr(TbServicePrincipal) principal = NULL;

    tb_sim_inject_throttling (fixture->sim, 2, NULL);
    principal = get_principal (fixture->client, EXO, &error);
    g_assert_no_error (error);
    g_assert_nonnull (principal);
    g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 7);
  }

  /* Inside $batch each item is throttled on its own and retried on its own. */
  {
    g_autoptr(TbGraphSnapshot) snap = NULL;

    tb_sim_inject_throttling (fixture->sim, 2, "0.1");
    snap = snapshot (fixture->client, ids, &error);
    g_assert_no_error (error);
    g_assert_nonnull (g_hash_table_lookup (snap->principals, SFB));
    g_assert_nonnull (g_hash_table_lookup (snap->principals, EXO));
    g_assert_nonnull (snap->organization);
    g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 9);
  }
}

static void
test_unavailable_storm (SimFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GPtrArray) before = server_credentials (fixture->sim, SFB);
  g_autoptr(GPtrArray) after = NULL;
  guint writes = tb_sim_get_write_count (fixture->sim);

  tb_sim_inject_errors (fixture->sim, 50, 503);
  change = add_certificate (fixture->client, SFB, cert, &error);
  g_assert_null (change);
  /* Without Retry-After a 503 is an outage, not throttling, and says so. */
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_UNAVAILABLE);
  /* Bounded: five tries, then a clear error. */
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client), ==, 5);
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
  after = server_credentials (fixture->sim, SFB);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_cmpstr (g_ptr_array_index (after, i), ==, g_ptr_array_index (before, i));
  tb_sim_inject_errors (fixture->sim, 0, 503);
}

static void
test_partial_batch_failure (SimFixture    *fixture,
                            gconstpointer  data)
{
  const char *ids[] = { SFB, EXO, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbGraphSnapshot) snap = NULL;

  /* One item of the batch fails with 500: a clear error with Graph's request-id, no crash. */
  tb_sim_inject_errors (fixture->sim, 1, 500);
  snap = snapshot (fixture->client, ids, &error);
  g_assert_null (snap);
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_SERVER);
  g_assert_nonnull (tb_graph_error_get_request_id (error));
  g_clear_error (&error);

  /* And the next refresh works. */
  snap = snapshot (fixture->client, ids, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_hash_table_lookup (snap->principals, SFB));
}

static void
test_token_expiry (SimFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  /* TbAuth renews tokens five minutes before they expire: tokens that live 302 seconds are
   * good for two. The current one is dropped so the next is short-lived. */
  tb_sim_set_token_lifetime (fixture->sim, 302);
  tb_auth_invalidate_token (fixture->auth, NULL);
  {
    g_autoptr(TbServicePrincipal) principal = get_principal (fixture->client, EXO, &error);
    g_assert_no_error (error);
  }
  g_timeout_add_once (2500, (GSourceOnceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);

  /* The token has expired: the write still goes through, with a fresh one. */
  change = add_certificate (fixture->client, EXO, cert, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_CREDENTIAL);
  g_assert_true (tb_test_sim_has_key (fixture->sim, EXO, tb_certificate_get_der (cert)));
}

static void
test_add_two_and_again (SimFixture    *fixture,
                        gconstpointer  data)
{
  g_autoptr(TbCertificate) cert = make_cert ("sfbpool.contoso.com");
  const char *targets[] = { SFB, EXO };
  g_autoptr(GError) error = NULL;
  guint writes, requests;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(GPtrArray) before = server_credentials (fixture->sim, targets[i]);
      g_autoptr(GPtrArray) after = NULL;
      g_autoptr(TbPrincipalEdit) edit = tb_principal_edit_new_add_certificate (targets[i], cert, "Trust Bridge test", 0, &error);
      g_autoptr(TbChange) change = apply_edit (fixture->client, edit, &error);

      g_assert_no_error (error);
      g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_CREDENTIAL);
      g_assert_cmpstr (change->target, ==, targets[i]);
      g_assert_true (tb_test_sim_has_key (fixture->sim, targets[i], tb_certificate_get_der (cert)));
      /* The demo's three credentials are still there, unchanged. */
      after = server_credentials (fixture->sim, targets[i]);
      g_assert_cmpuint (after->len, ==, before->len + 1);
      for (guint j = 0; j < before->len; j++)
        g_assert_cmpstr (g_ptr_array_index (after, j), ==, g_ptr_array_index (before, j));
    }

  /* Second run: already there, nothing written. */
  writes = tb_sim_get_write_count (fixture->sim);
  requests = tb_graph_client_get_request_count (fixture->client);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(TbChange) change = add_certificate (fixture->client, targets[i], cert,
                                                    &error);

      g_assert_no_error (error);
      g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_NONE);
    }
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
  /* One read each, no PATCH. */
  g_assert_cmpuint (tb_graph_client_get_request_count (fixture->client) - requests, ==, 2);
}

static void
test_remove_keeps_others (SimFixture    *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(JsonObject) sp = NULL;
  g_autoptr(TbCertificate) cert = make_cert ("pool.contoso.com");
  g_autoptr(TbPrincipalEdit) add = NULL;
  g_autoptr(TbPrincipalEdit) edit = NULL;
  g_autoptr(TbChange) added = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(TbChange) again = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *keys;
  const char *key_id;
  guint writes;

  /* The demo holds two credentials; a third makes the removed one sit between others. */
  add = tb_principal_edit_new_add_certificate (SFB, cert, NULL, 0, &error);
  g_assert_no_error (error);
  added = apply_edit (fixture->client, add, &error);
  g_assert_no_error (error);
  before = server_credentials (fixture->sim, SFB);
  sp = tb_sim_dup_service_principal (fixture->sim, SFB);
  keys = json_object_get_array_member (sp, "keyCredentials");
  key_id = json_object_get_string_member (json_array_get_object_element (keys, 1), "keyId");
  edit = tb_principal_edit_new_remove_credential (SFB, key_id, 0);

  g_assert_cmpuint (before->len, ==, 3);
  change = apply_edit (fixture->client, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_REMOVE_CREDENTIAL);
  g_assert_nonnull (strstr (change->detail, key_id));

  after = server_credentials (fixture->sim, SFB);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (after, 0), ==, g_ptr_array_index (before, 0));
  g_assert_cmpstr (g_ptr_array_index (after, 1), ==, g_ptr_array_index (before, 2));

  writes = tb_sim_get_write_count (fixture->sim);
  again = apply_edit (fixture->client, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->action, ==, TB_CHANGE_ACTION_NONE);
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
}

static void
test_spns_and_enable (SimFixture    *fixture,
                      gconstpointer  data)
{
  const char *fqdns[] = { "webext.contoso.com", "WebExt.Contoso.com", NULL };
  g_autoptr(JsonObject) before = tb_sim_dup_service_principal (fixture->sim, SFB);
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(TbPrincipalEdit) spns = NULL;
  g_autoptr(TbPrincipalEdit) enable = tb_principal_edit_new_enable (EXO);
  g_autoptr(TbChange) change = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before = json_array_get_length (json_object_get_array_member (before, "servicePrincipalNames"));
  JsonArray *names;

  spns = tb_principal_edit_new_add_spns (SFB, fqdns, &error);
  g_assert_no_error (error);
  change = apply_edit (fixture->client, spns, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_SPN);
  after = tb_sim_dup_service_principal (fixture->sim, SFB);
  names = json_object_get_array_member (after, "servicePrincipalNames");
  /* One name added for two spellings of one host; the others kept. */
  g_assert_cmpuint (json_array_get_length (names), ==, n_before + 1);
  g_assert_cmpstr (json_array_get_string_element (names, n_before), ==, SFB "/webext.contoso.com");
  g_clear_pointer (&change, tb_change_free);

  change = apply_edit (fixture->client, enable, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ENABLE);
  g_clear_pointer (&after, json_object_unref);
  after = tb_sim_dup_service_principal (fixture->sim, EXO);
  g_assert_true (json_object_get_boolean_member (after, "accountEnabled"));
}

static TbPlan *
make_plan (SimFixture    *fixture,
           TbCertificate *cert,
           GError       **error)
{
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  const char *fqdns[] = { "webext02.contoso.com", NULL };
  g_autoptr(GAsyncResult) result = NULL;

  tb_plan_new_establish_trust_async (fixture->client, profile, cert, fqdns, NULL,
                                     tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  return tb_plan_new_establish_trust_finish (result, error);
}

static void
count_finished (TbPlan *plan,
                TbStep *step,
                guint   index,
                guint  *count)
{
  (*count)++;
}

static void
test_plan_twice (SimFixture    *fixture,
                 gconstpointer  data)
{
  g_autoptr(TbCertificate) cert = make_cert ("sfbpool.contoso.com");
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(TbPlan) second = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) changes2 = NULL;
  g_autoptr(GError) error = NULL;
  guint finished = 0;
  guint writes;

  plan = make_plan (fixture, cert, &error);
  g_assert_no_error (error);
  /* Certificate to SfB and Exchange, enable Exchange, SPN on SfB. */
  g_assert_cmpuint (tb_plan_get_steps (plan)->len, ==, 4);
  g_assert_cmpuint (tb_plan_count_changes (plan), ==, 4);
  g_assert_cmpuint (tb_plan_count_blocked (plan), ==, 0);
  /* The Exchange steps carry Microsoft's retirement notice. */
  g_assert_nonnull (tb_step_get_notice (g_ptr_array_index (tb_plan_get_steps (plan), 1)));

  g_signal_connect (plan, "step-finished", G_CALLBACK (count_finished), &finished);
  {
    g_autoptr(GAsyncResult) result = NULL;

    tb_plan_apply_async (plan, NULL, tb_test_store_result, NULL);
    result = tb_test_wait_result ();
    changes = tb_plan_apply_finish (plan, result, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (finished, ==, 4);
  g_assert_cmpuint (changes->len, ==, 4);
  for (guint i = 0; i < changes->len; i++)
    g_assert_false (tb_change_is_none (g_ptr_array_index (changes, i)));
  g_assert_true (tb_test_sim_has_key (fixture->sim, SFB, tb_certificate_get_der (cert)));
  g_assert_true (tb_test_sim_has_key (fixture->sim, EXO, tb_certificate_get_der (cert)));

  {
    g_autoptr(GAsyncResult) result = NULL;

    tb_plan_verify_async (plan, NULL, tb_test_store_result, NULL);
    result = tb_test_wait_result ();
    g_assert_true (tb_plan_verify_finish (plan, result, &error));
    g_assert_no_error (error);
  }

  /* Second run: nothing to do, nothing written. */
  writes = tb_sim_get_write_count (fixture->sim);
  second = make_plan (fixture, cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tb_plan_count_changes (second), ==, 0);
  {
    g_autoptr(GAsyncResult) result = NULL;

    tb_plan_apply_async (second, NULL, tb_test_store_result, NULL);
    result = tb_test_wait_result ();
    changes2 = tb_plan_apply_finish (second, result, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < changes2->len; i++)
    g_assert_true (tb_change_is_none (g_ptr_array_index (changes2, i)));
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
}

static void
test_plan_missing_principal (SimFixture    *fixture,
                             gconstpointer  data)
{
  g_autoptr(TbCertificate) cert = make_cert ("sfbpool.contoso.com");
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  TbStep *first;

  tb_sim_remove_service_principal (fixture->sim, SFB);
  plan = make_plan (fixture, cert, &error);
  g_assert_no_error (error);
  /* The certificate and SPN steps for SfB Online say why they cannot be done. */
  g_assert_cmpuint (tb_plan_count_blocked (plan), ==, 2);
  first = g_ptr_array_index (tb_plan_get_steps (plan), 0);
  g_assert_cmpint (tb_step_get_state (first), ==, TB_STEP_STATE_BLOCKED);
  g_assert_nonnull (strstr (tb_step_get_description (first), SFB));
}

static void
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_cancel_during_backoff (SimFixture    *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbServicePrincipal) principal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  tb_sim_inject_throttling (fixture->sim, 1, "30");
  tb_graph_client_get_service_principal_async (fixture->client, SFB, cancellable,
                                               tb_test_store_result, NULL);
  g_timeout_add_once (200, cancel_soon, cancellable);
  result = tb_test_wait_result ();
  principal = tb_graph_client_get_service_principal_finish (fixture->client, result, &error);
  g_assert_null (principal);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/graph/bad/replies", BadFixture, NULL, bad_fixture_setup, test_bad_replies, bad_fixture_teardown);
  g_test_add ("/graph/bad/error-body", BadFixture, NULL, bad_fixture_setup, test_error_body, bad_fixture_teardown);
  g_test_add ("/graph/bad/unauthorized", BadFixture, NULL, bad_fixture_setup, test_unauthorized, bad_fixture_teardown);
  g_test_add ("/graph/bad/unauthorized-once", BadFixture, NULL, bad_fixture_setup, test_unauthorized_once, bad_fixture_teardown);
  g_test_add ("/graph/bad/foreign-next-link", BadFixture, NULL, bad_fixture_setup, test_foreign_next_link, bad_fixture_teardown);
  g_test_add ("/graph/bad/batch", BadFixture, NULL, bad_fixture_setup, test_bad_batch, bad_fixture_teardown);
  g_test_add ("/graph/bad/null-key-refused", BadFixture, NULL, bad_fixture_setup, test_null_key_refused, bad_fixture_teardown);
  g_test_add ("/graph/bad/verify-catches-loss", BadFixture, NULL, bad_fixture_setup, test_verify_catches_loss, bad_fixture_teardown);
#define SIM_TEST(path, func, tenant) \
  g_test_add (path, SimFixture, GINT_TO_POINTER (tenant), sim_fixture_setup, func, sim_fixture_teardown)
  SIM_TEST ("/graph/sim/snapshot-one-request", test_snapshot_one_request, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/missing-principal", test_missing_principal, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/paging", test_paging, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/connection-reuse", test_connection_reuse, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/connection-reuse-chained", test_connection_reuse_chained, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/throttling-storm", test_throttling_storm, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/unavailable-storm", test_unavailable_storm, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/partial-batch-failure", test_partial_batch_failure, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/token-expiry", test_token_expiry, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/add-two-and-again", test_add_two_and_again, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/remove-keeps-others", test_remove_keeps_others, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/spns-and-enable", test_spns_and_enable, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/plan-twice", test_plan_twice, TB_SIM_TENANT_DEMO);
  SIM_TEST ("/graph/sim/plan-missing-principal", test_plan_missing_principal, TB_SIM_TENANT_EMPTY);
  SIM_TEST ("/graph/sim/cancel-during-backoff", test_cancel_during_backoff, TB_SIM_TENANT_EMPTY);

  return g_test_run ();
}
