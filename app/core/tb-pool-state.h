/* tb-pool-state.h: the on-premises pool state document (schema 1 and 2) and its checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-certificate.h"

G_BEGIN_DECLS

/*
 * The document the read script prints (see tb-pool-script.h), JSON in UTF-8:
 *
 *   { "schema": 1,
 *     "server": { "fqdn", "product", "module" },
 *     "oauthServers": [ { "identity", "metadataUrl", "realm" } ],
 *     "partnerApplications": [ { "identity", "applicationIdentifier", "applicationTrustLevel",
 *                                "useOAuthServer": bool, "enabled": bool } ],
 *     "oauthConfiguration": { "serviceName", "realm", "exchangeAutodiscoverUrl" } | null,
 *     "webServices": [ { "poolFqdn", "externalFqdn", "internalFqdn" } ],
 *     "oauthCertificate": { "thumbprint", "subject", "notBefore", "notAfter", "rawData" } | null,
 *     "errors": [ { "cmdlet", "message" } ] }
 *
 * Schema 2 adds, for the renewal of the OAuth certificate (each optional, unknown when missing):
 *
 *     "oauthCertificates": [ { "role": "current" | "staged" | "previous", "thumbprint", "subject",
 *                              "notBefore", "notAfter", "effectiveDate", "keySize": int,
 *                              "rawData" } ],
 *     "candidates": [ { "thumbprint", "subject", "issuer", "notBefore", "notAfter",
 *                       "keySize": int, "rawData" } ]
 *
 * oauthCertificates is every OAuthTokenIssuer certificate the pool knows (Get-CsCertificate),
 * candidates the certificates in the Front End's Cert:\LocalMachine\My that could become the
 * next one (private key present, valid for at least 30 more days, RSA of 2048 bits or more).
 * Only public data: thumbprints, names, dates, key sizes and the public DER.
 *
 * Member names are matched exactly; unknown members are ignored. "schema" is required and must
 * be 1 or 2 (a schema 1 document is read as before); every other member is optional. A missing
 * member (or a list given as null) is UNKNOWN —
 * the read step failed or an older script did not gather it — which is not the same as ABSENT
 * ([] or null: the pool has none). Strings and booleans may be null (unknown). Dates are ISO 8601.
 * rawData is the Base64 DER of the OAuthTokenIssuer certificate.
 *
 * Output framing: the line "TRUSTBRIDGE-STATE:<Base64 of the JSON>" anywhere in a command's
 * stdout, other lines ignored. When several marker lines appear they must carry the same
 * document (a script run twice); differing ones are refused rather than guessed between.
 */

#define TB_POOL_STATE_MARKER "TRUSTBRIDGE-STATE:"
/* Larger documents (and files) are refused before parsing. */
#define TB_POOL_STATE_MAX_SIZE (1024 * 1024)
/* Deeper nesting of objects and arrays is refused before parsing. */
#define TB_POOL_STATE_MAX_DEPTH 16

#define TB_POOL_STATE_ERROR (tb_pool_state_error_quark ())

typedef enum
{
  TB_POOL_STATE_ERROR_TOO_LARGE,
  TB_POOL_STATE_ERROR_TOO_DEEP,
  TB_POOL_STATE_ERROR_NOT_JSON,          /* also: not UTF-8, not an object at the top */
  TB_POOL_STATE_ERROR_BAD_SCHEMA,        /* missing or not 1 */
  TB_POOL_STATE_ERROR_BAD_MEMBER,        /* a member of the wrong type; the message names it */
  TB_POOL_STATE_ERROR_NO_MARKER,
  TB_POOL_STATE_ERROR_BAD_MARKER,        /* not Base64 */
  TB_POOL_STATE_ERROR_CONFLICTING_MARKERS,
} TbPoolStateError;

GQuark tb_pool_state_error_quark (void);

typedef enum
{
  TB_POOL_UNKNOWN,
  TB_POOL_ABSENT,
  TB_POOL_PRESENT,
} TbPoolPresence;

/* A boolean read from the pool; UNKNOWN when missing or null. */
typedef enum
{
  TB_POOL_BOOL_UNKNOWN,
  TB_POOL_BOOL_FALSE,
  TB_POOL_BOOL_TRUE,
} TbPoolBool;

/* Strings in these records are NULL when missing or null in the document. */
typedef struct
{
  char *identity;
  char *metadata_url;
  char *realm;
} TbPoolOAuthServer;

typedef struct
{
  char       *identity;
  char       *application_identifier;
  char       *application_trust_level;
  TbPoolBool  use_oauth_server;
  TbPoolBool  enabled;
} TbPoolPartnerApplication;

typedef struct
{
  char *service_name;
  char *realm;
  char *exchange_autodiscover_url;
} TbPoolOAuthConfiguration;

typedef struct
{
  char *pool_fqdn;
  char *external_fqdn;
  char *internal_fqdn;
} TbPoolWebService;

typedef struct
{
  char          *thumbprint;
  char          *subject;
  GDateTime     *not_before;     /* as reported; the certificate's own dates win when present */
  GDateTime     *not_after;
  char          *raw_data;       /* Base64 DER as given */
  TbCertificate *certificate;    /* parsed raw_data, or NULL (see raw_data_error) */
  char          *raw_data_error; /* why raw_data did not parse; NULL when it did or was missing */
  /* Schema 2 only (NULL / 0 otherwise). */
  char          *role;           /* TB_POOL_CERT_ROLE_* for oauthCertificates; NULL: candidate */
  char          *issuer;         /* candidates */
  GDateTime     *effective_date; /* oauthCertificates: when the pool starts (or started) using it */
  gint64         key_size;       /* bits; 0 when unknown */
} TbPoolCertificate;

#define TB_POOL_CERT_ROLE_CURRENT  "current"
#define TB_POOL_CERT_ROLE_STAGED   "staged"
#define TB_POOL_CERT_ROLE_PREVIOUS "previous"

typedef struct
{
  char *cmdlet;
  char *message;
} TbPoolError;

typedef enum
{
  TB_POOL_CHECK_UNKNOWN,
  TB_POOL_CHECK_FAILED,
  TB_POOL_CHECK_OK,
} TbPoolCheckResult;

/* Check item ids, stable for scripts (--json) and the GUI. */
#define TB_POOL_CHECK_OAUTH_SERVER            "oauth-server"
#define TB_POOL_CHECK_PARTNER_APPLICATION     "partner-application"
#define TB_POOL_CHECK_PARTNER_TRUST_LEVEL     "partner-application-trust-level"
#define TB_POOL_CHECK_PARTNER_USE_OAUTH       "partner-application-use-oauth-server"
#define TB_POOL_CHECK_PARTNER_ENABLED         "partner-application-enabled"
#define TB_POOL_CHECK_OAUTH_SERVICE_NAME      "oauth-service-name"
#define TB_POOL_CHECK_WEB_SERVICES            "web-services"
#define TB_POOL_CHECK_OAUTH_CERTIFICATE       "oauth-certificate"

typedef struct
{
  const char        *item;    /* one of TB_POOL_CHECK_* */
  TbPoolCheckResult  ok;
  char              *detail;  /* a translated sentence; names the desired value when it differs */
} TbPoolCheck;

void tb_pool_check_free (TbPoolCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPoolCheck, tb_pool_check_free)

#define TB_TYPE_POOL_STATE (tb_pool_state_get_type ())
G_DECLARE_FINAL_TYPE (TbPoolState, tb_pool_state, TB, POOL_STATE, GObject)

/* The JSON document itself (at most TB_POOL_STATE_MAX_SIZE bytes). */
TbPoolState *tb_pool_state_new_from_data        (const char   *data,
                                                 gsize         length,
                                                 GError      **error);
/* A command's stdout holding the marker line. */
TbPoolState *tb_pool_state_new_from_output      (const char   *output,
                                                 gsize         length,
                                                 GError      **error);
/* A file the admin brings back: trust-bridge-state.json, or saved script output with the
 * marker line; UTF-8 with or without BOM, or UTF-16LE with BOM (what PowerShell 5's ">" writes). */
TbPoolState *tb_pool_state_new_from_file        (GFile        *file,
                                                 GCancellable *cancellable,
                                                 GError      **error);
/* The same in a worker thread; the callback runs in the caller's main context, with @file as
 * its source object. */
void         tb_pool_state_load_file_async      (GFile              *file,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
TbPoolState *tb_pool_state_load_file_finish     (GAsyncResult       *result,
                                                 GError            **error);

/* server.*; NULL when unknown. */
const char  *tb_pool_state_get_server_fqdn      (TbPoolState  *self);
const char  *tb_pool_state_get_server_product   (TbPoolState  *self);
const char  *tb_pool_state_get_server_module    (TbPoolState  *self);

/* Lists: NULL when UNKNOWN, else an array (possibly empty) of the records above. */
GPtrArray   *tb_pool_state_get_oauth_servers         (TbPoolState *self);
GPtrArray   *tb_pool_state_get_partner_applications  (TbPoolState *self);
GPtrArray   *tb_pool_state_get_errors                (TbPoolState *self);

TbPoolPresence tb_pool_state_get_oauth_configuration (TbPoolState                     *self,
                                                      const TbPoolOAuthConfiguration **out);
TbPoolPresence tb_pool_state_get_oauth_certificate   (TbPoolState                     *self,
                                                      const TbPoolCertificate        **out);

/* The record with this identity (case-insensitive), or NULL. */
const TbPoolOAuthServer        *tb_pool_state_find_oauth_server        (TbPoolState *self,
                                                                        const char  *identity);
const TbPoolPartnerApplication *tb_pool_state_find_partner_application (TbPoolState *self,
                                                                        const char  *identity);

/* Distinct external web services FQDNs (lower case, valid host names only, in document order):
 * the SPNs the cloud side needs. NULL when the web services are unknown. */
GStrv        tb_pool_state_dup_external_fqdns  (TbPoolState  *self);

/* The document as read, normalised: unknown members left out, absent ones as [] or null. */
JsonNode    *tb_pool_state_to_json_node        (TbPoolState  *self);

/* Compares the state with what the trust needs for @tenant_id (may be NULL: the OAuth server
 * check is then UNKNOWN) on the cloud whose ACS base is @acs_base (NULL: the global cloud).
 * Returns TbPoolCheck records, one per TB_POOL_CHECK_* item in that order; NULL with an error
 * when @tenant_id or @acs_base is invalid. Certificates within @warn_days of expiry pass with a
 * warning in the detail. */
GPtrArray   *tb_pool_state_check               (TbPoolState  *self,
                                                const char   *tenant_id,
                                                const char   *acs_base,
                                                GDateTime    *now,
                                                guint         warn_days,
                                                GError      **error);
/* The normalised document (tb_pool_state_to_json_node) plus "checks": [{"item", "ok", "detail"}]
 * with "ok" true, false or null (unknown): what `pool import --json` and `pool status --json`
 * print. */
JsonNode    *tb_pool_state_report_json         (TbPoolState  *self,
                                                GPtrArray    *checks);
/* TB_POOL_CHECK_FAILED when any check failed, else UNKNOWN when any is unknown, else OK. */
TbPoolCheckResult tb_pool_checks_summary       (GPtrArray    *checks);

/* Schema 2. */
/* oauthCertificates and candidates: NULL when UNKNOWN (schema 1, or the read step failed),
 * else an array (possibly empty) of TbPoolCertificate. */
GPtrArray   *tb_pool_state_get_oauth_certificates  (TbPoolState *self);
GPtrArray   *tb_pool_state_get_candidates          (TbPoolState *self);
/* The first oauthCertificates record with @role (TB_POOL_CERT_ROLE_*), or NULL. */
const TbPoolCertificate *tb_pool_state_find_oauth_certificate (TbPoolState *self,
                                                                const char  *role);
/* The candidate (or, failing that, OAuth certificate) with this thumbprint
 * (case-insensitive), or NULL. */
const TbPoolCertificate *tb_pool_state_find_certificate       (TbPoolState *self,
                                                                const char  *thumbprint);
/* The staged OAuthTokenIssuer certificate and the date it becomes effective; NULL when none is
 * staged, unknown, or its public DER did not parse. Transfer none. */
TbCertificate *tb_pool_state_get_staged_certificate    (TbPoolState *self);
GDateTime     *tb_pool_state_get_staged_effective_date (TbPoolState *self);

#define TB_POOL_DEFAULT_ACS_BASE "https://accounts.accesscontrol.windows.net"

G_END_DECLS
