/* tb-sim-login-token.c: the token endpoint: device code, authorization code with PKCE and
 * refresh token grants, and the tokens it issues (signed ID token, opaque access token)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-login-token"

#include "config.h"

#include <string.h>

#include "tb-dl-gnutls.h"
#include "tb-dl-soup.h"
#include "tb-oauth.h"
#include "tb-sim-login-private.h"

static char *
scopes_reply_string (Scopes *s)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < s->permissions->len; i++)
    {
      if (str->len)
        g_string_append_c (str, ' ');
      g_string_append (str, g_ptr_array_index (s->permissions, i));
    }
  /* Microsoft adds profile and email to openid. */
  if (s->openid)
    g_string_append (str, str->len ? " profile openid email" : "profile openid email");
  return g_string_free (str, FALSE);
}

static char *
make_id_token (TbSim      *self,
               const char *client_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *sig_b64 = NULL;
  g_autofree char *issuer = g_strdup_printf ("%s/%s/v2.0", self->login_base, self->tenant_id);
  const char *header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"tb-sim\"}";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint8 sig[64];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "aud");
  json_builder_add_string_value (b, client_id);
  json_builder_set_member_name (b, "iss");
  json_builder_add_string_value (b, issuer);
  json_builder_set_member_name (b, "iat");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "nbf");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "exp");
  json_builder_add_int_value (b, now + 3600);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->user_name);
  json_builder_set_member_name (b, "oid");
  json_builder_add_string_value (b, self->user_oid);
  json_builder_set_member_name (b, "preferred_username");
  json_builder_add_string_value (b, self->user);
  json_builder_set_member_name (b, "sub");
  json_builder_add_string_value (b, self->user_oid);
  json_builder_set_member_name (b, "tid");
  json_builder_add_string_value (b, self->tenant_id);
  json_builder_set_member_name (b, "ver");
  json_builder_add_string_value (b, "2.0");
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  payload = json_to_string (root, FALSE);

  /* The signature is random: a public client must not rely on verifying ID tokens it got
   * straight from the token endpoint over TLS, only decode them. */
  gnutls_rnd (GNUTLS_RND_NONCE, sig, sizeof sig);
  header_b64 = tb_oauth_base64url ((const guint8 *) header, strlen (header));
  payload_b64 = tb_oauth_base64url ((const guint8 *) payload, strlen (payload));
  sig_b64 = tb_oauth_base64url (sig, sizeof sig);
  return g_strdup_printf ("%s.%s.%s", header_b64, payload_b64, sig_b64);
}

static void
issue_tokens (TbSim             *self,
              SoupServerMessage *msg,
              const char        *client_id,
              const char        *grant_scope,
              Scopes            *scopes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  TbSimAccessToken *token = g_new0 (TbSimAccessToken, 1);
  char *access = tb_sim_random_token (48);

  token->perms = scopes->perms;
  token->scope = scopes_reply_string (scopes);
  token->expires_at = g_get_monotonic_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->access_tokens, access, token);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, token->scope);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, self->token_lifetime);
  json_builder_set_member_name (b, "ext_expires_in");
  json_builder_add_int_value (b, self->token_lifetime);
  json_builder_set_member_name (b, "access_token");
  json_builder_add_string_value (b, access);
  if (scopes->offline_access)
    {
      TbSimGrant *grant = g_new0 (TbSimGrant, 1);
      char *refresh = tb_sim_random_token (96);

      grant->client_id = g_strdup (client_id);
      grant->scope = g_strdup (grant_scope);
      g_hash_table_insert (self->refresh_tokens, refresh, grant);
      json_builder_set_member_name (b, "refresh_token");
      json_builder_add_string_value (b, refresh);
    }
  if (scopes->openid)
    {
      g_autofree char *id_token = make_id_token (self, client_id);

      json_builder_set_member_name (b, "id_token");
      json_builder_add_string_value (b, id_token);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store, no-cache");
}

static void
token_device_code (TbSim             *self,
                   SoupServerMessage *msg,
                   GHashTable        *form)
{
  const char *device_code = g_hash_table_lookup (form, "device_code");
  const char *client_id = g_hash_table_lookup (form, "client_id");
  TbSimDeviceCode *code;
  gint64 now = g_get_monotonic_time ();
  g_auto(Scopes) scopes = { 0 };
  g_autofree char *bad = NULL;

  if (device_code == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                           "The request body must contain the following parameter: 'device_code'.");
      return;
    }
  code = g_hash_table_lookup (self->device_codes, device_code);
  if (code == NULL || g_strcmp0 (client_id, code->client_id) != 0)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "bad_verification_code", 70018,
                           "Invalid verification code.");
      return;
    }
  if (code->state == TB_SIM_DEVICE_REDEEMED)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 54005,
                           "OAuth2 device code was already redeemed, please retry with a new valid "
                           "code or use an existing refresh token.");
      return;
    }
  if (now >= code->expires_at)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "expired_token", 70019,
                           "Verification code expired.");
      return;
    }

  /* RFC 8628 §3.5: polling faster than the interval earns slow_down, and the interval
   * grows by 5 s for this and all later requests. A little slack absorbs timer jitter. */
  if (code->last_poll != 0 &&
      now - code->last_poll < (gint64) code->interval * G_USEC_PER_SEC - 100 * 1000)
    {
      code->last_poll = now;
      code->interval += 5;
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "slow_down", 70016,
                           "OAuth 2.0 device flow error. The client is polling too quickly; "
                           "increase the interval by 5 seconds.");
      return;
    }
  code->last_poll = now;
  code->polls++;

  if (code->state == TB_SIM_DEVICE_PENDING && self->device_auto_approve > 0 &&
      code->polls > self->device_auto_approve)
    code->state = TB_SIM_DEVICE_APPROVED;

  switch (code->state)
    {
    case TB_SIM_DEVICE_PENDING:
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "authorization_pending", 70016,
                           "OAuth 2.0 device flow error. Authorization is pending. Continue "
                           "polling.");
      return;
    case TB_SIM_DEVICE_DECLINED:
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "authorization_declined", 70000,
                           "The user declined the authorization request.");
      return;
    case TB_SIM_DEVICE_APPROVED:
      break;
    case TB_SIM_DEVICE_REDEEMED:
    default:
      g_assert_not_reached ();
    }

  if (!_tb_sim_login_parse_scopes (self, code->scope, &scopes, &bad))
    g_assert_not_reached ();   /* checked when the code was issued */
  code->state = TB_SIM_DEVICE_REDEEMED;
  issue_tokens (self, msg, code->client_id, code->scope, &scopes);
}

static gboolean
verifier_matches (const char *verifier,
                  const char *challenge)
{
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *computed = NULL;
  gsize len;

  if (verifier == NULL)
    return FALSE;
  len = strlen (verifier);
  /* RFC 7636 §4.1: 43 to 128 unreserved characters. */
  if (len < 43 || len > 128)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (verifier[i]) && strchr ("-._~", verifier[i]) == NULL)
      return FALSE;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  computed = tb_oauth_base64url (digest, digest_len);
  return g_str_equal (computed, challenge);
}

static void
token_authorization_code (TbSim             *self,
                          SoupServerMessage *msg,
                          GHashTable        *form)
{
  const char *code_str = g_hash_table_lookup (form, "code");
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  TbSimAuthCode *code;
  g_auto(Scopes) scopes = { 0 };
  g_autofree char *bad = NULL;

  if (code_str == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                           "The request body must contain the following parameter: 'code'.");
      return;
    }
  code = g_hash_table_lookup (self->auth_codes, code_str);
  if (code == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 9002313,
                           "Invalid request. Request is malformed or invalid.");
      return;
    }
  if (code->expires_at == 0)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 54005,
                           "OAuth2 Authorization code was already redeemed, please retry with a "
                           "new valid code or use an existing refresh token.");
      return;
    }
  if (g_get_monotonic_time () >= code->expires_at)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70008,
                           "The provided authorization code or refresh token has expired due to "
                           "inactivity. Send a new interactive authorization request for this "
                           "user and resource.");
      return;
    }
  if (g_strcmp0 (client_id, code->client_id) != 0)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                           "The provided authorization code was issued to another client.");
      return;
    }
  if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 500117,
                           "The reply uri specified in the request does not match the reply uri "
                           "used in the authorization request.");
      return;
    }
  if (!verifier_matches (verifier, code->challenge))
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 501481,
                           "The Code_Verifier does not match the code_challenge supplied in the "
                           "authorization request.");
      return;
    }

  if (!_tb_sim_login_parse_scopes (self, code->scope, &scopes, &bad))
    g_assert_not_reached ();
  /* Single use: the record stays so that a second attempt gets the documented error. */
  code->expires_at = 0;
  issue_tokens (self, msg, code->client_id, code->scope, &scopes);
}

static void
token_refresh (TbSim             *self,
               SoupServerMessage *msg,
               GHashTable        *form)
{
  const char *refresh = g_hash_table_lookup (form, "refresh_token");
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *scope = g_hash_table_lookup (form, "scope");
  TbSimGrant *grant;
  g_auto(Scopes) consented = { 0 };
  g_auto(Scopes) scopes = { 0 };
  g_autofree char *bad = NULL;
  g_autofree char *grant_scope = NULL;

  if (refresh == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                           "The request body must contain the following parameter: "
                           "'refresh_token'.");
      return;
    }
  grant = g_hash_table_lookup (self->refresh_tokens, refresh);
  if (grant == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                           "Provided grant is invalid or malformed.");
      return;
    }
  if (g_strcmp0 (client_id, grant->client_id) != 0)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                           "The refresh token was issued to a different client.");
      return;
    }
  if (!_tb_sim_login_parse_scopes (self, grant->scope, &consented, &bad))
    g_assert_not_reached ();
  if (scope == NULL || *scope == '\0')
    scope = grant->scope;
  if (!_tb_sim_login_check_scopes (self, msg, scope, &scopes))
    return;
  if ((scopes.perms & ~consented.perms) != 0)
    {
      g_autofree char *text = g_strdup_printf ("The user or administrator has not consented to "
                                               "use the application with ID '%s'. Send an "
                                               "interactive authorization request for this user "
                                               "and resource.", client_id);
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 65001, text);
      return;
    }

  /* Rotation: the old refresh token dies with its first successful use. The consent that
   * travels with the new one stays what the user granted, not what this request asked. */
  grant_scope = g_strdup (grant->scope);
  g_hash_table_remove (self->refresh_tokens, refresh);
  scopes.offline_access = TRUE;
  issue_tokens (self, msg, client_id, grant_scope, &scopes);
}

void
_tb_sim_login_handle_token (TbSim             *self,
                            SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = _tb_sim_login_read_form (msg);
  const char *grant_type = g_hash_table_lookup (form, "grant_type");
  const char *client_id = g_hash_table_lookup (form, "client_id");

  if (grant_type == NULL)
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                           "The request body must contain the following parameter: 'grant_type'.");
      return;
    }
  if (!_tb_sim_login_check_client_id (self, msg, client_id))
    return;

  if (g_str_equal (grant_type, DEVICE_CODE_GRANT) || g_str_equal (grant_type, "device_code"))
    token_device_code (self, msg, form);
  else if (g_str_equal (grant_type, "authorization_code"))
    token_authorization_code (self, msg, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    token_refresh (self, msg, form);
  else
    _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type.");
}
