/* tb-xml.c: a small, bounded XML tree for SOAP envelopes and CLIXML
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-xml"

#include "config.h"

#include <string.h>

#include "tb-xml.h"

typedef struct
{
  TbXmlNode *root;
  TbXmlNode *current;
  guint      depth;
  guint      count;
} ParseState;

static const char *
local_part (const char  *qname,
            char       **prefix)
{
  const char *colon = strchr (qname, ':');

  if (colon == NULL)
    {
      if (prefix != NULL)
        *prefix = NULL;
      return qname;
    }
  if (prefix != NULL)
    *prefix = g_strndup (qname, colon - qname);
  return colon + 1;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  ParseState *state = user_data;
  TbXmlNode *node;
  guint n = g_strv_length ((char **) attribute_names);

  if (++state->depth > TB_XML_MAX_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "XML nested too deeply");
      return;
    }
  if (++state->count > TB_XML_MAX_ELEMENTS)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "XML has too many elements");
      return;
    }
  if (state->current == NULL && state->root != NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "XML has more than one root element");
      return;
    }

  node = g_new0 (TbXmlNode, 1);
  node->name = g_strdup (local_part (element_name, &node->prefix));
  node->attr_names = g_new0 (char *, n + 1);
  node->attr_values = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      node->attr_names[i] = g_strdup (local_part (attribute_names[i], NULL));
      node->attr_values[i] = g_strdup (attribute_values[i]);
    }
  node->text = g_string_new (NULL);
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_xml_node_free);
  node->parent = state->current;

  if (state->current != NULL)
    g_ptr_array_add (state->current->children, node);
  else
    state->root = node;
  state->current = node;
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  ParseState *state = user_data;

  state->depth--;
  state->current = state->current->parent;
}

static void
text (GMarkupParseContext  *context,
      const char           *data,
      gsize                 len,
      gpointer              user_data,
      GError              **error)
{
  ParseState *state = user_data;

  if (state->current != NULL)
    g_string_append_len (state->current->text, data, len);
}

static void
passthrough (GMarkupParseContext  *context,
             const char           *data,
             gsize                 len,
             gpointer              user_data,
             GError              **error)
{
  /* Comments and the XML declaration are fine; a DTD could declare entities, which no
   * WS-Management or CLIXML document needs, so it is refused outright. */
  if (len >= 2 && data[0] == '<' && data[1] == '!' &&
      !(len >= 4 && data[2] == '-' && data[3] == '-'))
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         "XML declarations (DOCTYPE, ENTITY) are not accepted");
}

static const GMarkupParser parser = {
  start_element, end_element, text, passthrough, NULL,
};

TbXmlNode *
tb_xml_parse (const char  *data,
              gssize       len,
              GError     **error)
{
  ParseState state = { 0 };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);

  if (len < 0)
    len = strlen (data);
  if ((gsize) len > TB_XML_MAX_SIZE)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           "XML document too large");
      return NULL;
    }
  /* GMarkup mishandles NUL bytes (inside a comment it sets its error twice) and stops at
   * invalid UTF-8 in odd places: XML from the wire is checked first. With a length,
   * g_utf8_validate() refuses NUL bytes too. */
  if (!g_utf8_validate (data, len, &bad))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_BAD_UTF8,
                   "XML is not valid UTF-8 (or holds a NUL byte) at byte %" G_GSIZE_FORMAT,
                   (gsize) (bad - data));
      return NULL;
    }

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, len, &local_error) &&
       g_markup_parse_context_end_parse (context, &local_error);

  /* A tree or an error, never both. */
  if (!ok || local_error != NULL)
    {
      g_clear_pointer (&state.root, tb_xml_node_free);
      if (local_error == NULL)
        g_set_error_literal (&local_error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                             "XML document could not be parsed");
      /* GMarkup quotes the first byte of a character it refuses ("“\xcd”" for U+037E): its
       * messages reach the screen, so they are made valid UTF-8 too. */
      if (!g_utf8_validate (local_error->message, -1, NULL))
        {
          char *valid = g_utf8_make_valid (local_error->message, -1);

          g_free (local_error->message);
          local_error->message = valid;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (state.root == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY, "XML document is empty");
      return NULL;
    }
  return state.root;
}

void
tb_xml_node_free (TbXmlNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_free (node->prefix);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_string_free (node->text, TRUE);
  g_ptr_array_unref (node->children);
  g_free (node);
}

const char *
tb_xml_node_get_attr (const TbXmlNode *node,
                      const char      *local_name)
{
  if (node == NULL)
    return NULL;
  for (guint i = 0; node->attr_names[i] != NULL; i++)
    if (g_str_equal (node->attr_names[i], local_name))
      return node->attr_values[i];
  return NULL;
}

const char *
tb_xml_node_get_text (const TbXmlNode *node)
{
  if (node == NULL)
    return "";
  /* Trimming in place is harmless: nothing needs the surrounding white space of a node. */
  g_strstrip (node->text->str);
  node->text->len = strlen (node->text->str);
  return node->text->str;
}

TbXmlNode *
tb_xml_node_child (const TbXmlNode *node,
                   const char      *local_name)
{
  if (node == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      TbXmlNode *child = g_ptr_array_index (node->children, i);

      if (g_str_equal (child->name, local_name))
        return child;
    }
  return NULL;
}

TbXmlNode *
tb_xml_node_path (const TbXmlNode *node,
                  const char      *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const TbXmlNode *cur = node;

  for (guint i = 0; parts[i] != NULL && cur != NULL; i++)
    cur = tb_xml_node_child (cur, parts[i]);
  return (TbXmlNode *) cur;
}

static TbXmlNode *
find_recursive (const TbXmlNode *node,
                const char      *local_name,
                const char      *attr_name,
                const char      *attr_value)
{
  for (guint i = 0; i < node->children->len; i++)
    {
      TbXmlNode *child = g_ptr_array_index (node->children, i);
      TbXmlNode *found;

      if (g_str_equal (child->name, local_name) &&
          (attr_name == NULL ||
           g_strcmp0 (tb_xml_node_get_attr (child, attr_name), attr_value) == 0))
        return child;
      found = find_recursive (child, local_name, attr_name, attr_value);
      if (found != NULL)
        return found;
    }
  return NULL;
}

TbXmlNode *
tb_xml_node_find (const TbXmlNode *node,
                  const char      *local_name,
                  const char      *attr_name,
                  const char      *attr_value)
{
  if (node == NULL)
    return NULL;
  return find_recursive (node, local_name, attr_name, attr_value);
}
