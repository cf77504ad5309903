/* tb-cli-renew.c: trust-bridge-cli trust renew (the pool's OAuth certificate, both halves)
 *
 *   trust renew (--pool-host FQDN [connection options] | --pool-state FILE) [--tenant T]
 *               (--new-thumbprint HEX | --new-cert FILE) [--effective-date YYYY-MM-DDTHH:MM:SSZ]
 *               [--dry-run]
 *   trust renew --finish (--pool-host … | --pool-state FILE) [--tenant T] [--dry-run]
 *
 * Everything is worked out from what the pool and the tenant show now (TbRenewal), so a run
 * that stopped anywhere is simply run again. Order is enforced: a pool roll while Microsoft
 * 365 lacks the new key, or a cleanup before the pool switched, is refused (exit status 1,
 * the reason on stderr).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-renew"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tb-certificate-loader.h"
#include "tb-cli-m365-private.h"
#include "tb-cli-renew.h"
#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-graph-client-edit.h"
#include "tb-pool-script.h"
#include "tb-profile.h"
#include "tb-renewal.h"
#include "tb-tenant.h"

typedef struct
{
  TbCliInvocation *inv;
  gboolean         dry_run;
  gboolean         finish;
  /* --new-cert: the new certificate loaded from a file, instead of named by thumbprint. */
  TbCertificate   *new_cert;
  /* Live, or the script round trip. */
  TbPoolClient    *pool;
  char            *display;
  char            *state_path;
  /* What was done, in the order done: TbChange (cloud) and pool records. */
  GPtrArray       *changes;
  JsonArray       *pool_changes;
  char            *script;
} Renew;

static void
renew_clear (Renew *r)
{
  g_clear_object (&r->pool);
  g_clear_object (&r->new_cert);
  g_clear_pointer (&r->display, g_free);
  g_clear_pointer (&r->state_path, g_free);
  g_clear_pointer (&r->changes, g_ptr_array_unref);
  g_clear_pointer (&r->pool_changes, json_array_unref);
  g_clear_pointer (&r->script, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Renew, renew_clear)

/* The profile's principals that carry the pool's certificate, read one by one (the only read
 * that returns the keys). Principals missing from the tenant are left out. */
static GPtrArray *
read_principals (Renew   *r,
                 GError **error)
{
  TbProfile *profile = tb_context_get_profile (r->inv->context);
  TbGraphClient *client = tb_context_get_graph_client (r->inv->context);
  g_autoptr(GPtrArray) principals = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) local_error = NULL;
      TbServicePrincipal *sp;

      if (!target->receives_certificate)
        continue;
      tb_graph_client_get_service_principal_async (client, target->app_id, NULL, tb_cli_store_result,
                                                   &result);
      sp = tb_graph_client_get_service_principal_finish (client, tb_cli_wait_for (&result),
                                                         &local_error);
      if (sp != NULL)
        g_ptr_array_add (principals, sp);
      else if (!g_error_matches (local_error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&principals);
}

static TbPoolState *
read_pool (Renew   *r,
           GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (r->pool == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (r->state_path);

      return tb_pool_state_new_from_file (file, NULL, error);
    }
  tb_pool_client_status_async (r->pool, NULL, tb_cli_store_result, &result);
  return tb_pool_client_status_finish (r->pool, tb_cli_wait_for (&result), error);
}

/* Runs a renewal script on the Front End; FALSE with the script's own error text. */
static gboolean
run_pool_script (Renew       *r,
                 const char  *script,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbWinrmResult) ran = NULL;
  TbWinrmShell *shell = tb_pool_client_get_shell (r->pool);

  tb_winrm_shell_run_async (shell, TB_WINRM_COMMAND_POWERSHELL, script, 0, NULL, tb_cli_store_result,
                            &result);
  ran = tb_winrm_shell_run_finish (shell, tb_cli_wait_for (&result), error);
  if (ran == NULL)
    return FALSE;
  if (tb_winrm_result_get_exit_code (ran) != 0 || *tb_winrm_result_get_error_text (ran) != '\0')
    {
      g_set_error (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_SCRIPT_FAILED,
                   _("The renewal script failed on %s (exit code %d): %s"), r->display,
                   tb_winrm_result_get_exit_code (ran), tb_winrm_result_get_error_text (ran));
      return FALSE;
    }
  return TRUE;
}

static void
add_pool_change (Renew      *r,
                 const char *action,
                 const char *detail)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "item", TB_POOL_CHECK_OAUTH_CERTIFICATE);
  json_object_set_string_member (o, "action", action);
  json_object_set_string_member (o, "detail", detail);
  json_array_add_object_element (r->pool_changes, o);
}

/* Applies (or previews) each edit through the safe write path. */
static gboolean
run_edits (Renew      *r,
           GPtrArray  *edits,
           GError    **error)
{
  for (guint i = 0; i < edits->len; i++)
    {
      TbChange *change = _tb_cli_m365_run_edit (r->inv, g_ptr_array_index (edits, i), r->dry_run,
                                                error);

      if (change == NULL)
        return FALSE;
      g_ptr_array_add (r->changes, change);
    }
  return TRUE;
}

static void
print_result (Renew          *r,
              TbRenewalPhase  phase,
              const char     *phase_text)
{
  if (r->inv->json)
    {
      g_autoptr(JsonNode) cloud = tb_changes_to_json (r->changes);
      JsonArray *all = json_object_get_array_member (json_node_get_object (cloud), "changes");
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      for (guint i = 0; i < json_array_get_length (r->pool_changes); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (r->pool_changes, i)));
      json_object_set_array_member (object, "changes", json_array_ref (all));
      json_object_set_string_member (object, "phase", tb_renewal_phase_to_string (phase));
      json_object_set_string_member (object, "phase_text", phase_text);
      if (r->script != NULL)
        json_object_set_string_member (object, "script", r->script);
      json_node_take_object (root, object);
      tb_cli_print_json (root);
      return;
    }

  /* The script alone on stdout (to redirect into a .ps1); the account on stderr. */
  for (guint i = 0; i < r->changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (r->changes, i);
      FILE *out = r->script != NULL ? stderr : stdout;

      fprintf (out, "%s  %-18s %s\n", change->target, tb_change_action_to_string (change->action),
               change->detail);
    }
  for (guint i = 0; i < json_array_get_length (r->pool_changes); i++)
    {
      JsonObject *o = json_array_get_object_element (r->pool_changes, i);
      FILE *out = r->script != NULL ? stderr : stdout;

      fprintf (out, "%-38s %-18s %s\n", r->display != NULL ? r->display : _("pool"),
               json_object_get_string_member (o, "action"),
               json_object_get_string_member (o, "detail"));
    }
  fprintf (r->script != NULL ? stderr : stdout, _("Renewal: %s\n"), phase_text);
  if (r->script != NULL)
    fputs (r->script, stdout);
}

/* The cloud's part of a renewal step: @edits applied (or previewed) through the safe write
 * path. Returns -1 to go on (*@status becomes TB_CLI_EXIT_CHECK_FAILED when another writer's
 * removal had to be repaired), or the exit status, also in *@status, after an error message. */
static int
cloud_step (Renew     *r,
            TbRenewal *renewal,
            GPtrArray *edits,
            int       *status)
{
  g_autoptr(GError) error = NULL;

  if (!run_edits (r, edits, &error))
    {
      tb_cli_m365_report_error (error);
      print_result (r, tb_renewal_get_phase (renewal), "");
      *status = g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED)
                  ? TB_CLI_EXIT_CHECK_FAILED : TB_CLI_EXIT_ERROR;
      return *status;
    }
  if (_tb_cli_m365_report_losses (r->changes))
    *status = TB_CLI_EXIT_CHECK_FAILED;
  return -1;
}

/* Reads both halves and works out the phase; NULL after an error message (*@status set). */
static TbRenewal *
assess (Renew       *r,
        const char  *thumbprint,
        TbPoolState *state,
        int         *status)
{
  g_autoptr(GPtrArray) principals = NULL;
  g_autoptr(GError) error = NULL;
  TbRenewal *renewal;

  principals = read_principals (r, &error);
  if (principals == NULL)
    {
      tb_cli_m365_report_error (error);
      *status = TB_CLI_EXIT_ERROR;
      return NULL;
    }
  if (thumbprint != NULL && r->new_cert != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      renewal = tb_renewal_new_with_certificate (state, principals, r->new_cert, now, &error);
    }
  else
    renewal = tb_renewal_new (state, principals, thumbprint, &error);
  if (renewal == NULL)
    {
      tb_cli_error ("%s", error->message);
      *status = TB_CLI_EXIT_ERROR;
    }
  return renewal;
}

static int
refuse (const GError *error)
{
  tb_cli_error ("%s", error->message);
  return g_error_matches (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_UNKNOWN_STATE)
           ? TB_CLI_EXIT_ERROR : TB_CLI_EXIT_CHECK_FAILED;
}

/* The pool's part of a renewal step: the script for @action, run on the Front End when it is
 * reached live (kept in r->script to print otherwise), then recorded as @change with @detail.
 * Returns an exit status after an error message, or -1 to go on. */
static int
pool_step (Renew             *r,
           TbPoolRenewAction  action,
           const char        *thumbprint,
           GDateTime         *effective,
           TbRenewalPhase     phase,
           const char        *change,
           const char        *detail)
{
  g_autoptr(GError) error = NULL;

  r->script = tb_pool_script_new_renew (action, thumbprint, effective, r->dry_run,
                                        r->pool != NULL ? TB_POOL_SCRIPT_FORM_TRANSPORT
                                                        : TB_POOL_SCRIPT_FORM_EXPORT,
                                        &error);
  if (r->script == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }
  if (r->pool != NULL)
    {
      if (!r->dry_run && !run_pool_script (r, r->script, &error))
        {
          tb_cli_error ("%s", error->message);
          print_result (r, phase, "");
          return TB_CLI_EXIT_ERROR;
        }
      g_clear_pointer (&r->script, g_free);
    }
  add_pool_change (r, change, detail);
  return -1;
}

/* Step 3: stages the new certificate with -Roll (live, or into the script to export), unless
 * the pool already stages it. Returns an exit status, or -1 to go on. */
static int
renew_stage (Renew                   *r,
             TbRenewal               *renewal,
             const TbPoolCertificate *cert,
             GDateTime               *wanted_date,
             GDateTime               *now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) effective = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *detail = NULL;
  TbRenewalPhase phase = tb_renewal_get_phase (renewal);

  if (phase == TB_RENEWAL_PHASE_STAGED_CLOUD_READY ||
      phase == TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING)
    {
      g_autofree char *when = tb_format_iso8601_utc (tb_renewal_get_effective_date (renewal));

      detail = g_strdup_printf (_("%s is already staged, effective %s."), cert->thumbprint,
                                when);
      add_pool_change (r, "none", detail);
      return -1;
    }

  effective = tb_renewal_choose_effective_date (renewal, wanted_date, now, &error);
  if (effective == NULL)
    {
      tb_cli_error ("%s", error->message);
      print_result (r, phase, "");
      return TB_CLI_EXIT_ERROR;
    }
  date_text = tb_format_iso8601_utc (effective);
  detail = g_strdup_printf (_("Stage %s with Set-CsCertificate -Roll, effective %s."),
                            cert->thumbprint, date_text);
  return pool_step (r, TB_POOL_RENEW_STAGE, cert->thumbprint, effective, phase, "stage", detail);
}

/* Live: reads the pool again and checks it stages @thumbprint. Returns the renewal as the new
 * read shows it, or NULL with *status set. */
static TbRenewal *
renew_verify_staged (Renew      *r,
                     const char *thumbprint,
                     int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) after = NULL;
  TbRenewal *renewal;
  TbCertificate *staged;

  after = read_pool (r, &error);
  if (after == NULL)
    {
      tb_cli_error ("%s", error->message);
      *status = TB_CLI_EXIT_ERROR;
      return NULL;
    }
  renewal = assess (r, NULL, after, status);
  if (renewal == NULL)
    return NULL;
  staged = tb_pool_state_get_staged_certificate (after);
  if (staged == NULL || g_ascii_strcasecmp (tb_certificate_get_sha1 (staged), thumbprint) != 0)
    {
      tb_cli_error (_("Read again, %s does not stage %s."), r->display, thumbprint);
      *status = TB_CLI_EXIT_CHECK_FAILED;
    }
  return renewal;
}

static int
renew_start (Renew       *r,
             TbPoolState *state,
             const char  *thumbprint,
             GDateTime   *wanted_date)
{
  g_autoptr(TbRenewal) renewal = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *phase_text = NULL;
  g_autofree char *new_thumbprint = NULL;
  int status = TB_CLI_EXIT_OK;
  int staged;

  renewal = assess (r, thumbprint, state, &status);
  if (renewal == NULL)
    return status;

  /* Step 2: Microsoft 365 first. */
  edits = tb_renewal_upload_edits (renewal, &error);
  if (edits == NULL)
    return refuse (error);
  if (cloud_step (r, renewal, edits, &status) != -1)
    return status;

  /* Step 3 is decided on what the tenant holds now, not on what was just sent. A dry run
   * wrote nothing, so it judges the stage as if the upload had been made; a certificate the
   * pool's store lacks is refused all the same. */
  if (r->dry_run && !tb_renewal_check_in_store (renewal, &error))
    {
      print_result (r, tb_renewal_get_phase (renewal), "");
      return refuse (error);
    }
  if (!r->dry_run)
    {
      g_clear_object (&renewal);
      renewal = assess (r, thumbprint, state, &status);
      if (renewal == NULL)
        return status;
      if (!tb_renewal_check_step (renewal, TB_RENEWAL_STEP_STAGE, &error))
        {
          print_result (r, tb_renewal_get_phase (renewal), "");
          return refuse (error);
        }
    }

  new_thumbprint = g_strdup (tb_renewal_get_new_certificate (renewal)->thumbprint);
  staged = renew_stage (r, renewal, tb_renewal_get_new_certificate (renewal), wanted_date, now);
  if (staged >= 0)
    return staged;

  if (r->pool != NULL && !r->dry_run)
    {
      g_clear_object (&renewal);
      renewal = renew_verify_staged (r, new_thumbprint, &status);
      if (renewal == NULL)
        return status;
    }

  phase_text = tb_renewal_describe (renewal, now);
  print_result (r, tb_renewal_get_phase (renewal), phase_text);
  return status;
}

/* --request-new: the script that asks the enterprise CA for a new certificate, for the admin
 * to run at the Front End's console (a remote session cannot reach the CA on the admin's
 * behalf); the state it writes lists the new certificate among the candidates. */
static int
renew_request (Renew       *r,
               TbPoolState *state,
               const char  *ca,
               char       **domains)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *friendly = NULL;
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *names = NULL;
  g_autofree char *detail = NULL;
  g_auto(GStrv) derived = NULL;

  if (domains == NULL || domains[0] == NULL)
    {
      derived = tb_renewal_dup_request_domains (state);
      domains = derived;
    }
  if (domains[0] == NULL)
    {
      tb_cli_error (_("The pool state names no SIP domain for the new certificate: give it with "
                      "--domain-name."));
      return TB_CLI_EXIT_ERROR;
    }
  friendly = g_strdup_printf ("TrustBridge-OAuthTokenIssuer-%s", date);
  r->script = tb_pool_script_new_request (ca, (const char * const *) domains, friendly,
                                          r->dry_run, TB_POOL_SCRIPT_FORM_EXPORT, &error);
  if (r->script == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }
  names = g_strjoinv (", ", domains);
  detail = g_strdup_printf (_("Request a new certificate for %s from %s (run the script at the "
                              "Front End’s console, then read the pool again)."), names, ca);
  add_pool_change (r, "request", detail);
  if (r->inv->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_array_member (object, "changes", json_array_ref (r->pool_changes));
      json_object_set_string_member (object, "script", r->script);
      json_node_take_object (root, object);
      tb_cli_print_json (root);
    }
  else
    {
      fprintf (stderr, "%s\n", detail);
      fputs (r->script, stdout);
    }
  return TB_CLI_EXIT_OK;
}

static int
renew_finish (Renew       *r,
              TbPoolState *state,
              const char  *thumbprint)
{
  g_autoptr(TbRenewal) renewal = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_auto(GStrv) skipped = NULL;
  g_autofree char *phase_text = NULL;
  const TbPoolCertificate *old;
  int status = TB_CLI_EXIT_OK;

  renewal = assess (r, thumbprint, state, &status);
  if (renewal == NULL)
    return status;
  if (!tb_renewal_check_step (renewal, TB_RENEWAL_STEP_FINISH, &error))
    return refuse (error);

  /* The cloud first: while the pool still lists the previous certificate, a rerun after an
   * interruption still knows which credential is the old one. */
  edits = tb_renewal_cleanup_edits (renewal, &skipped);
  for (guint i = 0; skipped[i] != NULL; i++)
    fprintf (stderr, "%s\n", skipped[i]);
  if (cloud_step (r, renewal, edits, &status) != -1)
    return status;

  old = tb_renewal_get_old_certificate (renewal);
  if (tb_renewal_pool_has_previous (renewal) && old != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Remove the previous certificate %s with "
                                                   "Remove-CsCertificate -Previous."),
                                                 old->thumbprint);

      int step = pool_step (r, TB_POOL_RENEW_CLEANUP, old->thumbprint, NULL,
                            tb_renewal_get_phase (renewal), "remove-previous", detail);

      if (step != -1)
        return step;
    }
  else
    add_pool_change (r, "none", _("The pool lists no previous OAuth certificate."));

  if (r->pool != NULL && !r->dry_run)
    {
      g_autoptr(TbPoolState) after = read_pool (r, &error);
      const TbPoolCertificate *current;

      if (after == NULL)
        {
          tb_cli_error ("%s", error->message);
          return TB_CLI_EXIT_ERROR;
        }
      current = tb_pool_state_find_oauth_certificate (after, TB_POOL_CERT_ROLE_CURRENT);
      g_clear_object (&renewal);
      renewal = assess (r, current != NULL ? current->thumbprint : NULL, after, &status);
      if (renewal == NULL)
        return status;
      if (tb_renewal_pool_has_previous (renewal))
        {
          tb_cli_error (_("Read again, %s still lists a previous OAuth certificate."),
                        r->display);
          status = TB_CLI_EXIT_CHECK_FAILED;
        }
    }

  phase_text = tb_renewal_describe (renewal, now);
  print_result (r, tb_renewal_get_phase (renewal), phase_text);
  return status;
}

/* --new-cert: one certificate (DER or PEM; the public part only) from @path. */
static TbCertificate *
load_new_certificate (const char  *path,
                      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GPtrArray) certificates = tb_certificate_load_file (file, NULL, error);

  if (certificates == NULL)
    return NULL;
  if (certificates->len != 1)
    {
      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” holds %u certificate; give a file with exactly one.",
                                "“%s” holds %u certificates; give a file with exactly one.",
                                certificates->len),
                   path, certificates->len);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (certificates, 0));
}

typedef struct
{
  char     *tenant;
  TbCliPoolConnection pool;  /* its host is --pool-host */
  char     *thumbprint;
  char     *cert_path;
  char     *ca;
  GStrv     domains;
  char     *date;
  gboolean  dry_run;
  gboolean  finish;
  gboolean  request;
} RenewOptions;

static void
renew_options_clear (RenewOptions *o)
{
  g_free (o->tenant);
  tb_cli_pool_connection_clear (&o->pool);
  g_free (o->thumbprint);
  g_free (o->cert_path);
  g_free (o->ca);
  g_strfreev (o->domains);
  g_free (o->date);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RenewOptions, renew_options_clear)

/* Options that do not go together are refused before anything is read or written. */
static gboolean
renew_options_combine (const RenewOptions *o,
                       const Renew        *r,
                       TbCliInvocation    *inv)
{
  const char *message = NULL;

  if ((o->pool.host == NULL) == (r->state_path == NULL) || inv->args[0] != NULL)
    message = _("usage: trust renew (--pool-host FQDN [connection options] | --pool-state "
                "FILE) [--tenant T] (--new-thumbprint HEX | --new-cert FILE) "
                "[--effective-date YYYY-MM-DDTHH:MM:SSZ] [--dry-run], or trust renew "
                "--finish …");
  else if (o->request && (o->finish || o->thumbprint != NULL || o->cert_path != NULL ||
                          o->date != NULL))
    message = _("--request-new only writes the request script: it takes --ca and "
                "--domain-name, not --finish, --new-thumbprint, --new-cert or "
                "--effective-date.");
  else if (o->request != (o->ca != NULL) || (o->domains != NULL && !o->request))
    message = _("--request-new needs --ca with the enterprise CA as “server\\CA name”; "
                "--ca and --domain-name go with --request-new.");
  else if (o->thumbprint != NULL && o->cert_path != NULL)
    message = _("Give the new certificate once: --new-thumbprint or --new-cert.");
  else if (o->finish && o->cert_path != NULL)
    message = _("--new-cert is for the start of a renewal; --finish takes none.");
  else if (!o->finish && !o->request && o->thumbprint == NULL && o->cert_path == NULL)
    message = _("trust renew needs --new-thumbprint with the new certificate’s thumbprint "
                "(40 hexadecimal digits), or --new-cert with its .cer file");
  else if (o->finish && o->date != NULL)
    message = _("--effective-date is for staging; --finish takes none.");
  else if (r->state_path != NULL && tb_cli_pool_connection_has_options (&o->pool))
    message = _("Connection options go with --pool-host, not --pool-state.");

  if (message != NULL)
    tb_cli_error ("%s", message);
  return message == NULL;
}

/* Each value read and checked: the certificate file, the thumbprint, the date (at least 24
 * hours ahead, for the Central Management Store to replicate the certificate; the cloud
 * credential's start date is checked once it is known) and the tenant. */
static gboolean
renew_options_read (RenewOptions  *o,
                    Renew         *r,
                    GDateTime    **wanted_date,
                    GError       **error)
{
  if (o->cert_path != NULL)
    {
      r->new_cert = load_new_certificate (o->cert_path, error);
      if (r->new_cert == NULL)
        return FALSE;
      g_free (o->thumbprint);
      o->thumbprint = g_strdup (tb_certificate_get_sha1 (r->new_cert));
    }
  if (o->thumbprint != NULL)
    {
      char *checked = tb_pool_script_check_thumbprint (o->thumbprint, error);

      if (checked == NULL)
        return FALSE;
      g_free (o->thumbprint);
      o->thumbprint = checked;
    }
  if (o->date != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) earliest = g_date_time_add_hours (now, 24);

      *wanted_date = tb_pool_script_parse_effective_date (o->date, error);
      if (*wanted_date == NULL)
        return FALSE;
      if (g_date_time_compare (*wanted_date, earliest) < 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("The effective date must be at least 24 hours ahead, for "
                                 "the Central Management Store to replicate the "
                                 "certificate."));
          return FALSE;
        }
    }
  return o->tenant == NULL || tb_tenant_check_input (o->tenant, error);
}

int
tb_cli_trust_renew (TbCliInvocation *inv)
{
  g_auto(Renew) r = { 0 };
  g_auto(RenewOptions) o = { 0 };
  g_autoptr(GDateTime) wanted_date = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, NULL, NULL },
    TB_CLI_POOL_CONNECTION_ENTRIES (&o.pool, "pool-host"),
    { "pool-state", 0, 0, G_OPTION_ARG_FILENAME, &r.state_path, NULL, NULL },
    { "new-thumbprint", 0, 0, G_OPTION_ARG_STRING, &o.thumbprint, NULL, NULL },
    { "new-cert", 0, 0, G_OPTION_ARG_FILENAME, &o.cert_path, NULL, NULL },
    { "request-new", 0, 0, G_OPTION_ARG_NONE, &o.request, NULL, NULL },
    { "ca", 0, 0, G_OPTION_ARG_STRING, &o.ca, NULL, NULL },
    { "domain-name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.domains, NULL, NULL },
    { "effective-date", 0, 0, G_OPTION_ARG_STRING, &o.date, NULL, NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &o.dry_run, NULL, NULL },
    { "finish", 0, 0, G_OPTION_ARG_NONE, &o.finish, NULL, NULL },
    { NULL }
  };

  if (!tb_cli_parse_options (inv, entries))
    return TB_CLI_EXIT_ERROR;
  r.inv = inv;
  r.dry_run = o.dry_run;
  r.finish = o.finish;
  r.changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  r.pool_changes = json_array_new ();

  if (!renew_options_combine (&o, &r, inv))
    return TB_CLI_EXIT_ERROR;
  if (!renew_options_read (&o, &r, &wanted_date, &error))
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }

  if (o.pool.host != NULL)
    {
      r.pool = tb_cli_pool_connect (inv, &o.pool, NULL, &r.display);
      if (r.pool == NULL)
        return TB_CLI_EXIT_ERROR;
    }
  else if (inv->demo && !tb_context_start_demo (inv->context, &error))
    {
      tb_cli_error (_("The demo could not start: %s"), error->message);
      return TB_CLI_EXIT_ERROR;
    }
  if (o.tenant != NULL && !tb_context_get_demo (inv->context))
    tb_context_set_tenant (inv->context, o.tenant);

  state = read_pool (&r, &error);
  if (state == NULL)
    {
      tb_cli_error ("%s", error->message);
      return TB_CLI_EXIT_ERROR;
    }
  /* The request touches neither half: no sign-in. */
  if (o.request)
    return renew_request (&r, state, o.ca, o.domains);
  if (!tb_cli_sign_in (inv, o.dry_run ? TB_AUTH_ACCESS_READ : TB_AUTH_ACCESS_WRITE, &error))
    {
      tb_cli_m365_report_error (error);
      return TB_CLI_EXIT_ERROR;
    }

  return o.finish ? renew_finish (&r, state, o.thumbprint)
                  : renew_start (&r, state, o.thumbprint, wanted_date);
}
