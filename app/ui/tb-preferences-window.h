/* tb-preferences-window.h: cloud, tenant, client ID and expiry warning, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-context.h"

G_BEGIN_DECLS

#define TB_TYPE_PREFERENCES_WINDOW (tb_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TbPreferencesWindow, tb_preferences_window, TB, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Edits @context's settings; TbContext replaces its services when the cloud, tenant or client
 * ID change. @parent may be NULL. */
GtkWidget *tb_preferences_window_new                 (GtkWindow           *parent,
                                                      TbContext           *context);
/* What "Choose…" does with the chosen file: reads it in a worker thread; a good file becomes
 * the "endpoints-file" setting and its URLs are shown, a bad one shows why and changes
 * nothing. */
void       tb_preferences_window_load_endpoints_file (TbPreferencesWindow *self,
                                                      GFile               *file);

G_END_DECLS
