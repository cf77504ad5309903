/* test-cli.c: trust-bridge-cli as scripts use it — output contract and exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-test-certs.h"
#include "tb-test-cli.h"

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_get_array (root);
}

static void
test_help_version (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (NULL, &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "cert inspect"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "--version", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "trust-bridge-cli "));
  tb_test_run_clear (&r);

  tb_test_cli_runv (NULL, &r, (const char * const[]) { NULL });
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "frobnicate", "now", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "frobnicate"));
  tb_test_run_clear (&r);

  tb_test_cli_run (NULL, &r, "cert", "inspect", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tb_test_run_clear (&r);
}

static void
test_inspect_json (void)
{
  const char *members[] = { "file", "index", "subject", "issuer", "serial", "not_before",
                            "not_after", "sha1", "sha256", "key_algorithm", "key_bits",
                            "self_signed", "status", "base64" };
  TbTestCertSpec spec = {
    .common_name = "pool.contoso.com",
    .organization = "Contoso",
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
    .not_before = 1735689600,  /* 2025-01-01 */
    .not_after = 1893456000,   /* 2030-01-01 */
    .serial = 0xC0FFEE,
  };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  g_autofree char *sha1 = NULL;
  g_autofree char *b64 = NULL;
  TbTestRun r = { 0 };
  JsonArray *array;
  JsonObject *obj;
  g_autoptr(GList) names = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  path = tb_test_write_file ("pool.cer", data, len);
  tb_test_cli_run (NULL, &r, "cert", "inspect", "--json", path, NULL);
  g_assert_cmpint (r.status, ==, 0);

  array = parse_array (r.out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  obj = json_array_get_object_element (array, 0);

  /* Exactly these members: scripts depend on the names. */
  names = json_object_get_members (obj);
  g_assert_cmpuint (g_list_length (names), ==, G_N_ELEMENTS (members));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (obj, members[i]));

  sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);
  {
    g_autofree char *upper = g_ascii_strup (sha1, -1);
    g_assert_cmpstr (json_object_get_string_member (obj, "sha1"), ==, upper);
  }
  b64 = g_base64_encode (data, len);
  g_assert_cmpstr (json_object_get_string_member (obj, "file"), ==, path);
  g_assert_cmpint (json_object_get_int_member (obj, "index"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "subject"), ==, "O=Contoso,CN=pool.contoso.com");
  g_assert_cmpstr (json_object_get_string_member (obj, "serial"), ==, "C0FFEE");
  g_assert_cmpstr (json_object_get_string_member (obj, "not_before"), ==, "2025-01-01T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (obj, "not_after"), ==, "2030-01-01T00:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (obj, "key_algorithm"), ==, "RSA");
  g_assert_cmpint (json_object_get_int_member (obj, "key_bits"), ==, 2048);
  g_assert_true (json_object_get_boolean_member (obj, "self_signed"));
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (obj, "base64"), ==, b64);
  tb_test_run_clear (&r);
}

static void
test_inspect_mixed (void)
{
  TbTestCertSpec spec = { .common_name = "a.contoso.com", .key_type = TB_TEST_KEY_EC_P256 };
  TbTestCertSpec spec2 = { .common_name = "b.contoso.com", .key_type = TB_TEST_KEY_EC_P256,
                           .not_before = 1000000000, .not_after = 1100000000 };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autoptr(GBytes) der2 = tb_test_cert_make (&spec2, NULL);
  g_autofree char *pem = tb_test_cert_to_pem (der);
  g_autofree char *pem2 = tb_test_cert_to_pem (der2);
  g_autofree char *bundle = g_strconcat (pem, pem2, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *good = tb_test_write_file ("bundle.pem", bundle, strlen (bundle));
  g_autofree char *bad = tb_test_write_file ("notes.txt", "not a certificate\n", 18);
  TbTestRun r = { 0 };
  JsonArray *array;
  JsonObject *obj;

  tb_test_cli_run (NULL, &r, "--json", "cert", "inspect", good, bad, NULL);
  /* One file failed: exit 2, but the good one is still reported. */
  g_assert_cmpint (r.status, ==, 2);
  array = parse_array (r.out, parser);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  obj = json_array_get_object_element (array, 1);
  g_assert_cmpint (json_object_get_int_member (obj, "index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (obj, "subject"), ==, "CN=b.contoso.com");
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "expired");

  obj = json_array_get_object_element (array, 2);
  g_assert_cmpuint (json_object_get_size (obj), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (obj, "file"), ==, bad);
  g_assert_nonnull (strstr (json_object_get_string_member (obj, "error"), "not a certificate"));
  tb_test_run_clear (&r);

  /* Human output: the thumbprint people compare with Windows, and the failure on stderr. */
  tb_test_cli_run (NULL, &r, "cert", "inspect", good, bad, NULL);
  g_assert_cmpint (r.status, ==, 2);
  {
    g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);
    g_autofree char *upper = g_ascii_strup (sha1, -1);

    g_assert_nonnull (strstr (r.out, upper));
  }
  g_assert_nonnull (strstr (r.out, "a.contoso.com"));
  g_assert_nonnull (strstr (r.err, "notes.txt"));
  tb_test_run_clear (&r);
}

/* Junk of every kind gives exit 2 and a message, never a crash or a hang. */
static void
test_inspect_junk (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  g_autoptr(GBytes) key = NULL;
  TbTestCertSpec spec = { .common_name = "k.contoso.com", .key_type = TB_TEST_KEY_EC_P256 };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, &key);

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("junk%u.cer", i);
      g_autofree char *path = NULL;
      guint8 junk[512];
      TbTestRun r = { 0 };

      for (guint j = 0; j < sizeof junk; j++)
        junk[j] = g_rand_int_range (rand, 0, 256);
      junk[0] = (i % 2) ? 0x30 : junk[0];
      path = tb_test_write_file (name, junk, sizeof junk);
      tb_test_cli_run (NULL, &r, "--json", "cert", "inspect", path, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.out, "\"error\""));
      tb_test_run_clear (&r);
    }

  /* A private key is refused and never echoed. */
  {
    gsize len;
    const char *data = g_bytes_get_data (key, &len);
    g_autofree char *pem = g_strndup (data, len);
    g_autofree char *path = tb_test_write_file ("key.pem", pem, len);
    g_auto(GStrv) lines = g_strsplit (pem, "\n", -1);
    TbTestRun r = { 0 };

    tb_test_cli_run (NULL, &r, "--json", "cert", "inspect", path, NULL);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.out, "private key"));
    g_assert_null (strstr (r.out, lines[1]));
    g_assert_null (strstr (r.err, lines[1]));
    tb_test_run_clear (&r);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/help-version", test_help_version);
  g_test_add_func ("/cli/inspect-json", test_inspect_json);
  g_test_add_func ("/cli/inspect-mixed", test_inspect_mixed);
  g_test_add_func ("/cli/inspect-junk", test_inspect_junk);

  return g_test_run ();
}
