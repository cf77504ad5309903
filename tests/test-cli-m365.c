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
#include "tb-test-util.h"

typedef struct
{
  TbSim     *sim;
  char      *endpoints;
  TbTestCli *cli;
  char      *cert_path;
  GBytes    *cert_der;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
  };

  fx->sim = tb_sim_new (TB_SIM_TENANT_DEMO);
  fx->cli = tb_test_cli_start_tenant (fx->sim, &fx->endpoints);

  fx->cert_der = tb_test_cert_make (&spec, NULL);
  fx->cert_path = tb_test_write_bytes ("pool-oauth.cer", fx->cert_der);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  tb_test_cli_stop_tenant (fx->cli, fx->sim, fx->endpoints);
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
  TbTestRun r;

  tb_test_cli_run (fx->cli, &r, "--json", "tenant", "resolve", domain, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (obj, "domain"), ==, domain);
  g_assert_cmpstr (json_object_get_string_member (obj, "tenant_id"), ==, tb_sim_get_tenant_id (fx->sim));
  metadata = g_strdup_printf ("%s/%s/metadata/json/1", tb_sim_get_acs_base (fx->sim),
                              tb_sim_get_tenant_id (fx->sim));
  g_assert_cmpstr (json_object_get_string_member (obj, "metadata_url"), ==, metadata);
  g_assert_true (json_object_get_boolean_member (obj, "metadata_realm_ok"));
  g_assert_true (json_object_has_member (obj, "cloud_instance"));
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "--json", "tenant", "resolve", "no-such-tenant.example", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no-such-tenant.example"));
  g_assert_cmpstr (r.out, ==, "");
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "tenant", "resolve", "not a domain", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
}

static void
test_principals_show (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(JsonObject) service = NULL;
  JsonArray *sps, *keys, *service_keys;
  JsonObject *skype = NULL;
  TbTestRun r;

  /* The demo tenant holds the pool's earlier certificates, one expiring and one expired; a
   * valid one joins them. */
  tb_test_cli_run (fx->cli, &r, "credentials", "add", "--cert", fx->cert_path, "--to", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 0);
  tb_test_run_clear (&r);
  service = tb_sim_dup_service_principal (fx->sim, SKYPE);

  tb_test_cli_run (fx->cli, &r, "--json", "principals", "show", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The sign-in prompt goes to stderr; stdout is the JSON alone. */
  g_assert_nonnull (strstr (r.err, "devicelogin"));
  obj = tb_test_parse_object (r.out);
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
  tb_test_run_clear (&r);
  g_clear_pointer (&obj, json_object_unref);

  /* A principal missing from the tenant is said plainly, with a null object ID. */
  g_assert_true (tb_sim_remove_service_principal (fx->sim, SKYPE));
  tb_test_cli_run (fx->cli, &r, "--json", "principals", "show", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  sps = json_object_get_array_member (obj, "service_principals");
  g_assert_cmpuint (json_array_get_length (sps), ==, 1);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (sps, 0), "object_id"));
  tb_test_run_clear (&r);
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
  TbTestRun r;

  /* --dry-run writes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to,
                   "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  g_assert_cmpuint (json_array_get_length (changes_of (obj)), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "add-credential");
  tb_test_run_clear (&r);
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
  tb_test_cli_run (fx->cli, &r, "--json", "credentials", "add", "--cert", fx->cert_path, "--to", to,
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "none");
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  tb_test_run_clear (&r);
  g_clear_pointer (&obj, json_object_unref);

  /* Remove one of the earlier credentials: gone, the others intact. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, skype_before);
    g_assert_true (g_hash_table_iter_next (&iter, &key, NULL));
    removed = key;
  }
  tb_test_cli_run (fx->cli, &r, "--json", "credentials", "remove", "--from", SKYPE, "--key-id",
                   removed, NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), 0),
                                                  "action"), ==, "remove-credential");
  tb_test_run_clear (&r);
  {
    g_autoptr(GHashTable) now = service_credentials (fx, SKYPE);

    g_assert_false (g_hash_table_contains (now, removed));
    g_hash_table_remove (skype_after, removed);
    assert_kept (skype_after, now);
    g_assert_cmpuint (g_hash_table_size (now), ==, g_hash_table_size (skype_after));
  }

  /* Bad input changes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "credentials", "add", "--cert", fx->endpoints, "--to", SKYPE, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not a certificate"));
  tb_test_run_clear (&r);
  tb_test_cli_run (fx->cli, &r, "credentials", "add", "--cert", fx->cert_path, "--to", "skype",
                   NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
}

static void
test_spn_and_enable (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) sp = NULL;
  guint n_names;
  TbTestRun r;

  sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
  n_names = json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames"));
  g_clear_pointer (&sp, json_object_unref);

  tb_test_cli_run (fx->cli, &r, "--json", "spn", "add", "--to", SKYPE, "webext02.contoso.com",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (tb_test_sim_has_spn (fx->sim, SKYPE, SKYPE "/webext02.contoso.com"));
  tb_test_run_clear (&r);

  /* Case-insensitive: the same name in capitals is already there. */
  tb_test_cli_run (fx->cli, &r, "--json", "spn", "add", "--to", SKYPE, "WEBEXT02.contoso.com",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"none\""));
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "--json", "spn", "remove", "--from", SKYPE, "webext02.contoso.com",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_false (tb_test_sim_has_spn (fx->sim, SKYPE, SKYPE "/webext02.contoso.com"));
  sp = tb_sim_dup_service_principal (fx->sim, SKYPE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames")),
                    ==, n_names);
  g_clear_pointer (&sp, json_object_unref);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "spn", "add", "--to", SKYPE, "web ext;$(whoami)", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  sp = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_false (json_object_get_boolean_member (sp, "accountEnabled"));
  g_clear_pointer (&sp, json_object_unref);
  tb_test_cli_run (fx->cli, &r, "--json", "principals", "enable", EXO, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sp = tb_sim_dup_service_principal (fx->sim, EXO);
  g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
  tb_test_run_clear (&r);
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
  TbTestRun r;

  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "--json", "trust", "establish", "--cert", fx->cert_path, "--fqdn",
                   "webext.contoso.com", "lyncweb.contoso.com", "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  obj = tb_test_parse_object (r.out);
  g_assert_cmpuint (json_array_get_length (changes_of (obj)), >=, 3);
  g_clear_pointer (&obj, json_object_unref);
  tb_test_run_clear (&r);

  tb_test_cli_run (fx->cli, &r, "--json", "trust", "establish", "--cert", fx->cert_path, "--fqdn",
                   "webext.contoso.com", "lyncweb.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), >, writes);
  /* The upload to Exchange Online is opt-in, as in the window: left out, and said so. */
  g_assert_nonnull (strstr (r.err, "--include-exchange"));
  tb_test_run_clear (&r);
  exo_after = service_credentials (fx, EXO);
  g_assert_cmpuint (g_hash_table_size (exo_after), ==, g_hash_table_size (exo_before));
  g_clear_pointer (&exo_after, g_hash_table_unref);

  tb_test_cli_run (fx->cli, &r, "--json", "trust", "establish", "--cert", fx->cert_path, "--fqdn",
                   "webext.contoso.com", "lyncweb.contoso.com", "--include-exchange", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "Left out"));
  tb_test_run_clear (&r);
  exo_after = service_credentials (fx, EXO);
  assert_kept (exo_before, exo_after);
  g_assert_cmpuint (g_hash_table_size (exo_after), ==, g_hash_table_size (exo_before) + 1);

  skype_after = service_credentials (fx, SKYPE);
  assert_kept (skype_before, skype_after);
  g_assert_cmpuint (g_hash_table_size (skype_after), ==, g_hash_table_size (skype_before) + 1);
  g_assert_true (tb_test_sim_has_spn (fx->sim, SKYPE, SKYPE "/webext.contoso.com"));
  g_assert_true (tb_test_sim_has_spn (fx->sim, SKYPE, SKYPE "/lyncweb.contoso.com"));
  {
    g_autoptr(JsonObject) exo = tb_sim_dup_service_principal (fx->sim, EXO);
    g_assert_true (json_object_get_boolean_member (exo, "accountEnabled"));
  }

  /* Running it again finds nothing to do and writes nothing. */
  writes = tb_sim_get_write_count (fx->sim);
  tb_test_cli_run (fx->cli, &r, "--json", "trust", "establish", "--cert", fx->cert_path, "--fqdn",
                   "webext.contoso.com", "lyncweb.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 0);
  obj = tb_test_parse_object (r.out);
  for (guint i = 0; i < json_array_get_length (changes_of (obj)); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes_of (obj), i),
                                                    "action"), ==, "none");
  g_assert_cmpuint (tb_sim_get_write_count (fx->sim), ==, writes);
  tb_test_run_clear (&r);
}

static void
test_bad_endpoints (void)
{
  g_autofree char *path = NULL;
  const char *remote = "[Endpoints]\nLogin=http://login.example.com\nGraph=http://graph.example.com\n"
                       "Acs=http://acs.example.com\n";
  TbTestRun r;

  /* Plain http only to loopback: tokens would cross the network in the clear. */
  path = tb_test_write_file ("remote.endpoints", remote, strlen (remote));
  tb_test_cli_run (NULL, &r, "--endpoints", path, "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "http"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--cloud", "mars", "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--client-id", "not-a-guid", "tenant", "resolve", "contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli-m365/tenant-resolve", test_tenant_resolve);
  ADD ("/cli-m365/principals-show", test_principals_show);
  ADD ("/cli-m365/credentials", test_credentials);
  ADD ("/cli-m365/spn-and-enable", test_spn_and_enable);
  ADD ("/cli-m365/trust-establish", test_trust_establish);
#undef ADD
  g_test_add_func ("/cli-m365/bad-endpoints", test_bad_endpoints);

  return g_test_run ();
}
