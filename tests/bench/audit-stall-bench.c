/* audit-stall-bench.c: the GUI's longest main-loop stall while the Audit page scans
 *
 * Not a test: it prints numbers. The real window signs in to the simulator and scans from the
 * Audit page. The simulator runs in its own thread with its own main context (50 ms latency a
 * request), so what is measured is the GUI's own work: receiving and parsing pages, classifying,
 * showing rows. Measured while the scan runs and its rows are shown:
 *   - the longest gap between frame-clock ticks (a tick callback keeps the clock running);
 *   - the worst lateness of a high-priority 5 ms timeout;
 *   - the most CPU time the main thread used between two firings of that timeout: on a busy
 *     machine lateness also counts time the thread waited for a CPU, this does not;
 *   - the main thread's CPU time over the whole scan, and per page of 999 principals read:
 *     what the audit costs the main loop, apart from how long the network took.
 * The machine's load average is printed first: on a shared machine the wall-clock figures
 * (gap, lateness) grow with it, the CPU figures hardly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <time.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "tb-audit-page-private.h"
#include "tb-context.h"
#include "tb-principals-page.h"
#include "tb-sim-private.h"
#include "tb-window-private.h"

#define MICROSOFT_OWNED 3000
#define TIMER_MS        5

typedef struct
{
  guint         total;
  gboolean      refuse_filter;
  char         *endpoints;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
} SimThread;

static gpointer
sim_thread (gpointer data)
{
  SimThread *st = data;
  g_autoptr(TbSim) sim = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (st->context);
  sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  tb_sim_set_population (sim, st->total, MICROSOFT_OWNED);
  tb_sim_set_owner_filter_refused (sim, st->refuse_filter);
  tb_sim_set_device_auto_approve (sim, 1);
  tb_sim_set_device_interval (sim, 1);
  tb_sim_set_latency (sim, 50);
  if (!tb_sim_start (sim, &error) ||
      !tb_sim_write_endpoints_file (sim, st->endpoints, &error))
    g_error ("audit-stall-bench: %s", error->message);

  g_mutex_lock (&st->lock);
  st->started = TRUE;
  g_cond_signal (&st->ready);
  g_mutex_unlock (&st->lock);

  g_main_loop_run (st->loop);
  tb_sim_stop (sim);
  g_main_context_pop_thread_default (st->context);
  return NULL;
}

typedef struct
{
  gint64 last_frame;
  gint64 worst_frame;
  gint64 expected;
  gint64 worst_timer;
  gint64 last_cpu;
  gint64 worst_cpu;
  gint64 worst_cpu_at;
  gboolean measuring;
} Stalls;

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Stalls *s = user_data;
  gint64 now = g_get_monotonic_time ();

  if (s->measuring && s->last_frame != 0)
    s->worst_frame = MAX (s->worst_frame, now - s->last_frame);
  s->last_frame = now;
  return G_SOURCE_CONTINUE;
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_timer (gpointer user_data)
{
  Stalls *s = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (s->measuring && s->expected != 0)
    {
      s->worst_timer = MAX (s->worst_timer, now - s->expected);
      if (cpu - s->last_cpu > s->worst_cpu)
        {
          s->worst_cpu = cpu - s->last_cpu;
          s->worst_cpu_at = now;
        }
    }
  s->expected = now + TIMER_MS * 1000;
  s->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
scan_settled (TbAuditPage *page)
{
  return !tb_audit_page_get_running (page) && tb_audit_page_get_findings (page) != NULL;
}

static void
bench (guint    total,
       gboolean refuse_filter)
{
  SimThread st = { total, refuse_filter };
  g_autoptr(GThread) thread = NULL;
  g_autoptr(TbContext) context = NULL;
  g_autoptr(GError) error = NULL;
  TbWindow *window;
  TbAuditPage *page;
  Stalls stalls = { 0 };
  guint tick_id;
  guint timer_id;
  gint64 start;
  gint64 start_cpu;
  gint64 deadline;
  guint pages;

  st.endpoints = g_strdup_printf ("%s/audit-stall-bench-%d.endpoints", g_get_tmp_dir (),
                                  getpid ());
  st.context = g_main_context_new ();
  st.loop = g_main_loop_new (st.context, FALSE);
  g_mutex_init (&st.lock);
  g_cond_init (&st.ready);
  thread = g_thread_new ("simulator", sim_thread, &st);
  g_mutex_lock (&st.lock);
  while (!st.started)
    g_cond_wait (&st.ready, &st.lock);
  g_mutex_unlock (&st.lock);

  context = tb_context_new ();
  if (!tb_context_set_endpoints_file (context, st.endpoints, &error))
    g_error ("audit-stall-bench: %s", error->message);
  window = tb_window_new (NULL, context);
  page = tb_window_get_audit_page (window);
  gtk_window_present (GTK_WINDOW (window));
  tb_window_show_page (window, "audit");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!tb_auth_get_signed_in (tb_context_get_auth (context)) ||
         tb_principals_page_get_loading (tb_window_get_principals_page (window)))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("audit-stall-bench: the sign-in did not finish");
      g_main_context_iteration (NULL, TRUE);
    }

  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, &stalls, NULL);
  timer_id = g_timeout_add_full (G_PRIORITY_HIGH, TIMER_MS, on_timer, &stalls, NULL);
  /* Let both settle into their rhythm first. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  stalls.measuring = TRUE;
  start = g_get_monotonic_time ();
  start_cpu = thread_cpu_us ();
  tb_audit_page_scan (page);
  while (!scan_settled (page))
    g_main_context_iteration (NULL, TRUE);
  /* The rows of the last page are laid out and drawn in the frames after it. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 4;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  stalls.measuring = FALSE;
  /* For a profiler's timeline (perf record -k CLOCK_MONOTONIC): where to look. */
  g_debug ("scan from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " µs (monotonic); the most "
           "main-thread CPU between timers ended at %" G_GINT64_FORMAT, start,
           g_get_monotonic_time (), stalls.worst_cpu_at);
  pages = (refuse_filter ? total : MICROSOFT_OWNED) / 999 + 1;

  printf ("%7u principals, %-22s scan %6.2f s, %u findings | frame gap %5.1f ms, "
          "timer late %5.1f ms | main-thread CPU: most between timers %5.1f ms, "
          "scan %6.0f ms, %4.1f ms a page\n",
          total, refuse_filter ? "filter refused (all):" : "owner filter:",
          (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
          tb_audit_page_get_findings (page)->len, stalls.worst_frame / 1000.0,
          stalls.worst_timer / 1000.0, stalls.worst_cpu / 1000.0,
          (thread_cpu_us () - start_cpu) / 1000.0,
          (thread_cpu_us () - start_cpu) / 1000.0 / pages);
  fflush (stdout);

  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_source_remove (timer_id);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_main_loop_quit (st.loop);
  g_thread_join (g_steal_pointer (&thread));
  g_main_loop_unref (st.loop);
  g_main_context_unref (st.context);
  g_remove (st.endpoints);
  g_free (st.endpoints);
}

int
main (int   argc,
      char *argv[])
{
  const guint sizes[] = { 10000, 100000 };

  g_autofree char *load = NULL;

  gtk_init ();
  adw_init ();
  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    {
      g_auto(GStrv) fields = g_strsplit (load, " ", 4);

      if (g_strv_length (fields) >= 3)
        printf ("Load average (1, 5, 15 min): %s %s %s on %u CPUs\n", fields[0], fields[1],
                fields[2], g_get_num_processors ());
    }
  printf ("GUI main loop while the Audit page scans (simulator in another thread, 50 ms a "
          "request;\nframes at the display's rate, so a gap of ~17 ms is no stall).\n");
  /* One case alone, for a profiler: audit-stall-bench PRINCIPALS [all]. */
  if (argc > 1)
    {
      bench ((guint) g_ascii_strtoull (argv[1], NULL, 10),
             argc > 2 && g_str_equal (argv[2], "all"));
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      bench (sizes[i], FALSE);
      bench (sizes[i], TRUE);
    }
  return 0;
}
