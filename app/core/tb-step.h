/* tb-step.h: one step of a plan: describes itself, applies itself, verifies itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-graph-client.h"
#include "tb-principal-edit.h"

G_BEGIN_DECLS

typedef enum
{
  TB_STEP_STATE_NOTHING_TO_DO,       /* already in place */
  TB_STEP_STATE_PENDING,             /* a change to make (see tb_step_get_change) */
  TB_STEP_STATE_BLOCKED,             /* cannot be done (principal missing, keys unknown…) */
  TB_STEP_STATE_DONE,                /* applied and verified */
  TB_STEP_STATE_FAILED,              /* applying or verifying failed (see tb_step_get_description) */
} TbStepState;

#define TB_TYPE_STEP (tb_step_get_type ())
G_DECLARE_FINAL_TYPE (TbStep, tb_step, TB, STEP, GObject)

/* @title heads the step in a plan ("Enable Office 365 Exchange Online"); @activity names it
 * inside a sentence, lower-case ("enabling Office 365 Exchange Online"), as a failure says
 * where it stopped. */
TbStep            *tb_step_new          (const char          *title,
                                         const char          *activity,
                                         TbPrincipalEdit     *edit,
                                         const char          *notice);
const char        *tb_step_get_title    (TbStep              *self);
const char        *tb_step_get_activity (TbStep              *self);
/* A notice the admin must see where they act (Microsoft's retirement dates…), or NULL. */
const char        *tb_step_get_notice   (TbStep              *self);
TbPrincipalEdit   *tb_step_get_edit     (TbStep              *self);
TbStepState        tb_step_get_state    (TbStep              *self);
/* "nothing to do" (action none) or the change, once described; the made change once done. */
const TbChange    *tb_step_get_change   (TbStep              *self);
/* A sentence for the plan view: the change's detail, or why the step is blocked/failed. */
const char        *tb_step_get_description (TbStep           *self);

/* Works out the step against @principal as just read (NULL: missing from the tenant). */
void               tb_step_describe     (TbStep              *self,
                                         TbServicePrincipal  *principal);

/* The admin approved the step as described: applying writes only while the principal is,
 * in what the step touches, what tb_step_describe() saw; otherwise the step fails with
 * TB_GRAPH_ERROR_CHANGED and writes nothing. */
void               tb_step_set_approved (TbStep              *self,
                                         gboolean             approved);

/* Makes the change (fresh read, merge, PATCH if needed, read back, compare). */
void               tb_step_apply_async  (TbStep              *self,
                                         TbGraphClient       *client,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean           tb_step_apply_finish (TbStep              *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* TRUE for an upload to a principal whose certificates Microsoft is retiring (the step
 * carries that notice: Office 365 Exchange Online). Establish Trust makes it only when the
 * admin opts in: the switch in the window, --include-exchange on the command line. */
gboolean           tb_step_is_opt_in    (TbStep              *self);

G_END_DECLS
