/* tb-cli-pool.c: trust-bridge-cli pool … (the on-premises pool, by script round trip)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-cli.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"

typedef struct
{
  char     *tenant;
  char     *acs_base;
  gboolean  dry_run;
  gboolean  encoded;
} PoolOptions;

static void
pool_options_clear (PoolOptions *o)
{
  g_clear_pointer (&o->tenant, g_free);
  g_clear_pointer (&o->acs_base, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PoolOptions, pool_options_clear)

/* The ACS base from --acs-base, else the context's cloud: the global --cloud, --endpoints
 * and --demo choose it, as they do for the Microsoft 365 commands. */
static const char *
resolve_acs_base (PoolOptions     *o,
                  TbCliInvocation *inv)
{
  if (o->acs_base != NULL)
    return o->acs_base;
  return tb_cloud_get_acs (tb_context_get_cloud (inv->context));
}

static int
print_script (char     *script,
              gboolean  encoded)
{
  g_autofree char *owned = script;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  if (!encoded)
    {
      fputs (script, stdout);
      return TB_CLI_EXIT_OK;
    }

  line = tb_pool_script_encode_command (script, &error);
  if (line == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }
  printf ("%s\n", line);
  return TB_CLI_EXIT_OK;
}

int
tb_cli_pool_script_read (TbCliInvocation *inv)
{
  g_auto(PoolOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "encoded", 0, 0, G_OPTION_ARG_NONE, &o.encoded, NULL, NULL },
    { NULL }
  };

  if (!tb_cli_parse_options (inv, entries))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] != NULL)
    {
      tb_cli_error (_("pool script read takes no arguments"));
      return TB_CLI_EXIT_ERROR;
    }

  /* --encoded prints the command line a WinRM or remote shell runs: the compact form. */
  return print_script (tb_pool_script_new_read (o.encoded ? TB_POOL_SCRIPT_FORM_TRANSPORT
                                                          : TB_POOL_SCRIPT_FORM_EXPORT),
                       o.encoded);
}

int
tb_cli_pool_script_apply (TbCliInvocation *inv)
{
  g_auto(PoolOptions) o = { 0 };
  g_autoptr(GError) error = NULL;
  const char *acs;
  char *script;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    { "acs-base", 0, 0, G_OPTION_ARG_STRING, &o.acs_base, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o.dry_run, NULL, NULL },
    { "encoded", 0, 0, G_OPTION_ARG_NONE, &o.encoded, NULL, NULL },
    { NULL }
  };

  if (!tb_cli_parse_options (inv, entries))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] != NULL)
    {
      tb_cli_error (_("pool script apply takes no arguments besides its options"));
      return TB_CLI_EXIT_ERROR;
    }
  if (o.tenant == NULL)
    {
      tb_cli_error (_("pool script apply needs --tenant with the tenant ID (a GUID)"));
      return TB_CLI_EXIT_ERROR;
    }
  acs = resolve_acs_base (&o, inv);
  if (acs == NULL)
    return TB_CLI_EXIT_ERROR;

  script = tb_pool_script_new_apply (o.tenant, acs, o.dry_run,
                                     o.encoded ? TB_POOL_SCRIPT_FORM_TRANSPORT
                                               : TB_POOL_SCRIPT_FORM_EXPORT,
                                     &error);
  if (script == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }
  return print_script (script, o.encoded);
}

static const char *
result_label (TbPoolCheckResult result)
{
  switch (result)
    {
    case TB_POOL_CHECK_OK:
      return _("ok");
    case TB_POOL_CHECK_FAILED:
      return _("FAILED");
    case TB_POOL_CHECK_UNKNOWN:
    default:
      return _("unknown");
    }
}

static void
print_text (const char  *path,
            TbPoolState *state,
            GPtrArray   *checks)
{
  GPtrArray *errors = tb_pool_state_get_errors (state);
  const char *unknown = _("unknown");

  printf ("%s\n", path);
  printf ("  %-22s %s\n", _("Server:"),
          tb_pool_state_get_server_fqdn (state) ? tb_pool_state_get_server_fqdn (state) : unknown);
  printf ("  %-22s %s\n", _("Product:"),
          tb_pool_state_get_server_product (state) ? tb_pool_state_get_server_product (state)
                                                   : unknown);
  printf ("  %-22s %s\n", _("Module:"),
          tb_pool_state_get_server_module (state) ? tb_pool_state_get_server_module (state)
                                                  : unknown);
  printf ("\n");

  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);

      printf ("  %-8s %s\n           %s\n", result_label (check->ok), check->item, check->detail);
    }

  if (errors != NULL && errors->len > 0)
    {
      printf ("\n  %s\n", _("Errors reported by the read script:"));
      for (guint i = 0; i < errors->len; i++)
        {
          const TbPoolError *e = g_ptr_array_index (errors, i);

          printf ("    %s: %s\n", e->cmdlet ? e->cmdlet : "?", e->message ? e->message : "");
        }
    }
}

int
tb_cli_pool_import (TbCliInvocation *inv)
{
  g_auto(PoolOptions) o = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *acs;
  const char *path;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    { "acs-base", 0, 0, G_OPTION_ARG_STRING, &o.acs_base, NULL, NULL },
    { NULL }
  };

  if (!tb_cli_parse_options (inv, entries))
    return TB_CLI_EXIT_ERROR;
  if (inv->args[0] == NULL || inv->args[1] != NULL)
    {
      tb_cli_error (_("pool import needs exactly one state file"));
      return TB_CLI_EXIT_ERROR;
    }
  path = inv->args[0];
  acs = resolve_acs_base (&o, inv);
  if (acs == NULL)
    return TB_CLI_EXIT_ERROR;

  file = g_file_new_for_commandline_arg (path);
  state = tb_pool_state_new_from_file (file, NULL, &error);
  if (state != NULL)
    checks = tb_pool_state_check (state, o.tenant, acs, now,
                                  tb_context_get_warn_days (inv->context), &error);

  if (checks == NULL)
    {
      if (inv->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autofree char *text = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, path);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, error->message);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          text = json_to_string (root, TRUE);
          printf ("%s\n", text);
        }
      tb_cli_error ("%s: %s", path, error->message);
      return TB_CLI_EXIT_ERROR;
    }

  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_pool_state_report_json (state, checks);
      g_autofree char *text = json_to_string (root, TRUE);

      printf ("%s\n", text);
    }
  else
    print_text (path, state, checks);

  /* 0 only when every check passed: an unknown item cannot be called ready. */
  return tb_pool_checks_summary (checks) == TB_POOL_CHECK_OK ? TB_CLI_EXIT_OK
                                                             : TB_CLI_EXIT_CHECK_FAILED;
}
