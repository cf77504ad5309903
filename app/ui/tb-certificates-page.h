/* tb-certificates-page.h: load, inspect, export and remove certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"
#include "tb-context.h"
#include "tb-page.h"

G_BEGIN_DECLS

#define TB_TYPE_CERTIFICATES_PAGE (tb_certificates_page_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificatesPage, tb_certificates_page, TB, CERTIFICATES_PAGE, TbPage)

GtkWidget     *tb_certificates_page_new              (TbContext           *context);
TbContext     *tb_certificates_page_get_context      (TbCertificatesPage  *self);
void           tb_certificates_page_set_context      (TbCertificatesPage  *self,
                                                      TbContext           *context);
/* Parses each file in a worker thread; certificates are appended as files finish and the last
 * file's first certificate is selected. A rejected file shows its message in the page. */
void           tb_certificates_page_load_files       (TbCertificatesPage  *self,
                                                      GFile              **files,
                                                      guint                n_files);
/* Adds a certificate that did not come from a file (the pool's OAuthTokenIssuer certificate
 * read from its state) and selects it; one with the same SHA-256 already listed is selected
 * instead. Returns the listed certificate (borrowed). */
TbCertificate *tb_certificates_page_add_certificate  (TbCertificatesPage  *self,
                                                      TbCertificate       *certificate);
/* Opens the file chooser for certificates. */
void           tb_certificates_page_choose_files     (TbCertificatesPage  *self);
/* Writes @certificate to @file as DER (.cer) or, when @pem, as PEM; confirms with a toast. */
void           tb_certificates_page_export           (TbCertificatesPage  *self,
                                                      TbCertificate       *certificate,
                                                      GFile               *file,
                                                      gboolean             pem);
/* TRUE while any file is still being read or written. */
gboolean       tb_certificates_page_get_loading      (TbCertificatesPage  *self);
TbCertificate *tb_certificates_page_get_selected     (TbCertificatesPage  *self);
void           tb_certificates_page_remove           (TbCertificatesPage  *self,
                                                      TbCertificate       *certificate);

G_END_DECLS
