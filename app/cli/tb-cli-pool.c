/* tb-cli-pool.c: trust-bridge-cli pool … (the on-premises pool: script round trip and live)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-pool"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-cli.h"
#include "tb-cli-labels.h"
#include "tb-cli-renew.h"
#include "tb-cloud.h"
#include "tb-pool-client.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-secret.h"

typedef struct
{
  char     *tenant;
  char     *cloud;
  char     *acs_base;
  gboolean  dry_run;
  gboolean  encoded;
} PoolOptions;

static void
pool_options_clear (PoolOptions *o)
{
  g_clear_pointer (&o->tenant, g_free);
  g_clear_pointer (&o->cloud, g_free);
  g_clear_pointer (&o->acs_base, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PoolOptions, pool_options_clear)

/* The ACS base from --acs-base, --cloud or the context's cloud (the "cloud" setting or
 * Global); NULL after an error message. In demo the context's cloud is the simulator's plain
 * http address, which no Front End could fetch and no script accepts: the demo Front End
 * stands for a real pool, so it gets the global cloud's ACS. */
static char *
resolve_acs_base (TbCliInvocation *inv,
                  PoolOptions     *o)
{
  g_autoptr(TbCloud) cloud = NULL;
  g_autoptr(GError) error = NULL;

  if (o->acs_base != NULL && o->cloud != NULL)
    {
      tb_cli_error (_("Give either --cloud or --acs-base, not both."));
      return NULL;
    }
  if (o->acs_base != NULL)
    return g_strdup (o->acs_base);
  if (o->cloud != NULL)
    {
      cloud = tb_cloud_new_builtin (o->cloud, &error);
      if (cloud == NULL)
        {
          tb_cli_error ("%s", error->message);
          return NULL;
        }
      return g_strdup (tb_cloud_get_acs (cloud));
    }
  if (tb_context_get_demo (inv->context))
    return g_strdup (TB_POOL_DEFAULT_ACS_BASE);
  return g_strdup (tb_cloud_get_acs (tb_context_get_cloud (inv->context)));
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
  g_autofree char *acs = NULL;
  char *script;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    { "cloud", 0, 0, G_OPTION_ARG_STRING, &o.cloud, NULL, NULL },
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
  acs = resolve_acs_base (inv, &o);
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
  {
    const char *labels[] = { _("Server:"), _("Product:"), _("Module:") };
    const char *values[] = {
      tb_pool_state_get_server_fqdn (state), tb_pool_state_get_server_product (state),
      tb_pool_state_get_server_module (state),
    };
    guint width = tb_cli_label_width (22, labels, G_N_ELEMENTS (labels));

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        g_autofree char *label = tb_cli_pad (labels[i], width);

        printf ("  %s %s\n", label, values[i] != NULL ? values[i] : unknown);
      }
  }
  printf ("\n");

  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);
      g_autofree char *result = tb_cli_pad (result_label (check->ok), 8);

      printf ("  %s %s\n           %s\n", result, check->item, check->detail);
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

/* The pool's state and its checks: JSON with --json, else text under @name. */
static void
print_report (TbCliInvocation *inv,
              const char      *name,
              TbPoolState     *state,
              GPtrArray       *checks)
{
  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_pool_state_report_json (state, checks);

      tb_cli_print_json (root);
    }
  else
    print_text (name, state, checks);
}

/* 0 only when every check passed: an unknown item cannot be called ready. */
static int
checks_exit_status (GPtrArray *checks)
{
  return tb_pool_checks_summary (checks) == TB_POOL_CHECK_OK ? TB_CLI_EXIT_OK
                                                             : TB_CLI_EXIT_CHECK_FAILED;
}

/* {"@what": @name, "error": @message[, "fingerprint": @fingerprint]} on stdout (--json). */
static void
print_error_json (const char *what,
                  const char *name,
                  const char *message,
                  const char *fingerprint)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, what);
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  if (fingerprint != NULL)
    {
      json_builder_set_member_name (builder, "fingerprint");
      json_builder_add_string_value (builder, fingerprint);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  tb_cli_print_json (root);
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
  g_autofree char *acs = NULL;
  const char *path;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    { "cloud", 0, 0, G_OPTION_ARG_STRING, &o.cloud, NULL, NULL },
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
  acs = resolve_acs_base (inv, &o);
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
        print_error_json ("file", path, error->message, NULL);
      tb_cli_error ("%s: %s", path, error->message);
      return TB_CLI_EXIT_ERROR;
    }

  print_report (inv, path, state, checks);
  return checks_exit_status (checks);
}

/* ---- Live over WinRM: pool status, pool apply ------------------------------------------- */

#define PASSWORD_VARIABLE "TRUST_BRIDGE_PASSWORD"
#define MAX_PASSWORD 1024

void
tb_cli_pool_connection_clear (TbCliPoolConnection *c)
{
  g_clear_pointer (&c->host, g_free);
  g_clear_pointer (&c->auth, g_free);
  g_clear_pointer (&c->user, g_free);
  g_clear_pointer (&c->fingerprint, g_free);
}

gboolean
tb_cli_pool_connection_has_options (const TbCliPoolConnection *c)
{
  return c->port != 0 || c->auth != NULL || c->user != NULL || c->fingerprint != NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbCliPoolConnection, tb_cli_pool_connection_clear)

/* The terminal's settings while echo is off, for the signal handler to put back. */
static int tty_fd = -1;
static struct termios tty_saved;

static void
restore_tty_and_die (int signum)
{
  if (tty_fd >= 0)
    tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Asks on the controlling terminal with echo off. NULL when there is none. */
static char *
prompt_password (const char *user,
                 const char *host,
                 gboolean   *no_tty)
{
  g_autofree char *prompt = NULL;
  struct termios quiet;
  struct sigaction action = { 0 }, old_int, old_term, old_hup;
  char *buffer;
  gsize len = 0;
  gboolean done = FALSE;

  *no_tty = FALSE;
  tty_fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty_fd < 0 || tcgetattr (tty_fd, &tty_saved) != 0)
    {
      if (tty_fd >= 0)
        close (tty_fd);
      tty_fd = -1;
      *no_tty = TRUE;
      return NULL;
    }

  /* Ctrl+C while echo is off must not leave the terminal silent. */
  action.sa_handler = restore_tty_and_die;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &old_int);
  sigaction (SIGTERM, &action, &old_term);
  sigaction (SIGHUP, &action, &old_hup);

  prompt = g_strdup_printf (_("Password for %s on %s: "), user, host);
  if (write (tty_fd, prompt, strlen (prompt)) < 0)
    {
      /* Nothing to do: the read below still works, the admin just sees no prompt. */
    }
  quiet = tty_saved;
  quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
  tcsetattr (tty_fd, TCSAFLUSH, &quiet);

  buffer = g_malloc0 (MAX_PASSWORD + 1);
  while (!done)
    {
      char c;
      ssize_t n = read (tty_fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n' || c == '\r')
        done = TRUE;
      else if (len < MAX_PASSWORD)
        buffer[len++] = c;
    }

  tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
  if (write (tty_fd, "\n", 1) < 0)
    {
      /* The newline only tidies the terminal. */
    }
  close (tty_fd);
  tty_fd = -1;
  sigaction (SIGINT, &old_int, NULL);
  sigaction (SIGTERM, &old_term, NULL);
  sigaction (SIGHUP, &old_hup, NULL);
  return buffer;
}

/* TRUST_BRIDGE_PASSWORD (read once, wiped and removed so no child or later code sees it),
 * else a prompt on the terminal. NULL after an error message. */
static char *
get_password (const char *user,
              const char *host)
{
  char *value = (char *) g_getenv (PASSWORD_VARIABLE);
  char *password;
  gboolean no_tty;

  if (value != NULL)
    {
      password = g_strdup (value);
      /* The bytes live in the process's environment block, which /proc/PID/environ shows. */
      tb_secret_wipe (value, strlen (value));
      g_unsetenv (PASSWORD_VARIABLE);
    }
  else
    {
      password = prompt_password (user, host, &no_tty);
      if (password == NULL)
        {
          tb_cli_error (_("No password for %s: set %s or run trust-bridge-cli in a terminal "
                          "to be asked for it."), user, PASSWORD_VARIABLE);
          return NULL;
        }
    }

  if (*password == '\0')
    {
      tb_secret_free (password);
      tb_cli_error (_("The password for %s is empty."), user);
      return NULL;
    }
  return password;
}

static const GOptionEntry *
connect_entries (TbCliPoolConnection *c,
                 PoolOptions         *o,
                 gboolean             apply)
{
  /* Filled on every call: the pointers differ per invocation. */
  static GOptionEntry entries[12];
  const GOptionEntry connection[] = { TB_CLI_POOL_CONNECTION_ENTRIES (c, "host") };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (connection); i++)
    entries[n++] = connection[i];
  entries[n++] = (GOptionEntry) { "tenant", 0, 0, G_OPTION_ARG_STRING, &o->tenant, NULL, NULL };
  entries[n++] = (GOptionEntry) { "cloud", 0, 0, G_OPTION_ARG_STRING, &o->cloud, NULL, NULL };
  entries[n++] = (GOptionEntry) { "acs-base", 0, 0, G_OPTION_ARG_STRING, &o->acs_base, NULL,
                                  NULL };
  if (apply)
    entries[n++] = (GOptionEntry) { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o->dry_run, NULL, NULL };
  entries[n] = (GOptionEntry) { NULL };
  return entries;
}

/* A TbPoolClient from the options (or the demo Front End); NULL after an error message.
 * *@display is the host to name in output. Validation, pins and demo wiring are the core's
 * (tb-pool-connection.h), shared with the pool page; only the password prompt is the CLI's. */
TbPoolClient *
tb_cli_pool_connect (TbCliInvocation           *inv,
                     const TbCliPoolConnection *c,
                     char                     **tenant,
                     char                     **display)
{
  const char *host = c->host;
  const char *user = c->user;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolConnection) connection = NULL;
  tb_autosecret char *password = NULL;
  TbPoolClient *client;
  FILE *notes = inv->json ? stderr : stdout;

  if (inv->demo)
    {
      if (tb_cli_pool_connection_has_options (c))
        {
          tb_cli_error (_("With --demo the demo Front End supplies the connection: give only "
                          "--host."));
          return NULL;
        }
      connection = tb_pool_connection_new_demo (inv->context, host, &error);
      if (connection == NULL)
        {
          tb_cli_error (_("The demo could not start: %s"), error->message);
          return NULL;
        }
      if (tenant != NULL && *tenant == NULL)
        *tenant = g_strdup (tb_context_get_demo_tenant_id (inv->context));
      *display = g_strdup (tb_pool_connection_get_display (connection));
      fprintf (stderr, _("Demo: %s is simulated on %s:%u.\n"), *display,
               tb_pool_connection_get_host (connection), tb_pool_connection_get_port (connection));
      return tb_pool_connection_new_client (connection, NULL);
    }

  if (c->port < 0 || c->port > 65535)
    {
      tb_cli_error (_("--port must be between 1 and 65535"));
      return NULL;
    }
  connection = tb_pool_connection_new (inv->context, host, (guint) c->port, c->auth, user,
                                       c->fingerprint, &error);
  if (connection == NULL)
    {
      tb_cli_error ("%s", error->message);
      return NULL;
    }
  *display = g_strdup (tb_pool_connection_get_display (connection));

  if (tb_pool_connection_get_auth (connection) == TB_WINRM_AUTH_KERBEROS)
    {
      g_autofree char *principal = tb_winrm_kerberos_get_principal (&error);

      if (principal == NULL)
        {
          tb_cli_error ("%s", error->message);
          return NULL;
        }
      fprintf (notes, _("Kerberos: using the ticket of %s.\n"), principal);
      return tb_pool_connection_new_client (connection, NULL);
    }

  /* Unattended (the daily check): the password the pool page remembered in the keyring. */
  if (g_getenv (PASSWORD_VARIABLE) == NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      tb_pool_connection_lookup_password_async (connection, NULL, tb_cli_store_result, &result);
      tb_cli_wait_for (&result);
      tb_pool_connection_lookup_password_finish (connection, result, NULL);
    }
  if (tb_pool_connection_needs_password (connection))
    {
      password = get_password (user, host);
      if (password == NULL)
        return NULL;
      tb_pool_connection_set_password (connection, password);
    }
  client = tb_pool_connection_new_client (connection, &error);
  if (client == NULL)
    tb_cli_error ("%s", error->message);
  return client;
}

static TbPoolClient *
connect_client (TbCliInvocation     *inv,
                TbCliPoolConnection *c,
                PoolOptions         *o,
                const char          *command,
                char               **display)
{
  if (inv->args[0] != NULL)
    {
      tb_cli_error (_("%s takes no arguments besides its options"), command);
      return NULL;
    }
  if (!inv->demo && c->host == NULL)
    {
      tb_cli_error (_("%s needs --host with the Front End’s FQDN"), command);
      return NULL;
    }
  return tb_cli_pool_connect (inv, c, &o->tenant, display);
}

/* An error of a live run on stderr (and as JSON on stdout with --json), with what the admin
 * can do about it. */
static void
report_error (TbCliInvocation *inv,
              const char      *host,
              const GError    *error)
{
  const char *fingerprint = NULL;

  if (g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_UNTRUSTED) ||
      g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_CHANGED))
    fingerprint = tb_winrm_error_get_fingerprint (error);

  if (inv->json)
    print_error_json ("host", host, error->message, fingerprint);

  tb_cli_error ("%s", error->message);
  if (fingerprint == NULL)
    return;
  /* The CLI never trusts on its own: the admin compares and passes the pin explicitly. */
  fprintf (stderr, "\n  %s\n    %s\n\n  %s\n    %s\n  %s\n    --tls-fingerprint %s\n",
           _("Presented certificate, SHA-256:"), fingerprint,
           _("Compare it on the server with the listener certificate's SHA-256 (PowerShell):"),
           "$c = Get-Item Cert:\\LocalMachine\\My\\<thumbprint of the listener>; "
           "[BitConverter]::ToString([Security.Cryptography.SHA256]::Create()"
           ".ComputeHash($c.RawData)) -replace '-'",
           _("Only if they match, run the command again with"), fingerprint);
}

int
tb_cli_pool_status (TbCliInvocation *inv)
{
  g_auto(PoolOptions) o = { 0 };
  g_auto(TbCliPoolConnection) c = { 0 };
  g_autoptr(TbPoolClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) diagnosis = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *acs = NULL;
  g_autofree char *display = NULL;

  if (!tb_cli_parse_options (inv, connect_entries (&c, &o, FALSE)))
    return TB_CLI_EXIT_ERROR;
  client = connect_client (inv, &c, &o, "pool status", &display);
  if (client == NULL)
    return TB_CLI_EXIT_ERROR;
  acs = resolve_acs_base (inv, &o);
  if (acs == NULL)
    return TB_CLI_EXIT_ERROR;
  if (o.tenant != NULL)
    {
      g_autofree char *tenant = tb_pool_script_check_tenant_id (o.tenant, &error);

      if (tenant == NULL)
        {
          tb_cli_error ("%s", error->message);
          return TB_CLI_EXIT_ERROR;
        }
    }

  tb_pool_client_status_async (client, NULL, tb_cli_store_result, &result);
  tb_cli_wait_for (&result);
  state = tb_pool_client_status_finish (client, result, &error);
  if (state != NULL)
    checks = tb_pool_state_check (state, o.tenant, acs, now,
                                  tb_context_get_warn_days (inv->context), &error);
  if (checks == NULL)
    {
      report_error (inv, display, error);
      return TB_CLI_EXIT_ERROR;
    }

  print_report (inv, display, state, checks);

  /* The state was read, but cmdlets could not see the configuration: that is not a check
   * that failed, it is a way of connecting that cannot work. */
  if (!tb_pool_client_diagnose (state, display, &diagnosis))
    {
      tb_cli_error ("%s", diagnosis->message);
      if (g_error_matches (diagnosis, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP))
        fprintf (stderr, "  %s\n", _("Script round trip: trust-bridge-cli pool script read > "
                                     "read.ps1, run it on the Front End, then trust-bridge-cli "
                                     "pool import trust-bridge-state.json"));
      return TB_CLI_EXIT_ERROR;
    }

  return checks_exit_status (checks);
}

void
tb_cli_pool_print_changes (TbPoolApplyResult *applied,
                           const char        *server)
{
  printf ("%s%s\n", server, applied->dry_run ? _(" (dry run: nothing was changed)") : "");
  if (applied->changes->len == 0)
    printf ("  %s\n", _("Nothing to change: the pool already holds what the trust needs."));
  for (guint i = 0; i < applied->changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (applied->changes, i);
      g_autofree char *action = tb_cli_pad (tb_cli_action_label (change->action), 8);

      printf ("  %s %s\n           %s\n", action, change->target, change->detail);
    }
}

int
tb_cli_pool_apply (TbCliInvocation *inv)
{
  g_auto(PoolOptions) o = { 0 };
  g_auto(TbCliPoolConnection) c = { 0 };
  g_autoptr(TbPoolClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbPoolApplyResult) applied = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *display = NULL;
  g_autofree char *script = NULL;

  if (!tb_cli_parse_options (inv, connect_entries (&c, &o, TRUE)))
    return TB_CLI_EXIT_ERROR;
  if (o.tenant == NULL && !inv->demo)
    {
      tb_cli_error (_("pool apply needs --tenant with the tenant ID (a GUID)"));
      return TB_CLI_EXIT_ERROR;
    }
  client = connect_client (inv, &c, &o, "pool apply", &display);
  if (client == NULL)
    return TB_CLI_EXIT_ERROR;
  acs = resolve_acs_base (inv, &o);
  if (acs == NULL)
    return TB_CLI_EXIT_ERROR;
  /* Bad input is refused here, before a connection is made. */
  script = tb_pool_script_new_apply (o.tenant, acs, o.dry_run, TB_POOL_SCRIPT_FORM_TRANSPORT,
                                     &error);
  if (script == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }

  tb_pool_client_apply_async (client, o.tenant, acs, o.dry_run, NULL, tb_cli_store_result, &result);
  tb_cli_wait_for (&result);
  applied = tb_pool_client_apply_finish (client, result, &error);
  if (applied == NULL)
    {
      report_error (inv, display, error);
      if (g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP))
        fprintf (stderr, "  %s\n", _("Script round trip: trust-bridge-cli pool script apply "
                                     "--tenant GUID > apply.ps1, run it on the Front End, then "
                                     "check with pool script read and pool import."));
      return g_error_matches (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_VERIFY_FAILED)
               ? TB_CLI_EXIT_CHECK_FAILED : TB_CLI_EXIT_ERROR;
    }

  if (inv->json)
    {
      g_autoptr(JsonNode) root = tb_changes_to_json (applied->changes);

      tb_cli_print_json (root);
      return TB_CLI_EXIT_OK;
    }

  tb_cli_pool_print_changes (applied, display);
  if (!applied->dry_run && applied->changes->len > 0)
    printf ("  %s\n", _("Read again afterwards: the pool now holds what the trust needs."));
  return TB_CLI_EXIT_OK;
}
