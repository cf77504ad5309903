/* tb-window.h: the main window: sidebar of pages, header bar, drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-account-button.h"
#include "tb-audit-page.h"
#include "tb-certificates-page.h"
#include "tb-overview-page.h"
#include "tb-pool-page.h"
#include "tb-principals-page.h"
#include "tb-tenant-page.h"
#include "tb-context.h"

G_BEGIN_DECLS

#define TB_TYPE_WINDOW (tb_window_get_type ())
G_DECLARE_FINAL_TYPE (TbWindow, tb_window, TB, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
TbWindow           *tb_window_new                    (AdwApplication *application,
                                                      TbContext      *context);
/* Page names: "overview", "tenant", "pool", "service-principals", "audit", "certificates". */
void                tb_window_show_page              (TbWindow       *self,
                                                      const char     *name);
/* A new Establish Trust dialog (both halves, from the window's workspace), not yet
 * shown (win.establish-trust presents it). */
GtkWidget          *tb_window_open_establish_trust   (TbWindow       *self);
/* Loads the files: a pool state document (tb_pool_page_wants_file) on the On-premises Pool
 * page, the others on Certificates; switches to the page that got files (Certificates when
 * both did). */
void                tb_window_open_files             (TbWindow       *self,
                                                      GFile         **files,
                                                      guint           n_files);
/* Switches to Certificates and opens the file chooser. */
void                tb_window_choose_files           (TbWindow       *self);

G_END_DECLS
