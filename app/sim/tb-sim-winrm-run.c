/* tb-sim-winrm-run.c: the simulated Front End runs a command line: the pool scripts (read,
 * apply, renew) from their parameter block, a little PowerShell, and cmd.exe's basics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-winrm-run"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tb-sim-winrm-private.h"
#include "tb-sim-winrm-decode.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"


/* ------------------------------------------------------------------------------------------ */
/* Running commands */

typedef struct
{
  GString *out;
  GString *errors;   /* CLIXML <S S="Error"> records */
  int      exit_code;
  /* The script ends by printing the pool state (TbEmit): the renewal script's export form. */
  gboolean emits_state;
} Run;

static void
clixml_error (Run        *run,
              const char *text)
{
  /* PowerShell escapes control characters and the underscore of _x…_ look-alikes. */
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (lines[i], -1);

      g_string_append_printf (run->errors, "<S S=\"Error\">%s_x000D__x000A_</S>", escaped);
    }
  if (run->exit_code == 0)
    run->exit_code = 1;
}

static void
powershell_error (Run        *run,
                  const char *statement,
                  const char *message,
                  const char *category,
                  const char *error_id)
{
  g_autofree char *text = g_strdup_printf ("%s\n"
                                           "At line:1 char:1\n"
                                           "+ %s\n"
                                           "    + CategoryInfo          : %s\n"
                                           "    + FullyQualifiedErrorId : %s\n",
                                           message, statement, category, error_id);

  clixml_error (run, text);
}

/* The scripts report @pool on stdout as one marker line: the marker, Base64 of the JSON. */
static void
append_state_line (Run        *run,
                   JsonObject *pool)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;
  g_autofree char *b64 = NULL;

  json_node_set_object (node, pool);
  json = json_to_string (node, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  g_string_append_printf (run->out, "%s%s\r\n", TB_POOL_STATE_MARKER, b64);
}

static JsonObject *
find_by_identity (JsonObject *pool,
                  const char *member,
                  const char *identity,
                  JsonArray **array_out,
                  guint      *index_out)
{
  JsonArray *array;

  if (!json_object_has_member (pool, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (pool, member)))
    json_object_set_array_member (pool, member, json_array_new ());
  array = json_object_get_array_member (pool, member);
  *array_out = array;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (n) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (n),
                                                                 "identity", NULL),
                     identity) == 0)
        {
          *index_out = i;
          return json_node_get_object (n);
        }
    }
  return NULL;
}

static void
change (TbSimWinrm *self,
        Run        *run,
        gboolean    dry_run,
        const char *cmdlet,
        const char *target)
{
  if (dry_run)
    g_string_append_printf (run->out, "What if: Performing the operation \"%s\" on target "
                                      "\"%s\".\r\n", cmdlet, target);
  else
    {
      g_string_append_printf (run->out, "%s %s\r\n", cmdlet, target);
      self->pool_changes++;
    }
}

static void
apply_pool (TbSimWinrm *self,
            Run        *run,
            const char *metadata_url,
            gboolean    dry_run)
{
  JsonObject *pool = self->pool;
  JsonArray *array;
  JsonObject *server, *app, *config;
  guint index = 0;

  server = find_by_identity (pool, "oauthServers", TB_POOL_OAUTH_SERVER_IDENTITY, &array, &index);
  if (server == NULL)
    {
      change (self, run, dry_run, "New-CsOAuthServer", TB_POOL_OAUTH_SERVER_IDENTITY);
      if (!dry_run)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "identity", TB_POOL_OAUTH_SERVER_IDENTITY);
          json_object_set_string_member (o, "metadataUrl", metadata_url);
          json_object_set_null_member (o, "realm");
          json_array_add_object_element (array, o);
        }
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (server, "metadataUrl", NULL),
                      metadata_url) != 0)
    {
      change (self, run, dry_run, "Set-CsOAuthServer", TB_POOL_OAUTH_SERVER_IDENTITY);
      if (!dry_run)
        json_object_set_string_member (server, "metadataUrl", metadata_url);
    }

  app = find_by_identity (pool, "partnerApplications", TB_POOL_PARTNER_APPLICATION_IDENTITY,
                          &array, &index);
  if (app != NULL &&
      g_strcmp0 (json_object_get_string_member_with_default (app, "applicationIdentifier", NULL),
                 TB_POOL_EXCHANGE_APPLICATION_ID) != 0)
    {
      /* Set-CsPartnerApplication has no -ApplicationIdentifier: Remove, then New. */
      change (self, run, dry_run, "Remove-CsPartnerApplication",
              TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        json_array_remove_element (array, index);
      app = NULL;
    }
  if (app == NULL)
    {
      change (self, run, dry_run, "New-CsPartnerApplication", TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "identity", TB_POOL_PARTNER_APPLICATION_IDENTITY);
          json_object_set_string_member (o, "applicationIdentifier",
                                         TB_POOL_EXCHANGE_APPLICATION_ID);
          json_object_set_string_member (o, "applicationTrustLevel", "Full");
          json_object_set_boolean_member (o, "useOAuthServer", TRUE);
          json_object_set_boolean_member (o, "enabled", TRUE);
          json_array_add_object_element (array, o);
        }
    }
  else if (g_strcmp0 (json_object_get_string_member_with_default (app, "applicationTrustLevel",
                                                                  NULL), "Full") != 0 ||
           !json_object_get_boolean_member_with_default (app, "useOAuthServer", FALSE) ||
           !json_object_get_boolean_member_with_default (app, "enabled", FALSE))
    {
      change (self, run, dry_run, "Set-CsPartnerApplication", TB_POOL_PARTNER_APPLICATION_IDENTITY);
      if (!dry_run)
        {
          json_object_set_string_member (app, "applicationTrustLevel", "Full");
          json_object_set_boolean_member (app, "useOAuthServer", TRUE);
          json_object_set_boolean_member (app, "enabled", TRUE);
        }
    }

  if (!json_object_has_member (pool, "oauthConfiguration") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (pool, "oauthConfiguration")))
    json_object_set_object_member (pool, "oauthConfiguration", json_object_new ());
  config = json_object_get_object_member (pool, "oauthConfiguration");
  if (g_strcmp0 (json_object_get_string_member_with_default (config, "serviceName", NULL),
                 TB_POOL_SKYPE_SERVICE_NAME) != 0)
    {
      change (self, run, dry_run, "Set-CsOAuthConfiguration", "Global");
      if (!dry_run)
        json_object_set_string_member (config, "serviceName", TB_POOL_SKYPE_SERVICE_NAME);
    }
}

/* The pool's OAuth certificate entry with @thumbprint (compared case-insensitively), or NULL. */
static JsonObject *
find_oauth_entry (TbSimWinrm *self,
                  const char *thumbprint)
{
  JsonObject *known = NULL;

  for (guint i = 0; i < json_array_get_length (self->oauth); i++)
    {
      JsonObject *o = json_array_get_object_element (self->oauth, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (o, "thumbprint"), thumbprint) == 0)
        known = o;
    }
  return known;
}

/* Set-CsCertificate -Roll: stages the certificate @thumbprint from the machine store to become
 * effective at @date, at least 24 hours ahead; a certificate already staged is left as it is.
 * FALSE when the script throws. */
static gboolean
stage_certificate (TbSimWinrm *self,
                   Run        *run,
                   const char *thumbprint,
                   const char *date,
                   JsonObject *known,
                   GDateTime  *now,
                   gboolean    dry_run)
{
  g_autoptr(GDateTime) effective = tb_sim_winrm_parse_exact_date (date);
  g_autoptr(GDateTime) earliest = g_date_time_add_hours (now, 24);
  JsonObject *cert = _tb_sim_winrm_store_find (self, thumbprint);
  JsonObject *entry;

  if (effective == NULL)
    {
      powershell_error (run, "$d=[datetime]::ParseExact(…)",
                        "Exception calling \"ParseExact\" with \"4\" argument(s): \"String "
                        "was not recognized as a valid DateTime.\"",
                        "NotSpecified: (:) [], MethodInvocationException",
                        "FormatException");
      return FALSE;
    }
  if (g_date_time_compare (effective, earliest) < 0)
    {
      powershell_error (run, "if($d -lt $n.AddHours(24)){throw …}",
                        "Trust Bridge: the effective date must be at least 24 hours ahead.",
                        "OperationStopped", "RuntimeException");
      return FALSE;
    }
  if (known != NULL)
    return TRUE;
  if (cert == NULL || !json_object_get_boolean_member (cert, "hasPrivateKey"))
    {
      g_autofree char *message = g_strdup_printf (
        "Set-CsCertificate : Command execution failed: The certificate with thumbprint "
        "\"%s\" was not found in the local computer's personal certificate store or "
        "has no private key.", thumbprint);

      powershell_error (run, "Set-CsCertificate -Type OAuthTokenIssuer …", message,
                        "InvalidOperation: (:) [Set-CsCertificate], "
                        "InvalidOperationException",
                        "Microsoft.Rtc.Management.Deployment.SetCertificateCmdlet");
      return FALSE;
    }
  change (self, run, dry_run, "Set-CsCertificate -Roll", thumbprint);
  if (dry_run)
    return TRUE;
  entry = json_object_new ();
  json_object_set_string_member (entry, "thumbprint",
                                 json_object_get_string_member (cert, "thumbprint"));
  _tb_sim_winrm_set_date_member (entry, "effectiveDate", effective);
  json_array_add_object_element (self->oauth, entry);
  return TRUE;
}

/* Remove-CsCertificate -Previous: only when another certificate became effective after
 * @known, the one named. */
static void
remove_previous_certificate (TbSimWinrm *self,
                             Run        *run,
                             JsonObject *known,
                             GDateTime  *now,
                             gboolean    dry_run)
{
  g_autoptr(GPtrArray) roles = NULL;
  g_autoptr(GPtrArray) entries = _tb_sim_winrm_oauth_roles (self, &roles);
  g_autoptr(GDateTime) known_date = known != NULL
                                      ? _tb_sim_winrm_member_date (known, "effectiveDate")
                                      : NULL;
  gboolean switched = FALSE;

  for (guint i = 0; known != NULL && i < entries->len; i++)
    {
      JsonObject *o = g_ptr_array_index (entries, i);
      g_autoptr(GDateTime) d = _tb_sim_winrm_member_date (o, "effectiveDate");

      if (o != known && d != NULL && g_date_time_compare (d, now) <= 0 &&
          (known_date == NULL || g_date_time_compare (d, known_date) > 0))
        switched = TRUE;
    }
  if (!switched)
    return;
  change (self, run, dry_run, "Remove-CsCertificate -Previous", "OAuthTokenIssuer");
  for (guint i = 0; !dry_run && i < entries->len; i++)
    if (g_str_equal (g_ptr_array_index (roles, i), TB_POOL_CERT_ROLE_PREVIOUS))
      for (guint k = 0; k < json_array_get_length (self->oauth); k++)
        if (json_array_get_object_element (self->oauth, k) == g_ptr_array_index (entries, i))
          {
            json_array_remove_element (self->oauth, k);
            break;
          }
}

/* Set-CsCertificate -Roll and Remove-CsCertificate -Previous, as the renewal script runs them. */
static void
renew_pool (TbSimWinrm *self,
            Run        *run,
            GHashTable *params)
{
  const char *action = g_hash_table_lookup (params, "Action");
  const char *thumbprint = g_hash_table_lookup (params, "Thumbprint");
  const char *date = g_hash_table_lookup (params, "EffectiveDate");
  gboolean dry_run = g_strcmp0 (g_hash_table_lookup (params, "DryRun"), "yes") == 0;
  g_autoptr(GDateTime) now = _tb_sim_winrm_sim_now (self);
  JsonObject *known;

  if (self->module == NULL)
    {
      powershell_error (run, "if(!$mod){throw …}",
                        "Trust Bridge: no SkypeForBusiness or Lync module; run this on a "
                        "Front End server.", "OperationStopped", "RuntimeException");
      return;
    }
  /* -match is case-insensitive in PowerShell. */
  if (thumbprint == NULL || strlen (thumbprint) != 40 ||
      strspn (thumbprint, "0123456789ABCDEFabcdef") != 40)
    {
      powershell_error (run, "if($Thumbprint -notmatch …",
                        "Trust Bridge: Thumbprint must be 40 hexadecimal digits.",
                        "OperationStopped", "RuntimeException");
      return;
    }
  if (self->oauth == NULL)
    self->oauth = json_array_new ();
  if (self->store == NULL)
    self->store = json_array_new ();
  known = find_oauth_entry (self, thumbprint);

  if (g_strcmp0 (action, "stage") == 0)
    {
      if (!stage_certificate (self, run, thumbprint, date, known, now, dry_run))
        return;
    }
  else if (g_strcmp0 (action, "cleanup") == 0)
    remove_previous_certificate (self, run, known, now, dry_run);
  else
    {
      powershell_error (run, "}else{throw 'Trust Bridge: unknown Action.'}",
                        "Trust Bridge: unknown Action.", "OperationStopped", "RuntimeException");
      return;
    }
  g_string_append (run->out, "Trust Bridge: done.\r\n");
}

/* The read script: the pool's state, with what it could not read in "errors" (everything but
 * the server without the module; what the second hop needs when credentials do not travel). */
static void
run_read_script (TbSimWinrm *self,
                 Run        *run)
{
  g_autoptr(JsonObject) state = _tb_sim_winrm_dup_current_state (self);
  JsonObject *server = json_object_get_object_member (state, "server");
  JsonArray *errors = json_array_new ();

  if (self->module == NULL)
    {
      JsonObject *e = json_object_new ();

      /* What the read script reports without the module: server only, and why. */
      json_object_set_null_member (server, "module");
      json_object_set_string_member (e, "cmdlet", "Import-Module");
      json_object_set_string_member (e, "message",
                                     "The specified module 'SkypeForBusiness' was not "
                                     "loaded because no valid module file was found in "
                                     "any module directory.");
      json_array_add_object_element (errors, e);
      json_object_remove_member (state, "oauthServers");
      json_object_remove_member (state, "partnerApplications");
      json_object_remove_member (state, "oauthConfiguration");
      json_object_remove_member (state, "webServices");
      json_object_remove_member (state, "oauthCertificate");
      json_object_remove_member (state, "oauthCertificates");
      json_object_remove_member (state, "candidates");
    }
  else
    {
      json_object_set_string_member (server, "module", self->module);
      if (self->double_hop)
        {
          const char *gathered[][2] = {
            { "oauthServers", "Get-CsOAuthServer" },
            { "partnerApplications", "Get-CsPartnerApplication" },
            { "oauthConfiguration", "Get-CsOAuthConfiguration" },
            { "webServices", "Get-CsService" },
          };

          for (guint i = 0; i < G_N_ELEMENTS (gathered); i++)
            {
              JsonObject *e = json_object_new ();

              json_object_remove_member (state, gathered[i][0]);
              json_object_set_string_member (e, "cmdlet", gathered[i][1]);
              json_object_set_string_member (e, "message", DOUBLE_HOP_MESSAGE);
              json_array_add_object_element (errors, e);
            }
        }
    }
  json_object_set_array_member (state, "errors", errors);
  g_string_append (run->out, "Trust Bridge: reading the pool configuration\r\n");
  append_state_line (run, state);
}

/* The apply script: configures the pool for the metadata URL and reports the state after. */
static void
run_apply_script (TbSimWinrm *self,
                  Run        *run,
                  GHashTable *params)
{
  const char *url = g_hash_table_lookup (params, "MetadataUrl");
  gboolean dry_run = g_strcmp0 (g_hash_table_lookup (params, "DryRun"), "yes") == 0;
  g_autoptr(JsonObject) state = NULL;

  if (self->module == NULL)
    {
      powershell_error (run, "if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync "
                             "module; run this on a Front End server.'}",
                        "Trust Bridge: no SkypeForBusiness or Lync module; run this on a "
                        "Front End server.",
                        "OperationStopped: (Trust Bridge: ...ront End server.:String) [], "
                        "RuntimeException", "Trust Bridge: no SkypeForBusiness or Lync module");
      return;
    }
  if (!tb_sim_winrm_metadata_url_ok (url))
    {
      powershell_error (run, "param(", "The MetadataUrl parameter is not an https URL.",
                        "InvalidArgument", "ParameterArgumentValidationError");
      return;
    }
  if (self->double_hop)
    {
      /* $ErrorActionPreference='Stop': the first cmdlet throws; the state as it is. */
      append_state_line (run, self->pool);
      powershell_error (run, "Get-CsOAuthServer", "Get-CsOAuthServer : " DOUBLE_HOP_MESSAGE,
                        "NotSpecified: (:) [Get-CsOAuthServer], SqlException",
                        "Microsoft.Rtc.Management.Xds.GetOAuthServerCmdlet");
      return;
    }
  apply_pool (self, run, url, dry_run);
  state = _tb_sim_winrm_dup_current_state (self);
  append_state_line (run, state);
}

/* The renewal script: stages or cleans up, then reports the state when asked to. */
static void
run_renew_script (TbSimWinrm *self,
                  Run        *run,
                  GHashTable *params)
{
  renew_pool (self, run, params);
  if (run->emits_state && run->exit_code == 0)
    {
      g_autoptr(JsonObject) state = _tb_sim_winrm_dup_current_state (self);

      append_state_line (run, state);
    }
}

static void
run_pool_script (TbSimWinrm *self,
                 Run        *run,
                 GHashTable *params)
{
  const char *which = g_hash_table_lookup (params, "TbScript");

  if (self->pool == NULL)
    tb_sim_winrm_load_demo_pool (self);

  if (g_strcmp0 (which, "read") == 0)
    run_read_script (self, run);
  else if (g_strcmp0 (which, "apply") == 0)
    run_apply_script (self, run, params);
  else if (g_strcmp0 (which, "renew") == 0)
    run_renew_script (self, run, params);
  else
    powershell_error (run, "param(", "Unknown TbScript value.", "InvalidArgument",
                      "ParameterArgumentValidationError");
}

/* The next PowerShell string literal at *p: '…' ('' escapes) or "…" (`x and "" escapes). */
static char *
parse_literal (const char **p)
{
  GString *s = g_string_new (NULL);
  char quote = **p;

  if (quote != '\'' && quote != '"')
    {
      /* A bare word, up to white space or ';'. */
      while (**p != '\0' && !g_ascii_isspace (**p) && **p != ';')
        g_string_append_c (s, *(*p)++);
      return g_string_free (s, FALSE);
    }
  (*p)++;
  while (**p != '\0')
    {
      char c = *(*p)++;

      if (c == quote && **p == quote)
        {
          g_string_append_c (s, c);
          (*p)++;
        }
      else if (c == quote)
        break;
      else if (quote == '"' && c == '`' && **p != '\0')
        {
          char e = *(*p)++;

          g_string_append_c (s, e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e);
        }
      else
        g_string_append_c (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Splits at newlines and at ';' outside quotes. */
static GPtrArray *
split_statements (const char *script)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *cur = g_string_new (NULL);
  char quote = 0;

  for (const char *p = script; ; p++)
    {
      if (*p == '\0' || (!quote && (*p == '\n' || *p == ';')))
        {
          g_strstrip (cur->str);
          if (cur->str[0] != '\0' && cur->str[0] != '#')
            g_ptr_array_add (out, g_strdup (cur->str));
          g_string_truncate (cur, 0);
          if (*p == '\0')
            break;
          continue;
        }
      if (quote && *p == quote)
        quote = 0;
      else if (!quote && (*p == '\'' || *p == '"'))
        quote = *p;
      g_string_append_c (cur, *p);
    }
  g_string_free (cur, TRUE);
  return out;
}

static void
run_powershell_statements (TbSimWinrm *self,
                           Run        *run,
                           const char *script)
{
  g_autoptr(GPtrArray) statements = split_statements (script);

  for (guint i = 0; i < statements->len; i++)
    {
      const char *st = g_ptr_array_index (statements, i);
      g_autofree char *verb = NULL;
      const char *rest = st;

      while (*rest != '\0' && !g_ascii_isspace (*rest))
        rest++;
      verb = g_ascii_strdown (st, rest - st);
      while (g_ascii_isspace (*rest))
        rest++;

      if (st[0] == '$')
        continue;   /* assignments such as $ProgressPreference='SilentlyContinue' */
      if (g_str_equal (verb, "write-output") || g_str_equal (verb, "echo") ||
          g_str_equal (verb, "write-host"))
        {
          g_autofree char *text = parse_literal (&rest);

          g_string_append_printf (run->out, "%s\r\n", text);
        }
      else if (g_str_equal (verb, "write-error"))
        {
          g_autofree char *text = parse_literal (&rest);
          g_autofree char *message = g_strdup_printf ("%s : %s", st, text);

          powershell_error (run, st, message, "NotSpecified: (:) [Write-Error], "
                            "WriteErrorException",
                            "Microsoft.PowerShell.Commands.WriteErrorException");
        }
      else if (g_str_equal (verb, "exit"))
        {
          run->exit_code = atoi (rest);
          return;
        }
      else if (g_str_has_prefix (verb, "get-cs") || g_str_has_prefix (verb, "set-cs") ||
               g_str_has_prefix (verb, "new-cs") || g_str_has_prefix (verb, "remove-cs"))
        {
          g_autofree char *cmdlet = g_strndup (st, strcspn (st, " "));

          if (self->module == NULL)
            {
              g_autofree char *message =
                g_strdup_printf ("%s : The term '%s' is not recognized as the name of a cmdlet, "
                                 "function, script file, or operable program. Check the "
                                 "spelling of the name, or if a path was included, verify that "
                                 "the path is correct and try again.", cmdlet, cmdlet);
              g_autofree char *category =
                g_strdup_printf ("ObjectNotFound: (%s:String) [], CommandNotFoundException",
                                 cmdlet);

              powershell_error (run, st, message, category, "CommandNotFoundException");
              return;
            }
          if (self->double_hop)
            {
              g_autofree char *message = g_strdup_printf ("%s : " DOUBLE_HOP_MESSAGE, cmdlet);

              powershell_error (run, st, message, "NotSpecified: (:) [], SqlException",
                                "Microsoft.Rtc.Management.Xds.XdsSqlException");
              return;
            }
          g_string_append_printf (run->out, "Identity : Global\r\n");
        }
      else
        {
          g_autofree char *word = g_strndup (st, strcspn (st, " "));
          g_autofree char *message =
            g_strdup_printf ("%s : The term '%s' is not recognized as the name of a cmdlet, "
                             "function, script file, or operable program. Check the spelling "
                             "of the name, or if a path was included, verify that the path is "
                             "correct and try again.", word, word);
          g_autofree char *category =
            g_strdup_printf ("ObjectNotFound: (%s:String) [], CommandNotFoundException", word);

          powershell_error (run, st, message, category, "CommandNotFoundException");
          return;
        }
    }
}

/* A PowerShell script as powershell.exe runs it: the pool scripts by their TbScript
 * parameter, anything else statement by statement. */
static void
run_script (TbSimWinrm *self,
            Run        *run,
            const char *script)
{
  g_autoptr(GHashTable) params = tb_sim_winrm_parse_param_block (script);

  run->emits_state = strstr (script, "TbEmit(") != NULL;
  if (params != NULL && g_hash_table_contains (params, "TbScript"))
    run_pool_script (self, run, params);
  else
    run_powershell_statements (self, run, script);
}

void
_tb_sim_winrm_run_command_line (TbSimWinrm *self,
                                Command    *command,
                                const char *line)
{
  Run run = { g_string_new (NULL), g_string_new (NULL), 0 };
  GString *err = g_string_new (NULL);
  g_autofree char *lower = g_ascii_strdown (line, -1);

  self->commands_run++;
  if (g_str_has_prefix (lower, "powershell"))
    {
      g_autofree char *script = tb_sim_winrm_decode_command_line (line);

      if (script == NULL)
        {
          /* What powershell.exe says about a command line it cannot use. */
          g_string_append (err, "Cannot process the command because of a missing parameter. "
                                "A command must follow -Command.\r\n");
          run.exit_code = 1;
        }
      else
        {
          g_free (self->last_command);
          self->last_command = g_strdup (script);
          run_script (self, &run, script);
          /* Every powershell.exe started this way writes its progress noise first. */
          g_string_append (err, PROGRESS_NOISE);
        }
    }
  else
    {
      g_autofree char *word = g_strndup (line, strcspn (line, " "));

      g_free (self->last_command);
      self->last_command = g_strdup (line);
      if (g_str_equal (lower, "hostname"))
        g_string_append (run.out, MACHINE "\r\n");
      else if (g_str_has_prefix (lower, "echo "))
        g_string_append_printf (run.out, "%s\r\n", line + 5);
      else
        {
          g_string_append_printf (err, "'%s' is not recognized as an internal or external "
                                       "command,\r\noperable program or batch file.\r\n", word);
          run.exit_code = 1;
        }
    }

  if (run.errors->len > 0)
    g_string_append_printf (err, "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" "
                                 "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
                                 "%s</Objs>", run.errors->str);

  command->out = g_string_free_to_bytes (run.out);
  command->err = g_string_free_to_bytes (err);
  command->exit_code = run.exit_code;
  g_string_free (run.errors, TRUE);
}

char *
tb_sim_winrm_run_at_console (TbSimWinrm *self,
                             const char *script,
                             int        *exit_code)
{
  Run run = { g_string_new (NULL), g_string_new (NULL), 0 };

  g_return_val_if_fail (TB_IS_SIM_WINRM (self), NULL);
  g_return_val_if_fail (script != NULL, NULL);

  run_script (self, &run, script);

  if (exit_code != NULL)
    *exit_code = run.exit_code;
  g_string_free (run.errors, TRUE);
  return g_string_free (run.out, FALSE);
}

