/* tb-sim-winrm-decode.c: what the simulated Front End reads from a command it is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-winrm-decode"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "tb-sim-winrm-decode.h"

/* ---- powershell.exe's command line --------------------------------------------------------- */

/* "-EncodedCommand" as powershell.exe matches it: case-insensitive, any prefix of the name
 * (its documented short forms are -e and -ec). */
static gboolean
is_encoded_command_option (const char *word,
                           gsize       len)
{
  static const char name[] = "encodedcommand";

  if (len < 2 || (word[0] != '-' && word[0] != '/'))
    return FALSE;
  word++;
  len--;
  if (len == 2 && g_ascii_strncasecmp (word, "ec", 2) == 0)
    return TRUE;
  return len <= strlen (name) && g_ascii_strncasecmp (word, name, len) == 0;
}

/* Standard Base64 (RFC 4648 §4) with padding: the whole word or nothing. */
static guint8 *
decode_base64 (const char *text,
               gsize       len,
               gsize      *out_len)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  g_autofree guint8 *out = NULL;
  gsize n = 0;
  guint32 group = 0;
  guint in_group = 0;
  guint padding = 0;

  if (len == 0 || len % 4 != 0)
    return NULL;
  out = g_malloc (len / 4 * 3);
  for (gsize i = 0; i < len; i++)
    {
      const char *at;

      if (text[i] == '=')
        {
          /* Only at the very end, at most two. */
          if (i < len - 2 || (i == len - 2 && text[len - 1] != '='))
            return NULL;
          padding++;
          group <<= 6;
        }
      else if (text[i] != '\0' && (at = strchr (alphabet, text[i])) != NULL)
        group = (group << 6) | (guint32) (at - alphabet);
      else
        return NULL;
      if (++in_group == 4)
        {
          out[n++] = group >> 16;
          out[n++] = (group >> 8) & 0xff;
          out[n++] = group & 0xff;
          group = 0;
          in_group = 0;
        }
    }
  *out_len = n - padding;
  return g_steal_pointer (&out);
}

/* UTF-16 little-endian (surrogate pairs included) to UTF-8; NULL on an odd length or a lone
 * surrogate. */
static char *
utf16le_to_utf8 (const guint8 *bytes,
                 gsize         len)
{
  GString *text;

  if (len % 2 != 0)
    return NULL;
  text = g_string_sized_new (len / 2);
  for (gsize i = 0; i < len; i += 2)
    {
      gunichar c = bytes[i] | (bytes[i + 1] << 8);

      if (c >= 0xd800 && c <= 0xdbff)
        {
          gunichar low;

          if (i + 3 >= len)
            goto bad;
          low = bytes[i + 2] | (bytes[i + 3] << 8);
          if (low < 0xdc00 || low > 0xdfff)
            goto bad;
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i += 2;
        }
      else if (c >= 0xdc00 && c <= 0xdfff)
        goto bad;
      if (c == 0)
        goto bad;
      g_string_append_unichar (text, c);
    }
  return g_string_free (text, FALSE);

bad:
  g_string_free (text, TRUE);
  return NULL;
}

/* Moves *@p past spaces and tabs to the next word and returns the word's length: 0 at the end. */
static gsize
next_word (const char **p)
{
  *p += strspn (*p, " \t");
  return strcspn (*p, " \t");
}

char *
tb_sim_winrm_decode_command_line (const char *command_line)
{
  const char *p = command_line;
  gsize len;

  g_return_val_if_fail (command_line != NULL, NULL);

  /* The program: powershell or powershell.exe, any case. */
  len = next_word (&p);
  if (!((len == 10 && g_ascii_strncasecmp (p, "powershell", 10) == 0) ||
        (len == 14 && g_ascii_strncasecmp (p, "powershell.exe", 14) == 0)))
    return NULL;
  p += len;

  for (;;)
    {
      len = next_word (&p);
      if (len == 0)
        return NULL;
      if (is_encoded_command_option (p, len))
        {
          g_autofree guint8 *bytes = NULL;
          gsize n_bytes = 0;

          p += len;
          len = next_word (&p);
          bytes = decode_base64 (p, len, &n_bytes);
          return bytes != NULL ? utf16le_to_utf8 (bytes, n_bytes) : NULL;
        }
      p += len;
    }
}

/* ---- A script's param() block ---------------------------------------------------------------- */

static guint
name_hash (gconstpointer key)
{
  g_autofree char *lower = g_ascii_strdown (key, -1);

  return g_str_hash (lower);
}

static gboolean
name_equal (gconstpointer a,
            gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

/* Skips whitespace, line breaks and "#" comments to the end of their line. */
static const char *
skip_blank (const char *p)
{
  for (;;)
    {
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '#')
        return p;
      while (*p != '\0' && *p != '\n')
        p++;
    }
}

/* A bracketed attribute or type ("[string]", "[CmdletBinding(…)]"), nesting included. */
static const char *
skip_brackets (const char *p)
{
  int depth = 0;

  do
    {
      if (*p == '\0')
        return NULL;
      if (*p == '[')
        depth++;
      else if (*p == ']')
        depth--;
      p++;
    }
  while (depth > 0);
  return p;
}

/* A default value at @p; sets *@end past it. */
static char *
parse_value (const char  *p,
             const char **end)
{
  GString *value = g_string_new (NULL);

  if (*p == '\'')
    {
      for (p++;; p++)
        {
          if (*p == '\0')
            goto bad;
          if (*p == '\'' && p[1] == '\'')
            g_string_append_c (value, *p++);
          else if (*p == '\'')
            break;
          else
            g_string_append_c (value, *p);
        }
      p++;
    }
  else if (*p == '"')
    {
      for (p++;; p++)
        {
          if (*p == '\0')
            goto bad;
          if (*p == '`' && p[1] != '\0')
            g_string_append_c (value, *++p);
          else if (*p == '"' && p[1] == '"')
            g_string_append_c (value, *p++);
          else if (*p == '"')
            break;
          else
            g_string_append_c (value, *p);
        }
      p++;
    }
  else
    {
      const char *start = p;

      while (*p != '\0' && *p != ',' && *p != ')' && !g_ascii_isspace (*p))
        p++;
      if (p == start)
        goto bad;
      g_string_append_len (value, start, p - start);
    }
  *end = p;
  return g_string_free (value, FALSE);

bad:
  g_string_free (value, TRUE);
  return NULL;
}

GHashTable *
tb_sim_winrm_parse_param_block (const char *script)
{
  g_autoptr(GHashTable) params = NULL;
  const char *p;

  g_return_val_if_fail (script != NULL, NULL);

  /* Comments and attributes, then "param" and "(". */
  p = skip_blank (script);
  while (*p == '[')
    {
      p = skip_brackets (p);
      if (p == NULL)
        return NULL;
      p = skip_blank (p);
    }
  if (g_ascii_strncasecmp (p, "param", 5) != 0)
    return NULL;
  p = skip_blank (p + 5);
  if (*p != '(')
    return NULL;
  p = skip_blank (p + 1);

  params = g_hash_table_new_full (name_hash, name_equal, g_free, g_free);
  while (*p != ')')
    {
      const char *name_start;
      g_autofree char *name = NULL;
      char *value;

      while (*p == '[')
        {
          p = skip_brackets (p);
          if (p == NULL)
            return NULL;
          p = skip_blank (p);
        }
      if (*p != '$')
        return NULL;
      name_start = ++p;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      if (p == name_start)
        return NULL;
      name = g_strndup (name_start, p - name_start);
      p = skip_blank (p);
      if (*p == '=')
        {
          value = parse_value (skip_blank (p + 1), &p);
          if (value == NULL)
            return NULL;
          p = skip_blank (p);
        }
      else
        value = g_strdup ("");
      g_hash_table_replace (params, g_steal_pointer (&name), value);
      if (*p == ',')
        p = skip_blank (p + 1);
      else if (*p != ')')
        return NULL;
    }
  return g_steal_pointer (&params);
}

/* ---- Arguments the cmdlets validate ------------------------------------------------------- */

GDateTime *
tb_sim_winrm_parse_exact_date (const char *text)
{
  /* "yyyy-MM-ddTHH:mm:ssZ": where each field starts, and the literal after it. */
  static const struct { guint at; guint len; char after; } fields[] = {
    { 0, 4, '-' }, { 5, 2, '-' }, { 8, 2, 'T' }, { 11, 2, ':' }, { 14, 2, ':' }, { 17, 2, 'Z' },
  };
  int value[G_N_ELEMENTS (fields)];

  if (text == NULL || strlen (text) != 20)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      value[i] = 0;
      for (guint j = fields[i].at; j < fields[i].at + fields[i].len; j++)
        {
          if (!g_ascii_isdigit (text[j]))
            return NULL;
          value[i] = value[i] * 10 + (text[j] - '0');
        }
      if (text[fields[i].at + fields[i].len] != fields[i].after)
        return NULL;
    }
  /* GLib refuses what the calendar does not have, as .NET does. */
  return g_date_time_new_utc (value[0], value[1], value[2], value[3], value[4], value[5]);
}

gboolean
tb_sim_winrm_metadata_url_ok (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return FALSE;
  /* A host is an address or a DNS name: letters, digits, hyphens and dots (GLib's parser
   * lets other characters through that .NET's Uri refuses). */
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    for (const char *p = host; *p != '\0'; p++)
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
        return FALSE;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;
  return address != NULL ? g_inet_address_get_is_loopback (address)
                         : g_ascii_strcasecmp (host, "localhost") == 0;
}
