/* tb-context.h: the one object that owns settings and services, shared by every face
 *
 * The faces (GUI pages, CLI commands) never build clients themselves: they ask the context.
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
/* TRUE while the services talk to the built-in simulators (a demo, see below). */
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
/* The trust profile the pages and the one-click work from (default: SfB Server hybrid). */
TbProfile     *tb_context_get_profile        (TbContext *self);

/* The demo (app/sim's TbDemo) runs the simulators; the context only holds what they answer
 * to, given through the setters below, and asks the provider to start them when a face needs
 * them before they are up. The core itself never starts a simulator. */
typedef struct
{
  /* Starts the demo services now, or waits for a start under way, and sets the context up
   * (tb_context_set_demo_tenant, tb_context_set_cloud, …). */
  gboolean (*start)      (gpointer   data,
                          GError   **error);
  /* Starts the demo Front End when it was left for its first use; NULL when never needed. */
  gboolean (*start_pool) (gpointer   data,
                          GError   **error);
} TbContextDemoProvider;

/* @provider must stay valid as long as the context; @destroy frees @data at dispose or when
 * another provider replaces it. */
void           tb_context_set_demo_provider  (TbContext                   *self,
                                              const TbContextDemoProvider *provider,
                                              gpointer                     data,
                                              GDestroyNotify               destroy);
/* The services point at @cloud for this run (settings untouched), also when it is equal to
 * the one before: holders of the cloud look again. */
void           tb_context_set_cloud          (TbContext *self,
                                              TbCloud   *cloud);
/* TRUE while a demo is announced but its services do not answer yet (nothing reaches
 * Microsoft 365 meanwhile: demo is on). */
gboolean       tb_context_get_demo_pending   (TbContext *self);
void           tb_context_set_demo_pending   (TbContext *self,
                                              gboolean   pending);
/* The demo tenant: sign-in goes to @domain and new workspaces start with @tenant_id (NULL
 * until the demo services answer). Set it just before tb_context_set_cloud, which makes the
 * services again with both, so no service is ever made for one without the other. */
const char    *tb_context_get_demo_tenant_id (TbContext  *self);
void           tb_context_set_demo_tenant    (TbContext  *self,
                                              const char *domain,
                                              const char *tenant_id);
/* Makes sure the demo services answer: TRUE at once when they do, else the provider starts
 * them (or waits for the start under way). An error without a demo provider. */
gboolean       tb_context_start_demo         (TbContext *self,
                                              GError   **error);

/* The demo Front End, as the demo set it (tb_context_set_demo_pool): Basic with a demo account
 * whose password was made at random for this run, pinned to the listener's fingerprint. When
 * the demo left it for its first use, the provider starts it here. FALSE outside demo. The
 * strings belong to the context. */
gboolean       tb_context_get_demo_pool      (TbContext   *self,
                                              const char **host,
                                              guint       *port,
                                              const char **user,
                                              const char **password,
                                              const char **fingerprint);
/* The demo Front End's own FQDN (what the pool calls itself), or NULL outside demo. */
const char    *tb_context_get_demo_pool_server_fqdn (TbContext *self);
void           tb_context_set_demo_pool      (TbContext  *self,
                                              const char *host,
                                              guint       port,
                                              const char *user,
                                              const char *password,
                                              const char *fingerprint,
                                              const char *server_fqdn);

/* Pinned WinRM listener fingerprints: in the "winrm-pins" setting when the settings exist,
 * else in memory for this run. */
TbWinrmPins   *tb_context_get_winrm_pins     (TbContext *self);

/* A new trust model for one window or one CLI run. Its tenant of record starts as the demo
 * tenant in demo, else the tenant given with tb_context_set_tenant or the "tenant-domain"
 * setting when that is a tenant ID (a domain is resolved by whoever signs in). */
TbWorkspace   *tb_context_new_workspace      (TbContext *self);

G_END_DECLS
