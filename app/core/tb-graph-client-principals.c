/* tb-graph-client-principals.c: listings with paging, one service principal, its PATCH, single pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-graph-client-principals"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-graph-client.h"
#include "tb-graph-client-private.h"
#include "tb-graph-error-private.h"
#include "tb-http.h"

/* ------------------------------------------------------------------------------------ */
/* Paging */

typedef struct
{
  JsonArray *items;
  guint      pages;
} ListData;

static void
list_data_free (ListData *ld)
{
  g_clear_pointer (&ld->items, json_array_unref);
  g_free (ld);
}

static void
on_list_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbGraphClient *self = TB_GRAPH_CLIENT (source);
  ListData *ld = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  JsonObject *page;
  JsonNode *value;
  JsonNode *next;

  node = tb_graph_client_request_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (node == NULL)
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("an empty page")));
      return;
    }

  page = json_node_get_object (node);
  value = json_object_get_member (page, "value");
  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a page without a “value” list")));
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
    json_array_add_element (ld->items, json_node_copy (json_array_get_element (json_node_get_array (value), i)));

  next = json_object_get_member (page, "@odata.nextLink");
  if (next == NULL || JSON_NODE_HOLDS_NULL (next))
    {
      g_task_return_pointer (task, json_array_ref (ld->items), (GDestroyNotify) json_array_unref);
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (next) || json_node_get_value_type (next) != G_TYPE_STRING)
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a next-page link that is not text")));
      return;
    }
  /* Followed verbatim, but only to the same Graph host: the token goes with it. */
  if (!tb_cloud_is_graph_uri (self->cloud, json_node_get_string (next)))
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a next-page link to another host")));
      return;
    }
  if (++ld->pages >= MAX_PAGES)
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("too many pages")));
      return;
    }

  {
    /* Read before the task is stolen: argument order is unspecified. */
    GCancellable *task_cancellable = g_task_get_cancellable (task);
    _tb_graph_client_request_uri_async (self, "GET", json_node_get_string (next), NULL, TB_AUTH_ACCESS_READ,
                                        task_cancellable, on_list_page, g_steal_pointer (&task));
  }
}

void
tb_graph_client_list_async (TbGraphClient       *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ListData *ld;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_graph_client_list_async);
  ld = g_new0 (ListData, 1);
  ld->items = json_array_new ();
  g_task_set_task_data (task, ld, (GDestroyNotify) list_data_free);

  tb_graph_client_request_async (self, "GET", path, NULL, TB_AUTH_ACCESS_READ, cancellable,
                                 on_list_page, g_steal_pointer (&task));
}

JsonArray *
tb_graph_client_list_finish (TbGraphClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_graph_client_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* One service principal */

char *
_tb_graph_principal_path (const char *app_id)
{
  g_autofree char *escaped = tb_graph_escape_literal (app_id);

  /* A single-object read with $select naming keyCredentials: the only read that fills `key`. */
  return g_strdup_printf ("servicePrincipals(appId='%s')?$select=" SP_SELECT, escaped);
}

static GError *
not_found (const char *app_id,
           const GError *from)
{
  g_autofree char *text = g_strdup_printf (_("The tenant has no service principal for app ID %s."),
                                           app_id);
  return tb_graph_error_new_full (TB_GRAPH_ERROR_NOT_FOUND,
                                  from ? tb_graph_error_get_code (from) : NULL,
                                  from ? tb_graph_error_get_request_id (from) : NULL, text);
}

static void
on_get_principal (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *app_id = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  TbServicePrincipal *principal;

  node = tb_graph_client_request_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND))
        g_task_return_error (task, not_found (app_id, error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (node == NULL)
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("an empty service principal")));
      return;
    }

  principal = tb_service_principal_new_from_json (json_node_get_object (node), &parse_error);
  if (principal == NULL)
    {
      g_task_return_error (task, _tb_graph_bad_reply (parse_error->message));
      return;
    }
  if (g_ascii_strcasecmp (tb_service_principal_get_app_id (principal), app_id) != 0)
    {
      g_object_unref (principal);
      g_task_return_error (task, _tb_graph_bad_reply (_("a different service principal than the one asked for")));
      return;
    }
  g_task_return_pointer (task, principal, g_object_unref);
}

void
tb_graph_client_get_service_principal_async (TbGraphClient       *self,
                                              const char          *app_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (app_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_graph_client_get_service_principal_async);
  g_task_set_task_data (task, g_strdup (app_id), g_free);

  path = _tb_graph_principal_path (app_id);
  tb_graph_client_request_async (self, "GET", path, NULL, TB_AUTH_ACCESS_READ, cancellable,
                                 on_get_principal, g_steal_pointer (&task));
}

TbServicePrincipal *
tb_graph_client_get_service_principal_finish (TbGraphClient  *self,
                                              GAsyncResult   *result,
                                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tb_graph_client_get_service_principal_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* PATCH */

static void
on_update (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = tb_graph_client_request_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tb_graph_client_update_service_principal_async (TbGraphClient       *self,
                                                const char          *object_id,
                                                JsonObject          *patch,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (object_id != NULL);
  g_return_if_fail (patch != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_graph_client_update_service_principal_async);

  escaped = tb_graph_escape_literal (object_id);
  path = g_strdup_printf ("servicePrincipals/%s", escaped);
  body = json_node_init_object (json_node_alloc (), patch);
  tb_graph_client_request_async (self, "PATCH", path, body, TB_AUTH_ACCESS_WRITE, cancellable,
                                 on_update, g_steal_pointer (&task));
}

gboolean
tb_graph_client_update_service_principal_finish (TbGraphClient  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tb_graph_client_update_service_principal_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
