/* tb-pool-page.h: the On-premises Pool page: read the pool's OAuth configuration, check it
 * against what the trust needs, and bring it there
 *
 * The pool state comes from a state file the read script wrote on a Front End (opened, or
 * dropped on the page or the window), or live over WinRM. Each configuration item is shown with
 * its status and, when it differs, the exact value it should have for the tenant.
 *
 * What the page reads goes into its workspace (TbPage): the pool state with its source and
 * server (tb_workspace_set_pool_state), and the certificate "Use This Certificate" chooses
 * (tb_workspace_set_certificate, then win.show-page "certificates"), so the cloud side needs
 * no .CER file. It also offers:
 *   - "pool-state" (TbPoolState, or NULL): the last pool state read successfully.
 *   - "external-fqdns" (GStrv, or NULL when unknown): the pool's external web services FQDNs,
 *     the service principal names the cloud side needs (the SPN step). Notified whenever a new
 *     state is shown; read it with tb_pool_page_get_external_fqdns().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-context.h"
#include "tb-page.h"
#include "tb-pool-client.h"
#include "tb-pool-state.h"

G_BEGIN_DECLS

/* Rows of the Configuration group, by the TB_POOL_CHECK_* item they show. The partner
 * application row shows all four TB_POOL_CHECK_PARTNER_* checks. */
#define TB_POOL_PAGE_ROW_OAUTH_SERVER        TB_POOL_CHECK_OAUTH_SERVER
#define TB_POOL_PAGE_ROW_PARTNER_APPLICATION TB_POOL_CHECK_PARTNER_APPLICATION
#define TB_POOL_PAGE_ROW_OAUTH_SERVICE_NAME  TB_POOL_CHECK_OAUTH_SERVICE_NAME
#define TB_POOL_PAGE_ROW_WEB_SERVICES        TB_POOL_CHECK_WEB_SERVICES
#define TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE   TB_POOL_CHECK_OAUTH_CERTIFICATE

#define TB_TYPE_POOL_PAGE (tb_pool_page_get_type ())
G_DECLARE_FINAL_TYPE (TbPoolPage, tb_pool_page, TB, POOL_PAGE, TbPage)

GtkWidget          *tb_pool_page_new                   (TbContext          *context);
void                tb_pool_page_set_context           (TbPoolPage         *self,
                                                        TbContext          *context);

/* Reads a state file (trust-bridge-state.json, or saved script output with the marker line)
 * in a worker thread. A file that is not a pool state shows its message inline and leaves the
 * page as it was. */
void                tb_pool_page_load_file             (TbPoolPage         *self,
                                                        GFile              *file);
/* TRUE for a file the window should hand to this page rather than to Certificates: a state
 * document (*.json; no certificate format is JSON). */
gboolean            tb_pool_page_wants_file            (GFile              *file);
/* Opens the file chooser for a state file. */
void                tb_pool_page_choose_file           (TbPoolPage         *self);
/* Writes the read script / the apply script for the current tenant (exported form). */
void                tb_pool_page_export_read_script    (TbPoolPage         *self,
                                                        GFile              *file);
void                tb_pool_page_export_apply_script   (TbPoolPage         *self,
                                                        GFile              *file);
/* Makes the pool's OAuthTokenIssuer certificate the workspace's chosen one (the Certificates
 * page lists and selects it) and shows that page. FALSE when there is no readable
 * certificate. */
gboolean            tb_pool_page_use_certificate       (TbPoolPage         *self);

/* Shows @state, read again over this page's connection after the pool half was applied
 * elsewhere (Establish Trust), as this page's own Apply does. */
void                tb_pool_page_show_applied_state    (TbPoolPage         *self,
                                                        TbPoolState        *state);
/* TRUE while a file is read or the pool is talked to. */
gboolean            tb_pool_page_get_loading           (TbPoolPage         *self);
/* The live connection the last state was read through, or NULL (state file, or none). */
TbPoolClient       *tb_pool_page_get_client            (TbPoolPage         *self);
/* See above; NULL when no state was read or it holds no web services. */
const char * const *tb_pool_page_get_external_fqdns    (TbPoolPage         *self);

/* The tenant ID the checks and the apply script use: from the Microsoft 365 sign-in, else
 * found from the configured tenant domain, else typed on this page; NULL when unknown. */
const char         *tb_pool_page_get_tenant_id         (TbPoolPage         *self);

G_END_DECLS
