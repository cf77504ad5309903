/* tb-sim-graph-odata.c: OData query options as Graph applies them: $select (keys hidden
 * outside a single-object read that names keyCredentials) and $filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-graph-odata"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-format.h"
#include "tb-json.h"
#include "tb-sim-graph-private.h"

/* ---- serialisation ------------------------------------------------------------------ */

const char *
_tb_sim_graph_canonical_property (const char * const *list,
                                  const char         *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (list[i], name) == 0)
      return list[i];
  return NULL;
}

/* $select → canonical names, or NULL for "all". */
gboolean
_tb_sim_graph_parse_select (GraphRequest *req,
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
      canonical = _tb_sim_graph_canonical_property (_tb_sim_graph_sp_properties, name);
      if (canonical == NULL)
        {
          *error = _tb_sim_graph_errorf (req, SOUP_STATUS_BAD_REQUEST, "Request_BadRequest",
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

JsonObject *
_tb_sim_graph_serialize_sp (JsonObject *sp,
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

char *
_tb_sim_graph_context_url (TbSim      *self,
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



void
_tb_sim_graph_filter_free (Filter *f)
{
  if (f == NULL)
    return;
  g_free (f->property);
  g_clear_pointer (&f->values, g_ptr_array_unref);
  _tb_sim_graph_filter_free (f->left);
  _tb_sim_graph_filter_free (f->right);
  g_free (f);
}


void
_tb_sim_graph_skip_ws (Lexer *lx)
{
  while (*lx->p == ' ' || *lx->p == '\t')
    lx->p++;
}

static char *
read_ident (Lexer *lx)
{
  const char *start;

  _tb_sim_graph_skip_ws (lx);
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

  _tb_sim_graph_skip_ws (lx);
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
  _tb_sim_graph_skip_ws (lx);
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



static Filter *parse_factor (Lexer *lx);

/* "( expr )": the caller has consumed the opening parenthesis. */
static Filter *
parse_group (Lexer *lx)
{
  Filter *inner = _tb_sim_graph_parse_or (lx);

  if (inner == NULL)
    return NULL;
  if (!accept (lx, ")"))
    {
      _tb_sim_graph_filter_free (inner);
      lx->error = g_strdup ("Invalid filter clause: ')' expected.");
      return NULL;
    }
  return inner;
}

/* "not factor": the caller has consumed "not". */
static Filter *
parse_not (Lexer *lx)
{
  g_autoptr(Filter) f = g_new0 (Filter, 1);

  f->op = F_NOT;
  f->left = parse_factor (lx);
  if (f->left == NULL)
    return NULL;
  return g_steal_pointer (&f);
}

/* "startswith(property,'text')" on a filterable string property: the caller has consumed
 * "startswith". Graph refuses it on accountEnabled and on properties it cannot filter. */
static Filter *
parse_startswith (Lexer *lx)
{
  g_autoptr(Filter) f = NULL;
  g_autofree char *prop = NULL;
  const char *canonical;
  char *value = NULL;

  if (!accept (lx, "(") || (prop = read_ident (lx)) == NULL || !accept (lx, ",") ||
      !read_literal (lx, &value) || value == NULL || !accept (lx, ")"))
    {
      g_free (value);
      lx->error = g_strdup ("Invalid filter clause: startswith(property,'text') expected.");
      return NULL;
    }
  canonical = _tb_sim_graph_canonical_property (filterable, prop);
  if (canonical == NULL || g_str_equal (canonical, "accountEnabled"))
    {
      g_free (value);
      lx->unsupported = TRUE;
      lx->error = g_strdup_printf ("Unsupported or invalid query filter clause specified "
                                   "for property '%s' of resource 'ServicePrincipal'.", prop);
      return NULL;
    }
  f = g_new0 (Filter, 1);
  f->op = F_STARTSWITH;
  f->property = g_strdup (canonical);
  f->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->values, value);
  return g_steal_pointer (&f);
}

/* "servicePrincipalNames/any(x:x eq 'v')": the caller has read the lambda's property. */
static Filter *
parse_any_eq (Lexer *lx)
{
  g_autoptr(Filter) f = NULL;
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
  f = g_new0 (Filter, 1);
  f->op = F_ANY_EQ;
  f->property = g_strdup ("servicePrincipalNames");
  f->values = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->values, value);
  return g_steal_pointer (&f);
}

/* The literals of "in ('a','b',…)" into @f: the caller has consumed "in". Graph allows at
 * most 15 of them, counting each as one OR clause. */
static gboolean
parse_in_list (Lexer  *lx,
               Filter *f)
{
  if (!accept (lx, "("))
    {
      lx->error = g_strdup ("Invalid filter clause: '(' expected after 'in'.");
      return FALSE;
    }
  do
    {
      char *value = NULL;

      if (!read_literal (lx, &value))
        {
          lx->error = g_strdup ("Invalid filter clause: a literal was expected.");
          return FALSE;
        }
      g_ptr_array_add (f->values, value);
    }
  while (accept (lx, ","));
  if (!accept (lx, ")"))
    {
      lx->error = g_strdup ("Invalid filter clause: ')' expected.");
      return FALSE;
    }
  if (f->values->len > 15)
    {
      lx->error = g_strdup ("Too many child clauses specified in search filter expression "
                            "containing 'OR' operators: 16. Max allowed: 15.");
      return FALSE;
    }
  return TRUE;
}

/* "property eq|ne literal" or "property in (…)" on a filterable property @ident. */
static Filter *
parse_comparison (Lexer      *lx,
                  const char *ident)
{
  g_autoptr(Filter) f = g_new0 (Filter, 1);
  const char *canonical = _tb_sim_graph_canonical_property (filterable, ident);

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
      if (!parse_in_list (lx, f))
        return NULL;
    }
  else
    {
      lx->unsupported = TRUE;
      lx->error = g_strdup_printf ("Unsupported query filter clause for property '%s'.", ident);
      return NULL;
    }
  return g_steal_pointer (&f);
}

/* One operand of "and": a group, a negation, a function call or a comparison. The nesting
 * depth is bounded so a hostile filter cannot exhaust the stack. */
static Filter *
parse_factor (Lexer *lx)
{
  g_autofree char *ident = NULL;
  Filter *f;

  if (++lx->depth > 32)
    {
      lx->error = g_strdup ("Invalid filter clause: nested too deeply.");
      return NULL;
    }

  _tb_sim_graph_skip_ws (lx);
  if (accept (lx, "("))
    f = parse_group (lx);
  else if (accept (lx, "not"))
    f = parse_not (lx);
  else if (accept (lx, "startswith"))
    f = parse_startswith (lx);
  else if ((ident = read_ident (lx)) == NULL)
    {
      lx->error = g_strdup ("Invalid filter clause: a property name was expected.");
      return NULL;
    }
  else if (g_ascii_strncasecmp (ident, "servicePrincipalNames/any", 25) == 0 &&
           ident[25] == '\0')
    f = parse_any_eq (lx);
  else
    f = parse_comparison (lx, ident);

  if (f != NULL)
    lx->depth--;
  return f;
}

typedef Filter *(*ParseFunc) (Lexer *lx);

/* @operand (@word @operand)*, left-associative: "and" binds tighter than "or" because the
 * operands of "or" are "and" expressions. */
static Filter *
parse_binary (Lexer      *lx,
              const char *word,
              FilterOp    op,
              ParseFunc   operand)
{
  Filter *left = operand (lx);

  while (left != NULL && accept (lx, word))
    {
      Filter *node = g_new0 (Filter, 1);

      node->op = op;
      node->left = left;
      node->right = operand (lx);
      left = node;
      if (node->right == NULL)
        {
          _tb_sim_graph_filter_free (node);
          return NULL;
        }
    }
  return left;
}

static Filter *
parse_and (Lexer *lx)
{
  return parse_binary (lx, "and", F_AND, parse_factor);
}

Filter *
_tb_sim_graph_parse_or (Lexer *lx)
{
  return parse_binary (lx, "or", F_OR, parse_and);
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

gboolean
_tb_sim_graph_filter_matches (Filter     *f,
                              JsonObject *sp)
{
  JsonNode *node = f->property ? json_object_get_member (sp, f->property) : NULL;

  switch (f->op)
    {
    case F_AND:
      return _tb_sim_graph_filter_matches (f->left, sp) &&
             _tb_sim_graph_filter_matches (f->right, sp);
    case F_OR:
      return _tb_sim_graph_filter_matches (f->left, sp) ||
             _tb_sim_graph_filter_matches (f->right, sp);
    case F_NOT:
      return !_tb_sim_graph_filter_matches (f->left, sp);
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
