/* test-merge.c: the read-merge-write rules that keep an admin's credentials and names
 *
 * The preservation property: whatever credentials a principal holds, adding or removing one
 * re-sends every other credential exactly as Graph returned it, and changes nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-core-enums.h"
#include "tb-credential-merge.h"
#include "tb-graph-client.h"
#include "tb-principal-edit.h"
#include "tb-principal-repair.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-test-certs.h"

#define NOT_BEFORE 1735689600 /* 2025-01-01T00:00:00Z */
#define NOT_AFTER  1893456000 /* 2030-01-01T00:00:00Z */

static TbCertificate *
make_cert (const char *cn)
{
  TbTestCertSpec spec = { .common_name = cn, .key_type = TB_TEST_KEY_EC_P256,
                          .not_before = NOT_BEFORE, .not_after = NOT_AFTER };

  return tb_test_cert_new (&spec);
}

static char *
serialize_node (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static char *
serialize_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  return serialize_node (node);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static TbServicePrincipal *
principal_from_text (const char *text)
{
  g_autoptr(JsonNode) root = parse (text);
  g_autoptr(GError) error = NULL;
  TbServicePrincipal *principal = tb_service_principal_new_from_json (json_node_get_object (root), &error);

  g_assert_no_error (error);
  return principal;
}

static char *
random_guid (void)
{
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          g_test_rand_int (), g_test_rand_int_range (0, 0x10000),
                          g_test_rand_int_range (0, 0x10000), g_test_rand_int_range (0, 0x10000),
                          g_test_rand_int_range (0, 0x10000), g_test_rand_int ());
}

static char *
random_base64 (gsize min,
               gsize max)
{
  gsize len = g_test_rand_int_range (min, max + 1);
  g_autofree guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_test_rand_int_range (0, 256);
  return g_base64_encode (data, len);
}

static const char *display_names[] = {
  "CN=sfbpool.contoso.com", "OAuth 2025", "Zertifikat für Lync – Übergang",
  "証明書 (本番)", "quote \" and \\ backslash / slash", "emoji 🔐 key", "", NULL,
};

typedef struct
{
  char     *text;        /* the principal as Graph would send it */
  GPtrArray *key_ids;    /* of each credential, in order */
  gboolean  any_null_key;
  int       cert_index;  /* where the test certificate sits, -1 if absent */
} RandomPrincipal;

static void
random_principal_free (RandomPrincipal *rp)
{
  g_free (rp->text);
  g_ptr_array_unref (rp->key_ids);
  g_free (rp);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RandomPrincipal, random_principal_free)

static RandomPrincipal *
random_principal (TbCertificate *cert,
                  gboolean       allow_null_keys)
{
  static const char *types[] = { "AsymmetricX509Cert", "X509CertAndPassword", "Symmetric" };
  static const char *usages[] = { "Verify", "Sign" };
  RandomPrincipal *rp = g_new0 (RandomPrincipal, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_test_rand_int_range (0, 41);

  rp->key_ids = g_ptr_array_new_with_free_func (g_free);
  rp->cert_index = g_test_rand_bit () && n > 0 ? g_test_rand_int_range (0, n) : -1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "11111111-2222-3333-4444-555555555555");
  json_builder_set_member_name (builder, "appId");
  json_builder_add_string_value (builder, TB_APP_ID_SKYPE_ONLINE);
  json_builder_set_member_name (builder, "displayName");
  json_builder_add_string_value (builder, "Skype for Business Online");
  json_builder_set_member_name (builder, "accountEnabled");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "keyCredentials");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      char *key_id = random_guid ();
      const char *name = display_names[g_test_rand_int_range (0, G_N_ELEMENTS (display_names))];

      g_ptr_array_add (rp->key_ids, key_id);
      json_builder_begin_object (builder);
      /* Member order varies: it must survive too. */
      if (g_test_rand_bit ())
        {
          json_builder_set_member_name (builder, "customKeyIdentifier");
          if (g_test_rand_bit ())
            {
              g_autofree char *cki = random_base64 (20, 20);
              json_builder_add_string_value (builder, cki);
            }
          else
            json_builder_add_null_value (builder);
        }
      if (name != NULL || g_test_rand_bit ())
        {
          json_builder_set_member_name (builder, "displayName");
          if (name != NULL)
            json_builder_add_string_value (builder, name);
          else
            json_builder_add_null_value (builder);
        }
      if (g_test_rand_bit ())
        {
          json_builder_set_member_name (builder, "endDateTime");
          json_builder_add_string_value (builder, g_test_rand_bit () ? "2031-06-30T23:59:59Z"
                                                                     : "2026-02-03T04:05:06.789Z");
          json_builder_set_member_name (builder, "startDateTime");
          json_builder_add_string_value (builder, "2024-02-29T12:00:00Z");
        }
      json_builder_set_member_name (builder, "keyId");
      json_builder_add_string_value (builder, key_id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, types[g_test_rand_int_range (0, 3)]);
      json_builder_set_member_name (builder, "usage");
      json_builder_add_string_value (builder, usages[g_test_rand_int_range (0, 2)]);
      json_builder_set_member_name (builder, "key");
      if ((int) i == rp->cert_index)
        {
          g_autofree char *b64 = tb_certificate_dup_base64 (cert);
          json_builder_add_string_value (builder, b64);
        }
      else if (allow_null_keys && g_test_rand_int_range (0, 8) == 0)
        {
          json_builder_add_null_value (builder);
          rp->any_null_key = TRUE;
        }
      else
        {
          g_autofree char *key = random_base64 (1, 300);
          json_builder_add_string_value (builder, key);
        }
      if (g_test_rand_bit ())
        {
          /* A member this client does not know about must be kept as well. */
          json_builder_set_member_name (builder, "@odata.type");
          json_builder_add_string_value (builder, "#microsoft.graph.keyCredential");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  rp->text = serialize_node (root);
  return rp;
}

/* Each credential as Graph sent it, serialised from an independent parse. */
static GPtrArray *
original_credentials (const char *text)
{
  g_autoptr(JsonNode) root = parse (text);
  JsonArray *array = json_object_get_array_member (json_node_get_object (root), "keyCredentials");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (out, serialize_object (json_array_get_object_element (array, i)));
  return out;
}

/* The PATCH body as it goes over the wire, parsed back: what Graph would receive. */
static JsonArray *
wire_array (JsonArray *array)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) back = NULL;

  json_object_set_array_member (body, "keyCredentials", json_array_ref (array));
  node = json_node_init_object (json_node_alloc (), body);
  text = serialize_node (node);
  back = parse (text);
  return json_array_ref (json_object_get_array_member (json_node_get_object (back), "keyCredentials"));
}

static void
test_preservation_property (void)
{
  g_autoptr(TbCertificate) cert = make_cert ("sfbpool.contoso.com");
  g_autofree char *cert_b64 = tb_certificate_dup_base64 (cert);
  guint iterations = g_test_thorough () ? 3000 : 600;
  guint adds = 0, present = 0, refused = 0, removes = 0, absent = 0, would_empty = 0;

  for (guint iter = 0; iter < iterations; iter++)
    {
      g_autoptr(RandomPrincipal) rp = random_principal (cert, iter % 3 == 0);
      g_autoptr(GPtrArray) originals = original_credentials (rp->text);
      g_autoptr(TbServicePrincipal) principal = principal_from_text (rp->text);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) result = NULL;
      guint n = rp->key_ids->len;

      g_assert_cmpuint (tb_service_principal_get_key_credentials (principal)->len, ==, n);

      if (g_test_rand_bit ())
        {
          TbKeyCredential *found = NULL;
          gboolean with_dates = g_test_rand_bit ();
          const char *name = g_test_rand_bit () ? "Skype pool 2025 – OAuth" : NULL;

          result = tb_credential_merge_add (principal, cert, name, with_dates, &found, &error);
          if (rp->cert_index >= 0)
            {
              /* Already there: nothing to write. */
              g_assert_no_error (error);
              g_assert_null (result);
              g_assert_nonnull (found);
              g_assert_cmpstr (tb_key_credential_get_key_id (found), ==,
                               g_ptr_array_index (rp->key_ids, rp->cert_index));
              present++;
              continue;
            }
          if (rp->any_null_key)
            {
              g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN);
              g_assert_null (result);
              refused++;
              continue;
            }
          g_assert_no_error (error);
          g_assert_nonnull (result);

          {
            g_autoptr(JsonArray) wire = wire_array (result);
            JsonObject *added;

            g_assert_cmpuint (json_array_get_length (wire), ==, n + 1);
            for (guint i = 0; i < n; i++)
              {
                g_autofree char *now = serialize_object (json_array_get_object_element (wire, i));
                g_assert_cmpstr (now, ==, g_ptr_array_index (originals, i));
              }
            added = json_array_get_object_element (wire, n);
            g_assert_cmpstr (json_object_get_string_member (added, "type"), ==, "AsymmetricX509Cert");
            g_assert_cmpstr (json_object_get_string_member (added, "usage"), ==, "Verify");
            g_assert_cmpstr (json_object_get_string_member (added, "key"), ==, cert_b64);
            g_assert_false (json_object_has_member (added, "keyId"));
            if (name != NULL)
              g_assert_cmpstr (json_object_get_string_member (added, "displayName"), ==, name);
            else
              g_assert_false (json_object_has_member (added, "displayName"));
            if (with_dates)
              {
                g_assert_cmpstr (json_object_get_string_member (added, "startDateTime"), ==, "2025-01-01T00:00:00Z");
                g_assert_cmpstr (json_object_get_string_member (added, "endDateTime"), ==, "2030-01-01T00:00:00Z");
              }
            else
              {
                g_assert_false (json_object_has_member (added, "startDateTime"));
                g_assert_false (json_object_has_member (added, "endDateTime"));
              }
            g_assert_cmpuint (json_object_get_size (added), ==, 3 + (name != NULL) + 2 * with_dates);
          }
          adds++;
        }
      else
        {
          gboolean existing = n > 0 && g_test_rand_int_range (0, 5) != 0;
          g_autofree char *key_id = NULL;
          guint index = 0;
          gboolean allow_empty = g_test_rand_bit ();
          gboolean others_null = FALSE;
          TbKeyCredential *removed = NULL;

          if (existing)
            {
              index = g_test_rand_int_range (0, n);
              /* GUIDs compare case-insensitively. */
              key_id = g_test_rand_bit () ? g_ascii_strup (g_ptr_array_index (rp->key_ids, index), -1)
                                          : g_strdup (g_ptr_array_index (rp->key_ids, index));
            }
          else
            key_id = random_guid ();

          result = tb_credential_merge_remove (principal, key_id, allow_empty, &removed, &error);
          if (!existing)
            {
              g_assert_no_error (error);
              g_assert_null (result);
              absent++;
              continue;
            }

          for (guint i = 0; i < n; i++)
            if (i != index &&
                tb_key_credential_get_key (g_ptr_array_index (tb_service_principal_get_key_credentials (principal), i)) == NULL)
              others_null = TRUE;
          if (others_null)
            {
              g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN);
              g_assert_null (result);
              refused++;
              continue;
            }
          if (n == 1 && !allow_empty)
            {
              g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_WOULD_EMPTY);
              g_assert_null (result);
              would_empty++;
              continue;
            }
          g_assert_no_error (error);
          g_assert_nonnull (result);
          g_assert_cmpstr (tb_key_credential_get_key_id (removed), ==, g_ptr_array_index (rp->key_ids, index));

          {
            g_autoptr(JsonArray) wire = wire_array (result);

            g_assert_cmpuint (json_array_get_length (wire), ==, n - 1);
            for (guint i = 0, j = 0; i < n; i++)
              {
                g_autofree char *now = NULL;

                if (i == index)
                  continue;
                now = serialize_object (json_array_get_object_element (wire, j++));
                g_assert_cmpstr (now, ==, g_ptr_array_index (originals, i));
              }
          }
          removes++;
        }
    }

  g_test_message ("adds %u, already present %u, refused %u, removes %u, absent %u, would empty %u",
                  adds, present, refused, removes, absent, would_empty);
  /* The generator reaches every branch, or the property says little. */
  g_assert_cmpuint (adds, >, 0);
  g_assert_cmpuint (present, >, 0);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (removes, >, 0);
  g_assert_cmpuint (absent, >, 0);
}

static void
test_thumbprints (void)
{
  g_autoptr(TbCertificate) cert = make_cert ("thumb.contoso.com");
  const char *sha1 = tb_certificate_get_sha1 (cert);
  g_autofree char *lower = g_ascii_strdown (sha1, -1);
  g_autofree char *hex_b64 = g_base64_encode ((const guchar *) lower, 40);
  g_autofree char *raw_b64 = NULL;
  g_autofree char *cert_b64 = tb_certificate_dup_base64 (cert);
  guint8 raw[20];
  struct { const char *cki; const char *key; gboolean matches; } cases[] = {
    { hex_b64, NULL, TRUE },          /* Base64 of the hex thumbprint, the usual case */
    { NULL, NULL, TRUE },             /* raw SHA-1 bytes, filled below */
    { lower, NULL, TRUE },            /* the hex string itself */
    { NULL, cert_b64, TRUE },         /* the key itself */
    { "AQIDBA==", NULL, FALSE },      /* something else */
    { NULL, NULL, FALSE },            /* nothing to go by */
  };

  for (guint i = 0; i < 20; i++)
    {
      char byte[3] = { sha1[2 * i], sha1[2 * i + 1], 0 };
      raw[i] = (guint8) strtoul (byte, NULL, 16);
    }
  raw_b64 = g_base64_encode (raw, 20);
  cases[1].cki = raw_b64;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(TbKeyCredential) credential = NULL;
      g_autoptr(GError) error = NULL;

      json_object_set_string_member (object, "keyId", "0a0b0c0d-0000-0000-0000-000000000001");
      json_object_set_string_member (object, "type", "AsymmetricX509Cert");
      if (cases[i].cki != NULL)
        json_object_set_string_member (object, "customKeyIdentifier", cases[i].cki);
      if (cases[i].key != NULL)
        json_object_set_string_member (object, "key", cases[i].key);
      else
        json_object_set_null_member (object, "key");

      credential = tb_key_credential_new_from_json (object, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tb_key_credential_matches_certificate (credential, cert), ==, cases[i].matches);
      if (cases[i].matches)
        g_assert_cmpstr (tb_key_credential_get_thumbprint (credential), ==, sha1);
    }
}

static void
test_bad_principals (void)
{
  const char *bad[] = {
    "{\"appId\":\"x\"}",
    "{\"id\":\"1\",\"appId\":\"x\",\"accountEnabled\":\"yes\"}",
    "{\"id\":\"1\",\"appId\":\"x\",\"servicePrincipalNames\":\"a\"}",
    "{\"id\":\"1\",\"appId\":\"x\",\"servicePrincipalNames\":[1]}",
    "{\"id\":\"1\",\"appId\":\"x\",\"keyCredentials\":{}}",
    "{\"id\":\"1\",\"appId\":\"x\",\"keyCredentials\":[\"k\"]}",
    "{\"id\":\"1\",\"appId\":\"x\",\"keyCredentials\":[{\"type\":\"Symmetric\"}]}",
    "{\"id\":\"1\",\"appId\":\"x\",\"keyCredentials\":[{\"keyId\":7}]}",
    "{\"id\":\"1\",\"appId\":\"x\",\"keyCredentials\":[{\"keyId\":\"k\",\"endDateTime\":\"soon\"}]}",
    "{\"id\":1,\"appId\":\"x\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) root = parse (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TbServicePrincipal) principal = tb_service_principal_new_from_json (json_node_get_object (root), &error);

      g_assert_null (principal);
      g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_BAD_REPLY);
    }

  /* No keyCredentials member at all: the keys are unknown, so an add must refuse. */
  {
    g_autoptr(TbServicePrincipal) principal = principal_from_text ("{\"id\":\"1\",\"appId\":\"x\"}");
    g_autoptr(TbCertificate) cert = make_cert ("a.contoso.com");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) array = NULL;

    g_assert_false (tb_service_principal_get_keys_complete (principal));
    array = tb_credential_merge_add (principal, cert, NULL, FALSE, NULL, &error);
    g_assert_null (array);
    g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_KEY_UNKNOWN);
  }
}

static void
test_status (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 1, 0, 0, 0);
  struct { const char *start, *end; TbCertificateStatus status; } cases[] = {
    { "2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z", TB_CERTIFICATE_STATUS_VALID },
    { "2025-01-01T00:00:00Z", "2026-06-10T00:00:00Z", TB_CERTIFICATE_STATUS_EXPIRING },
    { "2025-01-01T00:00:00Z", "2026-05-31T00:00:00Z", TB_CERTIFICATE_STATUS_EXPIRED },
    { "2026-07-01T00:00:00Z", "2028-01-01T00:00:00Z", TB_CERTIFICATE_STATUS_NOT_YET_VALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(TbKeyCredential) credential = NULL;
      g_autoptr(GError) error = NULL;

      json_object_set_string_member (object, "keyId", "k");
      json_object_set_string_member (object, "startDateTime", cases[i].start);
      json_object_set_string_member (object, "endDateTime", cases[i].end);
      credential = tb_key_credential_new_from_json (object, &error);
      g_assert_no_error (error);
      g_assert_cmpint (tb_key_credential_get_status (credential, now, 30), ==, cases[i].status);
    }
}

static void
test_spn_merge (void)
{
  const char *existing[] = { "00000004-0000-0ff1-ce00-000000000000",
                             "00000004-0000-0ff1-ce00-000000000000/WebExt.Contoso.com",
                             "https://lyncdiscover.contoso.com/", NULL };
  const char *add[] = { "00000004-0000-0ff1-ce00-000000000000/webext.contoso.com",
                        "00000004-0000-0ff1-ce00-000000000000/webext2.contoso.com",
                        "00000004-0000-0ff1-ce00-000000000000/WEBEXT2.contoso.com", NULL };
  const char *only_dup[] = { "00000004-0000-0ff1-ce00-000000000000/WEBEXT.CONTOSO.COM", NULL };
  const char *remove[] = { "00000004-0000-0ff1-ce00-000000000000/webext.contoso.com", NULL };
  const char *remove_all[] = { "00000004-0000-0ff1-ce00-000000000000", "HTTPS://LYNCDISCOVER.CONTOSO.COM/",
                               "00000004-0000-0ff1-ce00-000000000000/webext.contoso.com", NULL };
  g_auto(GStrv) merged = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  merged = tb_spn_merge_add (existing, add, &changed);
  g_assert_true (changed);
  g_assert_cmpuint (g_strv_length (merged), ==, 4);
  /* Existing names keep their spelling and their place. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (merged[i], ==, existing[i]);
  g_assert_cmpstr (merged[3], ==, "00000004-0000-0ff1-ce00-000000000000/webext2.contoso.com");
  g_clear_pointer (&merged, g_strfreev);

  merged = tb_spn_merge_add (existing, only_dup, &changed);
  g_assert_false (changed);
  g_assert_true (g_strv_equal ((const char * const *) merged, existing));
  g_clear_pointer (&merged, g_strfreev);

  merged = tb_spn_merge_remove (existing, remove, FALSE, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpuint (g_strv_length (merged), ==, 2);
  g_assert_cmpstr (merged[0], ==, existing[0]);
  g_assert_cmpstr (merged[1], ==, existing[2]);
  g_clear_pointer (&merged, g_strfreev);

  merged = tb_spn_merge_remove (existing, remove_all, FALSE, &changed, &error);
  g_assert_null (merged);
  g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_WOULD_EMPTY);
  g_clear_error (&error);
  merged = tb_spn_merge_remove (existing, remove_all, TRUE, &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (merged), ==, 0);
  g_clear_pointer (&merged, g_strfreev);
}

static void
test_fqdn (void)
{
  const char *good[] = { "webext.contoso.com", "a.b", "xn--bcher-kva.example", "web-ext01.pool.contoso.co.uk" };
  const char *bad[] = { "", "localhost", "webext.contoso.com.", "-a.contoso.com", "a-.contoso.com",
                        "web ext.contoso.com", "https://webext.contoso.com", "webext.contoso.com/",
                        "a..b", "192.168.1.10", "web_ext.contoso.com", "bücher.example",
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com" };
  g_autoptr(GError) error = NULL;
  g_autofree char *spn = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (tb_spn_is_valid_fqdn (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (tb_spn_is_valid_fqdn (bad[i]));

  spn = tb_spn_for_fqdn (TB_APP_ID_SKYPE_ONLINE, "webext.contoso.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (spn, ==, "00000004-0000-0ff1-ce00-000000000000/webext.contoso.com");
  g_assert_null (tb_spn_for_fqdn (TB_APP_ID_SKYPE_ONLINE, "https://webext.contoso.com/", &error));
  g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID);
}

static void
test_edit_compute (void)
{
  g_autoptr(TbCertificate) cert = make_cert ("sfbpool.contoso.com");
  g_autoptr(TbServicePrincipal) disabled = principal_from_text (
    "{\"id\":\"1\",\"appId\":\"" TB_APP_ID_EXCHANGE_ONLINE "\",\"displayName\":\"Office 365 Exchange Online\","
    "\"accountEnabled\":false,\"servicePrincipalNames\":[\"" TB_APP_ID_EXCHANGE_ONLINE "\"],\"keyCredentials\":[]}");
  g_autoptr(TbPrincipalEdit) enable = tb_principal_edit_new_enable (TB_APP_ID_EXCHANGE_ONLINE);
  g_autoptr(TbPrincipalEdit) add = NULL;
  g_autoptr(TbPrincipalEdit) spns = NULL;
  g_autoptr(TbChange) change = NULL;
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_name = g_strnfill (91, 'x');
  const char *fqdns[] = { "webext.contoso.com", "WEBEXT.contoso.com", NULL };
  const char *bad_fqdns[] = { "webext.contoso.com", "not a host", NULL };

  change = tb_principal_edit_compute (enable, disabled, &patch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ENABLE);
  g_assert_cmpuint (json_object_get_size (patch), ==, 1);
  g_assert_true (json_object_get_boolean_member (patch, "accountEnabled"));
  g_clear_pointer (&change, tb_change_free);
  g_clear_pointer (&patch, json_object_unref);

  /* An empty collection is not a reason to send an empty array: adding sends one element. */
  add = tb_principal_edit_new_add_certificate (TB_APP_ID_EXCHANGE_ONLINE, cert, "pool", 0, &error);
  g_assert_no_error (error);
  change = tb_principal_edit_compute (add, disabled, &patch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_CREDENTIAL);
  g_assert_cmpstr (change->target, ==, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_nonnull (strstr (change->detail, tb_certificate_get_sha1 (cert)));
  g_assert_cmpuint (json_object_get_size (patch), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (patch, "keyCredentials")), ==, 1);
  g_clear_pointer (&change, tb_change_free);
  g_clear_pointer (&patch, json_object_unref);

  g_assert_null (tb_principal_edit_new_add_certificate (TB_APP_ID_EXCHANGE_ONLINE, cert, long_name, 0, &error));
  g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (tb_principal_edit_new_add_spns (TB_APP_ID_SKYPE_ONLINE, bad_fqdns, &error));
  g_assert_error (error, TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a host"));
  g_clear_error (&error);

  spns = tb_principal_edit_new_add_spns (TB_APP_ID_EXCHANGE_ONLINE, fqdns, &error);
  g_assert_no_error (error);
  change = tb_principal_edit_compute (spns, disabled, &patch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (change->action, ==, TB_CHANGE_ACTION_ADD_SPN);
  {
    JsonArray *names = json_object_get_array_member (patch, "servicePrincipalNames");

    /* The existing name stays, the two spellings of one host become one. */
    g_assert_cmpuint (json_array_get_length (names), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (names, 0), ==, TB_APP_ID_EXCHANGE_ONLINE);
    g_assert_cmpstr (json_array_get_string_element (names, 1), ==, TB_APP_ID_EXCHANGE_ONLINE "/webext.contoso.com");
  }

  /* The change record as scripts read it. */
  {
    g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    TbChange *restored;

    g_ptr_array_add (changes, tb_change_new (TB_TRUST_HALF_MICROSOFT365, "a", TB_CHANGE_ACTION_NONE,
                                             "nothing"));
    node = tb_changes_to_json (changes);
    text = serialize_node (node);
    g_assert_cmpstr (text, ==, "{\"changes\":[{\"app_id\":\"a\",\"action\":\"none\",\"detail\":\"nothing\","
                               "\"retries\":0,\"restored\":[]}]}");
    g_clear_pointer (&node, json_node_unref);
    g_clear_pointer (&text, g_free);

    /* Retries and entries put back travel with the change, copies included. */
    restored = tb_change_new (TB_TRUST_HALF_MICROSOFT365, "b", TB_CHANGE_ACTION_ADD_SPN, "added");
    restored->retries = 2;
    restored->restored = g_strdupv ((GStrv) (const char *[]) { "credential k", NULL });
    g_assert_true (tb_change_had_loss (restored));
    g_assert_false (tb_change_had_loss (g_ptr_array_index (changes, 0)));
    g_ptr_array_set_size (changes, 0);
    g_ptr_array_add (changes, tb_change_copy (restored));
    tb_change_free (restored);
    node = tb_changes_to_json (changes);
    text = serialize_node (node);
    g_assert_cmpstr (text, ==, "{\"changes\":[{\"app_id\":\"b\",\"action\":\"add-spn\",\"detail\":\"added\","
                               "\"retries\":2,\"restored\":[\"credential k\"]}]}");
    g_clear_pointer (&node, json_node_unref);
    g_clear_pointer (&text, g_free);

    /* The pool half's change in the same array keeps its own shape: the item, no retries. */
    g_ptr_array_add (changes, tb_change_new (TB_TRUST_HALF_POOL, "oauth-server",
                                             TB_CHANGE_ACTION_REPLACE, "replaced"));
    node = tb_changes_to_json (changes);
    text = serialize_node (node);
    g_assert_true (g_str_has_suffix (text, "},{\"item\":\"oauth-server\",\"action\":\"replace\","
                                           "\"detail\":\"replaced\"}]}"));
  }

  /* Every action's stable name, as --json has always printed it. */
  {
    static const char *const names[] = {
      "none", "add-credential", "remove-credential", "enable", "add-spn", "remove-spn",
      "create", "update", "replace",
    };
    g_autoptr(GEnumClass) klass = g_type_class_ref (TB_TYPE_CHANGE_ACTION);

    g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (names));
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      g_assert_cmpstr (tb_change_action_to_string (i), ==, names[i]);
  }
}

static void
test_profile (void)
{
  g_autoptr(TbProfile) profile = tb_profile_new_default ();
  g_auto(GStrv) ids = tb_profile_dup_app_ids (profile);
  const TbProfileTarget *sfb, *exo;
  guint audit = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbProfile) bad = NULL;

  g_assert_cmpstr (tb_profile_get_name (profile), ==, "Skype for Business Server hybrid");
  g_assert_cmpuint (tb_profile_get_n_targets (profile), ==, 5);
  g_assert_cmpuint (g_strv_length (ids), ==, 5);

  sfb = tb_profile_find_target (profile, TB_APP_ID_SKYPE_ONLINE);
  g_assert_nonnull (sfb);
  g_assert_true (sfb->receives_certificate);
  g_assert_true (sfb->receives_spns);
  g_assert_false (sfb->must_be_enabled);

  exo = tb_profile_find_target (profile, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_nonnull (exo);
  g_assert_true (exo->receives_certificate);
  g_assert_true (exo->must_be_enabled);
  g_assert_false (exo->receives_spns);
  g_assert_nonnull (strstr (exo->notice, "31 October 2025"));
  g_assert_nonnull (strstr (exo->notice, "1 October 2026"));
  g_assert_nonnull (strstr (exo->notice, "1 April 2027"));

  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);

      if (target->audit_only)
        {
          audit++;
          g_assert_false (target->receives_certificate || target->receives_spns || target->must_be_enabled);
        }
    }
  g_assert_cmpuint (audit, ==, 3);
  g_assert_nonnull (tb_profile_find_target (profile, "7557EB47-C689-4224-ABCF-AEF9BD7573DF"));
  g_assert_nonnull (tb_profile_find_target (profile, "db7de2b5-2149-435e-8043-e080dd50afae"));
  g_assert_nonnull (tb_profile_find_target (profile, TB_APP_ID_SHAREPOINT));

  {
    const char *text = "{\"id\":\"x\",\"name\":\"x\",\"targets\":[{\"app_id\":\"nope\",\"name\":\"n\"}]}";
    bad = tb_profile_new_from_data (text, strlen (text), &error);
  }
  g_assert_null (bad);
  g_assert_error (error, TB_PROFILE_ERROR, TB_PROFILE_ERROR_INVALID);
  g_clear_error (&error);
  bad = tb_profile_new_from_data ("[1,2]", 5, &error);
  g_assert_null (bad);
  g_assert_error (error, TB_PROFILE_ERROR, TB_PROFILE_ERROR_INVALID);
}

/* The read-back check: what the last read held and the read-back lacks is lost (except what
 * the edit removes), another writer's additions are not, and the repair puts back the full
 * value read before, key included. */
static void
test_repair (void)
{
  const char *kc_a = "{\"keyId\":\"aaaaaaaa-0000-0000-0000-000000000001\",\"type\":\"AsymmetricX509Cert\","
                     "\"usage\":\"Verify\",\"key\":\"QUFB\",\"displayName\":\"A\"}";
  const char *kc_b = "{\"keyId\":\"bbbbbbbb-0000-0000-0000-000000000002\",\"type\":\"AsymmetricX509Cert\","
                     "\"usage\":\"Verify\",\"key\":\"QkJC\",\"displayName\":\"B\"}";
  const char *kc_x = "{\"keyId\":\"cccccccc-0000-0000-0000-000000000003\",\"type\":\"AsymmetricX509Cert\","
                     "\"usage\":\"Verify\",\"key\":\"WFhY\",\"displayName\":\"X\"}";
  const char *kc_b_other_key = "{\"keyId\":\"bbbbbbbb-0000-0000-0000-000000000002\",\"type\":\"AsymmetricX509Cert\","
                               "\"usage\":\"Verify\",\"key\":\"WldX\",\"displayName\":\"B\"}";
  g_autofree char *before_text = g_strdup_printf ("{\"id\":\"o\",\"appId\":\"app\",\"accountEnabled\":true,"
                                                  "\"servicePrincipalNames\":[\"app/one.contoso.com\",\"app/two.contoso.com\"],"
                                                  "\"keyCredentials\":[%s,%s]}", kc_a, kc_b);
  /* Another writer's stale PATCH: B and one name gone, X added. */
  g_autofree char *after_text = g_strdup_printf ("{\"id\":\"o\",\"appId\":\"app\",\"accountEnabled\":true,"
                                                 "\"servicePrincipalNames\":[\"app/one.contoso.com\",\"app/x.contoso.com\"],"
                                                 "\"keyCredentials\":[%s,%s]}", kc_a, kc_x);
  g_autofree char *mangled_text = g_strdup_printf ("{\"id\":\"o\",\"appId\":\"app\",\"accountEnabled\":true,"
                                                   "\"servicePrincipalNames\":[],"
                                                   "\"keyCredentials\":[%s,%s]}", kc_a, kc_b_other_key);
  g_autoptr(TbServicePrincipal) before = principal_from_text (before_text);
  g_autoptr(TbServicePrincipal) after = principal_from_text (after_text);
  g_autoptr(TbServicePrincipal) mangled = principal_from_text (mangled_text);
  g_autoptr(TbServicePrincipal) target = NULL;
  g_autoptr(TbPrincipalEdit) enable = tb_principal_edit_new_enable ("app");
  g_autoptr(TbPrincipalEdit) remove_b = tb_principal_edit_new_remove_credential ("app", "BBBBBBBB-0000-0000-0000-000000000002", 0);
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) lost_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(GError) error = NULL;
  gboolean in_place = FALSE;
  JsonArray *keys;

  g_assert_true (tb_principal_repair_check (enable, before, after, &in_place, lost, lost_names, &error));
  g_assert_no_error (error);
  g_assert_true (in_place);
  g_assert_cmpuint (lost->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (lost, 0), "key"), ==, "QkJC");
  g_assert_cmpuint (lost_names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lost_names, 0), ==, "app/two.contoso.com");
  {
    g_autofree char *what = tb_principal_repair_describe_credential (g_ptr_array_index (lost, 0));
    g_assert_cmpstr (what, ==, "credential bbbbbbbb-0000-0000-0000-000000000002 (B)");
  }

  /* Put back: A, X (theirs) and B with its key; both names and theirs. */
  target = tb_principal_repair_merge (after, lost, lost_names, &error);
  g_assert_no_error (error);
  patch = tb_principal_repair_patch (enable, target, TRUE, TRUE, &error);
  g_assert_no_error (error);
  keys = json_object_get_array_member (patch, "keyCredentials");
  g_assert_cmpuint (json_array_get_length (keys), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (keys, 2), "key"), ==, "QkJC");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (patch, "servicePrincipalNames")), ==, 3);
  g_assert_false (json_object_has_member (patch, "accountEnabled"));

  /* What the admin removes is not lost. */
  g_ptr_array_set_size (lost, 0);
  g_ptr_array_set_size (lost_names, 0);
  g_assert_true (tb_principal_repair_check (remove_b, before, after, &in_place, lost, lost_names, &error));
  g_assert_true (in_place);
  g_assert_cmpuint (lost->len, ==, 0);

  /* Approval: the credentials changed, the enabled state did not. */
  g_assert_true (tb_principal_repair_touches (remove_b, before, after));
  g_assert_false (tb_principal_repair_touches (enable, before, after));

  /* The same keyId with another key is not put back over: an error. */
  g_assert_false (tb_principal_repair_check (enable, before, mangled, &in_place, lost, lost_names, &error));
  g_assert_error (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/preservation-property", test_preservation_property);
  g_test_add_func ("/merge/thumbprints", test_thumbprints);
  g_test_add_func ("/merge/bad-principals", test_bad_principals);
  g_test_add_func ("/merge/status", test_status);
  g_test_add_func ("/merge/spn", test_spn_merge);
  g_test_add_func ("/merge/fqdn", test_fqdn);
  g_test_add_func ("/merge/edit-compute", test_edit_compute);
  g_test_add_func ("/merge/repair", test_repair);
  g_test_add_func ("/merge/profile", test_profile);

  return g_test_run ();
}
