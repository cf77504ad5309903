/* tb-json.c: JSON from outside — one strict gate before json-glib, and getters that never
 * convert out of range
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's parser recurses once per nesting level and is built on a GScanner that reads
 * more than JSON: comments, single-quoted strings, identifiers. A depth count that reads the
 * text differently from json-glib can be fooled (brackets after a comment holding a quote, or
 * inside '…'), so the gate below accepts only RFC 8259 JSON — a language on which both agree —
 * and counts the nesting while it checks the grammar.
 *
 * The rest is the one place JSON from outside is read member by member: strict readers that
 * tell a missing member from null and from one of the wrong type (for documents that must be
 * exactly right), lenient getters that fall back (for replies where a surprise only means
 * "unknown"), and the strict Base64 such documents carry.
 */
#define G_LOG_DOMAIN "TrustBridge-json"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-json.h"
#include "tb-secret.h"

G_DEFINE_QUARK (tb-json-error-quark, tb_json_error)

typedef enum
{
  EXPECT_VALUE,             /* a value (document start, after ':' or after ',' in an array) */
  EXPECT_VALUE_OR_CLOSE,    /* just after '[' */
  EXPECT_KEY_OR_CLOSE,      /* just after '{' */
  EXPECT_KEY,               /* after ',' in an object */
  EXPECT_COLON,
  EXPECT_NEXT,              /* after a value: ',' or a closing bracket, or the end */
} Expect;

static gboolean
fail (GError    **error,
      TbJsonError code,
      gsize       offset,
      const char *what)
{
  /* Translators: %s says what is wrong with a JSON document, such as "Bad number" */
  g_set_error (error, TB_JSON_ERROR, code, _("%s at byte %lu"), what, (unsigned long) offset);
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits at @p (at least 4 bytes available), or -1. */
static int
read_hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return -1;
      value = value * 16 + h;
    }
  return value;
}

/* A string starting at data[*pos] == '"'; leaves *pos after the closing quote. */
static gboolean
scan_string (const char  *data,
             gsize        len,
             gsize       *pos,
             GError     **error)
{
  gsize i = *pos + 1;

  while (i < len)
    {
      guchar c = data[i];

      if (c == '"')
        {
          *pos = i + 1;
          return TRUE;
        }
      if (c < 0x20)
        return fail (error, TB_JSON_ERROR_SYNTAX, i, _("Control character in a string"));
      if (c != '\\')
        {
          i++;
          continue;
        }

      if (i + 1 >= len)
        break;
      switch (data[i + 1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          i += 2;
          break;
        case 'u':
          {
            int unit;

            if (i + 6 > len || (unit = read_hex4 (data + i + 2)) < 0)
              return fail (error, TB_JSON_ERROR_SYNTAX, i, _("Bad \\u escape"));
            if (unit == 0)
              return fail (error, TB_JSON_ERROR_ENCODING, i, _("\\u0000 in a string"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return fail (error, TB_JSON_ERROR_ENCODING, i, _("Lone low surrogate"));
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low;

                if (i + 12 > len || data[i + 6] != '\\' || data[i + 7] != 'u' ||
                    (low = read_hex4 (data + i + 8)) < 0xDC00 || low > 0xDFFF)
                  return fail (error, TB_JSON_ERROR_ENCODING, i, _("Lone high surrogate"));
                i += 12;
              }
            else
              i += 6;
          }
          break;
        default:
          return fail (error, TB_JSON_ERROR_SYNTAX, i, _("Bad escape"));
        }
    }

  return fail (error, TB_JSON_ERROR_SYNTAX, len, _("Unterminated string"));
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (const char  *data,
             gsize        len,
             gsize       *pos,
             GError     **error)
{
  gsize i = *pos;
  gsize start;
  gsize int_start, int_len;
  gboolean negative = FALSE;

  if (i < len && data[i] == '-')
    {
      negative = TRUE;
      i++;
    }
  int_start = i;
  if (i < len && data[i] == '0')
    i++;
  else if (i < len && data[i] >= '1' && data[i] <= '9')
    while (i < len && g_ascii_isdigit (data[i]))
      i++;
  else
    return fail (error, TB_JSON_ERROR_SYNTAX, i, _("Bad number"));
  int_len = i - int_start;

  if (i < len && data[i] == '.')
    {
      start = ++i;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
      if (i == start)
        return fail (error, TB_JSON_ERROR_SYNTAX, i,
                     _("Bad number: no digits after the point"));
    }
  if (i < len && (data[i] == 'e' || data[i] == 'E'))
    {
      i++;
      if (i < len && (data[i] == '+' || data[i] == '-'))
        i++;
      start = i;
      while (i < len && g_ascii_isdigit (data[i]))
        i++;
      if (i == start)
        return fail (error, TB_JSON_ERROR_SYNTAX, i, _("Bad number: no exponent digits"));
    }

  /* json-glib reads an integer beyond gint64 without an error and wraps it (2^63 becomes
   * -2^63, -18446744073709551615 becomes 1): such integers are refused here. Without a
   * fraction or exponent the digits carry no leading zeros, so their count and a comparison
   * decide. */
  if (i - int_start == int_len)
    {
      const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

      if (int_len > 19 || (int_len == 19 && memcmp (data + int_start, limit, 19) > 0))
        return fail (error, TB_JSON_ERROR_NUMBER, *pos, _("Integer out of range"));
    }

  *pos = i;
  return TRUE;
}

static gboolean
scan_literal (const char  *data,
              gsize        len,
              gsize       *pos,
              GError     **error)
{
  static const char * const words[] = { "true", "false", "null" };

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      gsize n = strlen (words[w]);

      if (len - *pos >= n && memcmp (data + *pos, words[w], n) == 0)
        {
          *pos += n;
          return TRUE;
        }
    }

  return fail (error, TB_JSON_ERROR_SYNTAX, *pos, _("Unexpected character"));
}

/* A string, a number or a literal at *@pos. */
static gboolean
scan_scalar (const char  *data,
             gsize        len,
             gsize       *pos,
             GError     **error)
{
  char c = data[*pos];

  if (c == '"')
    return scan_string (data, len, pos, error);
  if (c == '-' || g_ascii_isdigit (c))
    return scan_number (data, len, pos, error);
  return scan_literal (data, len, pos, error);
}

/* RFC 8259's white space only: json-glib's scanner skips more (comments among others). */
static gsize
skip_space (const char *data,
            gsize       len,
            gsize       i)
{
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
    i++;
  return i;
}

/* The checker's position: the bytes, where it is, and which containers are open. */
typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       depth;
  guint       max_depth;
  guint8     *is_array;   /* one entry per open container */
  Expect      expect;
} Scan;

static gboolean
scan_open (Scan    *s,
           char     c,
           GError **error)
{
  if (s->depth >= s->max_depth)
    {
      g_set_error (error, TB_JSON_ERROR, TB_JSON_ERROR_TOO_DEEP,
                   _("Nested deeper than %u levels at byte %lu"),
                   s->max_depth, (unsigned long) s->pos);
      return FALSE;
    }
  s->is_array[s->depth++] = (c == '[');
  s->expect = c == '[' ? EXPECT_VALUE_OR_CLOSE : EXPECT_KEY_OR_CLOSE;
  s->pos++;
  return TRUE;
}

static gboolean
scan_close (Scan *s)
{
  s->depth--;
  s->pos++;
  s->expect = EXPECT_NEXT;
  return TRUE;
}

/* One token at s->pos (after white space), checked against what the grammar expects there. */
static gboolean
scan_token (Scan    *s,
            GError **error)
{
  char c = s->data[s->pos];

  switch (s->expect)
    {
    case EXPECT_VALUE_OR_CLOSE:
      if (c == ']')
        return scan_close (s);
      G_GNUC_FALLTHROUGH;
    case EXPECT_VALUE:
      if (c == '{' || c == '[')
        return scan_open (s, c, error);
      if (!scan_scalar (s->data, s->len, &s->pos, error))
        return FALSE;
      s->expect = EXPECT_NEXT;
      return TRUE;

    case EXPECT_KEY_OR_CLOSE:
      if (c == '}')
        return scan_close (s);
      G_GNUC_FALLTHROUGH;
    case EXPECT_KEY:
      if (c != '"')
        return fail (error, TB_JSON_ERROR_SYNTAX, s->pos, _("Expected a member name"));
      if (!scan_string (s->data, s->len, &s->pos, error))
        return FALSE;
      s->expect = EXPECT_COLON;
      return TRUE;

    case EXPECT_COLON:
      if (c != ':')
        return fail (error, TB_JSON_ERROR_SYNTAX, s->pos, _("Expected ':'"));
      s->pos++;
      s->expect = EXPECT_VALUE;
      return TRUE;

    case EXPECT_NEXT:
      if (s->depth == 0)
        return fail (error, TB_JSON_ERROR_SYNTAX, s->pos, _("Text after the document"));
      if (c == ',')
        {
          s->expect = s->is_array[s->depth - 1] ? EXPECT_VALUE : EXPECT_KEY;
          s->pos++;
          return TRUE;
        }
      if ((c == ']' && s->is_array[s->depth - 1]) || (c == '}' && !s->is_array[s->depth - 1]))
        return scan_close (s);
      return fail (error, TB_JSON_ERROR_SYNTAX, s->pos, _("Expected ',' or a closing bracket"));

    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
tb_json_check (const char  *data,
               gsize        len,
               guint        max_depth,
               GError     **error)
{
  g_autofree guint8 *is_array = NULL;
  Scan s = { data, len, 0, 0, max_depth, NULL, EXPECT_VALUE };
  const char *bad = NULL;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  /* With a length, g_utf8_validate() also refuses NUL bytes, which json-glib would stop at. */
  if (!g_utf8_validate (data, len, &bad))
    return fail (error, TB_JSON_ERROR_ENCODING, bad - data, _("Not UTF-8 (or a NUL byte)"));

  s.is_array = is_array = g_malloc0 (max_depth + 1);
  for (;;)
    {
      s.pos = skip_space (data, len, s.pos);
      if (s.pos >= len)
        break;
      if (!scan_token (&s, error))
        return FALSE;
    }

  /* EXPECT_VALUE outside any container only holds before the first value. */
  if (s.expect == EXPECT_VALUE && s.depth == 0)
    {
      g_set_error_literal (error, TB_JSON_ERROR, TB_JSON_ERROR_EMPTY, _("Empty document"));
      return FALSE;
    }
  if (s.depth != 0 || s.expect != EXPECT_NEXT)
    return fail (error, TB_JSON_ERROR_SYNTAX, len, _("Document ends too early"));

  return TRUE;
}

static JsonNode *
parse (const char  *data,
       gsize        len,
       guint        max_depth,
       gboolean     immutable,
       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (!tb_json_check (data, len, max_depth, error))
    return NULL;

  /* json_node_copy() keeps a node immutable: a tree to rewrite is parsed mutable. */
  parser = immutable ? json_parser_new_immutable () : json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, TB_JSON_ERROR, TB_JSON_ERROR_EMPTY, _("Empty document"));
      return NULL;
    }

  return json_node_copy (root);
}

JsonNode *
tb_json_parse (const char  *data,
               gsize        len,
               guint        max_depth,
               GError     **error)
{
  return parse (data, len, max_depth, TRUE, error);
}

JsonNode *
tb_json_parse_mutable (const char  *data,
                       gsize        len,
                       guint        max_depth,
                       GError     **error)
{
  return parse (data, len, max_depth, FALSE, error);
}

static gint64
clamp_double (double value,
              gint64 min,
              gint64 max)
{
  /* Compare as doubles first: converting a double outside gint64's range is undefined. */
  if (value <= (double) min)
    return min;
  if (value >= (double) max)
    return max;
  return (gint64) value;
}

gboolean
tb_json_node_get_int_clamped (JsonNode *node,
                              gint64    min,
                              gint64    max,
                              gint64   *out)
{
  GType type;

  g_return_val_if_fail (min <= max, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = CLAMP (json_node_get_int (node), min, max);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (isnan (value))
        return FALSE;
      *out = clamp_double (value, min, max);
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      /* Azure AD v1 endpoints send numbers as strings ("expires_in": "3599"). */
      const char *text = json_node_get_string (node);
      const char *digits = text[0] == '-' ? text + 1 : text;
      char *end = NULL;
      gint64 value;

      if (*digits == '\0' || strspn (digits, "0123456789") != strlen (digits))
        return FALSE;
      errno = 0;
      value = g_ascii_strtoll (text, &end, 10);   /* saturates at G_MININT64/G_MAXINT64 */
      if (end == NULL || *end != '\0')
        return FALSE;
      *out = CLAMP (value, min, max);
      return TRUE;
    }

  return FALSE;
}

gboolean
tb_json_get_int_clamped (JsonObject *object,
                         const char *member,
                         gint64      min,
                         gint64      max,
                         gint64     *out)
{
  if (object == NULL)
    return FALSE;

  return tb_json_node_get_int_clamped (json_object_get_member (object, member), min, max, out);
}

/* ------------------------------------------------------------------------------------ */
/* Members: strict readers tell missing from null from the wrong type */

static TbJsonMember
member_node (JsonObject  *object,
             const char  *member,
             JsonNode   **node)
{
  *node = object != NULL ? json_object_get_member (object, member) : NULL;
  if (*node == NULL)
    return TB_JSON_MEMBER_MISSING;
  if (JSON_NODE_HOLDS_NULL (*node))
    return TB_JSON_MEMBER_NULL;
  return TB_JSON_MEMBER_VALUE;
}

/* A member of JSON type @node_type (for JSON_NODE_VALUE, of @value_type too). */
static TbJsonMember
member_typed (JsonObject    *object,
              const char    *member,
              JsonNodeType   node_type,
              GType          value_type,
              JsonNode     **node)
{
  TbJsonMember kind = member_node (object, member, node);

  if (kind != TB_JSON_MEMBER_VALUE)
    return kind;
  if (JSON_NODE_TYPE (*node) != node_type ||
      (node_type == JSON_NODE_VALUE && json_node_get_value_type (*node) != value_type))
    return TB_JSON_MEMBER_WRONG_TYPE;
  return TB_JSON_MEMBER_VALUE;
}

TbJsonMember
tb_json_member_string (JsonObject  *object,
                       const char  *member,
                       const char **out)
{
  JsonNode *node;
  TbJsonMember kind = member_typed (object, member, JSON_NODE_VALUE, G_TYPE_STRING, &node);

  if (kind == TB_JSON_MEMBER_VALUE)
    *out = json_node_get_string (node);
  return kind;
}

TbJsonMember
tb_json_member_boolean (JsonObject *object,
                        const char *member,
                        gboolean   *out)
{
  JsonNode *node;
  TbJsonMember kind = member_typed (object, member, JSON_NODE_VALUE, G_TYPE_BOOLEAN, &node);

  if (kind == TB_JSON_MEMBER_VALUE)
    *out = json_node_get_boolean (node);
  return kind;
}

TbJsonMember
tb_json_member_object (JsonObject  *object,
                       const char  *member,
                       JsonObject **out)
{
  JsonNode *node;
  TbJsonMember kind = member_typed (object, member, JSON_NODE_OBJECT, G_TYPE_INVALID, &node);

  if (kind == TB_JSON_MEMBER_VALUE)
    *out = json_node_get_object (node);
  return kind;
}

TbJsonMember
tb_json_member_array (JsonObject  *object,
                      const char  *member,
                      JsonArray  **out)
{
  JsonNode *node;
  TbJsonMember kind = member_typed (object, member, JSON_NODE_ARRAY, G_TYPE_INVALID, &node);

  if (kind == TB_JSON_MEMBER_VALUE)
    *out = json_node_get_array (node);
  return kind;
}

/* ------------------------------------------------------------------------------------ */
/* Members: lenient getters that never fail */

const char *
tb_json_get_string (JsonObject *object,
                    const char *member)
{
  const char *value = NULL;

  tb_json_member_string (object, member, &value);
  return value;
}

gboolean
tb_json_get_boolean (JsonObject *object,
                     const char *member,
                     gboolean    fallback)
{
  gboolean value = fallback;

  tb_json_member_boolean (object, member, &value);
  return value;
}

gint64
tb_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  gint64 value;

  /* Doubles such as 1e300 or Infinity would overflow a cast: clamped to gint64's range. */
  if (!tb_json_get_int_clamped (object, member, G_MININT64, G_MAXINT64, &value))
    return fallback;

  return value;
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

const char *
tb_json_get_string_ci (JsonObject *object,
                       const char *member)
{
  JsonNode *node = tb_json_get_member_ci (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
tb_json_get_object_ci (JsonObject *object,
                       const char *member)
{
  JsonNode *node = tb_json_get_member_ci (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Strict Base64 */

static GBytes *
base64_decode (const char *text,
               gsize       len,
               gboolean    allow_space)
{
  g_autoptr(GString) clean = g_string_sized_new (len);
  gsize pad = 0;
  gsize out_len = 0;
  guchar *out;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = text[i];

      if (allow_space && g_ascii_isspace (c))
        continue;
      if (c == '=')
        {
          pad++;
          if (pad > 2)
            return NULL;
          g_string_append_c (clean, c);
          continue;
        }
      if (!(g_ascii_isalnum (c) || c == '+' || c == '/') || pad > 0)
        return NULL;
      g_string_append_c (clean, c);
    }

  if (clean->len == 0 || clean->len % 4 != 0)
    return NULL;

  out = g_base64_decode (clean->str, &out_len);
  /* The text may be a private key or a password: the copy goes as the caller's would. */
  tb_secret_wipe (clean->str, clean->len);
  if (out_len == 0)
    {
      g_free (out);
      return NULL;
    }

  return g_bytes_new_take (out, out_len);
}

GBytes *
tb_json_base64_decode_strict (const char *text,
                              gsize       len)
{
  return base64_decode (text, len, TRUE);
}

GBytes *
tb_json_base64_decode_binary (const char *text)
{
  return base64_decode (text, strlen (text), FALSE);
}

/* ------------------------------------------------------------------------------------ */
/* Building */

void
tb_json_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
