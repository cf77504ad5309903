/* tb-oauth.c: the pure parts of OAuth 2.0 sign-in — PKCE, ID token claims, error replies and
 * the readers of token and device-code replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-oauth"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-auth-private.h"
#include "tb-cloud.h"
#include "tb-dl-gnutls.h"
#include "tb-http.h"
#include "tb-json.h"
#include "tb-oauth.h"
#include "tb-secret.h"

#define MAX_ID_TOKEN (64 * 1024)
/* Upper bounds for lifetimes a reply claims, in seconds: Entra access tokens live at most a
 * day or so, device codes 15 minutes. */
#define MAX_TOKEN_LIFETIME_S (2 * 24 * 60 * 60)
#define MAX_DEVICE_CODE_LIFETIME_S (60 * 60)

/* Random and PKCE helpers */

char *
tb_oauth_base64url (const guint8 *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

char *
tb_oauth_random_base64url (gsize bytes)
{
  guint8 buffer[64];
  char *text;

  g_assert (bytes <= sizeof buffer);
  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, bytes) < 0)
    g_error ("gnutls_rnd failed");
  text = tb_oauth_base64url (buffer, bytes);
  tb_secret_wipe (buffer, sizeof buffer);

  return text;
}

char *
tb_oauth_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);

  return tb_oauth_base64url (digest, len);
}

/* Claims of a JWT, unverified: good for showing who signed in, never for deciding access. */
JsonObject *
tb_oauth_decode_jwt_claims (const char *jwt)
{
  g_autoptr(GString) b64 = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *start;
  const char *end;

  if (jwt == NULL || strlen (jwt) > MAX_ID_TOKEN)
    return NULL;
  start = strchr (jwt, '.');
  if (start == NULL)
    return NULL;
  start++;
  end = strchr (start, '.');
  if (end == NULL)
    return NULL;

  /* A JWT part is base64url without padding (RFC 7515 §2, RFC 4648 §5): '-' and '_' where
   * standard Base64 has '+' and '/', and no '='. Those three are not base64url and are
   * refused; the alphabet is then mapped and the padding the strict standard decoder requires
   * is added (a length of 1 modulo 4 would need three '=', which it refuses). */
  b64 = g_string_new_len (start, end - start);
  if (strpbrk (b64->str, "+/=") != NULL)
    return NULL;
  g_strdelimit (b64->str, "-", '+');
  g_strdelimit (b64->str, "_", '/');
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');

  bytes = tb_json_base64_decode_binary (b64->str);
  if (bytes == NULL)
    return NULL;

  return tb_http_parse_json_object (bytes, MAX_ID_TOKEN, NULL);
}

gboolean
tb_oauth_is_guid (const char *text)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (text == NULL || strlen (text) != strlen (pattern))
    return FALSE;
  for (gsize i = 0; pattern[i]; i++)
    {
      if (pattern[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* The first line of error_description: the service's own words without trace IDs. */
char *
tb_oauth_describe_error (JsonObject *reply)
{
  const char *description = tb_json_get_string (reply, "error_description");
  const char *error = tb_json_get_string (reply, "error");
  g_autofree char *text = NULL;
  char *cut;

  if (description == NULL || *description == '\0')
    return g_strdup (error ? error : _("unknown error"));

  text = g_strndup (description, 500);
  if ((cut = strpbrk (text, "\r\n")) != NULL)
    *cut = '\0';
  g_strstrip (text);

  return g_steal_pointer (&text);
}

gboolean
tb_oauth_reply_has_error_code (JsonObject *reply,
                      gint64      code)
{
  JsonNode *node = json_object_get_member (reply, "error_codes");
  const char *description = tb_json_get_string (reply, "error_description");
  g_autofree char *needle = g_strdup_printf ("AADSTS%" G_GINT64_FORMAT ":", code);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_INT64
              && json_node_get_int (item) == code)
            return TRUE;
        }
    }

  return description != NULL && strstr (description, needle) != NULL;
}

/* AADSTS65001 consent missing, 65004 declined consent, 70011 invalid scope for this app. */
gboolean
tb_oauth_is_consent_error (JsonObject *reply)
{
  const char *error = tb_json_get_string (reply, "error");

  return g_strcmp0 (error, "consent_required") == 0
         || g_strcmp0 (error, "interaction_required") == 0
         || tb_oauth_reply_has_error_code (reply, 65001)
         || tb_oauth_reply_has_error_code (reply, 65004);
}

/* Maps an OAuth error reply to a translated GError. */
void
tb_oauth_set_error (JsonObject  *reply,
                 guint        status,
                 GError     **error)
{
  const char *code = tb_json_get_string (reply, "error");
  g_autofree char *description = tb_oauth_describe_error (reply);

  g_debug ("Token endpoint said %u %s: %s", status, code ? code : "(no error code)", description);

  if (code == NULL)
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                 _("The sign-in service answered with HTTP status %u and no explanation."), status);
  else if (g_str_equal (code, "authorization_declined") || g_str_equal (code, "access_denied"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_DECLINED,
                 _("The sign-in was declined: %s"), description);
  else if (g_str_equal (code, "expired_token"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_EXPIRED,
                 _("The sign-in code expired before it was used. Start signing in again."));
  else if (g_str_equal (code, "bad_verification_code"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                 _("The sign-in service does not recognise the device code: %s"), description);
  else if (g_str_equal (code, "invalid_tenant") || tb_oauth_reply_has_error_code (reply, 90002))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_INVALID_TENANT,
                 _("The tenant is not known to this cloud’s sign-in service: %s"), description);
  else if (tb_oauth_is_consent_error (reply))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                 _("These permissions have not been granted yet. Sign in again to consent: %s"),
                 description);
  else if (g_str_equal (code, "invalid_grant"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_INVALID_GRANT,
                 _("The sign-in service refused the grant: %s"), description);
  else
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                 _("The sign-in service refused the request: %s"), description);
}

gboolean
tb_oauth_constant_time_equal (const char *a,
                     const char *b)
{
  gsize la, lb;
  guint8 diff;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guint8) (a[i] ^ b[i]);

  return diff == 0;
}

void
tb_auth_token_reply_clear (TbAuthTokenReply *reply)
{
  g_clear_pointer (&reply->account, g_free);
  g_clear_pointer (&reply->tenant_id, g_free);
}

gboolean
tb_auth_read_token_reply (JsonObject        *reply,
                          TbAuthAccess       access,
                          TbAuthTokenReply  *out,
                          GError           **error)
{
  const char *access_token = tb_json_get_string (reply, "access_token");
  const char *refresh_token = tb_json_get_string (reply, "refresh_token");
  const char *id_token = tb_json_get_string (reply, "id_token");
  const char *scope = tb_json_get_string (reply, "scope");
  const char *token_type = tb_json_get_string (reply, "token_type");
  gint64 expires_in = -1;
  TbAuthAccess granted = access;

  memset (out, 0, sizeof *out);

  /* A number from the wire: bounded before it is multiplied into microseconds. Entra access
   * tokens live at most a day or so; a longer claim only means an earlier refresh. */
  if (!tb_json_get_int_clamped (reply, "expires_in", G_MININT32, MAX_TOKEN_LIFETIME_S,
                                &expires_in))
    expires_in = -1;

  if (access_token == NULL || *access_token == '\0' || expires_in <= 0
      || (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                   _("The sign-in service’s reply holds no usable access token."));
      return FALSE;
    }

  /* The service may grant less than asked (or more, when write was consented before). */
  if (scope != NULL)
    granted = strstr (scope, "Application.ReadWrite.All") != NULL ? TB_AUTH_ACCESS_WRITE
                                                                   : TB_AUTH_ACCESS_READ;
  if (access == TB_AUTH_ACCESS_WRITE && granted != TB_AUTH_ACCESS_WRITE)
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                   _("Write access (Application.ReadWrite.All) was not granted. Sign in again "
                     "with an account that may consent to it."));
      return FALSE;
    }

  out->access_token = access_token;
  out->refresh_token = refresh_token != NULL && *refresh_token != '\0' ? refresh_token : NULL;
  out->expires_in = expires_in;
  out->granted = granted;

  if (id_token != NULL)
    {
      g_autoptr(JsonObject) claims = tb_oauth_decode_jwt_claims (id_token);
      const char *account = NULL;
      const char *tid;

      if (claims != NULL)
        {
          const char *names[] = { "preferred_username", "upn", "email", "unique_name", "name" };

          for (guint i = 0; i < G_N_ELEMENTS (names) && account == NULL; i++)
            account = tb_json_get_string (claims, names[i]);
          out->account = g_strdup (account);

          /* Used only to address the tenant's token endpoint, which checks it anyway. */
          tid = tb_json_get_string (claims, "tid");
          if (tb_oauth_is_guid (tid))
            out->tenant_id = g_strdup (tid);
        }
      else
        g_debug ("The ID token's claims could not be read");
    }

  return TRUE;
}

gboolean
tb_auth_read_device_code_reply (JsonObject             *reply,
                                TbAuthDeviceCodeReply  *out,
                                GError                **error)
{
  const char *verification_uri;
  gint64 expires_in = -1;
  gint64 interval = 5;

  memset (out, 0, sizeof *out);

  /* v1.0 endpoints spell it verification_url. */
  verification_uri = tb_json_get_string (reply, "verification_uri");
  if (verification_uri == NULL)
    verification_uri = tb_json_get_string (reply, "verification_url");
  /* Numbers from the wire, bounded before any arithmetic: a device code lives 15 minutes. */
  if (!tb_json_get_int_clamped (reply, "expires_in", G_MININT32, MAX_DEVICE_CODE_LIFETIME_S,
                                &expires_in))
    expires_in = -1;
  if (!tb_json_get_int_clamped (reply, "interval", G_MININT32, G_MAXINT32, &interval))
    interval = 5;

  out->device_code = tb_json_get_string (reply, "device_code");
  out->user_code = tb_json_get_string (reply, "user_code");
  out->verification_uri = verification_uri;
  out->message = tb_json_get_string (reply, "message");
  out->expires_in = expires_in;
  /* RFC 8628: 5 seconds when absent; bounded so a bad reply cannot stall or hammer. */
  out->interval = CLAMP (interval, 1, 60);

  if (out->device_code == NULL || out->user_code == NULL || verification_uri == NULL ||
      expires_in <= 0 || !tb_cloud_check_url (verification_uri, NULL))
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                   _("The sign-in service’s device code reply is incomplete."));
      return FALSE;
    }

  return TRUE;
}
