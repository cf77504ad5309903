/* tb-certificate-row.h: one loaded certificate in the Certificates list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_TYPE_CERTIFICATE_ROW (tb_certificate_row_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificateRow, tb_certificate_row, TB, CERTIFICATE_ROW, GtkWidget)

/* A row shows nothing until it is given a certificate; the list recycles it for others. */
GtkWidget     *tb_certificate_row_new               (guint             warn_days);
void           tb_certificate_row_set_certificate   (TbCertificateRow *self,
                                                     TbCertificate    *certificate);
TbCertificate *tb_certificate_row_get_certificate   (TbCertificateRow *self);
void           tb_certificate_row_set_warn_days     (TbCertificateRow *self,
                                                     guint             warn_days);

G_END_DECLS
