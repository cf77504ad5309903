/* tb-principal-detail.h: one service principal's properties, names, key credentials, timeline
 *
 * What the Service Principals page shows for the chosen principal. The widget only shows and
 * asks: its buttons emit signals, and the page runs the write (TbPrincipalWrite).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"
#include "tb-credential-timeline.h"
#include "tb-profile.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define TB_TYPE_PRINCIPAL_DETAIL (tb_principal_detail_get_type ())
G_DECLARE_FINAL_TYPE (TbPrincipalDetail, tb_principal_detail, TB, PRINCIPAL_DETAIL, GtkWidget)

/* @target may be NULL; @highlight (the certificate chosen on the Certificates page) too.
 * Signals: "add-spn" (fqdn), "remove-spn" (spn), "remove-credential" (keyId),
 * "add-certificate". */
GtkWidget            *tb_principal_detail_new          (TbServicePrincipal    *principal,
                                                        const TbProfileTarget *target,
                                                        guint                  warn_days,
                                                        TbCertificate         *highlight);
/* TRUE when a detail made now from these would show what @self shows: the same principal data
 * (a principal read again is a new object), target, warning days and highlighted certificate,
 * and the same credential statuses and dates ("in 3 months") as when @self was made. */
gboolean              tb_principal_detail_shows        (TbPrincipalDetail     *self,
                                                        TbServicePrincipal    *principal,
                                                        const TbProfileTarget *target,
                                                        guint                  warn_days,
                                                        TbCertificate         *highlight);
TbServicePrincipal   *tb_principal_detail_get_principal (TbPrincipalDetail    *self);
/* The key credentials as listed, a GListModel of TbKeyCredential. */
GListModel           *tb_principal_detail_get_credentials (TbPrincipalDetail  *self);
TbCredentialTimeline *tb_principal_detail_get_timeline (TbPrincipalDetail     *self);
GtkEditable          *tb_principal_detail_get_spn_entry (TbPrincipalDetail    *self);

/* "valid until 12 Mar 2027, 14:05 · in 3 months", or "ended … · 2 months ago". */
char                 *tb_principal_detail_format_dates (TbKeyCredential       *credential,
                                                        GDateTime             *now);

G_END_DECLS
