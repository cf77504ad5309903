/* tb-sim-login.c: the identity platform v2 endpoints (discovery, device code, authorize, token)
 *
 * Error replies follow the documented shape {error, error_description "AADSTS…", error_codes,
 * timestamp, trace_id, correlation_id}. The AADSTS numbers are Microsoft's where the
 * documentation names one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-login"

#include "config.h"

#include <string.h>

#include "tb-dl-soup.h"
#include "tb-sim-login-private.h"

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

void
_tb_sim_login_error (TbSim             *self,
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

void
_tb_sim_login_invalid_tenant (TbSim             *self,
                              SoupServerMessage *msg,
                              const char        *tenant)
{
  g_autofree char *text = g_strdup_printf ("Tenant '%s' not found. Check to make sure you have "
                                           "the correct tenant ID and are signing into the correct "
                                           "cloud. Check with your subscription administrator, "
                                           "this may happen if there are no active subscriptions "
                                           "for the tenant.", tenant);

  _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_tenant", 90002, text);
}

void
_tb_sim_login_scopes_clear (Scopes *s)
{
  g_clear_pointer (&s->permissions, g_ptr_array_unref);
}

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

gboolean
_tb_sim_login_parse_scopes (TbSim       *self,
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

gboolean
_tb_sim_login_check_client_id (TbSim             *self,
                               SoupServerMessage *msg,
                               const char        *client_id)
{
  if (client_id == NULL || *client_id == '\0')
    {
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
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
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", 700016, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
_tb_sim_login_check_scopes (TbSim             *self,
                            SoupServerMessage *msg,
                            const char        *scope,
                            Scopes            *scopes)
{
  g_autofree char *bad = NULL;

  if (_tb_sim_login_parse_scopes (self, scope, scopes, &bad))
    return TRUE;
  if (*bad == '\0')
    _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900144,
                         "The request body must contain the following parameter: 'scope'.");
  else
    {
      g_autofree char *text = g_strdup_printf ("The provided value for the input parameter "
                                               "'scope' is not valid. The scope '%s' does not "
                                               "exist.", bad);
      _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_scope", 70011, text);
    }
  return FALSE;
}

GHashTable *
_tb_sim_login_read_form (SoupServerMessage *msg)
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
      _tb_sim_login_handle_devicelogin (self, msg);
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
    _tb_sim_login_handle_discovery (self, msg, tenant);
  else if (g_str_equal (rest, "oauth2/v2.0/authorize") && g_str_equal (method, "GET"))
    _tb_sim_login_handle_authorize (self, msg, tenant, query);
  else if (g_str_equal (rest, "oauth2/v2.0/devicecode") || g_str_equal (rest, "oauth2/v2.0/token"))
    {
      gboolean multi = g_str_equal (tenant, "organizations") || g_str_equal (tenant, "common");

      if (!g_str_equal (method, "POST"))
        _tb_sim_login_error (self, msg, SOUP_STATUS_BAD_REQUEST, "invalid_request", 900561,
                             "The endpoint only accepts POST requests. Received a GET request.");
      else if (!multi && tb_sim_resolve_tenant (self, tenant) == NULL)
        _tb_sim_login_invalid_tenant (self, msg, tenant);
      else if (g_str_has_suffix (rest, "devicecode"))
        _tb_sim_login_handle_devicecode (self, msg, tenant);
      else
        _tb_sim_login_handle_token (self, msg);
    }
  else
    tb_sim_respond_text (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");

  tb_sim_finish (self, msg);
}
