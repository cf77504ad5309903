/* tb-context.h: the one object that owns settings and services, shared by every face
 *
 * The faces (GUI panes, CLI commands) never build clients themselves: they ask the context.
 * Services are made on first use from the current cloud and client ID, and replaced as a set
 * when either changes; "notify::auth" tells holders to drop the old ones (the old auth's
 * sign-in does not carry over to another cloud or client).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-graph-client.h"
#include "tb-profile.h"
#include "tb-sim.h"
#include "tb-sim-winrm.h"
#include "tb-winrm-pins.h"
#include "tb-workspace.h"

G_BEGIN_DECLS

#define TB_DEFAULT_WARN_DAYS 30

#define TB_TYPE_CONTEXT (tb_context_get_type ())
G_DECLARE_FINAL_TYPE (TbContext, tb_context, TB, CONTEXT, GObject)

/* Uses the app's GSettings when its schema is installed (or GSETTINGS_SCHEMA_DIR points at it);
 * otherwise defaults, so the CLI works from a build tree. */
TbContext     *tb_context_new                (void);
GSettings     *tb_context_get_settings       (TbContext *self);
/* Certificates ending within this many days are "expiring". */
guint          tb_context_get_warn_days      (TbContext *self);
void           tb_context_set_warn_days      (TbContext *self,
                                              guint      days);
/* TRUE while the services talk to the built-in simulator (tb_context_start_demo). */
gboolean       tb_context_get_demo           (TbContext *self);
void           tb_context_set_demo           (TbContext *self,
                                              gboolean   demo);

/* The cloud, in this order: the demo simulator; an endpoints file given with
 * tb_context_set_endpoints_file (--endpoints); the "endpoints-file" setting; the "cloud"
 * setting; Global. A setting that cannot be used falls back to Global with a warning. */
TbCloud       *tb_context_get_cloud          (TbContext *self);
/* Replaces the cloud with the key file's custom endpoints for this run (settings untouched). */
gboolean       tb_context_set_endpoints_file (TbContext  *self,
                                              const char *path,
                                              GError    **error);
/* A built-in cloud by name ("global", "usgov-high", …) for this run. */
gboolean       tb_context_set_cloud_name     (TbContext  *self,
                                              const char *name,
                                              GError    **error);
/* The public client ID sign-in uses: set here, else the "client-id" setting, else
 * TB_AUTH_DEFAULT_CLIENT_ID. */
const char    *tb_context_get_client_id      (TbContext  *self);
void           tb_context_set_client_id      (TbContext  *self,
                                              const char *client_id);
/* The tenant sign-in goes to: set here, else the "tenant-domain" setting, else
 * "organizations" (any work account; the tenant is learnt from the token). */
const char    *tb_context_get_tenant         (TbContext  *self);
void           tb_context_set_tenant         (TbContext  *self,
                                              const char *domain_or_id);

/* The services, made on first use; the same objects until the cloud or client ID changes. */
SoupSession   *tb_context_get_session        (TbContext *self);
TbAuth        *tb_context_get_auth           (TbContext *self);
TbGraphClient *tb_context_get_graph_client   (TbContext *self);
/* The trust profile the panes and the one-click work from (default: SfB Server hybrid). */
TbProfile     *tb_context_get_profile        (TbContext *self);

/* Starts the simulator with the demo tenant on 127.0.0.1 in the thread-default main context,
 * points the cloud at it and turns demo on. Device codes are approved on the first poll so
 * demo sign-in needs no browser. */
gboolean       tb_context_start_demo         (TbContext *self,
                                              GError   **error);
/* Announces a demo whose simulators start later, on a thread of their own with its own main
 * context: turns demo on at once (nothing reaches Microsoft 365 meanwhile) and sets
 * "demo-pending" until they answer. The caller's main loop then neither waits while they are
 * built nor serves their requests. tb_context_start_demo_async starts them (the app does so
 * after its first frame); tb_context_start_demo starts them if needed and waits. Without this
 * call tb_context_start_demo runs them in the caller's thread-default context. */
void           tb_context_prepare_demo       (TbContext *self);
gboolean       tb_context_get_demo_pending   (TbContext *self);
void           tb_context_start_demo_async   (TbContext           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       tb_context_start_demo_finish  (TbContext     *self,
                                              GAsyncResult  *result,
                                              GError       **error);
/* The running simulator, or NULL outside demo (tests check the service side through it). */
TbSim         *tb_context_get_sim            (TbContext *self);

/* The demo Front End (TbSimWinrm with the demo pool; started with the demo's other simulators
 * on their thread, or on the first call of either function when the demo runs in the
 * caller's thread): Basic with a demo account whose password was made at random for this
 * run, pinned to the listener's fingerprint. FALSE outside demo. The strings belong to the
 * context. */
gboolean       tb_context_get_demo_pool      (TbContext   *self,
                                              const char **host,
                                              guint       *port,
                                              const char **user,
                                              const char **password,
                                              const char **fingerprint);
TbSimWinrm    *tb_context_get_sim_winrm      (TbContext *self);

/* Pinned WinRM listener fingerprints: in the "winrm-pins" setting when the settings exist,
 * else in memory for this run. */
TbWinrmPins   *tb_context_get_winrm_pins     (TbContext *self);

/* A new trust model for one window or one CLI run. Its tenant of record starts as the demo
 * tenant in demo, else the tenant given with tb_context_set_tenant or the "tenant-domain"
 * setting when that is a tenant ID (a domain is resolved by whoever signs in). */
TbWorkspace   *tb_context_new_workspace      (TbContext *self);

G_END_DECLS
