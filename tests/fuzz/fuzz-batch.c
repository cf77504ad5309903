/* fuzz-batch.c: Graph $batch replies, through the real Graph client's snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "fuzz.h"
#include "tb-graph-client.h"

TB_FUZZ_GRAPH_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const app_ids[] = {
    "00000004-0000-0ff1-ce00-000000000000", "00000002-0000-0ff1-ce00-000000000000", NULL
  };
  TbGraphClient *client = tb_fuzz_graph_client ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TbGraphSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_graph_set_reply (SOUP_STATUS_OK, data, size);
  tb_graph_client_snapshot_async (client, app_ids, cancellable, tb_fuzz_store_result, &result);
  tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
  snapshot = tb_graph_client_snapshot_finish (client, result, &error);
  if (snapshot == NULL)
    tb_fuzz_check_refusal (error);

  return 0;
}
