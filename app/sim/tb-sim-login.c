/* tb-sim-login.c: the identity platform v2 endpoints (discovery, device code, authorize, token)
 *
 * Error replies follow the documented shape {error, error_description "AADSTS…", error_codes,
 * timestamp, trace_id, correlation_id}. The AADSTS numbers are Microsoft's where the
 * documentation names one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "tb-sim-private.h"

#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
#define AUTH_CODE_LIFETIME (10 * 60)   /* seconds, as Microsoft documents */
#define GRAPH_RESOURCE "https://graph.microsoft.com"
#define GRAPH_APP_ID "00000003-0000-0000-c000-000000000000"

void
tb_sim_access_token_free (TbSimAccessToken *token)
{
  g_free (token->scope);
  g_free (token);
}

void
tb_sim_grant_free (TbSimGrant *grant)
{
  g_free (grant->client_id);
  g_free (grant->scope);
  g_free (grant);
}

void
tb_sim_device_code_free (TbSimDeviceCode *code)
{
  g_free (code->device_code);
  g_free (code->user_code);
  g_free (code->client_id);
  g_free (code->scope);
  g_free (code->tenant);
  g_free (code);
}

void
tb_sim_auth_code_free (TbSimAuthCode *code)
{
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->scope);
  g_free (code);
}

static char *
correlation_id_for (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *id = soup_message_headers_get_one (headers, "client-request-id");

  if (id != NULL && tb_sim_is_guid (id))
    return g_strdup (id);
  return tb_sim_new_guid ();
}

static void
login_error (TbSim             *self,
             SoupServerMessage *msg,
             guint              status,
             const char        *error,
             guint              aadsts,
             const char        *description)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  g_autofree char *trace_id = tb_sim_new_guid ();
  g_autofree char *correlation_id = correlation_id_for (msg);
  g_autofree char *full = g_strdup_printf ("AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\n"
                                           "Timestamp: %s", aadsts, description, trace_id,
                                           correlation_id, timestamp);
  g_autofree char *uri = g_strdup_printf ("%s/error?code=%u", self->login_base, aadsts);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "error_description");
  json_builder_add_string_value (b, full);
  json_builder_set_member_name (b, "error_codes");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, aadsts);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, timestamp);
  json_builder_set_member_name (b, "trace_id");
  json_builder_add_string_value (b, trace_id);
  json_builder_set_member_name (b, "correlation_id");
  json_builder_add_string_value (b, correlation_id);
  json_builder_set_member_name (b, "error_uri");
  json_builder_add_string_value (b, uri);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, status, root);
}

static void
invalid_tenant (TbSim             *self,
                SoupServerMessage *msg,
                const char        *tenant)
{
  g_autofree char *text = g_strdup_printf ("Tenant '%s' not found. Check to make sure you have "
                                           "the correct tenant ID and are signing into the correct "
                                           "cloud. Check with your subscription administrator, "
                                           "this may happen if there are no active subscriptions "
                                           "for the tenant.", tenant);

  login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_tenant", 90002, text);
}

/* Scopes as the identity platform reads them: OIDC scopes, and permissions on one resource
 * (Graph), either bare ("Application.Read.All") or as a full URI on the resource. */
typedef struct
{
  TbSimPerm  perms;
  gboolean   openid;
  gboolean   profile;
  gboolean   email;
  gboolean   offline_access;
  GPtrArray *permissions;   /* short names, for the reply's "scope" */
} Scopes;

static void
scopes_clear (Scopes *s)
{
  g_clear_pointer (&s->permissions, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scopes, scopes_clear)

static gboolean
is_graph_resource (TbSim      *self,
                   const char *resource,
                   gsize       len)
{
  g_autofree char *r = g_strndup (resource, len);
  g_autoptr(GUri) graph = g_uri_parse (self->graph_base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *origin = g_strdup_printf ("http://%s:%d", g_uri_get_host (graph),
                                             g_uri_get_port (graph));

  return g_ascii_strcasecmp (r, GRAPH_RESOURCE) == 0 ||
         g_ascii_strcasecmp (r, GRAPH_APP_ID) == 0 ||
         g_ascii_strcasecmp (r, self->graph_base) == 0 ||
         g_ascii_strcasecmp (r, origin) == 0;
}

static gboolean
parse_scopes (TbSim       *self,
              const char  *scope,
              Scopes      *out,
              char       **bad)
{
  g_auto(GStrv) items = NULL;

  memset (out, 0, sizeof *out);
  out->permissions = g_ptr_array_new_with_free_func (g_free);
  if (scope == NULL || *scope == '\0')
    {
      *bad = g_strdup ("");
      return FALSE;
    }

  items = g_strsplit_set (scope, " ", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *slash;
      const char *perm;

      if (*item == '\0')
        continue;
      if (g_str_equal (item, "openid"))
        out->openid = TRUE;
      else if (g_str_equal (item, "profile"))
        out->profile = TRUE;
      else if (g_str_equal (item, "email"))
        out->email = TRUE;
      else if (g_str_equal (item, "offline_access"))
        out->offline_access = TRUE;
      else
        {
          slash = strrchr (item, '/');
          if (slash != NULL && !is_graph_resource (self, item, slash - item))
            {
              *bad = g_strdup (item);
              return FALSE;
            }
          perm = slash != NULL ? slash + 1 : item;

          if (g_ascii_strcasecmp (perm, "Application.Read.All") == 0)
            out->perms |= TB_SIM_PERM_READ;
          else if (g_ascii_strcasecmp (perm, "Application.ReadWrite.All") == 0)
            out->perms |= TB_SIM_PERM_WRITE | TB_SIM_PERM_READ;
          else if (g_str_equal (perm, ".default"))
            /* The admin consented both permissions for the tenant. */
            out->perms |= TB_SIM_PERM_WRITE | TB_SIM_PERM_READ;
          else if (g_ascii_strcasecmp (perm, "User.Read") != 0 &&
                   g_ascii_strcasecmp (perm, "Organization.Read.All") != 0 &&
                   g_ascii_strcasecmp (perm, "Directory.Read.All") != 0)
            {
              *bad = g_strdup (item);
              return FALSE;
            }
          g_ptr_array_add (out->permissions, g_strdup (perm));
        }
    }

  return TRUE;
}

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
base64url (const void *data,
           gsize       len)
{
  char *b64 = g_base64_encode (data, len);

  for (char *p = b64; *p; p++)
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
  return b64;
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
  header_b64 = base64url (header, strlen (header));
  payload_b64 = base64url (payload, strlen (payload));
  sig_b64 = base64url (sig, sizeof sig);
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

static gboolean
check_client_id (TbSim             *self,
                 SoupServerMessage *msg,
                 const char        *client_id)
{
  if (client_id == NULL || *client_id == '\0')
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'client_id'.");
      return FALSE;
    }
  if (!tb_sim_is_guid (client_id))
    {
      g_autofree char *text = g_strdup_printf ("Application with identifier '%s' was not found "
                                               "in the directory '%s'. This can happen if the "
                                               "application has not been installed by the "
                                               "administrator of the tenant or consented to by "
                                               "any user in the tenant.", client_id,
                                               self->org_display_name);
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", 700016, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_scopes (TbSim             *self,
              SoupServerMessage *msg,
              const char        *scope,
              Scopes            *scopes)
{
  g_autofree char *bad = NULL;

  if (parse_scopes (self, scope, scopes, &bad))
    return TRUE;
  if (*bad == '\0')
    login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                 "The request body must contain the following parameter: 'scope'.");
  else
    {
      g_autofree char *text = g_strdup_printf ("The provided value for the input parameter "
                                               "'scope' is not valid. The scope '%s' does not "
                                               "exist.", bad);
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope", 70011, text);
    }
  return FALSE;
}

static GHashTable *
read_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (type == NULL || g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") != 0)
    return g_hash_table_new (g_str_hash, g_str_equal);
  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) > 64 * 1024)
    return g_hash_table_new (g_str_hash, g_str_equal);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_form_decode (text);
}

static void
handle_discovery (TbSim             *self,
                  SoupServerMessage *msg,
                  const char        *tenant)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *tid = tb_sim_resolve_tenant (self, tenant);
  gboolean multi = g_str_equal (tenant, "organizations") || g_str_equal (tenant, "common") ||
                   g_str_equal (tenant, "consumers");
  const char *segment;
  g_autofree char *issuer = NULL;
  struct { const char *name, *suffix; } endpoints[] = {
    { "token_endpoint", "oauth2/v2.0/token" },
    { "jwks_uri", "discovery/v2.0/keys" },
    { "authorization_endpoint", "oauth2/v2.0/authorize" },
    { "device_authorization_endpoint", "oauth2/v2.0/devicecode" },
    { "end_session_endpoint", "oauth2/v2.0/logout" },
    { "kerberos_endpoint", "kerberos" },
  };
  const char *claims[] = { "sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                           "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
                           "auth_time", "acr", "nonce", "preferred_username", "name", "tid",
                           "ver", "at_hash", "c_hash", "email" };

  if (tid == NULL && !multi)
    {
      invalid_tenant (self, msg, tenant);
      return;
    }
  segment = multi ? tenant : tid;
  issuer = g_strdup_printf ("%s/%s/v2.0", self->login_base, multi ? "{tenantid}" : tid);

  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *uri = g_strdup_printf ("%s/%s/%s", self->login_base, segment,
                                              endpoints[i].suffix);
      json_builder_set_member_name (b, endpoints[i].name);
      json_builder_add_string_value (b, uri);
    }
  json_builder_set_member_name (b, "token_endpoint_auth_methods_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "client_secret_post");
  json_builder_add_string_value (b, "private_key_jwt");
  json_builder_add_string_value (b, "client_secret_basic");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "response_modes_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "query");
  json_builder_add_string_value (b, "fragment");
  json_builder_add_string_value (b, "form_post");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "subject_types_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "pairwise");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "id_token_signing_alg_values_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "RS256");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "response_types_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "code");
  json_builder_add_string_value (b, "id_token");
  json_builder_add_string_value (b, "code id_token");
  json_builder_add_string_value (b, "id_token token");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "scopes_supported");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "openid");
  json_builder_add_string_value (b, "profile");
  json_builder_add_string_value (b, "email");
  json_builder_add_string_value (b, "offline_access");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "issuer");
  json_builder_add_string_value (b, issuer);
  json_builder_set_member_name (b, "request_uri_parameter_supported");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "userinfo_endpoint");
  json_builder_add_string_value (b, "https://graph.microsoft.com/oidc/userinfo");
  json_builder_set_member_name (b, "http_logout_supported");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "frontchannel_logout_supported");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "claims_supported");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    json_builder_add_string_value (b, claims[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tenant_region_scope");
  if (multi)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, "NA");
  json_builder_set_member_name (b, "cloud_instance_name");
  json_builder_add_string_value (b, "microsoftonline.com");
  json_builder_set_member_name (b, "cloud_graph_host_name");
  json_builder_add_string_value (b, "graph.windows.net");
  json_builder_set_member_name (b, "msgraph_host");
  json_builder_add_string_value (b, "graph.microsoft.com");
  json_builder_set_member_name (b, "rbac_url");
  json_builder_add_string_value (b, "https://pas.windows.net");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
}

static char *
make_user_code (void)
{
  /* No vowels or look-alikes: codes people type from another screen. */
  static const char alphabet[] = "BCDFGHJKLMNPQRSTVWXZ23456789";
  guint8 rnd[9];
  char code[10];

  gnutls_rnd (GNUTLS_RND_KEY, rnd, sizeof rnd);
  for (guint i = 0; i < 9; i++)
    code[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
  code[9] = '\0';
  return g_strdup (code);
}

static void
handle_devicecode (TbSim             *self,
                   SoupServerMessage *msg,
                   const char        *tenant)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *scope = g_hash_table_lookup (form, "scope");
  g_auto(Scopes) scopes = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *verification_uri = NULL;
  g_autofree char *message = NULL;
  TbSimDeviceCode *code;

  if (!check_client_id (self, msg, client_id) || !check_scopes (self, msg, scope, &scopes))
    return;

  code = g_new0 (TbSimDeviceCode, 1);
  code->device_code = tb_sim_random_token (96);
  do
    {
      g_free (code->user_code);
      code->user_code = make_user_code ();
    }
  while (g_hash_table_contains (self->user_codes, code->user_code));
  code->client_id = g_strdup (client_id);
  code->scope = g_strdup (scope);
  code->tenant = g_strdup (tenant);
  code->interval = self->device_interval;
  code->expires_at = g_get_monotonic_time () + (gint64) self->device_lifetime * G_USEC_PER_SEC;
  code->state = TB_SIM_DEVICE_PENDING;
  g_hash_table_insert (self->device_codes, code->device_code, code);
  g_hash_table_insert (self->user_codes, code->user_code, code);

  verification_uri = g_strdup_printf ("%s/devicelogin", self->login_base);
  message = g_strdup_printf ("To sign in, use a web browser to open the page %s and enter the "
                             "code %s to authenticate.", verification_uri, code->user_code);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user_code");
  json_builder_add_string_value (b, code->user_code);
  json_builder_set_member_name (b, "device_code");
  json_builder_add_string_value (b, code->device_code);
  json_builder_set_member_name (b, "verification_uri");
  json_builder_add_string_value (b, verification_uri);
  json_builder_set_member_name (b, "expires_in");
  json_builder_add_int_value (b, self->device_lifetime);
  json_builder_set_member_name (b, "interval");
  json_builder_add_int_value (b, code->interval);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
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
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'device_code'.");
      return;
    }
  code = g_hash_table_lookup (self->device_codes, device_code);
  if (code == NULL || g_strcmp0 (client_id, code->client_id) != 0)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "bad_verification_code", 70018,
                   "Invalid verification code.");
      return;
    }
  if (code->state == TB_SIM_DEVICE_REDEEMED)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 54005,
                   "OAuth2 device code was already redeemed, please retry with a new valid "
                   "code or use an existing refresh token.");
      return;
    }
  if (now >= code->expires_at)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "expired_token", 70019,
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
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "slow_down", 70016,
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
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "authorization_pending", 70016,
                   "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
      return;
    case TB_SIM_DEVICE_DECLINED:
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "authorization_declined", 70000,
                   "The user declined the authorization request.");
      return;
    case TB_SIM_DEVICE_APPROVED:
      break;
    case TB_SIM_DEVICE_REDEEMED:
    default:
      g_assert_not_reached ();
    }

  if (!parse_scopes (self, code->scope, &scopes, &bad))
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
  computed = base64url (digest, digest_len);
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
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'code'.");
      return;
    }
  code = g_hash_table_lookup (self->auth_codes, code_str);
  if (code == NULL)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 9002313,
                   "Invalid request. Request is malformed or invalid.");
      return;
    }
  if (code->expires_at == 0)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 54005,
                   "OAuth2 Authorization code was already redeemed, please retry with a new "
                   "valid code or use an existing refresh token.");
      return;
    }
  if (g_get_monotonic_time () >= code->expires_at)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70008,
                   "The provided authorization code or refresh token has expired due to "
                   "inactivity. Send a new interactive authorization request for this user and "
                   "resource.");
      return;
    }
  if (g_strcmp0 (client_id, code->client_id) != 0)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                   "The provided authorization code was issued to another client.");
      return;
    }
  if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 500117,
                   "The reply uri specified in the request does not match the reply uri "
                   "used in the authorization request.");
      return;
    }
  if (!verifier_matches (verifier, code->challenge))
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 501481,
                   "The Code_Verifier does not match the code_challenge supplied in the "
                   "authorization request.");
      return;
    }

  if (!parse_scopes (self, code->scope, &scopes, &bad))
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
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'refresh_token'.");
      return;
    }
  grant = g_hash_table_lookup (self->refresh_tokens, refresh);
  if (grant == NULL)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                   "Provided grant is invalid or malformed.");
      return;
    }
  if (g_strcmp0 (client_id, grant->client_id) != 0)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 70000,
                   "The refresh token was issued to a different client.");
      return;
    }
  if (!parse_scopes (self, grant->scope, &consented, &bad))
    g_assert_not_reached ();
  if (scope == NULL || *scope == '\0')
    scope = grant->scope;
  if (!check_scopes (self, msg, scope, &scopes))
    return;
  if ((scopes.perms & ~consented.perms) != 0)
    {
      g_autofree char *text = g_strdup_printf ("The user or administrator has not consented to "
                                               "use the application with ID '%s'. Send an "
                                               "interactive authorization request for this user "
                                               "and resource.", client_id);
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant", 65001, text);
      return;
    }

  /* Rotation: the old refresh token dies with its first successful use. The consent that
   * travels with the new one stays what the user granted, not what this request asked. */
  grant_scope = g_strdup (grant->scope);
  g_hash_table_remove (self->refresh_tokens, refresh);
  scopes.offline_access = TRUE;
  issue_tokens (self, msg, client_id, grant_scope, &scopes);
}

static void
handle_token (TbSim             *self,
              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *grant_type = g_hash_table_lookup (form, "grant_type");
  const char *client_id = g_hash_table_lookup (form, "client_id");

  if (grant_type == NULL)
    {
      login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                   "The request body must contain the following parameter: 'grant_type'.");
      return;
    }
  if (!check_client_id (self, msg, client_id))
    return;

  if (g_str_equal (grant_type, DEVICE_CODE_GRANT) || g_str_equal (grant_type, "device_code"))
    token_device_code (self, msg, form);
  else if (g_str_equal (grant_type, "authorization_code"))
    token_authorization_code (self, msg, form);
  else if (g_str_equal (grant_type, "refresh_token"))
    token_refresh (self, msg, form);
  else
    login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", 70003,
                 "The app requested an unsupported grant type.");
}

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

static void
handle_authorize (TbSim             *self,
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
  if (!parse_scopes (self, scope, &scopes, &bad))
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

static const char devicelogin_form[] =
  "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Enter code</title></head><body>"
  "<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>"
  "<form method=\"post\"><input name=\"user_code\" autocomplete=\"off\" autofocus>"
  "<button name=\"action\" value=\"approve\" type=\"submit\">Next</button>"
  "<button name=\"action\" value=\"decline\" type=\"submit\">Decline</button>"
  "</form></body></html>\n";

static void
handle_devicelogin (TbSim             *self,
                    SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = NULL;
  const char *user_code;
  const char *action;
  g_autofree char *normalized = NULL;
  g_autofree char *trimmed = NULL;
  TbSimDeviceCode *code;

  if (g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           devicelogin_form);
      return;
    }

  form = read_form (msg);
  user_code = g_hash_table_lookup (form, "user_code");
  if (user_code == NULL)
    user_code = g_hash_table_lookup (form, "otc");
  action = g_hash_table_lookup (form, "action");
  trimmed = g_strstrip (g_strdup (user_code ? user_code : ""));
  normalized = g_ascii_strup (trimmed, -1);
  code = g_hash_table_lookup (self->user_codes, normalized);

  if (code == NULL || code->state != TB_SIM_DEVICE_PENDING ||
      g_get_monotonic_time () >= code->expires_at)
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>Enter code</h1><p>That code didn't "
                           "work. Check the code and try again.</p></body></html>\n");
      return;
    }

  if (g_strcmp0 (action, "decline") == 0)
    {
      code->state = TB_SIM_DEVICE_DECLINED;
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>Sign-in cancelled</h1><p>You can "
                           "close this window.</p></body></html>\n");
    }
  else
    {
      code->state = TB_SIM_DEVICE_APPROVED;
      tb_sim_respond_text (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           "<!DOCTYPE html><html><body><h1>You have signed in</h1><p>You have "
                           "signed in to the application on your device. You may now close "
                           "this window.</p></body></html>\n");
    }
}

void
tb_sim_login_handler (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  TbSim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  guint n = g_strv_length (parts);
  g_autofree char *tenant = NULL;
  g_autofree char *rest = NULL;

  self->request_count++;

  /* parts: "", "login", tenant, ... */
  if (n == 3 && g_str_equal (parts[2], "devicelogin") &&
      (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
    {
      handle_devicelogin (self, msg);
      tb_sim_finish (self, msg);
      return;
    }
  if (n < 4)
    {
      tb_sim_respond_text (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
      tb_sim_finish (self, msg);
      return;
    }

  tenant = g_uri_unescape_string (parts[2], NULL);
  rest = g_strjoinv ("/", parts + 3);
  if (tenant == NULL)
    tenant = g_strdup ("");

  if (g_str_equal (rest, "v2.0/.well-known/openid-configuration") && g_str_equal (method, "GET"))
    handle_discovery (self, msg, tenant);
  else if (g_str_equal (rest, "oauth2/v2.0/authorize") && g_str_equal (method, "GET"))
    handle_authorize (self, msg, tenant, query);
  else if (g_str_equal (rest, "oauth2/v2.0/devicecode") || g_str_equal (rest, "oauth2/v2.0/token"))
    {
      gboolean multi = g_str_equal (tenant, "organizations") || g_str_equal (tenant, "common");

      if (!g_str_equal (method, "POST"))
        login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900561,
                     "The endpoint only accepts POST requests. Received a GET request.");
      else if (!multi && tb_sim_resolve_tenant (self, tenant) == NULL)
        invalid_tenant (self, msg, tenant);
      else if (g_str_has_suffix (rest, "devicecode"))
        handle_devicecode (self, msg, tenant);
      else
        handle_token (self, msg);
    }
  else
    tb_sim_respond_text (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");

  tb_sim_finish (self, msg);
}
