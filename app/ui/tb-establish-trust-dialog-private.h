/* tb-establish-trust-dialog-private.h: what the dialog's files share
 *
 * tb-establish-trust-dialog.c holds the certificate, the planning of the Microsoft 365 half and
 * the apply and verify of that half; tb-establish-trust-dialog-plan.c the plan's rows;
 * tb-establish-trust-dialog-pool.c the pool half (planning, applying live, the apply script for
 * a state file).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-establish-trust-dialog.h"

G_BEGIN_DECLS

struct _TbEstablishTrustDialog
{
  AdwWindow      parent_instance;

  TbContext     *context;
  TbCertificate *certificate;
  TbPlan        *plan;
  GCancellable  *cancellable;
  TbEstablishTrustState state;
  GError        *error;
  char          *summary;
  char          *changed;        /* why the plan was made again, or NULL */
  char          *loss;           /* entries another writer removed and were put back */
  GtkWidget     *input_group;    /* "What the Pool Uses", the first group of the content */

  GtkWidget     *fqdn_entry;
  GtkWidget     *plan_box;
  GtkWidget     *plan_button;
  GtkWidget     *apply_button;
  GtkWidget     *close_button;
  GPtrArray     *step_rows;      /* AdwActionRow per step */
  GPtrArray     *step_icons;     /* the status icon or spinner at the start of each step row */
  GtkWidget     *steps_group;    /* the group of step_rows, in plan_box */
  TbPlan        *steps_plan;     /* the plan steps_group shows (a reference) */
  guint          retries;

  TbCertificate *pool_certificate;  /* the pool's OAuthTokenIssuer certificate, or NULL */
  TbCertificate *chosen;            /* the one selected on the Certificates page, or NULL */
  GtkWidget     *certificate_group;
  GPtrArray     *certificate_rows;  /* what rebuild_certificate added to the group */
  GtkWidget     *optional_switch;   /* uploads to principals Microsoft is retiring: opt-in */
  gboolean       include_optional;
  char          *blocked_reason;    /* why Show Plan cannot run, or NULL */

  /* The pool half: live (a client) or from a state file (no client); none without a state. */
  TbPoolState   *pool_state;
  TbPoolClient  *pool_client;
  char          *pool_server;
  char          *pool_tenant_id;
  GPtrArray     *pool_changes;      /* TbChange the pool half needs, NULL before planning */
  gboolean       pool_applied;
  guint          cloud_changes;     /* Microsoft 365 changes Apply set out to make */
  TbPoolState   *pool_after;        /* read again after the pool half was applied */
  GtkFileChooserNative *chooser;
  char          *script_name;       /* the apply script last saved, or NULL */
  char          *script_note;       /* saved, or why not */
};

/* tb-establish-trust-dialog.c */
void        _tb_establish_trust_dialog_set_state    (TbEstablishTrustDialog *self,
                                                     TbEstablishTrustState   state);
void        _tb_establish_trust_dialog_fail         (TbEstablishTrustDialog *self,
                                                     GError                 *error);
GError     *_tb_establish_trust_dialog_name_half    (const GError           *error,
                                                     const char             *half,
                                                     const char             *step,
                                                     const char             *tail);
/* Enables the dialog's commands (the "trust." actions) from its state: the one place that does. */
void        _tb_establish_trust_dialog_update_actions (TbEstablishTrustDialog *self);

/* tb-establish-trust-dialog-plan.c */
void        _tb_establish_trust_dialog_rebuild_plan    (TbEstablishTrustDialog *self);
/* Shows step @index's state in its row (a spinner while @running). */
void        _tb_establish_trust_dialog_update_step_row (TbEstablishTrustDialog *self,
                                                        guint                   index,
                                                        gboolean                running);

/* tb-establish-trust-dialog-pool.c */
guint       _tb_establish_trust_dialog_pool_changes_to_apply (TbEstablishTrustDialog *self);
const char *_tb_establish_trust_dialog_pool_tenant_id        (TbEstablishTrustDialog *self);
void        _tb_establish_trust_dialog_plan_pool_half        (TbEstablishTrustDialog *self);
void        _tb_establish_trust_dialog_apply_pool_half       (TbEstablishTrustDialog *self);
void        _tb_establish_trust_dialog_finish_pool_summary   (TbEstablishTrustDialog *self);
void        _tb_establish_trust_dialog_add_pool_group        (TbEstablishTrustDialog *self);
/* Asks where to save the apply script for a pool read from a state file, then saves it. */
void        _tb_establish_trust_dialog_choose_script_file    (TbEstablishTrustDialog *self);

/* For tests. */
char       *tb_establish_trust_dialog_dup_text   (TbEstablishTrustDialog *self);
/* The certificate the plan uploads, or NULL. */
TbCertificate *tb_establish_trust_dialog_get_certificate      (TbEstablishTrustDialog *self);
TbPlan     *tb_establish_trust_dialog_get_plan   (TbEstablishTrustDialog *self);
/* TbChange: the pool half's changes (to make, or made once "done"); NULL before planned. */
GPtrArray     *tb_establish_trust_dialog_get_pool_changes     (TbEstablishTrustDialog *self);

G_END_DECLS
