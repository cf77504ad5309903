/* tb-test-certs.h: certificates made at test time with known values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

typedef enum
{
  TB_TEST_KEY_RSA,
  TB_TEST_KEY_EC_P256,
  TB_TEST_KEY_EC_P384,
} TbTestKeyType;

typedef struct
{
  const char         *common_name;     /* required */
  const char         *organization;    /* optional */
  TbTestKeyType       key_type;
  guint               rsa_bits;        /* for TB_TEST_KEY_RSA; 0 means 2048 */
  gint64              not_before;      /* unix time; 0 means now - 1 day */
  gint64              not_after;       /* unix time; 0 means now + 365 days */
  guint64             serial;          /* 0 means 0x1234 */
  const char * const *dns_names;       /* optional SANs */
  gboolean            server_auth;     /* add KU digitalSignature+keyEncipherment and EKU serverAuth */
} TbTestCertSpec;

/* A self-signed certificate as DER. When @key_pem is not NULL it receives the private key as PEM. */
GBytes *tb_test_cert_make       (const TbTestCertSpec *spec,
                                 GBytes              **key_pem);
/* The same, parsed: a new TbCertificate (asserts that it parses). */
TbCertificate *tb_test_cert_new (const TbTestCertSpec *spec);
/* DER of a certificate for @common_name with an EC P-256 key, the rest as the defaults. */
GBytes *tb_test_cert_make_ec    (const char           *common_name);
/* DER of a certificate for @common_name with a 2048-bit RSA key and the given validity and
 * serial. */
GBytes *tb_test_cert_make_rsa   (const char           *common_name,
                                 gint64                not_before,
                                 gint64                not_after,
                                 guint64               serial);
/* A pool's OAuthTokenIssuer certificate as the tests mostly want one: for oauth.contoso.com,
 * an RSA key of @rsa_bits, valid from @not_before to @not_after (unix time), a random serial
 * (so that two of them are never taken for the same certificate). Parsed, as
 * tb_test_cert_new(). */
TbCertificate *tb_test_cert_new_oauth (gint64           not_before,
                                       gint64           not_after,
                                       guint            rsa_bits);
/* PEM armour of a DER certificate. */
char   *tb_test_cert_to_pem     (GBytes               *der);
/* Writes @data to a new file in a per-process temporary directory; returns its path. */
char   *tb_test_write_file      (const char           *basename,
                                 const void           *data,
                                 gsize                 len);
/* The same for the contents of @bytes (a certificate's DER, say). */
char   *tb_test_write_bytes     (const char           *basename,
                                 GBytes               *bytes);
/* The contents of a file of the source tree's tests/ folder (G_TEST_SRCDIR), such as
 * "golden", "pool-read.ps1". */
char   *tb_test_read_dist_file  (const char           *first_part,
                                 ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
