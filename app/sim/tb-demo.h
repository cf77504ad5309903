/* tb-demo.h: the demo: the simulators of Microsoft 365 and of a Front End, for one context
 *
 * A TbDemo owns the login/Graph/ACS simulator (TbSim) and the Front End's WinRM listener
 * (TbSimWinrm) and points a TbContext at them through the context's public setters: the cloud,
 * the demo flag and "demo-pending", the demo tenant, the demo Front End's connection. The core
 * never includes the simulators; it asks the demo to start through TbContextDemoProvider when a
 * face needs the services before they are up.
 *
 * Two ways to start. In the caller's thread (the CLI, tests): tb_demo_start serves both
 * simulators on the thread-default main context, and the Front End waits for its first use
 * (its RSA key is the costliest part of the demo; the Microsoft 365 commands never need it).
 * Announced first (the GUI): tb_demo_prepare turns demo on at once and sets "demo-pending";
 * tb_demo_start_async then builds and serves both simulators on a thread of their own, so the
 * window's main loop neither waits while they are built nor serves their requests;
 * tb_demo_start waits for them when something needs them earlier.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-context.h"
#include "tb-sim.h"
#include "tb-sim-winrm.h"

G_BEGIN_DECLS

#define TB_DEMO_ERROR (tb_demo_error_quark ())
typedef enum
{
  TB_DEMO_ERROR_UNKNOWN_SCENARIO,
  TB_DEMO_ERROR_NO_RANDOM,
} TbDemoError;
GQuark tb_demo_error_quark (void);

/* The scenarios by name: "default" (the demo tenant and a pool whose trust needs work) and
 * "renewal-due" (the same, with the pool's OAuth certificate expiring within the default
 * warning threshold and a candidate to renew it with). */
#define TB_DEMO_SCENARIO_DEFAULT "default"
#define TB_DEMO_SCENARIO_RENEWAL_DUE "renewal-due"
const char * const *tb_demo_get_scenarios (void);

#define TB_TYPE_DEMO (tb_demo_get_type ())
G_DECLARE_FINAL_TYPE (TbDemo, tb_demo, TB, DEMO, GObject)

/* Makes the demo of @scenario (NULL: the default) for @context and hands it to the context,
 * which keeps it (and stops its simulators when disposed). The demo belongs to the context:
 * the pointer returned is valid as long as the context. NULL with TB_DEMO_ERROR_UNKNOWN_SCENARIO
 * for a name not in tb_demo_get_scenarios. Nothing starts yet. */
TbDemo     *tb_demo_attach         (TbContext            *context,
                                    const char           *scenario,
                                    GError              **error);
/* The demo attached to @context, or NULL. */
TbDemo     *tb_demo_get_for_context (TbContext           *context);

/* Announces the demo: demo is on and "demo-pending" set until the simulators answer. */
void        tb_demo_prepare        (TbDemo               *self);
/* Starts the simulators and points the context at them; once prepared, on their own thread,
 * waiting for them. TRUE at once when they run. */
gboolean    tb_demo_start          (TbDemo               *self,
                                    GError              **error);
/* Starts them on their own thread (preparing first when needed) without waiting. */
void        tb_demo_start_async    (TbDemo               *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean    tb_demo_start_finish   (TbDemo               *self,
                                    GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
