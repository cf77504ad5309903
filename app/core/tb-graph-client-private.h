/* tb-graph-client-private.h: the Graph client instance and the request path its files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-graph-client.h"

G_BEGIN_DECLS

/* Throttling: at most this many sends per request and this much waiting in total. */
#define MAX_TRIES               5
#define MAX_WAIT_US             (60 * G_USEC_PER_SEC)
/* $batch takes at most 20 requests. */
#define BATCH_MAX               20
/* A listing longer than this many pages is a loop, not a tenant. */
#define MAX_PAGES               1000
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

#define SP_SELECT "id,appId,displayName,accountEnabled,servicePrincipalNames,keyCredentials"

struct _TbGraphClient
{
  GObject      parent_instance;

  TbCloud     *cloud;
  TbAuth      *auth;
  SoupSession *session;
  guint        request_count;
  guint        retry_count;
  /* Connection-wide: after a 429 every request waits until then (monotonic µs). */
  gint64       throttled_until;
};

/* Every request goes through here: token, send, bounded reply, retries, one error mapping.
 * @uri must be on this cloud's Graph host. */
void        _tb_graph_client_request_uri_async (TbGraphClient        *self,
                                                const char           *method,
                                                const char           *uri,
                                                JsonNode             *body,
                                                TbAuthAccess          access,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);

GError     *_tb_graph_bad_reply           (const char           *detail);
/* Graph's {"error":{"code","message","innerError":{"request-id"}}} → GError. */
GError     *_tb_graph_error_from_reply    (guint                 status,
                                           JsonObject           *body,
                                           const char           *header_request_id);

/* Cancellable waits on the task's main context. */
void        _tb_graph_sleep_async         (gpointer              source_object,
                                           gint64                microseconds,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean    _tb_graph_sleep_finish        (GAsyncResult         *result,
                                           GError              **error);
/* Waits @microseconds on @task's context and cancellable, then hands @task (whose reference
 * it takes) to @next, or returns the cancellation on it. */
void        _tb_graph_sleep_then          (GTask                *task,
                                           gint64                microseconds,
                                           void                (*next) (GTask *task));
/* Retry-After in seconds ("2", "2.128") or an HTTP date; -1 when absent or unreadable. */
gint64      _tb_graph_parse_retry_after   (const char           *value);
gint64      _tb_graph_backoff_delay       (guint                 attempt);

/* The single-object path of the principal with @app_id (escaped), with the $select that
 * makes Graph return its keys. */
char       *_tb_graph_principal_path      (const char           *app_id);

/* For tests. */
/* Number of HTTP requests sent so far (for the benchmark and tests). */
guint          tb_graph_client_get_request_count (TbGraphClient *self);
/* GET a collection following @odata.nextLink (same Graph host only) until the end. */
void           tb_graph_client_list_async     (TbGraphClient       *self,
                                               const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonArray     *tb_graph_client_list_finish    (TbGraphClient       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
