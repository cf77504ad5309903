/* test-json.c: the one place JSON members and strict Base64 are read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-json.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = tb_json_parse (text, strlen (text), TB_JSON_MAX_DEPTH, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
test_members_strict (void)
{
  g_autoptr(JsonObject) o = parse_object ("{\"s\":\"text\",\"n\":null,\"b\":true,\"i\":3,"
                                          "\"o\":{\"x\":1},\"a\":[1,2]}");
  const char *s = NULL;
  gboolean b = FALSE;
  JsonObject *child = NULL;
  JsonArray *array = NULL;

  g_assert_cmpint (tb_json_member_string (o, "s", &s), ==, TB_JSON_MEMBER_VALUE);
  g_assert_cmpstr (s, ==, "text");
  s = NULL;
  /* Missing, null and the wrong type are three different answers, and *out stays alone. */
  g_assert_cmpint (tb_json_member_string (o, "missing", &s), ==, TB_JSON_MEMBER_MISSING);
  g_assert_cmpint (tb_json_member_string (o, "n", &s), ==, TB_JSON_MEMBER_NULL);
  g_assert_cmpint (tb_json_member_string (o, "i", &s), ==, TB_JSON_MEMBER_WRONG_TYPE);
  g_assert_cmpint (tb_json_member_string (o, "o", &s), ==, TB_JSON_MEMBER_WRONG_TYPE);
  g_assert_null (s);
  g_assert_cmpint (tb_json_member_string (NULL, "s", &s), ==, TB_JSON_MEMBER_MISSING);

  g_assert_cmpint (tb_json_member_boolean (o, "b", &b), ==, TB_JSON_MEMBER_VALUE);
  g_assert_true (b);
  g_assert_cmpint (tb_json_member_boolean (o, "s", &b), ==, TB_JSON_MEMBER_WRONG_TYPE);

  g_assert_cmpint (tb_json_member_object (o, "o", &child), ==, TB_JSON_MEMBER_VALUE);
  g_assert_true (json_object_has_member (child, "x"));
  g_assert_cmpint (tb_json_member_object (o, "a", &child), ==, TB_JSON_MEMBER_WRONG_TYPE);
  g_assert_cmpint (tb_json_member_array (o, "a", &array), ==, TB_JSON_MEMBER_VALUE);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpint (tb_json_member_array (o, "n", &array), ==, TB_JSON_MEMBER_NULL);
}

static void
test_members_lenient (void)
{
  g_autoptr(JsonObject) o = parse_object ("{\"s\":\"text\",\"b\":false,\"i\":1e300,"
                                          "\"KeyValue\":{\"x\":1},\"t\":\"true\"}");

  g_assert_cmpstr (tb_json_get_string (o, "s"), ==, "text");
  g_assert_null (tb_json_get_string (o, "b"));
  g_assert_null (tb_json_get_string (NULL, "s"));
  g_assert_false (tb_json_get_boolean (o, "b", TRUE));
  /* A string is no boolean: the fallback. */
  g_assert_true (tb_json_get_boolean (o, "t", TRUE));
  g_assert_false (tb_json_get_boolean (o, "missing", FALSE));
  /* Out of range is clamped, never wrapped. */
  g_assert_cmpint (tb_json_get_int (o, "i", -1), ==, G_MAXINT64);
  g_assert_cmpint (tb_json_get_int (o, "s", -1), ==, -1);
  g_assert_nonnull (tb_json_get_object_ci (o, "keyvalue"));
  g_assert_null (tb_json_get_object_ci (o, "s"));
}

static void
test_base64_strict (void)
{
  struct {
    const char *text;
    const char *decoded;   /* NULL: refused */
  } cases[] = {
    { "aGVsbG8=", "hello" },
    { " aGVs\r\nbG8h ", "hello!" },
    { "aGVsbA==", "hell" },
    { "aGVsbG8", NULL },          /* not a multiple of four */
    { "aGV*bG8=", NULL },         /* outside the alphabet, which g_base64_decode would skip */
    { "aG=sbG8=", NULL },         /* padding before the end */
    { "aGVsb===", NULL },
    { "aGVs-G8_", NULL },         /* base64url is another alphabet */
    { "", NULL },
    { "  \n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = tb_json_base64_decode_strict (cases[i].text,
                                                              strlen (cases[i].text));

      if (cases[i].decoded == NULL)
        {
          if (bytes != NULL)
            g_error ("case %u (“%s”) was decoded", i, cases[i].text);
          continue;
        }
      g_assert_nonnull (bytes);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                       cases[i].decoded, strlen (cases[i].decoded));
    }
}

/* Edm.Binary, the -EncodedCommand argument, a marker line: one run of the alphabet and its
 * padding, no white space. */
static void
test_base64_binary (void)
{
  const char *refused[] = { " aGVsbG8=", "aGVs\r\nbG8h", "aGVsbG8= ", "aG=sbG8=", "aGVsbA=A",
                            "aGVsbG8", "aGV*bG8=", "aGVs-G8_", "====", "" };
  g_autoptr(GBytes) bytes = tb_json_base64_decode_binary ("aGVsbG8h");

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello!", 6);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) decoded = tb_json_base64_decode_binary (refused[i]);

      if (decoded != NULL)
        g_error ("case %u (“%s”) was decoded", i, refused[i]);
    }
}

/* The same gate for both trees; only the mutable one can be rewritten (as the HTTP log's
 * redaction does). */
static void
test_parse_mutable (void)
{
  static const char text[] = "{\"secret\":\"s\",\"list\":[{\"x\":1}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) frozen = tb_json_parse (text, strlen (text), TB_JSON_MAX_DEPTH, &error);
  g_autoptr(JsonNode) root = tb_json_parse_mutable (text, strlen (text), TB_JSON_MAX_DEPTH,
                                                    &error);
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (json_node_is_immutable (frozen));
  g_assert_false (json_node_is_immutable (root));
  object = json_node_get_object (root);
  json_object_set_string_member (object, "secret", "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (object, "secret"), ==, "[redacted]");

  g_assert_null (tb_json_parse_mutable ("{\"a\":1} // comment", 17, TB_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  g_assert_null (tb_json_parse_mutable ("[[1]]", 5, 1, &error));
  g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);
  g_assert_null (tb_json_parse_mutable ("  ", 2, TB_JSON_MAX_DEPTH, &error));
  g_assert_error (error, TB_JSON_ERROR, TB_JSON_ERROR_EMPTY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/members/strict", test_members_strict);
  g_test_add_func ("/json/members/lenient", test_members_lenient);
  g_test_add_func ("/json/base64-strict", test_base64_strict);
  g_test_add_func ("/json/base64-binary", test_base64_binary);
  g_test_add_func ("/json/parse-mutable", test_parse_mutable);

  return g_test_run ();
}
