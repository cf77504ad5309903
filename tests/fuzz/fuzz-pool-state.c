/* fuzz-pool-state.c: the pool state document (trust-bridge-state.json)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A document that loads must give checks and a normalised report that loads back: what
 * `pool import --json` prints is itself a pool state.
 */
#include "config.h"

#include "fuzz.h"
#include "tb-pool-state.h"

static void
round_trip (TbPoolState *state)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2027, 3, 1, 12, 0, 0);
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(TbPoolState) again = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  checks = tb_pool_state_check (state, "0a9300c9-134a-4bb3-8930-cf5362ecf125", NULL, now, 30,
                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (checks);
  for (guint i = 0; i < checks->len; i++)
    {
      TbPoolCheck *check = g_ptr_array_index (checks, i);

      g_assert_true (g_utf8_validate (check->detail, -1, NULL));
    }

  report = tb_pool_state_report_json (state, checks);
  json_generator_set_root (generator, report);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);

  again = tb_pool_state_new_from_data (text, len, &error);
  if (again == NULL)
    g_error ("The normalised report does not load back: %s\n%s", error->message, text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  state = tb_pool_state_new_from_data ((const char *) data, size, &error);
  if (state == NULL)
    {
      tb_fuzz_check_refusal (error);
      return 0;
    }
  g_assert_null (error);
  round_trip (state);

  return 0;
}
