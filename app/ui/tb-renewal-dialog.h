/* tb-renewal-dialog.h: the renewal assistant for the pool's OAuth certificate
 *
 * Choose the new certificate, upload it to Microsoft 365, stage it on the pool (live when the
 * pool page is connected, else as an exported script), and after the switch finish. The
 * phase is worked out again from both halves after every step (TbRenewal); a step that cannot
 * be taken now is insensitive and the reason is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-context.h"
#include "tb-pool-client.h"
#include "tb-pool-state.h"
#include "tb-renewal.h"

G_BEGIN_DECLS

#define TB_TYPE_RENEWAL_DIALOG (tb_renewal_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbRenewalDialog, tb_renewal_dialog, TB, RENEWAL_DIALOG, AdwWindow)

/* @client: the pool page's live connection, or NULL for the script round trip. */
GtkWidget      *tb_renewal_dialog_new          (GtkWindow       *parent,
                                                TbContext       *context,
                                                TbPoolState     *state,
                                                TbPoolClient    *client);
/* Reads the tenant (signing in when needed) and shows the phase. */
void            tb_renewal_dialog_refresh      (TbRenewalDialog *self);
/* Loads @file (DER or PEM, one certificate) as the new certificate, as "Load Certificate
 * File…" does: one already installed in the Front End's store. Refused with the reason shown
 * when it is the current one, not RSA of 2048 bits or more, or expires within 30 days. */
void            tb_renewal_dialog_load_certificate (TbRenewalDialog *self,
                                                    GFile           *file);

G_END_DECLS
