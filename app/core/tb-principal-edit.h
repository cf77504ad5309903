/* tb-principal-edit.h: one intended change to a service principal, and what it amounts to
 *
 * An edit is computed against a freshly read principal (no network here): it yields the
 * PATCH body, or nothing when the change is already in place, and a change record for the
 * faces (TbChange, tb-change.h). After the write it checks the read-back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-certificate.h"
#include "tb-change.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

typedef enum
{
  TB_PRINCIPAL_EDIT_ADD_CERTIFICATE,
  TB_PRINCIPAL_EDIT_REMOVE_CREDENTIAL,
  TB_PRINCIPAL_EDIT_ENABLE,
  TB_PRINCIPAL_EDIT_ADD_SPNS,
  TB_PRINCIPAL_EDIT_REMOVE_SPNS,
} TbPrincipalEditKind;

typedef enum
{
  TB_PRINCIPAL_EDIT_FLAGS_NONE        = 0,
  TB_PRINCIPAL_EDIT_FLAGS_WITH_DATES  = 1 << 0, /* send the certificate's NotBefore/NotAfter */
  TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY = 1 << 1, /* the admin asked to remove all */
} TbPrincipalEditFlags;

#define TB_TYPE_PRINCIPAL_EDIT (tb_principal_edit_get_type ())
G_DECLARE_FINAL_TYPE (TbPrincipalEdit, tb_principal_edit, TB, PRINCIPAL_EDIT, GObject)

TbPrincipalEdit *tb_principal_edit_new_add_certificate (const char            *app_id,
                                                        TbCertificate         *cert,
                                                        const char            *display_name,
                                                        TbPrincipalEditFlags   flags,
                                                        GError               **error);
TbPrincipalEdit *tb_principal_edit_new_remove_credential (const char          *app_id,
                                                          const char          *key_id,
                                                          TbPrincipalEditFlags flags);
TbPrincipalEdit *tb_principal_edit_new_enable          (const char            *app_id);
/* Adds "<app_id>/<fqdn>" for each host name; TB_MERGE_ERROR_INVALID for a bad one. */
TbPrincipalEdit *tb_principal_edit_new_add_spns        (const char            *app_id,
                                                        const char * const    *fqdns,
                                                        GError               **error);
/* Each value is a whole SPN when it holds '/', else a host name for "<app_id>/<fqdn>". */
TbPrincipalEdit *tb_principal_edit_new_remove_spns     (const char            *app_id,
                                                        const char * const    *names,
                                                        TbPrincipalEditFlags   flags,
                                                        GError               **error);

TbPrincipalEditKind tb_principal_edit_get_kind         (TbPrincipalEdit       *self);
const char         *tb_principal_edit_get_app_id       (TbPrincipalEdit       *self);
TbCertificate      *tb_principal_edit_get_certificate  (TbPrincipalEdit       *self);
/* The key ID a remove-credential edit removes, the SPNs an SPN edit adds or removes. */
const char         *tb_principal_edit_get_key_id       (TbPrincipalEdit       *self);
const char * const *tb_principal_edit_get_names        (TbPrincipalEdit       *self);

/* What the edit does to @principal (as just read, with keys). *@patch receives the PATCH
 * body, or NULL when the change is already in place (action "none"). NULL with @error when
 * it cannot be done safely. */
TbChange *tb_principal_edit_compute (TbPrincipalEdit     *self,
                                     TbServicePrincipal  *principal,
                                     JsonObject         **patch,
                                     GError             **error);

G_END_DECLS
