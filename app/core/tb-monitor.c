/* tb-monitor.c: the daily trust check through the user's systemd
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-monitor.h"

G_DEFINE_QUARK (tb-monitor-error-quark, tb_monitor_error)

typedef struct
{
  gboolean query;     /* is-enabled, else enable/disable */
  gboolean enabled;
} MonitorCall;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MonitorCall *call = g_task_get_task_data (task);
  GSubprocess *proc = G_SUBPROCESS (source);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_subprocess_communicate_utf8_finish (proc, result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  g_strstrip (out);
  g_strstrip (err);

  if (call->query)
    {
      /* is-enabled: 0 for enabled, non-zero with "disabled" for a known, disabled unit. */
      if (status == 0)
        call->enabled = TRUE;
      else if (g_str_equal (out, "disabled"))
        call->enabled = FALSE;
      else
        {
          g_task_return_new_error (task, TB_MONITOR_ERROR, TB_MONITOR_ERROR_NOT_INSTALLED,
                                   _("The daily check is not installed for your user (%s: %s)."),
                                   TB_MONITOR_TIMER, *err != '\0' ? err : out);
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status != 0)
    {
      g_task_return_new_error (task, TB_MONITOR_ERROR, TB_MONITOR_ERROR_FAILED,
                               call->enabled ? _("The daily check could not be turned on: %s")
                                             : _("The daily check could not be turned off: %s"),
                               *err != '\0' ? err : out);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_systemctl (MonitorCall        *call,
               const char * const *argv,
               gpointer            source_tag,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (proc == NULL)
    {
      g_task_return_new_error (task, TB_MONITOR_ERROR, TB_MONITOR_ERROR_NOT_INSTALLED,
                               _("The daily check needs systemd: %s"), error->message);
      g_object_unref (task);
      return;
    }
  g_subprocess_communicate_utf8_async (proc, NULL, cancellable, on_communicated, task);
}

void
tb_monitor_get_enabled_async (GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  const char *argv[] = { "systemctl", "--user", "is-enabled", TB_MONITOR_TIMER, NULL };
  MonitorCall *call = g_new0 (MonitorCall, 1);

  call->query = TRUE;
  run_systemctl (call, argv, tb_monitor_get_enabled_async, cancellable, callback, user_data);
}

gboolean
tb_monitor_get_enabled_finish (GAsyncResult  *result,
                               gboolean      *enabled,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *enabled = ((MonitorCall *) g_task_get_task_data (G_TASK (result)))->enabled;
  return TRUE;
}

void
tb_monitor_set_enabled_async (gboolean             enabled,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  /* --now: the timer starts (or stops) at once, not only at the next login. */
  const char *argv[] = { "systemctl", "--user", enabled ? "enable" : "disable", "--now",
                         TB_MONITOR_TIMER, NULL };
  MonitorCall *call = g_new0 (MonitorCall, 1);

  call->enabled = enabled;
  run_systemctl (call, argv, tb_monitor_set_enabled_async, cancellable, callback, user_data);
}

gboolean
tb_monitor_set_enabled_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
