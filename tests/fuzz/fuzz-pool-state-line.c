/* fuzz-pool-state-line.c: script output holding TRUSTBRIDGE-STATE: lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "tb-pool-state.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  state = tb_pool_state_new_from_output ((const char *) data, size, &error);
  if (state == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_null (error);
  {
    g_autoptr(JsonNode) node = tb_pool_state_to_json_node (state);
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autofree char *json = NULL;
    g_autofree char *line = NULL;
    g_autoptr(TbPoolState) again = NULL;

    /* What the script would print for this state reads back. */
    json_generator_set_root (generator, node);
    json = json_generator_to_data (generator, NULL);
    line = tb_pool_state_encode_marker_line (json);
    again = tb_pool_state_new_from_output (line, strlen (line), &error);
    if (again == NULL)
      g_error ("The state's own marker line does not load back: %s", error->message);
  }

  return 0;
}
