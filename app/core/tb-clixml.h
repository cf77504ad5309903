/* tb-clixml.h: PowerShell's CLIXML error stream, as text an admin can read
 *
 * A remote PowerShell writes its error, warning and progress records to stderr as
 * "#< CLIXML\r\n<Objs …>…</Objs>" blocks; several may follow each other, and plain text may
 * sit between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At most this much stderr is decoded; the rest is cut off (with a note in the text). */
#define TB_CLIXML_MAX_INPUT (4 * 1024 * 1024)

/* Keeps the text of <S S="Error"> records, decodes _xHHHH_ escapes (_x000D__x000A_ is CRLF)
 * and turns CRLF into LF, drops progress and other records, and trims trailing white space.
 * A block that is not well-formed XML is kept as it came (minus its "#< CLIXML" line), so
 * nothing the server said is lost. Input that is not CLIXML at all is returned as text.
 * Never fails; returns "" when there is no error text. */
char *tb_clixml_decode_errors (const guint8 *data,
                               gsize         len);

/* Decodes PowerShell's _xHHHH_ escapes (UTF-16 code units, surrogate pairs joined). */
char *tb_clixml_unescape      (const char   *text);

G_END_DECLS
