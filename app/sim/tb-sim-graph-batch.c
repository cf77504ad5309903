/* tb-sim-graph-batch.c: JSON $batch: at most 20 requests, dependsOn, per-item status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-graph-batch"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-dl-soup.h"
#include "tb-format.h"
#include "tb-json.h"
#include "tb-sim-graph-private.h"

/* ---- $batch ------------------------------------------------------------------------- */

typedef struct
{
  const char *id;
  JsonObject *request;
  TbSimReply *reply;
  char       *request_id;
} BatchItem;

static TbSimReply *
run_batch_item (GraphRequest *outer,
                BatchItem    *item)
{
  const char *url = json_object_get_string_member_with_default (item->request, "url", "");
  const char *method = json_object_get_string_member_with_default (item->request, "method", "");
  JsonObject *headers = NULL;
  JsonNode *body = json_object_get_member (item->request, "body");
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  GraphRequest req = { 0 };
  g_autofree char *path_part = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(GBytes) body_bytes = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *upper = g_ascii_strup (method, -1);
  const char *q;
  TbSimReply *reply;

  if (json_object_has_member (item->request, "headers") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (item->request, "headers")))
    headers = json_object_get_object_member (item->request, "headers");

  req.self = outer->self;
  req.method = upper;
  req.perms = outer->perms;
  req.in_batch = TRUE;
  req.request_id = item->request_id;
  req.client_request_id = item->request_id;
  req.headers = h;

  if (headers != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (headers);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *v = json_object_get_member (headers, l->data);

          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            soup_message_headers_append (h, l->data, json_node_get_string (v));
        }
    }
  /* The outer request's consistency level applies to its items too. */
  if (soup_message_headers_get_one (h, "ConsistencyLevel") == NULL &&
      soup_message_headers_get_one (outer->headers, "ConsistencyLevel") != NULL)
    soup_message_headers_append (h, "ConsistencyLevel",
                                 soup_message_headers_get_one (outer->headers,
                                                               "ConsistencyLevel"));

  if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
    {
      body_text = json_to_string (body, FALSE);
      body_bytes = g_bytes_new (body_text, strlen (body_text));
      req.body = body_bytes;
    }

  if (g_str_has_prefix (url, "http:") || g_str_has_prefix (url, "https:") || *url == '\0')
    return _tb_sim_graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                "Invalid request URL: batch items take URLs relative to the "
                                "version.");

  reply = _tb_sim_graph_take_injected (&req);
  if (reply != NULL)
    return reply;

  q = strchr (url, '?');
  path_part = q ? g_strndup (url, q - url) : g_strdup (url);
  if (q != NULL)
    query = soup_form_decode (q + 1);
  req.query = query;
  {
    g_autofree char *decoded = g_uri_unescape_string (path_part, NULL);

    if (decoded == NULL)
      return _tb_sim_graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                  "Invalid request URL.");
    req.path = decoded[0] == '/' ? g_strdup (decoded) : g_strconcat ("/", decoded, NULL);
  }
  reply = _tb_sim_graph_dispatch (&req);
  g_free (req.path);
  return reply;
}

static JsonNode *
reply_to_batch_json (const char *id,
                     TbSimReply *reply)
{
  JsonObject *o = json_object_new ();
  JsonObject *headers = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_int_member (o, "status", reply->status);
  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    json_object_set_string_member (headers, g_ptr_array_index (reply->headers, i),
                                   g_ptr_array_index (reply->headers, i + 1));
  if (reply->body != NULL)
    json_object_set_string_member (headers, "Content-Type", ODATA_JSON);
  json_object_set_object_member (o, "headers", headers);
  if (reply->body != NULL)
    json_object_set_member (o, "body", tb_sim_json_deep_copy (reply->body));
  return json_node_init_object (json_node_alloc (), o);
}

static void
batch_item_clear (gpointer data)
{
  BatchItem *item = data;

  tb_sim_reply_free (item->reply);
  g_free (item->request_id);
}

/* Whether a batch request with a body names its Content-Type among its headers. */
static gboolean
has_content_type (JsonObject *r)
{
  JsonNode *h = json_object_get_member (r, "headers");
  g_autoptr(GList) names = NULL;

  if (h == NULL || !JSON_NODE_HOLDS_OBJECT (h))
    return FALSE;
  names = json_object_get_members (json_node_get_object (h));
  for (GList *l = names; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, "Content-Type") == 0)
      return TRUE;
  return FALSE;
}

/* Checks one request of the batch and appends it to @items: it needs an id of its own, a
 * method, a url, and a Content-Type when it has a body. */
static TbSimReply *
add_batch_item (GraphRequest *req,
                JsonNode     *node,
                GArray       *items)
{
  JsonObject *r;
  JsonNode *body;
  BatchItem item = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                "Invalid batch payload format.");
  r = json_node_get_object (node);
  item.id = json_object_get_string_member_with_default (r, "id", NULL);
  if (item.id == NULL || *item.id == '\0' ||
      json_object_get_string_member_with_default (r, "method", NULL) == NULL ||
      json_object_get_string_member_with_default (r, "url", NULL) == NULL)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                "Each batch request needs an id, a method and a url.");
  for (guint j = 0; j < items->len; j++)
    if (g_str_equal (g_array_index (items, BatchItem, j).id, item.id))
      return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                   "Request id '%s' is used more than once.", item.id);
  body = json_object_get_member (r, "body");
  if (body != NULL && !JSON_NODE_HOLDS_NULL (body) && !has_content_type (r))
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                 "Write request id : %s does not contain Content-Type "
                                 "header or body.", item.id);
  item.request = r;
  item.request_id = tb_sim_new_guid ();
  g_array_append_val (items, item);
  return NULL;
}

/* Every dependsOn names another request of the batch. */
static TbSimReply *
check_batch_dependencies (GraphRequest *req,
                          GArray       *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *r = g_array_index (items, BatchItem, i).request;
      JsonNode *deps = json_object_get_member (r, "dependsOn");

      if (deps == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (deps))
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                    "dependsOn must be an array of request ids.");
      for (guint d = 0; d < json_array_get_length (json_node_get_array (deps)); d++)
        {
          JsonNode *dn = json_array_get_element (json_node_get_array (deps), d);
          const char *dep = JSON_NODE_HOLDS_VALUE (dn) &&
                            json_node_get_value_type (dn) == G_TYPE_STRING
                            ? json_node_get_string (dn) : NULL;
          gboolean found = FALSE;

          for (guint j = 0; dep != NULL && j < items->len; j++)
            if (j != i && g_str_equal (g_array_index (items, BatchItem, j).id, dep))
              found = TRUE;
          if (!found)
            return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                         "Request '%s' depends on an unknown request '%s'.",
                                         g_array_index (items, BatchItem, i).id, dep ? dep : "");
        }
    }
  return NULL;
}

/* Reads the batch body @root into @items, which point into it; the whole batch is refused
 * for malformed items, as Graph does before running any. */
static TbSimReply *
read_batch_items (GraphRequest *req,
                  JsonNode     *root,
                  GArray       *items)
{
  TbSimReply *error;
  JsonNode *requests_node;
  JsonArray *requests;

  requests_node = json_object_get_member (json_node_get_object (root), "requests");
  if (requests_node == NULL || !JSON_NODE_HOLDS_ARRAY (requests_node))
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                "Invalid batch payload format.");
  requests = json_node_get_array (requests_node);
  if (json_array_get_length (requests) > MAX_BATCH)
    return _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                 "The number of requests in a batch must not exceed %u.",
                                 MAX_BATCH);
  if (json_array_get_length (requests) == 0)
    return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                "A batch must contain at least one request.");

  for (guint i = 0; i < json_array_get_length (requests); i++)
    if ((error = add_batch_item (req, json_array_get_element (requests, i), items)) != NULL)
      return error;
  return check_batch_dependencies (req, items);
}

/* Whether every request @item depends on has run (@ready), and whether one of them failed. */
static void
dependencies_state (GArray    *items,
                    BatchItem *item,
                    gboolean  *ready,
                    gboolean  *failed)
{
  JsonNode *deps = json_object_get_member (item->request, "dependsOn");

  *ready = TRUE;
  *failed = FALSE;
  for (guint d = 0; deps != NULL && d < json_array_get_length (json_node_get_array (deps)); d++)
    {
      const char *dep = json_array_get_string_element (json_node_get_array (deps), d);

      for (guint j = 0; j < items->len; j++)
        {
          BatchItem *other = &g_array_index (items, BatchItem, j);

          if (!g_str_equal (other->id, dep))
            continue;
          if (other->reply == NULL)
            *ready = FALSE;
          else if (other->reply->status >= 400)
            *failed = TRUE;
        }
    }
}

/* Runs the items in dependency order; an item whose dependency failed is not run (424). */
static TbSimReply *
run_batch_items (GraphRequest *req,
                 GArray       *items)
{
  guint done = 0;

  while (done < items->len)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < items->len; i++)
        {
          BatchItem *item = &g_array_index (items, BatchItem, i);
          gboolean ready;
          gboolean failed;

          if (item->reply != NULL)
            continue;
          dependencies_state (items, item, &ready, &failed);
          if (!ready)
            continue;
          if (failed)
            {
              GraphRequest item_req = *req;

              item_req.request_id = item->request_id;
              item_req.client_request_id = item->request_id;
              item->reply = _tb_sim_graph_error (&item_req, 424, "FailedDependency",
                                                 "The request could not run because a request it "
                                                 "depends on failed.");
            }
          else
            item->reply = run_batch_item (req, item);
          done++;
          progress = TRUE;
        }
      if (!progress)
        return _tb_sim_graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                    "The dependsOn graph of the batch has a cycle.");
    }
  return NULL;
}

/* The batch reply; Graph answers items in any order, and so does the simulator, so clients
 * match by id. */
static TbSimReply *
batch_reply (GArray *items)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  for (guint i = items->len; i > 1; i--)
    {
      guint j = g_random_int_range (0, i);
      BatchItem tmp = g_array_index (items, BatchItem, i - 1);

      g_array_index (items, BatchItem, i - 1) = g_array_index (items, BatchItem, j);
      g_array_index (items, BatchItem, j) = tmp;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      BatchItem *item = &g_array_index (items, BatchItem, i);

      json_builder_add_value (b, reply_to_batch_json (item->id, item->reply));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return _tb_sim_graph_reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

TbSimReply *
_tb_sim_graph_dispatch_batch (GraphRequest *req)
{
  TbSimReply *error = NULL;
  g_autoptr(JsonNode) root = _tb_sim_graph_parse_json_body (req, &error);
  g_autoptr(GArray) items = NULL;

  if (root == NULL)
    return error;
  items = g_array_new (FALSE, TRUE, sizeof (BatchItem));
  g_array_set_clear_func (items, batch_item_clear);
  if ((error = read_batch_items (req, root, items)) != NULL ||
      (error = run_batch_items (req, items)) != NULL)
    return error;
  return batch_reply (items);
}
