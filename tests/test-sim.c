/* test-sim.c: the simulator, driven over HTTP with plain libsoup as any client would
 *
 * No product client is involved: each test speaks the documented protocol directly, so a
 * failure here points at the simulator, not at the code under test elsewhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tb-sim-private.h"
#include "tb-certificate.h"
#include "tb-test-certs.h"
#include "tb-test-util.h"

#define CLIENT_ID "14d82eec-204b-4c2f-b7e8-296a70dab67e"
#define SFB "00000004-0000-0ff1-ce00-000000000000"
#define READ_SCOPE "https://graph.microsoft.com/Application.Read.All openid profile offline_access"
#define WRITE_SCOPE "https://graph.microsoft.com/Application.ReadWrite.All openid profile " \
                    "offline_access"

typedef struct
{
  TbSim       *sim;
  SoupSession *session;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *text;
  JsonNode           *json;
} Reply;

static void
reply_free (Reply *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r->text);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* The simulator serves on this thread's main context, so requests run async while the test
 * spins the loop; a blocking call would deadlock. */
static Reply *
send_message (Fixture     *fx,
              SoupMessage *msg)
{
  GBytes *bytes = NULL;
  Reply *r = g_new0 (Reply, 1);
  gsize len;
  const char *data;

  soup_session_send_and_read_async (fx->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);

  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (bytes, &len);
  r->text = g_strndup (data != NULL ? data : "", len);
  if (len > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, r->text, len, NULL))
        r->json = json_node_ref (json_parser_get_root (parser));
    }
  g_bytes_unref (bytes);
  return r;
}

static Reply *
request (Fixture    *fx,
         const char *method,
         const char *uri,
         const char *token,
         const char *content_type,
         const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return send_message (fx, msg);
}

static Reply *
post_form (Fixture    *fx,
           const char *uri,
           ...)
{
  va_list ap;
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  const char *name;

  va_start (ap, uri);
  while ((name = va_arg (ap, const char *)) != NULL)
    g_hash_table_insert (form, (char *) name, va_arg (ap, char *));
  va_end (ap);
  encoded = soup_form_encode_hash (form);
  return request (fx, "POST", uri, NULL, "application/x-www-form-urlencoded", encoded);
}

static char *
login_uri (Fixture    *fx,
           const char *tenant,
           const char *path)
{
  return g_strdup_printf ("%s/%s/%s", tb_sim_get_login_base (fx->sim), tenant, path);
}

static char *
graph_uri (Fixture    *fx,
           const char *path)
{
  return g_strdup_printf ("%s/v1.0/%s", tb_sim_get_graph_base (fx->sim), path);
}

static JsonObject *
obj (Reply *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static const char *
str (JsonObject *o,
     const char *name)
{
  return json_object_get_string_member_with_default (o, name, NULL);
}

static void
assert_login_error (Reply      *r,
                    const char *error,
                    const char *aadsts)
{
  JsonObject *o;

  g_assert_cmpuint (r->status, ==, 400);
  o = obj (r);
  g_assert_cmpstr (str (o, "error"), ==, error);
  if (aadsts != NULL)
    g_assert_true (g_str_has_prefix (str (o, "error_description"), aadsts));
  g_assert_nonnull (str (o, "trace_id"));
  g_assert_nonnull (str (o, "correlation_id"));
  g_assert_nonnull (str (o, "timestamp"));
  g_assert_true (json_object_has_member (o, "error_codes"));
}

static void
assert_graph_error (Reply      *r,
                    guint       status,
                    const char *code,
                    const char *message_part)
{
  JsonObject *error;
  JsonObject *inner;

  g_assert_cmpuint (r->status, ==, status);
  error = json_object_get_object_member (obj (r), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (str (error, "code"), ==, code);
  if (message_part != NULL && strstr (str (error, "message"), message_part) == NULL)
    g_error ("message “%s” lacks “%s”", str (error, "message"), message_part);
  inner = json_object_get_object_member (error, "innerError");
  g_assert_nonnull (inner);
  g_assert_cmpstr (str (inner, "request-id"), ==,
                   soup_message_headers_get_one (r->headers, "request-id"));
  g_assert_nonnull (str (inner, "client-request-id"));
  g_assert_nonnull (str (inner, "date"));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->sim = tb_sim_new (GPOINTER_TO_INT (data));
  g_assert_true (tb_sim_start (fx->sim, &error));
  g_assert_no_error (error);
  fx->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->session);
  tb_sim_stop (fx->sim);
  g_assert_finalize_object (fx->sim);
}

/* PKCE sign-in without a browser: the authorize endpoint answers with a redirect that the
 * test reads instead of following. Returns the token reply. */
static char *
make_verifier (void)
{
  return g_strdup ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-pkce-verifier-0123");
}

static char *
challenge_for (const char *verifier)
{
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  char *b64;

  g_checksum_update (sum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (sum, digest, &len);
  b64 = g_base64_encode (digest, len);
  for (char *p = b64; *p; p++)
    {
      if (*p == '+') *p = '-';
      else if (*p == '/') *p = '_';
      else if (*p == '=') { *p = '\0'; break; }
    }
  return b64;
}

static char *
authorize (Fixture    *fx,
           const char *scope,
           const char *redirect_uri,
           const char *challenge,
           const char *method,
           GHashTable **params_out)
{
  g_autoptr(GHashTable) q = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *query = NULL;
  g_autofree char *base = login_uri (fx, tb_sim_get_tenant_id (fx->sim), "oauth2/v2.0/authorize");
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(Reply) r = NULL;
  const char *location;
  g_autoptr(GUri) parsed = NULL;

  g_hash_table_insert (q, "client_id", CLIENT_ID);
  g_hash_table_insert (q, "response_type", "code");
  g_hash_table_insert (q, "redirect_uri", (char *) redirect_uri);
  g_hash_table_insert (q, "scope", (char *) scope);
  g_hash_table_insert (q, "state", "xyz-state");
  if (challenge != NULL)
    g_hash_table_insert (q, "code_challenge", (char *) challenge);
  if (method != NULL)
    g_hash_table_insert (q, "code_challenge_method", (char *) method);
  query = soup_form_encode_hash (q);
  uri = g_strdup_printf ("%s?%s", base, query);
  msg = soup_message_new ("GET", uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  r = send_message (fx, msg);
  g_assert_cmpuint (r->status, ==, 302);
  location = soup_message_headers_get_one (r->headers, "Location");
  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, redirect_uri));
  parsed = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (parsed);
  *params_out = soup_form_decode (g_uri_get_query (parsed));
  g_assert_cmpstr (g_hash_table_lookup (*params_out, "state"), ==, "xyz-state");
  return g_strdup (g_hash_table_lookup (*params_out, "code"));
}

static JsonObject *
sign_in (Fixture    *fx,
         const char *scope)
{
  g_autofree char *verifier = make_verifier ();
  g_autofree char *challenge = challenge_for (verifier);
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *code = authorize (fx, scope, "http://localhost:41234/", challenge, "S256",
                                     &params);
  g_autofree char *token_uri = login_uri (fx, "contoso.onmicrosoft.com", "oauth2/v2.0/token");
  g_autoptr(Reply) r = NULL;

  g_assert_nonnull (code);
  r = post_form (fx, token_uri, "grant_type", "authorization_code", "client_id", CLIENT_ID,
                 "code", code, "redirect_uri", "http://localhost:41234/",
                 "code_verifier", verifier, "scope", scope, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_ref (obj (r));
}

static char *
sign_in_token (Fixture    *fx,
               const char *scope)
{
  g_autoptr(JsonObject) o = sign_in (fx, scope);

  return g_strdup (str (o, "access_token"));
}

/* ---- discovery ---------------------------------------------------------------------- */

static void
test_discovery (Fixture       *fx,
                gconstpointer  data)
{
  const char *tid = tb_sim_get_tenant_id (fx->sim);
  g_autofree char *expected_issuer = g_strdup_printf ("%s/%s/v2.0",
                                                      tb_sim_get_login_base (fx->sim), tid);
  const char *tenants[] = { tid, "contoso.onmicrosoft.com", "CONTOSO.COM" };

  for (guint i = 0; i < G_N_ELEMENTS (tenants); i++)
    {
      g_autofree char *uri = login_uri (fx, tenants[i], "v2.0/.well-known/openid-configuration");
      g_autoptr(Reply) r = request (fx, "GET", uri, NULL, NULL, NULL);
      JsonObject *o;
      g_autofree char *token_endpoint = NULL;

      g_assert_cmpuint (r->status, ==, 200);
      o = obj (r);
      g_assert_cmpstr (str (o, "issuer"), ==, expected_issuer);
      token_endpoint = g_strdup_printf ("%s/%s/oauth2/v2.0/token",
                                        tb_sim_get_login_base (fx->sim), tid);
      g_assert_cmpstr (str (o, "token_endpoint"), ==, token_endpoint);
      g_assert_true (g_str_has_suffix (str (o, "device_authorization_endpoint"),
                                       "/oauth2/v2.0/devicecode"));
      g_assert_true (g_str_has_suffix (str (o, "authorization_endpoint"),
                                       "/oauth2/v2.0/authorize"));
      g_assert_cmpstr (str (o, "cloud_instance_name"), ==, "microsoftonline.com");
      g_assert_cmpstr (str (o, "tenant_region_scope"), ==, "NA");
    }

  {
    g_autofree char *uri = login_uri (fx, "organizations", "v2.0/.well-known/openid-configuration");
    g_autoptr(Reply) r = request (fx, "GET", uri, NULL, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_true (g_str_has_suffix (str (obj (r), "issuer"), "/{tenantid}/v2.0"));
  }
  {
    g_autofree char *uri = login_uri (fx, "fabrikam.example", "v2.0/.well-known/openid-configuration");
    g_autoptr(Reply) r = request (fx, "GET", uri, NULL, NULL, NULL);

    assert_login_error (r, "invalid_tenant", "AADSTS90002:");
    g_assert_nonnull (strstr (str (obj (r), "error_description"), "fabrikam.example"));
  }
}

/* ---- device code -------------------------------------------------------------------- */

static JsonObject *
start_device_code (Fixture    *fx,
                   const char *scope)
{
  g_autofree char *uri = login_uri (fx, "contoso.com", "oauth2/v2.0/devicecode");
  g_autoptr(Reply) r = post_form (fx, uri, "client_id", CLIENT_ID, "scope", scope, NULL);
  JsonObject *o;

  g_assert_cmpuint (r->status, ==, 200);
  o = obj (r);
  g_assert_cmpuint (strlen (str (o, "user_code")), ==, 9);
  g_assert_nonnull (str (o, "device_code"));
  g_assert_nonnull (strstr (str (o, "message"), str (o, "user_code")));
  g_assert_cmpint (json_object_get_int_member (o, "expires_in"), >, 0);
  return json_object_ref (o);
}

static Reply *
poll_device (Fixture    *fx,
             JsonObject *code)
{
  g_autofree char *uri = login_uri (fx, "contoso.com", "oauth2/v2.0/token");

  return post_form (fx, uri, "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                    "client_id", CLIENT_ID, "device_code", str (code, "device_code"), NULL);
}

static char *
decode_jwt_payload (const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  GString *b64;
  guchar *data;
  gsize len;
  char *text;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  b64 = g_string_new (parts[1]);
  for (gsize i = 0; i < b64->len; i++)
    {
      if (b64->str[i] == '-') b64->str[i] = '+';
      else if (b64->str[i] == '_') b64->str[i] = '/';
    }
  while (b64->len % 4)
    g_string_append_c (b64, '=');
  data = g_base64_decode (b64->str, &len);
  text = g_strndup ((char *) data, len);
  g_free (data);
  g_string_free (b64, TRUE);
  return text;
}

static void
test_device_code (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) code = NULL;
  g_autofree char *page_uri = NULL;

  /* Microsoft's default interval, unless a test asks for less. */
  code = start_device_code (fx, READ_SCOPE);
  g_assert_cmpint (json_object_get_int_member (code, "interval"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (code, "expires_in"), ==, 900);
  g_clear_pointer (&code, json_object_unref);

  tb_sim_set_device_interval (fx->sim, 1);
  code = start_device_code (fx, READ_SCOPE);
  g_assert_cmpint (json_object_get_int_member (code, "interval"), ==, 1);
  page_uri = g_strdup (str (code, "verification_uri"));
  g_assert_true (g_str_has_prefix (page_uri, tb_sim_get_login_base (fx->sim)));

  {
    g_autoptr(Reply) r = poll_device (fx, code);
    assert_login_error (r, "authorization_pending", "AADSTS70016:");
  }
  {
    /* Too fast: slow_down, and from now on the interval is 1 + 5 seconds (RFC 8628). */
    g_autoptr(Reply) r = poll_device (fx, code);
    assert_login_error (r, "slow_down", NULL);
  }
  /* Back at the old pace is still too fast, and costs another 5 s: now 11 s. */
  tb_test_iterate_for (1200);
  {
    g_autoptr(Reply) r = poll_device (fx, code);
    assert_login_error (r, "slow_down", NULL);
  }

  /* The person opens the page and enters the code (lower case, with spaces, as people do). */
  {
    g_autoptr(Reply) page = request (fx, "GET", page_uri, NULL, NULL, NULL);
    g_autofree char *typed = g_strdup_printf (" %s ", str (code, "user_code"));
    g_autoptr(Reply) bad = NULL;
    g_autoptr(Reply) ok = NULL;

    g_assert_cmpuint (page->status, ==, 200);
    g_assert_nonnull (strstr (page->text, "<form"));
    bad = post_form (fx, page_uri, "user_code", "WRONGCODE", "action", "approve", NULL);
    g_assert_cmpuint (bad->status, ==, 400);
    g_autofree char *lower = g_ascii_strdown (typed, -1);

    ok = post_form (fx, page_uri, "user_code", lower, "action", "approve", NULL);
    g_assert_cmpuint (ok->status, ==, 200);
  }

  tb_test_iterate_for (11100);
  {
    g_autoptr(Reply) r = poll_device (fx, code);
    JsonObject *o;
    g_autofree char *claims_text = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *claims;

    g_assert_cmpuint (r->status, ==, 200);
    o = obj (r);
    g_assert_cmpstr (str (o, "token_type"), ==, "Bearer");
    g_assert_nonnull (str (o, "access_token"));
    g_assert_nonnull (str (o, "refresh_token"));
    g_assert_cmpint (json_object_get_int_member (o, "expires_in"), ==, 3600);
    g_assert_nonnull (strstr (str (o, "scope"), "Application.Read.All"));
    claims_text = decode_jwt_payload (str (o, "id_token"));
    g_assert_true (json_parser_load_from_data (parser, claims_text, -1, NULL));
    claims = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (str (claims, "tid"), ==, tb_sim_get_tenant_id (fx->sim));
    g_assert_cmpstr (str (claims, "preferred_username"), ==, tb_sim_get_user (fx->sim));
    g_assert_nonnull (str (claims, "oid"));
    g_assert_nonnull (str (claims, "name"));
  }
  {
    /* A device code is good for one sign-in. */
    g_autoptr(Reply) r = poll_device (fx, code);

    assert_login_error (r, "invalid_grant", NULL);
  }
}

static void
test_device_code_declined_and_expired (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) declined = NULL;
  g_autoptr(JsonObject) expired = NULL;
  g_autoptr(JsonObject) automatic = NULL;
  g_autofree char *page_uri = g_strdup_printf ("%s/devicelogin", tb_sim_get_login_base (fx->sim));

  tb_sim_set_device_interval (fx->sim, 1);
  declined = start_device_code (fx, READ_SCOPE);
  {
    g_autoptr(Reply) r = post_form (fx, page_uri, "user_code", str (declined, "user_code"),
                                    "action", "decline", NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(Reply) r = poll_device (fx, declined);
    assert_login_error (r, "authorization_declined", NULL);
  }

  tb_sim_set_device_code_lifetime (fx->sim, 1);
  expired = start_device_code (fx, READ_SCOPE);
  tb_test_iterate_for (1100);
  {
    g_autoptr(Reply) r = poll_device (fx, expired);
    assert_login_error (r, "expired_token", "AADSTS70019:");
  }

  /* The demo's knob: approved without the page after one pending poll. */
  tb_sim_set_device_code_lifetime (fx->sim, 900);
  tb_sim_set_device_auto_approve (fx->sim, 1);
  automatic = start_device_code (fx, READ_SCOPE);
  {
    g_autoptr(Reply) r = poll_device (fx, automatic);
    assert_login_error (r, "authorization_pending", NULL);
  }
  tb_test_iterate_for (1050);
  {
    g_autoptr(Reply) r = poll_device (fx, automatic);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (str (obj (r), "access_token"));
  }
}

/* ---- authorization code + PKCE, refresh --------------------------------------------- */

static void
test_pkce (Fixture       *fx,
           gconstpointer  data)
{
  g_autofree char *verifier = make_verifier ();
  g_autofree char *challenge = challenge_for (verifier);
  g_autofree char *token_uri = login_uri (fx, tb_sim_get_tenant_id (fx->sim), "oauth2/v2.0/token");
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *code = NULL;

  /* Loopback redirect: any port matches the registered http://localhost. */
  code = authorize (fx, READ_SCOPE, "http://127.0.0.1:50123/callback", challenge, "S256", &params);
  g_assert_nonnull (code);
  {
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "authorization_code",
                                    "client_id", CLIENT_ID, "code", code,
                                    "redirect_uri", "http://127.0.0.1:50123/callback",
                                    "code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier-1",
                                    NULL);
    assert_login_error (r, "invalid_grant", "AADSTS501481:");
  }
  {
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "authorization_code",
                                    "client_id", CLIENT_ID, "code", code,
                                    "redirect_uri", "http://127.0.0.1:50999/other",
                                    "code_verifier", verifier, NULL);
    assert_login_error (r, "invalid_grant", NULL);
  }
  {
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "authorization_code",
                                    "client_id", CLIENT_ID, "code", code,
                                    "redirect_uri", "http://127.0.0.1:50123/callback",
                                    "code_verifier", verifier, NULL);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (str (obj (r), "access_token"));
    g_assert_nonnull (str (obj (r), "id_token"));
  }
  {
    /* Codes are single-use. */
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "authorization_code",
                                    "client_id", CLIENT_ID, "code", code,
                                    "redirect_uri", "http://127.0.0.1:50123/callback",
                                    "code_verifier", verifier, NULL);
    assert_login_error (r, "invalid_grant", "AADSTS54005:");
  }

  /* No challenge, or the plain method: the error comes back on the redirect. */
  {
    g_autoptr(GHashTable) p = NULL;
    g_autofree char *none = authorize (fx, READ_SCOPE, "http://localhost:1234/", NULL, NULL, &p);

    g_assert_null (none);
    g_assert_cmpstr (g_hash_table_lookup (p, "error"), ==, "invalid_request");
  }
  {
    g_autoptr(GHashTable) p = NULL;
    g_autofree char *plain = authorize (fx, READ_SCOPE, "http://localhost:1234/", verifier,
                                        "plain", &p);

    g_assert_null (plain);
    g_assert_cmpstr (g_hash_table_lookup (p, "error"), ==, "invalid_request");
  }
  {
    /* A non-loopback redirect is never followed. */
    g_autofree char *uri = g_strdup_printf ("%s/%s/oauth2/v2.0/authorize?client_id=%s&"
                                            "response_type=code&redirect_uri=https%%3A%%2F%%2F"
                                            "evil.example%%2F&scope=openid&code_challenge=%s&"
                                            "code_challenge_method=S256",
                                            tb_sim_get_login_base (fx->sim),
                                            tb_sim_get_tenant_id (fx->sim), CLIENT_ID, challenge);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr(Reply) r = NULL;

    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    r = send_message (fx, msg);
    g_assert_cmpuint (r->status, ==, 400);
    g_assert_null (soup_message_headers_get_one (r->headers, "Location"));
  }
}

static void
test_refresh_rotation (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) first = sign_in (fx, READ_SCOPE);
  g_autofree char *token_uri = login_uri (fx, "contoso.onmicrosoft.com", "oauth2/v2.0/token");
  const char *rt1 = str (first, "refresh_token");
  g_autofree char *rt2 = NULL;

  g_assert_nonnull (rt1);
  {
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "refresh_token",
                                    "client_id", CLIENT_ID, "refresh_token", rt1,
                                    "scope", READ_SCOPE, NULL);
    g_assert_cmpuint (r->status, ==, 200);
    rt2 = g_strdup (str (obj (r), "refresh_token"));
    g_assert_nonnull (rt2);
    g_assert_cmpstr (rt2, !=, rt1);
    g_assert_cmpstr (str (obj (r), "access_token"), !=, str (first, "access_token"));
  }
  {
    /* The old one is spent. */
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "refresh_token",
                                    "client_id", CLIENT_ID, "refresh_token", rt1,
                                    "scope", READ_SCOPE, NULL);
    assert_login_error (r, "invalid_grant", NULL);
  }
  {
    /* More than was consented needs an interactive sign-in; the token stays usable. */
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "refresh_token",
                                    "client_id", CLIENT_ID, "refresh_token", rt2,
                                    "scope", WRITE_SCOPE, NULL);
    assert_login_error (r, "invalid_grant", "AADSTS65001:");
  }
  {
    g_autoptr(Reply) r = post_form (fx, token_uri, "grant_type", "refresh_token",
                                    "client_id", CLIENT_ID, "refresh_token", rt2, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* ---- Graph -------------------------------------------------------------------------- */

static void
test_graph_auth (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *uri = graph_uri (fx, "servicePrincipals");
  g_autofree char *org_uri = graph_uri (fx, "organization");
  g_autofree char *token = NULL;

  {
    g_autoptr(Reply) r = request (fx, "GET", uri, NULL, NULL, NULL);

    assert_graph_error (r, 401, "InvalidAuthenticationToken", NULL);
    g_assert_nonnull (soup_message_headers_get_one (r->headers, "client-request-id"));
  }
  {
    g_autoptr(Reply) r = request (fx, "GET", uri, "not-a-token", NULL, NULL);

    assert_graph_error (r, 401, "InvalidAuthenticationToken", NULL);
  }

  tb_sim_set_token_lifetime (fx->sim, 1);
  token = sign_in_token (fx, READ_SCOPE);
  {
    g_autoptr(Reply) r = request (fx, "GET", org_uri, token, NULL, NULL);
    JsonObject *org;
    JsonArray *domains;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (soup_message_headers_get_one (r->headers, "request-id"));
    org = json_array_get_object_element (json_object_get_array_member (obj (r), "value"), 0);
    g_assert_cmpstr (str (org, "id"), ==, tb_sim_get_tenant_id (fx->sim));
    domains = json_object_get_array_member (org, "verifiedDomains");
    g_assert_cmpuint (json_array_get_length (domains), ==, 2);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (domains, 0),
                                                   "isInitial"));
  }
  tb_test_iterate_for (1100);
  {
    g_autoptr(Reply) r = request (fx, "GET", org_uri, token, NULL, NULL);

    assert_graph_error (r, 401, "InvalidAuthenticationToken",
                        "Lifetime validation failed, the token is expired.");
  }
}

static void
test_graph_paging (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *token = sign_in_token (fx, READ_SCOPE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *next = graph_uri (fx, "servicePrincipals?$top=999");
  guint pages = 0;

  while (next != NULL)
    {
      g_autoptr(Reply) r = request (fx, "GET", next, token, NULL, NULL);
      JsonArray *value;

      g_assert_cmpuint (r->status, ==, 200);
      value = json_object_get_array_member (obj (r), "value");
      g_assert_cmpuint (json_array_get_length (value), <=, 999);
      for (guint i = 0; i < json_array_get_length (value); i++)
        {
          JsonObject *sp = json_array_get_object_element (value, i);
          JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");

          g_assert_true (g_hash_table_add (seen, g_strdup (str (sp, "id"))));
          /* Lists never carry the certificate itself. */
          for (guint k = 0; k < json_array_get_length (keys); k++)
            g_assert_true (json_object_get_null_member (json_array_get_object_element (keys, k),
                                                        "key"));
        }
      g_free (next);
      next = g_strdup (str (obj (r), "@odata.nextLink"));
      if (next != NULL)
        g_assert_true (g_str_has_prefix (next, tb_sim_get_graph_base (fx->sim)));
      pages++;
    }
  g_assert_cmpuint (pages, ==, 2);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1506);

  {
    g_autofree char *uri = graph_uri (fx, "servicePrincipals");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (r), "value")),
                      ==, 100);
  }
  {
    g_autofree char *uri = graph_uri (fx, "servicePrincipals?$top=1000");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    assert_graph_error (r, 400, "Request_BadRequest", NULL);
  }
  {
    g_autofree char *uri = graph_uri (fx, "servicePrincipals?$count=true&$top=1");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
    g_autoptr(Reply) counted = NULL;

    assert_graph_error (r, 400, "Request_BadRequest", NULL);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "ConsistencyLevel",
                                  "eventual");
    counted = send_message (fx, msg);
    g_assert_cmpuint (counted->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (obj (counted), "@odata.count"), ==, 1506);
  }
  {
    g_autofree char *uri = graph_uri (fx, "servicePrincipals?$filter=startswith(displayName,"
                                      "'Office%20365')&$select=appId,displayName");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
    JsonArray *value;

    g_assert_cmpuint (r->status, ==, 200);
    value = json_object_get_array_member (obj (r), "value");
    g_assert_cmpuint (json_array_get_length (value), ==, 2);
    /* $select limits the members to those named, plus id. */
    g_assert_cmpuint (json_object_get_size (json_array_get_object_element (value, 0)), ==, 3);
  }
}

static void
test_graph_keys_hidden (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *token = sign_in_token (fx, READ_SCOPE);
  g_autofree char *filter_uri = graph_uri (fx, "servicePrincipals?$filter=appId%20eq%20'"
                                           SFB "'");
  g_autofree char *id = NULL;

  {
    g_autoptr(Reply) r = request (fx, "GET", filter_uri, token, NULL, NULL);
    JsonArray *value = json_object_get_array_member (obj (r), "value");
    JsonObject *sp;
    JsonArray *keys;

    g_assert_cmpuint (json_array_get_length (value), ==, 1);
    sp = json_array_get_object_element (value, 0);
    id = g_strdup (str (sp, "id"));
    keys = json_object_get_array_member (sp, "keyCredentials");
    g_assert_cmpuint (json_array_get_length (keys), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *kc = json_array_get_object_element (keys, i);

        g_assert_true (json_object_get_null_member (kc, "key"));
        g_assert_nonnull (str (kc, "keyId"));
        g_assert_cmpuint (strlen (str (kc, "customKeyIdentifier")), ==, 40);
      }
  }
  {
    /* A single object without $select: still null. */
    g_autofree char *uri = graph_uri (fx, "servicePrincipals(appId='" SFB "')");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
    JsonArray *keys;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (str (obj (r), "id"), ==, id);
    keys = json_object_get_array_member (obj (r), "keyCredentials");
    g_assert_true (json_object_get_null_member (json_array_get_object_element (keys, 0), "key"));
  }
  {
    g_autofree char *path = g_strdup_printf ("servicePrincipals/%s?$select=keyCredentials", id);
    g_autofree char *uri = graph_uri (fx, path);
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
    JsonArray *keys;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (json_object_get_size (obj (r)), ==, 3);   /* @odata.context, id, keys */
    keys = json_object_get_array_member (obj (r), "keyCredentials");
    g_assert_cmpuint (json_array_get_length (keys), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *kc = json_array_get_object_element (keys, i);
        gsize len;
        g_autofree guchar *der = g_base64_decode (str (kc, "key"), &len);
        g_autoptr(GBytes) bytes = g_bytes_new (der, len);
        g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (bytes, NULL);

        g_assert_nonnull (cert);
        g_assert_cmpstr (tb_certificate_get_sha1 (cert), ==, str (kc, "customKeyIdentifier"));
      }
  }
  {
    g_autofree char *uri = graph_uri (fx, "servicePrincipals/00000000-0000-0000-0000-000000000001");
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    assert_graph_error (r, 404, "Request_ResourceNotFound", NULL);
  }
}

static char *
cert_b64 (gint64   not_after,
          GBytes **der_out)
{
  TbTestCertSpec spec = { .common_name = "pool-oauth.contoso.com", .key_type = TB_TEST_KEY_EC_P256,
                          .not_after = not_after };
  GBytes *der = tb_test_cert_make (&spec, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  char *b64 = g_base64_encode (data, len);

  if (der_out != NULL)
    *der_out = der;
  else
    g_bytes_unref (der);
  return b64;
}

static Reply *
patch_json (Fixture    *fx,
            const char *token,
            const char *path,
            const char *body)
{
  g_autofree char *uri = graph_uri (fx, path);

  return request (fx, "PATCH", uri, token, "application/json", body);
}

static void
test_graph_patch_keys (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *reader = sign_in_token (fx, READ_SCOPE);
  g_autofree char *writer = sign_in_token (fx, WRITE_SCOPE);
  g_autoptr(JsonObject) before = tb_sim_dup_service_principal (fx->sim, SFB);
  JsonObject *kept = json_array_get_object_element (json_object_get_array_member (before,
                                                                                  "keyCredentials"),
                                                    1);
  const char *path = "servicePrincipals(appId='" SFB "')";
  gint64 year = g_get_real_time () / G_USEC_PER_SEC + 365 * 24 * 3600;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *b64 = cert_b64 (year, &der);
  guint writes = tb_sim_get_write_count (fx->sim);

  {
    g_autofree char *body = g_strdup_printf ("{\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\","
                                             "\"usage\":\"Verify\",\"key\":\"%s\"}]}", b64);
    g_autoptr(Reply) r = patch_json (fx, reader, path, body);

    assert_graph_error (r, 403, "Authorization_RequestDenied",
                        "Insufficient privileges to complete the operation.");
  }
  {
    /* Changing an existing keyId's content is refused. */
    g_autofree char *body = g_strdup_printf ("{\"keyCredentials\":[{\"keyId\":\"%s\","
                                             "\"type\":\"AsymmetricX509Cert\",\"usage\":\"Verify\","
                                             "\"key\":\"%s\"}]}", str (kept, "keyId"), b64);
    g_autoptr(Reply) r = patch_json (fx, writer, path, body);

    assert_graph_error (r, 400, "Request_BadRequest", "Update to existing credential with KeyId");
  }
  {
    /* PEM text, base64url: not Edm.Binary. */
    g_autofree char *pem = tb_test_cert_to_pem (der);
    g_autoptr(JsonBuilder) jb = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *body = NULL;
    g_autoptr(Reply) r = NULL;

    json_builder_begin_object (jb);
    json_builder_set_member_name (jb, "keyCredentials");
    json_builder_begin_array (jb);
    json_builder_begin_object (jb);
    json_builder_set_member_name (jb, "type");
    json_builder_add_string_value (jb, "AsymmetricX509Cert");
    json_builder_set_member_name (jb, "usage");
    json_builder_add_string_value (jb, "Verify");
    json_builder_set_member_name (jb, "key");
    json_builder_add_string_value (jb, pem);
    json_builder_end_object (jb);
    json_builder_end_array (jb);
    json_builder_end_object (jb);
    root = json_builder_get_root (jb);
    body = json_to_string (root, FALSE);
    r = patch_json (fx, writer, path, body);
    assert_graph_error (r, 400, "Request_BadRequest", "'Edm.Binary'");
  }
  {
    g_autofree char *url = g_strdup (b64);
    g_autofree char *body = NULL;
    g_autoptr(Reply) r = NULL;

    char *pad;

    g_strdelimit (url, "+", '-');
    g_strdelimit (url, "/", '_');
    /* A third of all DER lengths need no padding. */
    pad = strchr (url, '=');
    if (pad != NULL)
      *pad = '\0';
    g_assert_cmpstr (url, !=, b64);
    body = g_strdup_printf ("{\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\","
                            "\"usage\":\"Verify\",\"key\":\"%s\"}]}", url);
    r = patch_json (fx, writer, path, body);
    assert_graph_error (r, 400, "Request_BadRequest", "'Edm.Binary'");
  }
  {
    /* An end date past the certificate's NotAfter. */
    g_autoptr(GDateTime) late = g_date_time_new_from_unix_utc (year + 86400);
    g_autofree char *late_text = g_date_time_format (late, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *body = g_strdup_printf ("{\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\","
                                             "\"usage\":\"Verify\",\"key\":\"%s\","
                                             "\"endDateTime\":\"%s\"}]}", b64, late_text);
    g_autoptr(Reply) r = patch_json (fx, writer, path, body);

    assert_graph_error (r, 400, "KeyCredentialsInvalidEndDate", "Key credential end date is invalid.");
  }
  {
    g_autoptr(Reply) r = patch_json (fx, writer, path, "{\"keyCredentials\":\"oops\"}");

    assert_graph_error (r, 400, "Request_BadRequest", NULL);
  }
  {
    g_autoptr(Reply) r = patch_json (fx, writer, path, "{\"favouriteColour\":\"blue\"}");

    assert_graph_error (r, 400, "Request_BadRequest", NULL);
  }
  /* Nothing refused changed anything. */
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);

  {
    /* The right way: read the keys fresh, re-send them all with the new one appended. */
    g_autofree char *read_uri = graph_uri (fx, "servicePrincipals(appId='" SFB "')?$select=keyCredentials");
    g_autoptr(Reply) current = request (fx, "GET", read_uri, reader, NULL, NULL);
    JsonArray *keys = json_object_get_array_member (obj (current), "keyCredentials");
    g_autoptr(JsonObject) added = json_object_new ();
    g_autoptr(JsonObject) patch = json_object_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *body = NULL;
    g_autoptr(Reply) r = NULL;
    g_autoptr(JsonObject) after = NULL;

    g_assert_cmpuint (current->status, ==, 200);
    json_object_set_string_member (added, "type", "AsymmetricX509Cert");
    json_object_set_string_member (added, "usage", "Verify");
    json_object_set_string_member (added, "key", b64);
    json_array_add_object_element (keys, json_object_ref (added));
    json_object_set_array_member (patch, "keyCredentials", json_array_ref (keys));
    root = json_node_init_object (json_node_alloc (), patch);
    body = json_to_string (root, FALSE);
    r = patch_json (fx, writer, path, body);
    g_assert_cmpuint (r->status, ==, 204);
    after = tb_sim_dup_service_principal (fx->sim, SFB);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "keyCredentials")),
                      ==, 3);
    g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, ++writes);
  }
  {
    /* The documented trap: sending only the new certificate deletes all the others. */
    g_autofree char *body = g_strdup_printf ("{\"keyCredentials\":[{\"type\":\"AsymmetricX509Cert\","
                                             "\"usage\":\"Verify\",\"key\":\"%s\"}]}", b64);
    g_autoptr(Reply) r = patch_json (fx, writer, path, body);
    g_autoptr(JsonObject) after = NULL;
    JsonArray *keys;
    JsonObject *kc;
    g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (der, NULL);

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpstr (r->text, ==, "");
    after = tb_sim_dup_service_principal (fx->sim, SFB);
    keys = json_object_get_array_member (after, "keyCredentials");
    g_assert_cmpuint (json_array_get_length (keys), ==, 1);
    kc = json_array_get_object_element (keys, 0);
    g_assert_cmpstr (str (kc, "key"), ==, b64);
    g_assert_true (g_uuid_string_is_valid (str (kc, "keyId")));
    g_assert_cmpstr (str (kc, "customKeyIdentifier"), ==, tb_certificate_get_sha1 (cert));
    g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes + 1);
    {
      /* Dates come from the certificate when omitted. */
      g_autofree char *end = g_date_time_format (tb_certificate_get_not_after (cert),
                                                 "%Y-%m-%dT%H:%M:%SZ");
      g_assert_cmpstr (str (kc, "endDateTime"), ==, end);
    }

    /* Re-sending it unchanged with its keyId keeps it, and is no change at all. */
    {
      g_autofree char *again = g_strdup_printf ("{\"keyCredentials\":[{\"keyId\":\"%s\","
                                                "\"type\":\"AsymmetricX509Cert\","
                                                "\"usage\":\"Verify\",\"key\":\"%s\"}]}",
                                                str (kc, "keyId"), b64);
      g_autoptr(Reply) r2 = patch_json (fx, writer, path, again);

      g_assert_cmpuint (r2->status, ==, 204);
      g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes + 1);
    }
  }
}

static void
test_graph_patch_other (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *writer = sign_in_token (fx, WRITE_SCOPE);
  g_autoptr(JsonObject) exo = tb_sim_dup_service_principal (fx->sim, EXO);

  g_assert_false (json_object_get_boolean_member (exo, "accountEnabled"));
  {
    g_autofree char *path = g_strdup_printf ("servicePrincipals/%s", str (exo, "id"));
    g_autoptr(Reply) r = patch_json (fx, writer, path, "{\"accountEnabled\":true}");
    g_autoptr(JsonObject) after = tb_sim_dup_service_principal (fx->sim, EXO);

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_true (json_object_get_boolean_member (after, "accountEnabled"));
  }
  {
    g_autoptr(Reply) r = patch_json (fx, writer, "servicePrincipals(appId='" EXO "')",
                                     "{\"accountEnabled\":\"yes\"}");
    assert_graph_error (r, 400, "Request_BadRequest", NULL);
  }
  {
    /* An SPN another principal holds. */
    g_autoptr(Reply) r = patch_json (fx, writer, "servicePrincipals(appId='" SFB "')",
                                     "{\"servicePrincipalNames\":[\"" SFB "\","
                                     "\"https://outlook.office365.com/\"]}");
    assert_graph_error (r, 409, "Request_MultipleObjectsWithSameKeyValue", NULL);
  }
  {
    /* The collection is replaced: only what was sent remains. */
    g_autoptr(Reply) r = patch_json (fx, writer, "servicePrincipals(appId='" SFB "')",
                                     "{\"servicePrincipalNames\":[\"" SFB "\","
                                     "\"" SFB "/sip.contoso.com\"]}");
    g_autoptr(JsonObject) after = tb_sim_dup_service_principal (fx->sim, SFB);

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after,
                                                                          "servicePrincipalNames")),
                      ==, 2);
  }
}

/* Every principal of the tenant, following @odata.nextLink. */
static JsonArray *
list_all (Fixture    *fx,
          const char *token)
{
  JsonArray *all = json_array_new ();
  g_autofree char *next = graph_uri (fx, "servicePrincipals?$top=999");

  while (next != NULL)
    {
      g_autoptr(Reply) r = request (fx, "GET", next, token, NULL, NULL);
      JsonArray *value;

      g_assert_cmpuint (r->status, ==, 200);
      value = json_object_get_array_member (obj (r), "value");
      for (guint i = 0; i < json_array_get_length (value); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (value, i)));
      g_free (next);
      next = g_strdup (str (obj (r), "@odata.nextLink"));
    }
  return all;
}

/* A single-object read equals the principal as listed (no keys to hide here), but for
 * @odata.context. */
static void
assert_read_equals_listed (Fixture    *fx,
                           const char *token,
                           const char *path,
                           JsonObject *listed)
{
  g_autofree char *uri = graph_uri (fx, path);
  g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
  g_autoptr(GList) members = json_object_get_members (listed);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (r)), ==, json_object_get_size (listed) + 1);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_true (json_node_equal (json_object_get_member (obj (r), l->data),
                                    json_object_get_member (listed, l->data)));
}

/* The demo tenant's own 1,500 applications: listed in creation order after the first-party
 * principals, each a full principal that reads, writes and goes away as any other. */
static void
test_graph_demo_apps (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *reader = sign_in_token (fx, READ_SCOPE);
  g_autofree char *writer = sign_in_token (fx, WRITE_SCOPE);
  g_autoptr(JsonArray) all = list_all (fx, reader);
  const char *tenant = tb_sim_get_tenant_id (fx->sim);
  g_autoptr(GList) sfb_members = NULL;
  JsonObject *first;
  g_autofree char *read_app = NULL;
  g_autofree char *read_id = NULL;
  g_autofree char *spn_app = NULL;
  g_autofree char *gone_app = NULL;
  guint own = 0;

  g_assert_cmpuint (json_array_get_length (all), ==, 1506);
  g_assert_cmpstr (str (json_array_get_object_element (all, 0), "appId"), ==, SFB);
  sfb_members = json_object_get_members (json_array_get_object_element (all, 0));
  for (guint i = 6; i < 1506; i++)
    {
      JsonObject *sp = json_array_get_object_element (all, i);
      g_autoptr(GList) members = json_object_get_members (sp);
      JsonArray *names = json_object_get_array_member (sp, "servicePrincipalNames");

      g_assert_cmpstr (str (sp, "appOwnerOrganizationId"), ==, tenant);
      g_assert_cmpstr (str (sp, "signInAudience"), ==, "AzureADMyOrg");
      g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
      g_assert_cmpuint (g_list_length (members), ==, g_list_length (sfb_members));
      g_assert_cmpuint (json_array_get_length (names), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (names, 0), ==, str (sp, "appId"));
      g_assert_true (tb_sim_is_guid (str (sp, "id")));
      g_assert_true (tb_sim_is_guid (str (sp, "appId")));
      own++;
    }
  g_assert_cmpuint (own, ==, 1500);
  first = json_array_get_object_element (all, 6);
  g_assert_cmpstr (str (first, "displayName"), ==, "Contoso Expense Portal 1");
  g_assert_cmpstr (str (json_array_get_object_element (all, 1505), "displayName"), ==,
                   "Lucerne Inventory Bot 1500");

  /* The same object by id and by appId, and then again, unchanged. */
  {
    JsonObject *sp = json_array_get_object_element (all, 700);
    g_autofree char *by_id = NULL;
    g_autofree char *by_app_id = NULL;

    read_id = g_strdup (str (sp, "id"));
    read_app = g_strdup (str (sp, "appId"));
    by_id = g_strdup_printf ("servicePrincipals/%s", read_id);
    by_app_id = g_strdup_printf ("servicePrincipals(appId='%s')", read_app);
    assert_read_equals_listed (fx, reader, by_id, sp);
    assert_read_equals_listed (fx, reader, by_app_id, sp);
    assert_read_equals_listed (fx, reader, by_id, sp);
  }
  /* An SPN held by an app nobody has read by key is taken all the same. */
  spn_app = g_strdup (str (json_array_get_object_element (all, 900), "appId"));
  {
    g_autofree char *body = g_strdup_printf ("{\"servicePrincipalNames\":[\"" SFB "\",\"%s\"]}",
                                             spn_app);
    g_autoptr(Reply) r = patch_json (fx, writer, "servicePrincipals(appId='" SFB "')", body);

    assert_graph_error (r, 409, "Request_MultipleObjectsWithSameKeyValue", NULL);
  }
  /* A write sticks, in the principal's place in the listing. */
  {
    g_autofree char *path = g_strdup_printf ("servicePrincipals/%s", read_id);
    g_autoptr(Reply) r = patch_json (fx, writer, path, "{\"accountEnabled\":false}");
    g_autoptr(JsonArray) again = NULL;

    g_assert_cmpuint (r->status, ==, 204);
    again = list_all (fx, reader);
    g_assert_cmpuint (json_array_get_length (again), ==, 1506);
    g_assert_cmpstr (str (json_array_get_object_element (again, 700), "id"), ==, read_id);
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (again, 700),
                                                    "accountEnabled"));
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (again, 701),
                                                   "accountEnabled"));
  }
  /* Removed, whether read before or not: gone for good. */
  gone_app = g_strdup (str (json_array_get_object_element (all, 1200), "appId"));
  g_assert_true (tb_sim_remove_service_principal (fx->sim, read_app));
  g_assert_true (tb_sim_remove_service_principal (fx->sim, gone_app));
  g_assert_false (tb_sim_remove_service_principal (fx->sim, gone_app));
  g_assert_null (tb_sim_dup_service_principal (fx->sim, gone_app));
  {
    g_autofree char *path = g_strdup_printf ("servicePrincipals/%s", read_id);
    g_autofree char *uri = graph_uri (fx, path);
    g_autoptr(Reply) r = request (fx, "GET", uri, reader, NULL, NULL);
    g_autoptr(JsonArray) again = list_all (fx, reader);

    assert_graph_error (r, 404, "Request_ResourceNotFound", NULL);
    g_assert_cmpuint (json_array_get_length (again), ==, 1504);
    g_assert_cmpstr (str (json_array_get_object_element (again, 700), "appId"), ==,
                     str (json_array_get_object_element (all, 701), "appId"));
  }
}

static void
test_graph_batch (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *token = sign_in_token (fx, WRITE_SCOPE);
  g_autofree char *uri = graph_uri (fx, "$batch");
  const char *body =
    "{\"requests\":["
    "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/servicePrincipals(appId='" SFB "')?$select=appId\"},"
    "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/servicePrincipals(appId='11111111-2222-3333-4444-555555555555')\"},"
    "{\"id\":\"3\",\"method\":\"PATCH\",\"url\":\"/servicePrincipals(appId='" EXO "')\","
    "\"dependsOn\":[\"2\"],\"headers\":{\"Content-Type\":\"application/json\"},"
    "\"body\":{\"accountEnabled\":true}},"
    "{\"id\":\"4\",\"method\":\"GET\",\"url\":\"organization\",\"dependsOn\":[\"1\"]}"
    "]}";
  g_autoptr(Reply) r = request (fx, "POST", uri, token, "application/json", body);
  JsonArray *responses;
  guint seen = 0;
  g_autoptr(JsonObject) exo = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  responses = json_object_get_array_member (obj (r), "responses");
  g_assert_cmpuint (json_array_get_length (responses), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *item = json_array_get_object_element (responses, i);
      const char *id = str (item, "id");
      gint64 status = json_object_get_int_member (item, "status");

      seen |= 1 << (id[0] - '0');
      if (g_str_equal (id, "1"))
        {
          g_assert_cmpint (status, ==, 200);
          g_assert_cmpstr (str (json_object_get_object_member (item, "body"), "appId"), ==, SFB);
        }
      else if (g_str_equal (id, "2"))
        {
          g_assert_cmpint (status, ==, 404);
          g_assert_cmpstr (str (json_object_get_object_member (json_object_get_object_member (item, "body"), "error"), "code"), ==,
                           "Request_ResourceNotFound");
        }
      else if (g_str_equal (id, "3"))
        g_assert_cmpint (status, ==, 424);
      else
        g_assert_cmpint (status, ==, 200);
    }
  g_assert_cmpuint (seen, ==, 0x1e);
  /* The dependent write did not run. */
  exo = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_false (json_object_get_boolean_member (exo, "accountEnabled"));

  {
    GString *big = g_string_new ("{\"requests\":[");

    for (guint i = 0; i < 21; i++)
      g_string_append_printf (big, "%s{\"id\":\"%u\",\"method\":\"GET\",\"url\":\"/organization\"}",
                              i ? "," : "", i);
    g_string_append (big, "]}");
    {
      g_autoptr(Reply) r2 = request (fx, "POST", uri, token, "application/json", big->str);

      assert_graph_error (r2, 400, "BadRequest", NULL);
    }
    g_string_free (big, TRUE);
  }
  {
    /* A write item without Content-Type fails the whole batch. */
    g_autoptr(Reply) r2 = request (fx, "POST", uri, token, "application/json",
                                   "{\"requests\":[{\"id\":\"a\",\"method\":\"PATCH\","
                                   "\"url\":\"/servicePrincipals(appId='" EXO "')\","
                                   "\"body\":{\"accountEnabled\":true}}]}");

    assert_graph_error (r2, 400, "BadRequest", "does not contain Content-Type");
  }
}

static void
test_graph_throttling (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *token = sign_in_token (fx, READ_SCOPE);
  g_autofree char *uri = graph_uri (fx, "organization");
  g_autofree char *batch_uri = graph_uri (fx, "$batch");

  tb_sim_inject_throttling (fx->sim, 1, "2.5");
  {
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    assert_graph_error (r, 429, "TooManyRequests", NULL);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Retry-After"), ==, "2.5");
  }
  {
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* In a batch the outer request succeeds and one item carries its own 429. */
  tb_sim_inject_throttling (fx->sim, 1, "1");
  {
    g_autoptr(Reply) r = request (fx, "POST", batch_uri, token, "application/json",
                                  "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\"},"
                                  "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/organization\",\"dependsOn\":[\"1\"]}]}");
    JsonArray *responses;

    g_assert_cmpuint (r->status, ==, 200);
    responses = json_object_get_array_member (obj (r), "responses");
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *item = json_array_get_object_element (responses, i);

        if (g_str_equal (str (item, "id"), "1"))
          {
            g_assert_cmpint (json_object_get_int_member (item, "status"), ==, 429);
            g_assert_cmpstr (str (json_object_get_object_member (item, "headers"), "Retry-After"),
                             ==, "1");
          }
        else
          g_assert_cmpint (json_object_get_int_member (item, "status"), ==, 424);
      }
  }

  tb_sim_inject_errors (fx->sim, 1, 503);
  {
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    assert_graph_error (r, 503, "serviceNotAvailable", NULL);
  }

  tb_sim_set_latency (fx->sim, 300);
  {
    gint64 start = g_get_monotonic_time ();
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  }
}

static void
test_graph_key_read_limit (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *token = sign_in_token (fx, READ_SCOPE);
  g_autofree char *uri = graph_uri (fx, "servicePrincipals(appId='" SFB "')?$select=keyCredentials");
  g_autofree char *plain = graph_uri (fx, "servicePrincipals(appId='" SFB "')");

  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr(Reply) r = request (fx, "GET", uri, token, NULL, NULL);
    const char *retry;

    assert_graph_error (r, 429, "TooManyRequests", NULL);
    retry = soup_message_headers_get_one (r->headers, "Retry-After");
    g_assert_nonnull (retry);
    g_assert_cmpint (atoi (retry), >, 0);
    g_assert_cmpint (atoi (retry), <=, 60);
  }
  {
    /* Reads that do not return keys are not limited. */
    g_autoptr(Reply) r = request (fx, "GET", plain, token, NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_acs (Fixture       *fx,
          gconstpointer  data)
{
  const char *tid = tb_sim_get_tenant_id (fx->sim);
  g_autofree char *uri = g_strdup_printf ("%s/%s/metadata/json/1", tb_sim_get_acs_base (fx->sim),
                                          tid);
  g_autoptr(Reply) r = request (fx, "GET", uri, NULL, NULL, NULL);
  JsonObject *o;
  JsonObject *key;
  g_autofree char *issuer = g_strdup_printf ("00000001-0000-0000-c000-000000000000@%s", tid);

  g_assert_cmpuint (r->status, ==, 200);
  o = obj (r);
  g_assert_cmpstr (str (o, "realm"), ==, tid);
  g_assert_cmpstr (str (o, "issuer"), ==, issuer);
  key = json_array_get_object_element (json_object_get_array_member (o, "keys"), 0);
  g_assert_cmpstr (str (key, "usage"), ==, "signing");
  {
    JsonObject *value = json_object_get_object_member (key, "keyValue");
    gsize len;
    g_autofree guchar *der = g_base64_decode (str (value, "value"), &len);
    g_autoptr(GBytes) bytes = g_bytes_new (der, len);
    g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (bytes, NULL);

    g_assert_cmpstr (str (value, "type"), ==, "x509Certificate");
    g_assert_nonnull (cert);
  }
  g_assert_cmpstr (str (json_array_get_object_element (json_object_get_array_member (o, "endpoints"), 0),
                        "protocol"), ==, "OAuth2");

  {
    g_autofree char *bad = g_strdup_printf ("%s/11111111-2222-3333-4444-555555555555/metadata/json/1",
                                            tb_sim_get_acs_base (fx->sim));
    g_autoptr(Reply) r2 = request (fx, "GET", bad, NULL, NULL, NULL);

    g_assert_cmpuint (r2->status, ==, 404);
  }
}

static void
test_endpoints_file (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *path = tb_test_write_file ("endpoints.ini", "", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *login = NULL;

  g_assert_true (tb_sim_write_endpoints_file (fx->sim, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  login = g_key_file_get_string (file, "Endpoints", "Login", &error);
  g_assert_cmpstr (login, ==, tb_sim_get_login_base (fx->sim));
  g_assert_true (g_str_has_prefix (login, "http://127.0.0.1:"));
  g_assert_cmpuint (tb_sim_get_request_count (fx->sim), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, tenant, fn) \
  g_test_add ("/sim/" name, Fixture, GINT_TO_POINTER (tenant), fixture_setup, fn, fixture_teardown)

  ADD ("discovery", TB_SIM_TENANT_EMPTY, test_discovery);
  ADD ("device-code", TB_SIM_TENANT_EMPTY, test_device_code);
  ADD ("device-code-declined-expired", TB_SIM_TENANT_EMPTY, test_device_code_declined_and_expired);
  ADD ("pkce", TB_SIM_TENANT_EMPTY, test_pkce);
  ADD ("refresh-rotation", TB_SIM_TENANT_EMPTY, test_refresh_rotation);
  ADD ("graph-auth", TB_SIM_TENANT_EMPTY, test_graph_auth);
  ADD ("graph-paging", TB_SIM_TENANT_DEMO, test_graph_paging);
  ADD ("graph-keys-hidden", TB_SIM_TENANT_DEMO, test_graph_keys_hidden);
  ADD ("graph-patch-keys", TB_SIM_TENANT_DEMO, test_graph_patch_keys);
  ADD ("graph-patch-other", TB_SIM_TENANT_EMPTY, test_graph_patch_other);
  ADD ("graph-demo-apps", TB_SIM_TENANT_DEMO, test_graph_demo_apps);
  ADD ("graph-batch", TB_SIM_TENANT_EMPTY, test_graph_batch);
  ADD ("graph-throttling", TB_SIM_TENANT_EMPTY, test_graph_throttling);
  ADD ("graph-key-read-limit", TB_SIM_TENANT_EMPTY, test_graph_key_read_limit);
  ADD ("acs", TB_SIM_TENANT_EMPTY, test_acs);
  ADD ("endpoints-file", TB_SIM_TENANT_EMPTY, test_endpoints_file);

  return g_test_run ();
}
