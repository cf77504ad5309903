/* tb-workspace.h: one trust model (per window, per CLI run), created through the context
 *
 * Holds what the trust is made of, on both halves: the tenant of record and where it came
 * from, the tenant snapshot (principals with keys), the organization, the selected
 * certificate, the pool state and where it came from, and the external web services FQDNs.
 * Faces read it and change it only through these setters; every property notifies, so pages
 * bind to it instead of to each other. The trust check (tb-trust-check.h) reads nothing else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-certificate.h"
#include "tb-graph-client.h"
#include "tb-organization.h"
#include "tb-pool-state.h"
#include "tb-tenant.h"

G_BEGIN_DECLS

/* Where the tenant of record came from. */
typedef enum
{
  TB_TENANT_SOURCE_NONE,
  TB_TENANT_SOURCE_SIGN_IN,   /* the signed-in account's tenant (the organization read) */
  TB_TENANT_SOURCE_OPTION,    /* given for this run (--tenant, typed on the Tenant page) */
  TB_TENANT_SOURCE_SETTING,   /* the "tenant-domain" setting */
  TB_TENANT_SOURCE_DEMO,      /* the built-in simulator's tenant */
} TbTenantSource;

/* Where the pool state came from. */
typedef enum
{
  TB_POOL_SOURCE_NONE,
  TB_POOL_SOURCE_LIVE,        /* read over WinRM from a Front End */
  TB_POOL_SOURCE_STATE_FILE,  /* a file brought back from the Front End (script round trip) */
  TB_POOL_SOURCE_DEMO,        /* the demo Front End (read live from the simulator) */
} TbPoolSource;

/* "none", "live", "state-file", "demo": stable for --json. */
const char *tb_pool_source_to_string   (TbPoolSource   source);

#define TB_TYPE_WORKSPACE (tb_workspace_get_type ())
G_DECLARE_FINAL_TYPE (TbWorkspace, tb_workspace, TB, WORKSPACE, GObject)

/* Use tb_context_new_workspace() in the faces. */
TbWorkspace     *tb_workspace_new                 (void);

/* "tenant-id" (lower-case GUID or NULL), set with where it came from ("tenant-source"). */
const char      *tb_workspace_get_tenant_id       (TbWorkspace     *self);
void             tb_workspace_set_tenant_id       (TbWorkspace     *self,
                                                   const char      *tenant_id,
                                                   TbTenantSource   source);
/* "tenant": the resolved tenant with its ACS metadata checked (or not), or NULL. Setting it
 * also sets the tenant ID when none was set. */
TbTenant        *tb_workspace_get_tenant          (TbWorkspace     *self);
void             tb_workspace_set_tenant          (TbWorkspace     *self,
                                                   TbTenant        *tenant);

/* "snapshot": the last read of the profile's principals; the workspace takes @snapshot.
 * Also sets "organization" from it, and the tenant ID (source SIGN_IN) when none was set. */
const TbGraphSnapshot *tb_workspace_get_snapshot  (TbWorkspace     *self);
void             tb_workspace_take_snapshot       (TbWorkspace     *self,
                                                   TbGraphSnapshot *snapshot);
/* The principal for @app_id in the snapshot, or NULL (none read, or not in the tenant). */
TbServicePrincipal *tb_workspace_get_principal    (TbWorkspace     *self,
                                                   const char      *app_id);
/* "organization" */
TbOrganization  *tb_workspace_get_organization    (TbWorkspace     *self);

/* "certificate": the certificate the admin selected (a file, the certificates page). */
TbCertificate   *tb_workspace_get_certificate     (TbWorkspace     *self);
void             tb_workspace_set_certificate     (TbWorkspace     *self,
                                                   TbCertificate   *certificate);

/* "pool-state", "pool-source" and "pool-server" (the host or file named in messages). */
TbPoolState     *tb_workspace_get_pool_state      (TbWorkspace     *self);
TbPoolSource     tb_workspace_get_pool_source     (TbWorkspace     *self);
const char      *tb_workspace_get_pool_server     (TbWorkspace     *self);
void             tb_workspace_set_pool_state      (TbWorkspace     *self,
                                                   TbPoolState     *state,
                                                   TbPoolSource     source,
                                                   const char      *server);
/* The OAuthTokenIssuer certificate of the trust: the pool's when the pool state holds one,
 * else the selected certificate, else NULL. */
TbCertificate   *tb_workspace_get_trust_certificate (TbWorkspace   *self);

/* "external-fqdns": the FQDNs set explicitly (--fqdn, typed); NULL for none. */
void             tb_workspace_set_external_fqdns  (TbWorkspace     *self,
                                                   const char * const *fqdns);
/* The FQDNs the trust needs as SPNs: the pool's external web services FQDNs when the pool
 * state knows them, else the ones set explicitly; NULL when neither is known. */
GStrv            tb_workspace_dup_trust_fqdns     (TbWorkspace     *self);

G_END_DECLS
