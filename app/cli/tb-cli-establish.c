/* tb-cli-establish.c: trust-bridge-cli trust establish: the Microsoft 365 half, then the pool half
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-establish"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-certificate-loader.h"
#include "tb-cli.h"
#include "tb-cli-labels.h"
#include "tb-cli-m365-private.h"
#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-guards.h"
#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-plan.h"
#include "tb-principal-edit.h"
#include "tb-profile.h"
#include "tb-step.h"
#include "tb-tenant.h"
#include "tb-pool-connection.h"
#include "tb-trust-check.h"

/* ---- trust establish ------------------------------------------------------------------ */

static void
on_step_started (TbPlan  *plan,
                 TbStep  *step,
                 guint    index,
                 gpointer user_data)
{
  TbCliInvocation *inv = user_data;

  if (!inv->json)
    fprintf (stderr, "[%u] %s…\n", index + 1, tb_step_get_title (step));
}

/* --json with a pool half: one document for both halves, {"changes": [Microsoft 365's],
 * "pool": {"source", "server", "pending", "dry_run", "changes": [{"item", "action",
 * "detail"}]}, "trust": the trust check as trust check --json prints it, once read again}. */
static void
print_both_halves_json (GPtrArray         *m365_changes,
                        TbWorkspace       *workspace,
                        TbPoolApplyResult *applied,
                        TbTrustReport     *report)
{
  g_autoptr(JsonNode) root = tb_changes_to_json (m365_changes);
  g_autoptr(JsonNode) pool_changes = tb_changes_to_json (applied != NULL ? applied->changes
                                                                         : NULL);
  JsonObject *pool = json_object_new ();

  json_object_set_string_member (pool, "source",
                                 tb_pool_source_to_string (tb_workspace_get_pool_source (workspace)));
  json_object_set_string_member (pool, "server", tb_workspace_get_pool_server (workspace));
  json_object_set_boolean_member (pool, "pending", applied == NULL);
  json_object_set_boolean_member (pool, "dry_run", applied != NULL && applied->dry_run);
  json_object_set_array_member (pool, "changes",
                                json_array_ref (json_object_get_array_member (
                                  json_node_get_object (pool_changes), "changes")));
  json_object_set_object_member (json_node_get_object (root), "pool", pool);
  if (report != NULL)
    json_object_set_member (json_node_get_object (root), "trust",
                            tb_trust_report_to_json (report, workspace));
  tb_cli_print_json (root);
}

/* The pool half of trust establish, after the Microsoft 365 half verified: applied over WinRM
 * when the pool is reached live, then both halves read again and the trust check shown; with
 * a state file, what to run where. */
static int
establish_pool_half (TbCliInvocation *inv,
                     GPtrArray       *m365_changes,
                     TbWorkspace     *workspace,
                     TbPoolClient    *client,
                     gboolean         dry_run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbPoolApplyResult) applied = NULL;
  g_autoptr(TbTrustReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *tenant_id = tb_auth_get_tenant_id (tb_context_get_auth (inv->context));
  FILE *out = inv->json ? stderr : stdout;

  if (tb_context_get_demo (inv->context))
    tenant_id = tb_context_get_demo_tenant_id (inv->context);
  if (tenant_id == NULL)
    tenant_id = tb_workspace_get_tenant_id (workspace);

  if (client == NULL)
    {
      if (inv->json)
        print_both_halves_json (m365_changes, workspace, NULL, NULL);
      /* Script round trip: the admin carries the apply script to the Front End. */
      fprintf (out, "\n%s\n  trust-bridge-cli pool script apply --tenant %s > apply.ps1\n",
               _("Pool half pending. Run the apply script in the Skype for Business Server "
                 "Management Shell on a Front End of the pool, then bring the state back "
                 "(pool script read) and run trust check --pool-state FILE:"),
               tenant_id != NULL ? tenant_id : "GUID");
      return TB_CLI_EXIT_OK;
    }

  fprintf (stderr, "%s\n", _("Pool half: applying…"));
  tb_pool_client_apply_async (client, tenant_id, tb_pool_connection_get_acs_base (inv->context),
                              dry_run, NULL, tb_cli_store_result, &result);
  applied = tb_pool_client_apply_finish (client, tb_cli_wait_for (&result), &error);
  g_clear_object (&result);
  if (applied == NULL)
    {
      tb_cli_error (_("Pool half, applying on %s: %s (the Microsoft 365 half stays as it is "
                      "now)"), tb_workspace_get_pool_server (workspace), error->message);
      return g_error_matches (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_VERIFY_FAILED)
               ? TB_CLI_EXIT_CHECK_FAILED : TB_CLI_EXIT_ERROR;
    }
  if (!inv->json)
    tb_cli_pool_print_changes (applied, tb_workspace_get_pool_server (workspace));
  if (dry_run)
    {
      if (inv->json)
        print_both_halves_json (m365_changes, workspace, applied, NULL);
      return TB_CLI_EXIT_OK;
    }

  /* Both halves read again: only a trust check without failures counts. */
  tb_workspace_set_pool_state (workspace, applied->after, tb_workspace_get_pool_source (workspace),
                               tb_workspace_get_pool_server (workspace));
  if (!tb_cli_trust_read_tenant (inv, FALSE, workspace))
    return TB_CLI_EXIT_ERROR;
  report = tb_cli_trust_compute (inv, workspace);
  if (report == NULL)
    return TB_CLI_EXIT_ERROR;
  if (inv->json)
    print_both_halves_json (m365_changes, workspace, applied, report);
  else
    {
      printf ("\n");
      tb_cli_trust_print (report, workspace);
    }
  if (tb_trust_report_count (report, TB_TRUST_STATUS_FAILED) > 0)
    {
      tb_cli_error (_("Both halves were applied, but the trust check still fails."));
      return TB_CLI_EXIT_CHECK_FAILED;
    }
  return TB_CLI_EXIT_OK;
}

typedef struct
{
  char     *tenant;
  char     *cert_path;
  GStrv     fqdn_options;
  gboolean  dry_run;
  gboolean  include_exchange;
  TbCliPoolSource pool;
} EstablishOptions;

static void
establish_options_clear (EstablishOptions *o)
{
  g_clear_pointer (&o->tenant, g_free);
  g_clear_pointer (&o->cert_path, g_free);
  g_clear_pointer (&o->fqdn_options, g_strfreev);
  tb_cli_pool_source_clear (&o->pool);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EstablishOptions, establish_options_clear)

/* The certificate and FQDNs to establish: from the options, or (both halves) from the pool,
 * read into *@workspace with *@pool_client set when it is reached live. TB_CLI_EXIT_OK to go
 * on, anything else after an error message. */
static int
read_inputs (TbCliInvocation   *inv,
             EstablishOptions  *o,
             TbWorkspace      **workspace,
             TbPoolClient     **pool_client,
             TbCertificate    **cert,
             GStrv             *fqdns)
{
  g_autoptr(GStrvBuilder) fqdn_builder = g_strv_builder_new ();

  /* "--fqdn a --fqdn b" and "--fqdn a b" both work; bare words without --fqdn do not. */
  if (o->fqdn_options != NULL)
    {
      g_strv_builder_addv (fqdn_builder, (const char **) o->fqdn_options);
      g_strv_builder_addv (fqdn_builder, (const char **) inv->args);
    }
  *fqdns = g_strv_builder_end (fqdn_builder);

  if (!tb_cli_pool_source_check (inv, &o->pool))
    return TB_CLI_EXIT_ERROR;
  if (o->pool.connection.host == NULL && o->pool.state_path == NULL)
    {
      if (o->cert_path == NULL || (*fqdns)[0] == NULL)
        {
          tb_cli_error (_("usage: trust establish --tenant T --cert FILE --fqdn FQDN… "
                          "[--include-exchange] [--dry-run]"));
          return TB_CLI_EXIT_ERROR;
        }
      *cert = _tb_cli_m365_load_certificate (o->cert_path);
      return *cert != NULL ? TB_CLI_EXIT_OK : TB_CLI_EXIT_ERROR;
    }

  /* Both halves: the certificate and FQDNs come from the pool. */
  if (o->cert_path != NULL || (*fqdns)[0] != NULL)
    {
      tb_cli_error (_("With --pool-host or --pool-state the certificate and FQDNs come "
                      "from the pool: leave out --cert and --fqdn."));
      return TB_CLI_EXIT_ERROR;
    }
  *workspace = tb_context_new_workspace (inv->context);
  if (!tb_cli_trust_read_pool (inv, &o->pool, *workspace, pool_client))
    {
      tb_cli_error (_("Pool half, reading the pool: nothing was changed."));
      return TB_CLI_EXIT_ERROR;
    }
  g_strfreev (*fqdns);
  *fqdns = tb_workspace_dup_trust_fqdns (*workspace);
  if (tb_workspace_get_trust_certificate (*workspace) == NULL || *fqdns == NULL ||
      (*fqdns)[0] == NULL)
    {
      tb_cli_error (_("Pool half, reading the pool: the pool state has no usable "
                      "OAuthTokenIssuer certificate or no external web services FQDN; "
                      "nothing was changed."));
      return TB_CLI_EXIT_CHECK_FAILED;
    }
  *cert = g_object_ref (tb_workspace_get_trust_certificate (*workspace));
  return TB_CLI_EXIT_OK;
}

/* Where the admin acts: once per notice, though several steps may carry it. */
static void
show_notices (GPtrArray *steps)
{
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < steps->len; i++)
    {
      const char *notice = tb_step_get_notice (g_ptr_array_index (steps, i));

      if (notice != NULL && g_hash_table_add (shown, (gpointer) notice))
        fprintf (stderr, "%s\n\n", notice);
    }
}

/* Uploads to a principal whose certificates Microsoft is retiring (Exchange Online) are made
 * only on request, as the window's Establish Trust does; verifying then checks only the
 * steps left. */
static void
leave_out_opt_in_steps (TbPlan *plan)
{
  GPtrArray *steps = tb_plan_get_steps (plan);

  for (guint i = steps->len; i > 0; i--)
    {
      TbStep *step = g_ptr_array_index (steps, i - 1);

      if (!tb_step_is_opt_in (step))
        continue;
      if (tb_step_get_change (step) != NULL &&
          !tb_change_is_none (tb_step_get_change (step)))
        /* Translators: %s is a step such as "Add the certificate to Office 365 Exchange
         * Online" */
        fprintf (stderr, _("Left out: %s (add --include-exchange to make it).\n\n"),
                 tb_step_get_title (step));
      tb_plan_remove_step (plan, i - 1);
    }
}

/* TRUE after naming every blocked step on stderr. */
static gboolean
report_blocked (TbPlan *plan)
{
  GPtrArray *steps = tb_plan_get_steps (plan);

  if (tb_plan_count_blocked (plan) == 0)
    return FALSE;
  for (guint i = 0; i < steps->len; i++)
    {
      TbStep *step = g_ptr_array_index (steps, i);

      if (tb_step_get_state (step) == TB_STEP_STATE_BLOCKED)
        tb_cli_error ("%s: %s", tb_step_get_title (step), tb_step_get_description (step));
    }
  return TRUE;
}

static void
print_planned_changes (TbCliInvocation *inv,
                       TbPlan          *plan)
{
  GPtrArray *steps = tb_plan_get_steps (plan);
  g_autoptr(GPtrArray) changes = NULL;

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  for (guint i = 0; i < steps->len; i++)
    {
      const TbChange *change = tb_step_get_change (g_ptr_array_index (steps, i));

      if (change != NULL)
        g_ptr_array_add (changes, tb_change_copy (change));
    }
  _tb_cli_m365_print_changes (inv, changes);
}

/* Applies the plan, then reads the tenant again and expects nothing left to do: only a
 * change that verifies counts. TB_CLI_EXIT_OK when the Microsoft 365 half is in place. */
static int
apply_m365_half (TbCliInvocation  *inv,
                 TbPlan           *plan,
                 gboolean          pool_half_follows,
                 GPtrArray       **out_changes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  /* With --json and a pool half, one document for both halves is printed at the end. */
  gboolean print = !(inv->json && pool_half_follows);

  g_signal_connect (plan, "step-started", G_CALLBACK (on_step_started), inv);
  tb_plan_apply_async (plan, NULL, tb_cli_store_result, &result);
  changes = tb_plan_apply_finish (plan, tb_cli_wait_for (&result), &error);
  g_clear_object (&result);
  if (changes == NULL)
    {
      tb_cli_m365_report_error (error);
      if (pool_half_follows)
        tb_cli_error (_("Microsoft 365 half, applying the plan: stopped; the pool was not "
                        "changed."));
      return _tb_cli_m365_exit_status (error);
    }

  tb_plan_verify_async (plan, NULL, tb_cli_store_result, &result);
  if (!tb_plan_verify_finish (plan, tb_cli_wait_for (&result), &error))
    {
      _tb_cli_m365_print_changes (inv, changes);
      _tb_cli_m365_report_losses (changes);
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_CHECK_FAILED;
    }

  if (_tb_cli_m365_report_losses (changes))
    {
      /* The pool half does not follow: this half's changes are the whole output. */
      _tb_cli_m365_print_changes (inv, changes);
      return TB_CLI_EXIT_CHECK_FAILED;
    }
  if (print)
    _tb_cli_m365_print_changes (inv, changes);
  *out_changes = g_steal_pointer (&changes);
  return TB_CLI_EXIT_OK;
}

int
tb_cli_trust_establish (TbCliInvocation *inv)
{
  g_auto(EstablishOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &o.cert_path, NULL, NULL },
    { "fqdn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.fqdn_options, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o.dry_run, NULL, NULL },
    { "include-exchange", 0, 0, G_OPTION_ARG_NONE, &o.include_exchange, NULL, NULL },
    TB_CLI_POOL_SOURCE_ENTRIES (&o.pool),
    { NULL }
  };
  g_autoptr(TbWorkspace) workspace = NULL;
  g_autoptr(TbPoolClient) pool_client = NULL;
  g_autoptr(GPtrArray) m365_changes = NULL;
  g_autoptr(TbCertificate) cert = NULL;
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fqdns = NULL;
  int status;

  if (!tb_cli_parse_options (inv, entries) || !_tb_cli_m365_check_tenant (o.tenant))
    return TB_CLI_EXIT_ERROR;
  status = read_inputs (inv, &o, &workspace, &pool_client, &cert, &fqdns);
  if (status != TB_CLI_EXIT_OK)
    return status;
  /* Whether from a file or from the pool: no expired certificate, no weak key. */
  if (!_tb_cli_m365_check_upload (cert))
    return TB_CLI_EXIT_ERROR;

  _tb_cli_m365_apply_tenant (inv, o.tenant);
  if (!tb_cli_sign_in (inv, o.dry_run ? TB_AUTH_ACCESS_READ : TB_AUTH_ACCESS_WRITE, &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  tb_plan_new_establish_trust_async (tb_context_get_graph_client (inv->context),
                                     tb_context_get_profile (inv->context), cert,
                                     (const char * const *) fqdns, NULL, tb_cli_store_result,
                                     &result);
  plan = tb_plan_new_establish_trust_finish (tb_cli_wait_for (&result), &error);
  if (plan == NULL)
    {
      tb_cli_m365_report_error (error);
      return _tb_cli_m365_exit_status (error);
    }

  if (!inv->json)
    show_notices (tb_plan_get_steps (plan));
  if (!o.include_exchange)
    leave_out_opt_in_steps (plan);
  if (report_blocked (plan))
    return TB_CLI_EXIT_CHECK_FAILED;

  if (o.dry_run)
    {
      print_planned_changes (inv, plan);
      return TB_CLI_EXIT_OK;
    }

  status = apply_m365_half (inv, plan, workspace != NULL, &m365_changes);
  if (status != TB_CLI_EXIT_OK || workspace == NULL)
    return status;
  return establish_pool_half (inv, m365_changes, workspace, pool_client, o.dry_run);
}
