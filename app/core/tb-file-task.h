/* tb-file-task.h: a file read and parsed on a worker thread, for the _async/_finish pairs of
 * the file formats (certificates, pool state)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Blocking: reads and parses @file; the result, or NULL with @error. */
typedef gpointer (*TbFileTaskFunc) (GFile         *file,
                                    GCancellable  *cancellable,
                                    GError       **error);

/* Runs @func on @file in a worker thread; @callback runs in the caller's main context with
 * @file as its source object, as GFile's own _async calls do, and the task carries
 * @source_tag, which tb_file_task_finish() checks. */
void     tb_file_task_run    (GFile               *file,
                              TbFileTaskFunc       func,
                              GDestroyNotify       result_free,
                              gpointer             source_tag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
/* What @func returned (owned by the caller), or NULL with @error. */
gpointer tb_file_task_finish (GAsyncResult        *result,
                              gpointer             source_tag,
                              GError             **error);

G_END_DECLS
