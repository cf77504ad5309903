/* tb-service-principal.c: service principals and key credentials as Graph returns them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-service-principal"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-json.h"
#include "tb-service-principal.h"

/* ------------------------------------------------------------------------------------ */
/* TbKeyCredential */

struct _TbKeyCredential
{
  GObject        parent_instance;

  JsonObject    *json;
  char          *key_id;
  char          *key_type;
  char          *usage;
  char          *display_name;
  char          *custom_key_identifier;
  char          *key;
  GDateTime     *start;
  GDateTime     *end;
  GBytes        *key_der;        /* decoded `key`, NULL when null or not Base64 */
  TbCertificate *certificate;    /* parsed `key`, NULL when it is not a certificate */
  char          *thumbprint;
};

G_DEFINE_FINAL_TYPE (TbKeyCredential, tb_key_credential, G_TYPE_OBJECT)

static void
tb_key_credential_finalize (GObject *object)
{
  TbKeyCredential *self = TB_KEY_CREDENTIAL (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->key_id, g_free);
  g_clear_pointer (&self->key_type, g_free);
  g_clear_pointer (&self->usage, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->custom_key_identifier, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->key_der, g_bytes_unref);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->thumbprint, g_free);

  G_OBJECT_CLASS (tb_key_credential_parent_class)->finalize (object);
}

static void
tb_key_credential_class_init (TbKeyCredentialClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_key_credential_finalize;
}

static void
tb_key_credential_init (TbKeyCredential *self)
{
}

static void
set_bad_reply (GError    **error,
               const char *message)
{
  g_set_error_literal (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY, message);
}

/* A string member, or NULL when absent or null. Any other type is a malformed reply. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     char       **out,
                     GError     **error)
{
  const char *value = NULL;

  *out = NULL;
  if (tb_json_member_string (object, member, &value) == TB_JSON_MEMBER_WRONG_TYPE)
    {
      g_autofree char *message = g_strdup_printf (_("Microsoft Graph sent “%s” with the wrong type."),
                                                  member);
      set_bad_reply (error, message);
      return FALSE;
    }
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
get_optional_date (JsonObject  *object,
                   const char  *member,
                   GDateTime  **out,
                   GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  *out = NULL;
  if (!get_optional_string (object, member, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = g_date_time_new_from_iso8601 (text, utc);
  if (*out == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Microsoft Graph sent an unreadable date in “%s”."),
                                                  member);
      set_bad_reply (error, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_hex (const char *data,
        gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (data[i]))
      return FALSE;
  return TRUE;
}

/* customKeyIdentifier is Edm.Binary: Base64 of whatever the uploader put there. Windows
 * tools put the thumbprint as ASCII hex; others put the 20 raw SHA-1 bytes. Some replies
 * carry the hex string itself. Anything else is not a thumbprint. */
static char *
thumbprint_from_custom_key_identifier (const char *cki)
{
  g_autoptr(GBytes) bytes = tb_json_base64_decode_binary (cki);

  if (bytes != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      if (len == 40 && is_hex (data, 40))
        return g_ascii_strup (data, 40);
      if (len == 20)
        return tb_format_hex ((const guint8 *) data, 20);
    }

  if (strlen (cki) == 40 && is_hex (cki, 40))
    return g_ascii_strup (cki, 40);

  return NULL;
}

TbKeyCredential *
tb_key_credential_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(TbKeyCredential) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (TB_TYPE_KEY_CREDENTIAL, NULL);
  self->json = json_object_ref (object);

  if (!get_optional_string (object, "keyId", &self->key_id, error) ||
      !get_optional_string (object, "type", &self->key_type, error) ||
      !get_optional_string (object, "usage", &self->usage, error) ||
      !get_optional_string (object, "displayName", &self->display_name, error) ||
      !get_optional_string (object, "customKeyIdentifier", &self->custom_key_identifier, error) ||
      !get_optional_string (object, "key", &self->key, error) ||
      !get_optional_date (object, "startDateTime", &self->start, error) ||
      !get_optional_date (object, "endDateTime", &self->end, error))
    return NULL;

  /* Without a keyId a credential cannot be re-sent or removed: refuse the whole reply
   * rather than silently drop it. */
  if (self->key_id == NULL || *self->key_id == '\0')
    {
      set_bad_reply (error, _("Microsoft Graph sent a key credential without a key ID."));
      return NULL;
    }

  if (self->key != NULL)
    {
      self->key_der = tb_json_base64_decode_binary (self->key);
      if (self->key_der != NULL)
        self->certificate = tb_certificate_new_from_der (self->key_der, NULL);
    }

  if (self->certificate != NULL)
    self->thumbprint = g_strdup (tb_certificate_get_sha1 (self->certificate));
  else if (self->custom_key_identifier != NULL)
    self->thumbprint = thumbprint_from_custom_key_identifier (self->custom_key_identifier);

  return g_steal_pointer (&self);
}

JsonObject *
tb_key_credential_get_json (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->json;
}

const char *
tb_key_credential_get_key_id (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->key_id;
}

const char *
tb_key_credential_get_key_type (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->key_type;
}

const char *
tb_key_credential_get_usage (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->usage;
}

const char *
tb_key_credential_get_display_name (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->display_name;
}

GDateTime *
tb_key_credential_get_start (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  if (self->start == NULL && self->certificate != NULL)
    return tb_certificate_get_not_before (self->certificate);
  return self->start;
}

GDateTime *
tb_key_credential_get_end (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  if (self->end == NULL && self->certificate != NULL)
    return tb_certificate_get_not_after (self->certificate);
  return self->end;
}

const char *
tb_key_credential_get_key (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->key;
}

const char *
tb_key_credential_get_thumbprint (TbKeyCredential *self)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), NULL);
  return self->thumbprint;
}

TbCertificateStatus
tb_key_credential_get_status (TbKeyCredential *self,
                              GDateTime       *now,
                              guint            warn_days)
{
  GDateTime *start, *end;

  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), TB_CERTIFICATE_STATUS_VALID);
  g_return_val_if_fail (now != NULL, TB_CERTIFICATE_STATUS_VALID);

  /* Entra enforces the credential's own dates, which may be narrower than the certificate's. */
  start = tb_key_credential_get_start (self);
  end = tb_key_credential_get_end (self);

  if (end != NULL && g_date_time_compare (now, end) > 0)
    return TB_CERTIFICATE_STATUS_EXPIRED;
  if (start != NULL && g_date_time_compare (now, start) < 0)
    return TB_CERTIFICATE_STATUS_NOT_YET_VALID;
  if (end != NULL && g_date_time_difference (end, now) < (GTimeSpan) warn_days * G_TIME_SPAN_DAY)
    return TB_CERTIFICATE_STATUS_EXPIRING;
  return TB_CERTIFICATE_STATUS_VALID;
}

gboolean
tb_key_credential_matches_certificate (TbKeyCredential *self,
                                       TbCertificate   *cert)
{
  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (self), FALSE);
  g_return_val_if_fail (TB_IS_CERTIFICATE (cert), FALSE);

  if (self->key_der != NULL && g_bytes_equal (self->key_der, tb_certificate_get_der (cert)))
    return TRUE;

  return self->thumbprint != NULL &&
         g_ascii_strcasecmp (self->thumbprint, tb_certificate_get_sha1 (cert)) == 0;
}

/* ------------------------------------------------------------------------------------ */
/* TbServicePrincipal */

struct _TbServicePrincipal
{
  GObject     parent_instance;

  JsonObject *json;
  char       *id;
  char       *app_id;
  char       *display_name;
  gboolean    account_enabled;
  GStrv       names;
  GPtrArray  *key_credentials;
  gboolean    keys_complete;
};

G_DEFINE_FINAL_TYPE (TbServicePrincipal, tb_service_principal, G_TYPE_OBJECT)

static void
tb_service_principal_finalize (GObject *object)
{
  TbServicePrincipal *self = TB_SERVICE_PRINCIPAL (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->key_credentials, g_ptr_array_unref);

  G_OBJECT_CLASS (tb_service_principal_parent_class)->finalize (object);
}

static void
tb_service_principal_class_init (TbServicePrincipalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_service_principal_finalize;
}

static void
tb_service_principal_init (TbServicePrincipal *self)
{
  self->key_credentials = g_ptr_array_new_with_free_func (g_object_unref);
}

/* NULL for absent or null; an error for anything but an array. */
static gboolean
get_optional_array (JsonObject  *object,
                    const char  *member,
                    JsonArray  **out,
                    GError     **error)
{
  *out = NULL;
  if (tb_json_member_array (object, member, out) == TB_JSON_MEMBER_WRONG_TYPE)
    {
      g_autofree char *message = g_strdup_printf (_("Microsoft Graph sent “%s” with the wrong type."),
                                                  member);
      set_bad_reply (error, message);
      return FALSE;
    }
  return TRUE;
}

TbServicePrincipal *
tb_service_principal_new_from_json (JsonObject  *object,
                                    GError     **error)
{
  g_autoptr(TbServicePrincipal) self = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (TB_TYPE_SERVICE_PRINCIPAL, NULL);
  self->json = json_object_ref (object);

  if (!get_optional_string (object, "id", &self->id, error) ||
      !get_optional_string (object, "appId", &self->app_id, error) ||
      !get_optional_string (object, "displayName", &self->display_name, error))
    return NULL;

  if (self->id == NULL || self->app_id == NULL)
    {
      set_bad_reply (error, _("Microsoft Graph sent a service principal without an ID or app ID."));
      return NULL;
    }

  /* Absent or null: left as it is. */
  if (tb_json_member_boolean (object, "accountEnabled", &self->account_enabled)
      == TB_JSON_MEMBER_WRONG_TYPE)
    {
      set_bad_reply (error, _("Microsoft Graph sent “accountEnabled” with the wrong type."));
      return NULL;
    }

  if (!get_optional_array (object, "servicePrincipalNames", &array, error))
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          set_bad_reply (error, _("Microsoft Graph sent a service principal name that is not text."));
          return NULL;
        }
      g_ptr_array_add (names, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (names, NULL);
  self->names = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);

  if (!get_optional_array (object, "keyCredentials", &array, error))
    return NULL;
  /* An absent collection says nothing about the keys; an empty one says there are none. */
  self->keys_complete = array != NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      TbKeyCredential *credential;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_bad_reply (error, _("Microsoft Graph sent a key credential that is not an object."));
          return NULL;
        }
      credential = tb_key_credential_new_from_json (json_node_get_object (element), error);
      if (credential == NULL)
        return NULL;
      if (tb_key_credential_get_key (credential) == NULL)
        self->keys_complete = FALSE;
      g_ptr_array_add (self->key_credentials, credential);
    }

  return g_steal_pointer (&self);
}

JsonObject *
tb_service_principal_get_json (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return self->json;
}

const char *
tb_service_principal_get_id (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return self->id;
}

const char *
tb_service_principal_get_app_id (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return self->app_id;
}

const char *
tb_service_principal_get_display_name (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return self->display_name;
}

gboolean
tb_service_principal_get_account_enabled (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), FALSE);
  return self->account_enabled;
}

const char *
tb_service_principal_get_principal_type (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return tb_json_get_string (self->json, "servicePrincipalType");
}

guint
tb_service_principal_get_n_password_credentials (TbServicePrincipal *self)
{
  JsonArray *passwords = NULL;

  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), 0);
  if (tb_json_member_array (self->json, "passwordCredentials", &passwords) !=
      TB_JSON_MEMBER_VALUE)
    return 0;
  return json_array_get_length (passwords);
}

const char * const *
tb_service_principal_get_names (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return (const char * const *) self->names;
}

GPtrArray *
tb_service_principal_get_key_credentials (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), NULL);
  return self->key_credentials;
}

gboolean
tb_service_principal_get_keys_complete (TbServicePrincipal *self)
{
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (self), FALSE);
  return self->keys_complete;
}
