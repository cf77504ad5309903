/* audit-bench.c: the audit of Microsoft-owned principals at 10,000 and 100,000 principals
 *
 * Not a test: it prints numbers. For each tenant size, with the owner filter and with a tenant
 * that refuses it (every principal paged), against the simulator with 50 ms of latency a
 * request:
 *   - trust-bridge-cli --json audit as a child process: its peak resident memory (wait4's
 *     ru_maxrss) and wall time;
 *   - the same audit in this process: Graph requests, pages and wall time.
 * The simulator runs in this process, so the child's memory is the client's alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <unistd.h>

#include "tb-audit-private.h"
#include "tb-auth.h"
#include "tb-graph-client-private.h"
#include "tb-sim-private.h"
#include "tb-test-util.h"

#define MICROSOFT_OWNED 3000
#define LATENCY_MS      50

static void
die_on_error (GError *error)
{
  if (error != NULL)
    {
      fprintf (stderr, "audit-bench: %s\n", error->message);
      exit (1);
    }
}

static gboolean
poll_quit (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Runs the CLI while the simulator keeps serving from this main loop; peak RSS in KiB. */
static void
run_cli (TbSim      *sim,
         const char *endpoints,
         long       *max_rss_kib,
         double     *seconds,
         int        *exit_status)
{
  g_autofree char *cli = g_build_filename (g_getenv ("TB_BUILD_DIR"), "app", "trust-bridge-cli",
                                           NULL);
  char *argv[] = { cli, (char *) "--endpoints", (char *) endpoints, (char *) "--json",
                   (char *) "audit", NULL };
  GError *error = NULL;
  GPid pid;
  int out_fd;
  gint64 start = g_get_monotonic_time ();
  struct rusage usage;
  int status = 0;
  g_autoptr(GString) drained = g_string_new (NULL);

  g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  die_on_error (error);
  g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);

  for (;;)
    {
      char buffer[4096];
      ssize_t n;
      pid_t done;

      while ((n = read (out_fd, buffer, sizeof buffer)) > 0)
        g_string_append_len (drained, buffer, n);
      done = wait4 (pid, &status, WNOHANG, &usage);
      if (done == pid)
        break;
      if (done < 0 && errno != EINTR)
        {
          perror ("wait4");
          exit (1);
        }
      /* Serve the simulator; wake at least every 5 ms to look at the child. */
      g_timeout_add (5, poll_quit, NULL);
      g_main_context_iteration (NULL, TRUE);
    }
  close (out_fd);
  g_spawn_close_pid (pid);

  *seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  *max_rss_kib = usage.ru_maxrss;
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
bench_tenant (guint    total,
              gboolean refuse_filter)
{
  g_autoptr(TbSim) sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(TbGraphClient) client = NULL;
  g_autoptr(TbAudit) audit = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *endpoints = g_strdup_printf ("%s/audit-bench-%d.endpoints", g_get_tmp_dir (),
                                                getpid ());
  GError *error = NULL;
  guint requests;
  gint64 start;
  double cli_seconds;
  double audit_seconds;
  long max_rss;
  int cli_status;

  tb_sim_set_population (sim, total, MICROSOFT_OWNED);
  tb_sim_set_owner_filter_refused (sim, refuse_filter);
  tb_test_sim_start (sim);
  tb_sim_write_endpoints_file (sim, endpoints, &error);
  die_on_error (error);

  client = tb_test_graph_client_new (sim, TB_AUTH_ACCESS_READ, &auth);

  tb_sim_set_latency (sim, LATENCY_MS);

  audit = tb_audit_new (client);
  requests = tb_graph_client_get_request_count (client);
  start = g_get_monotonic_time ();
  tb_audit_run_async (audit, NULL, NULL, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  tb_audit_run_finish (audit, result, &error);
  die_on_error (error);
  audit_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  run_cli (sim, endpoints, &max_rss, &cli_seconds, &cli_status);

  printf ("%7u principals, %-22s %4u requests %3u pages %7.2f s | CLI peak RSS %6.1f MiB "
          "%7.2f s exit %d\n",
          total, refuse_filter ? "filter refused (all):" : "owner filter:",
          tb_graph_client_get_request_count (client) - requests, tb_audit_get_pages (audit),
          audit_seconds,
          max_rss / 1024.0, cli_seconds, cli_status);
  fflush (stdout);

  g_remove (endpoints);
  tb_sim_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  const guint sizes[] = { 10000, 100000 };

  printf ("Audit of Microsoft-owned service principals (%u of them), %u ms latency a request.\n"
          "Requests, pages and time of the audit in process; peak memory and time of\n"
          "trust-bridge-cli --json audit (sign-in included) as a child process.\n",
          MICROSOFT_OWNED, LATENCY_MS);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      bench_tenant (sizes[i], FALSE);
      bench_tenant (sizes[i], TRUE);
    }
  return 0;
}
