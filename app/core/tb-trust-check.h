/* tb-trust-check.h: the state of the whole trust, pool and tenant, from one workspace
 *
 * One function computes every check; the Overview, `trust check` (text, --json, Prometheus)
 * and the daily monitor all show its result, so they agree on the same inputs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-trust-half.h"
#include "tb-workspace.h"

G_BEGIN_DECLS

/* Check ids, stable for scripts, monitoring and the GUI. */
#define TB_TRUST_CHECK_TENANT_REALM            "tenant-realm"
#define TB_TRUST_CHECK_OAUTH_SERVER            "oauth-server"
#define TB_TRUST_CHECK_PARTNER_APPLICATION     "partner-application"
#define TB_TRUST_CHECK_OAUTH_SERVICE_NAME      "oauth-service-name"
#define TB_TRUST_CHECK_POOL_CERTIFICATE        "pool-certificate"
#define TB_TRUST_CHECK_SFB_CREDENTIAL          "sfb-credential"
#define TB_TRUST_CHECK_EXCHANGE_CREDENTIAL     "exchange-credential"
#define TB_TRUST_CHECK_EXCHANGE_ENABLED        "exchange-enabled"
#define TB_TRUST_CHECK_SPNS                    "spns"
#define TB_TRUST_CHECK_NEXT_CERTIFICATE        "next-certificate"
#define TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS "unexplained-credentials"

#define TB_TRUST_CHECK_ERROR (tb_trust_check_error_quark ())

typedef enum
{
  TB_TRUST_CHECK_ERROR_BAD_ACS_BASE, /*< nick=bad-acs-base >*/
} TbTrustCheckError;

GQuark tb_trust_check_error_quark (void);

/* Worst last: a summary is the largest status of its checks, except that unknown does not
 * hide a failure (see tb_trust_report_get_worst). */
typedef enum
{
  TB_TRUST_STATUS_OK,
  TB_TRUST_STATUS_WARNING,
  TB_TRUST_STATUS_FAILED,
  TB_TRUST_STATUS_UNKNOWN,
} TbTrustStatus;

/* "ok", "warning", "failed", "unknown" */
const char *tb_trust_status_to_string (TbTrustStatus status);

/* "pool", "microsoft365" */
const char *tb_trust_half_to_string (TbTrustHalf half);

typedef struct
{
  const char    *id;      /* TB_TRUST_CHECK_* */
  TbTrustHalf    half;
  TbTrustStatus  status;
  char          *detail;  /* one translated line */
  char          *fix;     /* when not ok: the exact fix (cmdlet with values, or the Graph
                           * change), translated; NULL when ok */
} TbTrustCheck;

/* A certificate the checks looked at, for expiry monitoring. */
typedef struct
{
  const char *role;       /* "pool", "staged" or "credential" */
  char       *app_id;     /* the principal holding it ("credential" only) */
  char       *key_id;     /* its keyId ("credential" only) */
  char       *thumbprint; /* upper-case SHA-1 hex, or NULL */
  GDateTime  *not_after;
} TbTrustExpiry;

typedef struct _TbTrustReport
{
  GPtrArray *checks;      /* TbTrustCheck, one per TB_TRUST_CHECK_* in the order above */
  GPtrArray *expiries;    /* TbTrustExpiry */
} TbTrustReport;

void tb_trust_report_free (TbTrustReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTrustReport, tb_trust_report_free)

typedef struct
{
  /* The ACS base the pool's metadata URL must start with: the cloud's (custom endpoints: its
   * Acs=); NULL for the global cloud. https://, or http:// to a loopback address. */
  const char         *acs_base;
  GDateTime          *now;
  guint               warn_days;
  /* Credentials the admin marked as known, which `unexplained-credentials` leaves out: the
   * audit's "audit-known" setting (by tenant, keyId and thumbprint, see tb_audit_known_lookup)
   * when @known_settings is set, and any keyId in @known_key_ids. Either may be NULL. */
  GSettings          *known_settings;
  const char * const *known_key_ids;
} TbTrustCheckOptions;

/* Every check from what @workspace holds: the pool state, the tenant snapshot, the tenant
 * (ACS metadata), the selected certificate and FQDNs. A check whose input is missing is
 * unknown and says what would provide it. NULL with an error only for a bad ACS base. */
TbTrustReport *tb_trust_check             (TbWorkspace               *workspace,
                                           const TbTrustCheckOptions *options,
                                           GError                   **error);
/* The check with @id, or NULL. */
const TbTrustCheck *tb_trust_report_find  (TbTrustReport *report,
                                           const char    *id);
/* How many checks have @status. */
guint          tb_trust_report_count      (TbTrustReport *report,
                                           TbTrustStatus  status);
/* FAILED if any failed, else WARNING if any warns, else UNKNOWN if any is unknown, else OK. */
TbTrustStatus  tb_trust_report_get_worst  (TbTrustReport *report);

/* {"tenant_id", "pool": {"source", "server"}, "checks": [{"id", "half", "status", "detail",
 *  "fix"}], "summary": {"ok", "warning", "failed", "unknown"}} */
JsonNode      *tb_trust_report_to_json    (TbTrustReport *report,
                                           TbWorkspace   *workspace);
/* The Prometheus text exposition format: trust_bridge_check_status (0 ok, 1 warning,
 * 2 failed, 3 unknown) per check, trust_bridge_checks per status, and
 * trust_bridge_certificate_expiry_timestamp_seconds per certificate involved. */
char          *tb_trust_report_to_prometheus (TbTrustReport *report,
                                              TbWorkspace   *workspace);

/* When a check is warning or failed: a desktop notification under the app's ID
 * (GNotification: GNOME Shell's own interface when it runs, else
 * org.freedesktop.Notifications) whose default action is app.show-page("overview"). Nothing
 * when all is well. FALSE with an error when it could not be sent. */
gboolean       tb_trust_report_notify     (TbTrustReport *report,
                                           GError       **error);

G_END_DECLS
