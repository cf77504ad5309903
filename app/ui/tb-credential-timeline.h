/* tb-credential-timeline.h: every key credential's validity window on one time axis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_TYPE_CREDENTIAL_TIMELINE (tb_credential_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TbCredentialTimeline, tb_credential_timeline, TB, CREDENTIAL_TIMELINE, GtkWidget)

GtkWidget  *tb_credential_timeline_new              (void);
/* @credentials: TbKeyCredential, drawn one bar each in this order; NULL clears. */
void        tb_credential_timeline_set_credentials  (TbCredentialTimeline *self,
                                                     GPtrArray            *credentials);
/* The pool's current certificate: its bar is outlined and named as such. NULL for none. */
void        tb_credential_timeline_set_highlight    (TbCredentialTimeline *self,
                                                     TbCertificate        *certificate);
void        tb_credential_timeline_set_warn_days    (TbCredentialTimeline *self,
                                                     guint                 warn_days);

/* The bar under a point (-1 for none) and the tooltip text of a bar. */
int         tb_credential_timeline_get_bar_at       (TbCredentialTimeline *self,
                                                     double                x,
                                                     double                y);
char       *tb_credential_timeline_dup_bar_text     (TbCredentialTimeline *self,
                                                     guint                 index);

G_END_DECLS
