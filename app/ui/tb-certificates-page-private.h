/* tb-certificates-page-private.h: what the page's files and its tests share
 *
 * tb-certificates-page.c holds the page, its errors, export and removal;
 * tb-certificates-page-list.c the list (loading files, listing in slices, the rows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate-view.h"
#include "tb-certificates-page.h"

G_BEGIN_DECLS

struct _TbCertificatesPage
{
  TbPage                parent_instance;

  GListStore           *certificates;
  GtkFileChooserNative *chooser;
  /* What an export chooser saves, and how (PEM, else DER). */
  TbCertificate        *export_certificate;
  gboolean              export_pem;
  guint                 n_pending;

  GtkRevealer          *error_revealer;
  GtkBox               *error_box;
  GtkStack             *stack;
  /* Rows exist only for the certificates on screen: a bundle can list thousands. */
  GtkListView          *list_view;
  GtkSingleSelection   *selection;
  GtkButton            *choose_button;
  TbCertificateView    *view;
};

/* tb-certificates-page.c */
guint          _tb_certificates_page_get_warn_days   (TbCertificatesPage  *self);
void           _tb_certificates_page_update_stack    (TbCertificatesPage  *self);
void           _tb_certificates_page_set_loading     (TbCertificatesPage  *self,
                                                      guint                n_pending);
void           _tb_certificates_page_show_error      (TbCertificatesPage  *self,
                                                      const char          *heading,
                                                      const char          *message);

/* tb-certificates-page-list.c */
void           _tb_certificates_page_select_position (TbCertificatesPage  *self,
                                                      guint                position,
                                                      gboolean             focus);
void           _tb_certificates_page_load_file       (TbCertificatesPage  *self,
                                                      GFile               *file);
GtkListItemFactory *_tb_certificates_page_new_row_factory (TbCertificatesPage *self);

/* For tests: selects @certificate in the list, as a click on its row would. */
void           tb_certificates_page_select           (TbCertificatesPage  *self,
                                                      TbCertificate       *certificate);
/* For tests: a GListModel of TbCertificate, in list order. */
GListModel    *tb_certificates_page_get_certificates (TbCertificatesPage  *self);

G_END_DECLS
