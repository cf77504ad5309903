/* stalls.c: the longest main-loop stall of the demo's operations (build-aux/bench stalls)
 *
 * Builds the window the way the app does with --demo (the demo announced at start-up, its
 * simulators started after the first frame, on their own thread), then drives it through the
 * app's own actions and buttons: sign-in and the demo tenant's read, a refresh, a pool read
 * over WinRM from the demo Front End, Establish Trust (plan, then apply with write access) and
 * a 1 MiB PEM bundle opened as from the command line or a drop; also, not budgeted, switching to
 * the Pool page (its first frame, drawn before the read starts). A high-priority 1 ms timeout
 * records the longest gap between its runs during each operation: the longest time the main
 * loop could not answer input or paint; exits 1 when one is over budget. Beside it, the main
 * thread's own CPU time in the same gap (CLOCK_THREAD_CPUTIME_ID) tells work on the main
 * thread from waiting: for the renderer's threads (which counts, the frame is late) or for a
 * busy machine's scheduler (which no program can help). Not a test: figures vary with the
 * machine and its load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tb-application.h"
#include "tb-certificates-page-private.h"
#include "tb-enum.h"
#include "tb-establish-trust-dialog.h"
#include "tb-pool-page-private.h"
#include "tb-principals-page-private.h"
#include "tb-renderer.h"
#include "tb-test-certs.h"
#include "tb-ui-enums.h"
#include "tb-window-private.h"
#include "tb-test-util.h"

#define BUDGET_MS 20.0

static gint64 last_tick, last_tick_cpu;
static guint ticks;
static gint64 longest_gap, longest_gap_cpu;
static gint64 longest_gap_end;

/* Microseconds of CPU time the calling thread used. */
static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  if (now - last_tick > longest_gap)
    {
      longest_gap = now - last_tick;
      longest_gap_end = now;
    }
  longest_gap_cpu = MAX (longest_gap_cpu, cpu - last_tick_cpu);
  last_tick = now;
  last_tick_cpu = cpu;
  ticks++;
  return G_SOURCE_CONTINUE;
}

static gint64 op_cpu_start;    /* the main thread's CPU time when the operation began */
static gint64 op_start;        /* and the monotonic time */

/* The phases of each frame, for the windows printout: when the longest gap holds a frame, which
 * phase took it. Times are the main thread's CPU, in microseconds. */
typedef struct
{
  gint64 end;                               /* monotonic */
  gint64 update, layout, paint;             /* CPU */
} FramePhases;

static GArray *frames;
static gint64 phase_mark;

static void
on_phase_start (GdkFrameClock *clock,
                gpointer       data)
{
  phase_mark = thread_cpu_usec ();
}

/* @data: the offset of the phase that ended in FramePhases. */
static void
on_phase_end (GdkFrameClock *clock,
              gpointer       data)
{
  gint64 now = thread_cpu_usec ();
  gsize offset = GPOINTER_TO_SIZE (data);

  if (offset == G_STRUCT_OFFSET (FramePhases, update))
    g_array_set_size (frames, frames->len + 1);
  if (frames->len == 0)
    return;
  G_STRUCT_MEMBER (gint64, &g_array_index (frames, FramePhases, frames->len - 1), offset) =
    now - phase_mark;
  g_array_index (frames, FramePhases, frames->len - 1).end = g_get_monotonic_time ();
  phase_mark = now;
}

static void
watch_frames (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (frames == NULL)
    frames = g_array_new (FALSE, TRUE, sizeof (FramePhases));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_phase_start), NULL);
  g_signal_connect_after (clock, "update", G_CALLBACK (on_phase_end),
                          GSIZE_TO_POINTER (G_STRUCT_OFFSET (FramePhases, update)));
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_phase_end),
                          GSIZE_TO_POINTER (G_STRUCT_OFFSET (FramePhases, layout)));
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_phase_end),
                          GSIZE_TO_POINTER (G_STRUCT_OFFSET (FramePhases, paint)));
}

/* The frames that ended in the gap (start, end], their phases' CPU. */
static void
print_frames (gint64 start,
              gint64 end)
{
  for (guint i = 0; frames != NULL && i < frames->len; i++)
    {
      FramePhases *f = &g_array_index (frames, FramePhases, i);

      if (f->end > start && f->end <= end)
        printf ("    frame in it, ended %.1f ms into the operation: update %.1f ms, layout %.1f ms, "
                "paint %.1f ms of CPU\n", (f->end - op_start) / 1000.0,
                f->update / 1000.0, f->layout / 1000.0, f->paint / 1000.0);
    }
}


static void
measure_start (void)
{
  /* Settle first: what came before does not count. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  last_tick = g_get_monotonic_time ();
  last_tick_cpu = thread_cpu_usec ();
  longest_gap = longest_gap_cpu = 0;
  op_cpu_start = last_tick_cpu;
  op_start = last_tick;
}

/* A person's next click or key comes as an event of its own, in a later turn of the main loop
 * than the frame or the reply it answers. The bench calls the app's actions directly, so before
 * each it lets the loop turn until the 1 ms probe has run: otherwise a frame that just ended and
 * the click made right after it, in the same turn, would count as one stall that no person can
 * cause. */
static void
settle (void)
{
  guint seen = ticks;

  while (ticks == seen)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Predicate) (gpointer data);

static void
wait_until (Predicate   done,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          fprintf (stderr, "bench-stalls: gave up waiting for %s\n", what);
          exit (2);
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

static int over_budget;

/* @budgeted: FALSE for figures shown for information only. */
static void
report (const char *what,
        const char *detail,
        gboolean    budgeted)
{
  double ms;
  gboolean ok;

  /* The gap that ended the operation counts too: the callback that finished it may have run
   * long, and the timeout has not run since. */
  tick (NULL);
  ms = longest_gap / 1000.0;
  ok = !budgeted || ms <= BUDGET_MS;

  printf ("%-40s %8.1f ms %8.1f ms  %s\n", what, ms, longest_gap_cpu / 1000.0,
          !budgeted ? "(not budgeted)" : ok ? "ok" : "OVER BUDGET");
  /* Work moved off the main thread shows here even when the longest gap is a frame. */
  printf ("    main thread's CPU over the whole operation: %.1f ms\n",
          (thread_cpu_usec () - op_cpu_start) / 1000.0);
  if (detail != NULL)
    printf ("    %s\n", detail);
  /* For a profiler recording on CLOCK_MONOTONIC (perf record -k CLOCK_MONOTONIC): the window
   * of the longest gap, to look at only what ran in it. */
  if (g_getenv ("TB_BENCH_STALLS_WINDOWS") != NULL)
    printf ("    longest gap: %.6f,%.6f s monotonic; whole operation: %.6f,%.6f\n",
            (longest_gap_end - longest_gap) / 1e6, longest_gap_end / 1e6, op_start / 1e6,
            g_get_monotonic_time () / 1e6);
  if (g_getenv ("TB_BENCH_STALLS_WINDOWS") != NULL)
    print_frames (longest_gap_end - longest_gap, longest_gap_end);
  fflush (stdout);
  over_budget |= !ok;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_is_sensitive (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
click (GtkWidget  *widget,
       const char *label)
{
  GtkWidget *button = find_button (widget, label);

  if (button == NULL)
    {
      fprintf (stderr, "bench-stalls: no button “%s”\n", label);
      exit (2);
    }
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
find_toplevel (GType       type,
               const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data) &&
        (heading == NULL ||
         g_str_has_prefix (adw_message_dialog_get_heading (l->data), heading)))
      return l->data;
  return NULL;
}

static TbWindow *window;
static TbContext *context;

static gboolean
painted (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window)) && !tb_context_get_demo_pending (context);
}

static gboolean
painted_realized (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_frame_clock (data) != NULL;
}

static gboolean
signed_in_and_read (gpointer data)
{
  TbPrincipalsPage *page = tb_window_get_principals_page (window);

  return tb_auth_get_signed_in (tb_context_get_auth (context)) &&
         tb_principals_page_has_snapshot (page) && !tb_principals_page_get_loading (page);
}

static gboolean
principals_idle (gpointer data)
{
  return !tb_principals_page_get_loading (tb_window_get_principals_page (window));
}

static gboolean
pool_idle (gpointer data)
{
  return !tb_pool_page_get_loading (tb_window_get_pool_page (window));
}

static gboolean
certificates_idle (gpointer data)
{
  return !tb_certificates_page_get_loading (tb_window_get_certificates_page (window));
}

static gboolean
trust_settled (gpointer data)
{
  TbEstablishTrustState state = tb_establish_trust_dialog_get_state (data);

  return state == TB_ESTABLISH_TRUST_STATE_PLAN || state == TB_ESTABLISH_TRUST_STATE_DONE ||
         state == TB_ESTABLISH_TRUST_STATE_FAILED;
}

/* Paints of the main window and of the Establish Trust dialog, counted apart: each wait is
 * for its own window's frame. */
static guint window_paints, dialog_paints, consent_paints;

/* @data: the counter of the window whose clock this is. */
static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
}

/* A wait for a window's next paint: its counter, and the paints it had counted before. */
typedef struct
{
  const guint *paints;
  guint        seen;
} PaintWait;

static gboolean
painted_since (gpointer data)
{
  const PaintWait *wait = data;

  return *wait->paints > wait->seen;
}

static gboolean
consent_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG, "Allow Changes") != NULL;
}

static gboolean
write_access_and_settled (gpointer data)
{
  return tb_auth_get_access (tb_context_get_auth (context)) == TB_AUTH_ACCESS_WRITE &&
         trust_settled (data);
}

/* Just under the 1 MiB the Certificates page accepts: EC certificates, as PEM, one file. */
static GFile *
make_bundle (guint *n_certificates)
{
  g_autoptr(GString) pem = g_string_new (NULL);
  g_autofree char *path = NULL;
  guint n = 0;

  for (;; n++)
    {
      g_autofree char *cn = g_strdup_printf ("bundle-%04u.contoso.com", n);
      TbTestCertSpec spec = { .common_name = cn, .key_type = TB_TEST_KEY_EC_P256,
                              .serial = 0x1000 + n };
      g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
      g_autofree char *one = tb_test_cert_to_pem (der);

      if (pem->len + strlen (one) > 1024 * 1024 - 64)
        break;
      g_string_append (pem, one);
    }
  *n_certificates = n;
  path = tb_test_write_file ("bundle-1mib.pem", pem->str, pem->len);
  return g_file_new_for_path (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GFile) bundle = NULL;
  g_autoptr(GFile) oauth = NULL;
  g_autofree char *detail = NULL;
  TbEstablishTrustDialog *dialog;
  AdwMessageDialog *consent;
  guint n_certificates;

  /* As the app's main () does. */
  tb_application_tune_allocator ();
  tb_renderer_init ();
  gtk_init ();
  adw_init ();
  setvbuf (stdout, NULL, _IOLBF, 0);

  bundle = make_bundle (&n_certificates);
  {
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;
    TbTestCertSpec spec = { .common_name = "oauth2027.contoso.com",
                            .key_type = TB_TEST_KEY_RSA,
                            .not_before = now - 86400, .not_after = now + 700 * 86400 };
    g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
    g_autofree char *path = tb_test_write_file ("pool-oauth.cer", g_bytes_get_data (der, NULL),
                                                g_bytes_get_size (der));

    oauth = g_file_new_for_path (path);
  }

  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, NULL, NULL);

  /* As trust-bridge --demo: announced now, started after the first frame. */
  context = tb_context_new ();
  tb_test_prepare_demo (context);
  window = tb_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  tb_demo_start_async (tb_demo_get_for_context (context), NULL, NULL, NULL);
  wait_until (painted, NULL, "the demo to start");
  watch_frames (GTK_WIDGET (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &window_paints);
  printf ("%-40s %11s %11s  budget %.0f ms\n", "longest main-loop stall", "wall",
          "main CPU", BUDGET_MS);

  /* The admin sees the page before signing in on it: its first frame is not the sign-in's. */
  tb_window_show_page (window, "service-principals");
  wait_until (painted_since, &(PaintWait) { &window_paints, window_paints },
              "the Service Principals page to be drawn");
  measure_start ();
  settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  wait_until (signed_in_and_read, NULL, "sign-in and the tenant's read");
  report ("demo tenant: sign-in and first read", NULL, TRUE);

  measure_start ();
  settle ();
  tb_principals_page_refresh (tb_window_get_principals_page (window));
  wait_until (principals_idle, NULL, "the refresh");
  report ("demo tenant refresh", NULL, TRUE);

  /* Showing the page is not part of the read: its first frame is drawn before, and shown on
   * a line of its own. */
  measure_start ();
  settle ();
  tb_window_show_page (window, "pool");
  wait_until (pool_idle, NULL, "the pool page");
  wait_until (painted_since, &(PaintWait) { &window_paints, window_paints },
              "the pool page to be drawn");
  report ("showing the Pool page", NULL, FALSE);

  measure_start ();
  settle ();
  click (GTK_WIDGET (tb_window_get_pool_page (window)), "_Connect");
  g_main_context_iteration (NULL, FALSE);
  wait_until (pool_idle, NULL, "the pool read");
  report ("pool read over WinRM (demo Front End)",
          tb_pool_page_get_error (tb_window_get_pool_page (window)), TRUE);

  tb_window_open_files (window, &oauth, 1);
  wait_until (certificates_idle, NULL, "the OAuth certificate");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.establish-trust", NULL));
  dialog = TB_ESTABLISH_TRUST_DIALOG (find_toplevel (TB_TYPE_ESTABLISH_TRUST_DIALOG, NULL));
  g_assert_nonnull (dialog);
  wait_until (painted_realized, dialog, "the dialog");
  watch_frames (GTK_WIDGET (dialog));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (dialog)), "after-paint",
                    G_CALLBACK (on_after_paint), &dialog_paints);
  measure_start ();
  settle ();
  tb_establish_trust_dialog_show_plan (dialog);
  wait_until (trust_settled, dialog, "the plan");
  /* The admin reads the plan before approving it: Apply is clicked once it was drawn. */
  wait_until (painted_since, &(PaintWait) { &dialog_paints, dialog_paints },
              "the plan to be drawn");
  settle ();
  tb_establish_trust_dialog_apply (dialog);
  wait_until (consent_shown, NULL, "the write access consent");
  consent = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG, "Allow Changes"));
  /* And the consent before answering it: once it is on screen and drawn. */
  wait_until (painted_realized, consent, "the write access consent to be shown");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (consent)), "after-paint",
                    G_CALLBACK (on_after_paint), &consent_paints);
  wait_until (painted_since, &(PaintWait) { &consent_paints, consent_paints },
              "the write access consent to be drawn");
  settle ();
  adw_message_dialog_response (consent, "sign-in");
  gtk_window_destroy (GTK_WINDOW (consent));
  wait_until (write_access_and_settled, dialog, "Establish Trust");
  detail = g_strdup_printf ("ended in state “%s”",
                            tb_enum_to_nick (TB_TYPE_ESTABLISH_TRUST_STATE,
                                             tb_establish_trust_dialog_get_state (dialog)));
  report ("Establish Trust (plan, consent, apply)", detail, TRUE);
  gtk_window_destroy (GTK_WINDOW (dialog));

  measure_start ();
  settle ();
  tb_window_open_files (window, &bundle, 1);
  g_main_context_iteration (NULL, FALSE);
  wait_until (certificates_idle, NULL, "the PEM bundle");
  g_clear_pointer (&detail, g_free);
  detail = g_strdup_printf ("%u certificates; %u listed", n_certificates,
                            g_list_model_get_n_items (tb_certificates_page_get_certificates (
                              tb_window_get_certificates_page (window))));
  report ("1 MiB PEM bundle", detail, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (context);
  return over_budget ? 1 : 0;
}
