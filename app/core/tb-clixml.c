/* tb-clixml.c: PowerShell's CLIXML error stream, as text an admin can read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-clixml"

#include "config.h"

#include <string.h>

#include "tb-clixml.h"
#include "tb-xml.h"

static const char marker[] = "#< CLIXML";

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* _xHHHH_ at @p? Returns the code unit or -1. */
static int
escape_at (const char *p)
{
  if (p[0] != '_' || p[1] != 'x')
    return -1;
  for (int i = 2; i < 6; i++)
    if (p[i] == '\0')
      return -1;
  if (p[6] != '_')
    return -1;
  return hex4 (p + 2);
}

char *
tb_clixml_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0';)
    {
      int unit = escape_at (p);

      if (unit < 0)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      p += 7;
      if (unit >= 0xD800 && unit <= 0xDBFF)
        {
          int low = escape_at (p);

          if (low >= 0xDC00 && low <= 0xDFFF)
            {
              g_string_append_unichar (out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
              p += 7;
            }
          else
            g_string_append_unichar (out, 0xFFFD);
        }
      else if (unit >= 0xDC00 && unit <= 0xDFFF)
        g_string_append_unichar (out, 0xFFFD);
      else if (unit != 0)
        g_string_append_unichar (out, unit);
    }
  return g_string_free (out, FALSE);
}

static void
append_text (GString    *out,
             const char *text,
             gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);

  g_string_append (out, valid);
}

static void
decode_block (GString    *out,
              const char *block,
              gsize       len)
{
  g_autoptr(TbXmlNode) root = NULL;
  g_autofree char *copy = g_strndup (block, len);

  g_strstrip (copy);
  if (*copy == '\0')
    return;

  root = tb_xml_parse (copy, -1, NULL);
  if (root == NULL || !g_str_equal (root->name, "Objs"))
    {
      /* Not what PowerShell writes: keep it verbatim rather than lose the server's words. */
      append_text (out, copy, -1);
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      return;
    }

  for (guint i = 0; i < root->children->len; i++)
    {
      TbXmlNode *child = g_ptr_array_index (root->children, i);

      /* Progress records are <Obj S="progress">; warnings, verbose and debug records are
       * <S S="warning">… and are not errors. Only error records reach the admin. */
      if (g_str_equal (child->name, "S") &&
          g_strcmp0 (tb_xml_node_get_attr (child, "S"), "Error") == 0)
        {
          g_autofree char *unescaped = tb_clixml_unescape (child->text->str);

          g_string_append (out, unescaped);
        }
    }
}

char *
tb_clixml_decode_errors (const guint8 *data,
                         gsize         len)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *input = NULL;
  const char *p, *end;
  gboolean truncated = FALSE;

  if (data == NULL || len == 0)
    return g_strdup ("");
  if (len > TB_CLIXML_MAX_INPUT)
    {
      len = TB_CLIXML_MAX_INPUT;
      truncated = TRUE;
    }
  /* NULs would end the C string early; the stream is text, so they carry nothing. */
  input = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    input[i] = data[i] != '\0' ? data[i] : ' ';
  input[len] = '\0';

  p = input;
  end = input + len;
  while (p < end)
    {
      const char *start = strstr (p, marker);
      const char *next;

      if (start == NULL)
        {
          append_text (out, p, end - p);
          break;
        }
      if (start > p)
        append_text (out, p, start - p);

      start += strlen (marker);
      while (*start == '\r' || *start == '\n')
        start++;
      next = strstr (start, marker);
      if (next == NULL)
        next = end;
      decode_block (out, start, next - start);
      p = next;
    }

  /* Windows line ends, then the blank lines PowerShell leaves at the end. */
  {
    g_autoptr(GString) lf = g_string_new (NULL);

    for (gsize i = 0; i < out->len; i++)
      if (!(out->str[i] == '\r' && i + 1 < out->len && out->str[i + 1] == '\n'))
        g_string_append_c (lf, out->str[i]);
    g_string_assign (out, g_strchomp (lf->str));
  }
  if (truncated)
    g_string_append (out, "\n[…]");

  return g_strdup (out->str);
}
