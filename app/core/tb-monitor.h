/* tb-monitor.h: the daily trust check, a systemd user timer, switched through the user's systemd
 *
 * The app installs trust-bridge-check.service (trust-bridge-cli trust check --notify) and
 * trust-bridge-check.timer (daily) as systemd user units; enabling the check enables and starts
 * the timer with `systemctl --user`, disabling stops and disables it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_MONITOR_TIMER "trust-bridge-check.timer"

#define TB_MONITOR_ERROR (tb_monitor_error_quark ())

typedef enum
{
  TB_MONITOR_ERROR_NOT_INSTALLED,  /* the user's systemd does not know the timer */
  TB_MONITOR_ERROR_FAILED,         /* systemctl failed; the message has its words */
} TbMonitorError;

GQuark   tb_monitor_error_quark           (void);

void     tb_monitor_get_enabled_async     (GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* TRUE with *@enabled set, or FALSE with an error (no systemd, timer not installed). */
gboolean tb_monitor_get_enabled_finish    (GAsyncResult        *result,
                                           gboolean            *enabled,
                                           GError             **error);

void     tb_monitor_set_enabled_async     (gboolean             enabled,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean tb_monitor_set_enabled_finish    (GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
