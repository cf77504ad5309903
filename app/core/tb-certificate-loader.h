/* tb-certificate-loader.h: bytes or files into certificates, with precise errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

/* Larger files are refused before they are read whole. */
#define TB_CERTIFICATE_MAX_FILE_SIZE (1024 * 1024)

#define TB_CERTIFICATE_ERROR (tb_certificate_error_quark ())

typedef enum
{
  TB_CERTIFICATE_ERROR_EMPTY,
  TB_CERTIFICATE_ERROR_NOT_CERTIFICATE,
  TB_CERTIFICATE_ERROR_TRUNCATED,
  TB_CERTIFICATE_ERROR_BAD_BASE64,
  TB_CERTIFICATE_ERROR_TOO_LARGE,
  TB_CERTIFICATE_ERROR_IS_DIRECTORY,
  TB_CERTIFICATE_ERROR_UNREADABLE,
  TB_CERTIFICATE_ERROR_PKCS12,
  TB_CERTIFICATE_ERROR_PRIVATE_KEY,
} TbCertificateError;

GQuark     tb_certificate_error_quark       (void);

/* Detects DER, PEM and PEM bundles from the content (BOM and CRLF tolerated).
 * Returns an array of TbCertificate with at least one element, or NULL and an error.
 * Safe to call from any thread. @source names the input in messages and in each certificate. */
GPtrArray *tb_certificate_parse_bytes       (GBytes               *bytes,
                                             const char           *source,
                                             GError              **error);

/* Blocking: for worker threads and the CLI. */
GPtrArray *tb_certificate_load_file         (GFile                *file,
                                             GCancellable         *cancellable,
                                             GError              **error);

/* Reads and parses in a worker thread; the callback runs in the caller's main context, with
 * @file as its source object. */
void       tb_certificate_load_file_async   (GFile                *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray *tb_certificate_load_file_finish  (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
