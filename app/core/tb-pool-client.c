/* tb-pool-client.c: read and apply the pool's OAuth configuration live over WinRM
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-client"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-pool-client.h"
#include "tb-pool-script.h"

G_DEFINE_QUARK (tb-pool-client-error-quark, tb_pool_client_error)

/* The items the apply script manages: after an apply these checks must pass. */
static const char *const managed_items[] = {
  TB_POOL_CHECK_OAUTH_SERVER,
  TB_POOL_CHECK_PARTNER_APPLICATION,
  TB_POOL_CHECK_PARTNER_TRUST_LEVEL,
  TB_POOL_CHECK_PARTNER_USE_OAUTH,
  TB_POOL_CHECK_PARTNER_ENABLED,
  TB_POOL_CHECK_OAUTH_SERVICE_NAME,
};

/* Lower-case fragments of the errors cmdlets give when the session cannot reach the store;
 * the same symptoms TbWinrmShell recognises on the error stream. */
static const char *const double_hop_symptoms[] = {
  "anonymous logon",
  "central management store",
  "cannot open database",
  "login failed for user",
  "remote store",
};

void
tb_pool_apply_result_free (TbPoolApplyResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->before);
  g_clear_object (&result->applied);
  g_clear_object (&result->after);
  g_clear_pointer (&result->changes, g_ptr_array_unref);
  g_free (result);
}

/* ---- Planning and diagnosis -------------------------------------------------------------- */

static void
add_change (GPtrArray      *changes,
            const char     *item,
            TbChangeAction  action,
            char           *detail)
{
  g_ptr_array_add (changes, tb_change_new (TB_TRUST_HALF_POOL, item, action, detail));
  g_free (detail);
}

/* The cmdlet errors of @state as "cmdlet: message; …", for messages; "" when none. */
static char *
errors_text (TbPoolState *state)
{
  GPtrArray *errors = tb_pool_state_get_errors (state);
  GString *text = g_string_new (NULL);

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      const TbPoolError *e = g_ptr_array_index (errors, i);

      g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "; " : "",
                              e->cmdlet != NULL ? e->cmdlet : "?",
                              e->message != NULL ? e->message : "");
    }
  return g_string_free (text, FALSE);
}

/* The same comparisons the apply script makes (see tb-pool-script.h), so that what is
 * reported is what the script does. */
GPtrArray *
tb_pool_plan_changes (TbPoolState  *state,
                      const char   *metadata_url,
                      GError      **error)
{
  g_autoptr(GPtrArray) changes =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  const TbPoolOAuthServer *server;
  const TbPoolPartnerApplication *app;
  const TbPoolOAuthConfiguration *config = NULL;
  TbPoolPresence config_presence;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);
  g_return_val_if_fail (metadata_url != NULL, NULL);

  config_presence = tb_pool_state_get_oauth_configuration (state, &config);
  if (tb_pool_state_get_oauth_servers (state) == NULL ||
      tb_pool_state_get_partner_applications (state) == NULL ||
      config_presence == TB_POOL_UNKNOWN)
    {
      g_autofree char *errors = errors_text (state);

      if (*errors != '\0')
        g_set_error (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_INCOMPLETE,
                     _("The pool’s OAuth configuration could not be read completely, so Trust "
                       "Bridge does not change it. The read script reported: %s"), errors);
      else
        g_set_error_literal (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_INCOMPLETE,
                             _("The pool’s OAuth configuration could not be read completely, so "
                               "Trust Bridge does not change it."));
      return NULL;
    }

  server = tb_pool_state_find_oauth_server (state, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (server == NULL)
    add_change (changes, TB_POOL_CHECK_OAUTH_SERVER, TB_CHANGE_ACTION_CREATE,
                g_strdup_printf (_("Create OAuth server %s with metadata URL %s."),
                                 TB_POOL_OAUTH_SERVER_IDENTITY, metadata_url));
  else if (g_strcmp0 (server->metadata_url, metadata_url) != 0)
    add_change (changes, TB_POOL_CHECK_OAUTH_SERVER, TB_CHANGE_ACTION_UPDATE,
                g_strdup_printf (_("Change the metadata URL of OAuth server %s from %s to %s."),
                                 TB_POOL_OAUTH_SERVER_IDENTITY,
                                 server->metadata_url != NULL ? server->metadata_url
                                                              : _("(none)"),
                                 metadata_url));

  app = tb_pool_state_find_partner_application (state, TB_POOL_PARTNER_APPLICATION_IDENTITY);
  if (app == NULL)
    add_change (changes, TB_POOL_CHECK_PARTNER_APPLICATION, TB_CHANGE_ACTION_CREATE,
                g_strdup_printf (_("Create partner application %s for Exchange Online (%s), "
                                   "trust level Full, using the OAuth server."),
                                 TB_POOL_PARTNER_APPLICATION_IDENTITY,
                                 TB_POOL_EXCHANGE_APPLICATION_ID));
  else if (g_strcmp0 (app->application_identifier, TB_POOL_EXCHANGE_APPLICATION_ID) != 0)
    add_change (changes, TB_POOL_CHECK_PARTNER_APPLICATION, TB_CHANGE_ACTION_REPLACE,
                g_strdup_printf (_("Remove partner application %s (application identifier %s) "
                                   "and create it again with %s: the identifier cannot be "
                                   "changed in place."),
                                 TB_POOL_PARTNER_APPLICATION_IDENTITY,
                                 app->application_identifier != NULL
                                   ? app->application_identifier : _("(none)"),
                                 TB_POOL_EXCHANGE_APPLICATION_ID));
  else if (g_strcmp0 (app->application_trust_level, "Full") != 0 ||
           app->use_oauth_server != TB_POOL_BOOL_TRUE ||
           app->enabled != TB_POOL_BOOL_TRUE)
    add_change (changes, TB_POOL_CHECK_PARTNER_APPLICATION, TB_CHANGE_ACTION_UPDATE,
                g_strdup_printf (_("Set partner application %s to trust level Full, "
                                   "UseOAuthServer and Enabled."),
                                 TB_POOL_PARTNER_APPLICATION_IDENTITY));

  if (config == NULL || g_strcmp0 (config->service_name, TB_POOL_SKYPE_SERVICE_NAME) != 0)
    add_change (changes, TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_CHANGE_ACTION_UPDATE,
                g_strdup_printf (_("Set the OAuth service name to %s (now %s)."),
                                 TB_POOL_SKYPE_SERVICE_NAME,
                                 config != NULL && config->service_name != NULL
                                   ? config->service_name : _("(none)")));

  return g_steal_pointer (&changes);
}

gboolean
tb_pool_client_diagnose (TbPoolState  *state,
                         const char   *host,
                         GError      **error)
{
  GPtrArray *errors;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), FALSE);

  errors = tb_pool_state_get_errors (state);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      const TbPoolError *e = g_ptr_array_index (errors, i);
      g_autofree char *lower = g_utf8_strdown (e->message != NULL ? e->message : "", -1);

      if (g_strcmp0 (e->cmdlet, "Import-Module") == 0)
        {
          g_set_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_MODULE_MISSING,
                       _("The Skype for Business Server module is not available on %s. "
                         "Connect to a Front End server of the pool."),
                       host != NULL ? host : tb_pool_state_get_server_fqdn (state));
          return FALSE;
        }
      for (guint j = 0; j < G_N_ELEMENTS (double_hop_symptoms); j++)
        if (strstr (lower, double_hop_symptoms[j]) != NULL)
          {
            g_set_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP,
                         _("The cmdlets on %s could not read the Central Management Store. "
                           "This is the “double hop”: a remote session cannot pass your "
                           "credentials on to the store’s SQL server, and Trust Bridge cannot "
                           "delegate them. Use the script round trip: export the script, run "
                           "it on the Front End and open the file it writes."),
                         host != NULL ? host : tb_pool_state_get_server_fqdn (state));
            return FALSE;
          }
    }
  return TRUE;
}

/* ---- TbPoolClient ------------------------------------------------------------------------ */

struct _TbPoolClient
{
  GObject       parent_instance;

  TbWinrmShell *shell;
};

G_DEFINE_FINAL_TYPE (TbPoolClient, tb_pool_client, G_TYPE_OBJECT)

static void
tb_pool_client_dispose (GObject *object)
{
  TbPoolClient *self = TB_POOL_CLIENT (object);

  g_clear_object (&self->shell);
  G_OBJECT_CLASS (tb_pool_client_parent_class)->dispose (object);
}

static void
tb_pool_client_class_init (TbPoolClientClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tb_pool_client_dispose;
}

static void
tb_pool_client_init (TbPoolClient *self)
{
}

TbPoolClient *
tb_pool_client_new (const char  *host,
                    guint        port,
                    TbWinrmAuth  auth,
                    const char  *user,
                    const char  *password,
                    const char  *pinned_sha256)
{
  TbPoolClient *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (TB_TYPE_POOL_CLIENT, NULL);
  self->shell = tb_winrm_shell_new (host, port, auth, user, password, pinned_sha256);
  return self;
}

TbWinrmShell *
tb_pool_client_get_shell (TbPoolClient *self)
{
  g_return_val_if_fail (TB_IS_POOL_CLIENT (self), NULL);
  return self->shell;
}

/* The state line of a script's stdout; NO_STATE naming the exit code and error records. */
static TbPoolState *
state_from_result (TbPoolClient   *self,
                   TbWinrmResult  *result,
                   GError        **error)
{
  GBytes *out = tb_winrm_result_get_stdout (result);
  g_autoptr(GError) local_error = NULL;
  TbPoolState *state;
  const char *errors = tb_winrm_result_get_error_text (result);

  state = tb_pool_state_new_from_output (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                         &local_error);
  if (state != NULL)
    return state;

  if (errors != NULL && *errors != '\0')
    g_set_error (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_NO_STATE,
                 _("The script on %s gave no pool state (%s; exit code %d). It reported: %s"),
                 tb_winrm_shell_get_host (self->shell), local_error->message,
                 tb_winrm_result_get_exit_code (result), errors);
  else
    g_set_error (error, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_NO_STATE,
                 _("The script on %s gave no pool state (%s; exit code %d)."),
                 tb_winrm_shell_get_host (self->shell), local_error->message,
                 tb_winrm_result_get_exit_code (result));
  return NULL;
}

static void
run_script (TbPoolClient        *self,
            const char          *script,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  tb_winrm_shell_run_async (self->shell, TB_WINRM_COMMAND_POWERSHELL, script,
                            0 /* the shell's default bound */,
                            cancellable, callback, user_data);
}

/* The pool state a run of the read script gave, or NULL with @error. */
static TbPoolState *
read_finish (TbPoolClient  *self,
             GObject       *source,
             GAsyncResult  *res,
             GError       **error)
{
  g_autoptr(TbWinrmResult) result = tb_winrm_shell_run_finish (TB_WINRM_SHELL (source), res,
                                                               error);

  return result != NULL ? state_from_result (self, result, error) : NULL;
}

/* What the task of one of the _async calls below returned; its _finish names it. */
static gpointer
propagate_pointer (TbPoolClient  *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_status_run (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPoolClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  TbPoolState *state = read_finish (self, source, res, &error);

  if (state == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, state, g_object_unref);
}

void
tb_pool_client_status_async (TbPoolClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  g_autofree char *script = NULL;

  g_return_if_fail (TB_IS_POOL_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_pool_client_status_async);
  script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  run_script (self, script, cancellable, on_status_run, task);
}

TbPoolState *
tb_pool_client_status_finish (TbPoolClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return propagate_pointer (self, result, tb_pool_client_status_async, error);
}

/* ---- Apply: read → apply → read again ---------------------------------------------------- */

typedef struct
{
  char              *tenant_id;
  char              *acs_base;
  char              *metadata_url;
  char              *apply_script;
  TbPoolApplyResult *result;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_free (data->tenant_id);
  g_free (data->acs_base);
  g_free (data->metadata_url);
  g_free (data->apply_script);
  tb_pool_apply_result_free (data->result);
  g_free (data);
}

static void
return_result (GTask *task)
{
  ApplyData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) tb_pool_apply_result_free);
}

static void
on_apply_reread (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPoolClient *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GPtrArray) left = NULL;

  data->result->after = read_finish (self, source, res, &error);
  if (data->result->after == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* What the checks want for the managed items, read back from the server itself rather
   * than taken from the apply script's own account. */
  checks = tb_pool_state_check (data->result->after, data->tenant_id, data->acs_base, now, 30,
                                &error);
  if (checks == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);

      if (!g_strv_contains ((const char *const *) managed_items, check->item) ||
          check->ok == TB_POOL_CHECK_OK)
        continue;
      g_task_return_new_error (task, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_VERIFY_FAILED,
                               _("After the changes, %s still does not hold what the trust "
                                 "needs: %s"),
                               tb_winrm_shell_get_host (self->shell), check->detail);
      return;
    }
  /* The checks and the script must agree: anything the script would still change is a
   * failure too (a second apply must change nothing). */
  left = tb_pool_plan_changes (data->result->after, data->metadata_url, &error);
  if (left == NULL || left->len > 0)
    {
      const char *what = left == NULL ? error->message
                                      : ((TbChange *) g_ptr_array_index (left, 0))->detail;

      g_task_return_new_error (task, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_VERIFY_FAILED,
                               _("After the changes, %s still needs a change: %s"),
                               tb_winrm_shell_get_host (self->shell), what);
      return;
    }

  return_result (task);
}

static void
on_apply_run (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPoolClient *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbWinrmResult) result = NULL;
  g_autofree char *read = NULL;
  GCancellable *cancellable;
  const char *errors;

  result = tb_winrm_shell_run_finish (TB_WINRM_SHELL (source), res, &error);
  if (result == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  errors = tb_winrm_result_get_error_text (result);
  if (tb_winrm_result_get_exit_code (result) != 0 || (errors != NULL && *errors != '\0'))
    {
      g_task_return_new_error (task, TB_POOL_CLIENT_ERROR, TB_POOL_CLIENT_ERROR_SCRIPT_FAILED,
                               _("The apply script failed on %s (exit code %d): %s"),
                               tb_winrm_shell_get_host (self->shell),
                               tb_winrm_result_get_exit_code (result),
                               errors != NULL && *errors != '\0' ? errors : _("no details"));
      return;
    }

  data->result->applied = state_from_result (self, result, &error);
  if (data->result->applied == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->result->dry_run)
    {
      data->result->after = g_object_ref (data->result->applied);
      return_result (task);
      return;
    }

  read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  cancellable = g_task_get_cancellable (task);
  run_script (self, read, cancellable, on_apply_reread, g_steal_pointer (&task));
}

static void
on_apply_read (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPoolClient *self = g_task_get_source_object (task);
  ApplyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  data->result->before = read_finish (self, source, res, &error);
  if (data->result->before == NULL ||
      !tb_pool_client_diagnose (data->result->before, tb_winrm_shell_get_host (self->shell),
                               &error) ||
      !(data->result->changes = tb_pool_plan_changes (data->result->before, data->metadata_url,
                                                      &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Not in the call itself: argument order is unspecified and the task is stolen there. */
  cancellable = g_task_get_cancellable (task);
  run_script (self, data->apply_script, cancellable, on_apply_run, g_steal_pointer (&task));
}

void
tb_pool_client_apply_async (TbPoolClient        *self,
                            const char          *tenant_id,
                            const char          *acs_base,
                            gboolean             dry_run,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read = NULL;
  ApplyData *data;

  g_return_if_fail (TB_IS_POOL_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_pool_client_apply_async);
  data = g_new0 (ApplyData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) apply_data_free);

  if (acs_base == NULL)
    acs_base = TB_POOL_DEFAULT_ACS_BASE;
  data->tenant_id = g_strdup (tenant_id);
  data->acs_base = g_strdup (acs_base);
  data->result = g_new0 (TbPoolApplyResult, 1);
  data->result->dry_run = !!dry_run;

  /* Bad input is refused before anything reaches the server. */
  data->apply_script = tb_pool_script_new_apply (tenant_id, acs_base, dry_run,
                                                 TB_POOL_SCRIPT_FORM_TRANSPORT, &error);
  if (data->apply_script != NULL)
    data->metadata_url = tb_pool_script_metadata_url (acs_base, tenant_id, &error);
  if (data->metadata_url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  run_script (self, read, cancellable, on_apply_read, g_steal_pointer (&task));
}

TbPoolApplyResult *
tb_pool_client_apply_finish (TbPoolClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return propagate_pointer (self, result, tb_pool_client_apply_async, error);
}

/* ---- Export ------------------------------------------------------------------------------ */

static void
on_export_written (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), res, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tb_pool_export_script_async (GFile               *file,
                             const char          *tenant_id,
                             const char          *acs_base,
                             gboolean             dry_run,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *script;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_pool_export_script_async);

  if (tenant_id == NULL)
    script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  else
    script = tb_pool_script_new_apply (tenant_id,
                                       acs_base != NULL ? acs_base : TB_POOL_DEFAULT_ACS_BASE,
                                       dry_run, TB_POOL_SCRIPT_FORM_EXPORT, &error);
  if (script == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The scripts are ASCII, so Windows PowerShell 5 reads them right without a BOM. */
  bytes = g_bytes_new_take (script, strlen (script));
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, on_export_written, g_steal_pointer (&task));
}

gboolean
tb_pool_export_script_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_pool_export_script_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
