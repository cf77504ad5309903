/* tb-cli-trust.c: trust-bridge-cli trust check (the whole trust, for people, scripts, monitoring)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-trust"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-certificate-loader.h"
#include "tb-cli.h"
#include "tb-cli-labels.h"
#include "tb-pool-connection.h"
#include "tb-profile.h"
#include "tb-trust-check.h"

typedef struct
{
  char     *tenant;
  TbCliPoolSource pool;
  char     *cert;
  GStrv     fqdns;
  char     *format;
  gboolean  notify;
} CheckOptions;

static void
check_options_clear (CheckOptions *o)
{
  g_free (o->tenant);
  tb_cli_pool_source_clear (&o->pool);
  g_free (o->cert);
  g_strfreev (o->fqdns);
  g_free (o->format);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckOptions, check_options_clear)

/* A setting of the daily check ("pool-host", …), or NULL when empty or not installed. */
static char *
dup_monitor_setting (TbCliInvocation *inv,
                     const char      *key)
{
  GSettings *settings = tb_context_get_settings (inv->context);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *value = NULL;

  if (settings == NULL)
    return NULL;
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, key))
    return NULL;
  value = g_strstrip (g_settings_get_string (settings, key));
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

void
tb_cli_pool_source_clear (TbCliPoolSource *source)
{
  tb_cli_pool_connection_clear (&source->connection);
  g_clear_pointer (&source->state_path, g_free);
}

gboolean
tb_cli_pool_source_check (TbCliInvocation *inv,
                          TbCliPoolSource *source)
{
  if (source->connection.host != NULL && source->state_path != NULL)
    {
      tb_cli_error (_("Give either --pool-host or --pool-state, not both."));
      return FALSE;
    }
  /* An option that would change nothing is refused rather than ignored: the admin meant a
   * connection the command would not make. With --demo, they go to the demo's Front End. */
  if (source->connection.host == NULL && tb_cli_pool_connection_has_options (&source->connection)
      && !inv->demo)
    {
      tb_cli_error (_("--port, --auth, --user and --tls-fingerprint go with --pool-host."));
      return FALSE;
    }
  return TRUE;
}

gboolean
tb_cli_trust_read_pool (TbCliInvocation  *inv,
                        TbCliPoolSource  *source,
                        TbWorkspace      *ws,
                        TbPoolClient    **client_out)
{
  const char *pool_state = source->state_path;
  g_autoptr(GError) error = NULL;

  if (pool_state != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (pool_state);
      g_autoptr(TbPoolState) state = tb_pool_state_new_from_file (file, NULL, &error);
      const char *server;

      if (state == NULL)
        {
          tb_cli_error ("%s: %s", pool_state, error->message);
          return FALSE;
        }
      server = tb_pool_state_get_server_fqdn (state);
      tb_workspace_set_pool_state (ws, state, TB_POOL_SOURCE_STATE_FILE,
                                   server != NULL ? server : pool_state);
      return TRUE;
    }

  if (source->connection.host != NULL || inv->demo)
    {
      g_autoptr(TbPoolClient) client = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(TbPoolState) state = NULL;
      g_autofree char *display = NULL;
      g_autofree char *ignored_tenant = g_strdup ("");

      client = tb_cli_pool_connect (inv, &source->connection, &ignored_tenant, &display);
      if (client == NULL)
        return FALSE;
      tb_pool_client_status_async (client, NULL, tb_cli_store_result, &result);
      state = tb_pool_client_status_finish (client, tb_cli_wait_for (&result), &error);
      if (state == NULL)
        {
          tb_cli_error (_("The pool half could not be read from %s: %s"), display,
                        error->message);
          return FALSE;
        }
      tb_workspace_set_pool_state (ws, state,
                                   inv->demo ? TB_POOL_SOURCE_DEMO : TB_POOL_SOURCE_LIVE,
                                   display);
      if (client_out != NULL)
        *client_out = g_steal_pointer (&client);
    }
  return TRUE;
}

/* A token for reading without asking anyone: a cached or stored sign-in. A device code is
 * offered only to a person at a terminal (never to the daily check), and in demo, where it
 * is approved at once. */
static gboolean
sign_in_for_reading (TbCliInvocation *inv,
                     gboolean         may_prompt,
                     GError         **error)
{
  if (may_prompt)
    return tb_cli_sign_in (inv, TB_AUTH_ACCESS_READ, error);
  return tb_cli_sign_in_cached (inv, TB_AUTH_ACCESS_READ, error);
}

gboolean
tb_cli_trust_read_tenant (TbCliInvocation *inv,
                          gboolean         may_prompt,
                          TbWorkspace     *ws)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbGraphSnapshot) snapshot = NULL;
  g_autoptr(TbTenant) tenant = NULL;
  g_auto(GStrv) app_ids = tb_profile_dup_app_ids (tb_context_get_profile (inv->context));
  gboolean ok = TRUE;

  if (!sign_in_for_reading (inv, may_prompt, &error))
    {
      tb_cli_error (_("The Microsoft 365 half could not be read: %s"), error->message);
      g_clear_error (&error);
      ok = FALSE;
    }
  else
    {
      tb_graph_client_snapshot_async (tb_context_get_graph_client (inv->context),
                                      (const char * const *) app_ids, NULL, tb_cli_store_result,
                                      &result);
      snapshot = tb_graph_client_snapshot_finish (tb_context_get_graph_client (inv->context),
                                                  tb_cli_wait_for (&result), &error);
      g_clear_object (&result);
      if (snapshot == NULL)
        {
          tb_cli_error (_("The Microsoft 365 half could not be read: %s"), error->message);
          g_clear_error (&error);
          ok = FALSE;
        }
      else
        tb_workspace_take_snapshot (ws, g_steal_pointer (&snapshot));
    }

  /* The ACS metadata needs no sign-in: the realm is checked whenever the tenant is known. */
  if (tb_workspace_get_tenant_id (ws) == NULL)
    return ok;
  tb_tenant_resolve_async (tb_context_get_cloud (inv->context),
                           tb_context_get_session (inv->context),
                           tb_workspace_get_tenant_id (ws), NULL, tb_cli_store_result, &result);
  tenant = tb_tenant_resolve_finish (tb_cli_wait_for (&result), &error);
  g_clear_object (&result);
  if (tenant != NULL)
    {
      tb_tenant_check_metadata_async (tenant, tb_context_get_session (inv->context), NULL,
                                      tb_cli_store_result, &result);
      tb_tenant_check_metadata_finish (tenant, tb_cli_wait_for (&result), &error);
      tb_workspace_set_tenant (ws, tenant);
    }
  if (error != NULL)
    {
      tb_cli_error (_("The tenant’s ACS metadata could not be read: %s"), error->message);
      ok = FALSE;
    }
  return ok;
}

static const char *
status_label (TbTrustStatus status)
{
  switch (status)
    {
    case TB_TRUST_STATUS_OK:
      return _("ok");
    case TB_TRUST_STATUS_WARNING:
      return _("WARNING");
    case TB_TRUST_STATUS_FAILED:
      return _("FAILED");
    case TB_TRUST_STATUS_UNKNOWN:
    default:
      return _("unknown");
    }
}

static void
print_text (TbTrustReport *report,
            TbWorkspace   *ws)
{
  const TbTrustHalf halves[] = { TB_TRUST_HALF_POOL, TB_TRUST_HALF_MICROSOFT365 };
  const char *tenant = tb_workspace_get_tenant_id (ws);
  const char *server = tb_workspace_get_pool_server (ws);

  printf ("%s %s\n", _("Tenant:"), tenant != NULL ? tenant : _("unknown"));
  printf ("%s %s\n", _("Pool:"), server != NULL ? server : _("not read"));
  for (guint h = 0; h < G_N_ELEMENTS (halves); h++)
    {
      printf ("\n%s\n", halves[h] == TB_TRUST_HALF_POOL ? _("On-premises pool")
                                                        : _("Microsoft 365"));
      for (guint i = 0; i < report->checks->len; i++)
        {
          const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

          if (check->half != halves[h])
            continue;
          g_autofree char *label = tb_cli_pad (status_label (check->status), 8);

          printf ("  %s %s\n           %s\n", label, check->id, check->detail);
          if (check->fix != NULL)
            printf ("           %s %s\n", _("Fix:"), check->fix);
        }
    }
  printf ("\n");
  /* Translators: the summary line of trust check. */
  printf (_("%u ok, %u warning, %u failed, %u unknown\n"),
          tb_trust_report_count (report, TB_TRUST_STATUS_OK),
          tb_trust_report_count (report, TB_TRUST_STATUS_WARNING),
          tb_trust_report_count (report, TB_TRUST_STATUS_FAILED),
          tb_trust_report_count (report, TB_TRUST_STATUS_UNKNOWN));
}

TbTrustReport *
tb_cli_trust_compute (TbCliInvocation *inv,
                      TbWorkspace     *ws)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  TbTrustCheckOptions options = { 0 };
  TbTrustReport *report;

  options.acs_base = tb_pool_connection_get_acs_base (inv->context);
  options.now = now;
  options.warn_days = tb_context_get_warn_days (inv->context);
  /* The audit's known credentials are explained here too. */
  options.known_settings = tb_context_get_settings (inv->context);
  report = tb_trust_check (ws, &options, &error);
  if (report == NULL)
    tb_cli_error ("%s", error->message);
  return report;
}

void
tb_cli_trust_print (TbTrustReport *report,
                    TbWorkspace   *ws)
{
  print_text (report, ws);
}

/* The options that go together, and --format; FALSE after an error message. */
static gboolean
check_options (TbCliInvocation *inv,
               CheckOptions    *o,
               gboolean        *prometheus)
{
  g_autoptr(GError) error = NULL;

  if (inv->args[0] != NULL)
    {
      tb_cli_error (_("trust check takes no arguments besides its options"));
      return FALSE;
    }
  if (o->format != NULL)
    {
      /* Notes for people (the Kerberos principal) go to stderr, as with --json: stdout is
       * the exposition text alone. */
      if (g_str_equal (o->format, "prometheus"))
        *prometheus = inv->json = TRUE;
      else if (g_str_equal (o->format, "json"))
        inv->json = TRUE;
      else if (!g_str_equal (o->format, "text"))
        {
          tb_cli_error (_("--format takes text, json or prometheus"));
          return FALSE;
        }
    }
  if (!tb_cli_pool_source_check (inv, &o->pool))
    return FALSE;
  if (o->tenant != NULL && !tb_tenant_check_input (o->tenant, &error))
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Without pool options, the pool the daily check watches (Preferences). */
static void
use_monitored_pool (TbCliInvocation *inv,
                    CheckOptions    *o)
{
  TbCliPoolConnection *connection = &o->pool.connection;

  if (connection->host != NULL || o->pool.state_path != NULL || inv->demo)
    return;
  connection->host = dup_monitor_setting (inv, "pool-host");
  if (connection->host != NULL)
    {
      connection->auth = dup_monitor_setting (inv, "pool-auth");
      connection->user = dup_monitor_setting (inv, "pool-user");
    }
  else
    o->pool.state_path = dup_monitor_setting (inv, "pool-state-file");
}

/* --cert and --fqdn into @ws; FALSE after an error message. */
static gboolean
set_trust_inputs (TbCliInvocation *inv,
                  CheckOptions    *o,
                  TbWorkspace     *ws)
{
  if (o->cert != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (o->cert);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) certs = tb_certificate_load_file (file, NULL, &error);

      if (certs == NULL || certs->len != 1)
        {
          tb_cli_error ("%s: %s", o->cert, certs == NULL
                                             ? error->message
                                             : _("give a file with exactly one certificate"));
          return FALSE;
        }
      tb_workspace_set_certificate (ws, g_ptr_array_index (certs, 0));
    }
  if (o->fqdns != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) all = NULL;

      g_strv_builder_addv (builder, (const char **) o->fqdns);
      g_strv_builder_addv (builder, (const char **) inv->args);
      all = g_strv_builder_end (builder);
      tb_workspace_set_external_fqdns (ws, (const char * const *) all);
    }
  return TRUE;
}

static void
print_report (TbCliInvocation *inv,
              TbTrustReport   *report,
              TbWorkspace     *ws,
              gboolean         prometheus)
{
  if (prometheus)
    {
      g_autofree char *text = tb_trust_report_to_prometheus (report, ws);

      fputs (text, stdout);
    }
  else if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_trust_report_to_json (report, ws);

      tb_cli_print_json (root);
    }
  else
    print_text (report, ws);
  fflush (stdout);
}

int
tb_cli_trust_check (TbCliInvocation *inv)
{
  g_auto(CheckOptions) o = { 0 };
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    TB_CLI_POOL_SOURCE_ENTRIES (&o.pool),
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &o.cert, NULL, NULL },
    { "fqdn", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.fqdns, NULL, NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o.format, NULL, NULL },
    { "notify", 0, 0, G_OPTION_ARG_NONE, &o.notify, NULL, NULL },
    { NULL }
  };
  g_autoptr(TbWorkspace) ws = NULL;
  g_autoptr(TbTrustReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean prometheus = FALSE;
  gboolean complete = TRUE;
  TbTrustStatus worst;

  if (!tb_cli_parse_options (inv, entries) || !check_options (inv, &o, &prometheus))
    return TB_CLI_EXIT_ERROR;
  use_monitored_pool (inv, &o);

  if (o.tenant != NULL && !inv->demo)
    tb_context_set_tenant (inv->context, o.tenant);
  ws = tb_context_new_workspace (inv->context);
  if (!set_trust_inputs (inv, &o, ws))
    return TB_CLI_EXIT_ERROR;

  /* Each half is read even when the other could not be: what is known is still shown. */
  complete &= tb_cli_trust_read_pool (inv, &o.pool, ws, NULL);
  /* The unattended daily check never waits for a person to sign in. */
  complete &= tb_cli_trust_read_tenant (inv, inv->demo || !o.notify, ws);

  report = tb_cli_trust_compute (inv, ws);
  if (report == NULL)
    return TB_CLI_EXIT_ERROR;
  print_report (inv, report, ws, prometheus);

  if (o.notify && !tb_trust_report_notify (report, &error))
    {
      tb_cli_error (_("No desktop notification: %s"), error->message);
      g_clear_error (&error);
    }

  if (!complete)
    return TB_CLI_EXIT_ERROR;
  worst = tb_trust_report_get_worst (report);
  if (worst == TB_TRUST_STATUS_FAILED || worst == TB_TRUST_STATUS_WARNING)
    return TB_CLI_EXIT_CHECK_FAILED;
  /* Unknown: an input is missing (no pool named, not signed in). */
  return worst == TB_TRUST_STATUS_OK ? TB_CLI_EXIT_OK : TB_CLI_EXIT_ERROR;
}
