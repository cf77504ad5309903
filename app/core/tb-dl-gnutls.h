/* tb-dl-gnutls.h: GnuTLS, loaded on first use (tb-dl.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include this instead of the library's header in a file that calls the library: every
 * function the program calls is listed here. One missing fails the executables' link.
 */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
#include <gnutls/pkcs12.h>

#include "tb-dl.h"

#define TB_GNUTLS(symbol) TB_DL_FUNC (TB_DL_GNUTLS, symbol)

/* gnutls.h's own gnutls_free(a) frees through an exported variable, then clears a. */
#undef gnutls_free
#define gnutls_free(a) (TB_GNUTLS (gnutls_free) ((void *) (a)), (a) = NULL)
#define gnutls_pk_algorithm_get_name TB_GNUTLS (gnutls_pk_algorithm_get_name)
#define gnutls_pkcs12_bag_deinit TB_GNUTLS (gnutls_pkcs12_bag_deinit)
#define gnutls_pkcs12_bag_init TB_GNUTLS (gnutls_pkcs12_bag_init)
#define gnutls_pkcs12_deinit TB_GNUTLS (gnutls_pkcs12_deinit)
#define gnutls_pkcs12_get_bag TB_GNUTLS (gnutls_pkcs12_get_bag)
#define gnutls_pkcs12_import TB_GNUTLS (gnutls_pkcs12_import)
#define gnutls_pkcs12_init TB_GNUTLS (gnutls_pkcs12_init)
#define gnutls_rnd TB_GNUTLS (gnutls_rnd)
#define gnutls_sign_get_name TB_GNUTLS (gnutls_sign_get_name)
#define gnutls_strerror TB_GNUTLS (gnutls_strerror)
#define gnutls_subject_alt_names_deinit TB_GNUTLS (gnutls_subject_alt_names_deinit)
#define gnutls_subject_alt_names_get TB_GNUTLS (gnutls_subject_alt_names_get)
#define gnutls_subject_alt_names_init TB_GNUTLS (gnutls_subject_alt_names_init)
#define gnutls_x509_crt_check_issuer TB_GNUTLS (gnutls_x509_crt_check_issuer)
#define gnutls_x509_crt_deinit TB_GNUTLS (gnutls_x509_crt_deinit)
#define gnutls_x509_crt_export2 TB_GNUTLS (gnutls_x509_crt_export2)
#define gnutls_x509_crt_get_activation_time TB_GNUTLS (gnutls_x509_crt_get_activation_time)
#define gnutls_x509_crt_get_authority_key_id TB_GNUTLS (gnutls_x509_crt_get_authority_key_id)
#define gnutls_x509_crt_get_dn_by_oid TB_GNUTLS (gnutls_x509_crt_get_dn_by_oid)
#define gnutls_x509_crt_get_expiration_time TB_GNUTLS (gnutls_x509_crt_get_expiration_time)
#define gnutls_x509_crt_get_extension_by_oid2 TB_GNUTLS (gnutls_x509_crt_get_extension_by_oid2)
#define gnutls_x509_crt_get_issuer TB_GNUTLS (gnutls_x509_crt_get_issuer)
#define gnutls_x509_crt_get_issuer_dn_by_oid TB_GNUTLS (gnutls_x509_crt_get_issuer_dn_by_oid)
#define gnutls_x509_crt_get_key_purpose_oid TB_GNUTLS (gnutls_x509_crt_get_key_purpose_oid)
#define gnutls_x509_crt_get_key_usage TB_GNUTLS (gnutls_x509_crt_get_key_usage)
#define gnutls_x509_crt_get_pk_algorithm TB_GNUTLS (gnutls_x509_crt_get_pk_algorithm)
#define gnutls_x509_crt_get_serial TB_GNUTLS (gnutls_x509_crt_get_serial)
#define gnutls_x509_crt_get_signature_algorithm TB_GNUTLS (gnutls_x509_crt_get_signature_algorithm)
#define gnutls_x509_crt_get_signature_oid TB_GNUTLS (gnutls_x509_crt_get_signature_oid)
#define gnutls_x509_crt_get_subject TB_GNUTLS (gnutls_x509_crt_get_subject)
#define gnutls_x509_crt_get_subject_key_id TB_GNUTLS (gnutls_x509_crt_get_subject_key_id)
#define gnutls_x509_crt_import TB_GNUTLS (gnutls_x509_crt_import)
#define gnutls_x509_crt_init TB_GNUTLS (gnutls_x509_crt_init)
#define gnutls_x509_crt_set_activation_time TB_GNUTLS (gnutls_x509_crt_set_activation_time)
#define gnutls_x509_crt_set_dn_by_oid TB_GNUTLS (gnutls_x509_crt_set_dn_by_oid)
#define gnutls_x509_crt_set_expiration_time TB_GNUTLS (gnutls_x509_crt_set_expiration_time)
#define gnutls_x509_crt_set_key TB_GNUTLS (gnutls_x509_crt_set_key)
#define gnutls_x509_crt_set_key_purpose_oid TB_GNUTLS (gnutls_x509_crt_set_key_purpose_oid)
#define gnutls_x509_crt_set_key_usage TB_GNUTLS (gnutls_x509_crt_set_key_usage)
#define gnutls_x509_crt_set_serial TB_GNUTLS (gnutls_x509_crt_set_serial)
#define gnutls_x509_crt_set_subject_alt_name TB_GNUTLS (gnutls_x509_crt_set_subject_alt_name)
#define gnutls_x509_crt_set_version TB_GNUTLS (gnutls_x509_crt_set_version)
#define gnutls_x509_crt_sign2 TB_GNUTLS (gnutls_x509_crt_sign2)
#define gnutls_x509_dn_get_rdn_ava TB_GNUTLS (gnutls_x509_dn_get_rdn_ava)
#define gnutls_x509_dn_oid_name TB_GNUTLS (gnutls_x509_dn_oid_name)
#define gnutls_x509_ext_import_subject_alt_names \
  TB_GNUTLS (gnutls_x509_ext_import_subject_alt_names)
#define gnutls_x509_privkey_deinit TB_GNUTLS (gnutls_x509_privkey_deinit)
#define gnutls_x509_privkey_export2 TB_GNUTLS (gnutls_x509_privkey_export2)
#define gnutls_x509_privkey_generate TB_GNUTLS (gnutls_x509_privkey_generate)
#define gnutls_x509_privkey_import TB_GNUTLS (gnutls_x509_privkey_import)
#define gnutls_x509_privkey_import_pkcs8 TB_GNUTLS (gnutls_x509_privkey_import_pkcs8)
#define gnutls_x509_privkey_init TB_GNUTLS (gnutls_x509_privkey_init)
