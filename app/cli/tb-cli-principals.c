/* tb-cli-principals.c: trust-bridge-cli principals show|enable, credentials add|remove, spn add|remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-principals"

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
#include "tb-json.h"
#include "tb-graph-client-edit.h"
#include "tb-organization.h"
#include "tb-plan.h"
#include "tb-principal-edit.h"
#include "tb-profile.h"
#include "tb-step.h"
#include "tb-tenant.h"
#include "tb-pool-connection.h"
#include "tb-trust-check.h"

static char *
dup_date (GDateTime *when)
{
  return when != NULL ? tb_format_iso8601_utc (when) : NULL;
}

/* FALSE after an error message when @id is no application ID. */
static gboolean
check_app_id (const char *id)
{
  if (tb_tenant_is_guid (id))
    return TRUE;
  tb_cli_error (_("“%s” is not an application ID (a GUID)."), id);
  return FALSE;
}

/* ---- principals show ------------------------------------------------------------------ */

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
      tb_json_add_string (b, "display_name", target != NULL ? target->display_name : NULL);
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
          tb_json_add_string (b, fields[f][0], fields[f][1]);
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

    width = tb_cli_label_width (width, labels, G_N_ELEMENTS (labels));
  }
  tb_cli_print_field (width, _("Object ID:"), tb_service_principal_get_id (sp));
  tb_cli_print_field (width, _("Enabled:"),
                      tb_service_principal_get_account_enabled (sp) ? _("yes") : _("no"));

  names = tb_service_principal_get_names (sp);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    tb_cli_print_field (width, i == 0 ? _("SPNs:") : "", names[i]);

  creds = tb_service_principal_get_key_credentials (sp);
  if (creds == NULL || creds->len == 0)
    tb_cli_print_field (width, _("Credentials:"), _("none"));
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

      tb_cli_print_field (width, i == 0 ? _("Credentials:") : "", value);
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

  if (!tb_cli_parse_options (inv, entries) || !_tb_cli_m365_check_tenant (tenant))
    return TB_CLI_EXIT_ERROR;
  _tb_cli_m365_apply_tenant (inv, tenant);

  profile = tb_context_get_profile (inv->context);
  warn_days = tb_context_get_warn_days (inv->context);
  if (inv->args[0] != NULL)
    app_ids = g_strdupv (inv->args);
  else
    app_ids = tb_profile_dup_app_ids (profile);

  for (guint i = 0; app_ids[i] != NULL; i++)
    if (!check_app_id (app_ids[i]))
      return TB_CLI_EXIT_ERROR;

  if (!tb_cli_sign_in (inv, TB_AUTH_ACCESS_READ, &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  client = tb_context_get_graph_client (inv->context);
  tb_graph_client_snapshot_async (client, (const char * const *) app_ids, NULL, tb_cli_store_result,
                                  &result);
  snapshot = tb_graph_client_snapshot_finish (client, tb_cli_wait_for (&result), &error);
  if (snapshot == NULL)
    {
      tb_cli_m365_report_error (error);
      return _tb_cli_m365_exit_status (error);
    }

  if (inv->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *tenant_id = tb_auth_get_tenant_id (tb_context_get_auth (inv->context));

      g_autoptr(TbOrganization) organization = snapshot->organization != NULL
                                                 ? tb_organization_new_from_json (snapshot->organization)
                                                 : NULL;

      if (tenant_id == NULL && organization != NULL)
        tenant_id = tb_organization_get_id (organization);

      json_builder_begin_object (b);
      tb_json_add_string (b, "tenant_id", tenant_id);
      json_builder_set_member_name (b, "service_principals");
      json_builder_begin_array (b);
      for (guint i = 0; app_ids[i] != NULL; i++)
        add_principal_json (b, app_ids[i], g_hash_table_lookup (snapshot->principals, app_ids[i]),
                            profile, now, warn_days);
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      tb_cli_print_json (root);
    }
  else
    {
      for (guint i = 0; app_ids[i] != NULL; i++)
        print_principal_text (app_ids[i], g_hash_table_lookup (snapshot->principals, app_ids[i]),
                              profile, now, warn_days);
    }

  return TB_CLI_EXIT_OK;
}

/* What every edit command takes besides its own options. */
typedef struct
{
  char     *tenant;
  gboolean  dry_run;
} EditOptions;

static void
edit_options_clear (EditOptions *o)
{
  g_clear_pointer (&o->tenant, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EditOptions, edit_options_clear)

/* Parses the command's own options (@own, NULL-terminated; NULL for none) with --tenant and
 * --dry-run into @o, and checks the tenant; FALSE after an error message. */
static gboolean
parse_edit_options (TbCliInvocation    *inv,
                    const GOptionEntry *own,
                    EditOptions        *o)
{
  GOptionEntry entries[8] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o->tenant, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run, NULL, NULL },
  };
  guint n = 2;

  for (; own != NULL && own->long_name != NULL; own++)
    {
      g_assert (n < G_N_ELEMENTS (entries) - 1);
      entries[n++] = *own;
    }
  return tb_cli_parse_options (inv, entries) && _tb_cli_m365_check_tenant (o->tenant);
}

/* Signs in to the tenant (--tenant, or NULL) and applies (or previews, for --dry-run) each
 * edit in turn, stopping at the first failure; the changes made so far are still printed, so
 * a script sees what happened. */
static int
run_edits (TbCliInvocation *inv,
           EditOptions     *o,
           GPtrArray       *edits)
{
  const char *tenant = o->tenant;
  gboolean dry_run = o->dry_run;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  g_autoptr(GError) error = NULL;
  int status = TB_CLI_EXIT_OK;

  _tb_cli_m365_apply_tenant (inv, tenant);
  if (!tb_cli_sign_in (inv, dry_run ? TB_AUTH_ACCESS_READ : TB_AUTH_ACCESS_WRITE, &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  for (guint i = 0; i < edits->len; i++)
    {
      TbChange *change = _tb_cli_m365_run_edit (inv, g_ptr_array_index (edits, i), dry_run,
                                                &error);

      if (change == NULL)
        {
          tb_cli_m365_report_error (error);
          status = _tb_cli_m365_exit_status (error);
          break;
        }
      g_ptr_array_add (changes, change);
    }

  _tb_cli_m365_print_changes (inv, changes);
  if (_tb_cli_m365_report_losses (changes) && status == TB_CLI_EXIT_OK)
    status = TB_CLI_EXIT_CHECK_FAILED;
  return status;
}

/* Keeps @edit for run_edits, or, when it could not be made, says why (@error): FALSE then. */
static gboolean
keep_edit (GPtrArray       *edits,
           TbPrincipalEdit *edit,
           const GError    *error)
{
  if (edit == NULL)
    {
      tb_cli_m365_report_error (error);
      return FALSE;
    }
  g_ptr_array_add (edits, edit);
  return TRUE;
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
      if (!check_app_id (ids[i]))
        return FALSE;
    }
  if (ids[0] == NULL)
    return FALSE;
  *out = g_steal_pointer (&ids);
  return TRUE;
}

int
tb_cli_credentials_add (TbCliInvocation *inv)
{
  g_auto(EditOptions) o = { 0 };
  g_autofree char *cert_path = NULL;
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, NULL, NULL },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TbCertificate) cert = NULL;
  g_auto(GStrv) app_ids = NULL;

  if (!parse_edit_options (inv, entries, &o))
    return TB_CLI_EXIT_ERROR;
  if (cert_path == NULL || to == NULL || inv->args[0] != NULL)
    {
      tb_cli_error (_("usage: credentials add --tenant T --cert FILE --to APPID[,APPID…] [--dry-run]"));
      return TB_CLI_EXIT_ERROR;
    }
  if (!parse_app_ids (to, &app_ids))
    return TB_CLI_EXIT_ERROR;
  cert = _tb_cli_m365_load_certificate (cert_path);
  if (cert == NULL || !_tb_cli_m365_check_upload (cert))
    return TB_CLI_EXIT_ERROR;

  for (guint i = 0; app_ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      TbPrincipalEdit *edit = tb_principal_edit_new_add_certificate (app_ids[i], cert, NULL,
                                                                     TB_PRINCIPAL_EDIT_FLAGS_NONE,
                                                                     &error);
      if (!keep_edit (edits, edit, error))
        return TB_CLI_EXIT_ERROR;
    }

  return run_edits (inv, &o, edits);
}

int
tb_cli_credentials_remove (TbCliInvocation *inv)
{
  g_auto(EditOptions) o = { 0 };
  g_autofree char *from = NULL;
  g_autofree char *key_id = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, NULL },
    { "key-id", 0, 0, G_OPTION_ARG_STRING, &key_id, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);

  if (!parse_edit_options (inv, entries, &o))
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
  return run_edits (inv, &o, edits);
}

int
tb_cli_principals_enable (TbCliInvocation *inv)
{
  g_auto(EditOptions) o = { 0 };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);

  if (!parse_edit_options (inv, NULL, &o))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] == NULL)
    {
      tb_cli_error (_("usage: principals enable --tenant T APPID…"));
      return TB_CLI_EXIT_ERROR;
    }
  for (guint i = 0; inv->args[i] != NULL; i++)
    {
      if (!check_app_id (inv->args[i]))
        return TB_CLI_EXIT_ERROR;
      g_ptr_array_add (edits, tb_principal_edit_new_enable (inv->args[i]));
    }

  return run_edits (inv, &o, edits);
}

static int
spn_command (TbCliInvocation *inv,
             gboolean         add)
{
  g_auto(EditOptions) o = { 0 };
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, NULL, NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, NULL, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const char *app_id;
  TbPrincipalEdit *edit;

  if (!parse_edit_options (inv, entries, &o))
    return TB_CLI_EXIT_ERROR;

  /* "spn add --to", "spn remove --from"; either word is accepted for either verb. */
  app_id = to != NULL ? to : from;
  if (app_id == NULL || (to != NULL && from != NULL) || inv->args[0] == NULL)
    {
      tb_cli_error (add ? _("usage: spn add --tenant T --to APPID FQDN…")
                        : _("usage: spn remove --tenant T --from APPID FQDN|SPN…"));
      return TB_CLI_EXIT_ERROR;
    }
  if (!check_app_id (app_id))
    return TB_CLI_EXIT_ERROR;

  if (add)
    edit = tb_principal_edit_new_add_spns (app_id, (const char * const *) inv->args, &error);
  else
    edit = tb_principal_edit_new_remove_spns (app_id, (const char * const *) inv->args,
                                              TB_PRINCIPAL_EDIT_FLAGS_NONE, &error);
  if (!keep_edit (edits, edit, error))
    return TB_CLI_EXIT_ERROR;
  return run_edits (inv, &o, edits);
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
