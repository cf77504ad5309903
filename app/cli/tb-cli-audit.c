/* tb-cli-audit.c: trust-bridge-cli audit
 *
 * Every key and password credential on Microsoft-owned service principals, classified as this
 * pool's, documented hybrid use, known (the admin's note in the "audit-known" setting, shared
 * with the GUI) or unexplained. Findings are kept, principals are not: the client holds one
 * page of the tenant at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-audit"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-audit.h"
#include "tb-certificate-loader.h"
#include "tb-cli.h"
#include "tb-cli-m365-private.h"
#include "tb-format.h"
#include "tb-pool-state.h"
#include "tb-tenant.h"

typedef struct
{
  GPtrArray    *findings;
} AuditRun;

static void
collect_page (TbAudit   *audit,
              GPtrArray *findings,
              guint      scanned,
              guint      estimate,
              gpointer   user_data)
{
  AuditRun *run = user_data;

  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (run->findings, g_object_ref (g_ptr_array_index (findings, i)));
}

static gboolean
add_certificate_file (TbAudit    *audit,
                      const char *path)
{
  g_autoptr(GPtrArray) certs = _tb_cli_m365_load_certificates (path);

  if (certs == NULL)
    return FALSE;
  /* A bundle may hold the current and the next certificate: each is the pool's. */
  for (guint i = 0; i < certs->len; i++)
    tb_audit_add_pool_certificate (audit, g_ptr_array_index (certs, i));
  return TRUE;
}

static gboolean
add_pool_state_file (TbAudit    *audit,
                     const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GError) error = NULL;

  state = tb_pool_state_new_from_file (file, NULL, &error);
  if (state == NULL)
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }
  if (!tb_audit_add_pool_state (audit, state))
    {
      tb_cli_error (_("“%s” does not name the pool’s OAuth certificate."), path);
      return FALSE;
    }
  return TRUE;
}

static void
print_csv (GPtrArray *findings)
{
  printf ("%s\r\n", tb_audit_csv_header ());
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *row = tb_audit_finding_to_csv (g_ptr_array_index (findings, i));

      printf ("%s\r\n", row);
    }
}

static void
print_text (TbAudit   *audit,
            GPtrArray *findings)
{
  guint counts[TB_AUDIT_ORIGIN_KNOWN + 1] = { 0 };
  int last = -1;
  const char *last_object = NULL;

  for (guint i = 0; i < findings->len; i++)
    counts[tb_audit_finding_get_origin (g_ptr_array_index (findings, i))]++;

  printf (_("Scanned %u service principals, %u of them Microsoft’s.\n"),
          tb_audit_get_scanned (audit), tb_audit_get_microsoft_owned (audit));
  if (tb_audit_get_used_fallback (audit))
    printf ("%s\n", _("The tenant refused the owner filter; every service principal was read."));
  printf (_("Credentials: %u unexplained, %u documented hybrid use, %u this pool, %u known.\n"),
          counts[TB_AUDIT_ORIGIN_UNEXPLAINED], counts[TB_AUDIT_ORIGIN_DOCUMENTED],
          counts[TB_AUDIT_ORIGIN_POOL], counts[TB_AUDIT_ORIGIN_KNOWN]);

  for (guint i = 0; i < findings->len; i++)
    {
      TbAuditFinding *f = g_ptr_array_index (findings, i);
      TbAuditOrigin origin = tb_audit_finding_get_origin (f);
      GDateTime *end = tb_audit_finding_get_end (f);
      g_autofree char *until = end != NULL ? tb_format_local (end) : g_strdup ("?");
      const char *sha1 = tb_audit_finding_get_sha1 (f);
      const char *name = tb_audit_finding_get_credential_name (f);

      if ((int) origin != last)
        {
          printf ("\n%s\n", tb_audit_origin_get_label (origin));
          last = origin;
          last_object = NULL;
        }
      if (g_strcmp0 (last_object, tb_audit_finding_get_object_id (f)) != 0)
        printf ("  %s (%s)\n", tb_audit_finding_get_display_name (f),
                tb_audit_finding_get_app_id (f));
      last_object = tb_audit_finding_get_object_id (f);
      printf ("    %-13s %s %s  %s %s\n",
              tb_certificate_status_get_label (tb_audit_finding_get_status (f)),
              tb_audit_finding_get_kind (f) == TB_AUDIT_KIND_PASSWORD ? _("secret") : _("key"),
              sha1 != NULL ? sha1 : tb_audit_finding_get_key_id (f),
              _("until"), until);
      printf ("    %s %s", _("key ID"), tb_audit_finding_get_key_id (f));
      if (name != NULL)
        printf ("  “%s”", name);
      printf ("\n");
      if (tb_audit_finding_get_note (f) != NULL)
        printf ("    %s %s\n", _("Note:"), tb_audit_finding_get_note (f));
    }

  if (counts[TB_AUDIT_ORIGIN_UNEXPLAINED] > 0)
    printf ("\n%s\n",
            _("Unexplained credentials let whoever holds them act as Microsoft’s application in "
              "this tenant. Find who added each one (Entra audit log: “Update service "
              "principal”, “Add service principal credentials”); remove it unless its owner can "
              "explain it."));
}

int
tb_cli_audit (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *pool_state = NULL;
  gboolean csv = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, NULL, NULL },
    { "pool-state", 0, 0, G_OPTION_ARG_FILENAME, &pool_state, NULL, NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, NULL, NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TbAudit) audit = NULL;
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func (g_object_unref);
  AuditRun run = { findings };
  g_autoptr(GAsyncResult) result = NULL;
  TbAuth *auth;
  const char *tenant_id;
  gboolean unexplained = FALSE;

  if (!tb_cli_parse_options (inv, entries))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] != NULL)
    {
      tb_cli_error (_("audit takes no arguments, only options"));
      return TB_CLI_EXIT_ERROR;
    }
  if (cert != NULL && pool_state != NULL)
    {
      tb_cli_error (_("Give either --cert or --pool-state, not both."));
      return TB_CLI_EXIT_ERROR;
    }
  if (csv && inv->json)
    {
      tb_cli_error (_("Give either --csv or --json, not both."));
      return TB_CLI_EXIT_ERROR;
    }
  if (tenant != NULL)
    {
      if (!tb_tenant_check_input (tenant, &error))
        {
          tb_cli_error ("%s", error->message);
          return TB_CLI_EXIT_ERROR;
        }
    }

  audit = tb_audit_new (tb_context_get_graph_client (inv->context));
  tb_audit_set_warn_days (audit, tb_context_get_warn_days (inv->context));
  /* Files first: bad input stops before anyone is asked to sign in. */
  if (cert != NULL && !add_certificate_file (audit, cert))
    return TB_CLI_EXIT_ERROR;
  if (pool_state != NULL && !add_pool_state_file (audit, pool_state))
    return TB_CLI_EXIT_ERROR;

  if (!tb_cli_m365_sign_in (inv, tenant, &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }
  auth = tb_context_get_auth (inv->context);
  tenant_id = tb_auth_get_tenant_id (auth);
  tb_audit_set_known (audit, tb_context_get_settings (inv->context), tenant_id);

  tb_audit_run_async (audit, collect_page, &run, NULL, tb_cli_store_result, &result);
  if (!tb_audit_run_finish (audit, tb_cli_wait_for (&result), &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  g_ptr_array_sort (findings, tb_audit_finding_compare);
  for (guint i = 0; i < findings->len; i++)
    if (tb_audit_finding_get_origin (g_ptr_array_index (findings, i)) ==
        TB_AUDIT_ORIGIN_UNEXPLAINED)
      unexplained = TRUE;

  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_audit_report_json (tenant_id, tb_audit_get_scanned (audit),
                                                       findings);

      tb_cli_print_json (root);
    }
  else if (csv)
    print_csv (findings);
  else
    print_text (audit, findings);

  return unexplained ? TB_CLI_EXIT_CHECK_FAILED : TB_CLI_EXIT_OK;
}
