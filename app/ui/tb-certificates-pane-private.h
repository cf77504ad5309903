/* tb-certificates-pane-private.h: what the page's files and its tests share
 *
 * tb-certificates-pane.c holds the page, its errors, export and removal;
 * tb-certificates-pane-list.c the list (loading files, listing in slices, the rows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate-view.h"
#include "tb-certificates-pane.h"

G_BEGIN_DECLS

struct _TbCertificatesPane
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

/* tb-certificates-pane.c */
guint          _tb_certificates_pane_get_warn_days   (TbCertificatesPane  *self);
void           _tb_certificates_pane_update_stack    (TbCertificatesPane  *self);
void           _tb_certificates_pane_set_loading     (TbCertificatesPane  *self,
                                                      guint                n_pending);
void           _tb_certificates_pane_show_error      (TbCertificatesPane  *self,
                                                      const char          *heading,
                                                      const char          *message);

/* tb-certificates-pane-list.c */
void           _tb_certificates_pane_select_position (TbCertificatesPane  *self,
                                                      guint                position,
                                                      gboolean             focus);
void           _tb_certificates_pane_load_file       (TbCertificatesPane  *self,
                                                      GFile               *file);
GtkListItemFactory *_tb_certificates_pane_new_row_factory (TbCertificatesPane *self);

/* For tests: selects @certificate in the list, as a click on its row would. */
void           tb_certificates_pane_select           (TbCertificatesPane  *self,
                                                      TbCertificate       *certificate);

G_END_DECLS
