/* tb-http.c: the one way core services talk HTTP (session, bounded reads, redacted logging)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* Also the wire trace's domain: the redacted requests and replies are messages under it. */
#define G_LOG_DOMAIN "TrustBridge-http"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-dl-soup.h"
#include "tb-http.h"
#include "tb-json.h"

#define REDACTED "[REDACTED]"
#define READ_CHUNK 65536
/* Largest body the HTTP log keeps for redaction (the Graph client reads at most 16 MiB). */
#define LOG_BODY_KEPT (16 * 1024 * 1024)

G_DEFINE_QUARK (tb-http-error-quark, tb_http_error)

/* Values that are secrets wherever they appear as a form/query parameter or a JSON member. */
static const char * const secret_names[] = {
  "access_token", "refresh_token", "id_token", "code", "code_verifier", "device_code",
  "password", "client_secret", "assertion", "key", "secretText", "client_assertion",
  NULL
};

/* Headers whose whole value is a credential, whatever the scheme. */
static const char * const secret_headers[] = {
  "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", NULL
};

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-' || c == '.';
}

/* Length of the secret name at @p followed by @terminator, or 0. */
static gsize
match_secret_name (const char *p,
                   char        terminator)
{
  for (guint i = 0; secret_names[i]; i++)
    {
      gsize len = strlen (secret_names[i]);

      if (g_ascii_strncasecmp (p, secret_names[i], len) == 0 && p[len] == terminator)
        return len;
    }

  return 0;
}

char *
tb_http_redact (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  /* A header line: "Name: value" */
  for (guint i = 0; secret_headers[i]; i++)
    {
      gsize len = strlen (secret_headers[i]);

      if (g_ascii_strncasecmp (text, secret_headers[i], len) == 0 && text[len] == ':')
        return g_strdup_printf ("%.*s: " REDACTED, (int) len, text);
    }

  out = g_string_sized_new (strlen (text));
  p = text;

  while (*p)
    {
      gsize len;

      /* JSON member: "name" : "value" */
      if (*p == '"' && (len = match_secret_name (p + 1, '"')) > 0)
        {
          const char *q = p + 1 + len + 1;

          while (*q == ' ' || *q == '\t')
            q++;
          if (*q == ':')
            {
              q++;
              while (*q == ' ' || *q == '\t')
                q++;
              if (*q == '"')
                {
                  g_string_append_len (out, p, q + 1 - p);
                  g_string_append (out, REDACTED);
                  q++;
                  while (*q && *q != '"')
                    {
                      if (*q == '\\' && q[1])
                        q++;
                      q++;
                    }
                  p = q;   /* the closing quote, if any, is copied as ordinary text */
                  continue;
                }
            }
        }

      /* Form or query parameter: name=value, at the start or after a separator */
      if ((p == text || strchr ("&?; \t", p[-1]) != NULL || p[-1] == '"')
          && (len = match_secret_name (p, '=')) > 0)
        {
          const char *q = p + len + 1;

          g_string_append_len (out, p, len + 1);
          g_string_append (out, REDACTED);
          while (*q && strchr ("& \t\"#", *q) == NULL)
            q++;
          p = q;
          continue;
        }

      /* Skip whole names so "user_code=" never matches "code=" from its middle */
      if (is_name_char (*p))
        {
          while (is_name_char (*p))
            g_string_append_c (out, *p++);
          continue;
        }

      g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* Body redaction: structural, by where a member sits */

/* JSON members whose value is a secret wherever they sit. */
static const char * const secret_members_anywhere[] = {
  "access_token", "refresh_token", "id_token", "code_verifier", "device_code", "password",
  "client_secret", "client_assertion", "assertion", "secretText", NULL
};

/* Form parameters (OAuth requests) that carry secrets. */
static const char * const secret_form_names[] = {
  "access_token", "refresh_token", "id_token", "code", "code_verifier", "device_code",
  "password", "client_secret", "client_assertion", "assertion", NULL
};

static gboolean
name_in (const char         *name,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether member @name of an object is a secret. @container is the member name the object
 * (or the array holding it) sits under, NULL at the top. "code" is the OAuth authorization
 * code only at the top of a document: Graph's error.code (Authorization_RequestDenied) is
 * what support needs. "key" is a certificate only inside keyCredential(s). */
static gboolean
is_secret_member (const char *name,
                  const char *container)
{
  if (name_in (name, secret_members_anywhere))
    return TRUE;
  if (container == NULL)
    return g_ascii_strcasecmp (name, "code") == 0 || g_ascii_strcasecmp (name, "proof") == 0;
  if (g_ascii_strcasecmp (name, "key") == 0)
    return g_ascii_strcasecmp (container, "keyCredentials") == 0 ||
           g_ascii_strcasecmp (container, "keyCredential") == 0;
  return FALSE;
}

static void
redact_node (JsonNode   *node,
             const char *container)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      /* json-glib 1.6's generator writes 1e999 (infinity) as "inf" and 8e41 as "8e+41.0":
       * neither is JSON. Such numbers are logged as text. */
      g_ascii_dtostr (text, sizeof text, value);
      if (!isfinite (value))
        json_node_set_string (node, "[number out of range]");
      else if (strchr (text, '.') == NULL && strpbrk (text, "eE") != NULL)
        json_node_set_string (node, text);
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      /* Elements sit under the array's member name (keyCredentials[i].key). */
      for (guint i = 0; i < json_array_get_length (array); i++)
        redact_node (json_array_get_element (array, i), container);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *child = json_object_get_member (object, name);

          if (is_secret_member (name, container) && !JSON_NODE_HOLDS_NULL (child))
            json_object_set_string_member (object, name, REDACTED);
          else
            redact_node (child, name);
        }
    }
}

static char *
redact_json_body (const char *body,
                  gsize       len)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* The same strict gate as every reply: the walk below recurses, bounded by the depth. The
   * tree is parsed mutable, as the walk rewrites it. */
  root = tb_json_parse_mutable (body, len, TB_JSON_MAX_DEPTH, NULL);
  if (root == NULL)
    return NULL;

  redact_node (root, NULL);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
redact_form_body (const char *body,
                  gsize       len)
{
  static const char form_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%+=&._~*-";
  g_autofree char *text = g_strndup (body, len);
  g_auto(GStrv) pairs = NULL;
  GString *out;

  /* application/x-www-form-urlencoded escapes everything else; a body with other bytes is
   * not a form. */
  if (len == 0 || strspn (text, form_chars) != len || strchr (text, '=') == NULL)
    return NULL;

  out = g_string_new (NULL);
  pairs = g_strsplit (text, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *raw_name = g_strndup (pairs[i], eq != NULL ? (gsize) (eq - pairs[i])
                                                                   : strlen (pairs[i]));
      g_autofree char *name = NULL;

      g_strdelimit (raw_name, "+", ' ');
      name = g_uri_unescape_string (raw_name, NULL);
      if (name == NULL)
        {
          /* A name we cannot read could be a secret's. */
          g_string_free (out, TRUE);
          return NULL;
        }
      if (i > 0)
        g_string_append_c (out, '&');
      if (eq != NULL && name_in (name, secret_form_names))
        g_string_append_printf (out, "%.*s=" REDACTED, (int) (eq - pairs[i]), pairs[i]);
      else
        g_string_append (out, pairs[i]);
    }

  return g_string_free (out, FALSE);
}

char *
tb_http_redact_body (const char *body,
                     gsize       len)
{
  gsize start = 0;
  gsize end = len;
  char *out;

  g_return_val_if_fail (body != NULL || len == 0, NULL);

  while (start < end && g_ascii_isspace (body[start]))
    start++;
  while (end > start && g_ascii_isspace (body[end - 1]))
    end--;
  if (start == end)
    return g_strdup ("");

  out = redact_json_body (body + start, end - start);
  if (out == NULL)
    out = redact_form_body (body + start, end - start);

  if (out == NULL)
    out = g_strdup_printf ("[REDACTED: %" G_GSIZE_FORMAT " bytes neither JSON nor a form]",
                           len);
  return out;
}

/* libsoup's logger prints a body as lines of level BODY right after the headers, and a line of
 * another level after it. The lines are gathered and redacted as one body. */
typedef struct
{
  GMutex   lock;
  GString *body;
  char     direction;
} LogState;

static void
log_state_free (gpointer data)
{
  LogState *state = data;

  if (state->body != NULL)
    g_string_free (state->body, TRUE);
  g_mutex_clear (&state->lock);
  g_free (state);
}

#define LOG_BODY_SHOWN (64 * 1024)

static void
flush_body (LogState *state)
{
  g_autofree char *redacted = NULL;
  g_auto(GStrv) lines = NULL;
  gsize shown = 0;

  if (state->body == NULL)
    return;

  redacted = tb_http_redact_body (state->body->str, state->body->len);
  g_string_free (g_steal_pointer (&state->body), TRUE);

  lines = g_strsplit (redacted, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (shown > LOG_BODY_SHOWN)
        {
          g_message ("%c [...]", state->direction);
          break;
        }
      g_message ("%c %s", state->direction, lines[i]);
      shown += strlen (lines[i]) + 1;
    }
}

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  LogState *state = user_data;
  g_autofree char *redacted = NULL;

  g_mutex_lock (&state->lock);

  if (level == SOUP_LOGGER_LOG_BODY)
    {
      if (state->body != NULL && state->direction != direction)
        flush_body (state);
      if (state->body == NULL)
        {
          state->body = g_string_new (NULL);
          state->direction = direction;
        }
      g_string_append (state->body, data);
      g_string_append_c (state->body, '\n');
      g_mutex_unlock (&state->lock);
      return;
    }

  flush_body (state);
  g_mutex_unlock (&state->lock);

  redacted = tb_http_redact (data);
  g_message ("%c %s", direction, redacted);
}

static gboolean
http_debug_enabled (void)
{
  const char *debug = g_getenv ("TB_DEBUG");

  if (debug == NULL)
    return FALSE;

  /* Accept "http", "http,graph", "all"… */
  return strstr (debug, "http") != NULL || strstr (debug, "all") != NULL;
}

SoupSession *
tb_http_session_new (void)
{
  SoupSession *session;

  /* A generous I/O timeout: Graph $batch replies can take a while, a dead peer must not hang
   * an operation forever. */
  session = soup_session_new_with_options ("user-agent", "TrustBridge/" PACKAGE_VERSION,
                                           "timeout", 60,
                                           "idle-timeout", 60,
                                           NULL);

  if (http_debug_enabled ())
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);
      LogState *state = g_new0 (LogState, 1);

      /* Bodies are gathered whole and redacted by their structure; a body cut short would
       * not parse and be hidden entirely, so libsoup keeps all of it (up to the largest reply
       * any client reads) and only the redacted text is shortened for the log. */
      g_mutex_init (&state->lock);
      soup_logger_set_max_body_size (logger, LOG_BODY_KEPT);
      soup_logger_set_printer (logger, log_printer, state, log_state_free);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }

  return session;
}

/* Bounded send-and-read */

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *data;
  gsize         max_size;
  int           io_priority;
} ReadData;

static void
read_data_free (ReadData *rd)
{
  g_clear_object (&rd->msg);
  g_clear_object (&rd->stream);
  g_clear_pointer (&rd->data, g_byte_array_unref);
  g_free (rd);
}

static void read_next (GTask *task);

/* Closing a reply's stream reads the rest of the body so the connection can be reused: for an
 * endless (or merely huge) body that never ends. A close with a cancelled cancellable drops the
 * connection instead. */
static void
abandon_stream (ReadData *rd)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_cancellable_cancel (cancelled);
  g_input_stream_close_async (rd->stream, rd->io_priority, cancelled, NULL, NULL);
}

/* The reply is over the caller's bound: the rest is not read, and the connection goes. */
static void
return_too_large (GTask    *task,
                  ReadData *rd)
{
  abandon_stream (rd);
  g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE,
                           _("The server’s reply is larger than %zu bytes."), rd->max_size);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A failed close only costs the connection (libsoup drops it instead of pooling it); the
   * body was read whole, so the read still succeeds. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_debug ("Closing a reply's stream failed: %s", error->message);
  g_task_return_pointer (task,
                         g_byte_array_free_to_bytes (g_steal_pointer (&rd->data)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
on_chunk_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *rd = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      /* The body is complete. The read completes only after the stream is closed, so none
       * of this message's I/O is still pending when the caller sends its next request on the
       * same connection, or drops the session. */
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_input_stream_close_async (rd->stream, rd->io_priority, cancellable, on_closed,
                                  g_steal_pointer (&task));
      return;
    }

  if (rd->data->len + g_bytes_get_size (chunk) > rd->max_size)
    {
      return_too_large (task, rd);
      return;
    }

  g_byte_array_append (rd->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  ReadData *rd = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (rd->stream, READ_CHUNK, rd->io_priority,
                                   g_task_get_cancellable (task), on_chunk_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *rd = g_task_get_task_data (task);
  SoupMessage *msg;
  GError *error = NULL;
  goffset length;

  rd->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (rd->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Refuse early when the server announces too much. */
  msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  length = msg != NULL
           ? soup_message_headers_get_content_length (soup_message_get_response_headers (msg))
           : 0;
  if (length > 0 && (guint64) length > rd->max_size)
    {
      return_too_large (task, rd);
      return;
    }

  read_next (g_steal_pointer (&task));
}

void
tb_http_send_and_read_async (SoupSession         *session,
                             SoupMessage         *msg,
                             gsize                max_size,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *rd;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_http_send_and_read_async);
  rd = g_new0 (ReadData, 1);
  rd->msg = g_object_ref (msg);
  rd->data = g_byte_array_new ();
  rd->max_size = max_size;
  rd->io_priority = io_priority;
  g_task_set_task_data (task, rd, (GDestroyNotify) read_data_free);

  soup_session_send_async (session, msg, io_priority, cancellable, on_sent,
                           g_steal_pointer (&task));
}

GBytes *
tb_http_send_and_read_finish (SoupSession   *session,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_http_send_and_read_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

SoupMessage *
tb_http_send_and_read_get_message (GAsyncResult *result)
{
  ReadData *rd;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_http_send_and_read_async,
                        NULL);

  rd = g_task_get_task_data (G_TASK (result));
  return rd->msg;
}

JsonObject *
tb_http_parse_json_object (GBytes  *body,
                           gsize    max_size,
                           GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize len;

  if (body == NULL)
    {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                   _("The server sent an empty reply."));
      return NULL;
    }

  data = g_bytes_get_data (body, &len);
  if (len > max_size)
    {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE,
                   _("The server’s reply is larger than %zu bytes."), max_size);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                   _("The server sent an empty reply."));
      return NULL;
    }
  /* Strict JSON only, nesting counted before json-glib (which recurses) sees it. */
  root = tb_json_parse (data, len, TB_JSON_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      g_debug ("Reply is not JSON: %s", local_error->message);
      if (g_error_matches (local_error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP))
        g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                     _("The server’s reply is nested too deeply."));
      else
        g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                     _("The server’s reply is not valid JSON."));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                   _("The server’s reply is not a JSON object."));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

SoupMessage *
tb_http_new_form_post (const char *uri,
                       GHashTable *form)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (form != NULL, NULL);

  return soup_message_new_from_encoded_form ("POST", uri,
                                             soup_form_encode_hash (form));
}

GError *
tb_http_send_error_new (const GError *error,
                        GQuark        domain,
                        int           code,
                        const char   *format,
                        ...)
{
  va_list args;
  GError *wrapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE))
    return g_error_copy (error);

  va_start (args, format);
  wrapped = g_error_new_valist (domain, code, format, args);
  va_end (args);
  return wrapped;
}
