/* tb-http.c: the one way core services talk HTTP (session, bounded reads, redacted logging)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-http.h"

#define TB_HTTP_LOG_DOMAIN "TrustBridge-http"
#define REDACTED "[REDACTED]"
#define READ_CHUNK 65536
#define MAX_JSON_DEPTH 64

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

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  g_autofree char *redacted = tb_http_redact (data);

  g_log (TB_HTTP_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%c %s", direction, redacted);
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

      /* Bodies are printed whole (split at newlines), so a secret is never cut in two;
       * the size cap keeps a 1,500-principal listing readable. */
      soup_logger_set_max_body_size (logger, 64 * 1024);
      soup_logger_set_printer (logger, log_printer, NULL, NULL);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }

  return session;
}

/* Bounded send-and-read */

typedef struct
{
  GInputStream *stream;
  GByteArray   *data;
  gsize         max_size;
  int           io_priority;
} ReadData;

static void
read_data_free (ReadData *rd)
{
  g_clear_object (&rd->stream);
  g_clear_pointer (&rd->data, g_byte_array_unref);
  g_free (rd);
}

static void read_next (GTask *task);

static void
read_cb (GObject      *source,
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
      /* Close in the background; the body is complete. */
      g_input_stream_close_async (rd->stream, rd->io_priority, NULL, NULL, NULL);
      g_task_return_pointer (task,
                             g_byte_array_free_to_bytes (g_steal_pointer (&rd->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (rd->data->len + g_bytes_get_size (chunk) > rd->max_size)
    {
      g_input_stream_close_async (rd->stream, rd->io_priority, NULL, NULL, NULL);
      g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE,
                               _("The server’s reply is larger than %zu bytes."),
                               rd->max_size);
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
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
send_cb (GObject      *source,
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
  length = msg ? soup_message_headers_get_content_length (soup_message_get_response_headers (msg)) : 0;
  if (length > 0 && (guint64) length > rd->max_size)
    {
      g_input_stream_close_async (rd->stream, rd->io_priority, NULL, NULL, NULL);
      g_task_return_new_error (task, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE,
                               _("The server’s reply is larger than %zu bytes."),
                               rd->max_size);
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
  rd->data = g_byte_array_new ();
  rd->max_size = max_size;
  rd->io_priority = io_priority;
  g_task_set_task_data (task, rd, (GDestroyNotify) read_data_free);

  soup_session_send_async (session, msg, io_priority, cancellable, send_cb,
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

/* json-glib recurses without a limit; a hostile reply of nested brackets must not reach it. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }

  return TRUE;
}

JsonObject *
tb_http_parse_json_object (GBytes  *body,
                           gsize    max_size,
                           GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;
  JsonNode *root;

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
  if (!json_depth_ok (data, len))
    {
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                   _("The server’s reply is nested too deeply."));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_debug ("Reply is not JSON: %s", local_error->message);
      g_set_error (error, TB_HTTP_ERROR, TB_HTTP_ERROR_BAD_JSON,
                   _("The server’s reply is not valid JSON."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
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

  return soup_message_new_from_encoded_form (SOUP_METHOD_POST, uri,
                                             soup_form_encode_hash (form));
}

const char *
tb_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
tb_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node;
  GType type;

  if (object == NULL || (node = json_object_get_member (object, member)) == NULL)
    return fallback;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (type == G_TYPE_STRING)
    {
      /* Azure AD v1 endpoints send numbers as strings ("expires_in": "3599"). */
      guint64 value;

      if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT32,
                                      &value, NULL))
        return (gint64) value;
    }

  return fallback;
}

JsonNode *
tb_json_get_member_ci (JsonObject *object,
                       const char *member)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return NULL;

  if ((node = json_object_get_member (object, member)) != NULL)
    return node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_ascii_strcasecmp (name, member) == 0)
        return node;
    }

  return NULL;
}
