/* tb-service-principal.h: service principals and key credentials as Graph returns them
 *
 * Models keep the JSON they were parsed from: an untouched credential is written back
 * byte-identical, which is what keeps an admin's data when PATCH replaces the collection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_TYPE_KEY_CREDENTIAL (tb_key_credential_get_type ())
G_DECLARE_FINAL_TYPE (TbKeyCredential, tb_key_credential, TB, KEY_CREDENTIAL, GObject)

/* NULL and an error when the object is not a usable keyCredential (no keyId…). */
TbKeyCredential *tb_key_credential_new_from_json          (JsonObject      *object,
                                                           GError         **error);
JsonObject      *tb_key_credential_get_json               (TbKeyCredential *self);
const char      *tb_key_credential_get_key_id             (TbKeyCredential *self);
const char      *tb_key_credential_get_key_type           (TbKeyCredential *self); /* AsymmetricX509Cert… */
const char      *tb_key_credential_get_usage              (TbKeyCredential *self); /* Verify, Sign */
const char      *tb_key_credential_get_display_name       (TbKeyCredential *self); /* may be NULL */
GDateTime       *tb_key_credential_get_start              (TbKeyCredential *self); /* may be NULL */
GDateTime       *tb_key_credential_get_end                (TbKeyCredential *self); /* may be NULL */
/* The Base64 DER in `key`; NULL means unknown (Graph hides it outside single-object $select). */
const char      *tb_key_credential_get_key                (TbKeyCredential *self);
/* Upper-case hex SHA-1 of the certificate in `key`, else from customKeyIdentifier; may be NULL. */
const char      *tb_key_credential_get_thumbprint         (TbKeyCredential *self);
TbCertificateStatus tb_key_credential_get_status          (TbKeyCredential *self,
                                                           GDateTime       *now,
                                                           guint            warn_days);
/* Whether this credential holds @cert: same key bytes, or same thumbprint (case-insensitive). */
gboolean         tb_key_credential_matches_certificate    (TbKeyCredential *self,
                                                           TbCertificate   *cert);

#define TB_TYPE_SERVICE_PRINCIPAL (tb_service_principal_get_type ())
G_DECLARE_FINAL_TYPE (TbServicePrincipal, tb_service_principal, TB, SERVICE_PRINCIPAL, GObject)

TbServicePrincipal *tb_service_principal_new_from_json    (JsonObject         *object,
                                                           GError            **error);
JsonObject         *tb_service_principal_get_json         (TbServicePrincipal *self);
const char         *tb_service_principal_get_id           (TbServicePrincipal *self);
const char         *tb_service_principal_get_app_id       (TbServicePrincipal *self);
const char         *tb_service_principal_get_display_name (TbServicePrincipal *self);
gboolean            tb_service_principal_get_account_enabled (TbServicePrincipal *self);
const char * const *tb_service_principal_get_names        (TbServicePrincipal *self); /* SPNs */
/* Array of TbKeyCredential, in the order Graph returned them. */
GPtrArray          *tb_service_principal_get_key_credentials (TbServicePrincipal *self);
/* FALSE when keys were read from a list/filter response, where `key` is always null. */
gboolean            tb_service_principal_get_keys_complete (TbServicePrincipal *self);
/* Graph's servicePrincipalType ("Application", "ManagedIdentity", …), or NULL when not read. */
const char         *tb_service_principal_get_principal_type (TbServicePrincipal *self);
/* How many password credentials (client secrets) the principal holds, as read. */
guint               tb_service_principal_get_n_password_credentials (TbServicePrincipal *self);

G_END_DECLS
