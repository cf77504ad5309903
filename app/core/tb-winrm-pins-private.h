/* tb-winrm-pins-private.h: what only the tests of tb-winrm-pins reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-winrm-pins.h"

G_BEGIN_DECLS

/* For tests. */
void         tb_winrm_pins_forget   (TbWinrmPins *self,
                                     const char  *host,
                                     guint        port);

G_END_DECLS
