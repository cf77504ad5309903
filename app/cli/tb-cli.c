/* tb-cli.c: the trust-bridge-cli command dispatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "tb-cli.h"
#include "tb-cli-renew.h"
#include "tb-demo.h"
#include "tb-tenant.h"

typedef int (*TbCliCommandFunc) (TbCliInvocation *inv);

typedef struct
{
  const char       *group;
  /* One word, or several separated by spaces ("script read"): all must follow the group. */
  const char       *verb;
  const char       *usage;
  const char       *summary;
  TbCliCommandFunc  func;
  /* The command parses its own options (tb_cli_parse_options); others get none. */
  gboolean          own_options;
} TbCliCommand;

static const TbCliCommand commands[] = {
  { "cert", "inspect", "[--json] FILE…", N_("Show the certificates in .cer, .crt or .pem files"),
    tb_cli_cert_inspect, FALSE },
  { "pool", "script read", "[--encoded]",
    N_("Print the PowerShell script that reads the pool's OAuth configuration"),
    tb_cli_pool_script_read, TRUE },
  { "pool", "script apply", "--tenant GUID [--cloud NAME | --acs-base URL] [--dry-run] [--encoded]",
    N_("Print the PowerShell script that sets the pool up for the tenant"),
    tb_cli_pool_script_apply, TRUE },
  { "pool", "import", "[--json] [--tenant GUID] [--cloud NAME | --acs-base URL] FILE",
    N_("Check a pool state file brought back from the Front End"),
    tb_cli_pool_import, TRUE },
  { "tenant", "resolve", "DOMAIN",
    N_("Find the tenant ID (realm) of a domain and check its ACS metadata, without signing in"),
    tb_cli_tenant_resolve, FALSE },
  { "principals", "show", "[--tenant T] [APPID…]",
    N_("Show service principals with their SPNs and key credentials"),
    tb_cli_principals_show, TRUE },
  { "principals", "enable", "[--tenant T] [--dry-run] APPID…",
    N_("Enable service principals"),
    tb_cli_principals_enable, TRUE },
  { "credentials", "add", "[--tenant T] --cert FILE --to APPID[,APPID…] [--dry-run]",
    N_("Add a certificate to service principals, keeping every other credential"),
    tb_cli_credentials_add, TRUE },
  { "credentials", "remove", "[--tenant T] --from APPID --key-id GUID [--dry-run]",
    N_("Remove one key credential from a service principal"),
    tb_cli_credentials_remove, TRUE },
  { "spn", "add", "[--tenant T] --to APPID [--dry-run] FQDN…",
    N_("Add “APPID/FQDN” service principal names"),
    tb_cli_spn_add, TRUE },
  { "spn", "remove", "[--tenant T] --from APPID [--dry-run] FQDN|SPN…",
    N_("Remove service principal names"),
    tb_cli_spn_remove, TRUE },
  { "trust", "establish",
    "[--tenant T] --cert FILE --fqdn FQDN… | --pool-host FQDN [--port N] [--auth "
    "kerberos|basic] [--user USER] [--tls-fingerprint HEX] | --pool-state FILE "
    "[--include-exchange] [--dry-run]",
    N_("Set up the trust: the Microsoft 365 side (certificate, SPNs, Exchange Online enabled; "
       "with --include-exchange also its certificate), and with --pool-host the pool too, then "
       "check both"),
    tb_cli_trust_establish, TRUE },
  { "trust", "check",
    "[--tenant T] [--pool-host FQDN [--port N] [--auth kerberos|basic] [--user USER] "
    "[--tls-fingerprint HEX] | --pool-state FILE] [--cert FILE] [--fqdn FQDN…] "
    "[--format text|json|prometheus] [--notify]",
    N_("Check the whole trust, pool and Microsoft 365; exit 0 when every check is ok"),
    tb_cli_trust_check, TRUE },
  { "pool", "status",
    "--host FQDN [--port N] [--auth kerberos|basic] [--user USER] [--tls-fingerprint HEX] "
    "[--tenant GUID] [--cloud NAME | --acs-base URL]",
    N_("Read the pool’s OAuth configuration over WinRM (HTTPS) and check it"),
    tb_cli_pool_status, TRUE },
  { "pool", "apply",
    "--host FQDN [connection options as for status] --tenant GUID "
    "[--cloud NAME | --acs-base URL] [--dry-run]",
    N_("Set the pool up for the tenant over WinRM, then read it again to verify"),
    tb_cli_pool_apply, TRUE },
  { "audit", "", "[--tenant T] [--cert FILE | --pool-state FILE] [--csv]",
    N_("List every credential on Microsoft’s own service principals and say where it comes "
       "from; exit status 1 when any is unexplained"),
    tb_cli_audit, TRUE },
  { "trust", "renew",
    "(--pool-host FQDN [connection options as for pool status] | --pool-state FILE) [--tenant T] "
    "(--new-thumbprint HEX | --new-cert FILE) [--effective-date YYYY-MM-DDTHH:MM:SSZ] [--dry-run] "
    "| --finish … | --request-new --ca SERVER\\CA [--domain-name NAME]",
    N_("Renew the pool’s OAuth certificate: upload to Microsoft 365, stage on the pool; "
       "--finish removes the old one after the switch"),
    tb_cli_trust_renew, TRUE },
};

/* Words of @verb matched against @args; the number of words, or 0 when they differ. */
static guint
match_verb (const char  *verb,
            char       **args)
{
  g_auto(GStrv) words = g_strsplit (verb, " ", -1);
  guint n = 0;

  for (; words[n] != NULL; n++)
    if (args[n] == NULL || !g_str_equal (args[n], words[n]))
      return 0;
  return n;
}

gboolean
tb_cli_parse_options (TbCliInvocation *inv,
                      const GOptionEntry *entries)
{
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed = NULL;

  /* g_option_context_parse_strv wants a program name first. */
  g_ptr_array_add (argv, g_strdup ("trust-bridge-cli"));
  for (guint i = 0; inv->args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (inv->args[i]));
  g_ptr_array_add (argv, NULL);
  parsed = (GStrv) g_ptr_array_steal (argv, NULL);

  g_option_context_set_help_enabled (options, FALSE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (options, &parsed, &error))
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }

  g_strfreev (inv->owned_args);
  inv->owned_args = g_strdupv (parsed + 1);
  inv->args = inv->owned_args;
  return TRUE;
}

void
tb_cli_error (const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "trust-bridge-cli: %s\n", message);
}

void
tb_cli_store_result (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
tb_cli_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

void
tb_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static char *
usage_text (void)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%s\n  trust-bridge-cli [OPTIONS] COMMAND…\n\n%s\n",
                          _("Usage:"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %s%s%s %s\n      %s\n", commands[i].group,
                            commands[i].verb[0] != '\0' ? " " : "", commands[i].verb,
                            commands[i].usage, _(commands[i].summary));
  g_string_append_printf (text, "\n%s\n"
                          "  --json              %s\n"
                          "  --cloud NAME        %s\n"
                          "  --endpoints FILE    %s\n"
                          "  --client-id ID      %s\n"
                          "  --demo              %s\n"
                          "  --demo-scenario NAME\n"
                          "                      %s\n"
                          "  --help              %s\n"
                          "  --version           %s\n\n%s\n%s\n",
                          _("Options:"),
                          _("Print JSON for scripts instead of text for people"),
                          _("global (default), usgov-high, usgov-dod or china"),
                          _("Custom endpoints: a key file with [Endpoints] Login=, Graph=, Acs="),
                          _("Public client ID to sign in with (default: Microsoft Graph Command Line Tools)"),
                          _("Work against the built-in simulators (a demo tenant and Front End); nothing reaches Microsoft 365 or a real pool"),
                          _("The demo's scenario (implies --demo): default, or renewal-due (the pool's OAuth certificate expires soon)"),
                          _("Show this help"),
                          _("Show the version"),
                          _("Commands that read or change service principals sign in with a device code when no token is cached; the sign-in message goes to stderr."),
                          _("Exit status: 0 success, 1 a check or verification failed, 2 bad input or an error."));

  /* Wrapped by hand: translators keep the line breaks. */
  g_string_append_printf (text, "\n%s\n",
                          _("pool status, pool apply:\n"
                            "  --auth kerberos (default) uses the ticket from kinit; name the "
                            "server\n  by its FQDN. --auth basic needs --user (a local Windows "
                            "account); the\n  password comes from TRUST_BRIDGE_PASSWORD (read "
                            "once, then removed)\n  or a prompt on the terminal. An untrusted "
                            "listener certificate is\n  refused: check the fingerprint shown on "
                            "the server and pass it with\n  --tls-fingerprint.\n"
                            "  pool apply --json prints "
                            "{\"changes\":[{\"item\",\"action\",\"detail\"}]}:\n"
                            "  where the Microsoft 365 commands name the application "
                            "(\"app_id\"),\n  the pool commands name the check the change "
                            "concerns (\"item\":\n  oauth-server, partner-application, "
                            "oauth-service-name)."));

  return g_string_free (text, FALSE);
}

/* The same context the GUI uses, set up from the global options; the last word goes to
 * --demo, then --endpoints, then --cloud, as in the GUI. */
static gboolean
apply_global_options (TbContext  *context,
                      const char *cloud,
                      const char *endpoints,
                      const char *client_id,
                      gboolean    demo,
                      const char *scenario)
{
  g_autoptr(GError) error = NULL;

  if (cloud != NULL && endpoints != NULL)
    {
      tb_cli_error (_("Give either --cloud or --endpoints, not both."));
      return FALSE;
    }
  if (cloud != NULL && !tb_context_set_cloud_name (context, cloud, &error))
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }
  if (endpoints != NULL && !tb_context_set_endpoints_file (context, endpoints, &error))
    {
      tb_cli_error ("%s", error->message);
      return FALSE;
    }
  if (client_id != NULL)
    {
      if (!tb_tenant_is_guid (client_id))
        {
          tb_cli_error (_("--client-id takes an application ID (a GUID)."));
          return FALSE;
        }
      tb_context_set_client_id (context, client_id);
    }
  if (demo)
    {
      /* The demo belongs to the context, which stops its simulators when freed. */
      TbDemo *sim_demo = tb_demo_attach (context, scenario, &error);

      if (sim_demo == NULL || !tb_demo_start (sim_demo, &error))
        {
          tb_cli_error ("%s", error->message);
          return FALSE;
        }
    }

  return TRUE;
}

/* The command @words (group, then verb words) name, and in *@n_verb_words how many words its
 * verb took; NULL when there is none. */
static const TbCliCommand *
find_command (char  **words,
              guint  *n_verb_words)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      guint n;

      if (!g_str_equal (words[0], commands[i].group))
        continue;
      n = match_verb (commands[i].verb, words + 1);
      /* A command of one word ("audit") has no verb to match. */
      if (n == 0 && commands[i].verb[0] != '\0')
        continue;
      *n_verb_words = n;
      return &commands[i];
    }
  return NULL;
}

int
tb_cli_run (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbContext) context = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *cloud = NULL;
  g_autofree char *endpoints = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *scenario = NULL;
  gboolean json = FALSE;
  gboolean demo = FALSE;
  gboolean help = FALSE;
  gboolean version = FALSE;
  TbCliInvocation inv = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, NULL, NULL },
    { "demo-scenario", 0, 0, G_OPTION_ARG_STRING, &scenario, NULL, NULL },
    { "cloud", 0, 0, G_OPTION_ARG_STRING, &cloud, NULL, NULL },
    { "endpoints", 0, 0, G_OPTION_ARG_FILENAME, &endpoints, NULL, NULL },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id, NULL, NULL },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, NULL, NULL },
    { NULL }
  };
  const TbCliCommand *command;
  guint n_args;
  guint n_words = 0;

  /* Options may stand anywhere, before or after the command words; "--" ends them. */
  args = g_strdupv (argv);
  options = g_option_context_new (NULL);
  g_option_context_set_help_enabled (options, FALSE);
  /* Commands' own options (pool … --tenant) stay in place for them to parse. */
  g_option_context_set_ignore_unknown_options (options, TRUE);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse_strv (options, &args, &error))
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }

  n_args = g_strv_length (args);
  if (scenario != NULL)
    demo = TRUE;

  if (version)
    {
      printf ("trust-bridge-cli %s\n", PACKAGE_VERSION);
      return TB_CLI_EXIT_OK;
    }
  if (help || n_args < 2)
    {
      g_autofree char *text = usage_text ();

      fputs (text, help ? stdout : stderr);
      return help ? TB_CLI_EXIT_OK : TB_CLI_EXIT_ERROR;
    }

  command = find_command (args + 1, &n_words);
  if (command != NULL)
    {
      int status;

      inv.args = args + 2 + n_words;
      if (!command->own_options)
        for (guint j = 0; inv.args[j] != NULL; j++)
          if (g_str_has_prefix (inv.args[j], "--") && inv.args[j][2] != '\0')
            {
              tb_cli_error (_("Unknown option %s"), inv.args[j]);
              return TB_CLI_EXIT_ERROR;
            }

      context = tb_context_new ();
      if (!apply_global_options (context, cloud, endpoints, client_id, demo, scenario))
        return TB_CLI_EXIT_ERROR;
      inv.context = context;
      inv.json = json;
      inv.demo = demo;
      status = command->func (&inv);
      g_strfreev (inv.owned_args);
      return status;
    }

  {
    g_autofree char *words = n_args >= 3 ? g_strjoin (" ", args[1], args[2], NULL)
                                         : g_strdup (args[1]);

    tb_cli_error (_("unknown command “%s”; see trust-bridge-cli --help"), words);
  }
  return TB_CLI_EXIT_ERROR;
}
