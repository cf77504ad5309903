/* tb-renewal.c: renewing the pool's OAuthTokenIssuer certificate across both halves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-renewal"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-core-enums.h"
#include "tb-enum.h"
#include "tb-format.h"
#include "tb-pool-script.h"
#include "tb-renewal.h"

G_DEFINE_QUARK (tb-renewal-error-quark, tb_renewal_error)

/* The Central Management Store needs this long to replicate a staged certificate. */
#define MIN_LEAD_HOURS 24

struct _TbRenewal
{
  GObject parent_instance;

  TbPoolState             *state;
  GPtrArray               *principals;   /* TbServicePrincipal */
  TbRenewalPhase           phase;
  const TbPoolCertificate *new_cert;
  const TbPoolCertificate *old_cert;
  const TbPoolCertificate *current;
  const TbPoolCertificate *staged;
  const TbPoolCertificate *previous;
  /* A certificate loaded from a file as the new one, when the pool state does not list it
   * among its candidates (its store may not have it: staging is refused until it does). */
  TbPoolCertificate       *loaded;
};

G_DEFINE_FINAL_TYPE (TbRenewal, tb_renewal, G_TYPE_OBJECT)

static void
tb_renewal_finalize (GObject *object)
{
  TbRenewal *self = TB_RENEWAL (object);

  g_clear_object (&self->state);
  g_clear_pointer (&self->principals, g_ptr_array_unref);
  if (self->loaded != NULL)
    {
      g_free (self->loaded->thumbprint);
      g_free (self->loaded->subject);
      g_clear_object (&self->loaded->certificate);
      g_free (self->loaded);
    }

  G_OBJECT_CLASS (tb_renewal_parent_class)->finalize (object);
}

static void
tb_renewal_class_init (TbRenewalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_renewal_finalize;
}

static void
tb_renewal_init (TbRenewal *self)
{
}

const char *
tb_renewal_phase_to_string (TbRenewalPhase phase)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_RENEWAL_PHASE, phase);
}

char *
tb_renewal_describe_phase (TbRenewalPhase  phase,
                           GDateTime      *effective_date,
                           GDateTime      *now)
{
  switch (phase)
    {
    case TB_RENEWAL_PHASE_NONE:
      return g_strdup (_("no renewal under way"));
    case TB_RENEWAL_PHASE_CANDIDATE_CHOSEN:
      return g_strdup (_("new certificate chosen, Microsoft 365 does not have it yet — "
                         "upload it"));
    case TB_RENEWAL_PHASE_UPLOADED:
      return g_strdup (_("Microsoft 365 has the new certificate — stage it on the pool"));
    case TB_RENEWAL_PHASE_STAGED_CLOUD_READY:
      if (effective_date != NULL)
        {
          g_autofree char *when = tb_format_relative (effective_date, now);

          /* Translators: %s is a relative time such as “in 18 hours”. */
          return g_strdup_printf (_("staged, effective %s, Microsoft 365 ready"), when);
        }
      return g_strdup (_("staged, Microsoft 365 ready"));
    case TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING:
      return g_strdup (_("staged, Microsoft 365 does not have it yet — upload now"));
    case TB_RENEWAL_PHASE_SWITCHED:
      return g_strdup (_("switched to the new certificate — the old one can be removed"));
    case TB_RENEWAL_PHASE_CLEANED:
      return g_strdup (_("renewed: the new certificate is in use and the old one is gone"));
    case TB_RENEWAL_PHASE_UNKNOWN:
    default:
      return g_strdup (_("unknown: the pool state does not list its OAuth certificates"));
    }
}

static gboolean
is_oauth_thumbprint (TbPoolState *state,
                     const char  *thumbprint)
{
  GPtrArray *list = tb_pool_state_get_oauth_certificates (state);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (list, i);

      if (c->thumbprint != NULL && thumbprint != NULL &&
          g_ascii_strcasecmp (c->thumbprint, thumbprint) == 0)
        return TRUE;
    }
  return FALSE;
}

const TbPoolCertificate *
tb_renewal_suggest_candidate (TbPoolState *state)
{
  GPtrArray *candidates;
  const TbPoolCertificate *best = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);

  candidates = tb_pool_state_get_candidates (state);
  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      const TbPoolCertificate *c = g_ptr_array_index (candidates, i);

      if (c->certificate == NULL || is_oauth_thumbprint (state, c->thumbprint))
        continue;
      /* The certificate's own dates win over the reported ones. */
      if (best == NULL || g_date_time_compare (tb_certificate_get_not_after (c->certificate),
                                               tb_certificate_get_not_after (best->certificate))
                            > 0)
        best = c;
    }
  return best;
}

/* Whether @kc holds @cert: the same key bytes or the same thumbprint. */
static gboolean
credential_holds (TbKeyCredential         *kc,
                  const TbPoolCertificate *cert)
{
  const char *thumbprint;

  if (cert == NULL)
    return FALSE;
  if (cert->certificate != NULL)
    return tb_key_credential_matches_certificate (kc, cert->certificate);
  thumbprint = tb_key_credential_get_thumbprint (kc);
  return thumbprint != NULL && cert->thumbprint != NULL &&
         g_ascii_strcasecmp (thumbprint, cert->thumbprint) == 0;
}

static gboolean
principal_holds (TbServicePrincipal      *sp,
                 const TbPoolCertificate *cert)
{
  GPtrArray *keys = tb_service_principal_get_key_credentials (sp);

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    if (credential_holds (g_ptr_array_index (keys, i), cert))
      return TRUE;
  return FALSE;
}

/* The principals that must receive the new certificate: those holding the old one, or all of
 * them when none does (a trust that never had the old key still needs the new one). */
static GPtrArray *
targets (TbRenewal *self)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i < self->principals->len; i++)
    if (principal_holds (g_ptr_array_index (self->principals, i), self->old_cert))
      g_ptr_array_add (out, g_ptr_array_index (self->principals, i));
  if (out->len == 0)
    for (guint i = 0; i < self->principals->len; i++)
      g_ptr_array_add (out, g_ptr_array_index (self->principals, i));
  return out;
}

static gboolean
cloud_has_new (TbRenewal *self)
{
  g_autoptr(GPtrArray) list = targets (self);

  if (list->len == 0 || self->new_cert == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    if (!principal_holds (g_ptr_array_index (list, i), self->new_cert))
      return FALSE;
  return TRUE;
}

TbRenewal *
tb_renewal_new (TbPoolState  *state,
                GPtrArray    *principals,
                const char   *new_thumbprint,
                GError      **error)
{
  g_autoptr(TbRenewal) self = NULL;
  const TbPoolCertificate *chosen = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);
  g_return_val_if_fail (principals != NULL, NULL);

  self = g_object_new (TB_TYPE_RENEWAL, NULL);
  self->state = g_object_ref (state);
  self->principals = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < principals->len; i++)
    g_ptr_array_add (self->principals, g_object_ref (g_ptr_array_index (principals, i)));

  if (tb_pool_state_get_oauth_certificates (state) == NULL)
    {
      self->phase = TB_RENEWAL_PHASE_UNKNOWN;
      return g_steal_pointer (&self);
    }

  self->current = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_CURRENT);
  self->staged = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_STAGED);
  self->previous = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_PREVIOUS);

  if (new_thumbprint != NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *checked = tb_pool_script_check_thumbprint (new_thumbprint, &local_error);

      if (checked == NULL)
        {
          g_set_error_literal (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                               local_error->message);
          return NULL;
        }
      if (self->staged != NULL && g_ascii_strcasecmp (self->staged->thumbprint, checked) != 0)
        {
          g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                       _("The pool already stages another certificate (%s); finish that "
                         "renewal first."), self->staged->thumbprint);
          return NULL;
        }
      chosen = tb_pool_state_find_certificate (state, checked);
      if (chosen == NULL)
        {
          g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                       _("%s is not among the certificates the pool can use: it must be in "
                         "the Front End’s Cert:\\LocalMachine\\My with its private key, RSA of "
                         "2048 bits or more, and valid for at least 30 more days."), checked);
          return NULL;
        }
      if (chosen->certificate == NULL)
        {
          g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                       _("The pool state does not carry the public part of %s."), checked);
          return NULL;
        }
    }

  if (self->staged != NULL)
    {
      self->new_cert = self->staged;
      self->old_cert = self->current;
      self->phase = cloud_has_new (self) ? TB_RENEWAL_PHASE_STAGED_CLOUD_READY
                                         : TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING;
    }
  else if (self->previous != NULL && self->current != NULL)
    {
      self->new_cert = self->current;
      self->old_cert = self->previous;
      self->phase = TB_RENEWAL_PHASE_SWITCHED;
    }
  else if (chosen != NULL && self->current != NULL &&
           g_ascii_strcasecmp (chosen->thumbprint, self->current->thumbprint) == 0)
    {
      self->new_cert = self->current;
      self->phase = TB_RENEWAL_PHASE_CLEANED;
    }
  else if (chosen != NULL)
    {
      self->new_cert = chosen;
      self->old_cert = self->current;
      self->phase = cloud_has_new (self) ? TB_RENEWAL_PHASE_UPLOADED
                                         : TB_RENEWAL_PHASE_CANDIDATE_CHOSEN;
    }
  else
    {
      self->old_cert = self->current;
      self->phase = TB_RENEWAL_PHASE_NONE;
    }

  return g_steal_pointer (&self);
}

TbRenewalPhase
tb_renewal_get_phase (TbRenewal *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), TB_RENEWAL_PHASE_UNKNOWN);
  return self->phase;
}

const TbPoolCertificate *
tb_renewal_get_new_certificate (TbRenewal *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);
  return self->new_cert;
}

const TbPoolCertificate *
tb_renewal_get_old_certificate (TbRenewal *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);
  return self->old_cert;
}

GDateTime *
tb_renewal_get_effective_date (TbRenewal *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);
  return self->staged != NULL ? self->staged->effective_date : NULL;
}

char *
tb_renewal_describe (TbRenewal *self,
                     GDateTime *now)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);
  return tb_renewal_describe_phase (self->phase, tb_renewal_get_effective_date (self), now);
}

static gboolean
refuse (GError     **error,
        const char  *reason)
{
  g_set_error_literal (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_OUT_OF_ORDER, reason);
  return FALSE;
}

gboolean
tb_renewal_check_step (TbRenewal     *self,
                       TbRenewalStep  step,
                       GError       **error)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), FALSE);

  if (self->phase == TB_RENEWAL_PHASE_UNKNOWN)
    {
      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_UNKNOWN_STATE,
                   _("The pool state does not list the pool’s OAuth certificates: read the "
                     "pool again with the read script of this version (schema 2)."));
      return FALSE;
    }

  switch (step)
    {
    case TB_RENEWAL_STEP_UPLOAD:
      if (self->phase == TB_RENEWAL_PHASE_NONE)
        return refuse (error, _("Choose the new certificate first."));
      return TRUE;

    case TB_RENEWAL_STEP_STAGE:
      if (self->phase == TB_RENEWAL_PHASE_UPLOADED && !tb_renewal_check_in_store (self, error))
        return FALSE;
      switch (self->phase)
        {
        case TB_RENEWAL_PHASE_NONE:
          return refuse (error, _("Choose the new certificate first."));
        case TB_RENEWAL_PHASE_CANDIDATE_CHOSEN:
        case TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING:
          return refuse (error, _("Microsoft 365 does not have the new certificate yet: upload "
                                  "it first. Rolled now, the pool would sign with a key "
                                  "Exchange Online and Teams do not know from the effective "
                                  "date on (“(401) Unauthorized”, “The key was not found”)."));
        case TB_RENEWAL_PHASE_SWITCHED:
        case TB_RENEWAL_PHASE_CLEANED:
          return refuse (error, _("The pool already uses the new certificate: there is nothing "
                                  "to stage."));
        default:
          return TRUE;
        }

    case TB_RENEWAL_STEP_FINISH:
      switch (self->phase)
        {
        case TB_RENEWAL_PHASE_SWITCHED:
        case TB_RENEWAL_PHASE_CLEANED:
          return TRUE;
        case TB_RENEWAL_PHASE_STAGED_CLOUD_READY:
        case TB_RENEWAL_PHASE_STAGED_CLOUD_MISSING:
          {
            g_autofree char *when = self->staged->effective_date != NULL
                                      ? tb_format_iso8601_utc (self->staged->effective_date)
                                      : g_strdup (_("unknown"));
            g_autofree char *reason =
              g_strdup_printf (_("The pool has not switched to the new certificate yet "
                                 "(effective %s): the old key still signs its tokens, and "
                                 "removing it now would break the trust. Finish after the "
                                 "effective date."), when);

            return refuse (error, reason);
          }
        case TB_RENEWAL_PHASE_NONE:
          /* Nothing staged and nothing previous: a finished renewal finished again. */
          return TRUE;
        default:
          return refuse (error, _("There is no renewal to finish: the pool has not staged the "
                                  "new OAuth certificate yet."));
        }
    }

  g_return_val_if_reached (FALSE);
}

GPtrArray *
tb_renewal_upload_edits (TbRenewal  *self,
                         GError    **error)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);

  if (!tb_renewal_check_step (self, TB_RENEWAL_STEP_UPLOAD, error))
    return NULL;

  list = targets (self);
  for (guint i = 0; i < list->len; i++)
    {
      TbServicePrincipal *sp = g_ptr_array_index (list, i);
      TbPrincipalEdit *edit;

      edit = tb_principal_edit_new_add_certificate (tb_service_principal_get_app_id (sp),
                                                    self->new_cert->certificate, NULL,
                                                    TB_PRINCIPAL_EDIT_FLAGS_NONE, error);
      if (edit == NULL)
        return NULL;
      g_ptr_array_add (edits, edit);
    }
  return g_steal_pointer (&edits);
}

GDateTime *
tb_renewal_earliest_effective_date (TbRenewal *self,
                                    GDateTime *now)
{
  g_autoptr(GDateTime) lead = NULL;
  GDateTime *earliest;

  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  lead = g_date_time_add_hours (now, MIN_LEAD_HOURS);
  earliest = g_date_time_to_utc (lead);

  /* Not before Microsoft 365 accepts the key: the latest start of its credentials. */
  for (guint i = 0; self->new_cert != NULL && i < self->principals->len; i++)
    {
      GPtrArray *keys = tb_service_principal_get_key_credentials (
        g_ptr_array_index (self->principals, i));

      for (guint k = 0; keys != NULL && k < keys->len; k++)
        {
          TbKeyCredential *kc = g_ptr_array_index (keys, k);
          GDateTime *start = tb_key_credential_get_start (kc);

          if (start != NULL && credential_holds (kc, self->new_cert) &&
              g_date_time_compare (start, earliest) > 0)
            {
              g_date_time_unref (earliest);
              earliest = g_date_time_to_utc (start);
            }
        }
    }

  /* Whole seconds, rounded up: that is what the script carries. */
  if (g_date_time_get_microsecond (earliest) != 0)
    {
      GDateTime *rounded = g_date_time_add_seconds (earliest,
                                                    1.0 - g_date_time_get_microsecond (earliest)
                                                            / 1e6);

      g_date_time_unref (earliest);
      earliest = rounded;
    }
  return earliest;
}

GDateTime *
tb_renewal_choose_effective_date (TbRenewal  *self,
                                  GDateTime  *date,
                                  GDateTime  *now,
                                  GError    **error)
{
  g_autoptr(GDateTime) earliest = NULL;

  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);

  earliest = tb_renewal_earliest_effective_date (self, now);
  if (date == NULL)
    return g_date_time_add_hours (earliest, 1);

  if (g_date_time_compare (date, earliest) < 0)
    {
      g_autofree char *text = tb_format_iso8601_utc (earliest);

      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_DATE,
                   _("The effective date must be at least 24 hours ahead, for the Central "
                     "Management Store to replicate the certificate, and not before Microsoft "
                     "365 accepts it: %s at the earliest."), text);
      return NULL;
    }
  return g_date_time_to_utc (date);
}

/* Whether @kc holds a certificate the pool signs with now or will (current or staged). */
static gboolean
pool_uses (TbRenewal       *self,
           TbKeyCredential *kc)
{
  return credential_holds (kc, self->current) || credential_holds (kc, self->staged);
}

GPtrArray *
tb_renewal_cleanup_edits (TbRenewal  *self,
                          GStrv      *skipped)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_RENEWAL (self), NULL);

  for (guint i = 0; self->phase == TB_RENEWAL_PHASE_SWITCHED && i < self->principals->len; i++)
    {
      TbServicePrincipal *sp = g_ptr_array_index (self->principals, i);
      GPtrArray *keys = tb_service_principal_get_key_credentials (sp);

      for (guint k = 0; keys != NULL && k < keys->len; k++)
        {
          TbKeyCredential *kc = g_ptr_array_index (keys, k);

          if (!credential_holds (kc, self->old_cert))
            continue;
          g_autofree char *note = NULL;

          if (pool_uses (self, kc))
            note = g_strdup_printf (_("Kept credential %s on %s: the pool still uses its "
                                      "certificate."), tb_key_credential_get_key_id (kc),
                                    tb_service_principal_get_display_name (sp));
          else if (keys->len == 1)
            note = g_strdup_printf (_("Kept credential %s on %s: it is the principal’s last "
                                      "credential."), tb_key_credential_get_key_id (kc),
                                    tb_service_principal_get_display_name (sp));
          if (note != NULL)
            g_strv_builder_add (notes, note);
          else
            g_ptr_array_add (edits, tb_principal_edit_new_remove_credential (
              tb_service_principal_get_app_id (sp), tb_key_credential_get_key_id (kc),
              TB_PRINCIPAL_EDIT_FLAGS_NONE));
        }
    }

  if (skipped != NULL)
    *skipped = g_strv_builder_end (notes);
  return g_steal_pointer (&edits);
}

gboolean
tb_renewal_pool_has_previous (TbRenewal *self)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), FALSE);
  return self->previous != NULL;
}

gboolean
tb_renewal_check_loaded_certificate (TbPoolState    *state,
                                     TbCertificate  *certificate,
                                     GDateTime      *now,
                                     GError        **error)
{
  const TbPoolCertificate *current;
  const char *algorithm;
  g_autoptr(GDateTime) horizon = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), FALSE);
  g_return_val_if_fail (TB_IS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  current = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_CURRENT);
  if (current != NULL && current->thumbprint != NULL &&
      g_ascii_strcasecmp (current->thumbprint, tb_certificate_get_sha1 (certificate)) == 0)
    {
      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                   _("This is the pool’s current OAuth certificate (%s): load the new one."),
                   current->thumbprint);
      return FALSE;
    }

  algorithm = tb_certificate_get_key_algorithm (certificate);
  if ((g_strcmp0 (algorithm, "RSA") != 0 && g_strcmp0 (algorithm, "RSA-PSS") != 0) ||
      tb_certificate_get_key_bits (certificate) < TB_CERTIFICATE_MIN_RSA_BITS)
    {
      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                   _("The pool’s OAuth certificate needs an RSA key of %d bits or more; this "
                     "one has %s of %u bits."), TB_CERTIFICATE_MIN_RSA_BITS,
                   algorithm != NULL ? algorithm : "?", tb_certificate_get_key_bits (certificate));
      return FALSE;
    }

  horizon = g_date_time_add_days (now, 30);
  if (g_date_time_compare (tb_certificate_get_not_after (certificate), horizon) < 0)
    {
      g_autofree char *until = tb_format_iso8601_utc (tb_certificate_get_not_after (certificate));

      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                   _("This certificate is valid until %s: the new one must be valid for at "
                     "least 30 more days."), until);
      return FALSE;
    }
  return TRUE;
}

TbRenewal *
tb_renewal_new_with_certificate (TbPoolState    *state,
                                 GPtrArray      *principals,
                                 TbCertificate  *certificate,
                                 GDateTime      *now,
                                 GError        **error)
{
  g_autoptr(TbRenewal) self = NULL;
  const char *sha1;
  TbPoolCertificate *loaded;

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);
  g_return_val_if_fail (TB_IS_CERTIFICATE (certificate), NULL);

  if (!tb_renewal_check_loaded_certificate (state, certificate, now, error))
    return NULL;

  /* One the pool lists is the same as choosing it by thumbprint. */
  sha1 = tb_certificate_get_sha1 (certificate);
  if (tb_pool_state_get_oauth_certificates (state) == NULL ||
      tb_pool_state_find_certificate (state, sha1) != NULL)
    return tb_renewal_new (state, principals, sha1, error);

  self = tb_renewal_new (state, principals, NULL, error);
  if (self == NULL)
    return NULL;
  if (self->staged != NULL)
    {
      g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_BAD_CANDIDATE,
                   _("The pool already stages another certificate (%s); finish that "
                     "renewal first."), self->staged->thumbprint);
      return NULL;
    }
  if (self->phase != TB_RENEWAL_PHASE_NONE)
    return g_steal_pointer (&self);

  loaded = g_new0 (TbPoolCertificate, 1);
  loaded->thumbprint = g_ascii_strup (sha1, -1);
  loaded->subject = g_strdup (tb_certificate_get_subject (certificate));
  loaded->not_before = tb_certificate_get_not_before (certificate);
  loaded->not_after = tb_certificate_get_not_after (certificate);
  loaded->certificate = g_object_ref (certificate);
  loaded->key_size = tb_certificate_get_key_bits (certificate);
  self->loaded = loaded;
  self->new_cert = loaded;
  self->phase = cloud_has_new (self) ? TB_RENEWAL_PHASE_UPLOADED
                                     : TB_RENEWAL_PHASE_CANDIDATE_CHOSEN;
  return g_steal_pointer (&self);
}

gboolean
tb_renewal_check_in_store (TbRenewal  *self,
                           GError    **error)
{
  g_return_val_if_fail (TB_IS_RENEWAL (self), FALSE);

  /* Set-CsCertificate -Roll takes a certificate of the Front End's own store, with its
   * private key: a file loaded here proves nothing about that. */
  if (self->loaded == NULL || self->new_cert != self->loaded)
    return TRUE;
  g_set_error (error, TB_RENEWAL_ERROR, TB_RENEWAL_ERROR_NOT_IN_STORE,
               _("The pool’s store does not have %s, as the pool was last read: install it "
                 "in the Front End’s Cert:\\LocalMachine\\My with its private key, read the "
                 "pool again, then stage it."), self->loaded->thumbprint);
  return FALSE;
}

char **
tb_renewal_dup_request_domains (TbPoolState *state)
{
  const TbPoolOAuthConfiguration *config = NULL;
  const TbPoolCertificate *current = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TB_IS_POOL_STATE (state), NULL);

  /* The OAuth realm is the SIP domain; failing that, the name the current certificate has. */
  if (tb_pool_state_get_oauth_configuration (state, &config) == TB_POOL_PRESENT &&
      config != NULL && config->realm != NULL && config->realm[0] != '\0')
    g_strv_builder_add (builder, config->realm);
  else if (tb_pool_state_get_oauth_certificate (state, &current) == TB_POOL_PRESENT &&
           current != NULL && current->certificate != NULL &&
           tb_certificate_get_common_name (current->certificate) != NULL)
    g_strv_builder_add (builder, tb_certificate_get_common_name (current->certificate));
  return g_strv_builder_end (builder);
}
