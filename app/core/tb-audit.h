/* tb-audit.h: who holds credentials on Microsoft's own service principals in a tenant
 *
 * Anyone with Application Administrator, Cloud Application Administrator or
 * Application.ReadWrite.All can add a credential to a first-party principal such as Office 365
 * Exchange Online and act as that app; the Entra admin center does not show these credentials.
 * TbAudit pages through every Microsoft-owned principal and classifies each key and password
 * credential: this pool's certificate, documented hybrid use, known to the admin, unexplained.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-certificate.h"
#include "tb-graph-client.h"
#include "tb-pool-state.h"

G_BEGIN_DECLS

/* Microsoft's tenants, the owners of first-party applications. */
#define TB_AUDIT_MICROSOFT_OWNER      "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
#define TB_AUDIT_MICROSOFT_OWNER_CORP "72f988bf-86f1-41af-91ab-2d7cd011db47"

/* In the order the groups are shown: what needs the admin first. */
typedef enum
{
  TB_AUDIT_ORIGIN_UNEXPLAINED,
  TB_AUDIT_ORIGIN_DOCUMENTED,
  TB_AUDIT_ORIGIN_POOL,
  TB_AUDIT_ORIGIN_KNOWN,
} TbAuditOrigin;

typedef enum
{
  TB_AUDIT_KIND_KEY,
  TB_AUDIT_KIND_PASSWORD,
} TbAuditKind;

/* "unexplained", "documented", "pool", "known": stable for scripts. */
const char *tb_audit_origin_to_string (TbAuditOrigin origin);
const char *tb_audit_origin_get_label (TbAuditOrigin origin);
/* "key", "password". */
const char *tb_audit_kind_to_string   (TbAuditKind   kind);

/* Whether Microsoft documents on-premises certificates on this first-party principal (Skype for
 * Business Online, Exchange Online, SharePoint Online, Teams Calendar Scheduler, Cloud
 * Voicemail). */
gboolean    tb_audit_is_documented_app (const char *app_id);

#define TB_TYPE_AUDIT_FINDING (tb_audit_finding_get_type ())
G_DECLARE_FINAL_TYPE (TbAuditFinding, tb_audit_finding, TB, AUDIT_FINDING, GObject)

const char          *tb_audit_finding_get_app_id          (TbAuditFinding *self);
const char          *tb_audit_finding_get_object_id       (TbAuditFinding *self);
const char          *tb_audit_finding_get_display_name    (TbAuditFinding *self);
TbAuditKind          tb_audit_finding_get_kind            (TbAuditFinding *self);
const char          *tb_audit_finding_get_key_id          (TbAuditFinding *self);
/* The credential's displayName; NULL when it has none. */
const char          *tb_audit_finding_get_credential_name (TbAuditFinding *self);
/* Upper-case hex SHA-1 from customKeyIdentifier; NULL when unknown (always for passwords). */
const char          *tb_audit_finding_get_sha1            (TbAuditFinding *self);
GDateTime           *tb_audit_finding_get_end             (TbAuditFinding *self);  /* may be NULL */
TbCertificateStatus  tb_audit_finding_get_status          (TbAuditFinding *self);
TbAuditOrigin        tb_audit_finding_get_origin          (TbAuditFinding *self);
/* The admin's note for a known credential, else NULL. */
const char          *tb_audit_finding_get_note            (TbAuditFinding *self);
/* Marks this finding known (with @note) or, with NULL, unexplained/documented again as it was
 * classified before; does not touch settings (see tb_audit_known_set). */
void                 tb_audit_finding_set_note            (TbAuditFinding *self,
                                                           const char     *note);
/* What the origin was before a note made it known. */
TbAuditOrigin        tb_audit_finding_get_classified_origin (TbAuditFinding *self);

/* Known credentials, kept per tenant by keyId and thumbprint in the "audit-known" setting
 * (a(ssss): tenant ID, keyId, thumbprint or "", note). @settings may be NULL: nothing is
 * known then and nothing can be stored. */
char       *tb_audit_known_lookup (GSettings  *settings,
                                   const char *tenant_id,
                                   const char *key_id,
                                   const char *sha1);
/* Stores @note for the credential, or forgets it with @note NULL. FALSE without settings. */
gboolean    tb_audit_known_set    (GSettings  *settings,
                                   const char *tenant_id,
                                   const char *key_id,
                                   const char *sha1,
                                   const char *note);

#define TB_TYPE_AUDIT (tb_audit_get_type ())
G_DECLARE_FINAL_TYPE (TbAudit, tb_audit, TB, AUDIT, GObject)

TbAudit    *tb_audit_new                 (TbGraphClient *client);
/* The pool's certificates: credentials matching any of them are "this pool". */
void        tb_audit_add_pool_certificate (TbAudit       *self,
                                           TbCertificate *certificate);
void        tb_audit_add_pool_thumbprint  (TbAudit       *self,
                                           const char    *sha1);
/* The OAuth certificate the pool reports (current; later schemas may add staged and previous
 * ones, which are taken too). FALSE when the state has none. */
gboolean    tb_audit_add_pool_state       (TbAudit       *self,
                                           TbPoolState   *state);
/* Known credentials of @tenant_id come from @settings (may be NULL). */
void        tb_audit_set_known            (TbAudit       *self,
                                           GSettings     *settings,
                                           const char    *tenant_id);
void        tb_audit_set_warn_days        (TbAudit       *self,
                                           guint          days);

/* Progress after each page: @findings are this page's (TbAuditFinding), already classified;
 * @scanned principals so far; @estimate the total Graph announced (0 when it did not). Called
 * from the main context; the array is only valid during the call. */
typedef void (*TbAuditPageFunc) (TbAudit   *audit,
                                 GPtrArray *findings,
                                 guint      scanned,
                                 guint      estimate,
                                 gpointer   user_data);

/* Pages through the Microsoft-owned principals ($filter on appOwnerOrganizationId for each
 * owner; every principal, filtered here, when the tenant refuses that filter), holding one
 * page at a time. */
void        tb_audit_run_async           (TbAudit            *self,
                                          TbAuditPageFunc     page_func,
                                          gpointer            page_data,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean    tb_audit_run_finish          (TbAudit            *self,
                                          GAsyncResult       *result,
                                          GError            **error);
/* After a run: principals looked at, Microsoft-owned ones among them, pages read, and whether
 * the owner filter was refused (and everything paged instead). */
guint       tb_audit_get_scanned         (TbAudit *self);
guint       tb_audit_get_microsoft_owned (TbAudit *self);
gboolean    tb_audit_get_used_fallback   (TbAudit *self);

/* Sorts findings by origin group, then display name, then end date. */
gint        tb_audit_finding_compare     (gconstpointer a,
                                          gconstpointer b);
/* One JSON object per finding, with exactly the members `trust-bridge-cli audit --json`
 * prints; the CSV header and a row, RFC 4180 quoted, without the line end. */
JsonNode   *tb_audit_finding_to_json     (TbAuditFinding *self);
const char *tb_audit_csv_header          (void);
char       *tb_audit_finding_to_csv      (TbAuditFinding *self);
/* The whole report: {"tenant_id","scanned","findings":[…]}. */
JsonNode   *tb_audit_report_json         (const char *tenant_id,
                                          guint       scanned,
                                          GPtrArray  *findings);

G_END_DECLS
