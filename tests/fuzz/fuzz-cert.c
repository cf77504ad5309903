/* fuzz-cert.c: the certificate loader (DER, PEM, bundles) and everything shown of a certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz.h"
#include "tb-certificate.h"
#include "tb-certificate-loader.h"
#include "tb-format.h"

static void
check_text (const char *text)
{
  /* Every string reaches GTK labels and JSON output: valid UTF-8 always. */
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    g_error ("Invalid UTF-8 from a certificate: %s", text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(GError) error = NULL;

  tb_fuzz_init ();

  certs = tb_certificate_parse_bytes (bytes, "fuzz", &error);
  if (certs == NULL)
    {
      g_assert_nonnull (error);
      check_text (error->message);
      return 0;
    }
  g_assert_null (error);
  g_assert_cmpuint (certs->len, >, 0);

  for (guint i = 0; i < certs->len; i++)
    {
      TbCertificate *cert = g_ptr_array_index (certs, i);
      g_autofree char *not_before = tb_format_iso8601_utc (tb_certificate_get_not_before (cert));
      g_autofree char *not_after = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
      g_autofree char *local = tb_format_local (tb_certificate_get_not_after (cert));
      g_autofree char *phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (cert),
                                                         tb_certificate_get_not_after (cert),
                                                         NULL);
      g_autofree char *base64 = tb_certificate_dup_base64 (cert);
      g_autoptr(GDateTime) reread = NULL;

      check_text (tb_certificate_get_subject (cert));
      check_text (tb_certificate_get_issuer (cert));
      check_text (tb_certificate_get_common_name (cert));
      check_text (tb_certificate_get_issuer_common_name (cert));
      check_text (tb_certificate_get_key_algorithm (cert));
      check_text (tb_certificate_get_signature_algorithm (cert));
      for (const char * const *san = tb_certificate_get_subject_alt_names (cert);
           san != NULL && *san != NULL; san++)
        check_text (*san);
      check_text (local);
      check_text (phrase);
      g_assert_nonnull (base64);
      /* JSON dates are four-digit-year UTC and read back. */
      reread = g_date_time_new_from_iso8601 (not_after, NULL);
      g_assert_nonnull (reread);
      g_assert_nonnull (not_before);
    }

  return 0;
}
