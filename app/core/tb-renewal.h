/* tb-renewal.h: renewing the pool's OAuthTokenIssuer certificate across both halves
 *
 * Skype for Business Server changes its OAuth certificate safely by staging the new one
 * (Set-CsCertificate -Roll -EffectiveDate, at least 24 hours ahead so the Central Management
 * Store can replicate it) and removing the old one afterwards (Remove-CsCertificate -Previous).
 * Microsoft 365 checks the pool's tokens against the keys on the service principals, so the
 * new certificate must be there before its effective date, and the old one must stay until the
 * pool has switched. The steps:
 *
 *   1. choose the new certificate (a candidate from the Front End's store);
 *   2. upload it to every principal that holds the current certificate, keeping the current
 *      credential (TbPrincipalEditor's safe write);
 *   3. stage it on the pool, effective no sooner than 24 hours ahead and not before the
 *      cloud credential's start date;
 *   4. after the switch, remove the old credential from Microsoft 365 (never the last one,
 *      never one the pool still uses) and the previous certificate from the pool.
 *
 * The phase is worked out from the pool state (schema 2) and the principals as read, and
 * nothing else: a renewal interrupted anywhere resumes from what both halves show. No network
 * here: the faces run the edits and scripts this unit makes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-pool-state.h"
#include "tb-principal-edit.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define TB_RENEWAL_ERROR (tb_renewal_error_quark ())

typedef enum
{
  TB_RENEWAL_ERROR_UNKNOWN_STATE,   /* the pool state does not list its OAuth certificates */
  TB_RENEWAL_ERROR_BAD_CANDIDATE,   /* the thumbprint is no usable certificate of the pool */
  TB_RENEWAL_ERROR_OUT_OF_ORDER,    /* a step asked for before the one it depends on */
  TB_RENEWAL_ERROR_BAD_DATE,        /* an effective date too early */
  TB_RENEWAL_ERROR_NOT_IN_STORE,    /* staging a loaded certificate the pool's store lacks */
} TbRenewalError;

GQuark tb_renewal_error_quark (void);

typedef enum
{
  TB_RENEWAL_PHASE_UNKNOWN,               /* schema 1, or the certificates could not be read */
  TB_RENEWAL_PHASE_NONE,                  /* one current certificate, no renewal under way */
  TB_RENEWAL_PHASE_CANDIDATE_CHOSEN,      /* a new one chosen; Microsoft 365 lacks it */
  TB_RENEWAL_PHASE_UPLOADED,              /* Microsoft 365 holds it; not staged yet */
  TB_RENEWAL_PHASE_STAGED_CLOUD_READY,    /* staged, and Microsoft 365 holds it */
  TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING,  /* staged, but Microsoft 365 lacks it: upload now */
  TB_RENEWAL_PHASE_SWITCHED,              /* the new one is current; the old one is left over */
  TB_RENEWAL_PHASE_CLEANED,               /* the new one is current and nothing old is left */
} TbRenewalPhase;

typedef enum
{
  TB_RENEWAL_STEP_UPLOAD,
  TB_RENEWAL_STEP_STAGE,
  TB_RENEWAL_STEP_FINISH,
} TbRenewalStep;

/* Stable names for scripts (--json "phase"): "unknown", "none", "candidate-chosen",
 * "uploaded", "staged-cloud-ready", "staged-cloud-missing", "switched", "cleaned". */
const char *tb_renewal_phase_to_string (TbRenewalPhase phase);

/* One translated sentence for the phase, as the trust check's next-certificate item and the
 * assistant show it: "staged, effective in 18 hours, Microsoft 365 ready", "staged, Microsoft
 * 365 does not have it yet — upload now"… @effective_date may be NULL outside the staged
 * phases. */
char       *tb_renewal_describe_phase  (TbRenewalPhase  phase,
                                        GDateTime      *effective_date,
                                        GDateTime      *now);

/* The candidate to suggest: the one expiring last that is not already an OAuth certificate
 * of the pool; NULL when there is none. Transfer none. */
const TbPoolCertificate *tb_renewal_suggest_candidate (TbPoolState *state);

#define TB_TYPE_RENEWAL (tb_renewal_get_type ())
G_DECLARE_FINAL_TYPE (TbRenewal, tb_renewal, TB, RENEWAL, GObject)

/* Works out where the renewal stands. @principals are the profile's principals as read with
 * their keys (TbServicePrincipal; missing ones left out). @new_thumbprint is the certificate
 * the admin chose (NULL: none chosen, or the staged one when there is one); it must be a
 * candidate, or the staged or current certificate. Errors: TB_RENEWAL_ERROR_UNKNOWN_STATE,
 * _BAD_CANDIDATE (also when the pool stages another certificate than @new_thumbprint). */
TbRenewal      *tb_renewal_new                  (TbPoolState  *state,
                                                 GPtrArray    *principals,
                                                 const char   *new_thumbprint,
                                                 GError      **error);
TbRenewalPhase  tb_renewal_get_phase            (TbRenewal    *self);
/* The certificate being renewed to (staged, chosen, or current after the switch); NULL in
 * TB_RENEWAL_PHASE_NONE. Transfer none. */
const TbPoolCertificate *tb_renewal_get_new_certificate (TbRenewal *self);
/* The certificate being replaced (current before the switch, previous after); may be NULL. */
const TbPoolCertificate *tb_renewal_get_old_certificate (TbRenewal *self);
/* When the staged certificate becomes effective; NULL when none is staged. */
GDateTime      *tb_renewal_get_effective_date   (TbRenewal    *self);
/* The phase in words, as tb_renewal_describe_phase. */
char           *tb_renewal_describe             (TbRenewal    *self,
                                                 GDateTime    *now);

/* FALSE with TB_RENEWAL_ERROR_OUT_OF_ORDER and a translated reason when @step cannot be taken
 * now (staging while Microsoft 365 lacks the key, finishing before the pool has switched…). */
gboolean        tb_renewal_check_step           (TbRenewal    *self,
                                                 TbRenewalStep step,
                                                 GError      **error);

/* Step 2: TbPrincipalEdit adding the new certificate to every principal that holds the
 * current one (all of @principals when none does). Already there: the editor makes it "none". */
GPtrArray      *tb_renewal_upload_edits         (TbRenewal    *self,
                                                 GError      **error);

/* Step 3: the earliest effective date allowed: 24 hours from @now, and not before the start
 * of the new certificate's credentials in Microsoft 365; whole seconds, UTC. */
GDateTime      *tb_renewal_earliest_effective_date (TbRenewal *self,
                                                    GDateTime *now);
/* @date, or the earliest allowed date plus an hour when NULL; FALSE with _BAD_DATE when
 * @date is earlier than allowed. */
GDateTime      *tb_renewal_choose_effective_date (TbRenewal   *self,
                                                  GDateTime   *date,
                                                  GDateTime   *now,
                                                  GError     **error);

/* Step 4: TbPrincipalEdit removing the credentials of the old certificate, skipping (and
 * naming in *@skipped, translated) a credential that is the principal's last one or that
 * holds a certificate the pool still uses. Empty when nothing is left to remove. */
GPtrArray      *tb_renewal_cleanup_edits        (TbRenewal    *self,
                                                 GStrv        *skipped);
/* Whether the pool still lists a previous certificate for Remove-CsCertificate -Previous. */
gboolean        tb_renewal_pool_has_previous    (TbRenewal    *self);

/* A certificate loaded from a file (.cer, .crt, .pem) as the new one, for a certificate
 * already installed in the Front End's store: it must not be the pool's current one, must
 * have an RSA key of TB_CERTIFICATE_MIN_RSA_BITS or more and be valid for 30 more days after
 * @now. FALSE with TB_RENEWAL_ERROR_BAD_CANDIDATE and a translated reason otherwise. */
gboolean        tb_renewal_check_loaded_certificate (TbPoolState    *state,
                                                     TbCertificate  *certificate,
                                                     GDateTime      *now,
                                                     GError        **error);
/* tb_renewal_new with @certificate (checked as above) as the new one. When the pool state
 * does not list it, it can be uploaded, but staging is refused with
 * TB_RENEWAL_ERROR_NOT_IN_STORE until a read of the pool shows it in the store. */
TbRenewal      *tb_renewal_new_with_certificate (TbPoolState    *state,
                                                 GPtrArray      *principals,
                                                 TbCertificate  *certificate,
                                                 GDateTime      *now,
                                                 GError        **error);
/* The names a new OAuth certificate requested from the CA is for: the pool's OAuth realm (its
 * SIP domain), else the current certificate's common name; empty when the state tells
 * neither. */
char          **tb_renewal_dup_request_domains  (TbPoolState    *state);
/* FALSE with TB_RENEWAL_ERROR_NOT_IN_STORE and a translated reason when the new certificate
 * was loaded from a file and the pool state does not show it in the Front End's store. */
gboolean        tb_renewal_check_in_store       (TbRenewal      *self,
                                                 GError        **error);

G_END_DECLS
