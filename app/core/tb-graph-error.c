/* tb-graph-error.c: the TB_GRAPH_ERROR domain, extended with Graph's code and request-id
 *
 * An extended error domain keeps the details inside the GError itself, so they survive
 * g_error_copy() and g_task_propagate_error() without a side table keyed by pointers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-graph-error"

#include "config.h"

#include "tb-graph-error-private.h"

typedef struct
{
  char *graph_code;
  char *request_id;
} TbGraphErrorPrivate;

static void
tb_graph_error_private_init (TbGraphErrorPrivate *priv)
{
  priv->graph_code = NULL;
  priv->request_id = NULL;
}

static void
tb_graph_error_private_copy (const TbGraphErrorPrivate *src,
                             TbGraphErrorPrivate       *dest)
{
  dest->graph_code = g_strdup (src->graph_code);
  dest->request_id = g_strdup (src->request_id);
}

static void
tb_graph_error_private_clear (TbGraphErrorPrivate *priv)
{
  g_clear_pointer (&priv->graph_code, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (TbGraphError, tb_graph_error)

GError *
tb_graph_error_new_full (TbGraphError  code,
                         const char   *graph_code,
                         const char   *request_id,
                         const char   *message)
{
  GError *error = g_error_new_literal (TB_GRAPH_ERROR, code, message);
  TbGraphErrorPrivate *priv = tb_graph_error_get_private (error);

  priv->graph_code = g_strdup (graph_code);
  priv->request_id = g_strdup (request_id);

  return error;
}

const char *
tb_graph_error_get_code (const GError *error)
{
  if (error == NULL || error->domain != TB_GRAPH_ERROR)
    return NULL;

  return tb_graph_error_get_private (error)->graph_code;
}

const char *
tb_graph_error_get_request_id (const GError *error)
{
  if (error == NULL || error->domain != TB_GRAPH_ERROR)
    return NULL;

  return tb_graph_error_get_private (error)->request_id;
}
