/* tb-cloud.c: a named set of Microsoft endpoints (login, Graph, ACS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cloud"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-cloud-private.h"

struct _TbCloud
{
  GObject   parent_instance;

  char     *name;
  char     *display_name;
  char     *login;
  char     *graph;
  char     *acs;
  gboolean  custom;
};

G_DEFINE_FINAL_TYPE (TbCloud, tb_cloud, G_TYPE_OBJECT)
G_DEFINE_QUARK (tb-cloud-error-quark, tb_cloud_error)

typedef struct
{
  const char *name;
  const char *display_name;
  const char *login;
  const char *graph;
  const char *acs;
} Builtin;

/* Hosts from Microsoft's national cloud documentation. GCC High and DoD have no separate
 * ACS host: Microsoft's GCC High Exchange OAuth article uses the login host for the metadata
 * document, so that is the default; a custom file overrides it when a tenant differs. */
static const Builtin builtins[] = {
  { "global", N_("Global"),
    "https://login.microsoftonline.com", "https://graph.microsoft.com",
    "https://accounts.accesscontrol.windows.net" },
  { "usgov-high", N_("US Government GCC High"),
    "https://login.microsoftonline.us", "https://graph.microsoft.us",
    "https://login.microsoftonline.us" },
  { "usgov-dod", N_("US Government DoD"),
    "https://login.microsoftonline.us", "https://dod-graph.microsoft.us",
    "https://login.microsoftonline.us" },
  { "china", N_("China (21Vianet)"),
    "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn",
    "https://accounts.accesscontrol.chinacloudapi.cn" },
};

static const char * const builtin_names[] = { "global", "usgov-high", "usgov-dod", "china", NULL };

static void
tb_cloud_finalize (GObject *object)
{
  TbCloud *self = TB_CLOUD (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->graph, g_free);
  g_clear_pointer (&self->acs, g_free);

  G_OBJECT_CLASS (tb_cloud_parent_class)->finalize (object);
}

static void
tb_cloud_class_init (TbCloudClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_cloud_finalize;
}

static void
tb_cloud_init (TbCloud *self)
{
}

const char * const *
tb_cloud_list_builtin (void)
{
  return builtin_names;
}

TbCloud *
tb_cloud_new_builtin (const char  *name,
                      GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      if (name != NULL && g_ascii_strcasecmp (name, builtins[i].name) == 0)
        {
          TbCloud *self = g_object_new (TB_TYPE_CLOUD, NULL);

          self->name = g_strdup (builtins[i].name);
          self->display_name = g_strdup (_(builtins[i].display_name));
          self->login = g_strdup (builtins[i].login);
          self->graph = g_strdup (builtins[i].graph);
          self->acs = g_strdup (builtins[i].acs);
          self->custom = FALSE;
          return self;
        }
    }

  g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_UNKNOWN_CLOUD,
               _("Unknown cloud “%s”. Known clouds: global, usgov-high, usgov-dod, china."),
               name ? name : "");
  return NULL;
}

gboolean
tb_cloud_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* Only literal addresses: a name that resolves to 127.0.0.1 today may not tomorrow. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
parse_checked (const char  *url,
               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL, _("The address is empty."));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL,
                   _("“%s” is not an absolute web address."), url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return g_steal_pointer (&uri);

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (tb_cloud_host_is_loopback (host))
        return g_steal_pointer (&uri);

      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL,
                   _("“%s” uses unencrypted http://, which is only allowed for this computer "
                     "(localhost, 127.0.0.1 or ::1). Use https://."), url);
      return NULL;
    }

  g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL,
               _("“%s” is not an http:// or https:// address."), url);
  return NULL;
}

gboolean
tb_cloud_check_url (const char  *url,
                    GError     **error)
{
  g_autoptr(GUri) uri = parse_checked (url, error);

  return uri != NULL;
}

/* A base URL: checked, no query, fragment or credentials, trailing slashes removed. */
static char *
normalize_base (const char  *key,
                const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stripped = NULL;
  gsize len;

  uri = parse_checked (url, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL,
                   /* Translators: %s is Login, Graph or Acs, then the reason */
                   _("%s address: %s"), key, local_error->message);
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_URL,
                   _("%s address “%s” must be a plain base address without “?”, “#” or a user "
                     "name."), key, url);
      return NULL;
    }

  stripped = g_strdup (url);
  g_strstrip (stripped);
  len = strlen (stripped);
  while (len > 0 && stripped[len - 1] == '/')
    stripped[--len] = '\0';

  return g_steal_pointer (&stripped);
}

TbCloud *
tb_cloud_new (const char  *name,
              const char  *login,
              const char  *graph,
              const char  *acs,
              GError     **error)
{
  g_autofree char *n_login = NULL;
  g_autofree char *n_graph = NULL;
  g_autofree char *n_acs = NULL;
  TbCloud *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(n_login = normalize_base ("Login", login, error))
      || !(n_graph = normalize_base ("Graph", graph, error))
      || !(n_acs = normalize_base ("Acs", acs, error)))
    return NULL;

  self = g_object_new (TB_TYPE_CLOUD, NULL);
  self->name = g_strdup (name && *name ? name : "custom");
  self->display_name = g_strdup (_("Custom endpoints"));
  self->login = g_steal_pointer (&n_login);
  self->graph = g_steal_pointer (&n_graph);
  self->acs = g_steal_pointer (&n_acs);
  self->custom = TRUE;

  return self;
}

/* An endpoints file is three URLs: anything bigger is not one. */
#define ENDPOINTS_MAX_SIZE (64 * 1024)

TbCloud *
tb_cloud_new_from_file (const char  *path,
                        GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *data = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  file = g_file_new_for_path (path);
  data = g_malloc (ENDPOINTS_MAX_SIZE + 1);
  /* One byte past the bound tells "too large" without reading a huge file. */
  if ((stream = g_file_read (file, NULL, &local_error)) == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), data, ENDPOINTS_MAX_SIZE + 1, &n_read,
                                NULL, &local_error))
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("Cannot read the endpoints file “%s”: %s"), display, local_error->message);
      return NULL;
    }
  if (n_read > ENDPOINTS_MAX_SIZE)
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("The endpoints file “%s” is larger than %d bytes."), display,
                   ENDPOINTS_MAX_SIZE);
      return NULL;
    }

  return tb_cloud_new_from_data (data, n_read, display, error);
}

/* GKeyFile's value parser can set its error twice for some escapes (a value ending in "\Y\"),
 * so it only gets text checked here first: UTF-8 without NUL bytes, and no backslash outside
 * comments — URLs never need an escape. Returns the 1-based line of the first problem, or 0. */
static guint
endpoints_text_problem (const char *data,
                        gsize       len,
                        gboolean   *not_utf8)
{
  guint line = 1;
  gboolean comment = FALSE;
  gboolean line_start = TRUE;

  *not_utf8 = !g_utf8_validate (data, len, NULL);
  if (*not_utf8)
    return 1;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '\n')
        {
          line++;
          comment = FALSE;
          line_start = TRUE;
          continue;
        }
      if (line_start && (c == ' ' || c == '\t'))
        continue;
      if (line_start && c == '#')
        comment = TRUE;
      line_start = FALSE;
      if (c == '\\' && !comment)
        return line;
    }

  return 0;
}

TbCloud *
tb_cloud_new_from_data (const char  *data,
                        gsize        len,
                        const char  *display_name,
                        GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  static const char * const keys[] = { "Login", "Graph", "Acs" };
  char *values[3] = { NULL, NULL, NULL };
  const char *display = display_name;
  TbCloud *self = NULL;
  gboolean not_utf8 = FALSE;
  guint bad_line;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);

  bad_line = endpoints_text_problem (data, len, &not_utf8);
  if (not_utf8)
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("The endpoints file “%s” is not UTF-8 text."), display);
      return NULL;
    }
  if (bad_line != 0)
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("Line %u of the endpoints file “%s” holds a backslash; endpoint addresses "
                     "need none."), bad_line, display);
      return NULL;
    }

  if (!g_key_file_load_from_data (key_file, data, len, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("Cannot read the endpoints file “%s”: %s"), display, local_error->message);
      return NULL;
    }

  if (!g_key_file_has_group (key_file, "Endpoints"))
    {
      g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                   _("The endpoints file “%s” has no [Endpoints] section."), display);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      values[i] = g_key_file_get_string (key_file, "Endpoints", keys[i], NULL);
      if (values[i] == NULL || *g_strstrip (values[i]) == '\0')
        {
          g_set_error (error, TB_CLOUD_ERROR, TB_CLOUD_ERROR_BAD_FILE,
                       _("The endpoints file “%s” has no %s= address in [Endpoints]."),
                       display, keys[i]);
          goto out;
        }
    }

  name = g_key_file_get_string (key_file, "Endpoints", "Name", NULL);
  self = tb_cloud_new (name, values[0], values[1], values[2], error);

out:
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_free (values[i]);

  return self;
}

const char *
tb_cloud_get_name (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  return self->name;
}

const char *
tb_cloud_get_display_name (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  return self->display_name;
}

const char *
tb_cloud_get_login (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  return self->login;
}

const char *
tb_cloud_get_graph (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  return self->graph;
}

const char *
tb_cloud_get_acs (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  return self->acs;
}

gboolean
tb_cloud_is_custom (TbCloud *self)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), FALSE);
  return self->custom;
}

static const char *
skip_slashes (const char *path)
{
  while (path != NULL && *path == '/')
    path++;
  return path;
}

char *
tb_cloud_login_uri (TbCloud    *self,
                    const char *tenant,
                    const char *path)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  g_return_val_if_fail (tenant != NULL, NULL);

  escaped = g_uri_escape_string (tenant, NULL, FALSE);
  if (path == NULL || *skip_slashes (path) == '\0')
    return g_strdup_printf ("%s/%s", self->login, escaped);

  return g_strdup_printf ("%s/%s/%s", self->login, escaped, skip_slashes (path));
}

char *
tb_cloud_graph_uri (TbCloud    *self,
                    const char *path)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);

  return g_strdup_printf ("%s/v1.0/%s", self->graph, skip_slashes (path ? path : ""));
}

char *
tb_cloud_acs_metadata_uri (TbCloud    *self,
                           const char *tenant_id)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  g_return_val_if_fail (tenant_id != NULL, NULL);

  escaped = g_uri_escape_string (tenant_id, NULL, FALSE);
  return g_strdup_printf ("%s/%s/metadata/json/1", self->acs, escaped);
}

char *
tb_cloud_graph_scope (TbCloud    *self,
                      const char *permission)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *origin = NULL;

  g_return_val_if_fail (TB_IS_CLOUD (self), NULL);
  g_return_val_if_fail (permission != NULL, NULL);

  /* The scope names the Graph resource, which is its origin: a path prefix in a custom file
   * is where requests go, not part of the resource identifier. */
  uri = g_uri_parse (self->graph, G_URI_FLAGS_NONE, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                       g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);

  return g_strdup_printf ("%s/%s", origin, permission);
}

/* Same scheme, host and port as @base, and a path inside @base's path. */
static gboolean
uri_is_under (const char *base,
              const char *candidate)
{
  g_autoptr(GUri) b = NULL;
  g_autoptr(GUri) c = NULL;
  const char *bpath;
  const char *cpath;
  gsize blen;

  if (candidate == NULL)
    return FALSE;

  b = g_uri_parse (base, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  c = g_uri_parse (candidate, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (b == NULL || c == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (g_uri_get_scheme (b), g_uri_get_scheme (c)) != 0
      || g_uri_get_host (c) == NULL
      || g_ascii_strcasecmp (g_uri_get_host (b), g_uri_get_host (c)) != 0
      || g_uri_get_port (b) != g_uri_get_port (c)
      || g_uri_get_userinfo (c) != NULL)
    return FALSE;

  bpath = g_uri_get_path (b);
  cpath = g_uri_get_path (c);
  blen = strlen (bpath);
  while (blen > 0 && bpath[blen - 1] == '/')
    blen--;
  if (blen == 0)
    return TRUE;

  return strncmp (bpath, cpath, blen) == 0 && (cpath[blen] == '\0' || cpath[blen] == '/');
}

gboolean
tb_cloud_is_graph_uri (TbCloud    *self,
                       const char *uri)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), FALSE);
  return uri_is_under (self->graph, uri);
}

gboolean
tb_cloud_is_login_uri (TbCloud    *self,
                       const char *uri)
{
  g_return_val_if_fail (TB_IS_CLOUD (self), FALSE);
  return uri_is_under (self->login, uri);
}
