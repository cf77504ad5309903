/* graph-bench.c: HTTP requests and wall time per Microsoft 365 operation
 *
 * Runs the real client against the simulator with 50 ms of latency per request, as a rough
 * stand-in for Graph over the Internet. Not a test: it prints numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "tb-auth.h"
#include "tb-graph-client-private.h"
#include "tb-graph-client-edit.h"
#include "tb-plan.h"
#include "tb-profile.h"
#include "tb-sim-private.h"
#include "tb-test-util.h"

typedef struct
{
  TbGraphClient *client;
  guint          requests;
  gint64         start;
} Measure;

static void
measure_start (Measure *m)
{
  m->requests = tb_graph_client_get_request_count (m->client);
  m->start = g_get_monotonic_time ();
}

static void
measure_print (Measure    *m,
               const char *what)
{
  printf ("%-50s %4u requests %8.3f s\n", what,
          tb_graph_client_get_request_count (m->client) - m->requests,
          (g_get_monotonic_time () - m->start) / (double) G_USEC_PER_SEC);
}

static void
die_on_error (GError *error)
{
  if (error != NULL)
    {
      fprintf (stderr, "graph-bench: %s\n", error->message);
      exit (1);
    }
}

static void
run_plan (TbGraphClient *client,
          TbProfile     *profile,
          TbCertificate *cert,
          const char    *what)
{
  const char *fqdns[] = { "webext.contoso.com", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) applied = NULL;
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  GError *error = NULL;
  Measure m = { client };

  measure_start (&m);
  tb_plan_new_establish_trust_async (client, profile, cert, fqdns, NULL, tb_test_store_result,
                                     NULL);
  result = tb_test_wait_result ();
  plan = tb_plan_new_establish_trust_finish (result, &error);
  die_on_error (error);
  tb_plan_apply_async (plan, NULL, tb_test_store_result, NULL);
  applied = tb_test_wait_result ();
  changes = tb_plan_apply_finish (plan, applied, &error);
  die_on_error (error);
  tb_plan_verify_async (plan, NULL, tb_test_store_result, NULL);
  verified = tb_test_wait_result ();
  tb_plan_verify_finish (plan, verified, &error);
  die_on_error (error);
  measure_print (&m, what);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TbSim) sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(TbGraphClient) client = NULL;
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  g_auto(GStrv) ids = tb_profile_dup_app_ids (profile);
  g_autoptr(TbCertificate) cert = NULL;
  TbTestCertSpec spec = { .common_name = "sfbpool.contoso.com", .key_type = TB_TEST_KEY_EC_P256 };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  GError *error = NULL;
  Measure m;

  tb_test_sim_start (sim);
  cert = tb_certificate_new_from_der (der, &error);
  die_on_error (error);

  client = tb_test_graph_client_new (sim, TB_AUTH_ACCESS_WRITE, &auth);
  m.client = client;

  tb_sim_set_latency (sim, 50);
  printf ("Simulator latency: 50 ms per request\n");

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TbGraphSnapshot) snapshot = NULL;

    measure_start (&m);
    tb_graph_client_snapshot_async (client, (const char * const *) ids, NULL,
                                    tb_test_store_result, NULL);
    result = tb_test_wait_result ();
    snapshot = tb_graph_client_snapshot_finish (client, result, &error);
    die_on_error (error);
    measure_print (&m, "page refresh (organization + 5 principals)");
  }

  {
    const char *targets[] = { TB_APP_ID_SKYPE_ONLINE, TB_APP_ID_EXCHANGE_ONLINE };
    g_autoptr(TbCertificate) other = NULL;
    TbTestCertSpec spec2 = { .common_name = "other.contoso.com", .key_type = TB_TEST_KEY_EC_P256 };
    g_autoptr(GBytes) der2 = tb_test_cert_make (&spec2, NULL);

    other = tb_certificate_new_from_der (der2, &error);
    die_on_error (error);
    measure_start (&m);
    for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
      {
        g_autoptr(TbPrincipalEdit) edit = tb_principal_edit_new_add_certificate (targets[i], other, NULL, 0, &error);
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(TbChange) change = NULL;

        die_on_error (error);
        tb_graph_client_apply_edit_async (client, edit, NULL, tb_test_store_result, NULL);
        result = tb_test_wait_result ();
        change = tb_graph_client_apply_edit_finish (client, result, &error);
        die_on_error (error);
      }
    measure_print (&m, "add a certificate to two principals, verified");
  }

  run_plan (client, profile, cert, "one-click establish trust, first run");
  run_plan (client, profile, cert, "one-click establish trust, second run");

  tb_sim_stop (sim);
  return 0;
}
