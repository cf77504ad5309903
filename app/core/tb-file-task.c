/* tb-file-task.c: a file read and parsed on a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-file-task"

#include "config.h"

#include "tb-file-task.h"

typedef struct
{
  TbFileTaskFunc  func;
  GDestroyNotify  result_free;
} FileTaskData;

static void
file_task_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  FileTaskData *data = task_data;
  GError *error = NULL;
  gpointer result = data->func (G_FILE (source_object), cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, data->result_free);
}

void
tb_file_task_run (GFile               *file,
                  TbFileTaskFunc       func,
                  GDestroyNotify       result_free,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FileTaskData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (func != NULL);

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (FileTaskData, 1);
  data->func = func;
  data->result_free = result_free;
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, file_task_thread);
}

gpointer
tb_file_task_finish (GAsyncResult  *result,
                     gpointer       source_tag,
                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
