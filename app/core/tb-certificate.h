/* tb-certificate.h: an immutable, parsed X.509 certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  TB_CERTIFICATE_STATUS_VALID,
  TB_CERTIFICATE_STATUS_EXPIRING,
  TB_CERTIFICATE_STATUS_EXPIRED,
  TB_CERTIFICATE_STATUS_NOT_YET_VALID,
} TbCertificateStatus;

#define TB_CERTIFICATE_MIN_RSA_BITS 2048

#define TB_TYPE_CERTIFICATE (tb_certificate_get_type ())
G_DECLARE_FINAL_TYPE (TbCertificate, tb_certificate, TB, CERTIFICATE, GObject)

TbCertificate       *tb_certificate_new_from_der            (GBytes          *der,
                                                             GError         **error);

/* Where it came from: a display name (file basename) and its 0-based position in that file. */
const char          *tb_certificate_get_source              (TbCertificate   *self);
guint                tb_certificate_get_index               (TbCertificate   *self);
void                 tb_certificate_set_origin              (TbCertificate   *self,
                                                             const char      *source,
                                                             guint            index);

const char          *tb_certificate_get_subject             (TbCertificate   *self);
const char          *tb_certificate_get_common_name         (TbCertificate   *self);
const char          *tb_certificate_get_issuer              (TbCertificate   *self);
const char          *tb_certificate_get_issuer_common_name  (TbCertificate   *self);
const char          *tb_certificate_get_serial              (TbCertificate   *self);
GDateTime           *tb_certificate_get_not_before          (TbCertificate   *self);
GDateTime           *tb_certificate_get_not_after           (TbCertificate   *self);
const char          *tb_certificate_get_sha1                (TbCertificate   *self);
const char          *tb_certificate_get_sha256              (TbCertificate   *self);
const char          *tb_certificate_get_key_algorithm       (TbCertificate   *self);
guint                tb_certificate_get_key_bits            (TbCertificate   *self);
const char          *tb_certificate_get_signature_algorithm (TbCertificate   *self);
const char * const  *tb_certificate_get_subject_alt_names   (TbCertificate   *self);
const char * const  *tb_certificate_get_key_usages          (TbCertificate   *self);
const char * const  *tb_certificate_get_extended_key_usages (TbCertificate   *self);
gboolean             tb_certificate_get_self_signed         (TbCertificate   *self);
gboolean             tb_certificate_has_weak_key            (TbCertificate   *self);

GBytes              *tb_certificate_get_der                 (TbCertificate   *self);
char                *tb_certificate_dup_base64              (TbCertificate   *self);
char                *tb_certificate_dup_pem                 (TbCertificate   *self);

TbCertificateStatus  tb_certificate_get_status              (TbCertificate   *self,
                                                             GDateTime       *now,
                                                             guint            warn_days);

const char          *tb_certificate_status_to_string        (TbCertificateStatus status);
const char          *tb_certificate_status_get_label        (TbCertificateStatus status);

G_END_DECLS
