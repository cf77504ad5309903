/* tb-test-certs.c: certificates made at test time with known values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tb-certificate.h"
#include "tb-test-certs.h"

#define CHECK(expr) \
  G_STMT_START { \
    int _ret = (expr); \
    if (_ret < 0) \
      g_error ("%s failed: %s", #expr, gnutls_strerror (_ret)); \
  } G_STMT_END

GBytes *
tb_test_cert_make (const TbTestCertSpec  *spec,
                   GBytes               **key_pem)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t out = { NULL, 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 serial = spec->serial ? spec->serial : 0x1234;
  guint8 serial_bytes[9];
  gsize serial_len = 0;
  GBytes *der;

  g_assert_nonnull (spec->common_name);

  CHECK (gnutls_x509_privkey_init (&key));
  switch (spec->key_type)
    {
    case TB_TEST_KEY_RSA:
      CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_RSA,
                                           spec->rsa_bits ? spec->rsa_bits : 2048, 0));
      break;
    case TB_TEST_KEY_EC_P256:
      CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                           GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0));
      break;
    case TB_TEST_KEY_EC_P384:
      CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                           GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1), 0));
      break;
    default:
      g_assert_not_reached ();
    }

  CHECK (gnutls_x509_crt_init (&crt));
  CHECK (gnutls_x509_crt_set_version (crt, 3));

  /* Minimal big-endian encoding with a leading zero when the top bit is set, as DER wants. */
  {
    guint8 tmp[8];
    gsize start = 0;

    for (int i = 0; i < 8; i++)
      tmp[i] = (serial >> (8 * (7 - i))) & 0xff;
    while (start < 7 && tmp[start] == 0)
      start++;
    if (tmp[start] & 0x80)
      serial_bytes[serial_len++] = 0;
    memcpy (serial_bytes + serial_len, tmp + start, 8 - start);
    serial_len += 8 - start;
  }
  CHECK (gnutls_x509_crt_set_serial (crt, serial_bytes, serial_len));

  CHECK (gnutls_x509_crt_set_activation_time (crt, spec->not_before ? spec->not_before
                                                                    : now - 24 * 3600));
  CHECK (gnutls_x509_crt_set_expiration_time (crt, spec->not_after ? spec->not_after
                                                                   : now + 365 * 24 * 3600));
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, spec->common_name,
                                        strlen (spec->common_name)));
  if (spec->organization != NULL)
    CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                          spec->organization, strlen (spec->organization)));
  CHECK (gnutls_x509_crt_set_key (crt, key));

  for (guint i = 0; spec->dns_names != NULL && spec->dns_names[i] != NULL; i++)
    CHECK (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, spec->dns_names[i],
                                                 strlen (spec->dns_names[i]),
                                                 GNUTLS_FSAN_APPEND));

  if (spec->server_auth)
    {
      CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                 GNUTLS_KEY_KEY_ENCIPHERMENT));
      CHECK (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0));
    }

  CHECK (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0));
  CHECK (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out));
  der = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);

  if (key_pem != NULL)
    {
      CHECK (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &out));
      *key_pem = g_bytes_new (out.data, out.size);
      gnutls_free (out.data);
    }

  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);

  return der;
}

char *
tb_test_cert_to_pem (GBytes *der)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  g_autofree char *b64 = g_base64_encode (data, len);
  GString *pem = g_string_new ("-----BEGIN CERTIFICATE-----\n");
  gsize b64_len = strlen (b64);

  for (gsize i = 0; i < b64_len; i += 64)
    {
      g_string_append_len (pem, b64 + i, MIN (64, b64_len - i));
      g_string_append_c (pem, '\n');
    }
  g_string_append (pem, "-----END CERTIFICATE-----\n");

  return g_string_free (pem, FALSE);
}

static char *tmp_dir;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (tmp_dir == NULL)
    return;

  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

GBytes *
tb_test_cert_make_ec (const char *common_name)
{
  TbTestCertSpec spec = { .common_name = common_name, .key_type = TB_TEST_KEY_EC_P256 };

  return tb_test_cert_make (&spec, NULL);
}

GBytes *
tb_test_cert_make_rsa (const char *common_name,
                       gint64      not_before,
                       gint64      not_after,
                       guint64     serial)
{
  TbTestCertSpec spec = {
    .common_name = common_name,
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
    .not_before = not_before,
    .not_after = not_after,
    .serial = serial,
  };

  return tb_test_cert_make (&spec, NULL);
}

char *
tb_test_write_file (const char *basename,
                    const void *data,
                    gsize       len)
{
  g_autoptr(GError) error = NULL;
  char *path;

  if (tmp_dir == NULL)
    {
      tmp_dir = g_dir_make_tmp ("trust-bridge-test-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (remove_tmp_dir);
    }

  path = g_build_filename (tmp_dir, basename, NULL);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return path;
}

char *
tb_test_write_bytes (const char *basename,
                     GBytes     *bytes)
{
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  return tb_test_write_file (basename, data, len);
}

TbCertificate *
tb_test_cert_new (const TbTestCertSpec *spec)
{
  g_autoptr(GBytes) der = tb_test_cert_make (spec, NULL);
  g_autoptr(GError) error = NULL;
  TbCertificate *cert = tb_certificate_new_from_der (der, &error);

  g_assert_no_error (error);
  return cert;
}

TbCertificate *
tb_test_cert_new_oauth (gint64 not_before,
                        gint64 not_after,
                        guint  rsa_bits)
{
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = rsa_bits,
    .not_before = not_before,
    .not_after = not_after,
    .serial = (guint64) g_random_int (),
  };

  return tb_test_cert_new (&spec);
}

char *
tb_test_read_dist_file (const char *first_part,
                        ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  va_start (args, first_part);
  for (const char *part = first_part; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);

  path = g_build_filenamev ((char **) parts->pdata);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}
