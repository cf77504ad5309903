/* fuzz-pool-state-line.c: script output holding TRUSTBRIDGE-STATE: lines, and files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is read as a command's output, then as a file an admin brings back (UTF-8 with or
 * without BOM, UTF-16LE with BOM; JSON or saved output), as tb_pool_state_new_from_file does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "tb-pool-state-private.h"

static char *path;

static void
remove_file (void)
{
  unlink (path);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  {
    g_autoptr(GFile) file = NULL;
    g_autoptr(TbPoolState) from_file = NULL;
    g_autoptr(GError) file_error = NULL;
    FILE *out;

    if (path == NULL)
      {
        path = g_strdup_printf ("%s/trust-bridge-fuzz-%d.state", g_get_tmp_dir (),
                                (int) getpid ());
        atexit (remove_file);
      }
    out = fopen (path, "wb");
    g_assert_nonnull (out);
    g_assert_cmpuint (fwrite (data, 1, size, out), ==, size);
    fclose (out);
    file = g_file_new_for_path (path);
    from_file = tb_pool_state_new_from_file (file, NULL, &file_error);
    g_assert_true ((from_file == NULL) != (file_error == NULL));
    if (from_file == NULL)
      tb_fuzz_check_refusal (file_error);
  }

  state = tb_pool_state_new_from_output ((const char *) data, size, &error);
  if (state == NULL)
    {
      tb_fuzz_check_refusal (error);
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
