/* tb-preferences-window-private.h: what only the tests of tb-preferences-window reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-preferences-window.h"

G_BEGIN_DECLS

/* For tests. */
/* TRUE while an endpoints file is being read. */
gboolean   tb_preferences_window_get_loading         (TbPreferencesWindow *self);

G_END_DECLS
