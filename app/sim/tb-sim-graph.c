/* tb-sim-graph.c: the Microsoft Graph v1.0 subset (organization, servicePrincipals, $batch)
 *
 * Behaves as Graph documents it, traps included: keyCredentials[].key is null except on a
 * single-object read whose $select names keyCredentials; PATCH replaces collections whole;
 * list pages are at most $top long and continue through an opaque @odata.nextLink.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-graph"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-dl-soup.h"
#include "tb-format.h"
#include "tb-json.h"

#include "tb-sim-graph-private.h"

/* Properties a servicePrincipal has in v1.0 that $select may name; the ones the simulator
 * does not model come back null. */
const char * const _tb_sim_graph_sp_properties[] = {
  "id", "deletedDateTime", "accountEnabled", "addIns", "alternativeNames", "appDescription",
  "appDisplayName", "appId", "applicationTemplateId", "appOwnerOrganizationId",
  "appRoleAssignmentRequired", "appRoles", "description", "disabledByMicrosoftStatus",
  "displayName", "homepage", "info", "keyCredentials", "loginUrl", "logoutUrl", "notes",
  "notificationEmailAddresses", "oauth2PermissionScopes", "passwordCredentials",
  "preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "replyUrls",
  "resourceSpecificApplicationPermissions", "samlSingleSignOnSettings",
  "servicePrincipalNames", "servicePrincipalType", "signInAudience", "tags",
  "tokenEncryptionKeyId", "verifiedPublisher", NULL
};

const char * const _tb_sim_graph_kc_properties[] = {
  "customKeyIdentifier", "displayName", "endDateTime", "key", "keyId", "startDateTime", "type",
  "usage", NULL
};

TbSimReply *
_tb_sim_graph_error (GraphRequest *req,
                     guint         status,
                     const char   *code,
                     const char   *message)
{
  TbSimReply *reply = tb_sim_reply_new (status);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = tb_sim_now_iso ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "innerError");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "request-id");
  json_builder_add_string_value (b, req->request_id);
  json_builder_set_member_name (b, "client-request-id");
  json_builder_add_string_value (b, req->client_request_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return reply;
}

TbSimReply *
_tb_sim_graph_errorf (GraphRequest *req,
                      guint         status,
                      const char   *code,
                      const char   *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  return _tb_sim_graph_error (req, status, code, message);
}

TbSimReply *
_tb_sim_graph_insufficient_privileges (GraphRequest *req)
{
  return _tb_sim_graph_error (req, SOUP_STATUS_FORBIDDEN, "Authorization_RequestDenied",
                              "Insufficient privileges to complete the operation.");
}

TbSimReply *
_tb_sim_graph_reply_json (guint     status,
                          JsonNode *body)
{
  TbSimReply *reply = tb_sim_reply_new (status);

  reply->body = body;
  tb_sim_reply_add_header (reply, "OData-Version", "4.0");
  return reply;
}

/* Injected throttling and errors: each Graph request (each $batch item) takes one. */
TbSimReply *
_tb_sim_graph_take_injected (GraphRequest *req)
{
  TbSim *self = req->self;

  if (self->throttle_count > 0)
    {
      TbSimReply *reply;

      self->throttle_count--;
      reply = _tb_sim_graph_error (req, 429, "TooManyRequests", "Please retry again later.");
      if (self->throttle_retry_after != NULL)
        tb_sim_reply_add_header (reply, "Retry-After", self->throttle_retry_after);
      return reply;
    }
  if (self->error_count > 0)
    {
      TbSimReply *reply;
      const char *code = "generalException";
      const char *message = "An unexpected error occurred.";

      self->error_count--;
      if (self->error_status == 503)
        {
          code = "serviceNotAvailable";
          message = "The service is temporarily unavailable. Try again later.";
        }
      else if (self->error_status == 504)
        {
          code = "gatewayTimeout";
          message = "The gateway timed out.";
        }
      else if (self->error_status == 429)
        {
          code = "TooManyRequests";
          message = "Please retry again later.";
        }
      reply = _tb_sim_graph_error (req, self->error_status, code, message);
      return reply;
    }
  return NULL;
}

/* ---- routing ------------------------------------------------------------------------ */

static TbSimReply *
not_found (GraphRequest *req,
           const char   *what)
{
  return _tb_sim_graph_errorf (req, SOUP_STATUS_NOT_FOUND, "Request_ResourceNotFound",
                               "Resource '%s' does not exist or one of its queried "
                               "reference-property objects are not present.", what);
}


TbSimReply *
_tb_sim_graph_dispatch (GraphRequest *req)
{
  TbSim *self = req->self;
  const char *path = req->path;
  const char *method = req->method;
  JsonObject *sp = NULL;
  g_autofree char *key = NULL;

  if (g_str_equal (path, "/$batch"))
    {
      if (req->in_batch)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                    "Nested batch requests are not supported.");
      if (!g_str_equal (method, "POST"))
        return _tb_sim_graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "BadRequest",
                                    "The batch endpoint only accepts POST.");
      return _tb_sim_graph_dispatch_batch (req);
    }

  if (!(req->perms & (TB_SIM_PERM_READ | TB_SIM_PERM_WRITE)) &&
      !g_str_equal (path, "/organization"))
    return _tb_sim_graph_insufficient_privileges (req);

  if (g_str_equal (path, "/organization"))
    {
      if (!g_str_equal (method, "GET"))
        return _tb_sim_graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                                    "The request method is not supported on this resource.");
      return _tb_sim_graph_get_organization (req);
    }
  if (g_str_equal (path, "/servicePrincipals"))
    {
      if (!g_str_equal (method, "GET"))
        return _tb_sim_graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                                    "The request method is not supported on this resource.");
      return _tb_sim_graph_list_service_principals (req);
    }

  if (g_str_has_prefix (path, "/servicePrincipals(appId='") && g_str_has_suffix (path, "')"))
    {
      g_autofree char *app_id = g_strndup (path + 26, strlen (path) - 28);

      key = g_ascii_strdown (app_id, -1);
      sp = tb_sim_population_lookup (self, key, TRUE);
      if (sp == NULL)
        return not_found (req, app_id);
    }
  else if (g_str_has_prefix (path, "/servicePrincipals/") && strchr (path + 19, '/') == NULL)
    {
      const char *id = path + 19;

      if (!tb_sim_is_guid (id))
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Invalid object identifier '%s'.", id);
      key = g_ascii_strdown (id, -1);
      sp = tb_sim_population_lookup (self, key, FALSE);
      if (sp == NULL)
        return not_found (req, id);
    }
  else
    {
      const char *segment = path[0] == '/' ? path + 1 : path;
      g_autofree char *first = g_strndup (segment, strcspn (segment, "/("));

      return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                   "Resource not found for the segment '%s'.", first);
    }

  if (g_str_equal (method, "GET"))
    return _tb_sim_graph_get_service_principal (req, sp);
  if (g_str_equal (method, "PATCH"))
    return _tb_sim_graph_patch_service_principal (req, sp);
  return _tb_sim_graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                              "The request method is not supported on this resource.");
}

/* ---- HTTP edge ---------------------------------------------------------------------- */

static TbSimReply *
authenticate (GraphRequest      *req,
              SoupServerMessage *msg)
{
  TbSim *self = req->self;
  const char *auth = soup_message_headers_get_one (req->headers, "Authorization");
  TbSimAccessToken *token;
  TbSimReply *reply;
  const char *message;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0 || auth[7] == '\0')
    message = "Access token is empty.";
  else if ((token = g_hash_table_lookup (self->access_tokens, auth + 7)) == NULL)
    message = "Access token validation failure. Invalid audience.";
  else if (g_get_monotonic_time () >= token->expires_at)
    message = "Lifetime validation failed, the token is expired.";
  else
    {
      req->perms = token->perms;
      return NULL;
    }

  reply = _tb_sim_graph_error (req, SOUP_STATUS_UNAUTHORIZED, "InvalidAuthenticationToken",
                               message);
  tb_sim_reply_add_header (reply, "WWW-Authenticate",
                           "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline."
                           "com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-"
                           "000000000000\"");
  return reply;
}

void
tb_sim_graph_handler (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  TbSim *self = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  g_autofree char *request_id = tb_sim_new_guid ();
  const char *client_request_id = soup_message_headers_get_one (request_headers,
                                                                "client-request-id");
  GraphRequest req = { 0 };
  g_autoptr(TbSimReply) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *decoded = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);

  self->request_count++;

  /* Echo a well-formed client-request-id only; a hostile one must not reach headers. */
  if (client_request_id == NULL || !tb_sim_is_guid (client_request_id))
    client_request_id = request_id;

  req.self = self;
  req.method = soup_server_message_get_method (msg);
  req.query = query;
  req.headers = request_headers;
  req.request_id = request_id;
  req.client_request_id = client_request_id;

  if (request_body->length > TB_SIM_MAX_BODY)
    reply = _tb_sim_graph_error (&req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "BadRequest",
                                 "The request body is too large.");
  else if (!g_str_has_prefix (path, "/graph/v1.0/"))
    {
      reply = _tb_sim_graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                   "Invalid version: the simulator serves v1.0 only.");
    }
  else if ((decoded = g_uri_unescape_string (path + strlen ("/graph/v1.0"), NULL)) == NULL)
    reply = _tb_sim_graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                 "Invalid request URL.");
  else
    {
      req.path = decoded;
      body = soup_message_body_flatten (request_body);
      req.body = body;
      reply = authenticate (&req, msg);
      if (reply == NULL && !g_str_equal (decoded, "/$batch"))
        reply = _tb_sim_graph_take_injected (&req);
      if (reply == NULL)
        reply = _tb_sim_graph_dispatch (&req);
    }

  soup_server_message_set_status (msg, reply->status, NULL);
  soup_message_headers_replace (response_headers, "request-id", request_id);
  soup_message_headers_replace (response_headers, "client-request-id", client_request_id);
  soup_message_headers_replace (response_headers, "Cache-Control", "no-cache");
  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    soup_message_headers_replace (response_headers, g_ptr_array_index (reply->headers, i),
                                  g_ptr_array_index (reply->headers, i + 1));
  if (reply->body != NULL)
    {
      char *text = json_to_string (reply->body, FALSE);

      soup_server_message_set_response (msg, ODATA_JSON, SOUP_MEMORY_TAKE, text, strlen (text));
    }
  tb_sim_finish (self, msg);
}
