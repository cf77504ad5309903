/* tb-certificate-view.h: every field of one certificate, grouped for an admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_TYPE_CERTIFICATE_VIEW (tb_certificate_view_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificateView, tb_certificate_view, TB, CERTIFICATE_VIEW, GtkWidget)

GtkWidget     *tb_certificate_view_new             (void);
TbCertificate *tb_certificate_view_get_certificate (TbCertificateView *self);
/* @warn_days decides when a certificate counts as expiring. */
void           tb_certificate_view_set_certificate (TbCertificateView *self,
                                                    TbCertificate     *certificate,
                                                    guint              warn_days);

/* "Add to Service Principals…" (win.add-certificate-to-principals) needs a signed-in account;
 * signed out, it is insensitive and its tooltip says to sign in. */
void           tb_certificate_view_set_signed_in   (TbCertificateView *self,
                                                    gboolean           signed_in);

G_END_DECLS
