/* tb-graph-client-edit.h: safe changes to service principals over Graph
 *
 * Every change is: fresh single-object read (keys filled) → merge → read again immediately
 * before the PATCH and merge on that → PATCH only when something has to change → read back →
 * check that nothing the last read held is gone (except what the admin removes) and the change
 * is in place → put back what another writer removed meanwhile, and say so in the result
 * (TbChange.restored). A write that failed on the way is decided by reading again. The preview
 * stops after the first merge and writes nothing (the CLI's --dry-run, the GUI's preview).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-graph-client.h"
#include "tb-principal-edit.h"

G_BEGIN_DECLS

/* The change made (action "none" when it was already in place), with its retries and the
 * entries put back. Errors: TB_GRAPH_ERROR (NOT_FOUND for a principal missing from the
 * tenant, VERIFY_FAILED naming what is still missing after the repairs…), TB_MERGE_ERROR
 * when the change cannot be made safely. */
void      tb_graph_client_apply_edit_async    (TbGraphClient       *client,
                                               TbPrincipalEdit     *edit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TbChange *tb_graph_client_apply_edit_finish   (TbGraphClient       *client,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Like apply, for a change the admin approved in a preview computed on @approved: when the
 * read immediately before the PATCH differs from @approved in what the change touches,
 * nothing is written and the error is TB_GRAPH_ERROR_CHANGED, with *@current (if given)
 * set to the principal as read then, for a new preview. */
void      tb_graph_client_apply_approved_edit_async  (TbGraphClient       *client,
                                                      TbPrincipalEdit     *edit,
                                                      TbServicePrincipal  *approved,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
TbChange *tb_graph_client_apply_approved_edit_finish (TbGraphClient       *client,
                                                      GAsyncResult        *result,
                                                      TbServicePrincipal **current,
                                                      GError             **error);

/* The change that apply would make now, without writing. */
void      tb_graph_client_preview_edit_async  (TbGraphClient       *client,
                                               TbPrincipalEdit     *edit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TbChange *tb_graph_client_preview_edit_finish (TbGraphClient       *client,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
