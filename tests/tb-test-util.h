/* tb-test-util.h: helpers the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-context.h"
#include "tb-demo.h"

G_BEGIN_DECLS

/* Runs everything ready in the thread-default main context, without blocking. */
void        tb_test_iterate_pending (void);

/* The default demo for @context (attached on first use) started in the caller's thread, or the
 * one announced before, waited for: what `--demo` does. */
gboolean    tb_test_start_demo    (TbContext  *context,
                                   GError    **error);
/* Announces the default demo for @context as the app does before its first frame. */
TbDemo     *tb_test_prepare_demo  (TbContext  *context);
/* The simulators of @context's demo, NULL before it started. */
TbSim      *tb_test_get_sim       (TbContext  *context);
TbSimWinrm *tb_test_get_sim_winrm (TbContext  *context);

G_END_DECLS
