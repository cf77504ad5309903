/* tb-pool-script-private.h: what only the tests of tb-pool-script reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-pool-script.h"

G_BEGIN_DECLS

/* For tests. */
/* The reverse: the script text from such a command line. */
char       *tb_pool_script_decode_command        (const char        *command_line,
                                                  GError           **error);
/* The parameter block of @script as name → value (literals unquoted), in a new hash table of
 * strings; NULL with TB_POOL_SCRIPT_ERROR_BAD_SCRIPT when the block is missing or malformed. */
GHashTable *tb_pool_script_parse_parameters      (const char        *script,
                                                  GError           **error);

G_END_DECLS
