/* tb-principal-editor.c: safe changes to service principals over Graph
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-principal-editor.h"

typedef struct
{
  TbPrincipalEdit *edit;
  gboolean         preview;
  TbChange        *change;
  JsonObject      *patch;
} EditorData;

static void
editor_data_free (EditorData *ed)
{
  g_clear_object (&ed->edit);
  g_clear_pointer (&ed->change, tb_change_free);
  g_clear_pointer (&ed->patch, json_object_unref);
  g_free (ed);
}

static void
read_back_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  g_autoptr(TbServicePrincipal) after = NULL;
  GError *error = NULL;

  after = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (after == NULL || !tb_principal_edit_verify (ed->edit, ed->patch, after, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&ed->change), (GDestroyNotify) tb_change_free);
}

static void
patch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  GError *error = NULL;

  if (!tb_graph_client_update_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  {
    /* Read before the task is stolen: argument order is unspecified. */
    GCancellable *task_cancellable = g_task_get_cancellable (task);
    /* Read again: what Graph stores is what counts, not what it accepted. */
    tb_graph_client_get_service_principal_async (TB_GRAPH_CLIENT (source),
                                                 tb_principal_edit_get_app_id (ed->edit),
                                                 task_cancellable,
                                                 read_back_cb, g_steal_pointer (&task));
  }
}

static void
fresh_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EditorData *ed = g_task_get_task_data (task);
  g_autoptr(TbServicePrincipal) principal = NULL;
  GError *error = NULL;

  principal = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (principal == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  ed->change = tb_principal_edit_compute (ed->edit, principal, &ed->patch, &error);
  if (ed->change == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Nothing to change is not written again; a preview never writes. */
  if (ed->preview || ed->patch == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&ed->change), (GDestroyNotify) tb_change_free);
      return;
    }

  {
    /* Read before the task is stolen: argument order is unspecified. */
    GCancellable *task_cancellable = g_task_get_cancellable (task);
    tb_graph_client_update_service_principal_async (TB_GRAPH_CLIENT (source),
                                                    tb_service_principal_get_id (principal),
                                                    ed->patch, task_cancellable,
                                                    patch_cb, g_steal_pointer (&task));
  }
}

static void
editor_run (TbGraphClient       *client,
            TbPrincipalEdit     *edit,
            gboolean             preview,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EditorData *ed;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (client));
  g_return_if_fail (TB_IS_PRINCIPAL_EDIT (edit));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  ed = g_new0 (EditorData, 1);
  ed->edit = g_object_ref (edit);
  ed->preview = preview;
  g_task_set_task_data (task, ed, (GDestroyNotify) editor_data_free);

  /* Always a fresh single-object read, never a cached or listed principal: the merge needs
   * every key as Graph holds it now. */
  tb_graph_client_get_service_principal_async (client, tb_principal_edit_get_app_id (edit),
                                               cancellable, fresh_read_cb, g_steal_pointer (&task));
}

void
tb_principal_editor_apply_async (TbGraphClient       *client,
                                 TbPrincipalEdit     *edit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  editor_run (client, edit, FALSE, tb_principal_editor_apply_async, cancellable, callback, user_data);
}

TbChange *
tb_principal_editor_apply_finish (TbGraphClient  *client,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_principal_editor_apply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tb_principal_editor_preview_async (TbGraphClient       *client,
                                   TbPrincipalEdit     *edit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  editor_run (client, edit, TRUE, tb_principal_editor_preview_async, cancellable, callback, user_data);
}

TbChange *
tb_principal_editor_preview_finish (TbGraphClient  *client,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_principal_editor_preview_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
