/* tb-sim-login-discovery.c: the OpenID Connect discovery document of a tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-login-discovery"

#include "config.h"

#include "tb-sim-login-private.h"

static void
add_string_array (JsonBuilder        *b,
                  const char         *name,
                  const char * const *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

/* The endpoints under the tenant's @segment: its ID, or the multi-tenant name it was asked as. */
static void
add_endpoints (JsonBuilder *b,
               TbSim       *self,
               const char  *segment)
{
  struct { const char *name, *suffix; } endpoints[] = {
    { "token_endpoint", "oauth2/v2.0/token" },
    { "jwks_uri", "discovery/v2.0/keys" },
    { "authorization_endpoint", "oauth2/v2.0/authorize" },
    { "device_authorization_endpoint", "oauth2/v2.0/devicecode" },
    { "end_session_endpoint", "oauth2/v2.0/logout" },
    { "kerberos_endpoint", "kerberos" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *uri = g_strdup_printf ("%s/%s/%s", self->login_base, segment,
                                              endpoints[i].suffix);
      json_builder_set_member_name (b, endpoints[i].name);
      json_builder_add_string_value (b, uri);
    }
}

/* What the platform supports: authentication methods, response modes and types, scopes. */
static void
add_supported (JsonBuilder *b)
{
  static const char * const auth_methods[] = {
    "client_secret_post", "private_key_jwt", "client_secret_basic", NULL
  };
  static const char * const response_modes[] = { "query", "fragment", "form_post", NULL };
  static const char * const subject_types[] = { "pairwise", NULL };
  static const char * const signing_algs[] = { "RS256", NULL };
  static const char * const response_types[] = {
    "code", "id_token", "code id_token", "id_token token", NULL
  };
  static const char * const scopes[] = { "openid", "profile", "email", "offline_access", NULL };

  add_string_array (b, "token_endpoint_auth_methods_supported", auth_methods);
  add_string_array (b, "response_modes_supported", response_modes);
  add_string_array (b, "subject_types_supported", subject_types);
  add_string_array (b, "id_token_signing_alg_values_supported", signing_algs);
  add_string_array (b, "response_types_supported", response_types);
  add_string_array (b, "scopes_supported", scopes);
}

/* The cloud the tenant lives in; a multi-tenant document has no region. */
static void
add_cloud_instance (JsonBuilder *b,
                    gboolean     multi)
{
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
}

void
_tb_sim_login_handle_discovery (TbSim             *self,
                                SoupServerMessage *msg,
                                const char        *tenant)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *tid = tb_sim_resolve_tenant (self, tenant);
  gboolean multi = g_str_equal (tenant, "organizations") || g_str_equal (tenant, "common") ||
                   g_str_equal (tenant, "consumers");
  g_autofree char *issuer = NULL;
  static const char * const claims[] = {
    "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
    "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username",
    "name", "tid", "ver", "at_hash", "c_hash", "email", NULL
  };

  if (tid == NULL && !multi)
    {
      _tb_sim_login_invalid_tenant (self, msg, tenant);
      return;
    }
  issuer = g_strdup_printf ("%s/%s/v2.0", self->login_base, multi ? "{tenantid}" : tid);

  json_builder_begin_object (b);
  add_endpoints (b, self, multi ? tenant : tid);
  add_supported (b);
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
  add_string_array (b, "claims_supported", claims);
  add_cloud_instance (b, multi);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  tb_sim_respond_json (self, msg, SOUP_STATUS_OK, root);
}
