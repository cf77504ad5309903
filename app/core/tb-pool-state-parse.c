/* tb-pool-state-parse.c: reading a pool state document: JSON members, marker lines, files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document is untrusted input: size and nesting are bounded before json-glib (which
 * recurses) sees it, and every member is type-checked with a message that names it.
 */
#define G_LOG_DOMAIN "TrustBridge-pool-state-parse"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-file-task.h"
#include "tb-json.h"
#include "tb-pool-state.h"
#include "tb-pool-state-private.h"

G_DEFINE_QUARK (tb-pool-state-error-quark, tb_pool_state_error)

/* Parsing */

static gboolean
bad_member (GError     **error,
            const char  *path,
            const char  *expected)
{
  g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MEMBER,
               /* Translators: the first %s is a member path such as “oauthServers[0].realm”,
                * the second what it should be: “a text”, “true or false”, … */
               _("The pool state is damaged: “%s” should be %s."), path, expected);
  return FALSE;
}

/* bad_member() for the member @name of the object at @parent (“oauthServers[0].”, or “” for
 * the document itself). */
static gboolean
bad_child (GError     **error,
           const char  *parent,
           const char  *name,
           const char  *expected)
{
  g_autofree char *path = g_strconcat (parent, name, NULL);

  return bad_member (error, path, expected);
}

/* A string member; NULL when missing or null. */
static gboolean
get_string (JsonObject  *object,
            const char  *parent,
            const char  *name,
            char       **out,
            GError     **error)
{
  const char *value = NULL;

  *out = NULL;
  if (tb_json_member_string (object, name, &value) == TB_JSON_MEMBER_WRONG_TYPE)
    return bad_child (error, parent, name, _("a text"));
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *parent,
          const char  *name,
          TbPoolBool  *out,
          GError     **error)
{
  gboolean value = FALSE;

  *out = TB_POOL_BOOL_UNKNOWN;
  switch (tb_json_member_boolean (object, name, &value))
    {
    case TB_JSON_MEMBER_WRONG_TYPE:
      return bad_child (error, parent, name, _("true or false"));
    case TB_JSON_MEMBER_VALUE:
      *out = value ? TB_POOL_BOOL_TRUE : TB_POOL_BOOL_FALSE;
      return TRUE;
    case TB_JSON_MEMBER_MISSING:
    case TB_JSON_MEMBER_NULL:
    default:
      return TRUE;
    }
}

static gboolean
get_date (JsonObject  *object,
          const char  *parent,
          const char  *name,
          GDateTime  **out,
          GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *text = NULL;

  *out = NULL;
  if (!get_string (object, parent, name, &text, error))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  /* Dates without a zone are taken as UTC, which is what the read script writes. */
  *out = g_date_time_new_from_iso8601 (text, utc);
  if (*out == NULL)
    return bad_child (error, parent, name, _("a date in ISO 8601 form"));
  return TRUE;
}

/* An object member: TRUE with *out NULL when missing, and @presence tells missing from null. */
static gboolean
get_object (JsonObject      *object,
            const char      *name,
            JsonObject     **out,
            TbPoolPresence  *presence,
            GError         **error)
{
  *out = NULL;
  switch (tb_json_member_object (object, name, out))
    {
    case TB_JSON_MEMBER_MISSING:
      *presence = TB_POOL_UNKNOWN;
      return TRUE;
    case TB_JSON_MEMBER_NULL:
      *presence = TB_POOL_ABSENT;
      return TRUE;
    case TB_JSON_MEMBER_VALUE:
      *presence = TB_POOL_PRESENT;
      return TRUE;
    case TB_JSON_MEMBER_WRONG_TYPE:
    default:
      *presence = TB_POOL_ABSENT;
      return bad_member (error, name, _("an object"));
    }
}

typedef gpointer (*ParseRecordFunc) (JsonObject     *object,
                                     const char     *path,
                                     gconstpointer   user_data,
                                     GError        **error);

/* A list of objects; *out stays NULL (unknown) when missing or null. */
static gboolean
get_list (JsonObject      *object,
          const char      *name,
          ParseRecordFunc  parse,
          gconstpointer    user_data,
          GDestroyNotify   free_func,
          GPtrArray      **out,
          GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array = NULL;

  *out = NULL;
  switch (tb_json_member_array (object, name, &array))
    {
    case TB_JSON_MEMBER_MISSING:
    case TB_JSON_MEMBER_NULL:
      return TRUE;
    case TB_JSON_MEMBER_WRONG_TYPE:
      return bad_member (error, name, _("a list"));
    case TB_JSON_MEMBER_VALUE:
    default:
      break;
    }

  list = g_ptr_array_new_with_free_func (free_func);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", name, i);
      g_autofree char *prefix = g_strdup_printf ("%s.", path);
      gpointer record;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_member (error, path, _("an object"));
      record = parse (json_node_get_object (element), prefix, user_data, error);
      if (record == NULL)
        return FALSE;
      g_ptr_array_add (list, record);
    }

  *out = g_steal_pointer (&list);
  return TRUE;
}

/* Every member of @record into the struct at @data, in table order; the first bad one fails. */
static gboolean
get_fields (JsonObject          *object,
            const char          *path,
            const TbPoolRecord  *record,
            gpointer             data,
            GError             **error)
{
  for (guint i = 0; i < record->n_fields; i++)
    {
      const TbPoolField *f = &record->fields[i];
      gpointer field = G_STRUCT_MEMBER_P (data, f->offset);
      gboolean ok;

      switch (f->kind)
        {
        case TB_POOL_FIELD_BOOL:
          ok = get_bool (object, path, f->name, field, error);
          break;
        case TB_POOL_FIELD_DATE:
          ok = get_date (object, path, f->name, field, error);
          break;
        case TB_POOL_FIELD_STRING:
        default:
          ok = get_string (object, path, f->name, field, error);
          break;
        }
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* A list element of the flat record type @user_data (a TbPoolRecord). */
static gpointer
parse_record (JsonObject     *object,
              const char     *path,
              gconstpointer   user_data,
              GError        **error)
{
  const TbPoolRecord *record = user_data;
  gpointer data = g_malloc0 (record->size);

  if (!get_fields (object, path, record, data, error))
    {
      record->free_func (data);
      return NULL;
    }
  return data;
}

/* A list of flat records; as get_list(). */
static gboolean
get_record_list (JsonObject          *object,
                 const char          *name,
                 const TbPoolRecord  *record,
                 GPtrArray          **out,
                 GError             **error)
{
  return get_list (object, name, parse_record, record, record->free_func, out, error);
}

static void
parse_raw_data (TbPoolCertificate *cert)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (cert->raw_data == NULL || *cert->raw_data == '\0')
    return;

  /* Strict Base64, line breaks allowed: damage (a stray character, padding inside) is an
   * error, not different certificate bytes. */
  bytes = tb_json_base64_decode_strict (cert->raw_data, strlen (cert->raw_data));
  if (bytes == NULL)
    {
      cert->raw_data_error = g_strdup (_("The certificate data is not Base64."));
      return;
    }

  cert->certificate = tb_certificate_new_from_der (bytes, &local_error);
  if (cert->certificate == NULL)
    cert->raw_data_error = g_strdup (local_error->message);
  else
    tb_certificate_set_origin (cert->certificate, _("On-premises pool"), 0);
}

static void
pool_certificate_free (gpointer data)
{
  TbPoolCertificate *c = data;

  g_free (c->thumbprint);
  g_free (c->subject);
  g_clear_pointer (&c->not_before, g_date_time_unref);
  g_clear_pointer (&c->not_after, g_date_time_unref);
  g_free (c->raw_data);
  g_clear_object (&c->certificate);
  g_free (c->raw_data_error);
  g_free (c->role);
  g_free (c->issuer);
  g_clear_pointer (&c->effective_date, g_date_time_unref);
  g_free (c);
}

/* A whole number of bits; 0 when missing or null. */
static gboolean
get_key_size (JsonObject  *object,
              const char  *parent,
              gint64      *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, "keySize");

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > 65536)
    return bad_child (error, parent, "keySize", _("a number of bits"));
  *out = json_node_get_int (node);
  return TRUE;
}

static gpointer
parse_pool_certificate (JsonObject     *object,
                        const char     *path,
                        gconstpointer   unused,
                        GError        **error)
{
  TbPoolCertificate *c = g_new0 (TbPoolCertificate, 1);

  if (!get_string (object, path, "thumbprint", &c->thumbprint, error) ||
      !get_string (object, path, "subject", &c->subject, error) ||
      !get_string (object, path, "issuer", &c->issuer, error) ||
      !get_date (object, path, "notBefore", &c->not_before, error) ||
      !get_date (object, path, "notAfter", &c->not_after, error) ||
      !get_date (object, path, "effectiveDate", &c->effective_date, error) ||
      !get_key_size (object, path, &c->key_size, error) ||
      !get_string (object, path, "rawData", &c->raw_data, error))
    {
      pool_certificate_free (c);
      return NULL;
    }
  parse_raw_data (c);
  return c;
}

static gpointer
parse_oauth_certificate (JsonObject     *object,
                         const char     *path,
                         gconstpointer   unused,
                         GError        **error)
{
  TbPoolCertificate *c;
  g_autofree char *role = NULL;

  if (!get_string (object, path, "role", &role, error))
    return NULL;
  if (g_strcmp0 (role, TB_POOL_CERT_ROLE_CURRENT) != 0 &&
      g_strcmp0 (role, TB_POOL_CERT_ROLE_STAGED) != 0 &&
      g_strcmp0 (role, TB_POOL_CERT_ROLE_PREVIOUS) != 0)
    {
      bad_child (error, path, "role", _("“current”, “staged” or “previous”"));
      return NULL;
    }
  c = parse_pool_certificate (object, path, NULL, error);
  if (c != NULL)
    c->role = g_steal_pointer (&role);
  return c;
}

/* Schema 2: every OAuthTokenIssuer certificate the pool knows, and the candidates. */
static gboolean
parse_schema_2 (TbPoolState  *self,
                JsonObject   *object,
                GError      **error)
{
  return get_list (object, "oauthCertificates", parse_oauth_certificate, NULL,
                   pool_certificate_free, &self->oauth_certificates, error) &&
         get_list (object, "candidates", parse_pool_certificate, NULL, pool_certificate_free,
                   &self->candidates, error);
}

static gboolean
parse_document (TbPoolState  *self,
                JsonNode     *root,
                GError      **error)
{
  JsonObject *object;
  JsonNode *schema;
  JsonObject *server = NULL;
  JsonObject *child = NULL;
  TbPoolPresence presence;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                   _("The pool state is not a JSON object."));
      return FALSE;
    }
  object = json_node_get_object (root);

  schema = json_object_get_member (object, "schema");
  if (schema == NULL)
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_SCHEMA,
                   _("This is not a Trust Bridge pool state: it has no “schema” member."));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (schema) || json_node_get_value_type (schema) != G_TYPE_INT64 ||
      (json_node_get_int (schema) != 1 && json_node_get_int (schema) != 2))
    {
      g_autofree char *text = json_to_string (schema, FALSE);

      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_SCHEMA,
                   _("The pool state has schema %s; this version of Trust Bridge reads schemas 1 "
                     "and 2. Export the read script again from this version."),
                   strlen (text) > 20 ? "?" : text);
      return FALSE;
    }

  if (!get_object (object, "server", &server, &presence, error))
    return FALSE;
  if (server != NULL && !get_fields (server, "server.", &tb_pool_server_record, self, error))
    return FALSE;

  if (!get_record_list (object, "oauthServers", &tb_pool_oauth_server_record,
                        &self->oauth_servers, error) ||
      !get_record_list (object, "partnerApplications", &tb_pool_partner_application_record,
                        &self->partner_applications, error) ||
      !get_record_list (object, "webServices", &tb_pool_web_service_record,
                        &self->web_services, error) ||
      !get_record_list (object, "errors", &tb_pool_error_record, &self->errors, error))
    return FALSE;

  if (!get_object (object, "oauthConfiguration", &child,
                   &self->oauth_configuration_presence, error))
    return FALSE;
  if (child != NULL &&
      !get_fields (child, "oauthConfiguration.", &tb_pool_oauth_configuration_record,
                   &self->oauth_configuration, error))
    return FALSE;

  if (!get_object (object, "oauthCertificate", &child, &self->oauth_certificate_presence, error))
    return FALSE;
  if (child != NULL)
    {
      if (!get_fields (child, "oauthCertificate.", &tb_pool_oauth_certificate_record,
                       &self->oauth_certificate, error))
        return FALSE;
      parse_raw_data (&self->oauth_certificate);
    }

  self->schema = json_node_get_int (schema);
  if (self->schema >= 2 && !parse_schema_2 (self, object, error))
    return FALSE;

  return TRUE;
}

TbPoolState *
tb_pool_state_new_from_data (const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TbPoolState) self = NULL;
  g_autoptr(GError) json_error = NULL;
  const char *end = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > TB_POOL_STATE_MAX_SIZE)
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_LARGE,
                   _("The pool state is %zu bytes long; Trust Bridge reads at "
                     "most %d."), length, TB_POOL_STATE_MAX_SIZE);
      return NULL;
    }
  if (!g_utf8_validate (data, length, &end) || memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                   _("The pool state is not JSON text: it is not valid UTF-8."));
      return NULL;
    }
  /* Strict JSON only: the check reads the text exactly as json-glib will, so no nesting can
   * hide from it (comments and single quotes, which json-glib would accept, are refused). */
  root = tb_json_parse (data, length, TB_POOL_STATE_MAX_DEPTH, &json_error);
  if (root == NULL)
    {
      if (g_error_matches (json_error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP))
        g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_DEEP,
                     _("The pool state nests deeper than %d levels."), TB_POOL_STATE_MAX_DEPTH);
      else if (g_error_matches (json_error, TB_JSON_ERROR, TB_JSON_ERROR_EMPTY))
        g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                     _("The pool state is not JSON: %s"), _("the document is empty"));
      else
        g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                     _("The pool state is not JSON: %s"), json_error->message);
      return NULL;
    }

  self = g_object_new (TB_TYPE_POOL_STATE, NULL);
  if (!parse_document (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The Base64 payloads of every marker line; other lines are noise. */
TbPoolState *
tb_pool_state_new_from_output (const char  *output,
                               gsize        length,
                               GError     **error)
{
  g_autofree char *chosen = NULL;
  g_autoptr(GBytes) json = NULL;
  const char *line = output;
  const char *end = output + length;

  g_return_val_if_fail (output != NULL || length == 0, NULL);

  while (line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *line_end = eol != NULL ? eol : end;
      const char *p = line;

      while (p < line_end && (*p == ' ' || *p == '\t'))
        p++;
      if ((gsize) (line_end - p) >= strlen (TB_POOL_STATE_MARKER) &&
          memcmp (p, TB_POOL_STATE_MARKER, strlen (TB_POOL_STATE_MARKER)) == 0)
        {
          const char *b64 = p + strlen (TB_POOL_STATE_MARKER);
          const char *b64_end = line_end;
          g_autofree char *payload = NULL;
          g_autoptr(GBytes) decoded = NULL;

          while (b64_end > b64 && g_ascii_isspace (b64_end[-1]))
            b64_end--;
          /* 4 Base64 characters carry 3 bytes: refuse what would decode past the bound. */
          if ((gsize) (b64_end - b64) / 4 * 3 > TB_POOL_STATE_MAX_SIZE)
            {
              g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_LARGE,
                           _("The pool state in the output is larger than %d bytes."),
                           TB_POOL_STATE_MAX_SIZE);
              return NULL;
            }
          payload = g_strndup (b64, b64_end - b64);
          /* One unbroken run of strict Base64, as the read script writes it: a damaged line
           * (a stray character, padding inside) is refused, not read as other bytes. */
          decoded = tb_json_base64_decode_binary (payload);
          if (decoded == NULL)
            {
              g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MARKER,
                           _("The %s line in the output is damaged: it is not Base64."),
                           TB_POOL_STATE_MARKER);
              return NULL;
            }
          if (chosen != NULL && !g_str_equal (chosen, payload))
            {
              g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_CONFLICTING_MARKERS,
                           _("The output holds several different pool states; run the read "
                             "script once and bring back its output alone."));
              return NULL;
            }
          g_free (chosen);
          chosen = g_steal_pointer (&payload);
          g_clear_pointer (&json, g_bytes_unref);
          json = g_steal_pointer (&decoded);
        }

      line = eol != NULL ? eol + 1 : end;
    }

  if (chosen == NULL)
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NO_MARKER,
                   _("The output holds no %s line: the script did not finish, or this is not "
                     "the output of a Trust Bridge script."), TB_POOL_STATE_MARKER);
      return NULL;
    }

  return tb_pool_state_new_from_data (g_bytes_get_data (json, NULL), g_bytes_get_size (json),
                                      error);
}

/* UTF-16LE with BOM (PowerShell 5's redirection) to UTF-8; UTF-8 BOM dropped. */
static char *
to_utf8 (const guchar  *data,
         gsize          length,
         gsize         *out_length,
         GError       **error)
{
  if (length >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      gsize n_units = (length - 2) / 2;
      g_autofree gunichar2 *units = g_new (gunichar2, n_units + 1);
      glong written = 0;
      char *text;

      for (gsize i = 0; i < n_units; i++)
        units[i] = data[2 + 2 * i] | (data[3 + 2 * i] << 8);
      text = g_utf16_to_utf8 (units, n_units, NULL, &written, NULL);
      if (text == NULL)
        {
          g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                       _("The file is not valid UTF-16 text."));
          return NULL;
        }
      *out_length = written;
      return text;
    }
  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      length -= 3;
    }
  *out_length = length;
  return g_strndup ((const char *) data, length);
}

TbPoolState *
tb_pool_state_new_from_file (GFile         *file,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guchar *data = NULL;
  g_autofree char *text = NULL;
  gsize n_read = 0;
  gsize text_length = 0;
  const char *p;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* One byte past the bound tells "too large" without reading a huge file. */
  data = g_malloc (TB_POOL_STATE_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, TB_POOL_STATE_MAX_SIZE + 1,
                                &n_read, cancellable, error))
    return NULL;
  if (n_read > TB_POOL_STATE_MAX_SIZE)
    {
      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_LARGE,
                   _("The file is larger than %d bytes; a pool state is a few kilobytes."),
                   TB_POOL_STATE_MAX_SIZE);
      return NULL;
    }

  text = to_utf8 (data, n_read, &text_length, error);
  if (text == NULL)
    return NULL;

  /* A JSON document starts with "{"; anything else is taken as saved script output. */
  for (p = text; p < text + text_length && g_ascii_isspace (*p); p++)
    ;
  if (p < text + text_length && *p == '{')
    return tb_pool_state_new_from_data (text, text_length, error);

  {
    g_autoptr(GError) local_error = NULL;
    TbPoolState *state = tb_pool_state_new_from_output (text, text_length, &local_error);

    if (g_error_matches (local_error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NO_MARKER))
      {
        g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NOT_JSON,
                     _("The file is not a pool state: it is neither JSON nor the output of a "
                       "Trust Bridge script (with a %s line)."), TB_POOL_STATE_MARKER);
        return NULL;
      }
    if (local_error != NULL)
      g_propagate_error (error, g_steal_pointer (&local_error));
    return state;
  }
}

/* A TbFileTaskFunc: called through the exact type, not a cast. */
static gpointer
load_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  return tb_pool_state_new_from_file (file, cancellable, error);
}

void
tb_pool_state_load_file_async (GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  tb_file_task_run (file, load_file, g_object_unref,
                    tb_pool_state_load_file_async, cancellable, callback, user_data);
}

TbPoolState *
tb_pool_state_load_file_finish (GAsyncResult  *result,
                                GError       **error)
{
  return tb_file_task_finish (result, tb_pool_state_load_file_async, error);
}

char *
tb_pool_state_encode_marker_line (const char *json)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *) json, strlen (json));

  return g_strconcat (TB_POOL_STATE_MARKER, base64, NULL);
}
