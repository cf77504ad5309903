/* tb-window-private.h: what the window's files share, and what tests reach of the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-account-button.h"
#include "tb-audit-page.h"
#include "tb-pool-page.h"
#include "tb-overview-page.h"
#include "tb-principals-page.h"
#include "tb-tenant-page.h"
#include "tb-window.h"

G_BEGIN_DECLS

struct _TbWindow
{
  AdwApplicationWindow  parent_instance;

  TbContext            *context;
  GtkDropTarget        *drop_target;

  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar;
  GtkStack             *stack;
  GtkWidget            *content_box;
  AdwWindowTitle       *title;
  GtkWidget            *demo_strip;
  GtkWidget            *drop_highlight;
  GtkSpinner           *spinner;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  TbOverviewPage       *overview_page;
  TbCertificatesPage   *certificates_page;  /* NULL until first needed */
  TbPrincipalsPage     *principals_page;  /* NULL until first needed */
  TbTenantPage         *tenant_page;    /* NULL until first needed (tb-window-pages.c) */
  TbPoolPage           *pool_page;      /* NULL until first needed */
  AdwBin               *certificates_slot;
  AdwBin               *principals_slot;
  AdwBin               *tenant_slot;
  AdwBin               *pool_slot;
  guint                 pages_idle;
  TbAuditPage          *audit_page;     /* NULL until first needed (tb-window-audit.c) */
  AdwBin               *audit_slot;
  TbAccountButton      *account_button;
  GCancellable         *sign_in_cancellable;
  GSignalGroup         *auth_signals;   /* on the context's current auth */
  TbWorkspace          *workspace;      /* the window's trust model (tb-window-workspace.c) */
  GCancellable         *tenant_cancellable;
};

void _tb_window_init_dnd (TbWindow *self);
void _tb_window_update_loading (TbWindow *self);

/* tb-window-pages.c: pages built on first use, or after the first frame */
TbCertificatesPage *_tb_window_ensure_certificates_page (TbWindow *self);
TbPrincipalsPage   *_tb_window_ensure_principals_page   (TbWindow *self);
TbTenantPage *_tb_window_ensure_tenant_page (TbWindow   *self);
TbPoolPage   *_tb_window_ensure_pool_page   (TbWindow   *self);
void          _tb_window_ensure_page        (TbWindow   *self,
                                             const char *name);
void          _tb_window_init_pages         (TbWindow   *self);
void          _tb_window_dispose_pages      (TbWindow   *self);

/* tb-window-audit.c: the Audit page, built on first use like the pages above */
TbAuditPage *_tb_window_ensure_audit_page (TbWindow *self);

/* tb-window-workspace.c: the workspace every page is given */
void _tb_window_init_workspace              (TbWindow *self);
void _tb_window_dispose_workspace           (TbWindow *self);

/* tb-window-pages.c */
void _tb_window_init_sidebar          (TbWindow       *self);
void _tb_window_class_init_sidebar      (GtkWidgetClass *widget_class);

/* tb-window-actions.c */
void _tb_window_class_init_actions    (GtkWidgetClass *widget_class);
void _tb_window_actions_update        (TbWindow       *self);
void _tb_window_init_overview         (TbWindow       *self);
void _tb_window_watch_establish_trust (TbWindow       *self,
                                       GtkWidget      *dialog);

/* For the tests and benchmarks: the pages and parts a test drives. */
const char         *tb_window_get_visible_page       (TbWindow       *self);
TbCertificatesPage *tb_window_get_certificates_page  (TbWindow       *self);
TbPrincipalsPage   *tb_window_get_principals_page    (TbWindow       *self);
TbAccountButton    *tb_window_get_account_button     (TbWindow       *self);
TbTenantPage       *tb_window_get_tenant_page        (TbWindow       *self);
TbPoolPage         *tb_window_get_pool_page          (TbWindow       *self);
TbOverviewPage     *tb_window_get_overview_page      (TbWindow       *self);
/* The window's trust model: what the pages read, which the Overview checks. */
TbWorkspace        *tb_window_get_workspace          (TbWindow       *self);
/* The Audit page (tb-window-audit.c). */
TbAuditPage        *tb_window_get_audit_page         (TbWindow       *self);
/* The drop target on the whole window (GDK_TYPE_FILE_LIST). */
GtkDropTarget      *tb_window_get_drop_target        (TbWindow       *self);

G_END_DECLS
