/* test-auth.c: tenant discovery, ACS metadata and sign-in against the simulator
 *
 * The login traffic goes through a small recording proxy owned by the test: it notes every
 * secret that crosses it (so the test can prove none reaches the TB_DEBUG=http log), and it
 * can play a misbehaving service (slow_down, a revoked refresh token, a wrong ACS realm).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-auth.h"
#include "tb-certificate.h"
#include "tb-cloud.h"
#include "tb-http.h"
#include "tb-sim-private.h"
#include "tb-tenant.h"
#include "tb-test-util.h"

/* Everything TB_DEBUG=http printed during the test program. */
static GString *http_log;

static void
capture_log (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  g_string_append (http_log, message);
  g_string_append_c (http_log, '\n');
}

/* Proxy */

typedef struct
{
  SoupServer  *server;
  SoupSession *upstream;
  char        *upstream_root;   /* http://127.0.0.1:SIMPORT */
  char        *root;            /* http://127.0.0.1:PROXYPORT */
  GPtrArray   *secrets;         /* every secret value seen */
  guint        device_polls;
  GArray      *poll_times;      /* monotonic µs of each device code poll */
  GPtrArray   *poll_replies;    /* "error" of each device poll reply, or "ok" */
  guint        slow_down_on_poll;
  gboolean     break_refresh;
  char        *acs_realm;       /* rewrite the ACS document's realm */
  gboolean     acs_damaged_keys; /* add damaged copies of the ACS document's first key */
  guint        refreshes;
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  SoupMessage       *up;
  gboolean           device_poll;
} Forward;

static const char * const secret_names[] = {
  "access_token", "refresh_token", "id_token", "device_code", "code", "code_verifier", NULL
};

static void
note_secret (Proxy      *proxy,
             const char *value)
{
  if (value != NULL && strlen (value) >= 8)
    g_ptr_array_add (proxy->secrets, g_strdup (value));
}

static void
note_form_secrets (Proxy      *proxy,
                   GHashTable *form)
{
  for (guint i = 0; secret_names[i]; i++)
    note_secret (proxy, g_hash_table_lookup (form, secret_names[i]));
}

/* Copies of the first signing key whose Base64 value is damaged in ways g_base64_decode would
 * not notice: padding inside, padding after the end, a stray character, a space. */
static void
add_damaged_keys (JsonArray *keys)
{
  JsonObject *key_value = json_object_get_object_member (json_array_get_object_element (keys, 0),
                                                         "keyValue");
  const char *value = json_object_get_string_member (key_value, "value");
  g_autofree char *inner_pad = g_strdup (value);
  g_autofree char *extra_pad = g_strconcat (value, "====", NULL);
  g_autofree char *stray = g_strdup_printf ("%.4s*%s", value, value + 4);
  g_autofree char *space = g_strdup_printf ("%.4s %s", value, value + 4);
  const char *damaged[] = { inner_pad, extra_pad, stray, space };

  inner_pad[4] = '=';
  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      JsonObject *key = json_object_new ();
      JsonObject *copy = json_object_new ();

      json_object_set_string_member (copy, "type", "x509Certificate");
      json_object_set_string_member (copy, "value", damaged[i]);
      json_object_set_string_member (key, "usage", "signing");
      json_object_set_object_member (key, "keyValue", copy);
      json_array_add_object_element (keys, key);
    }
}

static void
forward_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Forward *fw = user_data;
  Proxy *proxy = fw->proxy;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;
  const char *location;
  gsize len = 0;
  const char *data = NULL;
  g_autoptr(GBytes) rewritten = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (body, &len);

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (fw->up), NULL);
  location = soup_message_headers_get_one (soup_message_get_response_headers (fw->up), "Location");

  if (type != NULL && g_str_equal (type, "application/json") && len > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, data, len, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));

          for (guint i = 0; secret_names[i]; i++)
            note_secret (proxy, tb_json_get_string (object, secret_names[i]));

          if (fw->device_poll)
            {
              const char *err = tb_json_get_string (object, "error");
              g_ptr_array_add (proxy->poll_replies, g_strdup (err ? err : "ok"));
            }

          if ((proxy->acs_realm != NULL || proxy->acs_damaged_keys) &&
              json_object_has_member (object, "realm"))
            {
              g_autofree char *text = NULL;

              if (proxy->acs_realm != NULL)
                json_object_set_string_member (object, "realm", proxy->acs_realm);
              if (proxy->acs_damaged_keys)
                add_damaged_keys (json_object_get_array_member (object, "keys"));
              text = json_to_string (json_parser_get_root (parser), FALSE);
              len = strlen (text);
              rewritten = g_bytes_new_take (g_steal_pointer (&text), len);
              data = g_bytes_get_data (rewritten, &len);
            }
        }
    }

  if (location != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_query (uri) != NULL)
        {
          g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (uri));
          note_form_secrets (proxy, query);
        }
      soup_message_headers_replace (soup_server_message_get_response_headers (fw->msg),
                                    "Location", location);
    }

  soup_server_message_set_status (fw->msg, soup_message_get_status (fw->up), NULL);
  soup_server_message_set_response (fw->msg, type ? type : "text/plain", SOUP_MEMORY_COPY,
                                    data, len);
  soup_server_message_unpause (fw->msg);

  g_object_unref (fw->msg);
  g_object_unref (fw->up);
  g_free (fw);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Proxy *proxy = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *target = NULL;
  g_autoptr(GHashTable) form = NULL;
  Forward *fw;

  if (g_str_equal (method, "POST") && g_bytes_get_size (body) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      form = soup_form_decode (text);
      note_form_secrets (proxy, form);
    }

  fw = g_new0 (Forward, 1);
  fw->proxy = proxy;
  fw->msg = g_object_ref (msg);

  if (form != NULL && g_str_has_suffix (path, "/oauth2/v2.0/token"))
    {
      const char *grant = g_hash_table_lookup (form, "grant_type");

      if (g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:device_code") == 0)
        {
          gint64 now = g_get_monotonic_time ();

          fw->device_poll = TRUE;
          proxy->device_polls++;
          g_array_append_val (proxy->poll_times, now);
          if (proxy->device_polls == proxy->slow_down_on_poll)
            {
              static const char reply[] =
                "{\"error\":\"slow_down\",\"error_description\":\"AADSTS70016: The client is "
                "polling too quickly.\",\"error_codes\":[70016]}";

              g_ptr_array_add (proxy->poll_replies, g_strdup ("slow_down"));
              soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
              soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                                reply, strlen (reply));
              g_object_unref (fw->msg);
              g_free (fw);
              return;
            }
        }
      else if (g_strcmp0 (grant, "refresh_token") == 0)
        {
          proxy->refreshes++;
          if (proxy->break_refresh)
            {
              /* As if an admin revoked the user's sessions in Entra. */
              char *broken = g_strconcat (g_hash_table_lookup (form, "refresh_token"), "revoked", NULL);
              g_hash_table_insert (form, g_strdup ("refresh_token"), broken);
            }
        }
    }

  target = g_strdup_printf ("%s%s%s%s", proxy->upstream_root, path,
                            g_uri_get_query (uri) ? "?" : "",
                            g_uri_get_query (uri) ? g_uri_get_query (uri) : "");
  if (form != NULL)
    fw->up = soup_message_new_from_encoded_form (method, target, soup_form_encode_hash (form));
  else
    fw->up = soup_message_new (method, target);
  g_assert_nonnull (fw->up);
  soup_message_add_flags (fw->up, SOUP_MESSAGE_NO_REDIRECT);

  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->upstream, fw->up, G_PRIORITY_DEFAULT, NULL,
                                    forward_cb, fw);
}

static Proxy *
proxy_new (TbSim *sim)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) sim_uri = g_uri_parse (tb_sim_get_login_base (sim), G_URI_FLAGS_NONE, NULL);
  GSList *uris;

  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, proxy_handler, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->server);
  proxy->root = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  proxy->upstream_root = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (sim_uri));
  /* A plain session: what the proxy carries must not be logged by it. */
  proxy->upstream = soup_session_new ();
  proxy->secrets = g_ptr_array_new_with_free_func (g_free);
  proxy->poll_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  proxy->poll_replies = g_ptr_array_new_with_free_func (g_free);

  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  soup_server_disconnect (proxy->server);
  g_object_unref (proxy->server);
  g_object_unref (proxy->upstream);
  g_free (proxy->upstream_root);
  g_free (proxy->root);
  g_ptr_array_unref (proxy->secrets);
  g_array_unref (proxy->poll_times);
  g_ptr_array_unref (proxy->poll_replies);
  g_free (proxy->acs_realm);
  g_free (proxy);
}

/* Fixture */

typedef struct
{
  TbSim       *sim;
  Proxy       *proxy;
  TbCloud     *cloud;
  SoupSession *session;
  GPtrArray   *tokens;    /* access tokens handed out */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TbCloud) from_file = NULL;

  f->sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  g_assert_true (tb_sim_start (f->sim, &error));
  g_assert_no_error (error);
  tb_sim_set_device_interval (f->sim, 1);
  f->proxy = proxy_new (f->sim);

  /* The faces read the simulator's endpoints file; so does this test, once. */
  path = tb_test_write_file ("sim-endpoints.ini", "", 0);
  g_assert_true (tb_sim_write_endpoints_file (f->sim, path, &error));
  g_assert_no_error (error);
  from_file = tb_cloud_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_cloud_get_graph (from_file), ==, tb_sim_get_graph_base (f->sim));

  login = g_strdup_printf ("%s/login", f->proxy->root);
  acs = g_strdup_printf ("%s/acs", f->proxy->root);
  g_assert_true (g_str_has_suffix (tb_sim_get_login_base (f->sim), "/login"));
  g_assert_true (g_str_has_suffix (tb_sim_get_acs_base (f->sim), "/acs"));
  f->cloud = tb_cloud_new ("sim", login, tb_sim_get_graph_base (f->sim), acs, &error);
  g_assert_no_error (error);

  f->session = tb_http_session_new ();
  f->tokens = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* No secret that crossed the wire, and no token handed out, is in the HTTP log. */
  g_assert_cmpuint (http_log->len, >, 0);
  for (guint i = 0; i < f->proxy->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (f->proxy->secrets, i);

      if (strstr (http_log->str, secret) != NULL)
        g_error ("a secret (%.6s…) reached the TB_DEBUG=http log", secret);
    }
  for (guint i = 0; i < f->tokens->len; i++)
    g_assert_null (strstr (http_log->str, g_ptr_array_index (f->tokens, i)));

  g_ptr_array_unref (f->tokens);
  g_object_unref (f->session);
  g_object_unref (f->cloud);
  proxy_free (f->proxy);
  tb_sim_stop (f->sim);
  g_object_unref (f->sim);
}

static gboolean
too_long_cb (gpointer data)
{
  g_error ("%s did not finish in time", (const char *) data);
  return G_SOURCE_REMOVE;
}

static char *
get_token (Fixture      *f,
           TbAuth       *auth,
           TbAuthAccess  access,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *token;

  tb_auth_get_token_async (auth, access, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "get_token");
  token = tb_auth_get_token_finish (auth, result, error);
  if (token != NULL)
    g_ptr_array_add (f->tokens, g_strdup (token));
  return token;
}

/* A token for @access, which must come. */
static char *
token_for (Fixture      *f,
           TbAuth       *auth,
           TbAuthAccess  access)
{
  g_autoptr(GError) error = NULL;
  char *token = get_token (f, auth, access, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* No token for @access: the app must sign in (again), and says so in a message that holds
 * @says (when not NULL). */
static void
assert_no_token (Fixture      *f,
                 TbAuth       *auth,
                 TbAuthAccess  access,
                 const char   *says)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = get_token (f, auth, access, &error);

  g_assert_null (token);
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN);
  if (says != NULL)
    g_assert_nonnull (strstr (error->message, says));
}

/* Tenant discovery and ACS metadata */

static TbTenant *
resolve (Fixture     *f,
         const char  *query,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_tenant_resolve_async (f->cloud, f->session, query, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "resolve");
  return tb_tenant_resolve_finish (result, error);
}

static void
test_discovery (Fixture       *f,
                gconstpointer  data)
{
  const char * const *domains = tb_sim_get_domains (f->sim);
  const char *tenant_id = tb_sim_get_tenant_id (f->sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) by_domain = NULL;
  g_autoptr(TbTenant) by_guid = NULL;
  g_autoptr(TbTenant) unknown = NULL;
  g_autoptr(TbTenant) invalid = NULL;
  g_autofree char *upper = g_ascii_strup (tenant_id, -1);
  g_autofree char *expected_url = g_strdup_printf ("%s/acs/%s/metadata/json/1",
                                                   f->proxy->root, tenant_id);

  g_assert_nonnull (domains);
  g_assert_nonnull (domains[0]);

  by_domain = resolve (f, domains[0], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_tenant_get_id (by_domain), ==, tenant_id);
  g_assert_cmpstr (tb_tenant_get_metadata_url (by_domain), ==, expected_url);
  g_assert_nonnull (tb_tenant_get_cloud_instance (by_domain));

  /* Every verified domain leads to the same tenant. */
  for (guint i = 1; domains[i]; i++)
    {
      g_autoptr(TbTenant) other = resolve (f, domains[i], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (tb_tenant_get_id (other), ==, tenant_id);
    }

  by_guid = resolve (f, upper, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_tenant_get_id (by_guid), ==, tenant_id);

  unknown = resolve (f, "no-such-tenant.example", &error);
  g_assert_null (unknown);
  g_assert_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "No Microsoft 365 tenant uses the domain “no-such-tenant.example”.");
  g_clear_error (&error);

  unknown = resolve (f, "00000000-0000-0000-0000-00000000abcd", &error);
  g_assert_null (unknown);
  g_assert_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Refused before any request. */
  invalid = resolve (f, "contoso.com/../../evil", &error);
  g_assert_null (invalid);
  g_assert_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_INVALID_INPUT);
}

static void
test_metadata (Fixture       *f,
               gconstpointer  data)
{
  const char *tenant_id = tb_sim_get_tenant_id (f->sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) tenant = resolve (f, tenant_id, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GAsyncResult) result3 = NULL;
  GListModel *certificates;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_no_error (error);

  tb_tenant_check_metadata_async (tenant, f->session, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "metadata");
  g_assert_true (tb_tenant_check_metadata_finish (tenant, result, &error));
  g_assert_no_error (error);
  g_assert_true (tb_tenant_get_metadata_realm_ok (tenant));
  g_assert_cmpstr (tb_tenant_get_metadata_realm (tenant), ==, tenant_id);

  certificates = tb_tenant_get_signing_certificates (tenant);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (certificates); i++)
    {
      g_autoptr(TbCertificate) cert = g_list_model_get_item (certificates, i);

      g_assert_cmpuint (strlen (tb_certificate_get_sha1 (cert)), ==, 40);
      g_assert_nonnull (tb_certificate_get_not_after (cert));
    }

  /* An ACS host that answers for someone else is caught, and what it said is kept. */
  f->proxy->acs_realm = g_strdup ("11111111-2222-3333-4444-555555555555");
  tb_tenant_check_metadata_async (tenant, f->session, NULL, tb_test_store_result, &result2);
  tb_test_wait_for (&result2, "metadata");
  g_assert_false (tb_tenant_check_metadata_finish (tenant, result2, &error));
  g_assert_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_REALM_MISMATCH);
  g_assert_nonnull (strstr (error->message, "11111111-2222-3333-4444-555555555555"));
  g_assert_nonnull (strstr (error->message, tenant_id));
  g_assert_false (tb_tenant_get_metadata_realm_ok (tenant));
  g_assert_cmpuint (g_list_model_get_n_items (tb_tenant_get_signing_certificates (tenant)), >=, 1);
  g_clear_error (&error);

  /* A key whose Base64 is damaged is an unreadable key, never another certificate. */
  g_clear_pointer (&f->proxy->acs_realm, g_free);
  f->proxy->acs_damaged_keys = TRUE;
  tb_tenant_check_metadata_async (tenant, f->session, NULL, tb_test_store_result, &result3);
  tb_test_wait_for (&result3, "metadata");
  g_assert_true (tb_tenant_check_metadata_finish (tenant, result3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (tb_tenant_get_signing_certificates (tenant)), ==, 1);
  g_assert_cmpuint (tb_tenant_get_unreadable_keys (tenant), ==, 4);
}

/* The test's browser. The simulator and the listeners share this thread's main loop, so
 * everything is asynchronous. */
static SoupSession *browser;

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Fetch;

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fe = user_data;

  fe->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &fe->error);
  fe->done = TRUE;
}

static GBytes *
fetch (SoupMessage  *msg,
       GError      **error)
{
  Fetch fe = { 0 };
  guint id = g_timeout_add_seconds (40, too_long_cb, (gpointer) "fetch");

  soup_session_send_and_read_async (browser, msg, G_PRIORITY_DEFAULT, NULL, fetch_cb, &fe);
  while (!fe.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  if (fe.error != NULL)
    g_propagate_error (error, fe.error);
  return fe.body;
}

static gboolean
body_contains (GBytes     *body,
               const char *needle)
{
  return body != NULL
         && g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), needle) != NULL;
}

/* Device code */

typedef struct
{
  TbDeviceCodePrompt *prompt;
  guint               calls;
} PromptData;

static void
prompt_cb (const TbDeviceCodePrompt *prompt,
           gpointer                  user_data)
{
  PromptData *pd = user_data;

  pd->calls++;
  tb_device_code_prompt_free (pd->prompt);
  pd->prompt = g_new0 (TbDeviceCodePrompt, 1);
  pd->prompt->user_code = g_strdup (prompt->user_code);
  pd->prompt->verification_uri = g_strdup (prompt->verification_uri);
  pd->prompt->message = g_strdup (prompt->message);
  pd->prompt->expires_at = prompt->expires_at;
  pd->prompt->interval = prompt->interval;
}

/* What a person does: open the verification page, type the code, press a button. */
static void
visit_verification_page (const TbDeviceCodePrompt *prompt,
                         const char               *action)
{
  g_autoptr(SoupMessage) page = soup_message_new (SOUP_METHOD_GET, prompt->verification_uri);
  g_autoptr(SoupMessage) submit = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = fetch (page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (page), ==, 200);
  g_assert_true (body_contains (body, "<form"));
  g_clear_pointer (&body, g_bytes_unref);

  submit = soup_message_new_from_encoded_form (SOUP_METHOD_POST, prompt->verification_uri,
                                               soup_form_encode ("user_code", prompt->user_code,
                                                                 "action", action, NULL));
  body = fetch (submit, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (submit), ==, 200);
}

typedef struct
{
  SoupSession *session;
  guint        asked;
} SessionOwner;

static SoupSession *
owner_session (gpointer owner)
{
  SessionOwner *o = g_object_get_data (owner, "session-owner");

  o->asked++;
  return o->session;
}

/* An auth made with tb_auth_new_deferred asks its owner for the session only when it sends,
 * and once the owner is gone a sign-in fails as stopped instead of sending. */
static void
test_deferred_session (Fixture       *f,
                       gconstpointer  data)
{
  SessionOwner o = { f->session, 0 };
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PromptData pd = { 0 };

  g_object_set_data (owner, "session-owner", &o);
  auth = tb_auth_new_deferred (f->cloud, owner, owner_session, NULL, "organizations");
  g_assert_cmpuint (o.asked, ==, 0);

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, cancellable,
                                     tb_test_store_result, &result);
  while (pd.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (o.asked, >=, 1);
  g_clear_pointer (&pd.prompt, tb_device_code_prompt_free);
  g_cancellable_cancel (cancellable);
  tb_test_wait_for (&result, "device code sign-in");
  g_clear_object (&result);
  g_clear_error (&error);

  g_object_unref (owner);
  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, NULL,
                                     tb_test_store_result, &result);
  tb_test_wait_for (&result, "device code sign-in");
  g_assert_false (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_device_code (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  PromptData pd = { 0 };
  gint64 gap;

  g_assert_false (tb_auth_get_signed_in (auth));
  f->proxy->slow_down_on_poll = 2;

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, NULL,
                                     tb_test_store_result, &result);
  /* Pending on the first poll, slow_down on the second; then the person approves. */
  while (f->proxy->device_polls < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pd.calls, ==, 1);
  g_assert_cmpuint (pd.prompt->interval, ==, 1);
  g_assert_nonnull (strstr (pd.prompt->message, pd.prompt->user_code));
  g_assert_true (pd.prompt->expires_at > g_get_monotonic_time ());
  visit_verification_page (pd.prompt, "approve");

  tb_test_wait_for (&result, "device code sign-in");
  g_assert_true (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (f->proxy->device_polls, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (f->proxy->poll_replies, 0), ==, "authorization_pending");
  g_assert_cmpstr (g_ptr_array_index (f->proxy->poll_replies, 1), ==, "slow_down");
  g_assert_cmpstr (g_ptr_array_index (f->proxy->poll_replies, 2), ==, "ok");
  /* RFC 8628: the interval (1 s) grows by 5 s after slow_down. */
  gap = g_array_index (f->proxy->poll_times, gint64, 1) - g_array_index (f->proxy->poll_times, gint64, 0);
  g_assert_cmpint (gap, >=, 900 * 1000);
  gap = g_array_index (f->proxy->poll_times, gint64, 2) - g_array_index (f->proxy->poll_times, gint64, 1);
  g_assert_cmpint (gap, >=, 5900 * 1000);

  g_assert_true (tb_auth_get_signed_in (auth));
  g_assert_cmpstr (tb_auth_get_account (auth), ==, tb_sim_get_user (f->sim));
  g_assert_cmpstr (tb_auth_get_tenant_id (auth), ==, tb_sim_get_tenant_id (f->sim));
  g_assert_cmpint (tb_auth_get_access (auth), ==, TB_AUTH_ACCESS_READ);

  token = token_for (f, auth, TB_AUTH_ACCESS_READ);

  tb_device_code_prompt_free (pd.prompt);
}

static void
test_device_code_declined (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, tb_sim_get_domains (f->sim)[0]);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PromptData pd = { 0 };

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, NULL,
                                     tb_test_store_result, &result);
  while (pd.prompt == NULL)
    g_main_context_iteration (NULL, TRUE);
  visit_verification_page (pd.prompt, "decline");

  tb_test_wait_for (&result, "declined sign-in");
  g_assert_false (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_DECLINED);
  g_assert_false (tb_auth_get_signed_in (auth));
  g_assert_null (tb_auth_get_account (auth));

  tb_device_code_prompt_free (pd.prompt);
}

static void
test_device_code_expired (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PromptData pd = { 0 };

  tb_sim_set_device_code_lifetime (f->sim, 3);
  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, NULL,
                                     tb_test_store_result, &result);
  /* Nobody visits the page. */
  tb_test_wait_for (&result, "expired sign-in");
  g_assert_false (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_EXPIRED);
  g_assert_false (tb_auth_get_signed_in (auth));
  g_assert_cmpuint (f->proxy->device_polls, >=, 2);

  tb_device_code_prompt_free (pd.prompt);
}

static void
test_device_code_cancel (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PromptData pd = { 0 };
  gint64 start;

  tb_sim_set_device_interval (f->sim, 5);
  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, prompt_cb, &pd, cancellable,
                                     tb_test_store_result, &result);
  while (pd.prompt == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Cancelling ends the wait at once, not at the next poll. */
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  tb_test_wait_for (&result, "cancelled sign-in");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_false (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->proxy->device_polls, ==, 0);

  tb_device_code_prompt_free (pd.prompt);
}

/* Signs in through the device code flow with the simulator approving by itself. */
static TbAuth *
signed_in_auth (Fixture      *f,
                TbAuthAccess  access)
{
  TbAuth *auth = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_sim_set_device_auto_approve (f->sim, 1);
  tb_auth_sign_in_device_code_async (auth, access, NULL, NULL, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "sign-in");
  g_assert_true (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_no_error (error);

  return auth;
}

/* Browser: authorization code + PKCE */

typedef struct
{
  char *uri;
} OpenUri;

static void
open_uri_cb (TbAuth     *auth,
             const char *uri,
             gpointer    user_data)
{
  OpenUri *ou = user_data;

  g_free (ou->uri);
  ou->uri = g_strdup (uri);
}

static char *
browser_follow_authorize (Fixture    *f,
                          const char *authorize_uri)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, authorize_uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = fetch (msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);

  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"));
}

static void
test_browser (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) authorize = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GUri) redirect = NULL;
  g_autofree char *location = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SoupMessage) landing = NULL;
  g_autoptr(SoupMessage) again = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) none = NULL;
  OpenUri ou = { 0 };

  g_signal_connect (auth, "open-uri", G_CALLBACK (open_uri_cb), &ou);
  tb_auth_sign_in_browser_async (auth, TB_AUTH_ACCESS_WRITE, NULL, tb_test_store_result, &result);
  g_assert_nonnull (ou.uri);

  /* The request a browser would make: PKCE S256, a state, a loopback redirect. */
  authorize = g_uri_parse (ou.uri, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (g_uri_get_path (authorize), "/organizations/oauth2/v2.0/authorize"));
  query = soup_form_decode (g_uri_get_query (authorize));
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  g_assert_cmpuint (strlen (g_hash_table_lookup (query, "code_challenge")), ==, 43);
  g_assert_cmpuint (strlen (g_hash_table_lookup (query, "state")), >=, 22);
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, TB_AUTH_DEFAULT_CLIENT_ID);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (query, "redirect_uri"), "http://localhost:"));
  g_assert_nonnull (strstr (g_hash_table_lookup (query, "scope"), "/Application.ReadWrite.All"));
  g_assert_nonnull (strstr (g_hash_table_lookup (query, "scope"), "offline_access"));

  location = browser_follow_authorize (f, ou.uri);
  g_assert_true (g_str_has_prefix (location, g_hash_table_lookup (query, "redirect_uri")));

  landing = soup_message_new (SOUP_METHOD_GET, location);
  page = fetch (landing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (landing), ==, 200);
  g_assert_true (body_contains (page, "close this window"));

  tb_test_wait_for (&result, "browser sign-in");
  g_assert_true (tb_auth_sign_in_browser_finish (auth, result, &error));
  g_assert_no_error (error);
  g_assert_true (tb_auth_get_signed_in (auth));
  g_assert_cmpstr (tb_auth_get_account (auth), ==, tb_sim_get_user (f->sim));
  g_assert_cmpint (tb_auth_get_access (auth), ==, TB_AUTH_ACCESS_WRITE);

  token = token_for (f, auth, TB_AUTH_ACCESS_WRITE);

  /* One request served, then the listener is gone. */
  tb_test_iterate_for (200);
  again = soup_message_new (SOUP_METHOD_GET, location);
  none = fetch (again, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_free (ou.uri);
}

static void
test_browser_state_mismatch (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) redirect = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *location = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr(SoupMessage) landing = NULL;
  g_autoptr(GBytes) page = NULL;
  OpenUri ou = { 0 };

  g_signal_connect (auth, "open-uri", G_CALLBACK (open_uri_cb), &ou);
  tb_auth_sign_in_browser_async (auth, TB_AUTH_ACCESS_READ, NULL, tb_test_store_result, &result);
  location = browser_follow_authorize (f, ou.uri);

  /* A redirect from another attempt (or a forged one): same listener, other state. */
  redirect = g_uri_parse (location, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  query = soup_form_decode (g_uri_get_query (redirect));
  g_hash_table_insert (query, g_strdup ("state"), g_strdup ("not-the-state-we-sent"));
  encoded = soup_form_encode_hash (query);
  forged = g_strdup_printf ("http://127.0.0.1:%d/?%s", g_uri_get_port (redirect), encoded);

  landing = soup_message_new (SOUP_METHOD_GET, forged);
  page = fetch (landing, &error);
  g_assert_no_error (error);
  g_assert_true (body_contains (page, "Sign-in failed"));

  tb_test_wait_for (&result, "state mismatch");
  g_assert_false (tb_auth_sign_in_browser_finish (auth, result, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_STATE_MISMATCH);
  g_assert_false (tb_auth_get_signed_in (auth));

  g_free (ou.uri);
}

/* Tokens */

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;
  g_autofree char *third = NULL;
  guint requests;

  /* Tokens live 4 s: refreshed half-way, before they expire. */
  tb_sim_set_token_lifetime (f->sim, 4);
  auth = signed_in_auth (f, TB_AUTH_ACCESS_READ);

  requests = tb_sim_get_request_count (f->sim);
  first = token_for (f, auth, TB_AUTH_ACCESS_READ);
  again = token_for (f, auth, TB_AUTH_ACCESS_READ);
  g_assert_cmpstr (first, ==, again);
  g_assert_cmpuint (tb_sim_get_request_count (f->sim), ==, requests);

  tb_test_iterate_for (2300);
  second = token_for (f, auth, TB_AUTH_ACCESS_READ);
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpuint (f->proxy->refreshes, ==, 1);
  g_assert_cmpuint (tb_sim_get_request_count (f->sim), ==, requests + 1);

  /* Two callers at once share one refresh, made with the newest (rotated) refresh token. */
  tb_test_iterate_for (2300);
  requests = tb_sim_get_request_count (f->sim);
  tb_auth_get_token_async (auth, TB_AUTH_ACCESS_READ, NULL, tb_test_store_result, &r1);
  tb_auth_get_token_async (auth, TB_AUTH_ACCESS_READ, NULL, tb_test_store_result, &r2);
  tb_test_wait_for (&r1, "first concurrent get_token");
  tb_test_wait_for (&r2, "second concurrent get_token");
  t1 = tb_auth_get_token_finish (auth, r1, &error);
  g_assert_no_error (error);
  t2 = tb_auth_get_token_finish (auth, r2, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->tokens, g_strdup (t1));
  g_assert_cmpstr (t1, ==, t2);
  g_assert_cmpstr (t1, !=, second);
  g_assert_cmpuint (tb_sim_get_request_count (f->sim), ==, requests + 1);
  g_assert_cmpuint (f->proxy->refreshes, ==, 2);

  /* After a 401 the Graph client drops the token; the next call refreshes. */
  tb_auth_invalidate_token (auth, t1);
  third = token_for (f, auth, TB_AUTH_ACCESS_READ);
  g_assert_cmpstr (third, !=, t1);
  g_assert_cmpuint (f->proxy->refreshes, ==, 3);
}

static void
test_refresh_cancel_one (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *t2 = NULL;

  tb_sim_set_token_lifetime (f->sim, 4);
  auth = signed_in_auth (f, TB_AUTH_ACCESS_READ);
  tb_sim_set_latency (f->sim, 500);
  tb_test_iterate_for (2300);

  /* One caller gives up while the refresh is under way; the other still gets its token. */
  tb_auth_get_token_async (auth, TB_AUTH_ACCESS_READ, cancellable, tb_test_store_result, &r1);
  tb_auth_get_token_async (auth, TB_AUTH_ACCESS_READ, NULL, tb_test_store_result, &r2);
  g_cancellable_cancel (cancellable);
  tb_test_wait_for (&r1, "cancelled get_token");
  g_assert_null (r2);
  t1 = tb_auth_get_token_finish (auth, r1, &error);
  g_assert_null (t1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  tb_test_wait_for (&r2, "remaining get_token");
  t2 = tb_auth_get_token_finish (auth, r2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t2);
  g_ptr_array_add (f->tokens, g_strdup (t2));
  g_assert_cmpuint (f->proxy->refreshes, ==, 1);
}

static void
test_invalid_grant (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TbAuth) auth = signed_in_auth (f, TB_AUTH_ACCESS_READ);

  f->proxy->break_refresh = TRUE;
  tb_auth_invalidate_token (auth, NULL);
  assert_no_token (f, auth, TB_AUTH_ACCESS_READ, "Sign in again");
  g_assert_false (tb_auth_get_signed_in (auth));

  /* Nothing is retried with the dead token. */
  f->proxy->break_refresh = FALSE;
  assert_no_token (f, auth, TB_AUTH_ACCESS_READ, NULL);
  g_assert_cmpuint (f->proxy->refreshes, ==, 1);
}

static void
test_write_not_granted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TbAuth) auth = signed_in_auth (f, TB_AUTH_ACCESS_READ);
  g_autofree char *read = NULL;

  g_assert_cmpint (tb_auth_get_access (auth), ==, TB_AUTH_ACCESS_READ);

  /* Read-only consent: the refresh token cannot buy write access... */
  assert_no_token (f, auth, TB_AUTH_ACCESS_WRITE, NULL);

  /* ...but reading goes on. */
  g_assert_true (tb_auth_get_signed_in (auth));
  read = token_for (f, auth, TB_AUTH_ACCESS_READ);
}

static void
test_write_after_write_consent (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(TbAuth) auth = signed_in_auth (f, TB_AUTH_ACCESS_WRITE);
  g_autofree char *write = NULL;
  g_autofree char *read = NULL;

  g_assert_cmpint (tb_auth_get_access (auth), ==, TB_AUTH_ACCESS_WRITE);
  write = token_for (f, auth, TB_AUTH_ACCESS_WRITE);
  /* A write token serves reads: no second token needed. */
  read = token_for (f, auth, TB_AUTH_ACCESS_READ);
  g_assert_cmpstr (read, ==, write);
}

static void
test_sign_out (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TbAuth) auth = signed_in_auth (f, TB_AUTH_ACCESS_READ);
  g_autoptr(TbAuth) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *before = NULL;
  guint requests;

  before = token_for (f, auth, TB_AUTH_ACCESS_READ);

  tb_auth_sign_out (auth);
  g_assert_false (tb_auth_get_signed_in (auth));
  g_assert_null (tb_auth_get_account (auth));
  g_assert_null (tb_auth_get_tenant_id (auth));

  requests = tb_sim_get_request_count (f->sim);
  assert_no_token (f, auth, TB_AUTH_ACCESS_READ, NULL);
  g_assert_cmpuint (tb_sim_get_request_count (f->sim), ==, requests);

  /* Without a Secret Service nothing was stored, so a new start is signed out. */
  later = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  tb_auth_restore_async (later, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "restore");
  g_assert_false (tb_auth_restore_finish (later, result, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN);
  g_assert_false (tb_auth_get_signed_in (later));
}

static void
test_bad_client (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TbAuth) auth = tb_auth_new (f->cloud, f->session, "not-a-client-id", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, NULL, NULL, NULL,
                                     tb_test_store_result, &result);
  tb_test_wait_for (&result, "bad client");
  g_assert_false (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_true (error->domain == TB_AUTH_ERROR);
  g_assert_cmpint (error->code, ==, TB_AUTH_ERROR_SERVER);
  g_assert_cmpuint (strlen (error->message), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Never touch a real keyring from a test: no session bus, so libsecret's fallback path. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/trust-bridge-test-bus", TRUE);
  g_setenv ("TB_DEBUG", "http", TRUE);

  g_test_init (&argc, &argv, NULL);

  http_log = g_string_new (NULL);
  browser = soup_session_new ();
  g_log_set_handler ("TrustBridge-http", G_LOG_LEVEL_MASK, capture_log, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/tenant/discovery", test_discovery);
  ADD ("/tenant/metadata", test_metadata);
  ADD ("/auth/device-code", test_device_code);
  ADD ("/auth/device-code-declined", test_device_code_declined);
  ADD ("/auth/device-code-expired", test_device_code_expired);
  ADD ("/auth/device-code-cancel", test_device_code_cancel);
  ADD ("/auth/browser", test_browser);
  ADD ("/auth/browser-state-mismatch", test_browser_state_mismatch);
  ADD ("/auth/refresh", test_refresh);
  ADD ("/auth/refresh-cancel-one", test_refresh_cancel_one);
  ADD ("/auth/invalid-grant", test_invalid_grant);
  ADD ("/auth/write-not-granted", test_write_not_granted);
  ADD ("/auth/write-consented", test_write_after_write_consent);
  ADD ("/auth/sign-out", test_sign_out);
  ADD ("/auth/bad-client", test_bad_client);
  ADD ("/auth/deferred-session", test_deferred_session);

  return g_test_run ();
}
