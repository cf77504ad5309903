/* tb-test-util.h: helpers the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-context.h"
#include "tb-demo.h"
#include "tb-sim.h"
#include "tb-test-certs.h"
#include "tb-test-cli.h"

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

/* Starts @sim as the tenant of a test that runs the CLI: a device code sign-in is approved at
 * once and polled every second (the person at the browser is quick, the test short). Returns
 * the path of a new file naming its endpoints, for tb_test_cli_new_for_endpoints(). */
char       *tb_test_start_sim_for_cli (TbSim      *sim);
/* Stops @sim, asserts it is freed, and removes and frees @endpoints. */
void        tb_test_stop_sim_for_cli  (TbSim      *sim,
                                       char       *endpoints);

/* What @sim holds on the service principal of @app_id: the array @member, whether a credential
 * holds @der or has @key_id, whether @spn is among its names, whether it is enabled. */
JsonArray  *tb_test_sim_dup_array     (TbSim      *sim,
                                       const char *app_id,
                                       const char *member);
gboolean    tb_test_sim_has_key       (TbSim      *sim,
                                       const char *app_id,
                                       GBytes     *der);
gboolean    tb_test_sim_has_key_id    (TbSim      *sim,
                                       const char *app_id,
                                       const char *key_id);
gboolean    tb_test_sim_has_spn       (TbSim      *sim,
                                       const char *app_id,
                                       const char *spn);
gboolean    tb_test_sim_is_enabled    (TbSim      *sim,
                                       const char *app_id);
/* The keyId of the credential holding @der, or NULL. */
char       *tb_test_sim_dup_key_id    (TbSim      *sim,
                                       const char *app_id,
                                       GBytes     *der);

G_END_DECLS
