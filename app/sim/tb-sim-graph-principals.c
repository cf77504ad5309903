/* tb-sim-graph-principals.c: organization and servicePrincipals: list, GET and PATCH (which
 * replaces collections whole)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-graph-principals"

#include "config.h"

#include <string.h>

#include "tb-dl-soup.h"
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

/* Graph refuses query options the servicePrincipals collection does not take. */
static TbSimReply *
check_list_options (GraphRequest *req)
{
  GHashTableIter iter;
  const char *key;

  if (req->query == NULL)
    return NULL;
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
  return NULL;
}

static const char *
query_option (GraphRequest *req,
              const char   *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

static TbSimReply *
parse_list_top (GraphRequest *req,
                const char   *top_text,
                guint64      *top)
{
  if (top_text != NULL && (!parse_uint (top_text, G_MAXUINT32, top) || *top < 1 || *top > MAX_TOP))
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Invalid page size specified: '%s'. Must be between 1 and %u "
                                 "inclusive.", top_text, MAX_TOP);
  return NULL;
}

static TbSimReply *
parse_list_count (GraphRequest *req,
                  const char   *count_text,
                  gboolean     *count)
{
  const char *consistency;

  if (count_text == NULL)
    return NULL;
  consistency = soup_message_headers_get_one (req->headers, "ConsistencyLevel");
  if (g_ascii_strcasecmp (count_text, "true") == 0)
    *count = TRUE;
  else if (g_ascii_strcasecmp (count_text, "false") != 0)
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Invalid $count value '%s'.", count_text);
  /* Advanced queries need the header; without it Graph refuses rather than guessing. */
  if (*count && g_ascii_strcasecmp (consistency ? consistency : "", "eventual") != 0)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                "$count is not currently supported.");
  return NULL;
}

/* The position in the whole listing that a skip token handed out earlier stands for. */
static TbSimReply *
parse_list_skiptoken (GraphRequest *req,
                      const char   *skip_text,
                      guint64      *offset)
{
  gpointer value;

  if (skip_text == NULL)
    return NULL;
  value = g_hash_table_lookup (req->self->skip_tokens, skip_text);
  if (value == NULL)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                "Skip token is null or invalid.");
  *offset = GPOINTER_TO_UINT (value) - 1;
  return NULL;
}

static TbSimReply *
parse_list_filter (GraphRequest *req,
                   const char   *filter_text,
                   Filter      **out)
{
  g_autoptr(Filter) filter = NULL;
  Lexer lx = { filter_text, NULL, FALSE, 0 };

  if (filter_text == NULL)
    return NULL;
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

  /* Some directories refuse this filter; the client must then page through everything. */
  if (req->self->owner_filter_refused)
    {
      g_autofree char *lower = g_ascii_strdown (filter_text, -1);

      if (strstr (lower, "appownerorganizationid") != NULL)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_UnsupportedQuery",
                                    "Unsupported or invalid query filter clause specified for "
                                    "property 'appOwnerOrganizationId' of resource "
                                    "'ServicePrincipal'.");
    }
  *out = g_steal_pointer (&filter);
  return NULL;
}

/* @odata.count: every principal of the listing that @filter lets through. */
static guint
count_matching (TbSim  *self,
                Filter *filter,
                guint   total)
{
  guint n = 0;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(JsonObject) sp = tb_sim_population_get (self, i);

      if (filter == NULL || _tb_sim_graph_filter_matches (filter, sp))
        n++;
    }
  return n;
}

/* The @odata.nextLink that resumes the listing at @scan with the request's own options. */
static char *
next_link (GraphRequest *req,
           guint         scan)
{
  TbSim *self = req->self;
  GString *next = g_string_new (self->graph_base);
  g_autofree char *token = tb_sim_random_token (24);
  const char * const carried[] = { "$filter", "$select", "$top", "$count" };

  /* The token is opaque, as Graph's is: clients must follow the link verbatim. */
  if (g_hash_table_size (self->skip_tokens) > 100000)
    g_hash_table_remove_all (self->skip_tokens);
  g_hash_table_insert (self->skip_tokens, g_strdup (token), GUINT_TO_POINTER (scan + 1));

  g_string_append (next, "/v1.0/servicePrincipals?");
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    if (query_option (req, carried[i]) != NULL)
      append_param (next, carried[i], query_option (req, carried[i]));
  append_param (next, "$skiptoken", token);
  return g_string_free (next, FALSE);
}

static void
add_principals (JsonBuilder *b,
                GPtrArray   *matches,
                GPtrArray   *select)
{
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
}

TbSimReply *
_tb_sim_graph_list_service_principals (GraphRequest *req)
{
  TbSim *self = req->self;
  const char *filter_text = query_option (req, "$filter");
  const char *top_text = query_option (req, "$top");
  const char *skip_text = query_option (req, "$skiptoken");
  const char *count_text = query_option (req, "$count");
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

  if ((error = check_list_options (req)) != NULL)
    return error;
  if (!_tb_sim_graph_parse_select (req, &select, &error))
    return error;
  if ((error = parse_list_top (req, top_text, &top)) != NULL ||
      (error = parse_list_count (req, count_text, &count)) != NULL ||
      (error = parse_list_skiptoken (req, skip_text, &offset)) != NULL ||
      (error = parse_list_filter (req, filter_text, &filter)) != NULL)
    return error;

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
      json_builder_set_member_name (b, "@odata.count");
      json_builder_add_int_value (b, count_matching (self, filter, total));
    }
  if (scan < total)
    {
      g_autofree char *next = next_link (req, scan);

      json_builder_set_member_name (b, "@odata.nextLink");
      json_builder_add_string_value (b, next);
    }
  add_principals (b, matches, select);
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

/* servicePrincipalNames or tags: strings without duplicates (compared case-folded); a
 * servicePrincipalName must not belong to another principal. */
static TbSimReply *
check_string_collection (GraphRequest *req,
                         JsonObject   *sp,
                         const char   *name,
                         JsonNode     *node)
{
  JsonArray *array;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _tb_sim_graph_type_error (req, "Collection(Edm.String)", name);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      g_autofree char *folded = NULL;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return _tb_sim_graph_type_error (req, "Collection(Edm.String)", name);
      folded = g_utf8_casefold (json_node_get_string (e), -1);
      if (!g_hash_table_add (seen, g_steal_pointer (&folded)))
        return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Property '%s' contains duplicate values.", name);
      if (g_str_equal (name, "servicePrincipalNames") &&
          tb_sim_spn_taken_elsewhere (req->self, sp, json_node_get_string (e)))
        return _tb_sim_graph_error (req, SOUP_STATUS_CONFLICT,
                                    "Request_MultipleObjectsWithSameKeyValue",
                                    "Another object with the same value for property "
                                    "servicePrincipalNames already exists.");
    }
  return NULL;
}

/* Checks one member of a PATCH body and puts the value to store into @updated. Only the
 * writable properties the client uses are accepted; the others are read-only or unknown. */
static TbSimReply *
check_patch_member (GraphRequest *req,
                    JsonObject   *sp,
                    const char   *name,
                    JsonNode     *node,
                    JsonObject   *updated)
{
  TbSimReply *error;

  if (g_str_equal (name, "accountEnabled"))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return _tb_sim_graph_type_error (req, "Edm.Boolean", name);
      json_object_set_member (updated, name, json_node_copy (node));
    }
  else if (g_str_equal (name, "notes"))
    {
      if (!_tb_sim_graph_is_string_or_null (node))
        return _tb_sim_graph_type_error (req, "Edm.String", name);
      json_object_set_member (updated, name, json_node_copy (node));
    }
  else if (g_str_equal (name, "servicePrincipalNames") || g_str_equal (name, "tags"))
    {
      if ((error = check_string_collection (req, sp, name, node)) != NULL)
        return error;
      json_object_set_member (updated, name, json_node_copy (node));
    }
  else if (g_str_equal (name, "keyCredentials"))
    {
      JsonArray *result = json_array_new ();

      json_object_set_array_member (updated, name, result);
      return _tb_sim_graph_build_key_credentials (req, sp, name, node, result);
    }
  else if (_tb_sim_graph_canonical_property (_tb_sim_graph_sp_properties, name) != NULL)
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Property '%s' is read-only and cannot be set.", name);
  else
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "The property '%s' does not exist on type "
                                 "'microsoft.graph.servicePrincipal'. Make sure to only use "
                                 "property names that are defined by the type.", name);
  return NULL;
}

/* Stores the checked members of @updated into @sp; a write that changes something counts. */
static void
apply_patch (TbSim      *self,
             JsonObject *sp,
             JsonObject *updated)
{
  g_autoptr(JsonObject) snapshot = tb_sim_json_object_deep_copy (sp);
  g_autoptr(JsonNode) before = json_node_init_object (json_node_alloc (), snapshot);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GList) names = json_object_get_members (updated);

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (sp, l->data,
                            tb_sim_json_deep_copy (json_object_get_member (updated, l->data)));
  after = json_node_init_object (json_node_alloc (), sp);
  if (!json_node_equal (before, after))
    self->write_count++;
}

TbSimReply *
_tb_sim_graph_patch_service_principal (GraphRequest *req,
                                       JsonObject   *sp)
{
  TbSimReply *error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *patch;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) updated = json_object_new ();

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

      if (g_str_equal (name, "@odata.type"))
        continue;
      error = check_patch_member (req, sp, name, json_object_get_member (patch, name), updated);
      if (error != NULL)
        return error;
    }

  apply_patch (req->self, sp, updated);
  return tb_sim_reply_new (SOUP_STATUS_NO_CONTENT);
}
