/* fuzz-discovery.c: OIDC discovery documents and ACS metadata, through TbTenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is served by a loopback server first as a tenant's discovery document (200, then
 * 400 for the error reader), then as the ACS metadata of a tenant resolved from a good one.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "fuzz.h"
#include "tb-cloud.h"
#include "tb-http.h"
#include "tb-tenant.h"

#define TENANT "0a9300c9-134a-4bb3-8930-cf5362ecf125"

static GBytes *reply;
static guint reply_status;
static gboolean fuzz_discovery;

static void
handler (const char  *method,
         const char  *path,
         guint       *status,
         GBytes     **body,
         gpointer     user_data)
{
  if (!fuzz_discovery && strstr (path, "openid-configuration") != NULL)
    {
      static const char good[] =
        "{\"token_endpoint\":\"https://login.microsoftonline.com/" TENANT "/oauth2/v2.0/token\","
        "\"issuer\":\"https://login.microsoftonline.com/" TENANT "/v2.0\","
        "\"tenant_region_scope\":\"EU\",\"cloud_instance_name\":\"microsoftonline.com\"}";

      *status = SOUP_STATUS_OK;
      *body = g_bytes_new_static (good, strlen (good));
      return;
    }
  *status = reply_status;
  *body = g_bytes_ref (reply);
}

static TbCloud *cloud;
static SoupSession *session;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();
  base = g_strdup (tb_fuzz_server_base ());
  cloud = tb_cloud_new ("fuzz", base, base, base, &error);
  g_assert_no_error (error);
  session = tb_http_session_new ();
  tb_fuzz_server_set_handler (handler, NULL);
  return 0;
}

static TbTenant *
resolve (const char *query)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TbTenant *tenant;

  tb_tenant_resolve_async (cloud, session, query, cancellable, tb_fuzz_store_result, &result);
  tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
  tenant = tb_tenant_resolve_finish (result, &error);
  if (tenant == NULL)
    tb_fuzz_check_refusal (error);
  else
    g_assert_true (tb_tenant_is_guid (tb_tenant_get_id (tenant)));
  return tenant;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TbTenant) good = NULL;

  if (cloud == NULL)
    LLVMFuzzerInitialize (NULL, NULL);

  g_clear_pointer (&reply, g_bytes_unref);
  reply = g_bytes_new (data, size);

  fuzz_discovery = TRUE;
  reply_status = SOUP_STATUS_OK;
  g_clear_object (&good);
  good = resolve ("contoso.com");
  g_clear_object (&good);
  reply_status = SOUP_STATUS_BAD_REQUEST;
  good = resolve (TENANT);
  g_clear_object (&good);

  fuzz_discovery = FALSE;
  reply_status = SOUP_STATUS_OK;
  good = resolve ("contoso.com");
  g_assert_nonnull (good);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    tb_tenant_check_metadata_async (good, session, cancellable, tb_fuzz_store_result, &result);
    tb_fuzz_wait (&result, cancellable, TB_FUZZ_DEADLINE_MS);
    if (!tb_tenant_check_metadata_finish (good, result, &error))
      tb_fuzz_check_refusal (error);
    else
      g_assert_true (tb_tenant_get_metadata_realm_ok (good));
  }

  return 0;
}
