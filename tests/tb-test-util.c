/* tb-test-util.c: helpers the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tb-demo-private.h"
#include "tb-test-util.h"

void
tb_test_iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static TbDemo *
demo_of (TbContext  *context,
         GError    **error)
{
  TbDemo *demo = tb_demo_get_for_context (context);

  return demo != NULL ? demo : tb_demo_attach (context, NULL, error);
}

gboolean
tb_test_start_demo (TbContext  *context,
                    GError    **error)
{
  TbDemo *demo = demo_of (context, error);

  return demo != NULL && tb_demo_start (demo, error);
}

TbDemo *
tb_test_prepare_demo (TbContext *context)
{
  TbDemo *demo = demo_of (context, NULL);

  g_assert_nonnull (demo);
  tb_demo_prepare (demo);
  return demo;
}

TbSim *
tb_test_get_sim (TbContext *context)
{
  TbDemo *demo = tb_demo_get_for_context (context);

  return demo != NULL ? tb_demo_get_sim (demo) : NULL;
}

TbSimWinrm *
tb_test_get_sim_winrm (TbContext *context)
{
  TbDemo *demo = tb_demo_get_for_context (context);

  return demo != NULL ? tb_demo_get_sim_winrm (demo) : NULL;
}
