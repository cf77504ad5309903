/* tb-preferences-monitor.h: Preferences → Monitoring, the daily trust check's switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A page with the daily check's switch: it shows the timer's state as the user's systemd
 * reports it and enables or disables the timer through it. */
AdwPreferencesPage *tb_preferences_monitor_page_new (void);

G_END_DECLS
