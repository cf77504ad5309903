/* tb-overview-pane.h: the trust at a glance: one checklist row per step, and the one-click
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificates-pane.h"
#include "tb-context.h"
#include "tb-principals-pane.h"

G_BEGIN_DECLS

typedef enum
{
  TB_CHECK_UNKNOWN,      /* not checked: signed out, nothing to check against, or elsewhere */
  TB_CHECK_OK,           /* green */
  TB_CHECK_ATTENTION,    /* amber: in place, but ending soon */
  TB_CHECK_BROKEN,       /* red: missing or wrong */
} TbCheckStatus;

#define TB_TYPE_OVERVIEW_PANE (tb_overview_pane_get_type ())
G_DECLARE_FINAL_TYPE (TbOverviewPane, tb_overview_pane, TB, OVERVIEW_PANE, GtkWidget)

GtkWidget     *tb_overview_pane_new             (void);
/* The checks read what the Service Principals pane last read (no request of their own) for the
 * certificate selected on the Certificates page. Both panes are held weakly. */
void           tb_overview_pane_set_panes       (TbOverviewPane     *self,
                                                 TbContext          *context,
                                                 TbCertificatesPane *certificates,
                                                 TbPrincipalsPane   *principals);
/* The pool's external web services FQDNs, as entered in Establish Trust; NULL or empty when
 * not known (the SPN check then says where to enter them). */
void           tb_overview_pane_set_fqdns       (TbOverviewPane     *self,
                                                 const char * const *fqdns);
const char * const *tb_overview_pane_get_fqdns  (TbOverviewPane     *self);

/* Check ids: "certificate:<appId>", "enabled:<appId>", "spns:<appId>" for the profile's targets
 * that receive them, and "on-premises". Unknown ids give TB_CHECK_UNKNOWN and no detail. */
TbCheckStatus  tb_overview_pane_get_check       (TbOverviewPane     *self,
                                                 const char         *id,
                                                 const char        **detail);
/* The check ids in display order, NULL-terminated. */
GStrv          tb_overview_pane_dup_check_ids   (TbOverviewPane     *self);

/* Shows the way to the renewal assistant (win.renew-certificate): the pool's OAuth certificate
 * is within the expiry warning threshold, or a renewal is under way. */
void                tb_overview_pane_set_renewal_due (TbOverviewPane *self,
                                                      gboolean        due);

G_END_DECLS
