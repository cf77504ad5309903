/* tb-preferences-monitor.h: Preferences → Monitoring, the daily trust check's switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A page with the daily check's switch: it shows the timer's state as the user's systemd
 * reports it and enables or disables the timer through it. */
#define TB_TYPE_PREFERENCES_MONITOR_PAGE (tb_preferences_monitor_page_get_type ())
G_DECLARE_FINAL_TYPE (TbPreferencesMonitorPage, tb_preferences_monitor_page, TB,
                      PREFERENCES_MONITOR_PAGE, AdwPreferencesPage)

AdwPreferencesPage *tb_preferences_monitor_page_new (void);

G_END_DECLS
