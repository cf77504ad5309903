/* tb-test-util.c: helpers the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "tb-demo-private.h"
#include "tb-http.h"
#include "tb-sim-private.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-util.h"

void
tb_test_iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
tb_test_iterate_for (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static GAsyncResult *kept_result;

void
tb_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data != NULL ? user_data : &kept_result;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
tb_test_wait_result (void)
{
  while (kept_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&kept_result);
}

static gboolean
too_long_cb (gpointer what)
{
  g_error ("%s did not finish in time", (const char *) what);
  return G_SOURCE_REMOVE;
}

GAsyncResult *
tb_test_wait_for (GAsyncResult **result,
                  const char    *what)
{
  guint id = g_timeout_add_seconds (40, too_long_cb, (gpointer) what);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *result;
}

void
tb_test_wait_until_func (TbTestCondition done,
                         gpointer        data,
                         guint           seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  tb_test_iterate_pending ();
}

void
tb_test_pause_for_screenshot (void)
{
  const char *pause = g_getenv ("TB_TEST_PAUSE");
  gint64 seconds;

  if (pause == NULL)
    return;
  seconds = g_ascii_strtoll (pause, NULL, 10);
  if (seconds > 0)
    tb_test_iterate_for (MIN (seconds, G_MAXUINT / 1000) * 1000);
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

void
tb_test_sim_start (TbSim *sim)
{
  g_autoptr(GError) error = NULL;

  tb_sim_set_device_auto_approve (sim, 1);
  tb_sim_set_device_interval (sim, 1);
  g_assert_true (tb_sim_start (sim, &error));
  g_assert_no_error (error);
}

TbTestCli *
tb_test_cli_start_tenant (TbSim  *sim,
                          char  **endpoints)
{
  g_autoptr(GError) error = NULL;

  tb_test_sim_start (sim);
  *endpoints = tb_test_write_file ("tenant.endpoints", "", 0);
  g_assert_true (tb_sim_write_endpoints_file (sim, *endpoints, &error));
  g_assert_no_error (error);
  return tb_test_cli_new_for_endpoints (*endpoints);
}

void
tb_test_cli_stop_tenant (TbTestCli *cli,
                         TbSim     *sim,
                         char      *endpoints)
{
  tb_test_cli_free (cli);
  tb_sim_stop (sim);
  g_assert_finalize_object (sim);
  g_remove (endpoints);
  g_free (endpoints);
}

JsonArray *
tb_test_sim_dup_array (TbSim      *sim,
                       const char *app_id,
                       const char *member)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (sim, app_id);

  return json_array_ref (json_object_get_array_member (sp, member));
}

char *
tb_test_sim_dup_key_id (TbSim      *sim,
                        const char *app_id,
                        GBytes     *der)
{
  g_autoptr(JsonArray) keys = tb_test_sim_dup_array (sim, app_id, "keyCredentials");
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *kc = json_array_get_object_element (keys, i);

      if (g_strcmp0 (json_object_get_string_member (kc, "key"), b64) == 0)
        return g_strdup (json_object_get_string_member (kc, "keyId"));
    }
  return NULL;
}

guint
tb_test_sim_count_thumbprint (TbSim      *sim,
                              const char *app_id,
                              const char *thumbprint)
{
  g_autoptr(JsonArray) keys = tb_test_sim_dup_array (sim, app_id, "keyCredentials");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      const char *key = json_object_get_string_member_with_default (
        json_array_get_object_element (keys, i), "key", NULL);
      gsize len = 0;
      g_autofree guchar *der = key != NULL ? g_base64_decode (key, &len) : NULL;
      g_autofree char *sha1 = der != NULL
                                ? g_compute_checksum_for_data (G_CHECKSUM_SHA1, der, len) : NULL;

      if (sha1 != NULL && g_ascii_strcasecmp (sha1, thumbprint) == 0)
        n++;
    }
  return n;
}

gboolean
tb_test_sim_has_key (TbSim      *sim,
                     const char *app_id,
                     GBytes     *der)
{
  g_autofree char *key_id = tb_test_sim_dup_key_id (sim, app_id, der);

  return key_id != NULL;
}

gboolean
tb_test_sim_has_key_id (TbSim      *sim,
                        const char *app_id,
                        const char *key_id)
{
  g_autoptr(JsonArray) keys = tb_test_sim_dup_array (sim, app_id, "keyCredentials");

  for (guint i = 0; i < json_array_get_length (keys); i++)
    if (g_ascii_strcasecmp (json_object_get_string_member (json_array_get_object_element (keys, i),
                                                           "keyId"), key_id) == 0)
      return TRUE;
  return FALSE;
}

gboolean
tb_test_sim_has_spn (TbSim      *sim,
                     const char *app_id,
                     const char *spn)
{
  g_autoptr(JsonArray) names = tb_test_sim_dup_array (sim, app_id, "servicePrincipalNames");

  for (guint i = 0; i < json_array_get_length (names); i++)
    if (g_ascii_strcasecmp (json_array_get_string_element (names, i), spn) == 0)
      return TRUE;
  return FALSE;
}

gboolean
tb_test_sim_is_enabled (TbSim      *sim,
                        const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (sim, app_id);

  return json_object_get_boolean_member (sp, "accountEnabled");
}

void
tb_test_sign_in (TbAuth       *auth,
                 TbAuthAccess  access)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_auth_sign_in_device_code_async (auth, access, NULL, NULL, NULL, tb_test_store_result, NULL);
  result = tb_test_wait_result ();
  g_assert_true (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_no_error (error);
}

TbGraphClient *
tb_test_graph_client_new (TbSim         *sim,
                          TbAuthAccess   access,
                          TbAuth       **auth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = NULL;
  g_autoptr(SoupSession) session = tb_http_session_new ();

  cloud = tb_cloud_new ("custom", tb_sim_get_login_base (sim), tb_sim_get_graph_base (sim),
                        tb_sim_get_acs_base (sim), &error);
  g_assert_no_error (error);
  *auth = tb_auth_new (cloud, session, TB_AUTH_DEFAULT_CLIENT_ID, tb_sim_get_tenant_id (sim));
  tb_test_sign_in (*auth, access);
  return tb_graph_client_new (cloud, *auth, session);
}

TbSimWinrm *
tb_test_sim_winrm_new (const char *user,
                       const char *password)
{
  TbSimWinrm *sim = tb_sim_winrm_new ();

  tb_sim_winrm_set_basic_account (sim, user, password);
  return sim;
}

void
tb_test_sim_winrm_start (TbSimWinrm *sim)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tb_sim_winrm_start (sim, 0, &error));
  g_assert_no_error (error);
}

void
tb_test_sim_winrm_stop (TbSimWinrm *sim)
{
  tb_sim_winrm_stop (sim);
  g_assert_finalize_object (sim);
}

void
tb_test_winrm_setup (TbTestWinrm   *f,
                     gconstpointer  spec)
{
  const TbTestWinrmSpec *what = spec;

  f->sim = tb_test_sim_winrm_new (what->user, what->password);
  f->user = what->user;
  switch (what->pool)
    {
    case TB_TEST_WINRM_POOL_BARE:
      break;
    case TB_TEST_WINRM_POOL_DEMO:
      tb_sim_winrm_load_demo_pool (f->sim);
      break;
    case TB_TEST_WINRM_POOL_DEMO_RENEWAL_DUE:
      tb_sim_winrm_load_demo_pool_renewal_due (f->sim);
      break;
    default:
      g_assert_not_reached ();
    }
  tb_test_sim_winrm_start (f->sim);
  g_assert_cmpuint (tb_sim_winrm_get_port (f->sim), >, 0);
  g_assert_cmpuint (strlen (tb_sim_winrm_get_fingerprint (f->sim)), ==, 64);
  f->port = g_strdup_printf ("%u", tb_sim_winrm_get_port (f->sim));
}

void
tb_test_winrm_teardown (TbTestWinrm   *f,
                        gconstpointer  spec)
{
  tb_test_sim_winrm_stop (f->sim);
  g_free (f->port);
}
