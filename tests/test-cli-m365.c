/* test-cli-m365.c: trust-bridge-cli's Microsoft 365 commands against a service it did not start
 *
 * The test holds one simulator and hands the CLI its endpoints with --endpoints, as an admin
 * would hand a sovereign cloud's. The CLI signs in with the device code flow (approved on the
 * service side, as a person would in the browser) and every change is checked on the service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tb-sim-private.h"
#include "tb-test-certs.h"

#define SKYPE "00000004-0000-0ff1-ce00-000000000000"
#define EXO   "00000002-0000-0ff1-ce00-000000000000"

typedef struct
{
  TbSim *sim;
  char  *endpoints;
  char  *cert_path;
  GBytes *cert_der;
} Fixture;

typedef struct
{
  char *out;
  char *err;
  int   status;
  gboolean done;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static void
communicate_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *r = user_data;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc = G_SUBPROCESS (source);

  g_subprocess_communicate_utf8_finish (proc, result, &r->out, &r->err, &error);
  g_assert_no_error (error);
  /* Never a crash: an exit status, not a signal. */
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  r->done = TRUE;
}

/* Runs the CLI while this process keeps serving the simulator from its main loop. */
static void
run_cli (Fixture    *fx,
         Run        *r,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("TB_BUILD_DIR"), "app", "trust-bridge-cli",
                                           NULL));
  if (fx != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--endpoints"));
      g_ptr_array_add (argv, g_strdup (fx->endpoints));
    }
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  memset (r, 0, sizeof *r);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_done, r);
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
  };
  gsize len;
  const guint8 *der;

  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  /* The person at the browser approves at once; polling every second keeps the test short. */
  tb_sim_set_device_auto_approve (fx->sim, 1);
  tb_sim_set_device_interval (fx->sim, 1);
  g_assert_true (tb_sim_start (fx->sim, &error));
  g_assert_no_error (error);

  fx->cert_der = tb_test_cert_make (&spec, NULL);
  der = g_bytes_get_data (fx->cert_der, &len);
  fx->cert_path = tb_test_write_file ("pool-oauth.cer", der, len);
  fx->endpoints = g_strconcat (fx->cert_path, ".endpoints", NULL);
  g_assert_true (tb_sim_write_endpoints_file (fx->sim, fx->endpoints, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_sim_stop (fx->sim);
  g_assert_finalize_object (fx->sim);
  g_remove (fx->endpoints);
  g_free (fx->endpoints);
  g_free (fx->cert_path);
  g_bytes_unref (fx->cert_der);
}

static char *
sha1_of_b64 (const char *b64)
{
  gsize len;
  g_autofree guchar *der = g_base64_decode (b64, &len);
  g_autofree char *lower = g_compute_checksum_for_data (G_CHECKSUM_SHA1, der, len);

  return g_ascii_strup (lower, -1);
}

/* Each credential's JSON as the service holds it, by keyId. */
static GHashTable *
service_credentials (Fixture    *fx,
                     const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, app_id);
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonNode *node = json_array_get_element (keys, i);
      JsonObject *kc = json_node_get_object (node);

      g_hash_table_insert (map, g_strdup (json_object_get_string_member (kc, "keyId")),
                           json_to_string (node, FALSE));
    }
  return map;
}

static void
assert_kept (GHashTable *before,
             GHashTable *after)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (after, key), ==, value);
}

static void
test_tenant_resolve (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *metadata = NULL;
  const char *domain = tb_sim_get_domains (fx->sim)[1];
  Run r;

  run_cli (fx, &r, "--json", "tenant", "resolve", domain, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (obj, "domain"), ==, domain);
  g_assert_cmpstr (json_object_get_string_member (obj, "tenant_id"), ==, tb_sim_get_tenant_id (fx->sim));
  metadata = g_strdup_printf ("%s/%s/metadata/json/1", tb_sim_get_acs_base (fx->sim),
                              tb_sim_get_tenant_id (fx->sim));
  g_assert_cmpstr (json_object_get_string_member (obj, "metadata_url"), ==, metadata);
  g_assert_true (json_object_get_boolean_member (obj, "metadata_realm_ok"));
  g_assert_true (json_object_has_member (obj, "cloud_instance"));
  run_clear (&r);

  run_cli (fx, &r, "--json", "tenant", "resolve", "no-such-tenant.example", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no-such-tenant.example"));
  g_assert_cmpstr (r.out, ==, "");
  run_clear (&r);

  run_cli (fx, &r, "tenant", "resolve", "not a domain", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);
}

static void
test_principals_show (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) service = NULL;
  JsonArray *sps, *keys, *service_keys;
  JsonObject *skype = NULL;
  Run r;

  /* The demo tenant holds the pool's earlier certificates, one expiring and one expired; a
   * valid one joins them. */
  run_cli (fx, &r, "credentials", "add", "--cert", fx->cert_path, "--to", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  service = tb_sim_dup_service_principal (fx->sim, SKYPE);

  run_cli (fx, &r, "--json", "principals", "show", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The sign-in prompt goes to stderr; stdout is the JSON alone. */
  g_assert_nonnull (strstr (r.err, "devicelogin"));
  obj = parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (obj, "tenant_id"), ==, tb_sim_get_tenant_id (fx->sim));

  sps = json_object_get_array_member (obj, "service_principals");
  g_assert_cmpuint (json_array_get_length (sps), >=, 2);
  for (guint i = 0; i < json_array_get_length (sps); i++)
    {
      JsonObject *sp = json_array_get_object_element (sps, i);
      if (g_str_equal (json_object_get_string_member (sp, "app_id"), SKYPE))
        skype = sp;
    }
  g_assert_nonnull (skype);
  g_assert_cmpstr (json_object_get_string_member (skype, "object_id"), ==,
                   json_object_get_string_member (service, "id"));

  /* Every credential the service holds, with the thumbprint of its certificate. */
  keys = json_object_get_array_member (skype, "key_credentials");
  service_keys = json_object_get_array_member (service, "keyCredentials");
  g_assert_cmpuint (json_array_get_length (keys), ==, json_array_get_length (service_keys));
  {
    g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < json_array_get_length (keys); i++)
      {
        JsonObject *kc = json_array_get_object_element (keys, i);
        JsonObject *skc = json_array_get_object_element (service_keys, i);
        g_autofree char *sha1 = sha1_of_b64 (json_object_get_string_member (skc, "key"));

        g_assert_cmpstr (json_object_get_string_member (kc, "key_id"), ==,
                         json_object_get_string_member (skc, "keyId"));
        g_assert_cmpstr (json_object_get_string_member (kc, "sha1"), ==, sha1);
        g_assert_true (g_str_has_suffix (json_object_get_string_member (kc, "end"), "Z"));
        g_hash_table_add (statuses, (gpointer) json_object_get_string_member (kc, "status"));
      }
    /* A valid, an expiring and an expired one. */
    g_assert_true (g_hash_table_contains (statuses, "valid"));
    g_assert_true (g_hash_table_contains (statuses, "expiring"));
    g_assert_true (g_hash_table_contains (statuses, "expired"));
  }
  run_clear (&r);
  g_clear_pointer (&obj, json_object_unref);

  /* A principal missing from the tenant is said plainly, with a null object ID. */
  g_assert_true (tb_sim_remove_service_principal (fx->sim, SKYPE));
  run_cli (fx, &r, "--json", "principals", "show", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  sps = json_object_get_array_member (obj, "service_principals");
  g_assert_cmpuint (json_array_get_length (sps), ==, 1);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (sps, 0), "object_id"));
  run_clear (&r);
}

static JsonArray *
changes_of (JsonObject *obj)
{
  return json_object_get_array_member (obj, "changes");
}

static void
test_credentials (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) skype_before = service_credentials (fx, SKYPE);
  g_autoptr(GHashTable) exo_before = service_credentials (fx, EXO);
  g_autoptr(GHashTable) skype_after = NULL;
  g_autoptr(GHashTable) exo_after = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *to = g_strdup_printf ("%s,%s", SKYPE, EXO);
  const char *removed = NULL;
  guint writes;
  Run r;

  /* --dry-run writes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  run_cli (fx, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to,
           "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  run_clear (&r);

  run_cli (fx, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  g_assert_cmpuint (json_array_get_length (changes_of (obj)), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "add-credential");
  run_clear (&r);
  g_clear_pointer (&obj, json_object_unref);

  /* Added, and every earlier credential byte-identical on the service. */
  skype_after = service_credentials (fx, SKYPE);
  exo_after = service_credentials (fx, EXO);
  g_assert_cmpuint (g_hash_table_size (skype_after), ==, g_hash_table_size (skype_before) + 1);
  g_assert_cmpuint (g_hash_table_size (exo_after), ==, g_hash_table_size (exo_before) + 1);
  assert_kept (skype_before, skype_after);
  assert_kept (exo_before, exo_after);

  /* Already there: action "none", nothing written. */
  writes = tb_sim_get_write_count (fx->sim);
  run_cli (fx, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "none");
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  run_clear (&r);
  g_clear_pointer (&obj, json_object_unref);

  /* Remove one of the earlier credentials: gone, the others intact. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, skype_before);
    g_assert_true (g_hash_table_iter_next (&iter, &key, NULL));
    removed = key;
  }
  run_cli (fx, &r, "--json", "credentials", "remove", "--from", SKYPE, "--key-id", removed, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), 0),
                                                  "action"), ==, "remove-credential");
  run_clear (&r);
  {
    g_autoptr(GHashTable) now = service_credentials (fx, SKYPE);

    g_assert_false (g_hash_table_contains (now, removed));
    g_hash_table_remove (skype_after, removed);
    assert_kept (skype_after, now);
    g_assert_cmpuint (g_hash_table_size (now), ==, g_hash_table_size (skype_after));
  }

  /* Bad input changes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  run_cli (fx, &r, "credentials", "add", "--cert", fx->endpoints, "--to", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not a certificate"));
  run_clear (&r);
  run_cli (fx, &r, "credentials", "add", "--cert", fx->cert_path, "--to", "skype", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
}

static gboolean
service_has_spn (Fixture    *fx,
                 const char *app_id,
                 const char *spn)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fx->sim, app_id);
  JsonArray *names = json_object_get_array_member (sp, "servicePrincipalNames");

  for (guint i = 0; i < json_array_get_length (names); i++)
    if (g_ascii_strcasecmp (json_array_get_string_element (names, i), spn) == 0)
      return TRUE;
  return FALSE;
}

static void
test_spn_and_enable (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) sp = NULL;
  guint n_names;
  Run r;

  sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
  n_names = json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames"));
  g_clear_pointer (&sp, json_object_unref);

  run_cli (fx, &r, "--json", "spn", "add", "--to", SKYPE, "webext02.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (service_has_spn (fx, SKYPE, SKYPE "/webext02.contoso.com"));
  run_clear (&r);

  /* Case-insensitive: the same name in capitals is already there. */
  run_cli (fx, &r, "--json", "spn", "add", "--to", SKYPE, "WEBEXT02.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"none\""));
  run_clear (&r);

  run_cli (fx, &r, "--json", "spn", "remove", "--from", SKYPE, "webext02.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (service_has_spn (fx, SKYPE, SKYPE "/webext02.contoso.com"));
  sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames")),
                    ==, n_names);
  g_clear_pointer (&sp, json_object_unref);
  run_clear (&r);

  run_cli (fx, &r, "spn", "add", "--to", SKYPE, "web ext;$(whoami)", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  sp = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_false (json_object_get_boolean_member (sp, "accountEnabled"));
  g_clear_pointer (&sp, json_object_unref);
  run_cli (fx, &r, "--json", "principals", "enable", EXO, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sp = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
  run_clear (&r);
}

static void
test_trust_establish (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(GHashTable) skype_before = service_credentials (fx, SKYPE);
  g_autoptr(GHashTable) skype_after = NULL;
  g_autoptr(GHashTable) exo_before = service_credentials (fx, EXO);
  g_autoptr(GHashTable) exo_after = NULL;
  guint writes;
  Run r;

  writes = tb_sim_get_write_count (fx->sim);
  run_cli (fx, &r, "--json", "trust", "establish", "--cert", fx->cert_path,
           "--fqdn", "webext.contoso.com", "lyncweb.contoso.com", "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  obj = parse_object (r.out);
  g_assert_cmpuint (json_array_get_length (changes_of (obj)), >=, 3);
  g_clear_pointer (&obj, json_object_unref);
  run_clear (&r);

  run_cli (fx, &r, "--json", "trust", "establish", "--cert", fx->cert_path,
           "--fqdn", "webext.contoso.com", "lyncweb.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), >, writes);
  /* The upload to Exchange Online is opt-in, as in the window: left out, and said so. */
  g_assert_nonnull (strstr (r.err, "--include-exchange"));
  run_clear (&r);
  exo_after = service_credentials (fx, EXO);
  g_assert_cmpuint (g_hash_table_size (exo_after), ==, g_hash_table_size (exo_before));
  g_clear_pointer (&exo_after, g_hash_table_unref);

  run_cli (fx, &r, "--json", "trust", "establish", "--cert", fx->cert_path,
           "--fqdn", "webext.contoso.com", "lyncweb.contoso.com", "--include-exchange", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "Left out"));
  run_clear (&r);
  exo_after = service_credentials (fx, EXO);
  assert_kept (exo_before, exo_after);
  g_assert_cmpuint (g_hash_table_size (exo_after), ==, g_hash_table_size (exo_before) + 1);

  skype_after = service_credentials (fx, SKYPE);
  assert_kept (skype_before, skype_after);
  g_assert_cmpuint (g_hash_table_size (skype_after), ==, g_hash_table_size (skype_before) + 1);
  g_assert_true (service_has_spn (fx, SKYPE, SKYPE "/webext.contoso.com"));
  g_assert_true (service_has_spn (fx, SKYPE, SKYPE "/lyncweb.contoso.com"));
  {
    g_autoptr(JsonObject) exo = tb_sim_dup_service_principal (fx->sim, EXO);
    g_assert_true (json_object_get_boolean_member (exo, "accountEnabled"));
  }

  /* Running it again finds nothing to do and writes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  run_cli (fx, &r, "--json", "trust", "establish", "--cert", fx->cert_path,
           "--fqdn", "webext.contoso.com", "lyncweb.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = parse_object (r.out);
  for (guint i = 0; i < json_array_get_length (changes_of (obj)); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "none");
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  run_clear (&r);
}

static void
test_bad_endpoints (void)
{
  g_autofree char *path = NULL;
  const char *remote = "[Endpoints]\nLogin=http://login.example.com\nGraph=http://graph.example.com\n"
                       "Acs=http://acs.example.com\n";
  Run r;

  /* Plain http only to loopback: tokens would cross the network in the clear. */
  path = tb_test_write_file ("remote.endpoints", remote, strlen (remote));
  run_cli (NULL, &r, "--endpoints", path, "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "http"));
  run_clear (&r);

  run_cli (NULL, &r, "--cloud", "mars", "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);

  run_cli (NULL, &r, "--client-id", "not-a-guid", "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli-m365/tenant-resolve", Fixture, NULL, fixture_setup, test_tenant_resolve,
              fixture_teardown);
  g_test_add ("/cli-m365/principals-show", Fixture, NULL, fixture_setup, test_principals_show,
              fixture_teardown);
  g_test_add ("/cli-m365/credentials", Fixture, NULL, fixture_setup, test_credentials,
              fixture_teardown);
  g_test_add ("/cli-m365/spn-and-enable", Fixture, NULL, fixture_setup, test_spn_and_enable,
              fixture_teardown);
  g_test_add ("/cli-m365/trust-establish", Fixture, NULL, fixture_setup, test_trust_establish,
              fixture_teardown);
  g_test_add_func ("/cli-m365/bad-endpoints", test_bad_endpoints);

  return g_test_run ();
}
