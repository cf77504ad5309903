/* tb-sim-login-authorize.c: the authorization endpoint of the browser flow (loopback
 * redirect URIs, PKCE challenge, authorization codes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-login-authorize"

#include "config.h"

#include <string.h>

#include "tb-dl-soup.h"
#include "tb-sim-login-private.h"

static gboolean
is_loopback_redirect (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *host;

  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), "http") != 0)
    return FALSE;
  if (g_uri_get_fragment (parsed) != NULL || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;
  host = g_uri_get_host (parsed);
  /* The registered "http://localhost" matches any port, as Microsoft does for loopback. */
  return g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "127.0.0.1") == 0;
}

static void
redirect_to (SoupServerMessage *msg,
             const char        *redirect_uri,
             const char        *first_name,
             const char        *first_value,
             ...)
{
  GString *location = g_string_new (redirect_uri);
  const char *name = first_name;
  const char *value = first_value;
  va_list ap;

  va_start (ap, first_value);
  g_string_append_c (location, strchr (redirect_uri, '?') ? '&' : '?');
  while (name != NULL)
    {
      if (value != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

          if (location->str[location->len - 1] != '?')
            g_string_append_c (location, '&');
          g_string_append_printf (location, "%s=%s", name, escaped);
        }
      name = va_arg (ap, const char *);
      if (name != NULL)
        value = va_arg (ap, const char *);
    }
  va_end (ap);

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location->str);
  g_string_free (location, TRUE);
}

static void
error_page (TbSim             *self,
            SoupServerMessage *msg,
            guint              aadsts,
            const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *html = g_strdup_printf ("<!DOCTYPE html><html><head><title>Sign in to your "
                                           "account</title></head><body><h1>Sorry, but we're "
                                           "having trouble signing you in.</h1><p>AADSTS%u: %s"
                                           "</p></body></html>\n", aadsts, escaped);

  tb_sim_respond_text (self, msg, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8", html);
}

void
_tb_sim_login_handle_authorize (TbSim             *self,
                                SoupServerMessage *msg,
                                const char        *tenant,
                                GHashTable        *query)
{
  const char *client_id = query ? g_hash_table_lookup (query, "client_id") : NULL;
  const char *response_type = query ? g_hash_table_lookup (query, "response_type") : NULL;
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *scope = query ? g_hash_table_lookup (query, "scope") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "code_challenge") : NULL;
  const char *method = query ? g_hash_table_lookup (query, "code_challenge_method") : NULL;
  g_auto(Scopes) scopes = { 0 };
  g_autofree char *bad = NULL;
  TbSimAuthCode *code;
  char *code_str;

  if (!g_str_equal (tenant, "organizations") && !g_str_equal (tenant, "common") &&
      tb_sim_resolve_tenant (self, tenant) == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Tenant '%s' not found.", tenant);
      error_page (self, msg, 90002, text);
      return;
    }
  if (client_id == NULL || !tb_sim_is_guid (client_id))
    {
      error_page (self, msg, 700016, "Application with the given identifier was not found in "
                  "the directory.");
      return;
    }
  /* Without a trustworthy redirect URI there is nowhere safe to send an error to. */
  if (!is_loopback_redirect (redirect_uri))
    {
      error_page (self, msg, 50011, "The redirect URI specified in the request does not match "
                  "the redirect URIs configured for the application.");
      return;
    }
  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_to (msg, redirect_uri, "error", "unsupported_response_type",
                   "error_description", "AADSTS700054: response_type is not supported.",
                   "state", state, NULL);
      return;
    }
  if (challenge == NULL || g_strcmp0 (method, "S256") != 0 || strlen (challenge) != 43)
    {
      redirect_to (msg, redirect_uri, "error", "invalid_request",
                   "error_description",
                   "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin "
                   "authorization code redemption; code_challenge_method must be S256.",
                   "state", state, NULL);
      return;
    }
  if (!_tb_sim_login_parse_scopes (self, scope, &scopes, &bad))
    {
      redirect_to (msg, redirect_uri, "error", "invalid_scope",
                   "error_description",
                   "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
                   "state", state, NULL);
      return;
    }

  /* The simulated administrator is already signed in and consents to what was asked. */
  code = g_new0 (TbSimAuthCode, 1);
  code->client_id = g_strdup (client_id);
  code->redirect_uri = g_strdup (redirect_uri);
  code->challenge = g_strdup (challenge);
  code->scope = g_strdup (scope);
  code->expires_at = g_get_monotonic_time () + AUTH_CODE_LIFETIME * G_USEC_PER_SEC;
  code_str = tb_sim_random_token (96);
  g_hash_table_insert (self->auth_codes, code_str, code);

  redirect_to (msg, redirect_uri, "code", code_str, "state", state,
               "session_state", self->user_oid, NULL);
}
