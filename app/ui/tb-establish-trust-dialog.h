/* tb-establish-trust-dialog.h: the cloud one-click: plan, apply step by step, verify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-certificate.h"
#include "tb-context.h"
#include "tb-plan.h"
#include "tb-pool-client.h"
#include "tb-pool-state.h"

G_BEGIN_DECLS

/* Where the dialog is; registered as TB_TYPE_ESTABLISH_TRUST_STATE (tb-ui-enums.h), and
 * notified as the "state" property. */
typedef enum
{
  TB_ESTABLISH_TRUST_STATE_INPUT,     /* the FQDNs and certificate, before a plan */
  TB_ESTABLISH_TRUST_STATE_PLANNING,  /* reading the tenant (and the pool's dry run) */
  TB_ESTABLISH_TRUST_STATE_PLAN,      /* the preview, waiting for Apply */
  TB_ESTABLISH_TRUST_STATE_APPLYING,  /* applying and verifying */
  TB_ESTABLISH_TRUST_STATE_DONE,      /* applied and verified */
  TB_ESTABLISH_TRUST_STATE_FAILED,    /* stopped: the message names the half and the step */
} TbEstablishTrustState;

#define TB_TYPE_ESTABLISH_TRUST_DIALOG (tb_establish_trust_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbEstablishTrustDialog, tb_establish_trust_dialog, TB, ESTABLISH_TRUST_DIALOG, AdwWindow)

/* @certificate: the pool's OAuth certificate (from the Certificates page), or NULL. */
GtkWidget  *tb_establish_trust_dialog_new        (GtkWindow              *parent,
                                                  TbContext              *context,
                                                  TbCertificate          *certificate);
/* The pool's OAuthTokenIssuer certificate, once the pool was read: the plan uses it, with a
 * warning when the one selected on the Certificates page differs. */
void           tb_establish_trust_dialog_set_pool_certificate (TbEstablishTrustDialog *self,
                                                               TbCertificate          *certificate);
/* The pool half. @state: the pool as last read (NULL: Microsoft 365 only). @client: the live
 * connection it was read through, or NULL for a state file. The preview then lists the pool's
 * changes too; live, Apply makes them after Microsoft 365 verified; from a state file, the
 * apply script can be saved (tb_establish_trust_dialog_save_apply_script). @server names the
 * pool in messages; @tenant_id is used when the sign-in has none. */
void           tb_establish_trust_dialog_set_pool             (TbEstablishTrustDialog *self,
                                                               TbPoolState            *state,
                                                               TbPoolClient           *client,
                                                               const char             *server,
                                                               const char             *tenant_id);
/* The pool as read again after its half was applied here, or NULL. */
TbPoolState   *tb_establish_trust_dialog_get_applied_pool_state (TbEstablishTrustDialog *self);
/* Writes the apply script for the tenant (as the Pool page exports it) to @file. */
void           tb_establish_trust_dialog_save_apply_script    (TbEstablishTrustDialog *self,
                                                               GFile                  *file);
/* The external web services FQDNs, as the entry row holds them (spaces or commas between). */
void        tb_establish_trust_dialog_set_fqdns  (TbEstablishTrustDialog *self,
                                                  const char             *fqdns);
const char *tb_establish_trust_dialog_get_fqdns  (TbEstablishTrustDialog *self);
/* Reads the tenant (sign-in first if needed) and shows each step. */
void        tb_establish_trust_dialog_show_plan  (TbEstablishTrustDialog *self);
/* Asks for write access, applies the plan with per-step progress, then verifies. */
void        tb_establish_trust_dialog_apply      (TbEstablishTrustDialog *self);

/* The FQDNs entered, split on spaces and commas (not yet validated). */
GStrv       tb_establish_trust_dialog_dup_fqdns  (TbEstablishTrustDialog *self);
TbEstablishTrustState tb_establish_trust_dialog_get_state (TbEstablishTrustDialog *self);

G_END_DECLS
