/* tb-credential-merge.h: read-merge-write rules for keyCredentials and servicePrincipalNames
 *
 * Pure functions, no network: given what Graph holds now, they build the whole collection to
 * PATCH (Graph replaces collections, so every kept entry must be re-sent exactly as it came),
 * and compare a read-back with what was sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-certificate.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define TB_MERGE_ERROR (tb_merge_error_quark ())

typedef enum
{
  TB_MERGE_ERROR_KEY_UNKNOWN,        /* an existing credential came back without `key` */
  TB_MERGE_ERROR_WOULD_EMPTY,        /* the collection would become empty: not asked for */
  TB_MERGE_ERROR_INVALID,            /* bad FQDN, SPN or display name */
} TbMergeError;

GQuark      tb_merge_error_quark        (void);

#define TB_KEY_CREDENTIAL_DISPLAY_NAME_MAX 90

/* The new credential: {type AsymmetricX509Cert, usage Verify, key <Base64 DER>}, plus
 * @display_name (≤ 90 characters) and, with @with_dates, the certificate's exact UTC
 * NotBefore/NotAfter. */
JsonObject *tb_credential_new_json      (TbCertificate       *cert,
                                         const char          *display_name,
                                         gboolean             with_dates,
                                         GError             **error);

/* The keyCredentials array to PATCH: every existing object (the same JsonObject, so it
 * serialises byte-identical) followed by the new one. Returns NULL without @error when
 * @cert is already there (*@present, if given, receives that credential), NULL with
 * @error when the merge would not be safe. */
JsonArray  *tb_credential_merge_add     (TbServicePrincipal  *principal,
                                         TbCertificate       *cert,
                                         const char          *display_name,
                                         gboolean             with_dates,
                                         TbKeyCredential    **present,
                                         GError             **error);

/* The array without @key_id (compared case-insensitively). NULL without @error when no
 * such credential exists; refuses an empty result unless @allow_empty. */
JsonArray  *tb_credential_merge_remove  (TbServicePrincipal  *principal,
                                         const char          *key_id,
                                         gboolean             allow_empty,
                                         TbKeyCredential    **removed,
                                         GError             **error);

/* A DNS host name: labels of letters, digits and hyphens (not at either end), 1–63 long,
 * at least two labels, 253 characters at most, no trailing dot. */
gboolean    tb_spn_is_valid_fqdn        (const char          *fqdn);
/* "<appId>/<fqdn>", the form the Skype for Business hybrid step uses. */
char       *tb_spn_for_fqdn             (const char          *app_id,
                                         const char          *fqdn,
                                         GError             **error);
/* @existing in order, unchanged, then every name of @add not already there (compared
 * case-insensitively, duplicates inside @add dropped). *@changed tells whether any was added. */
GStrv       tb_spn_merge_add            (const char * const  *existing,
                                         const char * const  *add,
                                         gboolean            *changed);
/* @existing without the names of @remove (case-insensitive). NULL with @error when the
 * result would be empty and @allow_empty is FALSE. */
GStrv       tb_spn_merge_remove         (const char * const  *existing,
                                         const char * const  *remove,
                                         gboolean             allow_empty,
                                         gboolean            *changed,
                                         GError             **error);

G_END_DECLS
