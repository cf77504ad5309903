/* tb-pool-state.c: the on-premises pool state document (schema 1) and its checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document comes from a server, a file an admin carried over, or a simulator: it is
 * untrusted input. Size and nesting are bounded before json-glib (which recurses) sees it, and
 * every member is type-checked with a message that names it.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-format.h"
#include "tb-json.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"

G_DEFINE_QUARK (tb-pool-state-error-quark, tb_pool_state_error)

struct _TbPoolState
{
  GObject parent_instance;

  char *server_fqdn;
  char *server_product;
  char *server_module;

  GPtrArray *oauth_servers;          /* NULL = unknown */
  GPtrArray *partner_applications;
  GPtrArray *web_services;
  GPtrArray *errors;

  TbPoolPresence oauth_configuration_presence;
  TbPoolOAuthConfiguration oauth_configuration;
  TbPoolPresence oauth_certificate_presence;
  TbPoolCertificate oauth_certificate;
};

G_DEFINE_FINAL_TYPE (TbPoolState, tb_pool_state, G_TYPE_OBJECT)

static void
oauth_server_free (gpointer data)
{
  TbPoolOAuthServer *r = data;

  g_free (r->identity);
  g_free (r->metadata_url);
  g_free (r->realm);
  g_free (r);
}

static void
partner_application_free (gpointer data)
{
  TbPoolPartnerApplication *r = data;

  g_free (r->identity);
  g_free (r->application_identifier);
  g_free (r->application_trust_level);
  g_free (r);
}

static void
web_service_free (gpointer data)
{
  TbPoolWebService *r = data;

  g_free (r->pool_fqdn);
  g_free (r->external_fqdn);
  g_free (r->internal_fqdn);
  g_free (r);
}

static void
pool_error_free (gpointer data)
{
  TbPoolError *r = data;

  g_free (r->cmdlet);
  g_free (r->message);
  g_free (r);
}

void
tb_pool_check_free (TbPoolCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->detail);
  g_free (check);
}

const char *
tb_pool_check_result_to_string (TbPoolCheckResult result)
{
  switch (result)
    {
    case TB_POOL_CHECK_OK:
      return "true";
    case TB_POOL_CHECK_FAILED:
      return "false";
    case TB_POOL_CHECK_UNKNOWN:
    default:
      return "unknown";
    }
}

static void
tb_pool_state_finalize (GObject *object)
{
  TbPoolState *self = TB_POOL_STATE (object);

  g_free (self->server_fqdn);
  g_free (self->server_product);
  g_free (self->server_module);
  g_clear_pointer (&self->oauth_servers, g_ptr_array_unref);
  g_clear_pointer (&self->partner_applications, g_ptr_array_unref);
  g_clear_pointer (&self->web_services, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_free (self->oauth_configuration.service_name);
  g_free (self->oauth_configuration.realm);
  g_free (self->oauth_configuration.exchange_autodiscover_url);
  g_free (self->oauth_certificate.thumbprint);
  g_free (self->oauth_certificate.subject);
  g_clear_pointer (&self->oauth_certificate.not_before, g_date_time_unref);
  g_clear_pointer (&self->oauth_certificate.not_after, g_date_time_unref);
  g_free (self->oauth_certificate.raw_data);
  g_clear_object (&self->oauth_certificate.certificate);
  g_free (self->oauth_certificate.raw_data_error);

  G_OBJECT_CLASS (tb_pool_state_parent_class)->finalize (object);
}

static void
tb_pool_state_class_init (TbPoolStateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_pool_state_finalize;
}

static void
tb_pool_state_init (TbPoolState *self)
{
}

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

/* A string member; NULL when missing or null. */
static gboolean
get_string (JsonObject  *object,
            const char  *parent,
            const char  *name,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = g_strdup_printf ("%s%s", parent, name);

      return bad_member (error, path, _("a text"));
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_bool (JsonObject  *object,
          const char  *parent,
          const char  *name,
          TbPoolBool  *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = TB_POOL_BOOL_UNKNOWN;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = g_strdup_printf ("%s%s", parent, name);

      return bad_member (error, path, _("true or false"));
    }
  *out = json_node_get_boolean (node) ? TB_POOL_BOOL_TRUE : TB_POOL_BOOL_FALSE;
  return TRUE;
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
    {
      g_autofree char *path = g_strdup_printf ("%s%s", parent, name);

      return bad_member (error, path, _("a date in ISO 8601 form"));
    }
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
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  *presence = TB_POOL_UNKNOWN;
  if (node == NULL)
    return TRUE;
  *presence = TB_POOL_ABSENT;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return bad_member (error, name, _("an object"));
  *presence = TB_POOL_PRESENT;
  *out = json_node_get_object (node);
  return TRUE;
}

typedef gpointer (*ParseRecordFunc) (JsonObject  *object,
                                     const char  *path,
                                     GError     **error);

/* A list of objects; *out stays NULL (unknown) when missing or null. */
static gboolean
get_list (JsonObject      *object,
          const char      *name,
          ParseRecordFunc  parse,
          GDestroyNotify   free_func,
          GPtrArray      **out,
          GError         **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bad_member (error, name, _("a list"));

  array = json_node_get_array (node);
  list = g_ptr_array_new_with_free_func (free_func);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%s[%u]", name, i);
      g_autofree char *prefix = g_strdup_printf ("%s.", path);
      gpointer record;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return bad_member (error, path, _("an object"));
      record = parse (json_node_get_object (element), prefix, error);
      if (record == NULL)
        return FALSE;
      g_ptr_array_add (list, record);
    }

  *out = g_steal_pointer (&list);
  return TRUE;
}

static gpointer
parse_oauth_server (JsonObject  *object,
                    const char  *path,
                    GError     **error)
{
  TbPoolOAuthServer *r = g_new0 (TbPoolOAuthServer, 1);

  if (!get_string (object, path, "identity", &r->identity, error) ||
      !get_string (object, path, "metadataUrl", &r->metadata_url, error) ||
      !get_string (object, path, "realm", &r->realm, error))
    {
      oauth_server_free (r);
      return NULL;
    }
  return r;
}

static gpointer
parse_partner_application (JsonObject  *object,
                           const char  *path,
                           GError     **error)
{
  TbPoolPartnerApplication *r = g_new0 (TbPoolPartnerApplication, 1);

  if (!get_string (object, path, "identity", &r->identity, error) ||
      !get_string (object, path, "applicationIdentifier", &r->application_identifier, error) ||
      !get_string (object, path, "applicationTrustLevel", &r->application_trust_level, error) ||
      !get_bool (object, path, "useOAuthServer", &r->use_oauth_server, error) ||
      !get_bool (object, path, "enabled", &r->enabled, error))
    {
      partner_application_free (r);
      return NULL;
    }
  return r;
}

static gpointer
parse_web_service (JsonObject  *object,
                   const char  *path,
                   GError     **error)
{
  TbPoolWebService *r = g_new0 (TbPoolWebService, 1);

  if (!get_string (object, path, "poolFqdn", &r->pool_fqdn, error) ||
      !get_string (object, path, "externalFqdn", &r->external_fqdn, error) ||
      !get_string (object, path, "internalFqdn", &r->internal_fqdn, error))
    {
      web_service_free (r);
      return NULL;
    }
  return r;
}

static gpointer
parse_error (JsonObject  *object,
             const char  *path,
             GError     **error)
{
  TbPoolError *r = g_new0 (TbPoolError, 1);

  if (!get_string (object, path, "cmdlet", &r->cmdlet, error) ||
      !get_string (object, path, "message", &r->message, error))
    {
      pool_error_free (r);
      return NULL;
    }
  return r;
}

static void
parse_raw_data (TbPoolCertificate *cert)
{
  g_autofree guchar *der = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *p;

  if (cert->raw_data == NULL || *cert->raw_data == '\0')
    return;

  for (p = cert->raw_data; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+/=\r\n ", *p) == NULL)
      break;
  if (*p == '\0')
    der = g_base64_decode (cert->raw_data, &len);
  if (der == NULL || len == 0)
    {
      cert->raw_data_error = g_strdup (_("The certificate data is not Base64."));
      return;
    }

  bytes = g_bytes_new_take (g_steal_pointer (&der), len);
  cert->certificate = tb_certificate_new_from_der (bytes, &local_error);
  if (cert->certificate == NULL)
    cert->raw_data_error = g_strdup (local_error->message);
  else
    tb_certificate_set_origin (cert->certificate, _("On-premises pool"), 0);
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
      json_node_get_int (schema) != 1)
    {
      g_autofree char *text = json_to_string (schema, FALSE);

      g_set_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_SCHEMA,
                   _("The pool state has schema %s; this version of Trust Bridge reads schema 1. "
                     "Export the read script again from this version."),
                   strlen (text) > 20 ? "?" : text);
      return FALSE;
    }

  if (!get_object (object, "server", &server, &presence, error))
    return FALSE;
  if (server != NULL &&
      (!get_string (server, "server.", "fqdn", &self->server_fqdn, error) ||
       !get_string (server, "server.", "product", &self->server_product, error) ||
       !get_string (server, "server.", "module", &self->server_module, error)))
    return FALSE;

  if (!get_list (object, "oauthServers", parse_oauth_server, oauth_server_free,
                 &self->oauth_servers, error) ||
      !get_list (object, "partnerApplications", parse_partner_application,
                 partner_application_free, &self->partner_applications, error) ||
      !get_list (object, "webServices", parse_web_service, web_service_free,
                 &self->web_services, error) ||
      !get_list (object, "errors", parse_error, pool_error_free, &self->errors, error))
    return FALSE;

  if (!get_object (object, "oauthConfiguration", &child,
                   &self->oauth_configuration_presence, error))
    return FALSE;
  if (child != NULL)
    {
      TbPoolOAuthConfiguration *c = &self->oauth_configuration;

      if (!get_string (child, "oauthConfiguration.", "serviceName", &c->service_name, error) ||
          !get_string (child, "oauthConfiguration.", "realm", &c->realm, error) ||
          !get_string (child, "oauthConfiguration.", "exchangeAutodiscoverUrl",
                       &c->exchange_autodiscover_url, error))
        return FALSE;
    }

  if (!get_object (object, "oauthCertificate", &child, &self->oauth_certificate_presence, error))
    return FALSE;
  if (child != NULL)
    {
      TbPoolCertificate *c = &self->oauth_certificate;

      if (!get_string (child, "oauthCertificate.", "thumbprint", &c->thumbprint, error) ||
          !get_string (child, "oauthCertificate.", "subject", &c->subject, error) ||
          !get_date (child, "oauthCertificate.", "notBefore", &c->not_before, error) ||
          !get_date (child, "oauthCertificate.", "notAfter", &c->not_after, error) ||
          !get_string (child, "oauthCertificate.", "rawData", &c->raw_data, error))
        return FALSE;
      parse_raw_data (c);
    }

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
          if (*payload == '\0' || strlen (payload) % 4 != 0 ||
              strspn (payload, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
              != strlen (payload))
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

  {
    gsize n = 0;
    g_autofree guchar *json = g_base64_decode (chosen, &n);

    return tb_pool_state_new_from_data ((const char *) json, n, error);
  }
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

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  TbPoolState *state = tb_pool_state_new_from_file (G_FILE (task_data), cancellable, &error);

  if (state == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, state, g_object_unref);
}

void
tb_pool_state_load_file_async (GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_pool_state_load_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

TbPoolState *
tb_pool_state_load_file_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
tb_pool_state_encode_marker_line (const char *json)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *) json, strlen (json));

  return g_strconcat (TB_POOL_STATE_MARKER, base64, NULL);
}

/* Accessors */

const char *
tb_pool_state_get_server_fqdn (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_fqdn;
}

const char *
tb_pool_state_get_server_product (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_product;
}

const char *
tb_pool_state_get_server_module (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->server_module;
}

GPtrArray *
tb_pool_state_get_oauth_servers (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->oauth_servers;
}

GPtrArray *
tb_pool_state_get_partner_applications (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->partner_applications;
}

GPtrArray *
tb_pool_state_get_web_services (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->web_services;
}

GPtrArray *
tb_pool_state_get_errors (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return self->errors;
}

TbPoolPresence
tb_pool_state_get_oauth_configuration (TbPoolState                     *self,
                                       const TbPoolOAuthConfiguration **out)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), TB_POOL_UNKNOWN);

  if (out != NULL)
    *out = self->oauth_configuration_presence == TB_POOL_PRESENT ? &self->oauth_configuration
                                                                  : NULL;
  return self->oauth_configuration_presence;
}

TbPoolPresence
tb_pool_state_get_oauth_certificate (TbPoolState              *self,
                                     const TbPoolCertificate **out)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), TB_POOL_UNKNOWN);

  if (out != NULL)
    *out = self->oauth_certificate_presence == TB_POOL_PRESENT ? &self->oauth_certificate : NULL;
  return self->oauth_certificate_presence;
}

const TbPoolOAuthServer *
tb_pool_state_find_oauth_server (TbPoolState *self,
                                 const char  *identity)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  for (guint i = 0; self->oauth_servers != NULL && i < self->oauth_servers->len; i++)
    {
      const TbPoolOAuthServer *r = g_ptr_array_index (self->oauth_servers, i);

      if (r->identity != NULL && g_ascii_strcasecmp (r->identity, identity) == 0)
        return r;
    }
  return NULL;
}

const TbPoolPartnerApplication *
tb_pool_state_find_partner_application (TbPoolState *self,
                                        const char  *identity)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  for (guint i = 0;
       self->partner_applications != NULL && i < self->partner_applications->len; i++)
    {
      const TbPoolPartnerApplication *r = g_ptr_array_index (self->partner_applications, i);

      if (r->identity != NULL && g_ascii_strcasecmp (r->identity, identity) == 0)
        return r;
    }
  return NULL;
}

GStrv
tb_pool_state_dup_external_fqdns (TbPoolState *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  if (self->web_services == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->web_services->len; i++)
    {
      const TbPoolWebService *r = g_ptr_array_index (self->web_services, i);
      char *fqdn;

      if (r->external_fqdn == NULL || *r->external_fqdn == '\0')
        continue;
      /* They become SPNs in the cloud: only real host names go on. */
      fqdn = tb_pool_script_check_host_name (r->external_fqdn, NULL);
      if (fqdn == NULL)
        continue;
      if (g_hash_table_contains (seen, fqdn))
        {
          g_free (fqdn);
          continue;
        }
      g_strv_builder_add (builder, fqdn);
      g_hash_table_add (seen, fqdn);
    }

  return g_strv_builder_end (builder);
}

/* Serialisation */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          TbPoolBool   value)
{
  json_builder_set_member_name (builder, name);
  if (value == TB_POOL_BOOL_UNKNOWN)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, value == TB_POOL_BOOL_TRUE);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value != NULL ? tb_format_iso8601_utc (value) : NULL;

  add_string (builder, name, text);
}

JsonNode *
tb_pool_state_to_json_node (TbPoolState *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, 1);

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  add_string (builder, "fqdn", self->server_fqdn);
  add_string (builder, "product", self->server_product);
  add_string (builder, "module", self->server_module);
  json_builder_end_object (builder);

  if (self->oauth_servers != NULL)
    {
      json_builder_set_member_name (builder, "oauthServers");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->oauth_servers->len; i++)
        {
          const TbPoolOAuthServer *r = g_ptr_array_index (self->oauth_servers, i);

          json_builder_begin_object (builder);
          add_string (builder, "identity", r->identity);
          add_string (builder, "metadataUrl", r->metadata_url);
          add_string (builder, "realm", r->realm);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (self->partner_applications != NULL)
    {
      json_builder_set_member_name (builder, "partnerApplications");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->partner_applications->len; i++)
        {
          const TbPoolPartnerApplication *r = g_ptr_array_index (self->partner_applications, i);

          json_builder_begin_object (builder);
          add_string (builder, "identity", r->identity);
          add_string (builder, "applicationIdentifier", r->application_identifier);
          add_string (builder, "applicationTrustLevel", r->application_trust_level);
          add_bool (builder, "useOAuthServer", r->use_oauth_server);
          add_bool (builder, "enabled", r->enabled);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (self->oauth_configuration_presence != TB_POOL_UNKNOWN)
    {
      json_builder_set_member_name (builder, "oauthConfiguration");
      if (self->oauth_configuration_presence == TB_POOL_ABSENT)
        json_builder_add_null_value (builder);
      else
        {
          json_builder_begin_object (builder);
          add_string (builder, "serviceName", self->oauth_configuration.service_name);
          add_string (builder, "realm", self->oauth_configuration.realm);
          add_string (builder, "exchangeAutodiscoverUrl",
                      self->oauth_configuration.exchange_autodiscover_url);
          json_builder_end_object (builder);
        }
    }

  if (self->web_services != NULL)
    {
      json_builder_set_member_name (builder, "webServices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->web_services->len; i++)
        {
          const TbPoolWebService *r = g_ptr_array_index (self->web_services, i);

          json_builder_begin_object (builder);
          add_string (builder, "poolFqdn", r->pool_fqdn);
          add_string (builder, "externalFqdn", r->external_fqdn);
          add_string (builder, "internalFqdn", r->internal_fqdn);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (self->oauth_certificate_presence != TB_POOL_UNKNOWN)
    {
      json_builder_set_member_name (builder, "oauthCertificate");
      if (self->oauth_certificate_presence == TB_POOL_ABSENT)
        json_builder_add_null_value (builder);
      else
        {
          const TbPoolCertificate *c = &self->oauth_certificate;

          json_builder_begin_object (builder);
          add_string (builder, "thumbprint", c->thumbprint);
          add_string (builder, "subject", c->subject);
          add_date (builder, "notBefore", c->not_before);
          add_date (builder, "notAfter", c->not_after);
          add_string (builder, "rawData", c->raw_data);
          json_builder_end_object (builder);
        }
    }

  if (self->errors != NULL)
    {
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->errors->len; i++)
        {
          const TbPoolError *r = g_ptr_array_index (self->errors, i);

          json_builder_begin_object (builder);
          add_string (builder, "cmdlet", r->cmdlet);
          add_string (builder, "message", r->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Checks */

static TbPoolCheck *
check_new (const char        *item,
           TbPoolCheckResult  ok,
           char              *detail)
{
  TbPoolCheck *check = g_new0 (TbPoolCheck, 1);

  check->item = item;
  check->ok = ok;
  check->detail = detail;
  return check;
}

/* Why a member is unknown: the error the read script recorded for its cmdlet, if any. */
static char *
unknown_detail (TbPoolState *self,
                const char  *cmdlet,
                const char  *what)
{
  for (guint i = 0; self->errors != NULL && i < self->errors->len; i++)
    {
      const TbPoolError *r = g_ptr_array_index (self->errors, i);

      if (r->cmdlet != NULL && g_ascii_strcasecmp (r->cmdlet, cmdlet) == 0)
        /* Translators: the first %s is a thing (“the OAuth servers”), then a cmdlet name and its
         * error message from the server. */
        return g_strdup_printf (_("Unknown: %s could not be read (%s: %s)."), what, cmdlet,
                                r->message != NULL ? r->message : "");
    }
  return g_strdup_printf (_("Unknown: the pool state does not include %s."), what);
}

/* Same URL when the scheme and host match case-insensitively and the rest exactly. */
static gboolean
metadata_url_equal (const char *have,
                    const char *want)
{
  const char *have_path;
  const char *want_path;

  if (g_ascii_strncasecmp (have, "https://", 8) != 0 || g_ascii_strncasecmp (want, "https://", 8))
    return FALSE;
  have_path = strchr (have + 8, '/');
  want_path = strchr (want + 8, '/');
  if (have_path == NULL || want_path == NULL || have_path - have != want_path - want)
    return FALSE;
  return g_ascii_strncasecmp (have, want, have_path - have) == 0 &&
         g_str_equal (have_path, want_path);
}

static TbPoolCheck *
check_oauth_server (TbPoolState *self,
                    const char  *expected_url)
{
  const TbPoolOAuthServer *sts;

  if (self->oauth_servers == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_UNKNOWN,
                      unknown_detail (self, "Get-CsOAuthServer", _("the OAuth servers")));

  sts = tb_pool_state_find_oauth_server (self, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL)
    {
      if (expected_url == NULL)
        return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                          g_strdup_printf (_("There is no OAuth server %s."),
                                           TB_POOL_OAUTH_SERVER_IDENTITY));
      return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("There is no OAuth server %s; it should exist with "
                                           "the metadata URL %s."),
                                         TB_POOL_OAUTH_SERVER_IDENTITY, expected_url));
    }

  if (expected_url == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("OAuth server %s has the metadata URL %s; give the "
                                         "tenant ID to check it."),
                                       TB_POOL_OAUTH_SERVER_IDENTITY,
                                       sts->metadata_url != NULL ? sts->metadata_url : "—"));

  if (sts->metadata_url != NULL && metadata_url_equal (sts->metadata_url, expected_url))
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("OAuth server %s uses the metadata URL %s."),
                                       TB_POOL_OAUTH_SERVER_IDENTITY, expected_url));

  return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("OAuth server %s has the metadata URL %s; it should be "
                                       "%s."),
                                     TB_POOL_OAUTH_SERVER_IDENTITY,
                                     sts->metadata_url != NULL ? sts->metadata_url : "—",
                                     expected_url));
}

static void
check_partner (TbPoolState *self,
               GPtrArray   *checks)
{
  const TbPoolPartnerApplication *app;
  const char *name = TB_POOL_PARTNER_APPLICATION_IDENTITY;

  if (self->partner_applications == NULL)
    {
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_APPLICATION,
                                          TB_POOL_CHECK_UNKNOWN,
                                          unknown_detail (self, "Get-CsPartnerApplication",
                                                          _("the partner applications"))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_ENABLED,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      return;
    }

  app = tb_pool_state_find_partner_application (self, name);
  if (app == NULL)
    {
      g_ptr_array_add (checks,
                       check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_FAILED,
                                  g_strdup_printf (_("There is no partner application %s; it "
                                                     "should exist with the application "
                                                     "identifier %s."),
                                                   name, TB_POOL_EXCHANGE_APPLICATION_ID)));
      g_ptr_array_add (checks,
                       check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_FAILED,
                                  g_strdup_printf (_("There is no partner application %s; its "
                                                     "trust level should be Full."), name)));
      g_ptr_array_add (checks,
                       check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_FAILED,
                                  g_strdup_printf (_("There is no partner application %s; it "
                                                     "should use the OAuth server."), name)));
      g_ptr_array_add (checks,
                       check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_FAILED,
                                  g_strdup_printf (_("There is no partner application %s; it "
                                                     "should be enabled."), name)));
      return;
    }

  if (app->application_identifier == NULL)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_UNKNOWN,
                                g_strdup_printf (_("Unknown: the application identifier of %s "
                                                   "was not read."), name)));
  else if (g_ascii_strcasecmp (app->application_identifier, TB_POOL_EXCHANGE_APPLICATION_ID) == 0)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_OK,
                                g_strdup_printf (_("Partner application %s has the application "
                                                   "identifier %s."),
                                                 name, TB_POOL_EXCHANGE_APPLICATION_ID)));
  else
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_FAILED,
                                g_strdup_printf (_("Partner application %s has the application "
                                                   "identifier %s; it should be %s (this needs "
                                                   "Remove and New)."),
                                                 name, app->application_identifier,
                                                 TB_POOL_EXCHANGE_APPLICATION_ID)));

  if (app->application_trust_level == NULL)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_UNKNOWN,
                                g_strdup_printf (_("Unknown: the trust level of %s was not "
                                                   "read."), name)));
  else if (g_ascii_strcasecmp (app->application_trust_level, "Full") == 0)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_OK,
                                g_strdup_printf (_("Partner application %s has the trust level "
                                                   "Full."), name)));
  else
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_FAILED,
                                g_strdup_printf (_("Partner application %s has the trust level "
                                                   "%s; it should be Full."),
                                                 name, app->application_trust_level)));

  if (app->use_oauth_server == TB_POOL_BOOL_UNKNOWN)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_UNKNOWN,
                                g_strdup_printf (_("Unknown: whether %s uses the OAuth server "
                                                   "was not read."), name)));
  else if (app->use_oauth_server == TB_POOL_BOOL_TRUE)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_OK,
                                g_strdup_printf (_("Partner application %s uses the OAuth "
                                                   "server."), name)));
  else
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_FAILED,
                                g_strdup_printf (_("Partner application %s does not use the "
                                                   "OAuth server; UseOAuthServer should be "
                                                   "True."), name)));

  if (app->enabled == TB_POOL_BOOL_UNKNOWN)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_UNKNOWN,
                                g_strdup_printf (_("Unknown: whether %s is enabled was not "
                                                   "read."), name)));
  else if (app->enabled == TB_POOL_BOOL_TRUE)
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_OK,
                                g_strdup_printf (_("Partner application %s is enabled."), name)));
  else
    g_ptr_array_add (checks,
                     check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_FAILED,
                                g_strdup_printf (_("Partner application %s is disabled; it "
                                                   "should be enabled."), name)));
}

static TbPoolCheck *
check_service_name (TbPoolState *self)
{
  const char *have = self->oauth_configuration.service_name;

  switch (self->oauth_configuration_presence)
    {
    case TB_POOL_UNKNOWN:
      return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-CsOAuthConfiguration",
                                        _("the OAuth configuration")));
    case TB_POOL_ABSENT:
      return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("There is no OAuth configuration; its service name "
                                           "should be %s."), TB_POOL_SKYPE_SERVICE_NAME));
    case TB_POOL_PRESENT:
    default:
      break;
    }

  if (have == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_UNKNOWN,
                      g_strdup (_("Unknown: the OAuth service name was not read.")));
  if (g_ascii_strcasecmp (have, TB_POOL_SKYPE_SERVICE_NAME) == 0)
    return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("The OAuth service name is %s."),
                                       TB_POOL_SKYPE_SERVICE_NAME));
  return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("The OAuth service name is “%s”; it should be %s."),
                                     have, TB_POOL_SKYPE_SERVICE_NAME));
}

static TbPoolCheck *
check_web_services (TbPoolState *self)
{
  g_auto(GStrv) fqdns = NULL;
  g_autofree char *list = NULL;

  if (self->web_services == NULL)
    return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_UNKNOWN,
                      unknown_detail (self, "Get-CsService", _("the web services")));

  fqdns = tb_pool_state_dup_external_fqdns (self);
  if (fqdns[0] == NULL)
    return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_FAILED,
                      g_strdup (_("No web service has an external FQDN; the cloud side needs "
                                  "each external web services FQDN as a service principal "
                                  "name.")));

  list = g_strjoinv (", ", fqdns);
  return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_OK,
                    g_strdup_printf (g_strv_length (fqdns) == 1
                                     ? _("External web services FQDN: %s.")
                                     : _("External web services FQDNs: %s."), list));
}

static TbPoolCheck *
check_certificate (TbPoolState *self,
                   GDateTime   *now,
                   guint        warn_days)
{
  const TbPoolCertificate *c = &self->oauth_certificate;
  TbCertificateStatus status;
  g_autofree char *until = NULL;
  g_autofree char *phrase = NULL;

  switch (self->oauth_certificate_presence)
    {
    case TB_POOL_UNKNOWN:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-CsCertificate",
                                        _("the OAuthTokenIssuer certificate")));
    case TB_POOL_ABSENT:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup (_("The pool has no OAuthTokenIssuer certificate; assign one "
                                    "with Set-CsCertificate -Type OAuthTokenIssuer.")));
    case TB_POOL_PRESENT:
    default:
      break;
    }

  if (c->certificate == NULL)
    {
      if (c->raw_data_error != NULL)
        return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                          g_strdup_printf (_("The OAuthTokenIssuer certificate %s could not be "
                                             "read: %s"),
                                           c->thumbprint != NULL ? c->thumbprint : "",
                                           c->raw_data_error));
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-Item",
                                        _("the OAuthTokenIssuer certificate's data")));
    }

  /* The thumbprint is what Windows and Entra show; the data is what gets uploaded: they must
   * be the same certificate. */
  if (c->thumbprint == NULL ||
      g_ascii_strcasecmp (c->thumbprint, tb_certificate_get_sha1 (c->certificate)) != 0)
    return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                      g_strdup_printf (_("The certificate data does not match the thumbprint "
                                         "%s (the data has %s)."),
                                       c->thumbprint != NULL ? c->thumbprint : "—",
                                       tb_certificate_get_sha1 (c->certificate)));

  status = tb_certificate_get_status (c->certificate, now, warn_days);
  until = tb_format_local (tb_certificate_get_not_after (c->certificate));
  phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (c->certificate),
                                    tb_certificate_get_not_after (c->certificate), now);

  switch (status)
    {
    case TB_CERTIFICATE_STATUS_VALID:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_OK,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid until %s "
                                           "(%s)."),
                                         tb_certificate_get_sha1 (c->certificate), until, phrase));
    case TB_CERTIFICATE_STATUS_EXPIRING:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_OK,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid but %s: "
                                           "renew it and upload the new one to the cloud."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    case TB_CERTIFICATE_STATUS_EXPIRED:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s %s; it should be "
                                           "renewed and uploaded to the cloud."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is not valid yet "
                                           "(%s)."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    }
}

GPtrArray *
tb_pool_state_check (TbPoolState  *self,
                     const char   *tenant_id,
                     const char   *acs_base,
                     GDateTime    *now,
                     guint         warn_days,
                     GError      **error)
{
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *expected_url = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (tenant_id != NULL)
    {
      expected_url = tb_pool_script_metadata_url (acs_base != NULL ? acs_base
                                                                   : TB_POOL_DEFAULT_ACS_BASE,
                                                  tenant_id, error);
      if (expected_url == NULL)
        return NULL;
    }
  else if (acs_base != NULL)
    {
      g_autofree char *checked = tb_pool_script_check_https_url (acs_base, error);

      if (checked == NULL)
        return NULL;
    }

  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_pool_check_free);
  g_ptr_array_add (checks, check_oauth_server (self, expected_url));
  check_partner (self, checks);
  g_ptr_array_add (checks, check_service_name (self));
  g_ptr_array_add (checks, check_web_services (self));
  g_ptr_array_add (checks, check_certificate (self, now, warn_days));

  return g_steal_pointer (&checks);
}

JsonNode *
tb_pool_state_report_json (TbPoolState *self,
                           GPtrArray   *checks)
{
  JsonNode *root;
  g_autoptr(JsonArray) array = json_array_new ();

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (checks != NULL, NULL);

  root = tb_pool_state_to_json_node (self);
  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "item", check->item);
      if (check->ok == TB_POOL_CHECK_UNKNOWN)
        json_object_set_null_member (item, "ok");
      else
        json_object_set_boolean_member (item, "ok", check->ok == TB_POOL_CHECK_OK);
      json_object_set_string_member (item, "detail", check->detail);
      json_array_add_object_element (array, item);
    }
  json_object_set_array_member (json_node_get_object (root), "checks",
                                g_steal_pointer (&array));
  return root;
}

TbPoolCheckResult
tb_pool_checks_summary (GPtrArray *checks)
{
  TbPoolCheckResult result = TB_POOL_CHECK_OK;

  g_return_val_if_fail (checks != NULL, TB_POOL_CHECK_UNKNOWN);

  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);

      if (check->ok == TB_POOL_CHECK_FAILED)
        return TB_POOL_CHECK_FAILED;
      if (check->ok == TB_POOL_CHECK_UNKNOWN)
        result = TB_POOL_CHECK_UNKNOWN;
    }
  return result;
}

/* ---- Staged (rolled) OAuthTokenIssuer certificate ---------------------------------------
 * Schema 1 has no staged certificate: the read script gathers only the current one. */

TbCertificate *
tb_pool_state_get_staged_certificate (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return NULL;
}

GDateTime *
tb_pool_state_get_staged_effective_date (TbPoolState *self)
{
  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  return NULL;
}
