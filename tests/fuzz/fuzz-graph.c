/* fuzz-graph.c: Graph replies and errors, through the real Graph client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is served by a loopback server as the body of: a single service principal read
 * (200), a failed request (403, so the error reader runs) and a collection page (200, whose
 * nextLink the client may follow until the deadline).
 */
#include "config.h"

#include <libsoup/soup.h>

#include "fuzz.h"
#include "tb-graph-client-private.h"
#include "tb-service-principal.h"

#define FUZZ_APP_ID "00000004-0000-0ff1-ce00-000000000000"

TB_FUZZ_GRAPH_INITIALIZE ()

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  TbGraphClient *client = tb_fuzz_graph_client ();

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(TbServicePrincipal) principal = NULL;
    g_autoptr(GError) error = NULL;

    tb_fuzz_graph_set_reply (SOUP_STATUS_OK, data, size);
    tb_graph_client_get_service_principal_async (client, FUZZ_APP_ID, cancellable,
                                                 tb_fuzz_store_result, &result);
    tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
    principal = tb_graph_client_get_service_principal_finish (client, result, &error);
    if (principal == NULL)
      tb_fuzz_check_refusal (error);
    else
      {
        GPtrArray *keys = tb_service_principal_get_key_credentials (principal);

        for (guint i = 0; keys != NULL && i < keys->len; i++)
          {
            TbKeyCredential *key = g_ptr_array_index (keys, i);

            (void) tb_key_credential_get_thumbprint (key);
            (void) tb_key_credential_get_status (key, NULL, 30);
          }
      }
  }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    tb_fuzz_graph_set_reply (SOUP_STATUS_FORBIDDEN, data, size);
    tb_graph_client_request_async (client, "GET", "servicePrincipals/x", NULL,
                                   TB_AUTH_ACCESS_READ, cancellable, tb_fuzz_store_result,
                                   &result);
    tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
    node = tb_graph_client_request_finish (client, result, &error);
    g_assert_null (node);
    tb_fuzz_check_refusal (error);
  }

  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonArray) array = NULL;
    g_autoptr(GError) error = NULL;

    tb_fuzz_graph_set_reply (SOUP_STATUS_OK, data, size);
    tb_graph_client_list_async (client, "servicePrincipals", cancellable,
                                tb_fuzz_store_result, &result);
    tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
    array = tb_graph_client_list_finish (client, result, &error);
    if (array == NULL)
      tb_fuzz_check_refusal (error);
  }

  return 0;
}
