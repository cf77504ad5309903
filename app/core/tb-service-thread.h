/* tb-service-thread.h: work on a thread of its own: the demo's simulators, WinRM exchanges
 *
 * The start function runs on a new thread with a fresh GMainContext pushed as its
 * thread-default, so every server and timeout it sets up is dispatched there: the caller's main
 * loop neither waits while they are built nor serves their requests. The thread keeps its loop
 * running until tb_service_thread_free (or tb_service_thread_stop), which runs the stop
 * function there first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TbServiceThread TbServiceThread;

typedef gboolean (*TbServiceStartFunc) (gpointer   data,
                                        GError   **error);
typedef void     (*TbServiceStopFunc)  (gpointer   data);

/* Starts the thread and returns at once; @start runs there. @data belongs to the caller and
 * must outlive the thread. @ready (may be NULL) is called with @data in the caller's
 * thread-default main context once @start has returned; tb_service_thread_free before then
 * cancels it. */
TbServiceThread *tb_service_thread_new  (const char         *name,
                                         TbServiceStartFunc  start,
                                         TbServiceStopFunc   stop,
                                         GSourceFunc         ready,
                                         gpointer            data);
/* Blocks until @start has returned; its result and error. May be called more than once. */
gboolean         tb_service_thread_wait (TbServiceThread    *self,
                                         GError            **error);
/* The thread's main context: what is invoked or attached there runs on the thread. */
GMainContext    *tb_service_thread_get_context (TbServiceThread *self);
/* Runs @stop on the thread (when @start succeeded), then what is still queued there, and ends
 * its loop; waits at most @timeout_us for that. TRUE once the thread's loop has ended. */
gboolean         tb_service_thread_stop (TbServiceThread    *self,
                                         gint64              timeout_us);
/* Runs @stop on the thread (when @start succeeded), ends its loop and joins it. */
void             tb_service_thread_free (TbServiceThread    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbServiceThread, tb_service_thread_free)

G_END_DECLS
