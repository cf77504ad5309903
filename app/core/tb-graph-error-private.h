/* tb-graph-error-private.h: building TB_GRAPH_ERROR values with Graph's code and request-id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-graph-client.h"

G_BEGIN_DECLS

/* @graph_code and @request_id may be NULL. @message is shown to the admin as is. */
GError *tb_graph_error_new_full (TbGraphError  code,
                                 const char   *graph_code,
                                 const char   *request_id,
                                 const char   *message);

G_END_DECLS
