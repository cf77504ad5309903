/* tb-service-thread.c: local services (the demo's simulators) on a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-service-thread"

#include "config.h"

#include "tb-service-thread.h"

struct _TbServiceThread
{
  GThread            *thread;
  GMainContext       *context;
  GMainLoop          *loop;
  TbServiceStartFunc  start;
  TbServiceStopFunc   stop;
  gpointer            data;
  GMainContext       *caller;
  GSource            *ready;     /* in caller, attached by the thread once start returns */

  GMutex              lock;
  GCond               cond;
  gboolean            done;      /* start has returned */
  gboolean            ended;     /* the loop has ended and what was queued has run */
  gboolean            ok;
  GError             *error;
};

static gpointer
service_thread_main (gpointer user_data)
{
  TbServiceThread *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = self->start (self->data, &error);

  g_mutex_lock (&self->lock);
  self->ok = ok;
  self->error = g_steal_pointer (&error);
  self->done = TRUE;
  g_cond_broadcast (&self->cond);
  if (self->ready != NULL)
    g_source_attach (self->ready, self->caller);
  g_mutex_unlock (&self->lock);

  /* Serve until tb_service_thread_free quits the loop (also after a failed start, so that
   * quitting works the same way in both cases). */
  g_main_loop_run (self->loop);

  if (ok && self->stop != NULL)
    self->stop (self->data);
  /* Sources the stopped services leave behind (closing connections) still belong here. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);

  g_mutex_lock (&self->lock);
  self->ended = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return NULL;
}

TbServiceThread *
tb_service_thread_new (const char         *name,
                       TbServiceStartFunc  start,
                       TbServiceStopFunc   stop,
                       GSourceFunc         ready,
                       gpointer            data)
{
  TbServiceThread *self;

  g_return_val_if_fail (start != NULL, NULL);

  self = g_new0 (TbServiceThread, 1);
  self->caller = g_main_context_ref_thread_default ();
  if (ready != NULL)
    {
      self->ready = g_idle_source_new ();
      g_source_set_priority (self->ready, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->ready, ready, data, NULL);
      g_source_set_static_name (self->ready, "[trust-bridge] services ready");
    }

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start = start;
  self->stop = stop;
  self->data = data;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->thread = g_thread_new (name, service_thread_main, self);
  return self;
}

gboolean
tb_service_thread_wait (TbServiceThread  *self,
                        GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  g_mutex_lock (&self->lock);
  while (!self->done)
    g_cond_wait (&self->cond, &self->lock);
  ok = self->ok;
  if (!ok && self->error != NULL)
    g_propagate_error (error, g_error_copy (self->error));
  g_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

GMainContext *
tb_service_thread_get_context (TbServiceThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->context;
}

gboolean
tb_service_thread_stop (TbServiceThread *self,
                        gint64           timeout_us)
{
  gint64 end = g_get_monotonic_time () + timeout_us;
  gboolean ended;

  g_return_val_if_fail (self != NULL, FALSE);

  tb_service_thread_wait (self, NULL);
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_mutex_lock (&self->lock);
  while (!self->ended)
    if (!g_cond_wait_until (&self->cond, &self->lock, end))
      break;
  ended = self->ended;
  g_mutex_unlock (&self->lock);
  return ended;
}

void
tb_service_thread_free (TbServiceThread *self)
{
  if (self == NULL)
    return;

  /* The loop may not be running yet: wait for start, then quit from inside the thread. */
  tb_service_thread_wait (self, NULL);
  if (self->ready != NULL)
    {
      g_source_destroy (self->ready);
      g_source_unref (self->ready);
    }
  g_main_context_unref (self->caller);
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
