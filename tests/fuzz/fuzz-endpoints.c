/* fuzz-endpoints.c: the custom endpoints file (--endpoints FILE)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz.h"
#include "tb-cloud.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbCloud) cloud = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  cloud = tb_cloud_new_from_data ((const char *) data, size, "endpoints.ini", &error);
  if (cloud == NULL)
    {
      tb_fuzz_check_refusal (error);
      return 0;
    }
  g_assert_null (error);
  /* Only https://, or http:// to loopback, is ever accepted. */
  g_assert_true (tb_cloud_check_url (tb_cloud_get_login (cloud), NULL));
  g_assert_true (tb_cloud_check_url (tb_cloud_get_graph (cloud), NULL));
  g_assert_true (tb_cloud_check_url (tb_cloud_get_acs (cloud), NULL));

  return 0;
}
