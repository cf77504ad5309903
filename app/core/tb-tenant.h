/* tb-tenant.h: a Microsoft 365 tenant found without signing in, and its ACS metadata
 *
 * OpenID discovery ({Login}/{tenant}/v2.0/.well-known/openid-configuration) turns a domain or
 * a tenant ID into the tenant GUID and the cloud it lives in. The ACS metadata document
 * ({Acs}/{tenantId}/metadata/json/1) is what the pool's microsoft.sts OAuth server reads; it
 * is fetched and checked (realm = tenant ID, signing certificates).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tb-cloud.h"

G_BEGIN_DECLS

#define TB_TENANT_ERROR (tb_tenant_error_quark ())

typedef enum
{
  TB_TENANT_ERROR_INVALID_INPUT,   /* neither a domain name nor a GUID */
  TB_TENANT_ERROR_NOT_FOUND,       /* invalid_tenant / AADSTS90002 */
  TB_TENANT_ERROR_SERVER,          /* unreachable, or an error reply */
  TB_TENANT_ERROR_BAD_REPLY,       /* not the document the protocol promises */
  TB_TENANT_ERROR_REALM_MISMATCH,  /* the ACS metadata names another tenant */
} TbTenantError;

GQuark tb_tenant_error_quark (void);

/* TRUE for "contoso.com", "contoso.onmicrosoft.com" or a GUID; else a translated error. */
gboolean      tb_tenant_check_input           (const char    *domain_or_id,
                                               GError       **error);
gboolean      tb_tenant_is_guid               (const char    *text);

#define TB_TYPE_TENANT (tb_tenant_get_type ())
G_DECLARE_FINAL_TYPE (TbTenant, tb_tenant, TB, TENANT, GObject)

/* OpenID discovery for @domain_or_id on @cloud. No sign-in needed. */
void          tb_tenant_resolve_async         (TbCloud              *cloud,
                                               SoupSession          *session,
                                               const char           *domain_or_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
TbTenant     *tb_tenant_resolve_finish        (GAsyncResult         *result,
                                               GError              **error);

TbCloud      *tb_tenant_get_cloud             (TbTenant             *self);
/* The tenant GUID in lower case: the realm. */
const char   *tb_tenant_get_id                (TbTenant             *self);
/* "microsoftonline.com", "microsoftonline.us", "partner.microsoftonline.cn"; may be NULL. */
const char   *tb_tenant_get_cloud_instance    (TbTenant             *self);
/* "NA", "EU", "WW", "USGov"…, and "GCC", "DOD", "DODCON" for sub-scopes; may be NULL. */
const char   *tb_tenant_get_region_scope      (TbTenant             *self);
const char   *tb_tenant_get_region_sub_scope  (TbTenant             *self);
/* The MetadataUrl for New-CsOAuthServer microsoft.sts: {Acs}/{tenantId}/metadata/json/1. */
const char   *tb_tenant_get_metadata_url      (TbTenant             *self);

/* Fetches and checks the ACS metadata document. Fails with TB_TENANT_ERROR_REALM_MISMATCH
 * when its realm is not this tenant's ID; the realm, issuer and certificates read are kept
 * on @self even then, so a face can show what it found. */
void          tb_tenant_check_metadata_async  (TbTenant             *self,
                                               SoupSession          *session,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      tb_tenant_check_metadata_finish (TbTenant             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* After check_metadata: */
gboolean      tb_tenant_get_metadata_checked  (TbTenant             *self);  /* fetched and parsed */
const char   *tb_tenant_get_metadata_realm    (TbTenant             *self);
const char   *tb_tenant_get_metadata_issuer   (TbTenant             *self);
gboolean      tb_tenant_get_metadata_realm_ok (TbTenant             *self);
/* TbCertificate items: signing keys whose value parsed as a DER certificate. */
GListModel   *tb_tenant_get_signing_certificates (TbTenant          *self);
/* Signing keys that were present but could not be read as certificates. */
guint         tb_tenant_get_unreadable_keys   (TbTenant             *self);

G_END_DECLS
