/* tb-window-private.h: what tb-window.c and tb-window-dnd.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-account-button.h"
#include "tb-audit-pane.h"
#include "tb-pool-pane.h"
#include "tb-overview-pane.h"
#include "tb-principals-pane.h"
#include "tb-tenant-pane.h"
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
  AdwWindowTitle       *title;
  GtkWidget            *demo_strip;
  GtkWidget            *drop_highlight;
  GtkSpinner           *spinner;
  TbOverviewPane       *overview_pane;
  TbCertificatesPane   *certificates_pane;
  TbPrincipalsPane     *principals_pane;
  TbTenantPane         *tenant_pane;
  TbPoolPane           *pool_pane;
  TbAuditPane          *audit_pane;
  TbAccountButton      *account_button;
  GCancellable         *sign_in_cancellable;
};

void _tb_window_init_dnd (TbWindow *self);

/* tb-window-audit.c */
void _tb_window_init_audit (TbWindow *self);

/* tb-window-actions.c */
void _tb_window_class_init_actions    (GtkWidgetClass *widget_class);
void _tb_window_init_overview         (TbWindow       *self);
void _tb_window_watch_establish_trust (TbWindow       *self,
                                       GtkWidget      *dialog);

G_END_DECLS
