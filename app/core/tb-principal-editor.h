/* tb-principal-editor.h: safe changes to service principals over Graph
 *
 * Every change is: fresh single-object read (keys filled) → merge → PATCH only when
 * something has to change → read back → compare. The preview stops after the merge and
 * writes nothing (the CLI's --dry-run, the GUI's preview).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-graph-client.h"
#include "tb-principal-edit.h"

G_BEGIN_DECLS

/* The change made (action "none" when it was already in place). Errors: TB_GRAPH_ERROR
 * (NOT_FOUND for a principal missing from the tenant, VERIFY_FAILED naming a difference
 * after the write…), TB_MERGE_ERROR when the change cannot be made safely. */
void      tb_principal_editor_apply_async    (TbGraphClient       *client,
                                              TbPrincipalEdit     *edit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TbChange *tb_principal_editor_apply_finish   (TbGraphClient       *client,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The change that apply would make now, without writing. */
void      tb_principal_editor_preview_async  (TbGraphClient       *client,
                                              TbPrincipalEdit     *edit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TbChange *tb_principal_editor_preview_finish (TbGraphClient       *client,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
