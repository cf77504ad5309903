/* tb-cli-m365.c: trust-bridge-cli tenant …, principals …, credentials …, spn …, trust …
 *
 * The Microsoft 365 half of the trust for scripts. Each command runs the same core services
 * as the GUI through TbContext, waiting on the main context (the demo simulator serves its
 * requests from that same context, so the CLI must never block it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-certificate-loader.h"
#include "tb-cli.h"
#include "tb-cli-labels.h"
#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-guards.h"
#include "tb-graph-client.h"
#include "tb-plan.h"
#include "tb-principal-edit.h"
#include "tb-principal-editor.h"
#include "tb-profile.h"
#include "tb-step.h"
#include "tb-tenant.h"
#include "tb-pool-connection.h"
#include "tb-trust-check.h"

/* Runs the main context until an async call has delivered its result. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;
  *slot = g_object_ref (result);
}

/* Graph errors carry Graph's code and request-id; admins quote the latter to support. */
static void
report_error (const GError *error)
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

static int
exit_status_for (const GError *error)
{
  if (g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED))
    return TB_CLI_EXIT_CHECK_FAILED;
  return TB_CLI_EXIT_ERROR;
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
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

/* A token for @access: the cached one, one refreshed from the keyring, or a device code
 * sign-in. Read-only unless the command changes something. */
static gboolean
ensure_signed_in (TbCliInvocation  *inv,
                  TbAuthAccess      access,
                  GError          **error)
{
  TbAuth *auth = tb_context_get_auth (inv->context);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *token = NULL;

  if (!tb_auth_get_signed_in (auth))
    {
      tb_auth_restore_async (auth, NULL, store_result, &result);
      /* Nothing stored, or no Secret Service: a sign-in follows. */
      tb_auth_restore_finish (auth, wait_for (&result), NULL);
      g_clear_object (&result);
    }

  tb_auth_get_token_async (auth, access, NULL, store_result, &result);
  token = tb_auth_get_token_finish (auth, wait_for (&result), &local_error);
  g_clear_object (&result);
  if (token != NULL)
    return TRUE;

  if (!g_error_matches (local_error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  tb_auth_sign_in_device_code_async (auth, access, device_code_prompt, NULL, NULL,
                                     store_result, &result);
  return tb_auth_sign_in_device_code_finish (auth, wait_for (&result), error);
}

gboolean
tb_cli_sign_in (TbCliInvocation  *inv,
                TbAuthAccess      access,
                GError          **error)
{
  return ensure_signed_in (inv, access, error);
}

/* --tenant applies to sign-in; the demo serves its own tenant. */
static void
apply_tenant (TbCliInvocation *inv,
              const char      *tenant)
{
  if (tenant != NULL && !tb_context_get_demo (inv->context))
    tb_context_set_tenant (inv->context, tenant);
}

static gboolean
check_tenant_option (const char *tenant)
{
  g_autoptr(GError) error = NULL;

  if (tenant == NULL || tb_tenant_check_input (tenant, &error))
    return TRUE;

  tb_cli_error ("%s", error->message);
  return FALSE;
}

static TbCertificate *
load_one_certificate (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GError) error = NULL;

  certs = tb_certificate_load_file (file, NULL, &error);
  if (certs == NULL)
    {
      tb_cli_error ("%s", error->message);
      return NULL;
    }
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
static gboolean
check_upload (TbCertificate *cert)
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

static char *
dup_date (GDateTime *when)
{
  return when != NULL ? tb_format_iso8601_utc (when) : NULL;
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
  if (!check_tenant_option (domain))
    return TB_CLI_EXIT_ERROR;

  tb_tenant_resolve_async (tb_context_get_cloud (inv->context),
                           tb_context_get_session (inv->context),
                           domain, NULL, store_result, &result);
  tenant = tb_tenant_resolve_finish (wait_for (&result), &error);
  g_clear_object (&result);
  if (tenant == NULL)
    {
      report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  tb_tenant_check_metadata_async (tenant, tb_context_get_session (inv->context), NULL,
                                  store_result, &result);
  realm_ok = tb_tenant_check_metadata_finish (tenant, wait_for (&result), &metadata_error);

  /* A document that could not be fetched at all is a service error, not a failed check. */
  if (!realm_ok && !tb_tenant_get_metadata_checked (tenant))
    {
      report_error (metadata_error);
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
      print_json (root);
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
      guint width = 16;

      /* The values line up however long the translated labels are. */
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        width = MAX (width, (guint) g_utf8_strlen (labels[i], -1));
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

/* ---- principals show ------------------------------------------------------------------ */

/* "  Label:   value", the label padded to @width characters */
static void
print_field (guint       width,
             const char *label,
             const char *value)
{
  g_autofree char *padded = tb_cli_pad (label, width);

  printf ("  %s %s\n", padded, value);
}

static void
add_principal_json (JsonBuilder        *b,
                    const char         *app_id,
                    TbServicePrincipal *sp,
                    TbProfile          *profile,
                    GDateTime          *now,
                    guint               warn_days)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "app_id");
  json_builder_add_string_value (b, app_id);

  json_builder_set_member_name (b, "object_id");
  if (sp == NULL)
    {
      const TbProfileTarget *target = tb_profile_find_target (profile, app_id);

      /* Missing from the tenant: said plainly with a null object ID. */
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "display_name");
      if (target != NULL)
        json_builder_add_string_value (b, target->display_name);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "account_enabled");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "service_principal_names");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "key_credentials");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      return;
    }

  json_builder_add_string_value (b, tb_service_principal_get_id (sp));
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, tb_service_principal_get_display_name (sp));
  json_builder_set_member_name (b, "account_enabled");
  json_builder_add_boolean_value (b, tb_service_principal_get_account_enabled (sp));

  json_builder_set_member_name (b, "service_principal_names");
  json_builder_begin_array (b);
  {
    const char * const *names = tb_service_principal_get_names (sp);

    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      json_builder_add_string_value (b, names[i]);
  }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "key_credentials");
  json_builder_begin_array (b);
  {
    GPtrArray *creds = tb_service_principal_get_key_credentials (sp);

    for (guint i = 0; creds != NULL && i < creds->len; i++)
      {
        TbKeyCredential *kc = g_ptr_array_index (creds, i);
        g_autofree char *start = dup_date (tb_key_credential_get_start (kc));
        g_autofree char *end = dup_date (tb_key_credential_get_end (kc));
        const char *fields[][2] = {
          { "key_id", tb_key_credential_get_key_id (kc) },
          { "type", tb_key_credential_get_key_type (kc) },
          { "usage", tb_key_credential_get_usage (kc) },
          { "display_name", tb_key_credential_get_display_name (kc) },
          { "start", start },
          { "end", end },
          { "sha1", tb_key_credential_get_thumbprint (kc) },
          { "status", tb_certificate_status_to_string (tb_key_credential_get_status (kc, now,
                                                                                      warn_days)) },
        };

        json_builder_begin_object (b);
        for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
          {
            json_builder_set_member_name (b, fields[f][0]);
            if (fields[f][1] != NULL)
              json_builder_add_string_value (b, fields[f][1]);
            else
              json_builder_add_null_value (b);
          }
        json_builder_end_object (b);
      }
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_principal_text (const char         *app_id,
                      TbServicePrincipal *sp,
                      TbProfile          *profile,
                      GDateTime          *now,
                      guint               warn_days)
{
  const TbProfileTarget *target = tb_profile_find_target (profile, app_id);
  GPtrArray *creds;
  const char * const *names;
  guint width = 14;

  if (sp == NULL)
    {
      printf ("%s (%s)\n  %s\n\n", target != NULL ? target->display_name : app_id, app_id,
              _("Not in this tenant."));
      return;
    }

  printf ("%s (%s)\n", tb_service_principal_get_display_name (sp), app_id);
  /* Labels line up however long their translations are. */
  {
    const char *labels[] = { _("Object ID:"), _("Enabled:"), _("SPNs:"), _("Credentials:") };

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      width = MAX (width, (guint) g_utf8_strlen (labels[i], -1));
  }
  print_field (width, _("Object ID:"), tb_service_principal_get_id (sp));
  print_field (width, _("Enabled:"),
               tb_service_principal_get_account_enabled (sp) ? _("yes") : _("no"));

  names = tb_service_principal_get_names (sp);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    print_field (width, i == 0 ? _("SPNs:") : "", names[i]);

  creds = tb_service_principal_get_key_credentials (sp);
  if (creds == NULL || creds->len == 0)
    print_field (width, _("Credentials:"), _("none"));
  for (guint i = 0; creds != NULL && i < creds->len; i++)
    {
      TbKeyCredential *kc = g_ptr_array_index (creds, i);
      TbCertificateStatus status = tb_key_credential_get_status (kc, now, warn_days);
      GDateTime *end = tb_key_credential_get_end (kc);
      g_autofree char *until = end != NULL ? tb_format_local (end) : g_strdup ("?");
      const char *thumb = tb_key_credential_get_thumbprint (kc);
      g_autofree char *state = tb_cli_pad (tb_certificate_status_get_label (status), 13);
      g_autofree char *value = g_strdup_printf ("%s %s  %s %s  (%s)", state,
                                                thumb != NULL ? thumb
                                                              : _("(thumbprint unknown)"),
                                                _("until"), until,
                                                tb_key_credential_get_key_id (kc));

      print_field (width, i == 0 ? _("Credentials:") : "", value);
    }

  if (target != NULL && target->notice != NULL && creds != NULL && creds->len > 0)
    printf ("  %s\n", target->notice);
  printf ("\n");
}

int
tb_cli_principals_show (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { NULL }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbGraphSnapshot) snapshot = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(GStrv) app_ids = NULL;
  TbProfile *profile;
  TbGraphClient *client;
  guint warn_days;

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;
  apply_tenant (inv, tenant);

  profile = tb_context_get_profile (inv->context);
  warn_days = tb_context_get_warn_days (inv->context);
  if (inv->args[0] != NULL)
    app_ids = g_strdupv (inv->args);
  else
    app_ids = tb_profile_dup_app_ids (profile);

  for (guint i = 0; app_ids[i] != NULL; i++)
    if (!tb_tenant_is_guid (app_ids[i]))
      {
        tb_cli_error (_("“%s” is not an application ID (a GUID)."), app_ids[i]);
        return TB_CLI_EXIT_ERROR;
      }

  if (!ensure_signed_in (inv, TB_AUTH_ACCESS_READ, &error))
    {
      report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  client = tb_context_get_graph_client (inv->context);
  tb_graph_client_snapshot_async (client, (const char * const *) app_ids, NULL, store_result,
                                  &result);
  snapshot = tb_graph_client_snapshot_finish (client, wait_for (&result), &error);
  if (snapshot == NULL)
    {
      report_error (error);
      return exit_status_for (error);
    }

  if (inv->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *tenant_id = tb_auth_get_tenant_id (tb_context_get_auth (inv->context));

      if (tenant_id == NULL && snapshot->organization != NULL &&
          json_object_has_member (snapshot->organization, "id"))
        tenant_id = json_object_get_string_member (snapshot->organization, "id");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "tenant_id");
      if (tenant_id != NULL)
        json_builder_add_string_value (b, tenant_id);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "service_principals");
      json_builder_begin_array (b);
      for (guint i = 0; app_ids[i] != NULL; i++)
        add_principal_json (b, app_ids[i], g_hash_table_lookup (snapshot->principals, app_ids[i]),
                            profile, now, warn_days);
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      print_json (root);
    }
  else
    {
      for (guint i = 0; app_ids[i] != NULL; i++)
        print_principal_text (app_ids[i], g_hash_table_lookup (snapshot->principals, app_ids[i]),
                              profile, now, warn_days);
    }

  return TB_CLI_EXIT_OK;
}

/* ---- write commands ------------------------------------------------------------------- */

static void
print_changes (TbCliInvocation *inv,
               GPtrArray       *changes)
{
  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_changes_to_json (changes);
      print_json (root);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (changes, i);
      g_autofree char *action = tb_cli_pad (tb_cli_action_label (change->action), 18);

      printf ("%s  %s %s\n", change->app_id, action, change->detail);
      if (change->retries > 0)
        {
          g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "Done after %u request was sent again (Microsoft Graph was briefly unavailable or the connection failed).",
                                                                "Done after %u requests were sent again (Microsoft Graph was briefly unavailable or the connection failed).",
                                                                change->retries),
                                                   change->retries);
          g_autofree char *blank = tb_cli_pad ("", 18);

          printf ("%s  %s %s\n", change->app_id, blank, note);
        }
    }
}

/* Another writer removed entries while a change was written; they were put back. The admin
 * must hear about it: named on stderr, and never exit status 0. */
static gboolean
report_losses (GPtrArray *changes)
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
                      change->app_id, change->restored[j]);
    }
  return lost;
}

/* Applies (or previews, for --dry-run) each edit in turn, stopping at the first failure;
 * the changes made so far are still printed, so a script sees what happened. */
static int
run_edits (TbCliInvocation *inv,
           GPtrArray       *edits,
           gboolean         dry_run)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  g_autoptr(GError) error = NULL;
  TbGraphClient *client;
  int status = TB_CLI_EXIT_OK;

  if (!ensure_signed_in (inv, dry_run ? TB_AUTH_ACCESS_READ : TB_AUTH_ACCESS_WRITE, &error))
    {
      report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  client = tb_context_get_graph_client (inv->context);
  for (guint i = 0; i < edits->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      TbChange *change;

      if (dry_run)
        {
          tb_principal_editor_preview_async (client, g_ptr_array_index (edits, i), NULL,
                                             store_result, &result);
          change = tb_principal_editor_preview_finish (client, wait_for (&result), &error);
        }
      else
        {
          tb_principal_editor_apply_async (client, g_ptr_array_index (edits, i), NULL,
                                           store_result, &result);
          change = tb_principal_editor_apply_finish (client, wait_for (&result), &error);
        }

      if (change == NULL)
        {
          report_error (error);
          status = exit_status_for (error);
          break;
        }
      g_ptr_array_add (changes, change);
    }

  print_changes (inv, changes);
  if (report_losses (changes) && status == TB_CLI_EXIT_OK)
    status = TB_CLI_EXIT_CHECK_FAILED;
  return status;
}

static gboolean
parse_app_ids (const char  *list,
               GStrv       *out)
{
  g_auto(GStrv) ids = NULL;

  if (list == NULL)
    return FALSE;
  ids = g_strsplit (list, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_strstrip (ids[i]);
      if (!tb_tenant_is_guid (ids[i]))
        {
          tb_cli_error (_("“%s” is not an application ID (a GUID)."), ids[i]);
          return FALSE;
        }
    }
  if (ids[0] == NULL)
    return FALSE;
  *out = g_steal_pointer (&ids);
  return TRUE;
}

int
tb_cli_credentials_add (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *to = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, NULL, NULL },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TbCertificate) cert = NULL;
  g_auto(GStrv) app_ids = NULL;

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;
  if (cert_path == NULL || to == NULL || inv->args[0] != NULL)
    {
      tb_cli_error (_("usage: credentials add --tenant T --cert FILE --to APPID[,APPID…] [--dry-run]"));
      return TB_CLI_EXIT_ERROR;
    }
  if (!parse_app_ids (to, &app_ids))
    return TB_CLI_EXIT_ERROR;
  cert = load_one_certificate (cert_path);
  if (cert == NULL || !check_upload (cert))
    return TB_CLI_EXIT_ERROR;

  for (guint i = 0; app_ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      TbPrincipalEdit *edit = tb_principal_edit_new_add_certificate (app_ids[i], cert, NULL,
                                                                     TB_PRINCIPAL_EDIT_FLAGS_NONE,
                                                                     &error);
      if (edit == NULL)
        {
          report_error (error);
          return TB_CLI_EXIT_ERROR;
        }
      g_ptr_array_add (edits, edit);
    }

  apply_tenant (inv, tenant);
  return run_edits (inv, edits, dry_run);
}

int
tb_cli_credentials_remove (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  g_autofree char *from = NULL;
  g_autofree char *key_id = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, NULL },
    { "key-id", 0, 0, G_OPTION_ARG_STRING, &key_id, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;
  if (from == NULL || key_id == NULL || inv->args[0] != NULL)
    {
      tb_cli_error (_("usage: credentials remove --tenant T --from APPID --key-id GUID [--dry-run]"));
      return TB_CLI_EXIT_ERROR;
    }
  if (!tb_tenant_is_guid (from) || !tb_tenant_is_guid (key_id))
    {
      tb_cli_error (_("--from and --key-id take GUIDs."));
      return TB_CLI_EXIT_ERROR;
    }

  /* Removing the last credential is allowed here: the admin named it explicitly. */
  g_ptr_array_add (edits, tb_principal_edit_new_remove_credential (from, key_id,
                                                                   TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY));
  apply_tenant (inv, tenant);
  return run_edits (inv, edits, dry_run);
}

int
tb_cli_principals_enable (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] == NULL)
    {
      tb_cli_error (_("usage: principals enable --tenant T APPID…"));
      return TB_CLI_EXIT_ERROR;
    }
  for (guint i = 0; inv->args[i] != NULL; i++)
    {
      if (!tb_tenant_is_guid (inv->args[i]))
        {
          tb_cli_error (_("“%s” is not an application ID (a GUID)."), inv->args[i]);
          return TB_CLI_EXIT_ERROR;
        }
      g_ptr_array_add (edits, tb_principal_edit_new_enable (inv->args[i]));
    }

  apply_tenant (inv, tenant);
  return run_edits (inv, edits, dry_run);
}

static int
spn_command (TbCliInvocation *inv,
             gboolean         add)
{
  g_autofree char *tenant = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const char *app_id;
  TbPrincipalEdit *edit;

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;

  /* "spn add --to", "spn remove --from"; either word is accepted for either verb. */
  app_id = to != NULL ? to : from;
  if (app_id == NULL || (to != NULL && from != NULL) || inv->args[0] == NULL)
    {
      tb_cli_error (add ? _("usage: spn add --tenant T --to APPID FQDN…")
                        : _("usage: spn remove --tenant T --from APPID FQDN|SPN…"));
      return TB_CLI_EXIT_ERROR;
    }
  if (!tb_tenant_is_guid (app_id))
    {
      tb_cli_error (_("“%s” is not an application ID (a GUID)."), app_id);
      return TB_CLI_EXIT_ERROR;
    }

  if (add)
    edit = tb_principal_edit_new_add_spns (app_id, (const char * const *) inv->args, &error);
  else
    edit = tb_principal_edit_new_remove_spns (app_id, (const char * const *) inv->args,
                                              TB_PRINCIPAL_EDIT_FLAGS_NONE, &error);
  if (edit == NULL)
    {
      report_error (error);
      return TB_CLI_EXIT_ERROR;
    }
  g_ptr_array_add (edits, edit);

  apply_tenant (inv, tenant);
  return run_edits (inv, edits, dry_run);
}

int
tb_cli_spn_add (TbCliInvocation *inv)
{
  return spn_command (inv, TRUE);
}

int
tb_cli_spn_remove (TbCliInvocation *inv)
{
  return spn_command (inv, FALSE);
}

/* ---- trust establish ------------------------------------------------------------------ */

static void
step_started (TbPlan  *plan,
              TbStep  *step,
              guint    index,
              gpointer user_data)
{
  TbCliInvocation *inv = user_data;

  if (!inv->json)
    fprintf (stderr, "[%u] %s…\n", index + 1, tb_step_get_title (step));
}

/* The pool half of trust establish, after the Microsoft 365 half verified: applied over WinRM
 * when the pool is reached live, then both halves read again and the trust check shown; with
 * a state file, what to run where. */
static int
establish_pool_half (TbCliInvocation *inv,
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
                              dry_run, NULL, store_result, &result);
  applied = tb_pool_client_apply_finish (client, wait_for (&result), &error);
  g_clear_object (&result);
  if (applied == NULL)
    {
      tb_cli_error (_("Pool half, applying on %s: %s (the Microsoft 365 half stays as it is "
                      "now)"), tb_workspace_get_pool_server (workspace), error->message);
      return g_error_matches (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_VERIFY_FAILED)
               ? TB_CLI_EXIT_CHECK_FAILED : TB_CLI_EXIT_ERROR;
    }
  fprintf (out, "%s%s\n", tb_workspace_get_pool_server (workspace),
           applied->dry_run ? _(" (dry run: nothing was changed)") : "");
  if (applied->changes->len == 0)
    fprintf (out, "  %s\n", _("Nothing to change: the pool already holds what the trust needs."));
  for (guint i = 0; i < applied->changes->len; i++)
    {
      const TbPoolChange *change = g_ptr_array_index (applied->changes, i);
      g_autofree char *action = tb_cli_pad (tb_cli_action_label (change->action), 8);

      fprintf (out, "  %s %s\n           %s\n", action, change->item, change->detail);
    }
  if (dry_run)
    return TB_CLI_EXIT_OK;

  /* Both halves read again: only a trust check without failures counts. */
  tb_workspace_set_pool_state (workspace, applied->after, tb_workspace_get_pool_source (workspace),
                               tb_workspace_get_pool_server (workspace));
  if (!tb_cli_trust_read_tenant (inv, FALSE, workspace))
    return TB_CLI_EXIT_ERROR;
  report = tb_cli_trust_compute (inv, workspace);
  if (report == NULL)
    return TB_CLI_EXIT_ERROR;
  if (!inv->json)
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

int
tb_cli_trust_establish (TbCliInvocation *inv)
{
  g_autofree char *tenant = NULL;
  g_autofree char *cert_path = NULL;
  g_auto(GStrv) fqdn_options = NULL;
  gboolean dry_run = FALSE;
  gboolean include_exchange = FALSE;
  g_autofree char *pool_host = NULL;
  g_autofree char *pool_state = NULL;
  g_autofree char *pool_auth = NULL;
  g_autofree char *pool_user = NULL;
  g_autofree char *pool_fingerprint = NULL;
  int pool_port = 0;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant, NULL, NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, NULL, NULL },
    { "fqdn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fqdn_options, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { "include-exchange", 0, 0, G_OPTION_ARG_NONE, &include_exchange, NULL, NULL },
    { "pool-host", 0, 0, G_OPTION_ARG_STRING, &pool_host, NULL, NULL },
    { "pool-state", 0, 0, G_OPTION_ARG_FILENAME, &pool_state, NULL, NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &pool_port, NULL, NULL },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &pool_auth, NULL, NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &pool_user, NULL, NULL },
    { "tls-fingerprint", 0, 0, G_OPTION_ARG_STRING, &pool_fingerprint, NULL, NULL },
    { NULL }
  };
  g_autoptr(TbWorkspace) workspace = NULL;
  g_autoptr(TbPoolClient) pool_client = NULL;
  g_autoptr(GStrvBuilder) fqdn_builder = g_strv_builder_new ();
  g_autoptr(TbCertificate) cert = NULL;
  g_autoptr(TbPlan) plan = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fqdns = NULL;
  TbGraphClient *client;
  GPtrArray *steps;

  if (!tb_cli_parse_options (inv, entries) || !check_tenant_option (tenant))
    return TB_CLI_EXIT_ERROR;

  /* "--fqdn a --fqdn b" and "--fqdn a b" both work; bare words without --fqdn do not. */
  if (fqdn_options != NULL)
    {
      g_strv_builder_addv (fqdn_builder, (const char **) fqdn_options);
      g_strv_builder_addv (fqdn_builder, (const char **) inv->args);
    }
  fqdns = g_strv_builder_end (fqdn_builder);

  if (pool_host != NULL || pool_state != NULL)
    {
      /* Both halves: the certificate and FQDNs come from the pool. */
      if (pool_host != NULL && pool_state != NULL)
        {
          tb_cli_error (_("Give either --pool-host or --pool-state, not both."));
          return TB_CLI_EXIT_ERROR;
        }
      if (cert_path != NULL || fqdns[0] != NULL)
        {
          tb_cli_error (_("With --pool-host or --pool-state the certificate and FQDNs come "
                          "from the pool: leave out --cert and --fqdn."));
          return TB_CLI_EXIT_ERROR;
        }
      workspace = tb_context_new_workspace (inv->context);
      if (!tb_cli_trust_read_pool (inv, pool_host, pool_port, pool_auth, pool_user,
                                   pool_fingerprint, pool_state, workspace, &pool_client))
        {
          tb_cli_error (_("Pool half, reading the pool: nothing was changed."));
          return TB_CLI_EXIT_ERROR;
        }
      g_strfreev (fqdns);
      fqdns = tb_workspace_dup_trust_fqdns (workspace);
      if (tb_workspace_get_trust_certificate (workspace) == NULL || fqdns == NULL ||
          fqdns[0] == NULL)
        {
          tb_cli_error (_("Pool half, reading the pool: the pool state has no usable "
                          "OAuthTokenIssuer certificate or no external web services FQDN; "
                          "nothing was changed."));
          return TB_CLI_EXIT_CHECK_FAILED;
        }
      cert = g_object_ref (tb_workspace_get_trust_certificate (workspace));
    }
  else
    {
      if (cert_path == NULL || fqdns[0] == NULL)
        {
          tb_cli_error (_("usage: trust establish --tenant T --cert FILE --fqdn FQDN… "
                          "[--include-exchange] [--dry-run]"));
          return TB_CLI_EXIT_ERROR;
        }
      cert = load_one_certificate (cert_path);
      if (cert == NULL)
        return TB_CLI_EXIT_ERROR;
    }
  /* Whether from a file or from the pool: no expired certificate, no weak key. */
  if (!check_upload (cert))
    return TB_CLI_EXIT_ERROR;

  apply_tenant (inv, tenant);
  if (!ensure_signed_in (inv, dry_run ? TB_AUTH_ACCESS_READ : TB_AUTH_ACCESS_WRITE, &error))
    {
      report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  client = tb_context_get_graph_client (inv->context);
  tb_plan_new_establish_trust_async (client, tb_context_get_profile (inv->context), cert,
                                     (const char * const *) fqdns, NULL, store_result, &result);
  plan = tb_plan_new_establish_trust_finish (wait_for (&result), &error);
  g_clear_object (&result);
  if (plan == NULL)
    {
      report_error (error);
      return exit_status_for (error);
    }

  steps = tb_plan_get_steps (plan);
  if (!inv->json)
    {
      g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

      /* Where the admin acts: once per notice, though several steps may carry it. */
      for (guint i = 0; i < steps->len; i++)
        {
          const char *notice = tb_step_get_notice (g_ptr_array_index (steps, i));

          if (notice != NULL && g_hash_table_add (shown, (gpointer) notice))
            fprintf (stderr, "%s\n\n", notice);
        }
    }
  /* Uploads to a principal whose certificates Microsoft is retiring (Exchange Online) are
   * made only on request, as the window's Establish Trust does; verifying then checks only
   * the steps left. */
  if (!include_exchange)
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

  if (tb_plan_count_blocked (plan) > 0)
    {
      for (guint i = 0; i < steps->len; i++)
        {
          TbStep *step = g_ptr_array_index (steps, i);

          if (tb_step_get_state (step) == TB_STEP_STATE_BLOCKED)
            tb_cli_error ("%s: %s", tb_step_get_title (step), tb_step_get_description (step));
        }
      return TB_CLI_EXIT_CHECK_FAILED;
    }

  if (dry_run)
    {
      changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
      for (guint i = 0; i < steps->len; i++)
        {
          const TbChange *change = tb_step_get_change (g_ptr_array_index (steps, i));

          if (change != NULL)
            g_ptr_array_add (changes, tb_change_copy (change));
        }
      print_changes (inv, changes);
      return TB_CLI_EXIT_OK;
    }

  g_signal_connect (plan, "step-started", G_CALLBACK (step_started), inv);
  tb_plan_apply_async (plan, NULL, store_result, &result);
  changes = tb_plan_apply_finish (plan, wait_for (&result), &error);
  g_clear_object (&result);
  if (changes == NULL)
    {
      report_error (error);
      if (workspace != NULL)
        tb_cli_error (_("Microsoft 365 half, applying the plan: stopped; the pool was not "
                        "changed."));
      return exit_status_for (error);
    }

  /* Only a change that verifies counts: read the tenant again and expect nothing to do. */
  tb_plan_verify_async (plan, NULL, store_result, &result);
  if (!tb_plan_verify_finish (plan, wait_for (&result), &error))
    {
      print_changes (inv, changes);
      report_losses (changes);
      report_error (error);
      return TB_CLI_EXIT_CHECK_FAILED;
    }

  print_changes (inv, changes);
  if (report_losses (changes))
    return TB_CLI_EXIT_CHECK_FAILED;
  if (workspace == NULL)
    return TB_CLI_EXIT_OK;
  return establish_pool_half (inv, workspace, pool_client, dry_run);
}

/* ---- shared with the other Microsoft 365 commands (tb-cli-audit.c) ----------------------- */

gboolean
tb_cli_m365_sign_in (TbCliInvocation  *inv,
                     const char       *tenant,
                     GError          **error)
{
  apply_tenant (inv, tenant);
  return ensure_signed_in (inv, TB_AUTH_ACCESS_READ, error);
}

void
tb_cli_m365_report_error (const GError *error)
{
  report_error (error);
}
