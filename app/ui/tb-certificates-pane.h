/* tb-certificates-pane.h: load, inspect, export and remove certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"
#include "tb-context.h"
#include "tb-page.h"

G_BEGIN_DECLS

#define TB_TYPE_CERTIFICATES_PANE (tb_certificates_pane_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificatesPane, tb_certificates_pane, TB, CERTIFICATES_PANE, TbPage)

GtkWidget     *tb_certificates_pane_new              (TbContext           *context);
TbContext     *tb_certificates_pane_get_context      (TbCertificatesPane  *self);
void           tb_certificates_pane_set_context      (TbCertificatesPane  *self,
                                                      TbContext           *context);
/* Parses each file in a worker thread; certificates are appended as files finish and the last
 * file's first certificate is selected. A rejected file shows its message in the pane. */
void           tb_certificates_pane_load_files       (TbCertificatesPane  *self,
                                                      GFile              **files,
                                                      guint                n_files);
/* Adds a certificate that did not come from a file (the pool's OAuthTokenIssuer certificate
 * read from its state) and selects it; one with the same SHA-256 already listed is selected
 * instead. Returns the listed certificate (borrowed). */
TbCertificate *tb_certificates_pane_add_certificate  (TbCertificatesPane  *self,
                                                      TbCertificate       *certificate);
/* Opens the file chooser for certificates. */
void           tb_certificates_pane_choose_files     (TbCertificatesPane  *self);
/* Writes @certificate to @file as DER (.cer) or, when @pem, as PEM; confirms with a toast. */
void           tb_certificates_pane_export           (TbCertificatesPane  *self,
                                                      TbCertificate       *certificate,
                                                      GFile               *file,
                                                      gboolean             pem);
/* TRUE while any file is still being read or written. */
gboolean       tb_certificates_pane_get_loading      (TbCertificatesPane  *self);
/* A GListModel of TbCertificate, in list order. */
GListModel    *tb_certificates_pane_get_certificates (TbCertificatesPane  *self);
TbCertificate *tb_certificates_pane_get_selected     (TbCertificatesPane  *self);
void           tb_certificates_pane_remove           (TbCertificatesPane  *self,
                                                      TbCertificate       *certificate);

G_END_DECLS
