/* tb-graph-client.h: Microsoft Graph v1.0 over one SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define TB_GRAPH_ERROR (tb_graph_error_quark ())

typedef enum
{
  TB_GRAPH_ERROR_NOT_FOUND,          /* 404, or an appId with no principal in the tenant */
  TB_GRAPH_ERROR_FORBIDDEN,          /* 403 Authorization_RequestDenied */
  TB_GRAPH_ERROR_CONFLICT,           /* 409, e.g. Request_MultipleObjectsWithSameKeyValue */
  TB_GRAPH_ERROR_BAD_REQUEST,        /* 400: validation, with Graph's code and message */
  TB_GRAPH_ERROR_THROTTLED,          /* 429/503 still after the allowed retries */
  TB_GRAPH_ERROR_SERVER,             /* other 5xx */
  TB_GRAPH_ERROR_BAD_REPLY,          /* malformed, oversized or wrongly typed JSON */
  TB_GRAPH_ERROR_UNAUTHORIZED,       /* 401 after one refresh: sign in again */
  TB_GRAPH_ERROR_VERIFY_FAILED,      /* read-back differs from what was written */
  TB_GRAPH_ERROR_UNAVAILABLE,        /* 503/504 without Retry-After, after the allowed retries */
  TB_GRAPH_ERROR_CHANGED,            /* the principal changed since the admin approved a change */
} TbGraphError;

GQuark      tb_graph_error_quark         (void);
/* Graph's own error code ("Request_BadRequest"…) and request-id, carried beside a GError
 * in TB_GRAPH_ERROR; NULL when the error did not come from a Graph error body. */
const char *tb_graph_error_get_code       (const GError *error);
const char *tb_graph_error_get_request_id (const GError *error);

/* Whether a second try may succeed where @error failed: 503/504 without Retry-After, a dropped
 * connection, a reply cut short or unreadable as HTTP. A write that failed so may or may not
 * have been applied: read again before deciding. */
gboolean    tb_graph_error_is_transient   (const GError *error);

/* Percent-escapes a value for a URL path segment or an OData string literal ('' doubled). */
char       *tb_graph_escape_literal      (const char *value);

#define TB_TYPE_GRAPH_CLIENT (tb_graph_client_get_type ())
G_DECLARE_FINAL_TYPE (TbGraphClient, tb_graph_client, TB, GRAPH_CLIENT, GObject)

TbGraphClient *tb_graph_client_new        (TbCloud       *cloud,
                                           TbAuth        *auth,
                                           SoupSession   *session);

/* Number of requests sent again after a transient failure (see tb_graph_error_is_transient),
 * so that results can say a retry happened. */
guint          tb_graph_client_get_retry_count   (TbGraphClient *self);

/* One request: @path relative to /v1.0 ("servicePrincipals(appId='…')?$select=…"),
 * @body may be NULL. Retries 429/503 honouring Retry-After (fractional too), exponential
 * back-off with jitter otherwise, bounded; on 401 refreshes the token once. Reads (GET, and
 * a read-only $batch) are also sent again after a transient failure; writes are not, since
 * they may have been applied: the caller reads and decides. Returns the reply JSON (NULL node
 * for 204). */
void           tb_graph_client_request_async  (TbGraphClient       *self,
                                               const char          *method,
                                               const char          *path,
                                               JsonNode            *body,
                                               TbAuthAccess         access,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonNode      *tb_graph_client_request_finish (TbGraphClient       *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* One page of a collection: @path_or_link is a path relative to /v1.0 or an @odata.nextLink
 * (absolute, refused unless it is on this cloud's Graph host). @eventual sends
 * "ConsistencyLevel: eventual" (needed for $count). The page object holds an array "value";
 * the caller follows "@odata.nextLink" itself, so it can hold one page at a time. */
void           tb_graph_client_get_page_async  (TbGraphClient       *self,
                                                const char          *path_or_link,
                                                gboolean             eventual,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonObject    *tb_graph_client_get_page_finish (TbGraphClient       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Service principal by appId with its keys (single-object $select read, so `key` is filled).
 * TB_GRAPH_ERROR_NOT_FOUND when the tenant has none. */
void                tb_graph_client_get_service_principal_async  (TbGraphClient *self,
                                                                  const char    *app_id,
                                                                  GCancellable  *cancellable,
                                                                  GAsyncReadyCallback callback,
                                                                  gpointer       user_data);
TbServicePrincipal *tb_graph_client_get_service_principal_finish (TbGraphClient *self,
                                                                  GAsyncResult  *result,
                                                                  GError       **error);

/* PATCH servicePrincipals/{@object_id} with @patch (write access). The caller builds @patch
 * with the whole collections it replaces (see tb-credential-merge.h). */
void                tb_graph_client_update_service_principal_async  (TbGraphClient *self,
                                                                     const char    *object_id,
                                                                     JsonObject    *patch,
                                                                     GCancellable  *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer       user_data);
gboolean            tb_graph_client_update_service_principal_finish (TbGraphClient *self,
                                                                     GAsyncResult  *result,
                                                                     GError       **error);

/* Everything a page shows in one $batch (chunks of 20, per-item retry): the organization and
 * each appId's principal with keys. The result holds NULL for an appId with no principal. */
typedef struct
{
  JsonObject *organization;          /* value[0] of GET /organization, or NULL */
  GHashTable *principals;            /* appId → TbServicePrincipal (absent: not in tenant) */
} TbGraphSnapshot;

void             tb_graph_snapshot_free (TbGraphSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbGraphSnapshot, tb_graph_snapshot_free)

void             tb_graph_client_snapshot_async  (TbGraphClient       *self,
                                                  const char * const  *app_ids,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
TbGraphSnapshot *tb_graph_client_snapshot_finish (TbGraphClient       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
