/* tb-pool-script-private.h: the pool scripts' common parts, shared by the read and apply
 * scripts (tb-pool-script.c) and the renewal scripts (tb-pool-script-renew.c), and what only the
 * tests of tb-pool-script reach

 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-pool-script.h"

G_BEGIN_DECLS

/* One line of the parameter block: $name = 'value'. */
typedef struct
{
  const char *name;
  const char *value;
} TbPoolScriptParam;

/* The header comment (export form only) saying what the script does, then the parameter
 * block; NULL when a value cannot be quoted. */
GString *_tb_pool_script_begin          (TbPoolScriptForm          form,
                                         const char               *what,
                                         const TbPoolScriptParam  *params,
                                         guint                     n_params,
                                         GError                  **error);
/* Appends the common part (or only @prelude in the transport form), then @body, then in the
 * export form the pool's state; frees @script and returns its text. */
char    *_tb_pool_script_end_with_state (GString                  *script,
                                         const char               *prelude,
                                         const char               *body,
                                         TbPoolScriptForm          form);

/* For tests. */
/* The reverse: the script text from such a command line. */
char       *tb_pool_script_decode_command        (const char        *command_line,
                                                  GError           **error);
/* The parameter block of @script as name → value (literals unquoted), in a new hash table of
 * strings; NULL with TB_POOL_SCRIPT_ERROR_BAD_SCRIPT when the block is missing or malformed. */
GHashTable *tb_pool_script_parse_parameters      (const char        *script,
                                                  GError           **error);

G_END_DECLS
