/* tb-pool-state.c: the on-premises pool state document (schema 1 and 2) and its checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document comes from a server, a file an admin carried over, or a simulator: it is
 * untrusted input. Size and nesting are bounded before json-glib (which recurses) sees it, and
 * every member is type-checked with a message that names it.
 *
 * This file holds the model, its accessors and its JSON form; reading a document (and its
 * transport: marker lines, UTF-16, files) is in tb-pool-state-parse.c, the checks in
 * tb-pool-state-checks.c.
 */
#define G_LOG_DOMAIN "TrustBridge-pool-state"

#include "config.h"

#include <string.h>

#include "tb-format.h"
#include "tb-json.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-pool-state-private.h"

G_DEFINE_FINAL_TYPE (TbPoolState, tb_pool_state, G_TYPE_OBJECT)

static void
tb_pool_state_finalize (GObject *object)
{
  TbPoolState *self = TB_POOL_STATE (object);

  g_free (self->server_fqdn);
  g_free (self->server_product);
  g_free (self->server_module);
  g_clear_pointer (&self->oauth_servers, g_ptr_array_unref);
  g_clear_pointer (&self->partner_applications, g_ptr_array_unref);
  g_clear_pointer (&self->web_services, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_free (self->oauth_configuration.service_name);
  g_free (self->oauth_configuration.realm);
  g_free (self->oauth_configuration.exchange_autodiscover_url);
  g_free (self->oauth_certificate.thumbprint);
  g_free (self->oauth_certificate.subject);
  g_clear_pointer (&self->oauth_certificate.not_before, g_date_time_unref);
  g_clear_pointer (&self->oauth_certificate.not_after, g_date_time_unref);
  g_free (self->oauth_certificate.raw_data);
  g_clear_object (&self->oauth_certificate.certificate);
  g_free (self->oauth_certificate.raw_data_error);
  g_clear_pointer (&self->oauth_certificates, g_ptr_array_unref);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);

  G_OBJECT_CLASS (tb_pool_state_parent_class)->finalize (object);
}

static void
tb_pool_state_class_init (TbPoolStateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_pool_state_finalize;
}

static void
tb_pool_state_init (TbPoolState *self)
{
}

/* Accessors */

const char *
tb_pool_state_get_server_fqdn (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_fqdn;
}

const char *
tb_pool_state_get_server_product (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_product;
}

const char *
tb_pool_state_get_server_module (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_module;
}

GPtrArray *
tb_pool_state_get_oauth_servers (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->oauth_servers;
}

GPtrArray *
tb_pool_state_get_partner_applications (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->partner_applications;
}

GPtrArray *
tb_pool_state_get_errors (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->errors;
}

TbPoolPresence
tb_pool_state_get_oauth_configuration (TbPoolState                     *self,
                                       const TbPoolOAuthConfiguration **out)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), TB_POOL_UNKNOWN);

  if (out != NULL)
    *out = self->oauth_configuration_presence == TB_POOL_PRESENT ? &self->oauth_configuration
                                                                  : NULL;
  return self->oauth_configuration_presence;
}

TbPoolPresence
tb_pool_state_get_oauth_certificate (TbPoolState              *self,
                                     const TbPoolCertificate **out)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), TB_POOL_UNKNOWN);

  if (out != NULL)
    *out = self->oauth_certificate_presence == TB_POOL_PRESENT ? &self->oauth_certificate : NULL;
  return self->oauth_certificate_presence;
}

const TbPoolOAuthServer *
tb_pool_state_find_oauth_server (TbPoolState *self,
                                 const char  *identity)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  for (guint i = 0; self->oauth_servers != NULL && i < self->oauth_servers->len; i++)
    {
      const TbPoolOAuthServer *r = g_ptr_array_index (self->oauth_servers, i);

      if (r->identity != NULL && g_ascii_strcasecmp (r->identity, identity) == 0)
        return r;
    }
  return NULL;
}

const TbPoolPartnerApplication *
tb_pool_state_find_partner_application (TbPoolState *self,
                                        const char  *identity)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  for (guint i = 0;
       self->partner_applications != NULL && i < self->partner_applications->len; i++)
    {
      const TbPoolPartnerApplication *r = g_ptr_array_index (self->partner_applications, i);

      if (r->identity != NULL && g_ascii_strcasecmp (r->identity, identity) == 0)
        return r;
    }
  return NULL;
}

GStrv
tb_pool_state_dup_external_fqdns (TbPoolState *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  if (self->web_services == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->web_services->len; i++)
    {
      const TbPoolWebService *r = g_ptr_array_index (self->web_services, i);
      char *fqdn;

      if (r->external_fqdn == NULL || *r->external_fqdn == '\0')
        continue;
      /* They become SPNs in the cloud: only real host names go on. */
      fqdn = tb_pool_script_check_host_name (r->external_fqdn, NULL);
      if (fqdn == NULL)
        continue;
      if (g_hash_table_contains (seen, fqdn))
        {
          g_free (fqdn);
          continue;
        }
      g_strv_builder_add (builder, fqdn);
      g_hash_table_add (seen, fqdn);
    }

  return g_strv_builder_end (builder);
}

/* The JSON form's flat records */

static void
record_free (const TbPoolRecord *record,
             gpointer            data)
{
  for (guint i = 0; i < record->n_fields; i++)
    {
      gpointer *field = G_STRUCT_MEMBER_P (data, record->fields[i].offset);

      if (record->fields[i].kind == TB_POOL_FIELD_STRING)
        g_clear_pointer ((char **) field, g_free);
      else if (record->fields[i].kind == TB_POOL_FIELD_DATE)
        g_clear_pointer ((GDateTime **) field, g_date_time_unref);
    }
  g_free (data);
}

#define FIELD(type, name, member, kind) { name, G_STRUCT_OFFSET (type, member), kind }

/* tb_pool_NAME_record over NAME_fields: an object embedded in TbPoolState. */
#define DEFINE_RECORD(name) \
  const TbPoolRecord tb_pool_##name##_record = { name##_fields, G_N_ELEMENTS (name##_fields) }

/* Likewise for a list element, with the NAME_free that its GPtrArray calls (which is
 * handed only the element, not its table). */
#define DEFINE_LIST_RECORD(name, type) \
  static void name##_free (gpointer data) { record_free (&tb_pool_##name##_record, data); } \
  const TbPoolRecord tb_pool_##name##_record = \
    { name##_fields, G_N_ELEMENTS (name##_fields), sizeof (type), name##_free }

static const TbPoolField server_fields[] = {
  FIELD (TbPoolState, "fqdn", server_fqdn, TB_POOL_FIELD_STRING),
  FIELD (TbPoolState, "product", server_product, TB_POOL_FIELD_STRING),
  FIELD (TbPoolState, "module", server_module, TB_POOL_FIELD_STRING),
};

DEFINE_RECORD (server);

static const TbPoolField oauth_configuration_fields[] = {
  FIELD (TbPoolOAuthConfiguration, "serviceName", service_name, TB_POOL_FIELD_STRING),
  FIELD (TbPoolOAuthConfiguration, "realm", realm, TB_POOL_FIELD_STRING),
  FIELD (TbPoolOAuthConfiguration, "exchangeAutodiscoverUrl", exchange_autodiscover_url,
         TB_POOL_FIELD_STRING),
};

DEFINE_RECORD (oauth_configuration);

/* Schema 1's single certificate; schema 2's lists have members by role (see below). */
static const TbPoolField oauth_certificate_fields[] = {
  FIELD (TbPoolCertificate, "thumbprint", thumbprint, TB_POOL_FIELD_STRING),
  FIELD (TbPoolCertificate, "subject", subject, TB_POOL_FIELD_STRING),
  FIELD (TbPoolCertificate, "notBefore", not_before, TB_POOL_FIELD_DATE),
  FIELD (TbPoolCertificate, "notAfter", not_after, TB_POOL_FIELD_DATE),
  FIELD (TbPoolCertificate, "rawData", raw_data, TB_POOL_FIELD_STRING),
};

DEFINE_RECORD (oauth_certificate);

static const TbPoolField oauth_server_fields[] = {
  FIELD (TbPoolOAuthServer, "identity", identity, TB_POOL_FIELD_STRING),
  FIELD (TbPoolOAuthServer, "metadataUrl", metadata_url, TB_POOL_FIELD_STRING),
  FIELD (TbPoolOAuthServer, "realm", realm, TB_POOL_FIELD_STRING),
};

DEFINE_LIST_RECORD (oauth_server, TbPoolOAuthServer);

static const TbPoolField partner_application_fields[] = {
  FIELD (TbPoolPartnerApplication, "identity", identity, TB_POOL_FIELD_STRING),
  FIELD (TbPoolPartnerApplication, "applicationIdentifier", application_identifier,
         TB_POOL_FIELD_STRING),
  FIELD (TbPoolPartnerApplication, "applicationTrustLevel", application_trust_level,
         TB_POOL_FIELD_STRING),
  FIELD (TbPoolPartnerApplication, "useOAuthServer", use_oauth_server, TB_POOL_FIELD_BOOL),
  FIELD (TbPoolPartnerApplication, "enabled", enabled, TB_POOL_FIELD_BOOL),
};

DEFINE_LIST_RECORD (partner_application, TbPoolPartnerApplication);

static const TbPoolField web_service_fields[] = {
  FIELD (TbPoolWebService, "poolFqdn", pool_fqdn, TB_POOL_FIELD_STRING),
  FIELD (TbPoolWebService, "externalFqdn", external_fqdn, TB_POOL_FIELD_STRING),
  FIELD (TbPoolWebService, "internalFqdn", internal_fqdn, TB_POOL_FIELD_STRING),
};

DEFINE_LIST_RECORD (web_service, TbPoolWebService);

static const TbPoolField error_fields[] = {
  FIELD (TbPoolError, "cmdlet", cmdlet, TB_POOL_FIELD_STRING),
  FIELD (TbPoolError, "message", message, TB_POOL_FIELD_STRING),
};

DEFINE_LIST_RECORD (error, TbPoolError);

#undef DEFINE_LIST_RECORD
#undef DEFINE_RECORD
#undef FIELD

/* Serialisation */

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          TbPoolBool   value)
{
  json_builder_set_member_name (builder, name);
  if (value == TB_POOL_BOOL_UNKNOWN)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, value == TB_POOL_BOOL_TRUE);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value != NULL ? tb_format_iso8601_utc (value) : NULL;

  tb_json_add_string (builder, name, text);
}

/* Every member of @record, read from the struct at @data. */
static void
add_fields (JsonBuilder        *builder,
            const TbPoolRecord *record,
            gconstpointer       data)
{
  for (guint i = 0; i < record->n_fields; i++)
    {
      const TbPoolField *f = &record->fields[i];
      const guint8 *field = (const guint8 *) data + f->offset;

      switch (f->kind)
        {
        case TB_POOL_FIELD_BOOL:
          add_bool (builder, f->name, *(const TbPoolBool *) field);
          break;
        case TB_POOL_FIELD_DATE:
          add_date (builder, f->name, *(GDateTime * const *) field);
          break;
        case TB_POOL_FIELD_STRING:
        default:
          tb_json_add_string (builder, f->name, *(char * const *) field);
          break;
        }
    }
}

static void add_schema_2 (JsonBuilder *builder,
                          TbPoolState *self);

/* A list member; left out when the list is unknown (NULL), [] when the pool has none. */
static void
add_list (JsonBuilder        *builder,
          const char         *name,
          GPtrArray          *list,
          const TbPoolRecord *record)
{
  if (list == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      json_builder_begin_object (builder);
      add_fields (builder, record, g_ptr_array_index (list, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* An object member that may be unknown (left out) or absent (null). */
static void
add_optional_object (JsonBuilder        *builder,
                     const char         *name,
                     TbPoolPresence      presence,
                     const TbPoolRecord *record,
                     gconstpointer       data)
{
  if (presence == TB_POOL_UNKNOWN)
    return;

  json_builder_set_member_name (builder, name);
  if (presence == TB_POOL_ABSENT)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  add_fields (builder, record, data);
  json_builder_end_object (builder);
}

JsonNode *
tb_pool_state_to_json_node (TbPoolState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, self->schema >= 2 ? 2 : 1);

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  add_fields (builder, &tb_pool_server_record, self);
  json_builder_end_object (builder);

  add_list (builder, "oauthServers", self->oauth_servers, &tb_pool_oauth_server_record);
  add_list (builder, "partnerApplications", self->partner_applications,
            &tb_pool_partner_application_record);
  add_optional_object (builder, "oauthConfiguration", self->oauth_configuration_presence,
                       &tb_pool_oauth_configuration_record, &self->oauth_configuration);
  add_list (builder, "webServices", self->web_services, &tb_pool_web_service_record);
  add_optional_object (builder, "oauthCertificate", self->oauth_certificate_presence,
                       &tb_pool_oauth_certificate_record, &self->oauth_certificate);
  add_schema_2 (builder, self);
  add_list (builder, "errors", self->errors, &tb_pool_error_record);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Schema 2: the renewal's view of the pool */

static void
add_certificate_list (JsonBuilder *builder,
                      const char  *name,
                      GPtrArray   *list)
{
  if (list == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (list, i);

      json_builder_begin_object (builder);
      if (c->role != NULL)
        tb_json_add_string (builder, "role", c->role);
      tb_json_add_string (builder, "thumbprint", c->thumbprint);
      tb_json_add_string (builder, "subject", c->subject);
      if (c->role == NULL)
        tb_json_add_string (builder, "issuer", c->issuer);
      add_date (builder, "notBefore", c->not_before);
      add_date (builder, "notAfter", c->not_after);
      if (c->role != NULL)
        add_date (builder, "effectiveDate", c->effective_date);
      json_builder_set_member_name (builder, "keySize");
      if (c->key_size > 0)
        json_builder_add_int_value (builder, c->key_size);
      else
        json_builder_add_null_value (builder);
      tb_json_add_string (builder, "rawData", c->raw_data);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_schema_2 (JsonBuilder *builder,
              TbPoolState *self)
{
  add_certificate_list (builder, "oauthCertificates", self->oauth_certificates);
  add_certificate_list (builder, "candidates", self->candidates);
}

guint
tb_pool_state_get_schema (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), 0);
  return self->schema;
}

GPtrArray *
tb_pool_state_get_oauth_certificates (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->oauth_certificates;
}

GPtrArray *
tb_pool_state_get_candidates (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->candidates;
}

const TbPoolCertificate *
tb_pool_state_find_oauth_certificate (TbPoolState *self,
                                      const char  *role)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (role != NULL, NULL);

  for (guint i = 0; self->oauth_certificates != NULL && i < self->oauth_certificates->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (self->oauth_certificates, i);

      if (g_strcmp0 (c->role, role) == 0)
        return c;
    }
  return NULL;
}

static const TbPoolCertificate *
find_by_thumbprint (GPtrArray  *list,
                    const char *thumbprint)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (list, i);

      if (c->thumbprint != NULL && g_ascii_strcasecmp (c->thumbprint, thumbprint) == 0)
        return c;
    }
  return NULL;
}

const TbPoolCertificate *
tb_pool_state_find_certificate (TbPoolState *self,
                                const char  *thumbprint)
{
  const TbPoolCertificate *found;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (thumbprint != NULL, NULL);

  found = find_by_thumbprint (self->candidates, thumbprint);
  return found != NULL ? found : find_by_thumbprint (self->oauth_certificates, thumbprint);
}

TbCertificate *
tb_pool_state_get_staged_certificate (TbPoolState *self)
{
  const TbPoolCertificate *staged;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  staged = tb_pool_state_find_oauth_certificate (self, TB_POOL_CERT_ROLE_STAGED);
  return staged != NULL ? staged->certificate : NULL;
}

GDateTime *
tb_pool_state_get_staged_effective_date (TbPoolState *self)
{
  const TbPoolCertificate *staged;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  staged = tb_pool_state_find_oauth_certificate (self, TB_POOL_CERT_ROLE_STAGED);
  return staged != NULL ? staged->effective_date : NULL;
}
