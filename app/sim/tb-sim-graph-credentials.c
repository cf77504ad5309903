/* tb-sim-graph-credentials.c: keyCredentials as a servicePrincipal PATCH sends them: checked
 * as Graph checks them, kept when sent back unchanged, filled in from the certificate when new
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-graph-credentials"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-sim-graph-private.h"

/* RFC 4648 §4 only: what OData's Edm.Binary accepts. PEM armour, line breaks and the
 * base64url alphabet are refused. */
static GBytes *
decode_base64_strict (const char *text)
{
  gsize len = strlen (text);
  gsize out_len = 0;
  guchar *data;

  if (len == 0 || len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && (i == len - 1 || (i == len - 2 && text[len - 1] == '=')))
        continue;
      return NULL;
    }
  data = g_base64_decode (text, &out_len);
  return g_bytes_new_take (data, out_len);
}

gboolean
_tb_sim_graph_is_string_or_null (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

static const char *
string_or_null (JsonObject *o,
                const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

TbSimReply *
_tb_sim_graph_type_error (GraphRequest *req,
                          const char   *edm_type,
                          const char   *property)
{
  return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                               "Cannot convert the value of property '%s' to the expected "
                               "type '%s'.", property, edm_type);
}

static TbSimReply *
invalid_kc_value (GraphRequest *req,
                  const char   *property)
{
  return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                               "Invalid value specified for property '%s' of resource "
                               "'KeyCredential'.", property);
}

static GDateTime *
parse_date (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (text, utc);
}

static gboolean
same_instant (const char *a,
              const char *b)
{
  g_autoptr(GDateTime) da = parse_date (a);
  g_autoptr(GDateTime) db = parse_date (b);

  return da != NULL && db != NULL && g_date_time_compare (da, db) == 0;
}

/* The fields of one requested key credential, decoded and checked for their types. */
typedef struct
{
  const char *key_id;
  const char *key_text;
  const char *type;
  const char *usage;
  const char *display_name;
  const char *custom;
  const char *start_text;
  const char *end_text;
  GBytes *key;
  GDateTime *start;
  GDateTime *end;
} KeyCredentialRequest;

static void
key_credential_request_clear (KeyCredentialRequest *kr)
{
  g_clear_pointer (&kr->key, g_bytes_unref);
  g_clear_pointer (&kr->start, g_date_time_unref);
  g_clear_pointer (&kr->end, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KeyCredentialRequest, key_credential_request_clear)

/* Every member must be a keyCredential property, spelled as Graph spells it, and a string. */
static TbSimReply *
check_key_credential_members (GraphRequest *req,
                              JsonObject   *in)
{
  g_autoptr(GList) members = json_object_get_members (in);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (in, name);

      if (g_str_equal (name, "@odata.type"))
        continue;
      if (_tb_sim_graph_canonical_property (_tb_sim_graph_kc_properties, name) == NULL ||
          !g_str_equal (_tb_sim_graph_canonical_property (_tb_sim_graph_kc_properties, name), name))
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "The property '%s' does not exist on type "
                                     "'microsoft.graph.keyCredential'. Make sure to only use "
                                     "property names that are defined by the type.", name);
      if (!_tb_sim_graph_is_string_or_null (node))
        {
          const char *edm = g_str_equal (name, "keyId") ? "Edm.Guid"
                          : g_str_equal (name, "key") || g_str_equal (name, "customKeyIdentifier")
                            ? "Edm.Binary"
                          : g_str_has_suffix (name, "DateTime") ? "Edm.DateTimeOffset"
                          : "Edm.String";
          return _tb_sim_graph_type_error (req, edm, name);
        }
    }
  return NULL;
}

/* Reads the fields of @in into @kr and refuses values that do not convert to their EDM types. */
static TbSimReply *
read_key_credential_request (GraphRequest         *req,
                             JsonObject           *in,
                             KeyCredentialRequest *kr)
{
  kr->key_id = string_or_null (in, "keyId");
  kr->key_text = string_or_null (in, "key");
  kr->type = string_or_null (in, "type");
  kr->usage = string_or_null (in, "usage");
  kr->display_name = string_or_null (in, "displayName");
  kr->custom = string_or_null (in, "customKeyIdentifier");
  kr->start_text = string_or_null (in, "startDateTime");
  kr->end_text = string_or_null (in, "endDateTime");

  if (kr->key_id != NULL && !tb_sim_is_guid (kr->key_id))
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Cannot convert the literal '%s' to the expected type "
                                 "'Edm.Guid'.", kr->key_id);
  if (kr->key_text != NULL && (kr->key = decode_base64_strict (kr->key_text)) == NULL)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                "Cannot convert a primitive value to the expected type "
                                "'Edm.Binary'. See the inner exception for more details.");
  if (kr->custom != NULL)
    {
      g_autoptr(GBytes) decoded = decode_base64_strict (kr->custom);

      if (decoded == NULL)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                    "Cannot convert a primitive value to the expected type "
                                    "'Edm.Binary'. See the inner exception for more details.");
    }
  if ((kr->start_text != NULL && (kr->start = parse_date (kr->start_text)) == NULL) ||
      (kr->end_text != NULL && (kr->end = parse_date (kr->end_text)) == NULL))
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Cannot convert the literal '%s' to the expected type "
                                 "'Edm.DateTimeOffset'.",
                                 kr->start == NULL && kr->start_text != NULL ? kr->start_text
                                                                             : kr->end_text);
  if (kr->display_name != NULL && g_utf8_strlen (kr->display_name, -1) > MAX_KEY_DISPLAY_NAME)
    return invalid_kc_value (req, "displayName");
  return NULL;
}

/* Whether @kr, naming the existing entry @old by its keyId, sends it back unchanged. */
static gboolean
key_credential_unchanged (const KeyCredentialRequest *kr,
                          JsonObject                 *old)
{
  const char *old_start = string_or_null (old, "startDateTime");
  const char *old_end = string_or_null (old, "endDateTime");

  return !(kr->key_text == NULL || g_strcmp0 (kr->key_text, string_or_null (old, "key")) != 0 ||
           g_strcmp0 (kr->type, string_or_null (old, "type")) != 0 ||
           g_strcmp0 (kr->usage, string_or_null (old, "usage")) != 0 ||
           (kr->display_name != NULL &&
            g_strcmp0 (kr->display_name, string_or_null (old, "displayName")) != 0) ||
           (kr->custom != NULL &&
            g_strcmp0 (kr->custom, string_or_null (old, "customKeyIdentifier")) != 0) ||
           (kr->start_text != NULL && !same_instant (kr->start_text, old_start)) ||
           (kr->end_text != NULL && !same_instant (kr->end_text, old_end)));
}

/* The existing entry of @existing with @kr's keyId, or NULL. */
static JsonObject *
find_existing_key_credential (const KeyCredentialRequest *kr,
                              JsonArray                  *existing)
{
  for (guint i = 0; existing != NULL && i < json_array_get_length (existing); i++)
    {
      JsonObject *old = json_array_get_object_element (existing, i);

      if (g_ascii_strcasecmp (string_or_null (old, "keyId"), kr->key_id) == 0)
        return old;
    }
  return NULL;
}

/* A new entry must be an X.509 certificate used to verify, valid over its dates; the
 * certificate is returned in @cert. */
static TbSimReply *
check_new_key_credential (GraphRequest          *req,
                          KeyCredentialRequest  *kr,
                          TbCertificate        **cert)
{
  if (g_strcmp0 (kr->type, "AsymmetricX509Cert") != 0)
    return invalid_kc_value (req, "type");
  /* A certificate without its private key can only verify. */
  if (g_strcmp0 (kr->usage, "Verify") != 0)
    return invalid_kc_value (req, "usage");
  if (kr->key == NULL || (*cert = tb_certificate_new_from_der (kr->key, NULL)) == NULL)
    return invalid_kc_value (req, "key");

  if (kr->start == NULL)
    kr->start = g_date_time_ref (tb_certificate_get_not_before (*cert));
  if (kr->end == NULL)
    kr->end = g_date_time_ref (tb_certificate_get_not_after (*cert));
  if (g_date_time_compare (kr->end, tb_certificate_get_not_after (*cert)) > 0 ||
      g_date_time_compare (kr->end, kr->start) <= 0)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidEndDate",
                                "Key credential end date is invalid.");
  if (g_date_time_compare (kr->start, tb_certificate_get_not_before (*cert)) < 0)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidStartDate",
                                "Key credential start date is invalid.");
  return NULL;
}

/* The stored form of a new entry, with what Graph fills in from the certificate. */
static JsonObject *
new_key_credential (const KeyCredentialRequest *kr,
                    TbCertificate              *cert)
{
  JsonObject *out = json_object_new ();
  g_autofree char *end = tb_format_iso8601_utc (kr->end);
  g_autofree char *b64 = tb_certificate_dup_base64 (cert);
  g_autofree char *new_id = kr->key_id ? g_ascii_strdown (kr->key_id, -1) : tb_sim_new_guid ();
  g_autofree char *start = tb_format_iso8601_utc (kr->start);

  /* customKeyIdentifier is Edm.Binary. When the client leaves it out, Graph fills in the
   * certificate thumbprint, and what it shows is the upper-case SHA-1 hex string: that text
   * happens to be valid Base64, so it round-trips unchanged as a binary value. The simulator
   * stores exactly that string. */
  json_object_set_string_member (out, "customKeyIdentifier",
                                 kr->custom ? kr->custom : tb_certificate_get_sha1 (cert));
  json_object_set_string_member (out, "displayName",
                                 kr->display_name ? kr->display_name
                                                  : tb_certificate_get_subject (cert));
  json_object_set_string_member (out, "endDateTime", end);
  json_object_set_string_member (out, "key", b64);
  json_object_set_string_member (out, "keyId", new_id);
  json_object_set_string_member (out, "startDateTime", start);
  json_object_set_string_member (out, "type", kr->type);
  json_object_set_string_member (out, "usage", kr->usage);
  return out;
}

/* Builds the stored form of one requested key credential, or the error Graph gives. */
static JsonObject *
build_key_credential (GraphRequest  *req,
                      JsonObject    *in,
                      JsonArray     *existing,
                      TbSimReply   **error)
{
  g_auto(KeyCredentialRequest) kr = { 0 };
  g_autoptr(TbCertificate) cert = NULL;

  if ((*error = check_key_credential_members (req, in)) != NULL ||
      (*error = read_key_credential_request (req, in, &kr)) != NULL)
    return NULL;

  /* An existing keyId: the entry is kept only if it is sent back unchanged. */
  if (kr.key_id != NULL)
    {
      JsonObject *old = find_existing_key_credential (&kr, existing);

      if (old != NULL && !key_credential_unchanged (&kr, old))
        {
          *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                         "Update to existing credential with KeyId '%s' is not "
                                         "allowed.", kr.key_id);
          return NULL;
        }
      if (old != NULL)
        return tb_sim_json_object_deep_copy (old);
    }

  if ((*error = check_new_key_credential (req, &kr, &cert)) != NULL)
    return NULL;
  return new_key_credential (&kr, cert);
}

/* keyCredentials replaces the collection whole: builds the stored form of each entry into
 * @result, refusing too many entries and duplicate keyIds. */
TbSimReply *
_tb_sim_graph_build_key_credentials (GraphRequest *req,
                                     JsonObject   *sp,
                                     const char   *name,
                                     JsonNode     *node,
                                     JsonArray    *result)
{
  JsonArray *array;
  JsonArray *existing = json_object_get_array_member (sp, "keyCredentials");
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TbSimReply *error = NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _tb_sim_graph_type_error (req, "Collection(microsoft.graph.keyCredential)", name);
  array = json_node_get_array (node);
  if (json_array_get_length (array) > TB_SIM_MAX_KEYS)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST,
                                "Directory_ResourceSizeExceeded",
                                "The size of the object has exceeded its limit. Please "
                                "reduce the number of values and retry your request.");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonObject *kc;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        return _tb_sim_graph_type_error (req, "microsoft.graph.keyCredential", name);
      kc = build_key_credential (req, json_node_get_object (e), existing, &error);
      if (kc == NULL)
        return error;
      if (!g_hash_table_add (ids, g_ascii_strdown (json_object_get_string_member (kc, "keyId"),
                                                   -1)))
        {
          json_object_unref (kc);
          return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                      "Duplicate keyId in keyCredentials.");
        }
      json_array_add_object_element (result, kc);
    }
  return NULL;
}
