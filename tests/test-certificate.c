/* test-certificate.c: parsing certificates and refusing everything else
 *
 * Every certificate here is made at test time with known values, and every field the
 * Certificates page and the CLI show is checked against them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tb-certificate-loader.h"
#include "tb-format.h"
#include "tb-test-certs.h"

/* Fixed dates keep the expected strings exact. */
#define NOT_BEFORE 1735689600 /* 2025-01-01T00:00:00Z */
#define NOT_AFTER  1893456000 /* 2030-01-01T00:00:00Z */

static GPtrArray *
parse_ok (const void *data,
          gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  GPtrArray *certs;

  certs = tb_certificate_parse_bytes (bytes, "test.cer", &error);
  g_assert_no_error (error);
  g_assert_nonnull (certs);
  g_assert_cmpuint (certs->len, >, 0);
  return certs;
}

static GPtrArray *
parse_der (GBytes *der)
{
  return parse_ok (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
}

static void
assert_parse_fails (const void *data,
                    gsize       len,
                    int         code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = NULL;

  certs = tb_certificate_parse_bytes (bytes, "bad.cer", &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, code);
  /* The message names the input so the admin knows which file was refused. */
  g_assert_nonnull (strstr (error->message, "bad.cer"));
}

static char *
upper_checksum (GChecksumType type,
                GBytes       *der)
{
  g_autofree char *lower = g_compute_checksum_for_bytes (type, der);
  return g_ascii_strup (lower, -1);
}

static void
check_common_fields (TbCertificate *cert,
                     GBytes        *der)
{
  g_autofree char *sha1 = upper_checksum (G_CHECKSUM_SHA1, der);
  g_autofree char *sha256 = upper_checksum (G_CHECKSUM_SHA256, der);
  g_autofree char *b64 = NULL;
  g_autofree char *expected_b64 = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  g_assert_cmpstr (tb_certificate_get_sha1 (cert), ==, sha1);
  g_assert_cmpstr (tb_certificate_get_sha256 (cert), ==, sha256);
  g_assert_cmpuint (strlen (tb_certificate_get_sha1 (cert)), ==, 40);
  g_assert_true (g_bytes_equal (tb_certificate_get_der (cert), der));

  /* Upload value: one line of standard Base64 of the DER bytes, nothing else. */
  b64 = tb_certificate_dup_base64 (cert);
  expected_b64 = g_base64_encode (data, len);
  g_assert_cmpstr (b64, ==, expected_b64);
  g_assert_null (strchr (b64, '\n'));
  g_assert_true (tb_certificate_get_self_signed (cert));
}

static void
test_rsa_sizes (void)
{
  const guint sizes[] = { 1024, 2048, 4096 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      TbTestCertSpec spec = {
        .common_name = "pool01.contoso.com",
        .organization = "Contoso Ltd",
        .key_type = TB_TEST_KEY_RSA,
        .rsa_bits = sizes[i],
        .not_before = NOT_BEFORE,
        .not_after = NOT_AFTER,
        .serial = 0x1234,
      };
      g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
      g_autoptr(GPtrArray) certs = NULL;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      TbCertificate *cert;
      certs = parse_der (der);
      g_assert_cmpuint (certs->len, ==, 1);
      cert = g_ptr_array_index (certs, 0);

      check_common_fields (cert, der);
      g_assert_cmpstr (tb_certificate_get_common_name (cert), ==, "pool01.contoso.com");
      g_assert_cmpstr (tb_certificate_get_subject (cert), ==, "O=Contoso Ltd,CN=pool01.contoso.com");
      g_assert_cmpstr (tb_certificate_get_issuer (cert), ==, "O=Contoso Ltd,CN=pool01.contoso.com");
      g_assert_cmpstr (tb_certificate_get_serial (cert), ==, "1234");
      from = tb_format_iso8601_utc (tb_certificate_get_not_before (cert));
      to = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
      g_assert_cmpstr (from, ==, "2025-01-01T00:00:00Z");
      g_assert_cmpstr (to, ==, "2030-01-01T00:00:00Z");
      g_assert_cmpstr (tb_certificate_get_key_algorithm (cert), ==, "RSA");
      g_assert_cmpuint (tb_certificate_get_key_bits (cert), ==, sizes[i]);
      g_assert_cmpstr (tb_certificate_get_signature_algorithm (cert), ==, "RSA-SHA256");
      /* Skype for Business Server needs at least 2048 bits. */
      g_assert_true (tb_certificate_has_weak_key (cert) == (sizes[i] < 2048));
      g_assert_cmpstr (tb_certificate_get_source (cert), ==, "test.cer");
      g_assert_cmpuint (tb_certificate_get_index (cert), ==, 0);
    }
}

static void
test_ec_curves (void)
{
  const struct { TbTestKeyType type; guint bits; const char *sig; } curves[] = {
    { TB_TEST_KEY_EC_P256, 256, "ECDSA-SHA256" },
    { TB_TEST_KEY_EC_P384, 384, "ECDSA-SHA256" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (curves); i++)
    {
      TbTestCertSpec spec = {
        .common_name = "ec.contoso.com",
        .key_type = curves[i].type,
        .not_before = NOT_BEFORE,
        .not_after = NOT_AFTER,
      };
      g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
      g_autoptr(GPtrArray) certs = NULL;
      TbCertificate *cert;
      certs = parse_der (der);
      cert = g_ptr_array_index (certs, 0);
      check_common_fields (cert, der);
      g_assert_cmpstr (tb_certificate_get_key_algorithm (cert), ==, "EC");
      g_assert_cmpuint (tb_certificate_get_key_bits (cert), ==, curves[i].bits);
      g_assert_cmpstr (tb_certificate_get_signature_algorithm (cert), ==, curves[i].sig);
      g_assert_false (tb_certificate_has_weak_key (cert));
    }
}

static void
test_serials (void)
{
  const struct { guint64 serial; const char *hex; } serials[] = {
    { 0x01, "01" },
    { 0x80, "80" },              /* DER carries a leading 00 that nobody shows */
    { 0xDEADBEEF, "DEADBEEF" },
    { 0x00FF00FF00FF00FFull, "FF00FF00FF00FF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (serials); i++)
    {
      TbTestCertSpec spec = {
        .common_name = "serial.test",
        .key_type = TB_TEST_KEY_EC_P256,
        .serial = serials[i].serial,
      };
      g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
      g_autoptr(GPtrArray) certs = NULL;
      certs = parse_der (der);
      g_assert_cmpstr (tb_certificate_get_serial (g_ptr_array_index (certs, 0)), ==,
                       serials[i].hex);
    }
}

static void
test_status (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const struct { gint64 from; gint64 to; TbCertificateStatus status; const char *name; } cases[] = {
    { now - 86400 * 10, now + 86400 * 400, TB_CERTIFICATE_STATUS_VALID, "valid" },
    { now - 86400 * 10, now + 86400 * 10, TB_CERTIFICATE_STATUS_EXPIRING, "expiring" },
    { now - 86400 * 400, now - 86400 * 2, TB_CERTIFICATE_STATUS_EXPIRED, "expired" },
    { now + 86400 * 3, now + 86400 * 400, TB_CERTIFICATE_STATUS_NOT_YET_VALID, "not-yet-valid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TbTestCertSpec spec = {
        .common_name = cases[i].name,
        .key_type = TB_TEST_KEY_EC_P256,
        .not_before = cases[i].from,
        .not_after = cases[i].to,
      };
      g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
      g_autoptr(GPtrArray) certs = NULL;
      TbCertificate *cert;
      certs = parse_der (der);
      cert = g_ptr_array_index (certs, 0);
      g_assert_cmpint (tb_certificate_get_status (cert, NULL, 30), ==, cases[i].status);
      g_assert_cmpstr (tb_certificate_status_to_string (cases[i].status), ==, cases[i].name);
      g_assert_cmpstr (tb_certificate_status_get_label (cases[i].status), !=, "");
    }

  /* The threshold decides "expiring": 10 days left is fine when the admin warns at 5. */
  {
    TbTestCertSpec spec = {
      .common_name = "threshold",
      .key_type = TB_TEST_KEY_EC_P256,
      .not_before = now - 86400,
      .not_after = now + 86400 * 10,
    };
    g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
    g_autoptr(GPtrArray) certs = NULL;
    certs = parse_der (der);
    g_assert_cmpint (tb_certificate_get_status (g_ptr_array_index (certs, 0), NULL, 5), ==,
                     TB_CERTIFICATE_STATUS_VALID);
    g_assert_cmpint (tb_certificate_get_status (g_ptr_array_index (certs, 0), NULL, 11), ==,
                     TB_CERTIFICATE_STATUS_EXPIRING);
  }
}

static void
test_names (void)
{
  const char *long_org = "Contoso Pharmaceuticals Research and Development Holdings Europe";
  const char *non_ascii = "Zürich Straße Ωμέγα 東京";
  g_autoptr(GPtrArray) sans = g_ptr_array_new_with_free_func (g_free);
  TbTestCertSpec spec = {
    .common_name = non_ascii,
    .organization = long_org,
    .key_type = TB_TEST_KEY_RSA,
    .server_auth = TRUE,
  };
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autofree char *subject = NULL;
  TbCertificate *cert;
  const char * const *got;
  gsize len;
  const guint8 *data;

  for (guint i = 0; i < 60; i++)
    g_ptr_array_add (sans, g_strdup_printf ("webext%02u.contoso.com", i));
  g_ptr_array_add (sans, NULL);
  spec.dns_names = (const char * const *) sans->pdata;

  der = tb_test_cert_make (&spec, NULL);
  data = g_bytes_get_data (der, &len);
  certs = parse_ok (data, len);
  cert = g_ptr_array_index (certs, 0);

  g_assert_cmpstr (tb_certificate_get_common_name (cert), ==, non_ascii);
  subject = g_strdup_printf ("O=%s,CN=%s", long_org, non_ascii);
  g_assert_cmpstr (tb_certificate_get_subject (cert), ==, subject);

  got = tb_certificate_get_subject_alt_names (cert);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, 60);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *expected = g_strdup_printf ("DNS:webext%02u.contoso.com", i);
      g_assert_cmpstr (got[i], ==, expected);
    }

  got = tb_certificate_get_key_usages (cert);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, 2);
  g_assert_cmpstr (got[0], ==, "Digital Signature");
  g_assert_cmpstr (got[1], ==, "Key Encipherment");
  got = tb_certificate_get_extended_key_usages (cert);
  g_assert_cmpuint (g_strv_length ((char **) got), ==, 1);
  g_assert_cmpstr (got[0], ==, "Server Authentication (1.3.6.1.5.5.7.3.1)");
}

static GBytes *
make_default (void)
{
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .key_type = TB_TEST_KEY_EC_P256,
    .not_before = NOT_BEFORE,
    .not_after = NOT_AFTER,
  };
  return tb_test_cert_make (&spec, NULL);
}

static void
test_formats (void)
{
  g_autoptr(GBytes) der = make_default ();
  g_autofree char *pem = tb_test_cert_to_pem (der);
  g_autofree char *b64 = NULL;
  g_autoptr(GString) crlf = NULL;
  g_autoptr(GString) bom = NULL;
  g_autoptr(GString) noisy = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  const char *inputs[4];

  b64 = g_base64_encode (data, len);

  crlf = g_string_new (pem);
  g_string_replace (crlf, "\n", "\r\n", 0);
  bom = g_string_new ("\xEF\xBB\xBF");
  g_string_append (bom, crlf->str);
  /* openssl x509 -text output puts a human dump before the armour */
  noisy = g_string_new ("Certificate:\n    Data:\n        Version: 3 (0x2)\n");
  g_string_append (noisy, pem);

  inputs[0] = pem;
  inputs[1] = crlf->str;
  inputs[2] = bom->str;
  inputs[3] = noisy->str;

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GPtrArray) certs = parse_ok (inputs[i], strlen (inputs[i]));

      g_assert_cmpuint (certs->len, ==, 1);
      g_assert_true (g_bytes_equal (tb_certificate_get_der (g_ptr_array_index (certs, 0)), der));
    }

  /* The bare upload value, as a script would have written it. */
  {
    g_autoptr(GPtrArray) certs = parse_ok (b64, strlen (b64));
    g_assert_true (g_bytes_equal (tb_certificate_get_der (g_ptr_array_index (certs, 0)), der));
  }

  /* A certificate's PEM export reads back to the same DER. */
  {
    g_autoptr(GPtrArray) certs = parse_ok (data, len);
    g_autofree char *exported = tb_certificate_dup_pem (g_ptr_array_index (certs, 0));
    g_autoptr(GPtrArray) again = parse_ok (exported, strlen (exported));

    g_assert_true (g_str_has_prefix (exported, "-----BEGIN CERTIFICATE-----\n"));
    g_assert_true (g_bytes_equal (tb_certificate_get_der (g_ptr_array_index (again, 0)), der));
  }
}

static void
test_bundle (void)
{
  g_autoptr(GString) bundle = g_string_new (NULL);
  GBytes *ders[3];
  g_autoptr(GPtrArray) certs = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *cn = g_strdup_printf ("member%u.contoso.com", i);
      TbTestCertSpec spec = { .common_name = cn, .key_type = TB_TEST_KEY_EC_P256 };
      g_autofree char *pem = NULL;

      ders[i] = tb_test_cert_make (&spec, NULL);
      pem = tb_test_cert_to_pem (ders[i]);
      g_string_append (bundle, pem);
      g_string_append (bundle, "\n");
    }

  certs = parse_ok (bundle->str, bundle->len);
  g_assert_cmpuint (certs->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      TbCertificate *cert = g_ptr_array_index (certs, i);
      g_autofree char *cn = g_strdup_printf ("member%u.contoso.com", i);

      g_assert_cmpuint (tb_certificate_get_index (cert), ==, i);
      g_assert_cmpstr (tb_certificate_get_common_name (cert), ==, cn);
      g_assert_true (g_bytes_equal (tb_certificate_get_der (cert), ders[i]));
      g_bytes_unref (ders[i]);
    }
}

static void
test_bad_input (void)
{
  g_autoptr(GBytes) der = make_default ();
  g_autofree char *pem = tb_test_cert_to_pem (der);
  g_autoptr(GString) broken = g_string_new (pem);
  g_autofree char *no_end = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  char *body;

  assert_parse_fails ("", 0, TB_CERTIFICATE_ERROR_EMPTY);
  assert_parse_fails (" \n\r\n\t", 5, TB_CERTIFICATE_ERROR_EMPTY);
  assert_parse_fails ("hello, this is a shopping list\n", 31, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE);
  assert_parse_fails ("\x7f" "ELF\x02\x01\x01", 7, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE);

  /* Truncated DER: every cut of the certificate is refused, none is taken for a certificate. */
  for (gsize cut = 1; cut < len; cut += (cut < 64 ? 1 : 37))
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) certs = tb_certificate_parse_bytes (bytes, "bad.cer", &error);

      g_assert_null (certs);
      if (g_test_verbose ())
        g_test_message ("cut at %" G_GSIZE_FORMAT ": %s", cut, error->message);
      g_assert_true (g_error_matches (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_TRUNCATED) ||
                     g_error_matches (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE));
    }
  assert_parse_fails (data, len / 2, TB_CERTIFICATE_ERROR_TRUNCATED);

  /* PEM cut before its END line */
  no_end = g_strndup (pem, strlen (pem) / 2);
  assert_parse_fails (no_end, strlen (no_end), TB_CERTIFICATE_ERROR_TRUNCATED);

  /* Broken Base64 inside the armour */
  body = strstr (broken->str, "\n") + 5;
  *body = '!';
  assert_parse_fails (broken->str, broken->len, TB_CERTIFICATE_ERROR_BAD_BASE64);

  /* Bare Base64 with damage */
  {
    g_autofree char *b64 = g_base64_encode (data, len);
    b64[10] = '*';
    assert_parse_fails (b64, strlen (b64), TB_CERTIFICATE_ERROR_BAD_BASE64);
  }

  /* A CSR is not a certificate, and the message says what it is */
  {
    const char *csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
    g_autoptr(GBytes) bytes = g_bytes_new (csr, strlen (csr));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) certs = tb_certificate_parse_bytes (bytes, "bad.cer", &error);

    g_assert_null (certs);
    g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_NOT_CERTIFICATE);
    g_assert_nonnull (strstr (error->message, "CERTIFICATE REQUEST"));
  }

  /* Over the size limit, even in memory */
  {
    gsize big = TB_CERTIFICATE_MAX_FILE_SIZE + 1;
    g_autofree char *junk = g_malloc0 (big);
    assert_parse_fails (junk, big, TB_CERTIFICATE_ERROR_TOO_LARGE);
  }
}

static void
test_private_keys (void)
{
  TbTestCertSpec spec = { .common_name = "keyed.contoso.com", .key_type = TB_TEST_KEY_RSA };
  g_autoptr(GBytes) key_pem = NULL;
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, &key_pem);
  g_autofree char *cert_pem = tb_test_cert_to_pem (der);
  g_autoptr(GString) both = g_string_new (cert_pem);
  gsize key_len;
  const char *key = g_bytes_get_data (key_pem, &key_len);
  gnutls_x509_privkey_t privkey;
  gnutls_datum_t in = { (unsigned char *) key, (unsigned int) key_len };
  gnutls_datum_t out = { NULL, 0 };

  /* Key alone, and key next to a certificate (before and after it) */
  assert_parse_fails (key, key_len, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  g_string_append_len (both, key, key_len);
  assert_parse_fails (both->str, both->len, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  g_string_prepend_len (both, key, key_len);
  assert_parse_fails (both->str, both->len, TB_CERTIFICATE_ERROR_PRIVATE_KEY);

  /* DER private keys: PKCS#1 and PKCS#8, plain and encrypted */
  g_assert_cmpint (gnutls_x509_privkey_init (&privkey), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_import (privkey, &in, GNUTLS_X509_FMT_PEM), ==, 0);

  g_assert_cmpint (gnutls_x509_privkey_export2 (privkey, GNUTLS_X509_FMT_DER, &out), ==, 0);
  assert_parse_fails (out.data, out.size, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  gnutls_free (out.data);

  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (privkey, GNUTLS_X509_FMT_DER, NULL,
                                                      GNUTLS_PKCS_PLAIN, &out), ==, 0);
  assert_parse_fails (out.data, out.size, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  gnutls_free (out.data);

  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (privkey, GNUTLS_X509_FMT_DER, "secret",
                                                      GNUTLS_PKCS_PBES2_AES_256, &out), ==, 0);
  assert_parse_fails (out.data, out.size, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  gnutls_free (out.data);

  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (privkey, GNUTLS_X509_FMT_PEM, "secret",
                                                      GNUTLS_PKCS_PBES2_AES_256, &out), ==, 0);
  assert_parse_fails (out.data, out.size, TB_CERTIFICATE_ERROR_PRIVATE_KEY);
  gnutls_free (out.data);

  gnutls_x509_privkey_deinit (privkey);
}

static void
test_pkcs12 (void)
{
  TbTestCertSpec spec = { .common_name = "pfx.contoso.com", .key_type = TB_TEST_KEY_RSA };
  g_autoptr(GBytes) key_pem = NULL;
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, &key_pem);
  g_autofree char *cert_pem = tb_test_cert_to_pem (der);
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *pfx_path = NULL;
  g_autofree char *pfx = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  gsize key_len, pfx_len;
  const char *key = g_bytes_get_data (key_pem, &key_len);
  int status = 0;

  if (openssl == NULL)
    {
      g_test_skip ("openssl makes the .pfx and is not installed");
      return;
    }

  cert_path = tb_test_write_file ("pfx-cert.pem", cert_pem, strlen (cert_pem));
  key_path = tb_test_write_file ("pfx-key.pem", key, key_len);
  pfx_path = g_strconcat (cert_path, ".pfx", NULL);
  {
    const char *argv[] = { openssl, "pkcs12", "-export", "-in", cert_path, "-inkey", key_path,
                           "-out", pfx_path, "-passout", "pass:Secret1", NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  g_file_get_contents (pfx_path, &pfx, &pfx_len, &error);
  g_assert_no_error (error);
  assert_parse_fails (pfx, pfx_len, TB_CERTIFICATE_ERROR_PKCS12);
  g_unlink (pfx_path);
}

static GPtrArray *
load_path (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  return tb_certificate_load_file (file, NULL, error);
}

static void
test_files (void)
{
  g_autoptr(GBytes) der = make_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autofree char *good = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *big = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *missing = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  good = tb_test_write_file ("pool.cer", data, len);
  certs = load_path (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 1);
  g_assert_cmpstr (tb_certificate_get_source (g_ptr_array_index (certs, 0)), ==, "pool.cer");
  g_clear_pointer (&certs, g_ptr_array_unref);

  empty = tb_test_write_file ("empty.cer", "", 0);
  certs = load_path (empty, &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_EMPTY);
  g_clear_error (&error);

  /* A sparse file of 8 MiB: refused on its size, never read */
  big = tb_test_write_file ("huge.cer", "", 0);
  g_assert_cmpint (truncate (big, 8 * 1024 * 1024), ==, 0);
  certs = load_path (big, &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  dir = g_path_get_dirname (good);
  certs = load_path (dir, &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_IS_DIRECTORY);
  g_clear_error (&error);

  missing = g_build_filename (dir, "does-not-exist.cer", NULL);
  certs = load_path (missing, &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "does-not-exist.cer"));
  g_clear_error (&error);

  /* Unreadable by permission: root reads everything, so only a normal user can check this. */
  if (geteuid () != 0)
    {
      g_autofree char *locked = tb_test_write_file ("locked.cer", data, len);

      g_assert_cmpint (g_chmod (locked, 0), ==, 0);
      certs = load_path (locked, &error);
      g_assert_null (certs);
      g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE);
      g_clear_error (&error);
    }

  /* Device files are refused without reading (a FIFO would block forever). */
  certs = load_path ("/dev/zero", &error);
  g_assert_null (certs);
  g_assert_error (error, TB_CERTIFICATE_ERROR, TB_CERTIFICATE_ERROR_UNREADABLE);
  g_clear_error (&error);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(GBytes) der = make_default ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  path = tb_test_write_file ("async.cer", data, len);
  file = g_file_new_for_path (path);
  tb_certificate_load_file_async (file, NULL, load_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  certs = tb_certificate_load_file_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (certs->len, ==, 1);
  g_assert_cmpstr (tb_certificate_get_common_name (g_ptr_array_index (certs, 0)), ==,
                   "oauth.contoso.com");
}

/* Random damage to a real certificate must give a certificate or a clean error, never a crash
 * (run under AddressSanitizer by build-aux/test --sanitize). */
static void
test_mutations (void)
{
  g_autoptr(GBytes) der = make_default ();
  g_autofree char *pem = tb_test_cert_to_pem (der);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261126);
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  for (guint round = 0; round < 2000; round++)
    {
      gboolean use_pem = round % 2;
      const guint8 *src = use_pem ? (const guint8 *) pem : data;
      gsize src_len = use_pem ? strlen (pem) : len;
      g_autofree guint8 *copy = g_memdup2 (src, src_len);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GPtrArray) certs = NULL;
      g_autoptr(GError) error = NULL;
      guint flips = g_rand_int_range (rand, 1, 8);
      gsize cut = g_rand_int_range (rand, 1, (gint32) src_len + 1);

      for (guint f = 0; f < flips; f++)
        copy[g_rand_int_range (rand, 0, (gint32) src_len)] = g_rand_int_range (rand, 0, 256);

      bytes = g_bytes_new (copy, cut);
      certs = tb_certificate_parse_bytes (bytes, "fuzz.cer", &error);
      g_assert_true ((certs != NULL) != (error != NULL));
      if (error != NULL)
        {
          g_assert_true (error->domain == TB_CERTIFICATE_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
      else
        {
          for (guint i = 0; i < certs->len; i++)
            {
              TbCertificate *cert = g_ptr_array_index (certs, i);
              g_assert_true (g_utf8_validate (tb_certificate_get_subject (cert), -1, NULL));
              g_assert_true (g_utf8_validate (tb_certificate_get_issuer (cert), -1, NULL));
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/certificate/rsa-sizes", test_rsa_sizes);
  g_test_add_func ("/certificate/ec-curves", test_ec_curves);
  g_test_add_func ("/certificate/serials", test_serials);
  g_test_add_func ("/certificate/status", test_status);
  g_test_add_func ("/certificate/names", test_names);
  g_test_add_func ("/certificate/formats", test_formats);
  g_test_add_func ("/certificate/bundle", test_bundle);
  g_test_add_func ("/certificate/bad-input", test_bad_input);
  g_test_add_func ("/certificate/private-keys", test_private_keys);
  g_test_add_func ("/certificate/pkcs12", test_pkcs12);
  g_test_add_func ("/certificate/files", test_files);
  g_test_add_func ("/certificate/async", test_async);
  g_test_add_func ("/certificate/mutations", test_mutations);

  return g_test_run ();
}
