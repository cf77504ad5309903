/* fuzz-redact.c: the HTTP debug log's redaction of bodies and header lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond not crashing: a JSON body comes out as JSON in which every secret member (by the rules
 * tb_http_redact_body documents) holds "[REDACTED]" or null.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "tb-http.h"
#include "tb-json.h"

static const char * const anywhere[] = {
  "access_token", "refresh_token", "id_token", "code_verifier", "device_code", "password",
  "client_secret", "client_assertion", "assertion", "secretText", NULL
};

static gboolean
must_be_hidden (const char *name,
                const char *container)
{
  for (guint i = 0; anywhere[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, anywhere[i]) == 0)
      return TRUE;
  if (container == NULL)
    return g_ascii_strcasecmp (name, "code") == 0 || g_ascii_strcasecmp (name, "proof") == 0;
  return g_ascii_strcasecmp (name, "key") == 0 &&
         (g_ascii_strcasecmp (container, "keyCredentials") == 0 ||
          g_ascii_strcasecmp (container, "keyCredential") == 0);
}

static void
check_hidden (JsonNode   *node,
              const char *container)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_hidden (json_array_get_element (array, i), container);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &child))
        {
          if (must_be_hidden (name, container))
            {
              if (!JSON_NODE_HOLDS_NULL (child) &&
                  g_strcmp0 (json_node_get_string (child), "[REDACTED]") != 0)
                g_error ("Secret member “%s” left visible", name);
            }
          else
            check_hidden (child, name);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) parsed = NULL;

  tb_fuzz_init ();

  out = tb_http_redact_body ((const char *) data, size);
  g_assert_nonnull (out);

  /* JSON in, JSON out, with the secrets masked. */
  if (tb_json_check ((const char *) data, size, TB_JSON_MAX_DEPTH, NULL))
    {
      g_autoptr(GError) error = NULL;

      parsed = tb_json_parse (out, strlen (out), TB_JSON_MAX_DEPTH + 1, &error);
      if (parsed == NULL)
        g_error ("Redacted JSON does not parse: %s", error->message);
      check_hidden (parsed, NULL);
    }

  /* The line redactor takes header and request lines. */
  line = tb_http_redact (text);
  g_assert_nonnull (line);

  return 0;
}
