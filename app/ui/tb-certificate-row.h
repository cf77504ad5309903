/* tb-certificate-row.h: one loaded certificate in the Certificates list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_TYPE_CERTIFICATE_ROW (tb_certificate_row_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificateRow, tb_certificate_row, TB, CERTIFICATE_ROW, GtkListBoxRow)

GtkWidget     *tb_certificate_row_new               (TbCertificate    *certificate,
                                                     guint             warn_days);
TbCertificate *tb_certificate_row_get_certificate   (TbCertificateRow *self);
void           tb_certificate_row_set_warn_days     (TbCertificateRow *self,
                                                     guint             warn_days);

G_END_DECLS
