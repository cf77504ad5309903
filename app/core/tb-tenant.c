/* tb-tenant.c: a Microsoft 365 tenant found without signing in, and its ACS metadata
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-tenant"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-certificate.h"
#include "tb-dl-soup.h"
#include "tb-http.h"
#include "tb-tenant.h"

/* Keys that are present in a document but cannot all be certificates: bound the work. */
#define MAX_METADATA_KEYS 100

struct _TbTenant
{
  GObject     parent_instance;

  TbCloud    *cloud;
  char       *query;
  char       *id;
  char       *cloud_instance;
  char       *region_scope;
  char       *region_sub_scope;
  char       *metadata_url;

  gboolean    metadata_checked;
  char       *metadata_realm;
  char       *metadata_issuer;
  GListStore *certificates;
  guint       unreadable_keys;
};

G_DEFINE_FINAL_TYPE (TbTenant, tb_tenant, G_TYPE_OBJECT)
G_DEFINE_QUARK (tb-tenant-error-quark, tb_tenant_error)

static void
tb_tenant_finalize (GObject *object)
{
  TbTenant *self = TB_TENANT (object);

  g_clear_object (&self->cloud);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->cloud_instance, g_free);
  g_clear_pointer (&self->region_scope, g_free);
  g_clear_pointer (&self->region_sub_scope, g_free);
  g_clear_pointer (&self->metadata_url, g_free);
  g_clear_pointer (&self->metadata_realm, g_free);
  g_clear_pointer (&self->metadata_issuer, g_free);
  g_clear_object (&self->certificates);

  G_OBJECT_CLASS (tb_tenant_parent_class)->finalize (object);
}

static void
tb_tenant_class_init (TbTenantClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_tenant_finalize;
}

static void
tb_tenant_init (TbTenant *self)
{
  self->certificates = g_list_store_new (TB_TYPE_CERTIFICATE);
}

gboolean
tb_tenant_is_guid (const char *text)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (text == NULL || strlen (text) != sizeof pattern - 1)
    return FALSE;
  for (gsize i = 0; pattern[i]; i++)
    {
      if (pattern[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* RFC 1123 host name with at least two labels and an alphabetic top-level label. */
static gboolean
is_domain_name (const char *text)
{
  g_auto(GStrv) labels = NULL;
  guint n;

  if (text == NULL || strlen (text) > 253)
    return FALSE;

  labels = g_strsplit (text, ".", -1);
  n = g_strv_length (labels);
  if (n < 2)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        {
          if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
            return FALSE;
        }
    }

  for (const char *p = labels[n - 1]; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

/* Lower-case ASCII form of a domain or GUID, or NULL. */
static char *
normalize_input (const char *text)
{
  g_autofree char *stripped = NULL;
  g_autofree char *ascii = NULL;
  gsize len;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  len = strlen (stripped);
  if (len > 0 && stripped[len - 1] == '.')
    stripped[len - 1] = '\0';
  if (*stripped == '\0' || !g_utf8_validate (stripped, -1, NULL))
    return NULL;

  if (tb_tenant_is_guid (stripped))
    return g_ascii_strdown (stripped, -1);

  /* Internationalised domains travel as punycode. */
  ascii = g_hostname_to_ascii (stripped);
  if (ascii == NULL || !is_domain_name (ascii))
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

gboolean
tb_tenant_check_input (const char  *domain_or_id,
                       GError     **error)
{
  g_autofree char *normalized = normalize_input (domain_or_id);

  if (normalized == NULL)
    {
      g_set_error (error, TB_TENANT_ERROR, TB_TENANT_ERROR_INVALID_INPUT,
                   _("“%s” is neither a domain name (such as contoso.com) nor a tenant ID "
                     "(a GUID)."), domain_or_id ? domain_or_id : "");
      return FALSE;
    }

  return TRUE;
}

/* The tenant GUID from an issuer or endpoint address: its first GUID path segment. */
static char *
guid_from_uri (const char *uri_text)
{
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) segments = NULL;

  if (uri_text == NULL)
    return NULL;
  uri = g_uri_parse (uri_text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i]; i++)
    {
      if (tb_tenant_is_guid (segments[i]))
        return g_ascii_strdown (segments[i], -1);
    }

  return NULL;
}

static gboolean
reply_is_invalid_tenant (JsonObject *reply)
{
  JsonNode *codes = json_object_get_member (reply, "error_codes");

  if (g_strcmp0 (tb_json_get_string (reply, "error"), "invalid_tenant") == 0)
    return TRUE;

  if (codes != NULL && JSON_NODE_HOLDS_ARRAY (codes))
    {
      JsonArray *array = json_node_get_array (codes);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_INT64
              && json_node_get_int (item) == 90002)
            return TRUE;
        }
    }

  return FALSE;
}

static char *
first_line (const char *text)
{
  char *line = g_strndup (text ? text : "", 400);
  char *cut = strpbrk (line, "\r\n");

  if (cut != NULL)
    *cut = '\0';
  return line;
}

static const char *
string_or_null (JsonObject *object,
                const char *member)
{
  const char *value = tb_json_get_string (object, member);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Why the discovery lookup got @status instead of 200 OK; @reply may be NULL (not JSON). */
static GError *
lookup_refused (TbTenant   *self,
                guint       status,
                JsonObject *reply)
{
  if (reply != NULL && reply_is_invalid_tenant (reply))
    {
      if (tb_tenant_is_guid (self->query))
        return g_error_new (TB_TENANT_ERROR, TB_TENANT_ERROR_NOT_FOUND,
                            _("No Microsoft 365 tenant has the ID “%s” in the %s cloud."),
                            self->query, tb_cloud_get_display_name (self->cloud));
      return g_error_new (TB_TENANT_ERROR, TB_TENANT_ERROR_NOT_FOUND,
                          _("No Microsoft 365 tenant uses the domain “%s”."), self->query);
    }
  if (reply != NULL && tb_json_get_string (reply, "error") != NULL)
    {
      g_autofree char *line = first_line (tb_json_get_string (reply, "error_description"));

      return g_error_new (TB_TENANT_ERROR, TB_TENANT_ERROR_SERVER,
                          _("The sign-in service refused the lookup (HTTP %u): %s"),
                          status, *line ? line : tb_json_get_string (reply, "error"));
    }
  return g_error_new (TB_TENANT_ERROR, TB_TENANT_ERROR_SERVER,
                      _("The sign-in service answered the lookup with HTTP status %u."), status);
}

static void
on_discovery (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbTenant *self = g_task_get_task_data (task);
  SoupMessage *msg = tb_http_send_and_read_get_message (result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *from_issuer = NULL;
  g_autofree char *from_token = NULL;
  const char *id;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, tb_http_send_error_new (error, TB_TENANT_ERROR,
                                                         TB_TENANT_ERROR_SERVER,
                                                         _("Cannot reach the sign-in service: "
                                                           "%s"), error->message));
      return;
    }

  status = soup_message_get_status (msg);
  reply = tb_http_parse_json_object (body, TB_HTTP_MAX_LOGIN_REPLY, &error);

  if (status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, lookup_refused (self, status, reply));
      return;
    }

  if (reply == NULL)
    {
      g_debug ("Discovery document unreadable: %s", error->message);
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_BAD_REPLY,
                               _("The sign-in service’s discovery document is not valid JSON."));
      return;
    }

  from_issuer = guid_from_uri (tb_json_get_string (reply, "issuer"));
  from_token = guid_from_uri (tb_json_get_string (reply, "token_endpoint"));
  id = from_issuer ? from_issuer : from_token;

  if (id == NULL || (from_issuer && from_token && !g_str_equal (from_issuer, from_token)))
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_BAD_REPLY,
                               _("The sign-in service’s discovery document names no single "
                                 "tenant ID."));
      return;
    }
  if (tb_tenant_is_guid (self->query) && !g_str_equal (self->query, id))
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_BAD_REPLY,
                               _("The sign-in service answered for tenant %s instead of %s."),
                               id, self->query);
      return;
    }

  self->id = g_strdup (id);
  self->cloud_instance = g_strdup (string_or_null (reply, "cloud_instance_name"));
  self->region_scope = g_strdup (string_or_null (reply, "tenant_region_scope"));
  self->region_sub_scope = g_strdup (string_or_null (reply, "tenant_region_sub_scope"));
  self->metadata_url = tb_cloud_acs_metadata_uri (self->cloud, self->id);

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

void
tb_tenant_resolve_async (TbCloud             *cloud,
                         SoupSession         *session,
                         const char          *domain_or_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  TbTenant *self;

  g_return_if_fail (TB_IS_CLOUD (cloud));
  g_return_if_fail (SOUP_IS_SESSION (session));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_tenant_resolve_async);

  if (!tb_tenant_check_input (domain_or_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self = g_object_new (TB_TYPE_TENANT, NULL);
  self->cloud = g_object_ref (cloud);
  self->query = normalize_input (domain_or_id);
  g_task_set_task_data (task, self, g_object_unref);

  uri = tb_cloud_login_uri (cloud, self->query, "v2.0/.well-known/openid-configuration");
  msg = soup_message_new ("GET", uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_INVALID_INPUT,
                               _("Cannot build a discovery address from “%s”."), domain_or_id);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");

  tb_http_send_and_read_async (session, msg, TB_HTTP_MAX_LOGIN_REPLY, G_PRIORITY_DEFAULT,
                               cancellable, on_discovery, g_steal_pointer (&task));
}

TbTenant *
tb_tenant_resolve_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_tenant_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

TbCloud *
tb_tenant_get_cloud (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->cloud;
}

const char *
tb_tenant_get_id (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->id;
}

const char *
tb_tenant_get_cloud_instance (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->cloud_instance;
}

const char *
tb_tenant_get_region_scope (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->region_scope;
}

const char *
tb_tenant_get_region_sub_scope (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->region_sub_scope;
}

const char *
tb_tenant_get_metadata_url (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->metadata_url;
}

gboolean
tb_tenant_get_metadata_checked (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), FALSE);
  return self->metadata_checked;
}

const char *
tb_tenant_get_metadata_realm (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->metadata_realm;
}

const char *
tb_tenant_get_metadata_issuer (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return self->metadata_issuer;
}

gboolean
tb_tenant_get_metadata_realm_ok (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), FALSE);
  return self->metadata_checked && self->metadata_realm != NULL
         && g_ascii_strcasecmp (self->metadata_realm, self->id) == 0;
}

GListModel *
tb_tenant_get_signing_certificates (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), NULL);
  return G_LIST_MODEL (self->certificates);
}

guint
tb_tenant_get_unreadable_keys (TbTenant *self)
{
  g_return_val_if_fail (TB_IS_TENANT (self), 0);
  return self->unreadable_keys;
}

/* ACS metadata */

static void
read_keys (TbTenant   *self,
           JsonObject *document)
{
  JsonNode *keys_node = tb_json_get_member_ci (document, "keys");
  JsonArray *keys;
  guint n;

  if (keys_node == NULL || !JSON_NODE_HOLDS_ARRAY (keys_node))
    return;

  keys = json_node_get_array (keys_node);
  n = MIN (json_array_get_length (keys), MAX_METADATA_KEYS);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (keys, i);
      JsonObject *key;
      JsonObject *key_value;
      const char *usage;
      const char *type;
      const char *value;
      g_autoptr(TbCertificate) certificate = NULL;
      g_autoptr(GBytes) der = NULL;
      g_autoptr(GError) error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      key = json_node_get_object (item);

      usage = tb_json_get_string_ci (key, "usage");
      if (usage != NULL && g_ascii_strcasecmp (usage, "signing") != 0)
        continue;

      key_value = tb_json_get_object_ci (key, "keyValue");
      type = tb_json_get_string_ci (key_value, "type");
      value = tb_json_get_string_ci (key_value, "value");
      if (type != NULL && g_ascii_strcasecmp (type, "x509Certificate") != 0)
        continue;

      /* The DER bytes as one run of strict Base64: a damaged value is an unreadable key, not
       * another certificate. */
      der = value != NULL ? tb_json_base64_decode_binary (value) : NULL;
      if (der == NULL)
        {
          self->unreadable_keys++;
          continue;
        }

      certificate = tb_certificate_new_from_der (der, &error);
      if (certificate == NULL)
        {
          g_debug ("ACS signing key %u is not a certificate: %s", i, error->message);
          self->unreadable_keys++;
          continue;
        }

      g_list_store_append (self->certificates, certificate);
    }
}

static void
on_metadata (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbTenant *self = g_task_get_source_object (task);
  SoupMessage *msg = tb_http_send_and_read_get_message (result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) document = NULL;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, tb_http_send_error_new (error, TB_TENANT_ERROR,
                                                         TB_TENANT_ERROR_SERVER,
                                                         _("Cannot fetch the ACS metadata "
                                                           "document %s: %s"),
                                                         self->metadata_url, error->message));
      return;
    }

  status = soup_message_get_status (msg);
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_SERVER,
                               _("The ACS metadata document %s could not be fetched (HTTP "
                                 "status %u)."), self->metadata_url, status);
      return;
    }

  document = tb_http_parse_json_object (body, TB_HTTP_MAX_LOGIN_REPLY, &error);
  if (document == NULL)
    {
      g_debug ("ACS metadata unreadable: %s", error->message);
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_BAD_REPLY,
                               _("The ACS metadata document %s is not a JSON object."),
                               self->metadata_url);
      return;
    }

  g_clear_pointer (&self->metadata_realm, g_free);
  g_clear_pointer (&self->metadata_issuer, g_free);
  g_list_store_remove_all (self->certificates);
  self->unreadable_keys = 0;

  self->metadata_realm = g_strdup (tb_json_get_string_ci (document, "realm"));
  self->metadata_issuer = g_strdup (tb_json_get_string_ci (document, "issuer"));
  read_keys (self, document);
  self->metadata_checked = TRUE;

  if (self->metadata_realm == NULL)
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_REALM_MISMATCH,
                               _("The ACS metadata document %s names no realm; it cannot be "
                                 "checked against tenant %s."), self->metadata_url, self->id);
      return;
    }
  if (!tb_tenant_get_metadata_realm_ok (self))
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_REALM_MISMATCH,
                               _("The ACS metadata document %s is for realm “%s”, not for "
                                 "tenant %s. Check the cloud and the ACS address."),
                               self->metadata_url, self->metadata_realm, self->id);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
tb_tenant_check_metadata_async (TbTenant            *self,
                                SoupSession         *session,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (TB_IS_TENANT (self));
  g_return_if_fail (SOUP_IS_SESSION (session));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_tenant_check_metadata_async);

  msg = soup_message_new ("GET", self->metadata_url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, TB_TENANT_ERROR, TB_TENANT_ERROR_SERVER,
                               _("The ACS metadata address %s is not valid."),
                               self->metadata_url);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");

  tb_http_send_and_read_async (session, msg, TB_HTTP_MAX_LOGIN_REPLY, G_PRIORITY_DEFAULT,
                               cancellable, on_metadata, g_steal_pointer (&task));
}

gboolean
tb_tenant_check_metadata_finish (TbTenant      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == tb_tenant_check_metadata_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
