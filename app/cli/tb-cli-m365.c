/* tb-cli-m365.c: trust-bridge-cli tenant …, principals …, credentials …, spn …, trust …
 *
 * The Microsoft 365 half of the trust for scripts. Each command runs the same core services
 * as the GUI through TbContext, waiting on the main context (the demo simulator serves its
 * requests from that same context, so the CLI must never block it).
 *
 * This file holds what the commands share (sign-in, errors, certificates, the changes made)
 * and tenant resolve; principals, credentials and spn are in tb-cli-principals.c, trust
 * establish in tb-cli-establish.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-m365"

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

/* Graph errors carry Graph's code and request-id; admins quote the latter to support. */
void
tb_cli_m365_report_error (const GError *error)
{
  const char *code = NULL;
  const char *request_id = NULL;

  if (error->domain == TB_GRAPH_ERROR)
    {
      code = tb_graph_error_get_code (error);
      request_id = tb_graph_error_get_request_id (error);
    }

  if (code != NULL && request_id != NULL)
    tb_cli_error (_("%s (Graph error %s, request-id %s)"), error->message, code, request_id);
  else if (code != NULL)
    tb_cli_error (_("%s (Graph error %s)"), error->message, code);
  else
    tb_cli_error ("%s", error->message);
}

int
_tb_cli_m365_exit_status (const GError *error)
{
  if (g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED))
    return TB_CLI_EXIT_CHECK_FAILED;
  return TB_CLI_EXIT_ERROR;
}

static void
device_code_prompt (const TbDeviceCodePrompt *prompt,
                    gpointer                  user_data)
{
  /* stdout stays clean for --json; the person reads stderr. The service's own sentence is
   * in its language (English unless asked), so ours comes first whenever the address and
   * the code are known. */
  if (prompt->verification_uri != NULL && prompt->user_code != NULL)
    fprintf (stderr, _("To sign in, open %s and enter the code %s.\n"),
             prompt->verification_uri, prompt->user_code);
  else if (prompt->message != NULL && prompt->message[0] != '\0')
    fprintf (stderr, "%s\n", prompt->message);
  fflush (stderr);
}

/* A token for @access without asking anyone: the cached one, or one refreshed with the
 * token stored in the keyring. */
gboolean
tb_cli_sign_in_cached (TbCliInvocation  *inv,
                       TbAuthAccess      access,
                       GError          **error)
{
  TbAuth *auth = tb_context_get_auth (inv->context);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;

  if (!tb_auth_get_signed_in (auth))
    {
      tb_auth_restore_async (auth, NULL, tb_cli_store_result, &result);
      /* Nothing stored, or no Secret Service: the token request below says so. */
      tb_auth_restore_finish (auth, tb_cli_wait_for (&result), NULL);
      g_clear_object (&result);
    }

  tb_auth_get_token_async (auth, access, NULL, tb_cli_store_result, &result);
  token = tb_auth_get_token_finish (auth, tb_cli_wait_for (&result), error);
  return token != NULL;
}

/* A token for @access: the cached one, one refreshed from the keyring, or a device code
 * sign-in. Read-only unless the command changes something. */
gboolean
tb_cli_sign_in (TbCliInvocation  *inv,
                TbAuthAccess      access,
                GError          **error)
{
  TbAuth *auth = tb_context_get_auth (inv->context);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  if (tb_cli_sign_in_cached (inv, access, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  tb_auth_sign_in_device_code_async (auth, access, device_code_prompt, NULL, NULL,
                                     tb_cli_store_result, &result);
  return tb_auth_sign_in_device_code_finish (auth, tb_cli_wait_for (&result), error);
}

/* --tenant applies to sign-in; the demo serves its own tenant. */
void
_tb_cli_m365_apply_tenant (TbCliInvocation *inv,
                           const char      *tenant)
{
  if (tenant != NULL && !tb_context_get_demo (inv->context))
    tb_context_set_tenant (inv->context, tenant);
}

gboolean
_tb_cli_m365_check_tenant (const char *tenant)
{
  g_autoptr(GError) error = NULL;

  if (tenant == NULL || tb_tenant_check_input (tenant, &error))
    return TRUE;

  tb_cli_error ("%s", error->message);
  return FALSE;
}

GPtrArray *
_tb_cli_m365_load_certificates (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  GPtrArray *certs = tb_certificate_load_file (file, NULL, &error);

  if (certs == NULL)
    tb_cli_error ("%s", error->message);
  return certs;
}

TbCertificate *
_tb_cli_m365_load_certificate (const char *path)
{
  g_autoptr(GPtrArray) certs = _tb_cli_m365_load_certificates (path);

  if (certs == NULL)
    return NULL;
  if (certs->len != 1)
    {
      tb_cli_error (g_dngettext (GETTEXT_PACKAGE,
                                 "“%s” holds %u certificate; give a file with exactly one.",
                                 "“%s” holds %u certificates; give a file with exactly one.",
                                 certs->len),
                    path, certs->len);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (certs, 0));
}

/* The upload guard (tb-guards.h): expired and weak certificates never reach a principal; one
 * not valid yet goes with a warning on stderr. */
gboolean
_tb_cli_m365_check_upload (TbCertificate *cert)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;

  if (!tb_certificate_check_upload (cert, NULL, &warning, &error))
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }
  if (warning != NULL)
    g_printerr ("%s\n", warning);
  return TRUE;
}

/* ---- write commands ------------------------------------------------------------------- */

void
_tb_cli_m365_print_changes (TbCliInvocation *inv,
                            GPtrArray       *changes)
{
  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_changes_to_json (changes);
      tb_cli_print_json (root);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (changes, i);
      g_autofree char *action = tb_cli_pad (tb_cli_action_label (change->action), 18);

      printf ("%s  %s %s\n", change->target, action, change->detail);
      if (change->retries > 0)
        {
          g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "Done after %u request was sent again (Microsoft Graph was briefly unavailable or the connection failed).",
                                                                "Done after %u requests were sent again (Microsoft Graph was briefly unavailable or the connection failed).",
                                                                change->retries),
                                                   change->retries);
          g_autofree char *blank = tb_cli_pad ("", 18);

          printf ("%s  %s %s\n", change->target, blank, note);
        }
    }
}

/* Another writer removed entries while a change was written; they were put back. The admin
 * must hear about it: named on stderr, and never exit status 0. */
gboolean
_tb_cli_m365_report_losses (GPtrArray *changes)
{
  gboolean lost = FALSE;

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (changes, i);

      if (!tb_change_had_loss (change))
        continue;
      lost = TRUE;
      for (guint j = 0; change->restored[j] != NULL; j++)
        tb_cli_error (_("%s: another change to this service principal removed %s while this one "
                        "was written; it has been put back. Check who else changes it."),
                      change->target, change->restored[j]);
    }
  return lost;
}

/* One edit through the safe write path: applied, or with @dry_run only previewed. */
TbChange *
_tb_cli_m365_run_edit (TbCliInvocation  *inv,
                       TbPrincipalEdit  *edit,
                       gboolean          dry_run,
                       GError          **error)
{
  TbGraphClient *client = tb_context_get_graph_client (inv->context);
  g_autoptr(GAsyncResult) result = NULL;

  if (dry_run)
    {
      tb_graph_client_preview_edit_async (client, edit, NULL, tb_cli_store_result, &result);
      return tb_graph_client_preview_edit_finish (client, tb_cli_wait_for (&result), error);
    }
  tb_graph_client_apply_edit_async (client, edit, NULL, tb_cli_store_result, &result);
  return tb_graph_client_apply_edit_finish (client, tb_cli_wait_for (&result), error);
}

/* ---- tenant resolve ------------------------------------------------------------------- */

int
tb_cli_tenant_resolve (TbCliInvocation *inv)
{
  g_autoptr(TbTenant) tenant = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) metadata_error = NULL;
  const char *domain;
  gboolean realm_ok;

  if (inv->args[0] == NULL || inv->args[1] != NULL)
    {
      tb_cli_error (_("tenant resolve needs exactly one domain or tenant ID"));
      return TB_CLI_EXIT_ERROR;
    }
  domain = inv->args[0];
  if (!_tb_cli_m365_check_tenant (domain))
    return TB_CLI_EXIT_ERROR;

  tb_tenant_resolve_async (tb_context_get_cloud (inv->context),
                           tb_context_get_session (inv->context),
                           domain, NULL, tb_cli_store_result, &result);
  tenant = tb_tenant_resolve_finish (tb_cli_wait_for (&result), &error);
  g_clear_object (&result);
  if (tenant == NULL)
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  tb_tenant_check_metadata_async (tenant, tb_context_get_session (inv->context), NULL,
                                  tb_cli_store_result, &result);
  realm_ok = tb_tenant_check_metadata_finish (tenant, tb_cli_wait_for (&result), &metadata_error);

  /* A document that could not be fetched at all is a service error, not a failed check. */
  if (!realm_ok && !tb_tenant_get_metadata_checked (tenant))
    {
      tb_cli_m365_report_error (metadata_error);
      return TB_CLI_EXIT_ERROR;
    }

  if (inv->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, domain);
      json_builder_set_member_name (b, "tenant_id");
      json_builder_add_string_value (b, tb_tenant_get_id (tenant));
      json_builder_set_member_name (b, "cloud_instance");
      json_builder_add_string_value (b, tb_tenant_get_cloud_instance (tenant));
      json_builder_set_member_name (b, "metadata_url");
      json_builder_add_string_value (b, tb_tenant_get_metadata_url (tenant));
      json_builder_set_member_name (b, "metadata_realm_ok");
      json_builder_add_boolean_value (b, realm_ok);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      tb_cli_print_json (root);
    }
  else
    {
      const char *labels[] = {
        _("Domain:"), _("Tenant ID:"), _("Cloud:"), _("Region:"), _("Metadata URL:"),
        _("Realm check:"),
      };
      const char *values[] = {
        domain, tb_tenant_get_id (tenant), tb_tenant_get_cloud_instance (tenant),
        tb_tenant_get_region_scope (tenant), tb_tenant_get_metadata_url (tenant),
        realm_ok ? _("the metadata names this tenant") : metadata_error->message,
      };
      guint width = tb_cli_label_width (16, labels, G_N_ELEMENTS (labels));

      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        if (values[i] != NULL)
          {
            g_autofree char *label = tb_cli_pad (labels[i], width);

            printf ("%s %s\n", label, values[i]);
          }
    }

  if (!realm_ok && metadata_error != NULL && inv->json)
    tb_cli_error ("%s", metadata_error->message);

  return realm_ok ? TB_CLI_EXIT_OK : TB_CLI_EXIT_CHECK_FAILED;
}

/* ---- shared with the other Microsoft 365 commands (tb-cli-audit.c) ----------------------- */

gboolean
tb_cli_m365_sign_in (TbCliInvocation  *inv,
                     const char       *tenant,
                     GError          **error)
{
  _tb_cli_m365_apply_tenant (inv, tenant);
  return tb_cli_sign_in (inv, TB_AUTH_ACCESS_READ, error);
}
