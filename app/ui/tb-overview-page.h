/* tb-overview-page.h: the trust at a glance: the trust check grouped by half, and the one-click
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-context.h"
#include "tb-page.h"
#include "tb-workspace.h"

G_BEGIN_DECLS

typedef enum
{
  TB_CHECK_UNKNOWN,      /* not checked: an input is missing (signed out, pool not read) */
  TB_CHECK_OK,           /* green */
  TB_CHECK_ATTENTION,    /* amber: a warning */
  TB_CHECK_BROKEN,       /* red: failed */
} TbCheckStatus;

#define TB_TYPE_OVERVIEW_PAGE (tb_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (TbOverviewPage, tb_overview_page, TB, OVERVIEW_PAGE, TbPage)

GtkWidget     *tb_overview_page_new             (void);
/* The checklist is the trust check of @workspace (the window's), recomputed whenever any of
 * its properties changes; @context gives the cloud, the settings and the sign-in. */
void           tb_overview_page_set_workspace   (TbOverviewPage     *self,
                                                 TbContext          *context,
                                                 TbWorkspace        *workspace);

/* Why the Overview shows the way to the renewal assistant (win.renew-certificate), if it does;
 * its button names the step that is next. */
typedef enum
{
  TB_OVERVIEW_RENEWAL_NONE,
  TB_OVERVIEW_RENEWAL_EXPIRING,   /* the current certificate is inside the warning threshold */
  TB_OVERVIEW_RENEWAL_UNDER_WAY,  /* a next certificate is staged on the pool */
  TB_OVERVIEW_RENEWAL_TO_FINISH,  /* the pool switched; an earlier certificate is left over */
} TbOverviewRenewal;

void                tb_overview_page_set_renewal     (TbOverviewPage    *self,
                                                      TbOverviewRenewal  renewal);

G_END_DECLS
