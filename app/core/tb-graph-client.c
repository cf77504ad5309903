/* tb-graph-client.c: Microsoft Graph v1.0 over one SoupSession
 *
 * Shaped after evolution-ews' e-m365-connection.c, made asynchronous: every request goes
 * through one path that fetches a token, sends, bounds the reply, retries throttling and
 * maps errors once. libsoup is used from the main thread only; waits are GSources.
 *
 * This file holds the object, the error mapping, the waits and that one request path;
 * listings and single principals are in tb-graph-client-principals.c, $batch and snapshots
 * in tb-graph-client-batch.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-graph-client"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-dl-soup.h"
#include "tb-graph-client.h"
#include "tb-graph-client-private.h"
#include "tb-graph-error-private.h"
#include "tb-http.h"
#include "tb-secret.h"

/* Graph pages are a few hundred kilobytes; a reply beyond this is not one of them. */
#define MAX_REPLY_SIZE          (16 * 1024 * 1024)
/* Back-off without Retry-After: 200 ms, 400 ms, 800 ms… each with ±50 % jitter. */
#define BACKOFF_BASE_US         (200 * 1000)

G_DEFINE_FINAL_TYPE (TbGraphClient, tb_graph_client, G_TYPE_OBJECT)

static void
tb_graph_client_finalize (GObject *object)
{
  TbGraphClient *self = TB_GRAPH_CLIENT (object);

  g_clear_object (&self->cloud);
  g_clear_object (&self->auth);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tb_graph_client_parent_class)->finalize (object);
}

static void
tb_graph_client_class_init (TbGraphClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_graph_client_finalize;
}

static void
tb_graph_client_init (TbGraphClient *self)
{
}

TbGraphClient *
tb_graph_client_new (TbCloud     *cloud,
                     TbAuth      *auth,
                     SoupSession *session)
{
  TbGraphClient *self;

  g_return_val_if_fail (TB_IS_CLOUD (cloud), NULL);
  g_return_val_if_fail (TB_IS_AUTH (auth), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (TB_TYPE_GRAPH_CLIENT, NULL);
  self->cloud = g_object_ref (cloud);
  self->auth = g_object_ref (auth);
  self->session = g_object_ref (session);
  return self;
}

guint
tb_graph_client_get_request_count (TbGraphClient *self)
{
  g_return_val_if_fail (TB_IS_GRAPH_CLIENT (self), 0);
  return self->request_count;
}

guint
tb_graph_client_get_retry_count (TbGraphClient *self)
{
  g_return_val_if_fail (TB_IS_GRAPH_CLIENT (self), 0);
  return self->retry_count;
}

char *
tb_graph_escape_literal (const char *value)
{
  g_autoptr(GString) doubled = g_string_new (NULL);

  g_return_val_if_fail (value != NULL, NULL);

  for (const char *p = value; *p; p++)
    {
      g_string_append_c (doubled, *p);
      if (*p == '\'')
        g_string_append_c (doubled, '\'');
    }
  /* Everything but unreserved characters is escaped, "'" and "/" included. */
  return g_uri_escape_string (doubled->str, NULL, TRUE);
}

/* ------------------------------------------------------------------------------------ */
/* Errors */

static TbGraphError
error_code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_NOT_FOUND:
      return TB_GRAPH_ERROR_NOT_FOUND;
    case SOUP_STATUS_FORBIDDEN:
      return TB_GRAPH_ERROR_FORBIDDEN;
    case SOUP_STATUS_CONFLICT:
      return TB_GRAPH_ERROR_CONFLICT;
    case SOUP_STATUS_UNAUTHORIZED:
      return TB_GRAPH_ERROR_UNAUTHORIZED;
    case STATUS_TOO_MANY_REQUESTS:
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return TB_GRAPH_ERROR_THROTTLED;
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      return TB_GRAPH_ERROR_UNAVAILABLE;
    default:
      return status >= 500 ? TB_GRAPH_ERROR_SERVER : TB_GRAPH_ERROR_BAD_REQUEST;
    }
}

/* Graph's {"error":{"code","message","innerError":{"request-id"}}} → GError, for a status
 * that is not a success. @body may be NULL or anything. A 503 without Retry-After is an
 * outage, not throttling: @unavailable. */
static GError *
error_from_reply_full (guint       status,
                       gboolean    unavailable,
                       JsonObject *body,
                       const char *header_request_id)
{
  JsonObject *err = tb_json_get_object_ci (body, "error");
  JsonObject *inner = tb_json_get_object_ci (err, "innerError");
  const char *code = tb_json_get_string (err, "code");
  const char *message = tb_json_get_string (err, "message");
  const char *request_id = tb_json_get_string (inner, "request-id");
  g_autofree char *text = NULL;

  TbGraphError domain_code = unavailable ? TB_GRAPH_ERROR_UNAVAILABLE : error_code_for_status (status);

  if (request_id == NULL)
    request_id = header_request_id;

  switch (domain_code)
    {
    case TB_GRAPH_ERROR_UNAUTHORIZED:
      text = g_strdup (_("Microsoft Graph no longer accepts this sign-in. Sign in again."));
      break;
    case TB_GRAPH_ERROR_THROTTLED:
      text = g_strdup (_("Microsoft Graph is throttling requests and still refused after several "
                         "attempts. Try again in a few minutes."));
      break;
    case TB_GRAPH_ERROR_UNAVAILABLE:
      text = g_strdup_printf (_("Microsoft Graph is temporarily unavailable (HTTP %u). Try again "
                                "in a few minutes."), status);
      break;
    default:
      if (message != NULL && code != NULL)
        text = g_strdup_printf (_("Microsoft Graph refused the request: %s (%s, HTTP %u)."),
                                message, code, status);
      else
        text = g_strdup_printf (_("Microsoft Graph refused the request with HTTP status %u."), status);
      break;
    }

  g_debug ("Graph error %u code=%s request-id=%s", status, code ? code : "-",
           request_id ? request_id : "-");
  return tb_graph_error_new_full (domain_code, code, request_id, text);
}

GError *
_tb_graph_error_from_reply (guint       status,
                            JsonObject *body,
                            const char *header_request_id)
{
  return error_from_reply_full (status, FALSE, body, header_request_id);
}

gboolean
tb_graph_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain == TB_GRAPH_ERROR)
    return error->code == TB_GRAPH_ERROR_UNAVAILABLE;
  /* A connection dropped before or during the reply ("Connection terminated unexpectedly"),
   * or a reply that is not HTTP ("Could not parse HTTP response"). A refused connection or a
   * timeout is not retried: nothing is listening, or waiting again would only double it. */
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_PARTIAL_INPUT || error->code == G_IO_ERROR_CONNECTION_CLOSED ||
           error->code == G_IO_ERROR_BROKEN_PIPE;
  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING;
  return FALSE;
}

GError *
_tb_graph_bad_reply (const char *detail)
{
  g_autofree char *text = g_strdup_printf (_("Microsoft Graph sent a reply that cannot be used: %s"),
                                           detail);
  return tb_graph_error_new_full (TB_GRAPH_ERROR_BAD_REPLY, NULL, NULL, text);
}

/* ------------------------------------------------------------------------------------ */
/* Cancellable waits on the task's main context */

typedef struct
{
  GSource *timeout;
  GSource *cancel;
} SleepData;

static void
sleep_data_clear (SleepData *sd)
{
  if (sd->timeout != NULL)
    {
      g_source_destroy (sd->timeout);
      g_clear_pointer (&sd->timeout, g_source_unref);
    }
  if (sd->cancel != NULL)
    {
      g_source_destroy (sd->cancel);
      g_clear_pointer (&sd->cancel, g_source_unref);
    }
}

static void
sleep_data_free (SleepData *sd)
{
  sleep_data_clear (sd);
  g_free (sd);
}

static gboolean
on_sleep_timeout (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);

  sleep_data_clear (g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
on_sleep_cancel (GCancellable *cancellable,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);

  sleep_data_clear (g_task_get_task_data (task));
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

void
_tb_graph_sleep_async (gpointer             source_object,
                       gint64               microseconds,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  SleepData *sd = g_new0 (SleepData, 1);
  GMainContext *context = g_task_get_context (task);

  g_task_set_source_tag (task, _tb_graph_sleep_async);
  g_task_set_task_data (task, sd, (GDestroyNotify) sleep_data_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  sd->timeout = g_timeout_source_new (MAX (0, microseconds / 1000));
  g_source_set_callback (sd->timeout, on_sleep_timeout, g_object_ref (task), g_object_unref);
  g_source_attach (sd->timeout, context);

  if (cancellable != NULL)
    {
      sd->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (sd->cancel, G_SOURCE_FUNC (on_sleep_cancel), g_object_ref (task),
                             g_object_unref);
      g_source_attach (sd->cancel, context);
    }
}

gboolean
_tb_graph_sleep_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GTask  *task;
  void  (*next) (GTask *task);
} SleepThen;

static void
on_slept (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SleepThen *then = user_data;
  g_autoptr(GTask) task = then->task;
  void (*next) (GTask *task) = then->next;
  GError *error = NULL;

  g_free (then);
  if (!_tb_graph_sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  next (g_steal_pointer (&task));
}

void
_tb_graph_sleep_then (GTask   *task,
                      gint64   microseconds,
                      void   (*next) (GTask *task))
{
  SleepThen *then = g_new0 (SleepThen, 1);

  then->task = task;
  then->next = next;
  _tb_graph_sleep_async (g_task_get_source_object (task), microseconds,
                         g_task_get_cancellable (task), on_slept, then);
}

/* Retry-After in seconds ("2", "2.128") or an HTTP date; -1 when absent or unreadable. */
gint64
_tb_graph_parse_retry_after (const char *value)
{
  char *end = NULL;
  double seconds;

  if (value == NULL)
    return -1;

  seconds = g_ascii_strtod (value, &end);
  if (end != value && end != NULL && *end == '\0' && isfinite (seconds) && seconds >= 0)
    return (gint64) (MIN (seconds, 3600.0) * G_USEC_PER_SEC);

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (when != NULL)
      return MAX (0, g_date_time_difference (when, now));
  }
  return -1;
}

gint64
_tb_graph_backoff_delay (guint attempt)
{
  gint64 base = BACKOFF_BASE_US << MIN (attempt, 8);

  return base / 2 + g_random_int_range (0, (gint32) MIN (base, G_MAXINT32));
}

/* ------------------------------------------------------------------------------------ */
/* One request */

typedef struct
{
  char         *method;
  char         *uri;
  GBytes       *body;
  TbAuthAccess  access;
  char         *token;
  guint         tries;
  gboolean      repeatable;    /* a read: safe to send again after a transient failure */
  gboolean      refreshed;
  gint64        waited;
  /* "ConsistencyLevel: eventual": Graph's advanced queries ($count) need it. */
  gboolean      eventual;
} RequestData;

static void
request_data_free (RequestData *rd)
{
  g_free (rd->method);
  g_free (rd->uri);
  g_clear_pointer (&rd->body, g_bytes_unref);
  tb_secret_free (rd->token);
  g_free (rd);
}

static void request_send (GTask *task);

/* Waits @delay and sends again, unless the bounds are reached. */
/* Sends the request again after @delay, unless that passes the bounds on tries and waiting. */
static gboolean
request_send_after (GTask  *task,
                    gint64  delay)
{
  RequestData *rd = g_task_get_task_data (task);

  if (rd->tries >= MAX_TRIES || rd->waited + delay > MAX_WAIT_US)
    return FALSE;
  rd->waited += delay;
  _tb_graph_sleep_then (g_object_ref (task), delay, request_send);
  return TRUE;
}

static gboolean
request_retry_later (GTask  *task,
                     gint64  delay)
{
  TbGraphClient *self = g_task_get_source_object (task);
  RequestData *rd = g_task_get_task_data (task);

  if (!request_send_after (task, delay))
    return FALSE;
  self->throttled_until = MAX (self->throttled_until, g_get_monotonic_time () + delay);
  g_debug ("Graph throttled %s; retrying in %" G_GINT64_FORMAT " ms", rd->method, delay / 1000);
  return TRUE;
}

/* A read that failed on the way (outage, dropped connection, cut reply) goes again after a
 * back-off with jitter, within the same bounds as throttling. */
static gboolean
request_retry_transient (GTask      *task,
                         const char *why)
{
  TbGraphClient *self = g_task_get_source_object (task);
  RequestData *rd = g_task_get_task_data (task);
  gint64 delay = _tb_graph_backoff_delay (rd->tries - 1);

  if (!request_send_after (task, delay))
    return FALSE;
  self->retry_count++;
  g_debug ("Graph %s failed (%s); retrying in %" G_GINT64_FORMAT " ms", rd->method, why,
           delay / 1000);
  return TRUE;
}

/* Replies from this size on (a page of principals with their credentials) are parsed on a
 * worker thread, so the main loop never stalls on them; smaller ones cost less than the hop. */
#define PARSE_IN_THREAD_SIZE (32 * 1024)

static void
parse_reply_thread (GTask        *parse,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  JsonObject *object = tb_http_parse_json_object (task_data, MAX_REPLY_SIZE, &error);

  if (object == NULL)
    g_task_return_error (parse, error);
  else
    g_task_return_pointer (parse, object, (GDestroyNotify) json_object_unref);
}

static void
on_request_parsed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = g_task_propagate_pointer (G_TASK (result), &error);

  if (object == NULL)
    {
      g_task_return_error (task, _tb_graph_bad_reply (error->message));
      return;
    }
  g_task_return_pointer (task, json_node_init_object (json_node_alloc (), object),
                         (GDestroyNotify) json_node_unref);
}

static void
on_request_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbGraphClient *self = g_task_get_source_object (task);
  RequestData *rd = g_task_get_task_data (task);
  SoupMessage *msg = tb_http_send_and_read_get_message (result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  gboolean unavailable = FALSE;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE))
        g_task_return_error (task, _tb_graph_bad_reply (error->message));
      else if (rd->repeatable && tb_graph_error_is_transient (error) &&
               request_retry_transient (task, error->message))
        return;
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (status == SOUP_STATUS_NO_CONTENT || g_bytes_get_size (body) == 0)
        {
          g_task_return_pointer (task, NULL, NULL);
          return;
        }
      if (g_bytes_get_size (body) >= PARSE_IN_THREAD_SIZE)
        {
          g_autoptr(GTask) parse = g_task_new (NULL, NULL, on_request_parsed,
                                               g_steal_pointer (&task));

          g_task_set_source_tag (parse, parse_reply_thread);
          g_task_set_task_data (parse, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
          g_task_run_in_thread (parse, parse_reply_thread);
          return;
        }
      object = tb_http_parse_json_object (body, MAX_REPLY_SIZE, &error);
      if (object == NULL)
        {
          g_task_return_error (task, _tb_graph_bad_reply (error->message));
          return;
        }
      g_task_return_pointer (task, json_node_init_object (json_node_alloc (), object),
                             (GDestroyNotify) json_node_unref);
      return;
    }

  /* An error body is optional and may be anything: only use it when it parses. */
  object = tb_http_parse_json_object (body, MAX_REPLY_SIZE, NULL);

  if (status == SOUP_STATUS_UNAUTHORIZED && !rd->refreshed)
    {
      /* The token expired or was revoked between issue and use: one refresh, one retry. */
      rd->refreshed = TRUE;
      tb_auth_invalidate_token (self->auth, rd->token);
      request_send (g_steal_pointer (&task));
      return;
    }

  if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
      status == SOUP_STATUS_GATEWAY_TIMEOUT)
    {
      gint64 delay = _tb_graph_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));

      if (delay >= 0 || status == STATUS_TOO_MANY_REQUESTS)
        {
          /* Throttling: the request was refused, not run, so it may always go again. */
          if (delay < 0)
            delay = _tb_graph_backoff_delay (rd->tries - 1);
          if (request_retry_later (task, delay))
            return;
        }
      else
        {
          g_autofree char *why = g_strdup_printf ("HTTP %u", status);

          /* An outage or a gateway timeout: a write may have been applied all the same. */
          unavailable = TRUE;
          if (rd->repeatable && request_retry_transient (task, why))
            return;
        }
    }

  g_task_return_error (task, error_from_reply_full (status, unavailable, object,
                                                    soup_message_headers_get_one (headers, "request-id")));
}

static void
on_request_token (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbGraphClient *self = g_task_get_source_object (task);
  RequestData *rd = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  tb_autosecret char *authorization = NULL;
  GError *error = NULL;
  char *token;

  token = tb_auth_get_token_finish (TB_AUTH (source), result, &error);
  if (token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  tb_secret_free (rd->token);
  rd->token = token;

  msg = soup_message_new (rd->method, rd->uri);
  if (msg == NULL)
    {
      g_task_return_error (task, _tb_graph_bad_reply (rd->uri));
      return;
    }
  authorization = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (rd->eventual)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "ConsistencyLevel",
                                  "eventual");
  if (rd->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", rd->body);
  /* libsoup sends a POST on a new connection unless told it may be sent again: a read-only
   * $batch may, so the snapshot reuses the session's idle connection like any GET. */
  if (rd->repeatable)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);

  rd->tries++;
  self->request_count++;
  {
    /* Read before the task is stolen: argument order is unspecified. */
    GCancellable *task_cancellable = g_task_get_cancellable (task);
    tb_http_send_and_read_async (self->session, msg, MAX_REPLY_SIZE, G_PRIORITY_DEFAULT,
                                 task_cancellable, on_request_read,
                                 g_steal_pointer (&task));
  }
}

static void
request_send (GTask *task)
{
  TbGraphClient *self = g_task_get_source_object (task);
  RequestData *rd = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();

  /* Another request was told to back off: do not hammer the service meanwhile. */
  if (self->throttled_until > now)
    {
      gint64 delay = self->throttled_until - now;

      self->throttled_until = 0;
      _tb_graph_sleep_then (task, delay, request_send);
      return;
    }

  tb_auth_get_token_async (self->auth, rd->access, g_task_get_cancellable (task),
                           on_request_token, task);
}

void
_tb_graph_client_request_uri_async (TbGraphClient       *self,
                                    const char          *method,
                                    const char          *uri,
                                    JsonNode            *body,
                                    TbAuthAccess         access,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RequestData *rd = g_new0 (RequestData, 1);

  g_task_set_source_tag (task, tb_graph_client_request_async);
  g_task_set_task_data (task, rd, (GDestroyNotify) request_data_free);
  rd->method = g_strdup (method);
  rd->uri = g_strdup (uri);
  rd->access = access;
  /* GET changes nothing; a $batch with read access holds only GETs. */
  rd->repeatable = g_str_equal (method, "GET") ||
                   (g_str_equal (method, "POST") && access == TB_AUTH_ACCESS_READ &&
                    g_str_has_suffix (uri, "/$batch"));

  /* The token goes to this cloud's Graph host and nowhere else. */
  if (!tb_cloud_is_graph_uri (self->cloud, uri))
    {
      g_autofree char *text = g_strdup_printf (_("Refusing to send a Microsoft Graph request to %s, "
                                                 "which is not this cloud’s Graph host."), uri);
      g_task_return_error (task, tb_graph_error_new_full (TB_GRAPH_ERROR_BAD_REPLY, NULL, NULL, text));
      return;
    }

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length = 0;
      char *data;

      json_generator_set_root (generator, body);
      data = json_generator_to_data (generator, &length);
      rd->body = g_bytes_new_take (data, length);
    }

  request_send (g_steal_pointer (&task));
}

void
tb_graph_client_request_async (TbGraphClient       *self,
                               const char          *method,
                               const char          *path,
                               JsonNode            *body,
                               TbAuthAccess         access,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);

  uri = tb_cloud_graph_uri (self->cloud, path);
  _tb_graph_client_request_uri_async (self, method, uri, body, access, cancellable, callback, user_data);
}

JsonNode *
tb_graph_client_request_finish (TbGraphClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_graph_client_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* One page at a time */

void
tb_graph_client_get_page_async (TbGraphClient       *self,
                                const char          *path_or_link,
                                gboolean             eventual,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RequestData *rd;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (self));
  g_return_if_fail (path_or_link != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_graph_client_get_page_async);
  rd = g_new0 (RequestData, 1);
  g_task_set_task_data (task, rd, (GDestroyNotify) request_data_free);
  rd->method = g_strdup ("GET");
  rd->access = TB_AUTH_ACCESS_READ;
  rd->eventual = eventual;
  /* A next-page link is absolute and followed verbatim, a path is relative to /v1.0. */
  if (g_str_has_prefix (path_or_link, "https://") || g_str_has_prefix (path_or_link, "http://"))
    rd->uri = g_strdup (path_or_link);
  else
    rd->uri = tb_cloud_graph_uri (self->cloud, path_or_link);

  /* The token goes to this cloud's Graph host and nowhere else. */
  if (!tb_cloud_is_graph_uri (self->cloud, rd->uri))
    {
      g_task_return_error (task, _tb_graph_bad_reply (_("a next-page link to another host")));
      return;
    }

  request_send (g_steal_pointer (&task));
}

JsonObject *
tb_graph_client_get_page_finish (TbGraphClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonNode *value;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_graph_client_get_page_async,
                        NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node == NULL)
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, _tb_graph_bad_reply (_("an empty page")));
      return NULL;
    }
  value = json_object_get_member (json_node_get_object (node), "value");
  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    {
      g_propagate_error (error, _tb_graph_bad_reply (_("a page without a “value” list")));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}
