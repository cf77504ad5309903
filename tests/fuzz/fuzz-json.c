/* fuzz-json.c: the strict JSON gate (tb_json_check) against json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whatever passes the gate must be a document json-glib reads without error and whose nesting
 * stays within the limit; the gate must never crash or recurse.
 */
#include "config.h"

#include "fuzz.h"
#include "tb-json.h"

static guint
node_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        deepest = MAX (deepest, node_depth (json_array_get_element (array, i)));
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &child))
        deepest = MAX (deepest, node_depth (child));
      return deepest + 1;
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  const guint limit = 8;

  tb_fuzz_init ();

  if (!tb_json_check ((const char *) data, size, limit, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == TB_JSON_ERROR);
      return 0;
    }

  /* The gate passed: json-glib must agree. */
  root = tb_json_parse ((const char *) data, size, limit, &error);
  if (root == NULL)
    g_error ("tb_json_check accepted what json-glib refuses: %s", error->message);
  g_assert_cmpuint (node_depth (root), <=, limit);

  return 0;
}
