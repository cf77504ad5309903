/* tb-graph-client-batch.c: $batch in chunks with per-item retry, and the snapshot of several principals built on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-graph-client-batch"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-graph-client.h"
#include "tb-graph-client-private.h"
#include "tb-graph-error-private.h"
#include "tb-http.h"

/* ------------------------------------------------------------------------------------ */
/* $batch */

typedef struct
{
  GPtrArray  *pending;        /* JsonObject requests still to send */
  GPtrArray  *retry;          /* throttled ones, for the next round */
  GHashTable *responses;      /* id → JsonObject response */
  GHashTable *sent_ids;       /* ids of the chunk in flight */
  gint64      retry_delay;
  guint       rounds;
  gint64      waited;
  TbAuthAccess access;
} BatchData;

static void
batch_data_free (BatchData *bd)
{
  g_clear_pointer (&bd->pending, g_ptr_array_unref);
  g_clear_pointer (&bd->retry, g_ptr_array_unref);
  g_clear_pointer (&bd->responses, g_hash_table_unref);
  g_clear_pointer (&bd->sent_ids, g_hash_table_unref);
  g_free (bd);
}

static void batch_next (GTask *task);

static const char *
item_header (JsonObject *item,
             const char *name)
{
  return tb_json_get_string_ci (tb_json_get_object_ci (item, "headers"), name);
}

static void
on_batch_reply (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatchData *bd = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonNode *responses;
  JsonArray *array;

  node = tb_graph_client_request_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  responses = node != NULL ? json_object_get_member (json_node_get_object (node), "responses") : NULL;
  if (responses == NULL || !JSON_NODE_HOLDS_ARRAY (responses))
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a $batch reply without “responses”")));
      return;
    }

  array = json_node_get_array (responses);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *item;
      JsonObject *request;
      const char *id;
      gint64 status;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_task_return_error (task, _tb_graph_bad_reply (_("a $batch response that is not an object")));
          return;
        }
      item = json_node_get_object (element);
      id = tb_json_get_string (item, "id");
      status = tb_json_get_int (item, "status", -1);
      /* Items come back in any order; each must be one we sent, once. */
      if (id == NULL || status < 100 || status > 599 ||
          !g_hash_table_steal_extended (bd->sent_ids, id, NULL, (gpointer *) &request))
        {
          g_task_return_error (task, _tb_graph_bad_reply (_("a $batch response for a request that was not sent")));
          return;
        }

      /* The items are reads: throttled or failed on the way, they may go again. */
      if ((status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
           status == SOUP_STATUS_GATEWAY_TIMEOUT) &&
          bd->rounds + 1 < MAX_TRIES)
        {
          gint64 delay = _tb_graph_parse_retry_after (item_header (item, "Retry-After"));
          gboolean transient = delay < 0 && status != STATUS_TOO_MANY_REQUESTS;

          if (delay < 0)
            delay = _tb_graph_backoff_delay (bd->rounds);
          if (bd->waited + delay <= MAX_WAIT_US)
            {
              if (transient)
                TB_GRAPH_CLIENT (source)->retry_count++;
              bd->retry_delay = MAX (bd->retry_delay, delay);
              g_ptr_array_add (bd->retry, request);
              continue;
            }
        }

      json_object_unref (request);
      g_hash_table_replace (bd->responses, g_strdup (id), json_object_ref (item));
    }

  if (g_hash_table_size (bd->sent_ids) > 0)
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a $batch reply that leaves requests unanswered")));
      return;
    }

  batch_next (g_steal_pointer (&task));
}

static void
batch_next (GTask *task)
{
  TbGraphClient *self = g_task_get_source_object (task);
  BatchData *bd = g_task_get_task_data (task);
  g_autoptr(JsonArray) chunk = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (bd->pending->len == 0)
    {
      if (bd->retry->len == 0)
        {
          g_task_return_pointer (task, g_hash_table_ref (bd->responses),
                                 (GDestroyNotify) g_hash_table_unref);
          g_object_unref (task);
          return;
        }
      /* Throttled items go again, after the longest Retry-After among them. */
      g_ptr_array_extend_and_steal (bd->pending, g_steal_pointer (&bd->retry));
      bd->retry = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      bd->rounds++;
      bd->waited += bd->retry_delay;
      _tb_graph_sleep_then (task, bd->retry_delay, batch_next);
      bd->retry_delay = 0;
      return;
    }

  chunk = json_array_new ();
  while (bd->pending->len > 0 && json_array_get_length (chunk) < BATCH_MAX)
    {
      JsonObject *request = g_ptr_array_steal_index (bd->pending, 0);

      json_array_add_object_element (chunk, json_object_ref (request));
      g_hash_table_insert (bd->sent_ids, (gpointer) json_object_get_string_member (request, "id"),
                           request);
    }
  body = json_object_new ();
  json_object_set_array_member (body, "requests", g_steal_pointer (&chunk));
  node = json_node_init_object (json_node_alloc (), body);

  tb_graph_client_request_async (self, "POST", "$batch", node, bd->access,
                                 g_task_get_cancellable (task), on_batch_reply, task);
}

/* @requests: JsonObjects {id, method, url}. Result: id → response item {id, status, body…};
 * a throttled item that stayed throttled after the retries is returned as it came. */
static void
batch_async (TbGraphClient       *self,
             GPtrArray           *requests,
             TbAuthAccess         access,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  BatchData *bd = g_new0 (BatchData, 1);

  g_task_set_source_tag (task, batch_async);
  bd->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < requests->len; i++)
    g_ptr_array_add (bd->pending, json_object_ref (g_ptr_array_index (requests, i)));
  bd->retry = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  bd->responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  bd->sent_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) json_object_unref);
  bd->access = access;
  g_task_set_task_data (task, bd, (GDestroyNotify) batch_data_free);

  batch_next (task);
}

static GHashTable *
batch_finish (TbGraphClient  *self,
              GAsyncResult   *result,
              GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Snapshot */

void
tb_graph_snapshot_free (TbGraphSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->organization, json_object_unref);
  g_clear_pointer (&snapshot->principals, g_hash_table_unref);
  g_free (snapshot);
}

static JsonObject *
make_get (const char *id,
          const char *url)
{
  JsonObject *request = json_object_new ();

  json_object_set_string_member (request, "id", id);
  json_object_set_string_member (request, "method", "GET");
  json_object_set_string_member (request, "url", url);
  return request;
}

/* Absent principals are NULL values. */
static void
principal_unref (gpointer principal)
{
  if (principal != NULL)
    g_object_unref (principal);
}

static void
on_snapshot (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GStrv app_ids = g_task_get_task_data (task);
  g_autoptr(GHashTable) responses = NULL;
  g_autoptr(TbGraphSnapshot) snapshot = NULL;
  GError *error = NULL;
  JsonObject *item;

  responses = batch_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (responses == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  snapshot = g_new0 (TbGraphSnapshot, 1);
  snapshot->principals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, principal_unref);

  item = g_hash_table_lookup (responses, "organization");
  {
    gint64 status = tb_json_get_int (item, "status", 0);
    JsonObject *body = tb_json_get_object_ci (item, "body");

    if (!SOUP_STATUS_IS_SUCCESSFUL (status))
      {
        g_task_return_error (task, _tb_graph_error_from_reply (status, body, NULL));
        return;
      }
    if (body != NULL)
      {
        JsonNode *value = json_object_get_member (body, "value");

        if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
          {
            g_task_return_error (task, _tb_graph_bad_reply (_("an organization reply without “value”")));
            return;
          }
        if (json_array_get_length (json_node_get_array (value)) > 0)
          {
            JsonNode *first = json_array_get_element (json_node_get_array (value), 0);

            if (!JSON_NODE_HOLDS_OBJECT (first))
              {
                g_task_return_error (task, _tb_graph_bad_reply (_("an organization that is not an object")));
                return;
              }
            snapshot->organization = json_object_ref (json_node_get_object (first));
          }
      }
  }

  for (guint i = 0; app_ids[i] != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("sp%u", i);
      gint64 status;
      JsonObject *body;
      g_autoptr(GError) parse_error = NULL;
      TbServicePrincipal *principal;

      item = g_hash_table_lookup (responses, id);
      status = tb_json_get_int (item, "status", 0);
      body = tb_json_get_object_ci (item, "body");

      if (status == SOUP_STATUS_NOT_FOUND)
        {
          g_hash_table_insert (snapshot->principals, g_strdup (app_ids[i]), NULL);
          continue;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_task_return_error (task, _tb_graph_error_from_reply (status, body, NULL));
          return;
        }
      if (body == NULL)
        {
          g_task_return_error (task, _tb_graph_bad_reply (_("an empty service principal")));
          return;
        }
      principal = tb_service_principal_new_from_json (body, &parse_error);
      if (principal == NULL)
        {
          g_task_return_error (task, _tb_graph_bad_reply (parse_error->message));
          return;
        }
      g_hash_table_insert (snapshot->principals, g_strdup (app_ids[i]), principal);
    }

  g_task_return_pointer (task, g_steal_pointer (&snapshot), (GDestroyNotify) tb_graph_snapshot_free);
}

void
tb_graph_client_snapshot_async (TbGraphClient       *self,
                                const char * const  *app_ids,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (app_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_graph_client_snapshot_async);
  g_task_set_task_data (task, g_strdupv ((GStrv) app_ids), (GDestroyNotify) g_strfreev);

  g_ptr_array_add (requests, make_get ("organization",
                                       "/organization?$select=id,displayName,verifiedDomains"));
  for (guint i = 0; app_ids[i] != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("sp%u", i);
      g_autofree char *path = _tb_graph_principal_path (app_ids[i]);
      g_autofree char *url = g_strconcat ("/", path, NULL);

      g_ptr_array_add (requests, make_get (id, url));
    }

  batch_async (self, requests, TB_AUTH_ACCESS_READ, cancellable, on_snapshot, g_steal_pointer (&task));
}

TbGraphSnapshot *
tb_graph_client_snapshot_finish (TbGraphClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_graph_client_snapshot_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
