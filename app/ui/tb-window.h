/* tb-window.h: the main window: sidebar of pages, header bar, drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-account-button.h"
#include "tb-audit-pane.h"
#include "tb-certificates-pane.h"
#include "tb-overview-pane.h"
#include "tb-pool-pane.h"
#include "tb-principals-pane.h"
#include "tb-tenant-pane.h"
#include "tb-context.h"

G_BEGIN_DECLS

#define TB_TYPE_WINDOW (tb_window_get_type ())
G_DECLARE_FINAL_TYPE (TbWindow, tb_window, TB, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
TbWindow           *tb_window_new                    (AdwApplication *application,
                                                      TbContext      *context);
TbContext          *tb_window_get_context            (TbWindow       *self);
/* Page names: "overview", "tenant", "pool", "service-principals", "audit", "certificates". */
void                tb_window_show_page              (TbWindow       *self,
                                                      const char     *name);
const char         *tb_window_get_visible_page       (TbWindow       *self);
TbCertificatesPane *tb_window_get_certificates_pane  (TbWindow       *self);
TbPrincipalsPane   *tb_window_get_principals_pane    (TbWindow       *self);
TbAccountButton    *tb_window_get_account_button     (TbWindow       *self);
TbTenantPane       *tb_window_get_tenant_pane        (TbWindow       *self);
/* A new "Establish trust (Microsoft 365 side)" dialog for the selected certificate, not yet
 * shown (win.establish-trust presents it). */
GtkWidget          *tb_window_open_establish_trust   (TbWindow       *self);
/* Switches to Certificates and loads the files there. */
TbPoolPane         *tb_window_get_pool_pane          (TbWindow       *self);
TbOverviewPane     *tb_window_get_overview_pane      (TbWindow       *self);
/* The window's trust model: what the pages read, which the Overview checks. */
TbWorkspace        *tb_window_get_workspace          (TbWindow       *self);
/* The Audit page (tb-window-audit.c). */
TbAuditPane        *tb_window_get_audit_pane         (TbWindow       *self);
/* Loads the files: a pool state document (tb_pool_pane_wants_file) on the On-premises Pool
 * page, the others on Certificates; switches to the page that got files (Certificates when
 * both did). */
void                tb_window_open_files             (TbWindow       *self,
                                                      GFile         **files,
                                                      guint           n_files);
/* Switches to Certificates and opens the file chooser. */
void                tb_window_choose_files           (TbWindow       *self);
/* The drop target on the whole window (GDK_TYPE_FILE_LIST). */
GtkDropTarget      *tb_window_get_drop_target        (TbWindow       *self);

G_END_DECLS
