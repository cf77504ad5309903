/* tb-first-frame.c: run work once a window has painted its first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-first-frame"

#include "config.h"

#include "tb-first-frame.h"

typedef struct
{
  TbFirstFrameFunc  func;
  gpointer          user_data;
} Waiter;

/* What a window given to tb_window_after_first_frame() carries, freed with it. */
typedef struct
{
  GPtrArray *waiters;   /* Waiter; NULL while none waits */
  gboolean   painted;
} FirstFrame;

static void
first_frame_free (FirstFrame *state)
{
  g_clear_pointer (&state->waiters, g_ptr_array_unref);
  g_free (state);
}

static FirstFrame *
first_frame_of (GtkWidget *window)
{
  static GQuark quark;
  FirstFrame *state;

  if (quark == 0)
    quark = g_quark_from_static_string ("tb-first-frame");
  state = g_object_get_qdata (G_OBJECT (window), quark);

  if (state == NULL)
    {
      state = g_new0 (FirstFrame, 1);
      g_object_set_qdata_full (G_OBJECT (window), quark, state,
                               (GDestroyNotify) first_frame_free);
    }
  return state;
}

static gboolean
run_waiters (gpointer user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&first_frame_of (window)->waiters);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      Waiter *w = g_ptr_array_index (waiters, i);

      w->func (window, w->user_data);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (GtkWidget *window)
{
  /* Default idle priority: after the frame's own follow-up work, before anything lower. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, run_waiters, g_object_ref (window), NULL);
}

static void
on_after_paint (GdkFrameClock *clock,
                GtkWidget     *window)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  first_frame_of (window)->painted = TRUE;
  schedule (window);
}

static void
on_map (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, on_map, NULL);
  if (clock == NULL)
    {
      first_frame_of (window)->painted = TRUE;
      schedule (window);
      return;
    }
  /* Disconnected with the window, should it go before it paints. */
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint), window, 0);
}

void
tb_window_after_first_frame (GtkWindow        *window,
                             TbFirstFrameFunc  func,
                             gpointer          user_data)
{
  FirstFrame *state;
  Waiter *w;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (func != NULL);

  w = g_new0 (Waiter, 1);
  w->func = func;
  w->user_data = user_data;

  state = first_frame_of (GTK_WIDGET (window));
  if (state->waiters == NULL)
    {
      state->waiters = g_ptr_array_new_with_free_func (g_free);
      if (state->painted)
        schedule (GTK_WIDGET (window));
      else if (gtk_widget_get_mapped (GTK_WIDGET (window)))
        on_map (GTK_WIDGET (window));
      else if (g_signal_handler_find (window, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_map,
                                      NULL) == 0)
        g_signal_connect_after (window, "map", G_CALLBACK (on_map), NULL);
    }
  g_ptr_array_add (state->waiters, w);
}
