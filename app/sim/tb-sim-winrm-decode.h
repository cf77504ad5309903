/* tb-sim-winrm-decode.h: what the simulated Front End reads from a command it is sent
 *
 * Written from Windows' documented formats, not from the client's encoder, so the client's
 * encoding is checked against something other than itself:
 *
 * - powershell.exe's command line: parameters start with "-" (or "/"), are matched
 *   case-insensitively and may be abbreviated to any unambiguous prefix; -EncodedCommand
 *   (also -e and -ec) takes the script as Base64 of its UTF-16LE bytes.
 * - A PowerShell script's param() block: after comments and attributes, "param(" then
 *   comma-separated parameters, each an optional [type], "$Name", and an optional
 *   "= default" where the default is a single-quoted literal ('' stands for '), a
 *   double-quoted literal (`" and "" stand for ", `` for `), or a bare word; whitespace and
 *   line breaks anywhere between tokens. Parameter names are case-insensitive.
 * - The arguments the simulated cmdlets validate themselves (a staged certificate's effective
 *   date, the OAuth server's metadata URL), read without the client's own checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The script of a "powershell.exe … -EncodedCommand BASE64" command line, or NULL when the
 * line does not start powershell.exe or carries no script that decodes to UTF-16LE text. */
char       *tb_sim_winrm_decode_command_line (const char *command_line);

/* The param() block's defaults, name → value (names looked up case-insensitively); NULL when
 * the script has no param() block or it does not parse. Parameters without a default map to
 * "". */
GHashTable *tb_sim_winrm_parse_param_block   (const char *script);

/* @text as [datetime]::ParseExact reads it with the format "yyyy-MM-dd'T'HH:mm:ss'Z'" and
 * AssumeUniversal: exactly that shape in ASCII digits, a date and time that exist (no month
 * 13, no 30 February, no second 60), in UTC; NULL where ParseExact throws. */
GDateTime  *tb_sim_winrm_parse_exact_date    (const char *text);

/* Whether the simulated New-CsOAuthServer / Set-CsOAuthServer take @url as -MetadataUrl: an
 * absolute https URL with a host name or address. Plain http only to a loopback address, where
 * a simulated Front End fetches the metadata from a simulated tenant on the same machine. */
gboolean    tb_sim_winrm_metadata_url_ok     (const char *url);

G_END_DECLS
