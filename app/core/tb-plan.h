/* tb-plan.h: desired state against current state, as ordered steps
 *
 * "Establish trust (Microsoft 365 side)": from a profile, the pool's OAuth certificate and
 * its external web services FQDNs, one snapshot ($batch) of the tenant gives the steps: add
 * the certificate to each target principal lacking it, enable those that must be enabled,
 * add the missing SPNs. Each step says "nothing to do" or what it changes; applying goes
 * step by step with progress; verifying reads the tenant again. A second run finds nothing
 * to do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate.h"
#include "tb-graph-client.h"
#include "tb-profile.h"
#include "tb-step.h"

G_BEGIN_DECLS

#define TB_TYPE_PLAN (tb_plan_get_type ())
G_DECLARE_FINAL_TYPE (TbPlan, tb_plan, TB, PLAN, GObject)

/* Bad input (an FQDN that is not a host name, none given while the profile adds SPNs) fails
 * before anything is read: TB_MERGE_ERROR_INVALID. */
void        tb_plan_new_establish_trust_async  (TbGraphClient       *client,
                                                TbProfile           *profile,
                                                TbCertificate       *cert,
                                                const char * const  *fqdns,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
TbPlan     *tb_plan_new_establish_trust_finish (GAsyncResult        *result,
                                                GError             **error);

/* TbStep, in the order they apply. */
GPtrArray  *tb_plan_get_steps      (TbPlan *self);
/* Steps that would change something. */
guint       tb_plan_count_changes  (TbPlan *self);
/* Steps that cannot be done. */
guint       tb_plan_count_blocked  (TbPlan *self);

/* The admin approved the plan as shown: a step whose principal changed since, in what the
 * step touches, fails with TB_GRAPH_ERROR_CHANGED instead of writing (see tb_step_set_approved).
 * The CLI, which shows no plan before applying, leaves this off. */
void        tb_plan_set_approved   (TbPlan              *self,
                                    gboolean             approved);

/* Leaves a step out before applying (an opt-in step the admin did not choose); verifying
 * then checks only the steps left. */
void        tb_plan_remove_step    (TbPlan *self,
                                    guint   index);

/* Applies the steps in order; "step-started" and "step-finished" (TbStep *, guint index)
 * report progress. Stops at the first failure. Result: a GPtrArray of TbChange, one per
 * step (action "none" for steps with nothing to do). */
void        tb_plan_apply_async    (TbPlan              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GPtrArray  *tb_plan_apply_finish   (TbPlan              *self,
                                    GAsyncResult        *result,
                                    GError             **error);

/* Reads the tenant again (one $batch) and checks that every step finds nothing to do;
 * TB_GRAPH_ERROR_VERIFY_FAILED naming the first step that would still change something. */
void        tb_plan_verify_async   (TbPlan              *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean    tb_plan_verify_finish  (TbPlan              *self,
                                    GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
