/* tb-demo-private.h: what only the tests of tb-demo reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-demo.h"

G_BEGIN_DECLS

/* For tests. */
const char *tb_demo_get_scenario   (TbDemo               *self);
/* The running simulators (NULL before the start); the Front End is started here when it was
 * left for its first use. Tests check the service side through them. */
TbSim      *tb_demo_get_sim        (TbDemo               *self);
TbSimWinrm *tb_demo_get_sim_winrm  (TbDemo               *self);

G_END_DECLS
