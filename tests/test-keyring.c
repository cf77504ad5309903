/* test-keyring.c: secrets go to a real Secret Service when one answers
 *
 * Run by tests/test-keyring.sh, which gives it a private D-Bus session, a throwaway HOME and
 * Debian's gnome-keyring-daemon with an unlocked "login" keyring. TbAuth signs in against the
 * simulator (device code, auto-approved); the test then reads the keyring itself with libsecret,
 * as another program would, and checks what TbAuth and the WinRM password store left there.
 *
 * No secret is printed: values are compared with strcmp, never with g_assert_cmpstr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <libsecret/secret.h>

#include "tb-auth-private.h"
#include "tb-cloud.h"
#include "tb-context.h"
#include "tb-http.h"
#include "tb-pool-connection.h"
#include "tb-sim-private.h"
#include "tb-test-util.h"
#include "tb-winrm-password.h"

/* The schemas as stored items carry them (xdg:schema): a rename would strand every user's
 * stored sign-in, so the names are spelled out here rather than taken from config.h. */
static const SecretSchema auth_schema = {
  "io.github.trustbridge.TrustBridge", SECRET_SCHEMA_NONE,
  {
    { "cloud", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "tenant", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static const SecretSchema winrm_schema = {
  "io.github.trustbridge.TrustBridge.WinRM", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  TbSim       *sim;
  TbCloud     *cloud;
  SoupSession *session;
  GPtrArray   *paths;     /* path of every request TbAuth sent */
} Fixture;

static void
request_queued_cb (SoupSession *session,
                   SoupMessage *msg,
                   gpointer     user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->paths, g_strdup (g_uri_get_path (soup_message_get_uri (msg))));
}

static guint
count_paths (Fixture    *f,
             guint       from,
             const char *suffix)
{
  guint n = 0;

  for (guint i = from; i < f->paths->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (f->paths, i), suffix))
      n++;
  return n;
}

/* Every item of either schema, in any collection. */
static guint
count_items (const SecretSchema *schema)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (schema, SECRET_SEARCH_ALL, NULL, &error, NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sim = tb_sim_new (TB_SIM_TENANT_EMPTY);
  g_assert_true (tb_sim_start (f->sim, &error));
  g_assert_no_error (error);
  tb_sim_set_device_interval (f->sim, 1);
  tb_sim_set_device_auto_approve (f->sim, 1);

  f->cloud = tb_cloud_new ("sim", tb_sim_get_login_base (f->sim), tb_sim_get_graph_base (f->sim),
                           tb_sim_get_acs_base (f->sim), &error);
  g_assert_no_error (error);
  f->session = tb_http_session_new ();
  f->paths = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->session, "request-queued", G_CALLBACK (request_queued_cb), f);

  /* Each test starts from an empty keyring. */
  g_assert_cmpuint (count_items (&auth_schema), ==, 0);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Leave nothing for the next test. */
  secret_password_clear_sync (&auth_schema, NULL, &error, NULL);
  g_assert_no_error (error);
  secret_password_clear_sync (&winrm_schema, NULL, &error, NULL);
  g_assert_no_error (error);

  g_ptr_array_unref (f->paths);
  g_object_unref (f->session);
  g_object_unref (f->cloud);
  tb_sim_stop (f->sim);
  g_object_unref (f->sim);
}

/* The stored refresh token, looked up as TbAuth does (cloud/tenant/client), or NULL. */
static char *
lookup_refresh_token (Fixture *f,
                      TbAuth  *auth)
{
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  /* A custom cloud (the simulator's) is keyed by its login address, not its name. */
  g_assert_true (tb_cloud_is_custom (f->cloud));
  secret = secret_password_lookup_sync (&auth_schema, NULL, &error,
                                        "cloud", tb_cloud_get_login (f->cloud),
                                        "tenant", tb_auth_get_tenant (auth),
                                        "client-id", tb_auth_get_client_id (auth),
                                        NULL);
  g_assert_no_error (error);
  if (secret == NULL)
    return NULL;
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

/* TbAuth writes to the keyring behind the caller's back: wait until the stored token is
 * @present (or, with @differs_from, present and changed), keeping the main loop running. */
static char *
wait_for_stored (Fixture    *f,
                 TbAuth     *auth,
                 gboolean    present,
                 const char *differs_from)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *stored = lookup_refresh_token (f, auth);

      if (present && stored != NULL
          && (differs_from == NULL || strcmp (stored, differs_from) != 0))
        return g_steal_pointer (&stored);
      if (!present && stored == NULL)
        return NULL;
      if (g_get_monotonic_time () > end)
        g_error ("the refresh token was %s in the keyring after 10 s",
                 present ? (stored ? "never replaced" : "never stored") : "still");
      tb_test_iterate_for (50);
    }
}

static TbAuth *
sign_in (Fixture *f)
{
  TbAuth *auth = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_auth_sign_in_device_code_async (auth, TB_AUTH_ACCESS_READ, NULL, NULL, NULL,
                                     tb_test_store_result, &result);
  tb_test_wait_for (&result, "sign-in");
  g_assert_true (tb_auth_sign_in_device_code_finish (auth, result, &error));
  g_assert_no_error (error);
  g_assert_true (tb_auth_get_signed_in (auth));
  return auth;
}

static char *
get_token (TbAuth  *auth,
           GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_auth_get_token_async (auth, TB_AUTH_ACCESS_READ, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "get_token");
  return tb_auth_get_token_finish (auth, result, error);
}

static gboolean
restore (TbAuth  *auth,
         GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_auth_restore_async (auth, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "restore");
  return tb_auth_restore_finish (auth, result, error);
}

/* The one stored item: its attributes and label say who, never what. */
static void
check_stored_item (Fixture *f,
                   TbAuth  *auth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;
  SecretRetrievable *item;

  items = secret_password_search_sync (&auth_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "tenant", tb_auth_get_tenant (auth), NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  item = items->data;

  attributes = secret_retrievable_get_attributes (item);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, auth_schema.name);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "cloud"), ==, tb_cloud_get_login (f->cloud));
  g_assert_cmpstr (g_hash_table_lookup (attributes, "tenant"), ==, "organizations");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "client-id"), ==, TB_AUTH_DEFAULT_CLIENT_ID);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, tb_sim_get_user (f->sim));

  label = secret_retrievable_get_label (item);
  g_assert_nonnull (strstr (label, tb_sim_get_user (f->sim)));

  g_list_free_full (items, g_object_unref);
}

static void
test_sign_in_restore_sign_out (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TbAuth) auth = NULL;
  g_autoptr(TbAuth) later = NULL;
  g_autoptr(TbAuth) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *restored_access = NULL;
  guint mark;

  auth = sign_in (f);
  g_assert_cmpuint (count_paths (f, 0, "/oauth2/v2.0/devicecode"), ==, 1);
  access = get_token (auth, &error);
  g_assert_no_error (error);
  g_assert_nonnull (access);

  /* The refresh token, not the access token, is in the login keyring. */
  stored = wait_for_stored (f, auth, TRUE, NULL);
  g_assert_cmpuint (strlen (stored), >=, 8);
  g_assert_true (strcmp (stored, access) != 0);
  g_assert_null (strstr (stored, access));
  check_stored_item (f, auth);
  g_assert_cmpuint (count_items (&auth_schema), ==, 1);

  /* The next start of the app: a new TbAuth for the same cloud, tenant and client. */
  mark = f->paths->len;
  later = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_assert_false (tb_auth_get_signed_in (later));
  g_assert_true (restore (later, &error));
  g_assert_no_error (error);
  g_assert_true (tb_auth_get_signed_in (later));
  g_assert_cmpstr (tb_auth_get_account (later), ==, tb_sim_get_user (f->sim));
  /* One refresh with the stored token, and no device code. */
  g_assert_cmpuint (count_paths (f, mark, "/oauth2/v2.0/devicecode"), ==, 0);
  g_assert_cmpuint (count_paths (f, mark, "/oauth2/v2.0/token"), ==, 1);
  g_assert_cmpuint (f->paths->len - mark, ==, 1);

  restored_access = get_token (later, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restored_access);
  g_assert_true (strcmp (restored_access, access) != 0);
  g_assert_cmpuint (f->paths->len - mark, ==, 1);

  /* The service rotated the refresh token; the keyring holds the new one, still once. */
  rotated = wait_for_stored (f, later, TRUE, stored);
  g_assert_true (strcmp (rotated, restored_access) != 0);
  g_assert_cmpuint (count_items (&auth_schema), ==, 1);
  check_stored_item (f, later);

  /* Signing out removes it, and it stays removed. */
  tb_auth_sign_out (later);
  g_assert_false (tb_auth_get_signed_in (later));
  g_assert_null (wait_for_stored (f, later, FALSE, NULL));
  tb_test_iterate_for (500);
  g_assert_cmpuint (count_items (&auth_schema), ==, 0);

  /* A third start finds nothing and asks for nothing. */
  mark = f->paths->len;
  again = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_assert_false (restore (again, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN);
  g_assert_false (tb_auth_get_signed_in (again));
  g_assert_cmpuint (f->paths->len, ==, mark);
}

/* Signing out right after a sign-in (or a restore that rotated the token) while the keyring
 * write is still under way must not leave the token behind. */
static void
test_sign_out_at_once (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TbAuth) auth = sign_in (f);
  g_autoptr(TbAuth) later = NULL;
  g_autoptr(GError) error = NULL;

  tb_auth_sign_out (auth);
  g_assert_null (wait_for_stored (f, auth, FALSE, NULL));
  tb_test_iterate_for (1000);
  g_assert_cmpuint (count_items (&auth_schema), ==, 0);

  later = tb_auth_new (f->cloud, f->session, NULL, "organizations");
  g_assert_false (restore (later, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN);
}

/* Another tenant or client is another item; a restore never picks up someone else's token. */
static void
test_other_tenant (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TbAuth) auth = sign_in (f);
  g_autoptr(TbAuth) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  guint mark;

  stored = wait_for_stored (f, auth, TRUE, NULL);

  mark = f->paths->len;
  other = tb_auth_new (f->cloud, f->session, NULL, tb_sim_get_tenant_id (f->sim));
  g_assert_false (restore (other, &error));
  g_assert_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN);
  g_assert_cmpuint (f->paths->len, ==, mark);
  g_clear_error (&error);

  /* Its sign-out leaves the first sign-in alone. */
  tb_auth_sign_out (other);
  tb_test_iterate_for (500);
  g_assert_cmpuint (count_items (&auth_schema), ==, 1);

  tb_auth_sign_out (auth);
  g_assert_null (wait_for_stored (f, auth, FALSE, NULL));
}

static void
winrm_store (const char *host,
             guint       port,
             const char *user,
             const char *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_winrm_password_store_async (host, port, user, password, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "WinRM password store");
  g_assert_true (tb_winrm_password_store_finish (result, &error));
  g_assert_no_error (error);
}

static char *
winrm_lookup (const char *host,
              guint       port,
              const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  tb_winrm_password_lookup_async (host, port, user, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "WinRM password lookup");
  password = tb_winrm_password_lookup_finish (result, &error);
  g_assert_no_error (error);
  return password;
}

static void
winrm_clear (const char *host,
             guint       port,
             const char *user)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tb_winrm_password_clear_async (host, port, user, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "WinRM password clear");
  g_assert_true (tb_winrm_password_clear_finish (result, &error));
  g_assert_no_error (error);
}

static gboolean
same_password (char       *found,
               const char *expected)
{
  gboolean same = found != NULL && strcmp (found, expected) == 0;

  tb_winrm_password_free (found);
  return same;
}

static void
test_winrm_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *password = g_strdup_printf ("pw-%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *other = g_strdup_printf ("pw-%08x%08x", g_random_int (), g_random_int ());
  g_autoptr(GError) error = NULL;
  char *raw;

  winrm_store ("FE01.Contoso.com", 5986, "CONTOSO\\admin", password);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 1);
  g_assert_cmpuint (count_items (&auth_schema), ==, 0);

  g_assert_true (same_password (winrm_lookup ("FE01.Contoso.com", 5986, "CONTOSO\\admin"),
                                password));
  /* Host names are compared without case; 5986 (or 0) is the default port. */
  g_assert_true (same_password (winrm_lookup ("fe01.contoso.com", 0, "CONTOSO\\admin"), password));
  g_assert_null (winrm_lookup ("fe01.contoso.com", 5985, "CONTOSO\\admin"));
  g_assert_null (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\other"));
  g_assert_null (winrm_lookup ("fe02.contoso.com", 5986, "CONTOSO\\admin"));

  /* Another port is another item; storing again replaces. */
  winrm_store ("fe01.contoso.com", 15986, "CONTOSO\\admin", other);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 2);
  winrm_store ("fe01.contoso.com", 5986, "CONTOSO\\admin", other);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 2);
  g_assert_true (same_password (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\admin"), other));

  /* As another program sees it: the documented attributes. */
  raw = secret_password_lookup_sync (&winrm_schema, NULL, &error,
                                     "host", "fe01.contoso.com:15986",
                                     "user", "CONTOSO\\admin", NULL);
  g_assert_no_error (error);
  g_assert_true (raw != NULL && strcmp (raw, other) == 0);
  secret_password_free (raw);

  winrm_clear ("FE01.contoso.com", 5986, "CONTOSO\\admin");
  g_assert_null (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\admin"));
  g_assert_cmpuint (count_items (&winrm_schema), ==, 1);
  winrm_clear ("fe01.contoso.com", 15986, "CONTOSO\\admin");
  g_assert_null (winrm_lookup ("fe01.contoso.com", 15986, "CONTOSO\\admin"));
  g_assert_cmpuint (count_items (&winrm_schema), ==, 0);

  /* Clearing what is not there is no error. */
  winrm_clear ("fe01.contoso.com", 5986, "CONTOSO\\admin");
}

/* Signing out of Microsoft 365 forgets the sign-in, not the pool passwords. */
static void
test_sign_out_keeps_winrm_password (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *password = g_strdup_printf ("pw-%08x%08x", g_random_int (), g_random_int ());
  g_autoptr(TbAuth) auth = NULL;
  g_autofree char *stored = NULL;

  winrm_store ("fe01.contoso.com", 5986, "CONTOSO\\admin", password);
  auth = sign_in (f);
  stored = wait_for_stored (f, auth, TRUE, NULL);
  g_assert_cmpuint (count_items (&auth_schema), ==, 1);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 1);

  tb_auth_sign_out (auth);
  g_assert_null (wait_for_stored (f, auth, FALSE, NULL));
  tb_test_iterate_for (500);
  g_assert_cmpuint (count_items (&auth_schema), ==, 0);
  g_assert_cmpuint (count_items (&winrm_schema), ==, 1);
  g_assert_true (same_password (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\admin"),
                                password));

  /* And the other way round: clearing a WinRM password leaves a sign-in alone. */
  g_clear_object (&auth);
  auth = sign_in (f);
  g_free (stored);
  stored = wait_for_stored (f, auth, TRUE, NULL);
  winrm_clear ("fe01.contoso.com", 5986, "CONTOSO\\admin");
  g_assert_cmpuint (count_items (&winrm_schema), ==, 0);
  g_assert_cmpuint (count_items (&auth_schema), ==, 1);
  tb_auth_sign_out (auth);
  g_assert_null (wait_for_stored (f, auth, FALSE, NULL));
}

/* The keyring really is the private one test-keyring.sh made, with an unlocked default
 * collection; anything else and the test must not run. */
static gboolean
check_environment (void)
{
  const char *home = g_getenv ("TB_KEYRING_HOME");
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  if (home == NULL || g_strcmp0 (g_getenv ("HOME"), home) != 0
      || g_strcmp0 (g_get_home_dir (), home) != 0)
    {
      g_print ("SKIP: run through tests/test-keyring.sh, which gives this test a keyring of "
               "its own; it never touches yours\n");
      return FALSE;
    }

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  if (collection == NULL)
    g_error ("the Secret Service has no default collection");
  g_assert_false (secret_collection_get_locked (collection));
  g_assert_true (g_str_has_suffix (g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)),
                                   "/collection/login"));
  return TRUE;
}

/* The Pool page's Remember switch goes through the core's connection: a Basic password kept
 * after a read is found by the next connection to the same host, port and user; turned off, the
 * next read forgets it. */
static void
test_pool_connection_remember (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autofree char *password = g_strdup_printf ("pw-%08x%08x", g_random_int (), g_random_int ());
  g_autoptr(TbPoolConnection) first = NULL;
  g_autoptr(TbPoolConnection) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  first = tb_pool_connection_new (context, "FE01.contoso.com", 0, "basic", "CONTOSO\\admin",
                                  NULL, &error);
  g_assert_no_error (error);
  tb_pool_connection_set_password (first, password);
  tb_pool_connection_remember_password_async (first, TRUE, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "remembering a pool password");
  g_assert_true (tb_pool_connection_remember_password_finish (first, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (same_password (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\admin"),
                                password));

  again = tb_pool_connection_new (context, "fe01.contoso.com", 5986, "basic", "CONTOSO\\admin",
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tb_pool_connection_needs_password (again));
  tb_pool_connection_lookup_password_async (again, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "looking up a pool password");
  g_assert_true (tb_pool_connection_lookup_password_finish (again, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (tb_pool_connection_needs_password (again));

  tb_pool_connection_remember_password_async (again, FALSE, NULL, tb_test_store_result, &result);
  tb_test_wait_for (&result, "forgetting a pool password");
  g_assert_true (tb_pool_connection_remember_password_finish (again, result, &error));
  g_assert_no_error (error);
  g_assert_null (winrm_lookup ("fe01.contoso.com", 5986, "CONTOSO\\admin"));
  g_assert_cmpuint (count_items (&winrm_schema), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!check_environment ())
    return 77;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/keyring/auth/sign-in-restore-sign-out", test_sign_in_restore_sign_out);
  ADD ("/keyring/auth/sign-out-at-once", test_sign_out_at_once);
  ADD ("/keyring/auth/other-tenant", test_other_tenant);
  ADD ("/keyring/winrm/store-lookup-clear", test_winrm_password);
  ADD ("/keyring/winrm/pool-connection-remember", test_pool_connection_remember);
  ADD ("/keyring/winrm/survives-sign-out", test_sign_out_keeps_winrm_password);

  return g_test_run ();
}
