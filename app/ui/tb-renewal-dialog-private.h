/* tb-renewal-dialog-private.h: what the dialog's files and its tests share
 *
 * tb-renewal-dialog.c holds the dialog, its candidates and the reading of both halves;
 * tb-renewal-dialog-steps.c the steps (upload, stage, finish).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-renewal-dialog.h"

G_BEGIN_DECLS

typedef enum
{
  JOB_NONE,
  JOB_UPLOAD,
  JOB_STAGE,
  JOB_FINISH,
} Job;

struct _TbRenewalDialog
{
  AdwWindow             parent_instance;

  TbContext            *context;
  TbPoolState          *state;
  TbPoolClient         *client;
  TbRenewal            *renewal;
  GPtrArray            *principals;      /* read so far */
  GPtrArray            *edits;           /* TbPrincipalEdit of the running job */
  guint                 next;            /* index into the profile's targets, or into edits */
  char                 *chosen;          /* thumbprint of the candidate chosen */
  TbCertificate        *loaded;          /* loaded from a file as the new one, or NULL */
  GtkFileChooserNative *load_chooser;
  char                 *message;
  Job                   job;
  gboolean              busy;
  GCancellable         *cancellable;

  GtkSpinner           *spinner;
  GtkLabel             *phase_label;
  AdwPreferencesGroup  *candidates_group;
  GPtrArray            *candidate_rows;
  AdwEntryRow          *date_row;
  GtkLabel             *message_label;
  GtkButton            *upload_button;
  GtkButton            *stage_button;
  GtkButton            *finish_button;
};

/* tb-renewal-dialog.c */
void            _tb_renewal_dialog_set_message (TbRenewalDialog *self,
                                                const char      *message);
void            _tb_renewal_dialog_set_busy    (TbRenewalDialog *self,
                                                gboolean         busy);
void            _tb_renewal_dialog_update      (TbRenewalDialog *self);
void            _tb_renewal_dialog_fail        (TbRenewalDialog *self,
                                                const GError    *error);
void            _tb_renewal_dialog_reread      (TbRenewalDialog *self);

/* tb-renewal-dialog-steps.c */
void            _tb_renewal_dialog_class_install_steps (GtkWidgetClass *widget_class);

/* For tests: the renewal as last worked out (NULL while reading), the shown reason or
 * result, and whether a read or write is under way. */
TbRenewal      *tb_renewal_dialog_get_renewal  (TbRenewalDialog *self);
const char     *tb_renewal_dialog_get_message  (TbRenewalDialog *self);
gboolean        tb_renewal_dialog_get_busy     (TbRenewalDialog *self);

G_END_DECLS
