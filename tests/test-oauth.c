/* test-oauth.c: PKCE, ID token claims and the sign-in service's error replies, without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-auth-private.h"
#include "tb-http.h"
#include "tb-oauth.h"
#include "tb-secret.h"

/* RFC 7636, appendix B: the verifier made from these 32 octets, and its S256 challenge. */
static void
test_pkce_rfc7636 (void)
{
  static const guint8 octets[32] = {
    116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
    22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
  };
  g_autofree char *verifier = tb_oauth_base64url (octets, sizeof octets);
  g_autofree char *challenge = tb_oauth_pkce_challenge (verifier);

  g_assert_cmpstr (verifier, ==, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_pkce_random (void)
{
  g_autofree char *a = tb_oauth_random_base64url (32);
  g_autofree char *b = tb_oauth_random_base64url (32);

  /* 32 octets give the 43 characters RFC 7636 recommends, from the unreserved set only. */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpuint (strspn (a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                               "0123456789-_"), ==, 43);
  g_assert_cmpstr (a, !=, b);
}

/* A JWT whose payload is @payload (any bytes), with a header and a signature that are never
 * read. */
static char *
make_jwt (const char *payload)
{
  g_autofree char *header = tb_oauth_base64url ((const guint8 *) "{\"alg\":\"RS256\"}", 15);
  g_autofree char *body = tb_oauth_base64url ((const guint8 *) payload, strlen (payload));

  return g_strdup_printf ("%s.%s.c2lnbmF0dXJl", header, body);
}

static void
test_claims (void)
{
  /* "?>" and "??" give '/' and '+' in standard Base64: base64url must turn them into '_'/'-'. */
  g_autofree char *jwt = make_jwt ("{\"preferred_username\":\"admin@contoso.example\","
                                   "\"tid\":\"0b5a3c1e-2f4d-4e6a-9b8c-7d6e5f4a3b2c\","
                                   "\"name\":\"A?>B??\"}");
  g_autoptr(JsonObject) claims = tb_oauth_decode_jwt_claims (jwt);

  g_assert_nonnull (claims);
  g_assert_cmpstr (json_object_get_string_member (claims, "preferred_username"), ==,
                   "admin@contoso.example");
  g_assert_cmpstr (json_object_get_string_member (claims, "name"), ==, "A?>B??");

  /* The standard alphabet's '+' and '/' are not base64url: a part that mixes them in is
   * malformed, not read. */
  {
    g_autofree char *standard = g_strdup (jwt);
    char *body = strchr (standard, '.') + 1;
    char *body_end = strchr (body, '.');

    g_assert_nonnull (memchr (body, '-', body_end - body));
    g_assert_nonnull (memchr (body, '_', body_end - body));
    for (char *p = body; p < body_end; p++)
      if (*p == '-')
        *p = '+';
      else if (*p == '_')
        *p = '/';
    g_assert_null (tb_oauth_decode_jwt_claims (standard));
  }
}

static void
test_claims_malformed (void)
{
  g_autofree char *array = make_jwt ("[1,2,3]");
  g_autofree char *not_json = make_jwt ("not json at all");
  g_autofree char *truncated = make_jwt ("{\"tid\":\"x\"");
  g_autofree char *huge = g_strnfill (65 * 1024, 'a');
  const char *bad[] = {
    "",
    "no-dots-at-all",
    "onlyone.dot",
    "header.!!!not-base64!!!.signature",
    "header.eyJ0aWQiOiJ4In0=.signature",   /* padding is not base64url */
    "header.eyJ0aWQiOiJ4In0A.signature",   /* decodes to {"tid":"x"} and a NUL */
    "header.eyJ0aWQiOiJ4In0AB.signature",  /* 1 modulo 4: no whole byte in the last one */
    "header.eyJ0a=QiOiJ4In0.signature",
    "header.eyJ0aWQiOiJ4 In0.signature",
    array,
    not_json,
    truncated,
  };

  g_assert_null (tb_oauth_decode_jwt_claims (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) claims = tb_oauth_decode_jwt_claims (bad[i]);

      if (claims != NULL)
        g_error ("claims read from malformed token %u: %s", i, bad[i]);
    }

  /* An ID token larger than any real one is not read at all. */
  huge[10] = '.';
  huge[20] = '.';
  g_assert_null (tb_oauth_decode_jwt_claims (huge));
}

/* The account and tenant a token reply's ID token names; a tid that is no GUID is not used to
 * address an endpoint. */
static void
test_token_reply_claims (void)
{
  struct {
    const char *claims;
    const char *account;
    const char *tenant_id;
  } cases[] = {
    { "{\"preferred_username\":\"a@contoso.example\","
      "\"tid\":\"0B5A3C1E-2f4d-4e6a-9b8c-7d6e5f4a3b2c\"}",
      "a@contoso.example", "0B5A3C1E-2f4d-4e6a-9b8c-7d6e5f4a3b2c" },
    { "{\"upn\":\"b@contoso.example\",\"tid\":\"../../evil\"}", "b@contoso.example", NULL },
    { "{\"name\":\"Only A Name\",\"tid\":\"0b5a3c1e-2f4d-4e6a-9b8c-7d6e5f4a3b2\"}",
      "Only A Name", NULL },
    { "{}", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *jwt = make_jwt (cases[i].claims);
      g_autoptr(JsonObject) reply = json_object_new ();
      g_autoptr(GError) error = NULL;
      TbAuthTokenReply parsed;

      json_object_set_string_member (reply, "access_token", "eyJ.access.token");
      json_object_set_string_member (reply, "token_type", "Bearer");
      json_object_set_int_member (reply, "expires_in", 3600);
      json_object_set_string_member (reply, "scope", "https://graph.microsoft.com/"
                                     "Application.Read.All openid profile");
      json_object_set_string_member (reply, "id_token", jwt);

      g_assert_true (tb_auth_read_token_reply (reply, TB_AUTH_ACCESS_READ, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (parsed.account, ==, cases[i].account);
      g_assert_cmpstr (parsed.tenant_id, ==, cases[i].tenant_id);
      g_assert_cmpint (parsed.granted, ==, TB_AUTH_ACCESS_READ);
      tb_auth_token_reply_clear (&parsed);
    }
}

static JsonObject *
error_reply (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  JsonObject *reply = tb_http_parse_json_object (bytes, 64 * 1024, &error);

  g_assert_no_error (error);
  return reply;
}

static void
test_error_mapping (void)
{
  struct {
    const char *reply;
    int code;
    const char *in_message;
  } cases[] = {
    /* AADSTS90002: the tenant is unknown, by number alone or by name. */
    { "{\"error\":\"invalid_request\",\"error_codes\":[90002],"
      "\"error_description\":\"AADSTS90002: Tenant 'fabrikam' not found.\\r\\nTrace ID: 1\"}",
      TB_AUTH_ERROR_INVALID_TENANT, "AADSTS90002: Tenant 'fabrikam' not found." },
    { "{\"error\":\"invalid_tenant\"}", TB_AUTH_ERROR_INVALID_TENANT, "invalid_tenant" },
    /* AADSTS65001 (consent missing) in error_codes, 65004 (declined) only in the text. */
    { "{\"error\":\"invalid_grant\",\"error_codes\":[65001],"
      "\"error_description\":\"AADSTS65001: The user has not consented.\"}",
      TB_AUTH_ERROR_NOT_SIGNED_IN, "AADSTS65001" },
    { "{\"error\":\"invalid_grant\","
      "\"error_description\":\"AADSTS65004: User declined to consent.\"}",
      TB_AUTH_ERROR_NOT_SIGNED_IN, "AADSTS65004" },
    { "{\"error\":\"interaction_required\"}", TB_AUTH_ERROR_NOT_SIGNED_IN, NULL },
    /* AADSTS70008: an expired refresh token is just a refused grant. */
    { "{\"error\":\"invalid_grant\",\"error_codes\":[70008],"
      "\"error_description\":\"AADSTS70008: The refresh token has expired.\"}",
      TB_AUTH_ERROR_INVALID_GRANT, "AADSTS70008: The refresh token has expired." },
    { "{\"error\":\"access_denied\",\"error_description\":\"The user said no.\"}",
      TB_AUTH_ERROR_DECLINED, "The user said no." },
    { "{\"error\":\"authorization_declined\"}", TB_AUTH_ERROR_DECLINED, NULL },
    { "{\"error\":\"expired_token\"}", TB_AUTH_ERROR_EXPIRED, NULL },
    { "{\"error\":\"bad_verification_code\"}", TB_AUTH_ERROR_SERVER, NULL },
    { "{\"error\":\"temporarily_unavailable\",\"error_description\":\"Try later.\"}",
      TB_AUTH_ERROR_SERVER, "Try later." },
    /* A code in the wrong type is not a code. */
    { "{\"error\":\"invalid_request\",\"error_codes\":[\"90002\"]}", TB_AUTH_ERROR_SERVER, NULL },
    { "{\"message\":\"no OAuth error at all\"}", TB_AUTH_ERROR_BAD_REPLY, "503" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) reply = error_reply (cases[i].reply);
      g_autoptr(GError) error = NULL;

      tb_oauth_set_error (reply, 503, &error);
      g_assert_error (error, TB_AUTH_ERROR, cases[i].code);
      if (cases[i].in_message != NULL && strstr (error->message, cases[i].in_message) == NULL)
        g_error ("case %u: \"%s\" not in \"%s\"", i, cases[i].in_message, error->message);
      /* The service's trace IDs on later lines stay out of what the user reads. */
      g_assert_null (strstr (error->message, "Trace ID"));
    }
}

static void
test_error_codes (void)
{
  g_autoptr(JsonObject) listed = error_reply ("{\"error_codes\":[50076,65001]}");
  g_autoptr(JsonObject) prefix = error_reply ("{\"error_description\":\"AADSTS650010: x\"}");

  g_assert_true (tb_oauth_reply_has_error_code (listed, 65001));
  g_assert_true (tb_oauth_reply_has_error_code (listed, 50076));
  g_assert_false (tb_oauth_reply_has_error_code (listed, 90002));
  /* AADSTS650010 is not AADSTS65001. */
  g_assert_false (tb_oauth_reply_has_error_code (prefix, 65001));
  g_assert_false (tb_oauth_is_consent_error (prefix));
}

static void
test_guid_and_compare (void)
{
  g_assert_true (tb_oauth_is_guid ("0b5a3c1e-2f4d-4e6a-9b8c-7d6e5f4a3b2c"));
  g_assert_false (tb_oauth_is_guid ("0b5a3c1e-2f4d-4e6a-9b8c-7d6e5f4a3b2"));
  g_assert_false (tb_oauth_is_guid ("0b5a3c1e-2f4d-4e6a-9b8c-7d6e5f4a3b2g"));
  g_assert_false (tb_oauth_is_guid ("0b5a3c1e2f4d-4e6a-9b8c-7d6e5f4a3b2c0"));
  g_assert_false (tb_oauth_is_guid (NULL));

  g_assert_true (tb_oauth_constant_time_equal ("state", "state"));
  g_assert_false (tb_oauth_constant_time_equal ("state", "stat"));
  g_assert_false (tb_oauth_constant_time_equal ("state", "statf"));
  g_assert_false (tb_oauth_constant_time_equal (NULL, "state"));
  g_assert_false (tb_oauth_constant_time_equal (NULL, NULL));
}

static void
test_secret_wipe (void)
{
  char buffer[8] = "secret!";
  char *secret = g_strdup ("token");

  tb_secret_wipe (buffer, sizeof buffer);
  for (guint i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);
  tb_secret_wipe (NULL, 4);

  tb_secret_clear (&secret);
  g_assert_null (secret);
  tb_secret_clear (&secret);
  tb_secret_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth/pkce/rfc7636", test_pkce_rfc7636);
  g_test_add_func ("/oauth/pkce/random", test_pkce_random);
  g_test_add_func ("/oauth/claims", test_claims);
  g_test_add_func ("/oauth/claims/malformed", test_claims_malformed);
  g_test_add_func ("/oauth/token-reply/claims", test_token_reply_claims);
  g_test_add_func ("/oauth/errors/mapping", test_error_mapping);
  g_test_add_func ("/oauth/errors/codes", test_error_codes);
  g_test_add_func ("/oauth/guid-and-compare", test_guid_and_compare);
  g_test_add_func ("/oauth/secret-wipe", test_secret_wipe);

  return g_test_run ();
}
