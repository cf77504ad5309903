/* tb-sim-graph-principals.c: organization and servicePrincipals: list, GET and PATCH (which
 * replaces collections whole)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-json.h"
#include "tb-sim-graph-private.h"

/* ---- handlers ----------------------------------------------------------------------- */

TbSimReply *
_tb_sim_graph_get_organization (GraphRequest *req)
{
  TbSim *self = req->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *context = g_strdup_printf ("%s/v1.0/$metadata#organization", self->graph_base);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->tenant_id);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, self->org_display_name);
  json_builder_set_member_name (b, "countryLetterCode");
  json_builder_add_string_value (b, "US");
  json_builder_set_member_name (b, "tenantType");
  json_builder_add_string_value (b, "AAD");
  json_builder_set_member_name (b, "verifiedDomains");
  json_builder_begin_array (b);
  for (guint i = 0; self->domains[i] != NULL; i++)
    {
      gboolean initial = (i == 0);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "capabilities");
      json_builder_add_string_value (b, initial ? "Email, OfficeCommunicationsOnline"
                                                : "Email, OfficeCommunicationsOnline, "
                                                  "FullRedelegation");
      json_builder_set_member_name (b, "isDefault");
      json_builder_add_boolean_value (b, !initial);
      json_builder_set_member_name (b, "isInitial");
      json_builder_add_boolean_value (b, initial);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, self->domains[i]);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "Managed");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return _tb_sim_graph_reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

static gboolean
parse_uint (const char *s,
            guint64     max,
            guint64    *out)
{
  char *end = NULL;
  guint64 v;

  if (s == NULL || *s == '\0' || !g_ascii_isdigit (*s))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (s, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static void
append_param (GString    *s,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (s, s->str[s->len - 1] == '?' ? '?' : '&');
  if (s->str[s->len - 1] == '?' && s->str[s->len - 2] == '?')
    g_string_truncate (s, s->len - 1);
  g_string_append_printf (s, "%s=%s", name, escaped);
}

TbSimReply *
_tb_sim_graph_list_service_principals (GraphRequest *req)
{
  TbSim *self = req->self;
  const char *filter_text = NULL;
  const char *top_text = NULL;
  const char *skip_text = NULL;
  const char *count_text = NULL;
  g_autoptr(GPtrArray) select = NULL;
  g_autoptr(Filter) filter = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  TbSimReply *error = NULL;
  guint64 top = DEFAULT_TOP;
  guint64 offset = 0;
  gboolean count = FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *context = NULL;
  guint total;
  guint scan;

  if (req->query != NULL)
    {
      GHashTableIter iter;
      const char *key;

      g_hash_table_iter_init (&iter, req->query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        {
          if (key[0] != '$')
            continue;
          if (!g_str_equal (key, "$filter") && !g_str_equal (key, "$select") &&
              !g_str_equal (key, "$top") && !g_str_equal (key, "$skiptoken") &&
              !g_str_equal (key, "$count"))
            return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_UnsupportedQuery",
                                         "The query option '%s' is not supported on this "
                                         "resource.", key);
        }
      filter_text = g_hash_table_lookup (req->query, "$filter");
      top_text = g_hash_table_lookup (req->query, "$top");
      skip_text = g_hash_table_lookup (req->query, "$skiptoken");
      count_text = g_hash_table_lookup (req->query, "$count");
    }

  if (!_tb_sim_graph_parse_select (req, &select, &error))
    return error;

  if (top_text != NULL && (!parse_uint (top_text, G_MAXUINT32, &top) || top < 1 || top > MAX_TOP))
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Invalid page size specified: '%s'. Must be between 1 and %u "
                                 "inclusive.", top_text, MAX_TOP);

  if (count_text != NULL)
    {
      const char *consistency = soup_message_headers_get_one (req->headers, "ConsistencyLevel");

      if (g_ascii_strcasecmp (count_text, "true") == 0)
        count = TRUE;
      else if (g_ascii_strcasecmp (count_text, "false") != 0)
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Invalid $count value '%s'.", count_text);
      /* Advanced queries need the header; without it Graph refuses rather than guessing. */
      if (count && g_ascii_strcasecmp (consistency ? consistency : "", "eventual") != 0)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                    "$count is not currently supported.");
    }

  if (skip_text != NULL)
    {
      gpointer value = g_hash_table_lookup (self->skip_tokens, skip_text);

      if (value == NULL)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                    "Skip token is null or invalid.");
      offset = GPOINTER_TO_UINT (value) - 1;
    }

  if (filter_text != NULL)
    {
      Lexer lx = { filter_text, NULL, FALSE, 0 };

      filter = _tb_sim_graph_parse_or (&lx);
      if (filter != NULL && (_tb_sim_graph_skip_ws (&lx), *lx.p != '\0'))
        {
          g_clear_pointer (&filter, _tb_sim_graph_filter_free);
          lx.error = g_strdup_printf ("Invalid filter clause: syntax error at '%s'.", lx.p);
        }
      if (filter == NULL)
        {
          g_autofree char *message = lx.error ? lx.error : g_strdup ("Invalid filter clause");

          return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST,
                                      lx.unsupported ? "Request_UnsupportedQuery" : "BadRequest",
                                      message);
        }
    }

  /* Some directories refuse this filter; the client must then page through everything. */
  if (filter_text != NULL && self->owner_filter_refused)
    {
      g_autofree char *lower = g_ascii_strdown (filter_text, -1);

      if (strstr (lower, "appownerorganizationid") != NULL)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_UnsupportedQuery",
                                    "Unsupported or invalid query filter clause specified for "
                                    "property 'appOwnerOrganizationId' of resource "
                                    "'ServicePrincipal'.");
    }

  /* One pass from where the last page stopped, holding only this page's principals: a large
   * tenant's principals are made up as they are read (tb-sim-population.c). The skip token
   * stands for the position in the whole listing. */
  total = tb_sim_population_size (self);
  for (scan = offset; scan < total; scan++)
    {
      g_autoptr(JsonObject) sp = tb_sim_population_get (self, scan);

      if (filter != NULL && !_tb_sim_graph_filter_matches (filter, sp))
        continue;
      if (matches->len == top)
        break;
      g_ptr_array_add (matches, g_steal_pointer (&sp));
    }

  context = _tb_sim_graph_context_url (self, select, FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  /* Counted on the first page: counting again on every page would read the whole tenant
   * once a page. */
  if (count && skip_text == NULL)
    {
      guint n = 0;

      for (guint i = 0; i < total; i++)
        {
          g_autoptr(JsonObject) sp = tb_sim_population_get (self, i);

          if (filter == NULL || _tb_sim_graph_filter_matches (filter, sp))
            n++;
        }
      json_builder_set_member_name (b, "@odata.count");
      json_builder_add_int_value (b, n);
    }

  if (scan < total)
    {
      GString *next = g_string_new (self->graph_base);
      g_autofree char *token = tb_sim_random_token (24);

      /* The token is opaque, as Graph's is: clients must follow the link verbatim. */
      if (g_hash_table_size (self->skip_tokens) > 100000)
        g_hash_table_remove_all (self->skip_tokens);
      g_hash_table_insert (self->skip_tokens, g_strdup (token), GUINT_TO_POINTER (scan + 1));

      g_string_append (next, "/v1.0/servicePrincipals?");
      if (filter_text != NULL)
        append_param (next, "$filter", filter_text);
      if (req->query != NULL && g_hash_table_lookup (req->query, "$select") != NULL)
        append_param (next, "$select", g_hash_table_lookup (req->query, "$select"));
      if (top_text != NULL)
        append_param (next, "$top", top_text);
      if (count_text != NULL)
        append_param (next, "$count", count_text);
      append_param (next, "$skiptoken", token);
      json_builder_set_member_name (b, "@odata.nextLink");
      json_builder_add_string_value (b, next->str);
      g_string_free (next, TRUE);
    }

  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  for (guint i = 0; i < matches->len; i++)
    {
      JsonObject *item = _tb_sim_graph_serialize_sp (g_ptr_array_index (matches, i), select, FALSE);
      JsonNode *node = json_node_init_object (json_node_alloc (), item);

      json_builder_add_value (b, node);
      json_object_unref (item);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return _tb_sim_graph_reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

/* Graph limits single-object reads that return keys: 150 a minute per tenant. */
static TbSimReply *
take_key_read (GraphRequest *req)
{
  TbSim *self = req->self;
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->key_reads) &&
         now - *(gint64 *) g_queue_peek_head (&self->key_reads) >= KEY_READ_WINDOW)
    g_free (g_queue_pop_head (&self->key_reads));

  if (g_queue_get_length (&self->key_reads) >= TB_SIM_KEYS_PER_MIN)
    {
      gint64 oldest = *(gint64 *) g_queue_peek_head (&self->key_reads);
      gint64 wait_us = KEY_READ_WINDOW - (now - oldest);
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                MAX (1, (wait_us + G_USEC_PER_SEC - 1) /
                                                        G_USEC_PER_SEC));
      TbSimReply *reply = _tb_sim_graph_error (req, 429, "TooManyRequests",
                                               "Too many requests for keyCredentials. Please retry "
                                               "again later.");

      tb_sim_reply_add_header (reply, "Retry-After", retry);
      return reply;
    }

  g_queue_push_tail (&self->key_reads, g_memdup2 (&now, sizeof now));
  return NULL;
}

TbSimReply *
_tb_sim_graph_get_service_principal (GraphRequest *req,
                                     JsonObject   *sp)
{
  g_autoptr(GPtrArray) select = NULL;
  TbSimReply *error = NULL;
  gboolean with_keys = FALSE;
  JsonObject *out;
  g_autofree char *context = NULL;

  if (!_tb_sim_graph_parse_select (req, &select, &error))
    return error;
  if (select != NULL && g_ptr_array_find_with_equal_func (select, "keyCredentials", g_str_equal,
                                                         NULL))
    {
      error = take_key_read (req);
      if (error != NULL)
        return error;
      with_keys = TRUE;
    }

  out = _tb_sim_graph_serialize_sp (sp, select, with_keys);
  context = _tb_sim_graph_context_url (req->self, select, TRUE);
  json_object_set_string_member (out, "@odata.context", context);
  return _tb_sim_graph_reply_json (SOUP_STATUS_OK, json_node_init_object (json_node_alloc (), out));
}

/* ---- PATCH -------------------------------------------------------------------------- */

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

/* json-glib recurses per nesting level and reads comments and single quotes; the same strict
 * gate as the client's (RFC 8259 JSON, bounded depth) keeps a hostile body from it. Graph
 * refuses such a payload with 400 too. */
static gboolean
depth_ok (GBytes *body)
{
  gsize len;
  const char *p = g_bytes_get_data (body, &len);

  return tb_json_check (p, len, MAX_DEPTH, NULL);
}

JsonNode *
_tb_sim_graph_parse_json_body (GraphRequest  *req,
                               TbSimReply   **error)
{
  const char *type = soup_message_headers_get_content_type (req->headers, NULL);
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0 || len == 0 ||
      !depth_ok (req->body))
    {
      *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                    "Unable to read JSON request payload. Please ensure "
                                    "Content-Type header is set and payload is of valid JSON "
                                    "format.");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                    "Unable to read JSON request payload. Please ensure "
                                    "Content-Type header is set and payload is of valid JSON "
                                    "format.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
is_string_or_null (JsonNode *node)
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

static TbSimReply *
type_error (GraphRequest *req,
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

/* Builds the stored form of one requested key credential, or the error Graph gives. */
static JsonObject *
build_key_credential (GraphRequest  *req,
                      JsonObject    *in,
                      JsonArray     *existing,
                      TbSimReply   **error)
{
  g_autoptr(GList) members = json_object_get_members (in);
  const char *key_id;
  const char *key_text;
  const char *type;
  const char *usage;
  const char *display_name;
  const char *custom;
  const char *start_text;
  const char *end_text;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(TbCertificate) cert = NULL;
  JsonObject *out;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (in, name);

      if (g_str_equal (name, "@odata.type"))
        continue;
      if (_tb_sim_graph_canonical_property (_tb_sim_graph_kc_properties, name) == NULL ||
          !g_str_equal (_tb_sim_graph_canonical_property (_tb_sim_graph_kc_properties, name), name))
        {
          *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                         "The property '%s' does not exist on type "
                                         "'microsoft.graph.keyCredential'. Make sure to only use "
                                         "property names that are defined by the type.", name);
          return NULL;
        }
      if (!is_string_or_null (node))
        {
          const char *edm = g_str_equal (name, "keyId") ? "Edm.Guid"
                          : g_str_equal (name, "key") || g_str_equal (name, "customKeyIdentifier")
                            ? "Edm.Binary"
                          : g_str_has_suffix (name, "DateTime") ? "Edm.DateTimeOffset"
                          : "Edm.String";
          *error = type_error (req, edm, name);
          return NULL;
        }
    }

  key_id = string_or_null (in, "keyId");
  key_text = string_or_null (in, "key");
  type = string_or_null (in, "type");
  usage = string_or_null (in, "usage");
  display_name = string_or_null (in, "displayName");
  custom = string_or_null (in, "customKeyIdentifier");
  start_text = string_or_null (in, "startDateTime");
  end_text = string_or_null (in, "endDateTime");

  if (key_id != NULL && !tb_sim_is_guid (key_id))
    {
      *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Cannot convert the literal '%s' to the expected type "
                                     "'Edm.Guid'.", key_id);
      return NULL;
    }
  if (key_text != NULL && (key = decode_base64_strict (key_text)) == NULL)
    {
      *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                    "Cannot convert a primitive value to the expected type "
                                    "'Edm.Binary'. See the inner exception for more details.");
      return NULL;
    }
  if (custom != NULL)
    {
      g_autoptr(GBytes) decoded = decode_base64_strict (custom);

      if (decoded == NULL)
        {
          *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                        "Cannot convert a primitive value to the expected type "
                                        "'Edm.Binary'. See the inner exception for more details.");
          return NULL;
        }
    }
  if ((start_text != NULL && (start = parse_date (start_text)) == NULL) ||
      (end_text != NULL && (end = parse_date (end_text)) == NULL))
    {
      *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Cannot convert the literal '%s' to the expected type "
                                     "'Edm.DateTimeOffset'.", start == NULL && start_text != NULL
                                                      ? start_text : end_text);
      return NULL;
    }
  if (display_name != NULL && g_utf8_strlen (display_name, -1) > MAX_KEY_DISPLAY_NAME)
    {
      *error = invalid_kc_value (req, "displayName");
      return NULL;
    }

  /* An existing keyId: the entry is kept only if it is sent back unchanged. */
  if (key_id != NULL)
    {
      for (guint i = 0; existing != NULL && i < json_array_get_length (existing); i++)
        {
          JsonObject *old = json_array_get_object_element (existing, i);
          const char *old_start;
          const char *old_end;

          if (g_ascii_strcasecmp (string_or_null (old, "keyId"), key_id) != 0)
            continue;
          old_start = string_or_null (old, "startDateTime");
          old_end = string_or_null (old, "endDateTime");
          if (key_text == NULL || g_strcmp0 (key_text, string_or_null (old, "key")) != 0 ||
              g_strcmp0 (type, string_or_null (old, "type")) != 0 ||
              g_strcmp0 (usage, string_or_null (old, "usage")) != 0 ||
              (display_name != NULL &&
               g_strcmp0 (display_name, string_or_null (old, "displayName")) != 0) ||
              (custom != NULL && g_strcmp0 (custom, string_or_null (old, "customKeyIdentifier")) != 0) ||
              (start_text != NULL && !same_instant (start_text, old_start)) ||
              (end_text != NULL && !same_instant (end_text, old_end)))
            {
              *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                             "Update to existing credential with KeyId '%s' is not "
                                             "allowed.", key_id);
              return NULL;
            }
          return tb_sim_json_object_deep_copy (old);
        }
    }

  if (g_strcmp0 (type, "AsymmetricX509Cert") != 0)
    {
      *error = invalid_kc_value (req, "type");
      return NULL;
    }
  /* A certificate without its private key can only verify. */
  if (g_strcmp0 (usage, "Verify") != 0)
    {
      *error = invalid_kc_value (req, "usage");
      return NULL;
    }
  if (key == NULL || (cert = tb_certificate_new_from_der (key, NULL)) == NULL)
    {
      *error = invalid_kc_value (req, "key");
      return NULL;
    }

  if (start == NULL)
    start = g_date_time_ref (tb_certificate_get_not_before (cert));
  if (end == NULL)
    end = g_date_time_ref (tb_certificate_get_not_after (cert));
  if (g_date_time_compare (end, tb_certificate_get_not_after (cert)) > 0 ||
      g_date_time_compare (end, start) <= 0)
    {
      *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidEndDate",
                                    "Key credential end date is invalid.");
      return NULL;
    }
  if (g_date_time_compare (start, tb_certificate_get_not_before (cert)) < 0)
    {
      *error = _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidStartDate",
                                    "Key credential start date is invalid.");
      return NULL;
    }

  out = json_object_new ();
  /* customKeyIdentifier is Edm.Binary. When the client leaves it out, Graph fills in the
   * certificate thumbprint, and what it shows is the upper-case SHA-1 hex string: that text
   * happens to be valid Base64, so it round-trips unchanged as a binary value. The simulator
   * stores exactly that string. */
  json_object_set_string_member (out, "customKeyIdentifier",
                                 custom ? custom : tb_certificate_get_sha1 (cert));
  json_object_set_string_member (out, "displayName",
                                 display_name ? display_name : tb_certificate_get_subject (cert));
  {
    g_autofree char *s = tb_format_iso8601_utc (end);
    json_object_set_string_member (out, "endDateTime", s);
  }
  {
    g_autofree char *b64 = tb_certificate_dup_base64 (cert);
    json_object_set_string_member (out, "key", b64);
  }
  {
    g_autofree char *new_id = key_id ? g_ascii_strdown (key_id, -1) : tb_sim_new_guid ();
    json_object_set_string_member (out, "keyId", new_id);
  }
  {
    g_autofree char *s = tb_format_iso8601_utc (start);
    json_object_set_string_member (out, "startDateTime", s);
  }
  json_object_set_string_member (out, "type", type);
  json_object_set_string_member (out, "usage", usage);
  return out;
}

static gboolean
spn_taken_elsewhere (TbSim      *self,
                     JsonObject *sp,
                     const char *name)
{
  for (guint i = 0; i < self->principals->len; i++)
    {
      JsonObject *other = g_ptr_array_index (self->principals, i);
      JsonArray *names;

      if (other == sp)
        continue;
      names = json_object_get_array_member (other, "servicePrincipalNames");
      for (guint j = 0; names != NULL && j < json_array_get_length (names); j++)
        if (g_ascii_strcasecmp (json_array_get_string_element (names, j), name) == 0)
          return TRUE;
    }
  return FALSE;
}

TbSimReply *
_tb_sim_graph_patch_service_principal (GraphRequest *req,
                                       JsonObject   *sp)
{
  TbSim *self = req->self;
  TbSimReply *error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *patch;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) updated = json_object_new ();
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  if (!(req->perms & TB_SIM_PERM_WRITE))
    return _tb_sim_graph_insufficient_privileges (req);

  root = _tb_sim_graph_parse_json_body (req, &error);
  if (root == NULL)
    return error;
  patch = json_node_get_object (root);

  /* Validate everything first: a refused PATCH changes nothing. */
  members = json_object_get_members (patch);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (patch, name);

      if (g_str_equal (name, "@odata.type"))
        continue;
      if (g_str_equal (name, "accountEnabled"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return type_error (req, "Edm.Boolean", name);
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "notes"))
        {
          if (!is_string_or_null (node))
            return type_error (req, "Edm.String", name);
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "servicePrincipalNames") || g_str_equal (name, "tags"))
        {
          JsonArray *array;
          g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return type_error (req, "Collection(Edm.String)", name);
          array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *e = json_array_get_element (array, i);
              g_autofree char *folded = NULL;

              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                return type_error (req, "Collection(Edm.String)", name);
              folded = g_utf8_casefold (json_node_get_string (e), -1);
              if (!g_hash_table_add (seen, g_steal_pointer (&folded)))
                return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                             "Property '%s' contains duplicate values.", name);
              if (g_str_equal (name, "servicePrincipalNames") &&
                  spn_taken_elsewhere (self, sp, json_node_get_string (e)))
                return _tb_sim_graph_error (req, SOUP_STATUS_CONFLICT,
                                            "Request_MultipleObjectsWithSameKeyValue",
                                            "Another object with the same value for property "
                                            "servicePrincipalNames already exists.");
            }
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "keyCredentials"))
        {
          JsonArray *array;
          JsonArray *result;
          JsonArray *existing = json_object_get_array_member (sp, "keyCredentials");
          g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return type_error (req, "Collection(microsoft.graph.keyCredential)", name);
          array = json_node_get_array (node);
          if (json_array_get_length (array) > TB_SIM_MAX_KEYS)
            return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST,
                                        "Directory_ResourceSizeExceeded",
                                        "The size of the object has exceeded its limit. Please "
                                        "reduce the number of values and retry your request.");
          result = json_array_new ();
          json_object_set_array_member (updated, name, result);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *e = json_array_get_element (array, i);
              JsonObject *kc;

              if (!JSON_NODE_HOLDS_OBJECT (e))
                return type_error (req, "microsoft.graph.keyCredential", name);
              kc = build_key_credential (req, json_node_get_object (e), existing, &error);
              if (kc == NULL)
                return error;
              if (!g_hash_table_add (ids, g_ascii_strdown (json_object_get_string_member (kc,
                                                                                         "keyId"),
                                                           -1)))
                {
                  json_object_unref (kc);
                  return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                              "Duplicate keyId in keyCredentials.");
                }
              json_array_add_object_element (result, kc);
            }
        }
      else if (_tb_sim_graph_canonical_property (_tb_sim_graph_sp_properties, name) != NULL)
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Property '%s' is read-only and cannot be set.", name);
      else
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "The property '%s' does not exist on type "
                                     "'microsoft.graph.servicePrincipal'. Make sure to only use "
                                     "property names that are defined by the type.", name);
    }

  {
    g_autoptr(JsonObject) snapshot = tb_sim_json_object_deep_copy (sp);
    before = json_node_init_object (json_node_alloc (), snapshot);
  }
  {
    g_autoptr(GList) names = json_object_get_members (updated);

    for (GList *l = names; l != NULL; l = l->next)
      json_object_set_member (sp, l->data,
                              tb_sim_json_deep_copy (json_object_get_member (updated, l->data)));
  }
  after = json_node_init_object (json_node_alloc (), sp);
  if (!json_node_equal (before, after))
    self->write_count++;

  return tb_sim_reply_new (SOUP_STATUS_NO_CONTENT);
}
