/* tb-sim-graph.c: the Microsoft Graph v1.0 subset (organization, servicePrincipals, $batch)
 *
 * Behaves as Graph documents it, traps included: keyCredentials[].key is null except on a
 * single-object read whose $select names keyCredentials; PATCH replaces collections whole;
 * list pages are at most $top long and continue through an opaque @odata.nextLink.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-json.h"
#include "tb-sim-private.h"

#define ODATA_JSON "application/json;odata.metadata=minimal;odata.streaming=true;" \
                   "IEEE754Compatible=false;charset=utf-8"
#define MAX_BATCH 20
#define MAX_DEPTH 64
#define MAX_TOP 999
#define DEFAULT_TOP 100
#define MAX_KEY_DISPLAY_NAME 90
#define KEY_READ_WINDOW (60 * G_USEC_PER_SEC)

typedef struct
{
  TbSim              *self;
  const char         *method;
  char               *path;        /* after /v1.0, percent-decoded */
  GHashTable         *query;       /* decoded, may be NULL */
  SoupMessageHeaders *headers;
  GBytes             *body;
  TbSimPerm           perms;
  const char         *request_id;
  const char         *client_request_id;
  gboolean            in_batch;
} GraphRequest;

/* Properties a servicePrincipal has in v1.0 that $select may name; the ones the simulator
 * does not model come back null. */
static const char * const sp_properties[] = {
  "id", "deletedDateTime", "accountEnabled", "addIns", "alternativeNames", "appDescription",
  "appDisplayName", "appId", "applicationTemplateId", "appOwnerOrganizationId",
  "appRoleAssignmentRequired", "appRoles", "description", "disabledByMicrosoftStatus",
  "displayName", "homepage", "info", "keyCredentials", "loginUrl", "logoutUrl", "notes",
  "notificationEmailAddresses", "oauth2PermissionScopes", "passwordCredentials",
  "preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "replyUrls",
  "resourceSpecificApplicationPermissions", "samlSingleSignOnSettings",
  "servicePrincipalNames", "servicePrincipalType", "signInAudience", "tags",
  "tokenEncryptionKeyId", "verifiedPublisher", NULL
};

static const char * const kc_properties[] = {
  "customKeyIdentifier", "displayName", "endDateTime", "key", "keyId", "startDateTime", "type",
  "usage", NULL
};

static TbSimReply *
graph_error (GraphRequest *req,
             guint         status,
             const char   *code,
             const char   *message)
{
  TbSimReply *reply = tb_sim_reply_new (status);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = tb_sim_now_iso ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "innerError");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "request-id");
  json_builder_add_string_value (b, req->request_id);
  json_builder_set_member_name (b, "client-request-id");
  json_builder_add_string_value (b, req->client_request_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return reply;
}

static TbSimReply *
graph_errorf (GraphRequest *req,
              guint         status,
              const char   *code,
              const char   *format,
              ...) G_GNUC_PRINTF (4, 5);

static TbSimReply *
graph_errorf (GraphRequest *req,
              guint         status,
              const char   *code,
              const char   *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  return graph_error (req, status, code, message);
}

static TbSimReply *
insufficient_privileges (GraphRequest *req)
{
  return graph_error (req, SOUP_STATUS_FORBIDDEN, "Authorization_RequestDenied",
                      "Insufficient privileges to complete the operation.");
}

static TbSimReply *
reply_json (guint     status,
            JsonNode *body)
{
  TbSimReply *reply = tb_sim_reply_new (status);

  reply->body = body;
  tb_sim_reply_add_header (reply, "OData-Version", "4.0");
  return reply;
}

/* Injected throttling and errors: each Graph request (each $batch item) takes one. */
static TbSimReply *
take_injected (GraphRequest *req)
{
  TbSim *self = req->self;

  if (self->throttle_count > 0)
    {
      TbSimReply *reply;

      self->throttle_count--;
      reply = graph_error (req, 429, "TooManyRequests", "Please retry again later.");
      if (self->throttle_retry_after != NULL)
        tb_sim_reply_add_header (reply, "Retry-After", self->throttle_retry_after);
      return reply;
    }
  if (self->error_count > 0)
    {
      TbSimReply *reply;
      const char *code = "generalException";
      const char *message = "An unexpected error occurred.";

      self->error_count--;
      if (self->error_status == 503)
        {
          code = "serviceNotAvailable";
          message = "The service is temporarily unavailable. Try again later.";
        }
      else if (self->error_status == 504)
        {
          code = "gatewayTimeout";
          message = "The gateway timed out.";
        }
      else if (self->error_status == 429)
        {
          code = "TooManyRequests";
          message = "Please retry again later.";
        }
      reply = graph_error (req, self->error_status, code, message);
      return reply;
    }
  return NULL;
}

/* ---- serialisation ------------------------------------------------------------------ */

static const char *
canonical_property (const char * const *list,
                    const char         *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], name) == 0)
      return list[i];
  return NULL;
}

/* $select → canonical names, or NULL for "all". */
static gboolean
parse_select (GraphRequest *req,
              GPtrArray   **out,
              TbSimReply  **error)
{
  const char *select = req->query ? g_hash_table_lookup (req->query, "$select") : NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) names = NULL;

  *out = NULL;
  if (select == NULL)
    return TRUE;

  names = g_ptr_array_new ();
  items = g_strsplit (select, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *name = g_strstrip (items[i]);
      const char *canonical;

      if (*name == '\0')
        continue;
      canonical = canonical_property (sp_properties, name);
      if (canonical == NULL)
        {
          *error = graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "Could not find a property named '%s' on type "
                                 "'microsoft.graph.servicePrincipal'.", name);
          return FALSE;
        }
      if (!g_ptr_array_find_with_equal_func (names, canonical, g_str_equal, NULL))
        g_ptr_array_add (names, (gpointer) canonical);
    }
  *out = g_steal_pointer (&names);
  return TRUE;
}

static JsonNode *
copy_member (JsonObject *sp,
             const char *name,
             gboolean    with_keys)
{
  JsonNode *node = json_object_get_member (sp, name);

  if (node == NULL)
    return json_node_new (JSON_NODE_NULL);
  node = tb_sim_json_deep_copy (node);
  if (g_str_equal (name, "keyCredentials") && !with_keys &&
      JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *keys = json_node_get_array (node);

      /* Graph hides the certificate itself outside a single-object $select read. */
      for (guint i = 0; i < json_array_get_length (keys); i++)
        json_object_set_null_member (json_array_get_object_element (keys, i), "key");
    }
  return node;
}

static JsonObject *
serialize_sp (JsonObject *sp,
              GPtrArray  *select,
              gboolean    with_keys)
{
  JsonObject *out = json_object_new ();

  if (select == NULL)
    {
      g_autoptr(GList) members = json_object_get_members (sp);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (out, l->data, copy_member (sp, l->data, FALSE));
      return out;
    }

  json_object_set_member (out, "id", copy_member (sp, "id", FALSE));
  for (guint i = 0; i < select->len; i++)
    {
      const char *name = g_ptr_array_index (select, i);

      if (!g_str_equal (name, "id"))
        json_object_set_member (out, name, copy_member (sp, name, with_keys));
    }
  return out;
}

static char *
context_url (TbSim      *self,
             GPtrArray  *select,
             gboolean    entity)
{
  GString *s = g_string_new (self->graph_base);

  g_string_append (s, "/v1.0/$metadata#servicePrincipals");
  if (select != NULL)
    {
      g_string_append_c (s, '(');
      for (guint i = 0; i < select->len; i++)
        {
          if (i > 0)
            g_string_append_c (s, ',');
          g_string_append (s, g_ptr_array_index (select, i));
        }
      g_string_append_c (s, ')');
    }
  if (entity)
    g_string_append (s, "/$entity");
  return g_string_free (s, FALSE);
}

/* ---- $filter ------------------------------------------------------------------------ */

typedef enum
{
  F_EQ, F_NE, F_IN, F_STARTSWITH, F_ANY_EQ, F_AND, F_OR, F_NOT,
} FilterOp;

typedef struct _Filter Filter;
struct _Filter
{
  FilterOp   op;
  char      *property;
  GPtrArray *values;     /* char*; NULL entries for null literal; "true"/"false" for booleans */
  Filter    *left;
  Filter    *right;
};

static void
filter_free (Filter *f)
{
  if (f == NULL)
    return;
  g_free (f->property);
  g_clear_pointer (&f->values, g_ptr_array_unref);
  filter_free (f->left);
  filter_free (f->right);
  g_free (f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Filter, filter_free)

typedef struct
{
  const char *p;
  char       *error;        /* message for 400 */
  gboolean    unsupported;  /* Request_UnsupportedQuery rather than BadRequest */
  guint       depth;
} Lexer;

static void
skip_ws (Lexer *lx)
{
  while (*lx->p == ' ' || *lx->p == '\t')
    lx->p++;
}

static char *
read_ident (Lexer *lx)
{
  const char *start;

  skip_ws (lx);
  start = lx->p;
  while (g_ascii_isalnum (*lx->p) || *lx->p == '/' || *lx->p == '_' || *lx->p == '.')
    lx->p++;
  if (lx->p == start)
    return NULL;
  return g_strndup (start, lx->p - start);
}

static gboolean
accept (Lexer      *lx,
        const char *token)
{
  gsize len = strlen (token);

  skip_ws (lx);
  if (g_ascii_strncasecmp (lx->p, token, len) != 0)
    return FALSE;
  /* Keywords end at a word boundary. */
  if (g_ascii_isalpha (token[len - 1]) && g_ascii_isalnum (lx->p[len]))
    return FALSE;
  lx->p += len;
  return TRUE;
}

/* 'text' with '' for a quote; null; true; false; or a bare GUID. */
static gboolean
read_literal (Lexer  *lx,
              char  **out)
{
  skip_ws (lx);
  *out = NULL;
  if (*lx->p == '\'')
    {
      GString *s = g_string_new (NULL);

      lx->p++;
      for (;;)
        {
          if (*lx->p == '\0')
            {
              g_string_free (s, TRUE);
              return FALSE;
            }
          if (*lx->p == '\'')
            {
              if (lx->p[1] == '\'')
                {
                  g_string_append_c (s, '\'');
                  lx->p += 2;
                  continue;
                }
              lx->p++;
              break;
            }
          g_string_append_c (s, *lx->p++);
        }
      *out = g_string_free (s, FALSE);
      return TRUE;
    }
  if (accept (lx, "null"))
    return TRUE;
  if (accept (lx, "true"))
    {
      *out = g_strdup ("true");
      return TRUE;
    }
  if (accept (lx, "false"))
    {
      *out = g_strdup ("false");
      return TRUE;
    }
  return FALSE;
}

static const char * const filterable[] = {
  "id", "appId", "displayName", "accountEnabled", "servicePrincipalType", "appOwnerOrganizationId",
  NULL
};

static Filter *parse_or (Lexer *lx);

static Filter *
parse_factor (Lexer *lx)
{
  g_autoptr(Filter) f = g_new0 (Filter, 1);
  g_autofree char *ident = NULL;
  const char *canonical;

  if (++lx->depth > 32)
    {
      lx->error = g_strdup ("Invalid filter clause: nested too deeply.");
      return NULL;
    }

  skip_ws (lx);
  if (accept (lx, "("))
    {
      Filter *inner = parse_or (lx);

      if (inner == NULL)
        return NULL;
      if (!accept (lx, ")"))
        {
          filter_free (inner);
          lx->error = g_strdup ("Invalid filter clause: ')' expected.");
          return NULL;
        }
      lx->depth--;
      return inner;
    }
  if (accept (lx, "not"))
    {
      f->op = F_NOT;
      f->left = parse_factor (lx);
      if (f->left == NULL)
        return NULL;
      lx->depth--;
      return g_steal_pointer (&f);
    }
  if (accept (lx, "startswith"))
    {
      g_autofree char *prop = NULL;
      char *value = NULL;

      if (!accept (lx, "(") || (prop = read_ident (lx)) == NULL || !accept (lx, ",") ||
          !read_literal (lx, &value) || value == NULL || !accept (lx, ")"))
        {
          g_free (value);
          lx->error = g_strdup ("Invalid filter clause: startswith(property,'text') expected.");
          return NULL;
        }
      canonical = canonical_property (filterable, prop);
      if (canonical == NULL || g_str_equal (canonical, "accountEnabled"))
        {
          g_free (value);
          lx->unsupported = TRUE;
          lx->error = g_strdup_printf ("Unsupported or invalid query filter clause specified "
                                       "for property '%s' of resource 'ServicePrincipal'.", prop);
          return NULL;
        }
      f->op = F_STARTSWITH;
      f->property = g_strdup (canonical);
      f->values = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (f->values, value);
      lx->depth--;
      return g_steal_pointer (&f);
    }

  ident = read_ident (lx);
  if (ident == NULL)
    {
      lx->error = g_strdup ("Invalid filter clause: a property name was expected.");
      return NULL;
    }

  if (g_ascii_strncasecmp (ident, "servicePrincipalNames/any", 25) == 0 &&
      ident[25] == '\0')
    {
      g_autofree char *var = NULL;
      g_autofree char *var2 = NULL;
      char *value = NULL;

      if (!accept (lx, "(") || (var = read_ident (lx)) == NULL || !accept (lx, ":") ||
          (var2 = read_ident (lx)) == NULL || !g_str_equal (var, var2) || !accept (lx, "eq") ||
          !read_literal (lx, &value) || value == NULL || !accept (lx, ")"))
        {
          g_free (value);
          lx->error = g_strdup ("Invalid filter clause: servicePrincipalNames/any(x:x eq 'v') "
                                "expected.");
          return NULL;
        }
      f->op = F_ANY_EQ;
      f->property = g_strdup ("servicePrincipalNames");
      f->values = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (f->values, value);
      lx->depth--;
      return g_steal_pointer (&f);
    }

  canonical = canonical_property (filterable, ident);
  if (canonical == NULL)
    {
      lx->unsupported = TRUE;
      lx->error = g_strdup_printf ("Unsupported or invalid query filter clause specified for "
                                   "property '%s' of resource 'ServicePrincipal'.", ident);
      return NULL;
    }
  f->property = g_strdup (canonical);
  f->values = g_ptr_array_new_with_free_func (g_free);

  if (accept (lx, "eq") || (f->op = F_NE, accept (lx, "ne")))
    {
      char *value = NULL;

      if (f->op != F_NE)
        f->op = F_EQ;
      if (!read_literal (lx, &value))
        {
          lx->error = g_strdup ("Invalid filter clause: a literal was expected.");
          return NULL;
        }
      g_ptr_array_add (f->values, value);
    }
  else if (accept (lx, "in"))
    {
      f->op = F_IN;
      if (!accept (lx, "("))
        {
          lx->error = g_strdup ("Invalid filter clause: '(' expected after 'in'.");
          return NULL;
        }
      do
        {
          char *value = NULL;

          if (!read_literal (lx, &value))
            {
              lx->error = g_strdup ("Invalid filter clause: a literal was expected.");
              return NULL;
            }
          g_ptr_array_add (f->values, value);
        }
      while (accept (lx, ","));
      if (!accept (lx, ")"))
        {
          lx->error = g_strdup ("Invalid filter clause: ')' expected.");
          return NULL;
        }
      if (f->values->len > 15)
        {
          lx->error = g_strdup ("Too many child clauses specified in search filter expression "
                                "containing 'OR' operators: 16. Max allowed: 15.");
          return NULL;
        }
    }
  else
    {
      lx->unsupported = TRUE;
      lx->error = g_strdup_printf ("Unsupported query filter clause for property '%s'.", ident);
      return NULL;
    }
  lx->depth--;
  return g_steal_pointer (&f);
}

static Filter *
parse_and (Lexer *lx)
{
  Filter *left = parse_factor (lx);

  while (left != NULL && accept (lx, "and"))
    {
      Filter *node = g_new0 (Filter, 1);

      node->op = F_AND;
      node->left = left;
      node->right = parse_factor (lx);
      left = node;
      if (node->right == NULL)
        {
          filter_free (node);
          return NULL;
        }
    }
  return left;
}

static Filter *
parse_or (Lexer *lx)
{
  Filter *left = parse_and (lx);

  while (left != NULL && accept (lx, "or"))
    {
      Filter *node = g_new0 (Filter, 1);

      node->op = F_OR;
      node->left = left;
      node->right = parse_and (lx);
      left = node;
      if (node->right == NULL)
        {
          filter_free (node);
          return NULL;
        }
    }
  return left;
}

static gboolean
value_equal (JsonNode   *node,
             const char *literal)
{
  if (literal == NULL)
    return node == NULL || JSON_NODE_HOLDS_NULL (node);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_str_equal (literal, json_node_get_boolean (node) ? "true" : "false");
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *a = g_utf8_casefold (json_node_get_string (node), -1);
      g_autofree char *b = g_utf8_casefold (literal, -1);

      return g_str_equal (a, b);
    }
  return FALSE;
}

static gboolean
filter_matches (Filter     *f,
                JsonObject *sp)
{
  JsonNode *node = f->property ? json_object_get_member (sp, f->property) : NULL;

  switch (f->op)
    {
    case F_AND:
      return filter_matches (f->left, sp) && filter_matches (f->right, sp);
    case F_OR:
      return filter_matches (f->left, sp) || filter_matches (f->right, sp);
    case F_NOT:
      return !filter_matches (f->left, sp);
    case F_EQ:
      return value_equal (node, g_ptr_array_index (f->values, 0));
    case F_NE:
      return !value_equal (node, g_ptr_array_index (f->values, 0));
    case F_IN:
      for (guint i = 0; i < f->values->len; i++)
        if (value_equal (node, g_ptr_array_index (f->values, i)))
          return TRUE;
      return FALSE;
    case F_STARTSWITH:
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *a = g_utf8_casefold (json_node_get_string (node), -1);
          g_autofree char *b = g_utf8_casefold (g_ptr_array_index (f->values, 0), -1);

          return g_str_has_prefix (a, b);
        }
      return FALSE;
    case F_ANY_EQ:
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *a = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (a); i++)
            if (value_equal (json_array_get_element (a, i), g_ptr_array_index (f->values, 0)))
              return TRUE;
        }
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* ---- handlers ----------------------------------------------------------------------- */

static TbSimReply *
get_organization (GraphRequest *req)
{
  TbSim *self = req->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *context = g_strdup_printf ("%s/v1.0/$metadata#organization", self->graph_base);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->tenant_id);
  json_builder_set_member_name (b, "displayName");
  json_builder_add_string_value (b, self->org_display_name);
  json_builder_set_member_name (b, "countryLetterCode");
  json_builder_add_string_value (b, "US");
  json_builder_set_member_name (b, "tenantType");
  json_builder_add_string_value (b, "AAD");
  json_builder_set_member_name (b, "verifiedDomains");
  json_builder_begin_array (b);
  for (guint i = 0; self->domains[i] != NULL; i++)
    {
      gboolean initial = (i == 0);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "capabilities");
      json_builder_add_string_value (b, initial ? "Email, OfficeCommunicationsOnline"
                                                : "Email, OfficeCommunicationsOnline, "
                                                  "FullRedelegation");
      json_builder_set_member_name (b, "isDefault");
      json_builder_add_boolean_value (b, !initial);
      json_builder_set_member_name (b, "isInitial");
      json_builder_add_boolean_value (b, initial);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, self->domains[i]);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "Managed");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

static gboolean
parse_uint (const char *s,
            guint64     max,
            guint64    *out)
{
  char *end = NULL;
  guint64 v;

  if (s == NULL || *s == '\0' || !g_ascii_isdigit (*s))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (s, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static void
append_param (GString    *s,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (s, s->str[s->len - 1] == '?' ? '?' : '&');
  if (s->str[s->len - 1] == '?' && s->str[s->len - 2] == '?')
    g_string_truncate (s, s->len - 1);
  g_string_append_printf (s, "%s=%s", name, escaped);
}

static TbSimReply *
list_service_principals (GraphRequest *req)
{
  TbSim *self = req->self;
  const char *filter_text = NULL;
  const char *top_text = NULL;
  const char *skip_text = NULL;
  const char *count_text = NULL;
  g_autoptr(GPtrArray) select = NULL;
  g_autoptr(Filter) filter = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  TbSimReply *error = NULL;
  guint64 top = DEFAULT_TOP;
  guint64 offset = 0;
  gboolean count = FALSE;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *context = NULL;
  guint total;
  guint scan;

  if (req->query != NULL)
    {
      GHashTableIter iter;
      const char *key;

      g_hash_table_iter_init (&iter, req->query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        {
          if (key[0] != '$')
            continue;
          if (!g_str_equal (key, "$filter") && !g_str_equal (key, "$select") &&
              !g_str_equal (key, "$top") && !g_str_equal (key, "$skiptoken") &&
              !g_str_equal (key, "$count"))
            return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_UnsupportedQuery",
                                 "The query option '%s' is not supported on this resource.", key);
        }
      filter_text = g_hash_table_lookup (req->query, "$filter");
      top_text = g_hash_table_lookup (req->query, "$top");
      skip_text = g_hash_table_lookup (req->query, "$skiptoken");
      count_text = g_hash_table_lookup (req->query, "$count");
    }

  if (!parse_select (req, &select, &error))
    return error;

  if (top_text != NULL && (!parse_uint (top_text, G_MAXUINT32, &top) || top < 1 || top > MAX_TOP))
    return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                         "Invalid page size specified: '%s'. Must be between 1 and %u inclusive.",
                         top_text, MAX_TOP);

  if (count_text != NULL)
    {
      const char *consistency = soup_message_headers_get_one (req->headers, "ConsistencyLevel");

      if (g_ascii_strcasecmp (count_text, "true") == 0)
        count = TRUE;
      else if (g_ascii_strcasecmp (count_text, "false") != 0)
        return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "Invalid $count value '%s'.", count_text);
      /* Advanced queries need the header; without it Graph refuses rather than guessing. */
      if (count && g_ascii_strcasecmp (consistency ? consistency : "", "eventual") != 0)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                            "$count is not currently supported.");
    }

  if (skip_text != NULL)
    {
      gpointer value = g_hash_table_lookup (self->skip_tokens, skip_text);

      if (value == NULL)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                            "Skip token is null or invalid.");
      offset = GPOINTER_TO_UINT (value) - 1;
    }

  if (filter_text != NULL)
    {
      Lexer lx = { filter_text, NULL, FALSE, 0 };

      filter = parse_or (&lx);
      if (filter != NULL && (skip_ws (&lx), *lx.p != '\0'))
        {
          g_clear_pointer (&filter, filter_free);
          lx.error = g_strdup_printf ("Invalid filter clause: syntax error at '%s'.", lx.p);
        }
      if (filter == NULL)
        {
          g_autofree char *message = lx.error ? lx.error : g_strdup ("Invalid filter clause");

          return graph_error (req, SOUP_STATUS_BAD_REQUEST,
                              lx.unsupported ? "Request_UnsupportedQuery" : "BadRequest",
                              message);
        }
    }

  /* Some directories refuse this filter; the client must then page through everything. */
  if (filter_text != NULL && self->owner_filter_refused)
    {
      g_autofree char *lower = g_ascii_strdown (filter_text, -1);

      if (strstr (lower, "appownerorganizationid") != NULL)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_UnsupportedQuery",
                            "Unsupported or invalid query filter clause specified for property "
                            "'appOwnerOrganizationId' of resource 'ServicePrincipal'.");
    }

  /* One pass from where the last page stopped, holding only this page's principals: a large
   * tenant's principals are made up as they are read (tb-sim-population.c). The skip token
   * stands for the position in the whole listing. */
  total = tb_sim_population_size (self);
  for (scan = offset; scan < total; scan++)
    {
      g_autoptr(JsonObject) sp = tb_sim_population_get (self, scan);

      if (filter != NULL && !filter_matches (filter, sp))
        continue;
      if (matches->len == top)
        break;
      g_ptr_array_add (matches, g_steal_pointer (&sp));
    }

  context = context_url (self, select, FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  /* Counted on the first page: counting again on every page would read the whole tenant
   * once a page. */
  if (count && skip_text == NULL)
    {
      guint n = 0;

      for (guint i = 0; i < total; i++)
        {
          g_autoptr(JsonObject) sp = tb_sim_population_get (self, i);

          if (filter == NULL || filter_matches (filter, sp))
            n++;
        }
      json_builder_set_member_name (b, "@odata.count");
      json_builder_add_int_value (b, n);
    }

  if (scan < total)
    {
      GString *next = g_string_new (self->graph_base);
      g_autofree char *token = tb_sim_random_token (24);

      /* The token is opaque, as Graph's is: clients must follow the link verbatim. */
      if (g_hash_table_size (self->skip_tokens) > 100000)
        g_hash_table_remove_all (self->skip_tokens);
      g_hash_table_insert (self->skip_tokens, g_strdup (token), GUINT_TO_POINTER (scan + 1));

      g_string_append (next, "/v1.0/servicePrincipals?");
      if (filter_text != NULL)
        append_param (next, "$filter", filter_text);
      if (req->query != NULL && g_hash_table_lookup (req->query, "$select") != NULL)
        append_param (next, "$select", g_hash_table_lookup (req->query, "$select"));
      if (top_text != NULL)
        append_param (next, "$top", top_text);
      if (count_text != NULL)
        append_param (next, "$count", count_text);
      append_param (next, "$skiptoken", token);
      json_builder_set_member_name (b, "@odata.nextLink");
      json_builder_add_string_value (b, next->str);
      g_string_free (next, TRUE);
    }

  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  for (guint i = 0; i < matches->len; i++)
    {
      JsonObject *item = serialize_sp (g_ptr_array_index (matches, i), select, FALSE);
      JsonNode *node = json_node_init_object (json_node_alloc (), item);

      json_builder_add_value (b, node);
      json_object_unref (item);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

/* Graph limits single-object reads that return keys: 150 a minute per tenant. */
static TbSimReply *
take_key_read (GraphRequest *req)
{
  TbSim *self = req->self;
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->key_reads) &&
         now - *(gint64 *) g_queue_peek_head (&self->key_reads) >= KEY_READ_WINDOW)
    g_free (g_queue_pop_head (&self->key_reads));

  if (g_queue_get_length (&self->key_reads) >= TB_SIM_KEYS_PER_MIN)
    {
      gint64 oldest = *(gint64 *) g_queue_peek_head (&self->key_reads);
      gint64 wait_us = KEY_READ_WINDOW - (now - oldest);
      g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                MAX (1, (wait_us + G_USEC_PER_SEC - 1) /
                                                        G_USEC_PER_SEC));
      TbSimReply *reply = graph_error (req, 429, "TooManyRequests",
                                       "Too many requests for keyCredentials. Please retry "
                                       "again later.");

      tb_sim_reply_add_header (reply, "Retry-After", retry);
      return reply;
    }

  g_queue_push_tail (&self->key_reads, g_memdup2 (&now, sizeof now));
  return NULL;
}

static TbSimReply *
get_service_principal (GraphRequest *req,
                       JsonObject   *sp)
{
  g_autoptr(GPtrArray) select = NULL;
  TbSimReply *error = NULL;
  gboolean with_keys = FALSE;
  JsonObject *out;
  g_autofree char *context = NULL;

  if (!parse_select (req, &select, &error))
    return error;
  if (select != NULL && g_ptr_array_find_with_equal_func (select, "keyCredentials", g_str_equal,
                                                         NULL))
    {
      error = take_key_read (req);
      if (error != NULL)
        return error;
      with_keys = TRUE;
    }

  out = serialize_sp (sp, select, with_keys);
  context = context_url (req->self, select, TRUE);
  json_object_set_string_member (out, "@odata.context", context);
  return reply_json (SOUP_STATUS_OK, json_node_init_object (json_node_alloc (), out));
}

/* ---- PATCH -------------------------------------------------------------------------- */

/* RFC 4648 §4 only: what OData's Edm.Binary accepts. PEM armour, line breaks and the
 * base64url alphabet are refused. */
static GBytes *
decode_base64_strict (const char *text)
{
  gsize len = strlen (text);
  gsize out_len = 0;
  guchar *data;

  if (len == 0 || len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && (i == len - 1 || (i == len - 2 && text[len - 1] == '=')))
        continue;
      return NULL;
    }
  data = g_base64_decode (text, &out_len);
  return g_bytes_new_take (data, out_len);
}

/* json-glib recurses per nesting level and reads comments and single quotes; the same strict
 * gate as the client's (RFC 8259 JSON, bounded depth) keeps a hostile body from it. Graph
 * refuses such a payload with 400 too. */
static gboolean
depth_ok (GBytes *body)
{
  gsize len;
  const char *p = g_bytes_get_data (body, &len);

  return tb_json_check (p, len, MAX_DEPTH, NULL);
}

static JsonNode *
parse_json_body (GraphRequest  *req,
                 TbSimReply   **error)
{
  const char *type = soup_message_headers_get_content_type (req->headers, NULL);
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") != 0 || len == 0 ||
      !depth_ok (req->body))
    {
      *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "Unable to read JSON request payload. Please ensure Content-Type "
                            "header is set and payload is of valid JSON format.");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "Unable to read JSON request payload. Please ensure Content-Type "
                            "header is set and payload is of valid JSON format.");
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
is_string_or_null (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING);
}

static const char *
string_or_null (JsonObject *o,
                const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static TbSimReply *
type_error (GraphRequest *req,
            const char   *edm_type,
            const char   *property)
{
  return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                       "Cannot convert the value of property '%s' to the expected type '%s'.",
                       property, edm_type);
}

static TbSimReply *
invalid_kc_value (GraphRequest *req,
                  const char   *property)
{
  return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                       "Invalid value specified for property '%s' of resource 'KeyCredential'.",
                       property);
}

static GDateTime *
parse_date (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (text, utc);
}

static gboolean
same_instant (const char *a,
              const char *b)
{
  g_autoptr(GDateTime) da = parse_date (a);
  g_autoptr(GDateTime) db = parse_date (b);

  return da != NULL && db != NULL && g_date_time_compare (da, db) == 0;
}

/* Builds the stored form of one requested key credential, or the error Graph gives. */
static JsonObject *
build_key_credential (GraphRequest  *req,
                      JsonObject    *in,
                      JsonArray     *existing,
                      TbSimReply   **error)
{
  g_autoptr(GList) members = json_object_get_members (in);
  const char *key_id;
  const char *key_text;
  const char *type;
  const char *usage;
  const char *display_name;
  const char *custom;
  const char *start_text;
  const char *end_text;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(TbCertificate) cert = NULL;
  JsonObject *out;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (in, name);

      if (g_str_equal (name, "@odata.type"))
        continue;
      if (canonical_property (kc_properties, name) == NULL ||
          !g_str_equal (canonical_property (kc_properties, name), name))
        {
          *error = graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                 "The property '%s' does not exist on type "
                                 "'microsoft.graph.keyCredential'. Make sure to only use "
                                 "property names that are defined by the type.", name);
          return NULL;
        }
      if (!is_string_or_null (node))
        {
          const char *edm = g_str_equal (name, "keyId") ? "Edm.Guid"
                          : g_str_equal (name, "key") || g_str_equal (name, "customKeyIdentifier")
                            ? "Edm.Binary"
                          : g_str_has_suffix (name, "DateTime") ? "Edm.DateTimeOffset"
                          : "Edm.String";
          *error = type_error (req, edm, name);
          return NULL;
        }
    }

  key_id = string_or_null (in, "keyId");
  key_text = string_or_null (in, "key");
  type = string_or_null (in, "type");
  usage = string_or_null (in, "usage");
  display_name = string_or_null (in, "displayName");
  custom = string_or_null (in, "customKeyIdentifier");
  start_text = string_or_null (in, "startDateTime");
  end_text = string_or_null (in, "endDateTime");

  if (key_id != NULL && !tb_sim_is_guid (key_id))
    {
      *error = graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "Cannot convert the literal '%s' to the expected type 'Edm.Guid'.",
                             key_id);
      return NULL;
    }
  if (key_text != NULL && (key = decode_base64_strict (key_text)) == NULL)
    {
      *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                            "Cannot convert a primitive value to the expected type 'Edm.Binary'. "
                            "See the inner exception for more details.");
      return NULL;
    }
  if (custom != NULL)
    {
      g_autoptr(GBytes) decoded = decode_base64_strict (custom);

      if (decoded == NULL)
        {
          *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                "Cannot convert a primitive value to the expected type "
                                "'Edm.Binary'. See the inner exception for more details.");
          return NULL;
        }
    }
  if ((start_text != NULL && (start = parse_date (start_text)) == NULL) ||
      (end_text != NULL && (end = parse_date (end_text)) == NULL))
    {
      *error = graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "Cannot convert the literal '%s' to the expected type "
                             "'Edm.DateTimeOffset'.", start == NULL && start_text != NULL
                                                      ? start_text : end_text);
      return NULL;
    }
  if (display_name != NULL && g_utf8_strlen (display_name, -1) > MAX_KEY_DISPLAY_NAME)
    {
      *error = invalid_kc_value (req, "displayName");
      return NULL;
    }

  /* An existing keyId: the entry is kept only if it is sent back unchanged. */
  if (key_id != NULL)
    {
      for (guint i = 0; existing != NULL && i < json_array_get_length (existing); i++)
        {
          JsonObject *old = json_array_get_object_element (existing, i);
          const char *old_start;
          const char *old_end;

          if (g_ascii_strcasecmp (string_or_null (old, "keyId"), key_id) != 0)
            continue;
          old_start = string_or_null (old, "startDateTime");
          old_end = string_or_null (old, "endDateTime");
          if (key_text == NULL || g_strcmp0 (key_text, string_or_null (old, "key")) != 0 ||
              g_strcmp0 (type, string_or_null (old, "type")) != 0 ||
              g_strcmp0 (usage, string_or_null (old, "usage")) != 0 ||
              (display_name != NULL &&
               g_strcmp0 (display_name, string_or_null (old, "displayName")) != 0) ||
              (custom != NULL && g_strcmp0 (custom, string_or_null (old, "customKeyIdentifier")) != 0) ||
              (start_text != NULL && !same_instant (start_text, old_start)) ||
              (end_text != NULL && !same_instant (end_text, old_end)))
            {
              *error = graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Update to existing credential with KeyId '%s' is not "
                                     "allowed.", key_id);
              return NULL;
            }
          return tb_sim_json_object_deep_copy (old);
        }
    }

  if (g_strcmp0 (type, "AsymmetricX509Cert") != 0)
    {
      *error = invalid_kc_value (req, "type");
      return NULL;
    }
  /* A certificate without its private key can only verify. */
  if (g_strcmp0 (usage, "Verify") != 0)
    {
      *error = invalid_kc_value (req, "usage");
      return NULL;
    }
  if (key == NULL || (cert = tb_certificate_new_from_der (key, NULL)) == NULL)
    {
      *error = invalid_kc_value (req, "key");
      return NULL;
    }

  if (start == NULL)
    start = g_date_time_ref (tb_certificate_get_not_before (cert));
  if (end == NULL)
    end = g_date_time_ref (tb_certificate_get_not_after (cert));
  if (g_date_time_compare (end, tb_certificate_get_not_after (cert)) > 0 ||
      g_date_time_compare (end, start) <= 0)
    {
      *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidEndDate",
                            "Key credential end date is invalid.");
      return NULL;
    }
  if (g_date_time_compare (start, tb_certificate_get_not_before (cert)) < 0)
    {
      *error = graph_error (req, SOUP_STATUS_BAD_REQUEST, "KeyCredentialsInvalidStartDate",
                            "Key credential start date is invalid.");
      return NULL;
    }

  out = json_object_new ();
  /* customKeyIdentifier is Edm.Binary. When the client leaves it out, Graph fills in the
   * certificate thumbprint, and what it shows is the upper-case SHA-1 hex string: that text
   * happens to be valid Base64, so it round-trips unchanged as a binary value. The simulator
   * stores exactly that string. */
  json_object_set_string_member (out, "customKeyIdentifier",
                                 custom ? custom : tb_certificate_get_sha1 (cert));
  json_object_set_string_member (out, "displayName",
                                 display_name ? display_name : tb_certificate_get_subject (cert));
  {
    g_autofree char *s = tb_format_iso8601_utc (end);
    json_object_set_string_member (out, "endDateTime", s);
  }
  {
    g_autofree char *b64 = tb_certificate_dup_base64 (cert);
    json_object_set_string_member (out, "key", b64);
  }
  {
    g_autofree char *new_id = key_id ? g_ascii_strdown (key_id, -1) : tb_sim_new_guid ();
    json_object_set_string_member (out, "keyId", new_id);
  }
  {
    g_autofree char *s = tb_format_iso8601_utc (start);
    json_object_set_string_member (out, "startDateTime", s);
  }
  json_object_set_string_member (out, "type", type);
  json_object_set_string_member (out, "usage", usage);
  return out;
}

static gboolean
spn_taken_elsewhere (TbSim      *self,
                     JsonObject *sp,
                     const char *name)
{
  for (guint i = 0; i < self->principals->len; i++)
    {
      JsonObject *other = g_ptr_array_index (self->principals, i);
      JsonArray *names;

      if (other == sp)
        continue;
      names = json_object_get_array_member (other, "servicePrincipalNames");
      for (guint j = 0; names != NULL && j < json_array_get_length (names); j++)
        if (g_ascii_strcasecmp (json_array_get_string_element (names, j), name) == 0)
          return TRUE;
    }
  return FALSE;
}

static TbSimReply *
patch_service_principal (GraphRequest *req,
                         JsonObject   *sp)
{
  TbSim *self = req->self;
  TbSimReply *error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *patch;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) updated = json_object_new ();
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  if (!(req->perms & TB_SIM_PERM_WRITE))
    return insufficient_privileges (req);

  root = parse_json_body (req, &error);
  if (root == NULL)
    return error;
  patch = json_node_get_object (root);

  /* Validate everything first: a refused PATCH changes nothing. */
  members = json_object_get_members (patch);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (patch, name);

      if (g_str_equal (name, "@odata.type"))
        continue;
      if (g_str_equal (name, "accountEnabled"))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return type_error (req, "Edm.Boolean", name);
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "notes"))
        {
          if (!is_string_or_null (node))
            return type_error (req, "Edm.String", name);
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "servicePrincipalNames") || g_str_equal (name, "tags"))
        {
          JsonArray *array;
          g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return type_error (req, "Collection(Edm.String)", name);
          array = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *e = json_array_get_element (array, i);
              g_autofree char *folded = NULL;

              if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
                return type_error (req, "Collection(Edm.String)", name);
              folded = g_utf8_casefold (json_node_get_string (e), -1);
              if (!g_hash_table_add (seen, g_steal_pointer (&folded)))
                return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                     "Property '%s' contains duplicate values.", name);
              if (g_str_equal (name, "servicePrincipalNames") &&
                  spn_taken_elsewhere (self, sp, json_node_get_string (e)))
                return graph_error (req, SOUP_STATUS_CONFLICT,
                                    "Request_MultipleObjectsWithSameKeyValue",
                                    "Another object with the same value for property "
                                    "servicePrincipalNames already exists.");
            }
          json_object_set_member (updated, name, json_node_copy (node));
        }
      else if (g_str_equal (name, "keyCredentials"))
        {
          JsonArray *array;
          JsonArray *result;
          JsonArray *existing = json_object_get_array_member (sp, "keyCredentials");
          g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return type_error (req, "Collection(microsoft.graph.keyCredential)", name);
          array = json_node_get_array (node);
          if (json_array_get_length (array) > TB_SIM_MAX_KEYS)
            return graph_error (req, SOUP_STATUS_BAD_REQUEST, "Directory_ResourceSizeExceeded",
                                "The size of the object has exceeded its limit. Please reduce "
                                "the number of values and retry your request.");
          result = json_array_new ();
          json_object_set_array_member (updated, name, result);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *e = json_array_get_element (array, i);
              JsonObject *kc;

              if (!JSON_NODE_HOLDS_OBJECT (e))
                return type_error (req, "microsoft.graph.keyCredential", name);
              kc = build_key_credential (req, json_node_get_object (e), existing, &error);
              if (kc == NULL)
                return error;
              if (!g_hash_table_add (ids, g_ascii_strdown (json_object_get_string_member (kc,
                                                                                         "keyId"),
                                                           -1)))
                {
                  json_object_unref (kc);
                  return graph_error (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                                      "Duplicate keyId in keyCredentials.");
                }
              json_array_add_object_element (result, kc);
            }
        }
      else if (canonical_property (sp_properties, name) != NULL)
        return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "Property '%s' is read-only and cannot be set.", name);
      else
        return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "The property '%s' does not exist on type "
                             "'microsoft.graph.servicePrincipal'. Make sure to only use property "
                             "names that are defined by the type.", name);
    }

  {
    g_autoptr(JsonObject) snapshot = tb_sim_json_object_deep_copy (sp);
    before = json_node_init_object (json_node_alloc (), snapshot);
  }
  {
    g_autoptr(GList) names = json_object_get_members (updated);

    for (GList *l = names; l != NULL; l = l->next)
      json_object_set_member (sp, l->data,
                              tb_sim_json_deep_copy (json_object_get_member (updated, l->data)));
  }
  after = json_node_init_object (json_node_alloc (), sp);
  if (!json_node_equal (before, after))
    self->write_count++;

  return tb_sim_reply_new (SOUP_STATUS_NO_CONTENT);
}

/* ---- routing ------------------------------------------------------------------------ */

static TbSimReply *
not_found (GraphRequest *req,
           const char   *what)
{
  return graph_errorf (req, SOUP_STATUS_NOT_FOUND, "Request_ResourceNotFound",
                       "Resource '%s' does not exist or one of its queried reference-property "
                       "objects are not present.", what);
}

static TbSimReply *dispatch_batch (GraphRequest *req);

static TbSimReply *
dispatch (GraphRequest *req)
{
  TbSim *self = req->self;
  const char *path = req->path;
  const char *method = req->method;
  JsonObject *sp = NULL;
  g_autofree char *key = NULL;

  if (g_str_equal (path, "/$batch"))
    {
      if (req->in_batch)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "Nested batch requests are not supported.");
      if (!g_str_equal (method, "POST"))
        return graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "BadRequest",
                            "The batch endpoint only accepts POST.");
      return dispatch_batch (req);
    }

  if (!(req->perms & (TB_SIM_PERM_READ | TB_SIM_PERM_WRITE)) &&
      !g_str_equal (path, "/organization"))
    return insufficient_privileges (req);

  if (g_str_equal (path, "/organization"))
    {
      if (!g_str_equal (method, "GET"))
        return graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                            "The request method is not supported on this resource.");
      return get_organization (req);
    }
  if (g_str_equal (path, "/servicePrincipals"))
    {
      if (!g_str_equal (method, "GET"))
        return graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                            "The request method is not supported on this resource.");
      return list_service_principals (req);
    }

  if (g_str_has_prefix (path, "/servicePrincipals(appId='") && g_str_has_suffix (path, "')"))
    {
      g_autofree char *app_id = g_strndup (path + 26, strlen (path) - 28);

      key = g_ascii_strdown (app_id, -1);
      sp = tb_sim_population_lookup (self, key, TRUE);
      if (sp == NULL)
        return not_found (req, app_id);
    }
  else if (g_str_has_prefix (path, "/servicePrincipals/") && strchr (path + 19, '/') == NULL)
    {
      const char *id = path + 19;

      if (!tb_sim_is_guid (id))
        return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
                             "Invalid object identifier '%s'.", id);
      key = g_ascii_strdown (id, -1);
      sp = tb_sim_population_lookup (self, key, FALSE);
      if (sp == NULL)
        return not_found (req, id);
    }
  else
    {
      const char *segment = path[0] == '/' ? path + 1 : path;
      g_autofree char *first = g_strndup (segment, strcspn (segment, "/("));

      return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                           "Resource not found for the segment '%s'.", first);
    }

  if (g_str_equal (method, "GET"))
    return get_service_principal (req, sp);
  if (g_str_equal (method, "PATCH"))
    return patch_service_principal (req, sp);
  return graph_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Request_BadRequest",
                      "The request method is not supported on this resource.");
}

/* ---- $batch ------------------------------------------------------------------------- */

typedef struct
{
  const char *id;
  JsonObject *request;
  TbSimReply *reply;
  char       *request_id;
} BatchItem;

static TbSimReply *
run_batch_item (GraphRequest *outer,
                BatchItem    *item)
{
  const char *url = json_object_get_string_member_with_default (item->request, "url", "");
  const char *method = json_object_get_string_member_with_default (item->request, "method", "");
  JsonObject *headers = NULL;
  JsonNode *body = json_object_get_member (item->request, "body");
  g_autoptr(SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  GraphRequest req = { 0 };
  g_autofree char *path_part = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(GBytes) body_bytes = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *upper = g_ascii_strup (method, -1);
  const char *q;
  TbSimReply *reply;

  if (json_object_has_member (item->request, "headers") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (item->request, "headers")))
    headers = json_object_get_object_member (item->request, "headers");

  req.self = outer->self;
  req.method = upper;
  req.perms = outer->perms;
  req.in_batch = TRUE;
  req.request_id = item->request_id;
  req.client_request_id = item->request_id;
  req.headers = h;

  if (headers != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (headers);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *v = json_object_get_member (headers, l->data);

          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            soup_message_headers_append (h, l->data, json_node_get_string (v));
        }
    }
  /* The outer request's consistency level applies to its items too. */
  if (soup_message_headers_get_one (h, "ConsistencyLevel") == NULL &&
      soup_message_headers_get_one (outer->headers, "ConsistencyLevel") != NULL)
    soup_message_headers_append (h, "ConsistencyLevel",
                                 soup_message_headers_get_one (outer->headers,
                                                               "ConsistencyLevel"));

  if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
    {
      body_text = json_to_string (body, FALSE);
      body_bytes = g_bytes_new (body_text, strlen (body_text));
      req.body = body_bytes;
    }

  if (g_str_has_prefix (url, "http:") || g_str_has_prefix (url, "https:") || *url == '\0')
    return graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                        "Invalid request URL: batch items take URLs relative to the version.");

  reply = take_injected (&req);
  if (reply != NULL)
    return reply;

  q = strchr (url, '?');
  path_part = q ? g_strndup (url, q - url) : g_strdup (url);
  if (q != NULL)
    query = soup_form_decode (q + 1);
  req.query = query;
  {
    g_autofree char *decoded = g_uri_unescape_string (path_part, NULL);

    if (decoded == NULL)
      return graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest", "Invalid request URL.");
    req.path = decoded[0] == '/' ? g_strdup (decoded) : g_strconcat ("/", decoded, NULL);
  }
  reply = dispatch (&req);
  g_free (req.path);
  return reply;
}

static JsonNode *
reply_to_batch_json (const char *id,
                     TbSimReply *reply)
{
  JsonObject *o = json_object_new ();
  JsonObject *headers = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_int_member (o, "status", reply->status);
  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    json_object_set_string_member (headers, g_ptr_array_index (reply->headers, i),
                                   g_ptr_array_index (reply->headers, i + 1));
  if (reply->body != NULL)
    json_object_set_string_member (headers, "Content-Type", ODATA_JSON);
  json_object_set_object_member (o, "headers", headers);
  if (reply->body != NULL)
    json_object_set_member (o, "body", tb_sim_json_deep_copy (reply->body));
  return json_node_init_object (json_node_alloc (), o);
}

static void
batch_item_clear (gpointer data)
{
  BatchItem *item = data;

  tb_sim_reply_free (item->reply);
  g_free (item->request_id);
}

static TbSimReply *
dispatch_batch (GraphRequest *req)
{
  TbSimReply *error = NULL;
  g_autoptr(JsonNode) root = parse_json_body (req, &error);
  JsonNode *requests_node;
  JsonArray *requests;
  g_autoptr(GArray) items = NULL;
  guint done = 0;
  g_autoptr(JsonBuilder) b = NULL;

  if (root == NULL)
    return error;
  requests_node = json_object_get_member (json_node_get_object (root), "requests");
  if (requests_node == NULL || !JSON_NODE_HOLDS_ARRAY (requests_node))
    return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest", "Invalid batch payload format.");
  requests = json_node_get_array (requests_node);
  if (json_array_get_length (requests) > MAX_BATCH)
    return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                         "The number of requests in a batch must not exceed %u.", MAX_BATCH);
  if (json_array_get_length (requests) == 0)
    return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                        "A batch must contain at least one request.");

  items = g_array_new (FALSE, TRUE, sizeof (BatchItem));
  g_array_set_clear_func (items, batch_item_clear);

  /* The whole batch is refused for malformed items, as Graph does before running any. */
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonNode *node = json_array_get_element (requests, i);
      JsonObject *r;
      JsonNode *body;
      BatchItem item = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "Invalid batch payload format.");
      r = json_node_get_object (node);
      item.id = json_object_get_string_member_with_default (r, "id", NULL);
      if (item.id == NULL || *item.id == '\0' ||
          json_object_get_string_member_with_default (r, "method", NULL) == NULL ||
          json_object_get_string_member_with_default (r, "url", NULL) == NULL)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "Each batch request needs an id, a method and a url.");
      for (guint j = 0; j < items->len; j++)
        if (g_str_equal (g_array_index (items, BatchItem, j).id, item.id))
          return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                               "Request id '%s' is used more than once.", item.id);
      body = json_object_get_member (r, "body");
      if (body != NULL && !JSON_NODE_HOLDS_NULL (body))
        {
          JsonNode *h = json_object_get_member (r, "headers");
          gboolean has_type = FALSE;

          if (h != NULL && JSON_NODE_HOLDS_OBJECT (h))
            {
              g_autoptr(GList) names = json_object_get_members (json_node_get_object (h));

              for (GList *l = names; l != NULL; l = l->next)
                if (g_ascii_strcasecmp (l->data, "Content-Type") == 0)
                  has_type = TRUE;
            }
          if (!has_type)
            return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                 "Write request id : %s does not contain Content-Type header "
                                 "or body.", item.id);
        }
      item.request = r;
      item.request_id = tb_sim_new_guid ();
      g_array_append_val (items, item);
    }
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *r = g_array_index (items, BatchItem, i).request;
      JsonNode *deps = json_object_get_member (r, "dependsOn");

      if (deps == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (deps))
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "dependsOn must be an array of request ids.");
      for (guint d = 0; d < json_array_get_length (json_node_get_array (deps)); d++)
        {
          JsonNode *dn = json_array_get_element (json_node_get_array (deps), d);
          const char *dep = JSON_NODE_HOLDS_VALUE (dn) &&
                            json_node_get_value_type (dn) == G_TYPE_STRING
                            ? json_node_get_string (dn) : NULL;
          gboolean found = FALSE;

          for (guint j = 0; dep != NULL && j < items->len; j++)
            if (j != i && g_str_equal (g_array_index (items, BatchItem, j).id, dep))
              found = TRUE;
          if (!found)
            return graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                                 "Request '%s' depends on an unknown request '%s'.",
                                 g_array_index (items, BatchItem, i).id, dep ? dep : "");
        }
    }

  /* Run in dependency order; an item whose dependency failed is not run (424). */
  while (done < items->len)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < items->len; i++)
        {
          BatchItem *item = &g_array_index (items, BatchItem, i);
          JsonNode *deps = json_object_get_member (item->request, "dependsOn");
          gboolean ready = TRUE;
          gboolean failed = FALSE;

          if (item->reply != NULL)
            continue;
          for (guint d = 0; deps != NULL && d < json_array_get_length (json_node_get_array (deps)); d++)
            {
              const char *dep = json_array_get_string_element (json_node_get_array (deps), d);

              for (guint j = 0; j < items->len; j++)
                {
                  BatchItem *other = &g_array_index (items, BatchItem, j);

                  if (!g_str_equal (other->id, dep))
                    continue;
                  if (other->reply == NULL)
                    ready = FALSE;
                  else if (other->reply->status >= 400)
                    failed = TRUE;
                }
            }
          if (!ready)
            continue;
          if (failed)
            {
              GraphRequest item_req = *req;

              item_req.request_id = item->request_id;
              item_req.client_request_id = item->request_id;
              item->reply = graph_error (&item_req, 424, "FailedDependency",
                                         "The request could not run because a request it "
                                         "depends on failed.");
            }
          else
            item->reply = run_batch_item (req, item);
          done++;
          progress = TRUE;
        }
      if (!progress)
        return graph_error (req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                            "The dependsOn graph of the batch has a cycle.");
    }

  /* Graph answers items in any order; so does the simulator, so clients match by id. */
  for (guint i = items->len; i > 1; i--)
    {
      guint j = g_random_int_range (0, i);
      BatchItem tmp = g_array_index (items, BatchItem, i - 1);

      g_array_index (items, BatchItem, i - 1) = g_array_index (items, BatchItem, j);
      g_array_index (items, BatchItem, j) = tmp;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "responses");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    {
      BatchItem *item = &g_array_index (items, BatchItem, i);

      json_builder_add_value (b, reply_to_batch_json (item->id, item->reply));
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return reply_json (SOUP_STATUS_OK, json_builder_get_root (b));
}

/* ---- HTTP edge ---------------------------------------------------------------------- */

static TbSimReply *
authenticate (GraphRequest      *req,
              SoupServerMessage *msg)
{
  TbSim *self = req->self;
  const char *auth = soup_message_headers_get_one (req->headers, "Authorization");
  TbSimAccessToken *token;
  TbSimReply *reply;
  const char *message;

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0 || auth[7] == '\0')
    message = "Access token is empty.";
  else if ((token = g_hash_table_lookup (self->access_tokens, auth + 7)) == NULL)
    message = "Access token validation failure. Invalid audience.";
  else if (g_get_monotonic_time () >= token->expires_at)
    message = "Lifetime validation failed, the token is expired.";
  else
    {
      req->perms = token->perms;
      return NULL;
    }

  reply = graph_error (req, SOUP_STATUS_UNAUTHORIZED, "InvalidAuthenticationToken", message);
  tb_sim_reply_add_header (reply, "WWW-Authenticate",
                           "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline."
                           "com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-"
                           "000000000000\"");
  return reply;
}

void
tb_sim_graph_handler (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  TbSim *self = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  g_autofree char *request_id = tb_sim_new_guid ();
  const char *client_request_id = soup_message_headers_get_one (request_headers,
                                                                "client-request-id");
  GraphRequest req = { 0 };
  g_autoptr(TbSimReply) reply = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *decoded = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);

  self->request_count++;

  /* Echo a well-formed client-request-id only; a hostile one must not reach headers. */
  if (client_request_id == NULL || !tb_sim_is_guid (client_request_id))
    client_request_id = request_id;

  req.self = self;
  req.method = soup_server_message_get_method (msg);
  req.query = query;
  req.headers = request_headers;
  req.request_id = request_id;
  req.client_request_id = client_request_id;

  if (request_body->length > TB_SIM_MAX_BODY)
    reply = graph_error (&req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "BadRequest",
                         "The request body is too large.");
  else if (!g_str_has_prefix (path, "/graph/v1.0/"))
    {
      reply = graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                           "Invalid version: the simulator serves v1.0 only.");
    }
  else if ((decoded = g_uri_unescape_string (path + strlen ("/graph/v1.0"), NULL)) == NULL)
    reply = graph_error (&req, SOUP_STATUS_BAD_REQUEST, "BadRequest", "Invalid request URL.");
  else
    {
      req.path = decoded;
      body = soup_message_body_flatten (request_body);
      req.body = body;
      reply = authenticate (&req, msg);
      if (reply == NULL && !g_str_equal (decoded, "/$batch"))
        reply = take_injected (&req);
      if (reply == NULL)
        reply = dispatch (&req);
    }

  soup_server_message_set_status (msg, reply->status, NULL);
  soup_message_headers_replace (response_headers, "request-id", request_id);
  soup_message_headers_replace (response_headers, "client-request-id", client_request_id);
  soup_message_headers_replace (response_headers, "Cache-Control", "no-cache");
  for (guint i = 0; i + 1 < reply->headers->len; i += 2)
    soup_message_headers_replace (response_headers, g_ptr_array_index (reply->headers, i),
                                  g_ptr_array_index (reply->headers, i + 1));
  if (reply->body != NULL)
    {
      char *text = json_to_string (reply->body, FALSE);

      soup_server_message_set_response (msg, ODATA_JSON, SOUP_MEMORY_TAKE, text, strlen (text));
    }
  tb_sim_finish (self, msg);
}
