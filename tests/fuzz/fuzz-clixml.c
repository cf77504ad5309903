/* fuzz-clixml.c: PowerShell's CLIXML on stderr
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz.h"
#include "tb-clixml.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  tb_fuzz_init ();

  text = tb_clixml_decode_errors (data, size);
  g_assert_nonnull (text);
  /* It becomes a message on screen. */
  g_assert_true (g_utf8_validate (text, -1, NULL));

  return 0;
}
