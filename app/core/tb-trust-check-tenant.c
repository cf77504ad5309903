/* tb-trust-check-tenant.c: the Microsoft 365 half of the trust, one function per check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-trust-check-tenant"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit.h"
#include "tb-format.h"
#include "tb-pool-script.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-trust-check.h"
#include "tb-trust-check-private.h"

/* ---- Microsoft 365 half ----------------------------------------------------------------- */

static TbKeyCredential *
find_credential (TbServicePrincipal *sp,
                 TbCertificate      *cert)
{
  GPtrArray *keys = tb_service_principal_get_key_credentials (sp);

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    if (tb_key_credential_matches_certificate (g_ptr_array_index (keys, i), cert))
      return g_ptr_array_index (keys, i);
  return NULL;
}

/* One of the pool's OAuthTokenIssuer certificates other than @cert (previous ones, from
 * Get-CsCertificate) that @sp holds, or NULL: the cloud side of a renewal not yet uploaded. */
static TbCertificate *
find_earlier_pool_certificate (TbWorkspace        *ws,
                               TbServicePrincipal *sp,
                               TbCertificate      *cert)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  GPtrArray *certs = state != NULL ? tb_pool_state_get_oauth_certificates (state) : NULL;

  for (guint i = 0; certs != NULL && i < certs->len; i++)
    {
      const TbPoolCertificate *pc = g_ptr_array_index (certs, i);

      if (pc->certificate == NULL || pc->role == NULL ||
          !g_str_equal (pc->role, TB_POOL_CERT_ROLE_PREVIOUS) ||
          g_str_equal (tb_certificate_get_sha1 (pc->certificate), tb_certificate_get_sha1 (cert)))
        continue;
      if (find_credential (sp, pc->certificate) != NULL)
        return pc->certificate;
    }
  return NULL;
}

/* Whether @k is for any OAuthTokenIssuer certificate the pool lists (current, staged or
 * previous): such a credential is this pool's, explained. */
static gboolean
is_pool_certificate_credential (TbWorkspace     *ws,
                                TbKeyCredential *k)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  GPtrArray *certs = state != NULL ? tb_pool_state_get_oauth_certificates (state) : NULL;

  for (guint i = 0; certs != NULL && i < certs->len; i++)
    {
      const TbPoolCertificate *pc = g_ptr_array_index (certs, i);

      if (pc->certificate != NULL && tb_key_credential_matches_certificate (k, pc->certificate))
        return TRUE;
    }
  return FALSE;
}

/* @credential holds the pool's certificate @cert: ok, unless it ends before the certificate. */
static void
check_credential_end (TbTrustReport   *report,
                      const char      *id,
                      const char      *app_id,
                      const char      *name,
                      const char      *context_note,
                      TbCertificate   *cert,
                      TbKeyCredential *credential)
{
  GDateTime *end;
  g_autofree char *cert_end = NULL;
  g_autofree char *cred_end = NULL;

  end = tb_key_credential_get_end (credential);
  _tb_trust_add_expiry (report, "credential", app_id, tb_key_credential_get_key_id (credential),
                        tb_key_credential_get_thumbprint (credential), end);
  cert_end = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
  if (end != NULL && g_date_time_compare (end, tb_certificate_get_not_after (cert)) < 0)
    {
      cred_end = tb_format_iso8601_utc (end);
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_WARNING,
                     g_strdup_printf (_("%s holds the certificate %s, but the credential ends %s, "
                                        "before the certificate (%s).%s"),
                                      name, tb_certificate_get_sha1 (cert), cred_end, cert_end,
                                      context_note),
                     g_strdup_printf (_("Replace the credential %s on %s with one ending %s "
                                        "(remove it, then Establish Trust adds the certificate "
                                        "again)."),
                                      tb_key_credential_get_key_id (credential), name, cert_end));
      return;
    }
  _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
                 g_strdup_printf (_("%s holds the pool’s certificate %s until %s.%s"), name,
                                  tb_certificate_get_sha1 (cert), cert_end, context_note), NULL);
}

/* @optional: the upload is opt-in (Exchange Online, whose shared principal Microsoft retired
 * for Exchange hybrid on 31 October 2025): a principal without the pool's certificate, or
 * without a service principal at all, is then ok; one holding only an earlier certificate of
 * the pool, or a credential ending before the certificate, still warns. */
void
_tb_trust_check_credential (TbTrustReport *report,
                            TbWorkspace   *ws,
                            const char    *id,
                            const char    *app_id,
                            const char    *name,
                            const char    *context_note,
                            gboolean       optional)
{
  TbCertificate *earlier;
  TbCertificate *cert = tb_workspace_get_trust_certificate (ws);
  TbServicePrincipal *sp;
  TbKeyCredential *credential;
  g_autofree char *fix = NULL;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      _tb_trust_add_tenant_unread (report, id);
      return;
    }
  if (cert == NULL)
    {
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN,
                     g_strdup (_("Unknown: the pool’s OAuthTokenIssuer certificate is not known.")),
                     g_strdup (_tb_trust_pool_missing_fix ()));
      return;
    }
  sp = tb_workspace_get_principal (ws, app_id);
  /* Translators: %s is a service principal's name, then the certificate's SHA-1, then its
   * application ID. */
  fix = g_strdup_printf (_("Add the certificate %s to %s’s key credentials, keeping the others "
                           "(Establish Trust; or trust-bridge-cli credentials add --cert FILE --to "
                           "%s)."),
                         tb_certificate_get_sha1 (cert), name, app_id);
  if (sp == NULL && optional)
    {
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
                     g_strdup_printf (_("%s (%s) has no service principal in this tenant; the "
                                        "upload to it is "
                                        "optional.%s"), name, app_id, context_note), NULL);
      return;
    }
  if (sp == NULL)
    {
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("%s (%s) has no service principal in this tenant.%s"), name,
                                      app_id, context_note),
                     g_strdup_printf (_("Create the service principal for %s "
                                        "(New-MgServicePrincipal -AppId %s), then add the "
                                        "certificate."), name, app_id));
      return;
    }
  credential = find_credential (sp, cert);
  earlier = credential == NULL ? find_earlier_pool_certificate (ws, sp, cert) : NULL;
  if (credential == NULL && earlier != NULL)
    {
      /* Translators: a service principal's name, the pool's current certificate's SHA-1, the
       * SHA-1 of the pool's earlier certificate, then a note about the principal or nothing. */
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365,
                     optional ? TB_TRUST_STATUS_WARNING : TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("%s does not hold the pool’s certificate %s, only its "
                                        "earlier certificate "
                                        "%s.%s"), name, tb_certificate_get_sha1 (cert),
                                      tb_certificate_get_sha1 (earlier), context_note),
                     g_steal_pointer (&fix));
      return;
    }
  if (credential == NULL && optional)
    {
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
                     g_strdup_printf (_("%s does not hold the pool’s certificate; the upload to it "
                                        "is optional.%s"), name, context_note), NULL);
      return;
    }
  if (credential == NULL)
    {
      _tb_trust_add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("%s does not hold the pool’s certificate %s.%s"), name,
                                      tb_certificate_get_sha1 (cert), context_note),
                     g_steal_pointer (&fix));
      return;
    }
  check_credential_end (report, id, app_id, name, context_note, cert, credential);
}

/* Enabled matters only while Exchange Online holds a certificate of the pool: the upload is
 * opt-in, and a disabled principal without one breaks nothing. */
void
_tb_trust_check_exchange_enabled (TbTrustReport *report,
                                  TbWorkspace   *ws)
{
  TbServicePrincipal *sp;
  GPtrArray *keys;
  gboolean holds_pool_certificate = FALSE;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      _tb_trust_add_tenant_unread (report, TB_TRUST_CHECK_EXCHANGE_ENABLED);
      return;
    }
  sp = tb_workspace_get_principal (ws, TB_APP_ID_EXCHANGE_ONLINE);
  keys = sp != NULL ? tb_service_principal_get_key_credentials (sp) : NULL;
  for (guint i = 0; keys != NULL && i < keys->len && !holds_pool_certificate; i++)
    {
      TbKeyCredential *k = g_ptr_array_index (keys, i);
      TbCertificate *cert = tb_workspace_get_trust_certificate (ws);

      holds_pool_certificate = (cert != NULL && tb_key_credential_matches_certificate (k, cert)) ||
                               is_pool_certificate_credential (ws, k);
    }
  if (sp == NULL)
    _tb_trust_add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
                   TB_TRUST_STATUS_OK,
                   g_strdup (_("Office 365 Exchange Online has no service principal in this "
                               "tenant; nothing of this trust uses it.")), NULL);
  else if (!tb_service_principal_get_account_enabled (sp) && !holds_pool_certificate)
    _tb_trust_add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
                   TB_TRUST_STATUS_OK,
                   g_strdup (_("Office 365 Exchange Online’s service principal is disabled; it "
                               "holds no certificate of this pool, so nothing of this trust uses "
                               "it.")),
                               NULL);
  else if (!tb_service_principal_get_account_enabled (sp))
    _tb_trust_add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
                   TB_TRUST_STATUS_FAILED,
                   g_strdup (_("Office 365 Exchange Online’s service principal is disabled.")),
                   g_strdup_printf (_("Enable it (Establish Trust; or trust-bridge-cli principals "
                                      "enable %s)."), TB_APP_ID_EXCHANGE_ONLINE));
  else
    _tb_trust_add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
                   TB_TRUST_STATUS_OK,
                   g_strdup (_("Office 365 Exchange Online’s service principal is enabled.")),
                   NULL);
}

/* The host of "<app id>/<host>", or NULL when @spn is not of that form. */
static const char *
spn_host (const char *spn,
          const char *app_id)
{
  gsize len = strlen (app_id);

  if (g_ascii_strncasecmp (spn, app_id, len) != 0 || spn[len] != '/')
    return NULL;
  return spn + len + 1;
}

/* Whether @host lies in one of @domains (the tenant's verified domains, or the pool's own
 * parent domains): SPNs on Microsoft's domains are Microsoft's, not the pool's. */
static gboolean
host_in_domains (const char *host,
                 GPtrArray  *domains)
{
  for (guint i = 0; i < domains->len; i++)
    {
      const char *domain = g_ptr_array_index (domains, i);
      gsize hl = strlen (host), dl = strlen (domain);

      if (hl > dl && host[hl - dl - 1] == '.' && g_ascii_strcasecmp (host + hl - dl, domain) == 0)
        return TRUE;
      if (g_ascii_strcasecmp (host, domain) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The pool's external web services FQDNs that no SPN of @names names. */
static GPtrArray *
missing_fqdns (const char * const *fqdns,
               const char * const *names)
{
  GPtrArray *missing = g_ptr_array_new ();

  for (guint i = 0; fqdns[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; names != NULL && names[j] != NULL && !found; j++)
        {
          const char *host = spn_host (names[j], TB_APP_ID_SKYPE_ONLINE);

          found = host != NULL && g_ascii_strcasecmp (host, fqdns[i]) == 0;
        }
      if (!found)
        g_ptr_array_add (missing, (gpointer) fqdns[i]);
    }
  return missing;
}

/* Reported, never removed: an SPN on one of the organization's domains that no external
 * web services FQDN of this pool explains (another pool may still use it). */
static GPtrArray *
stale_spns (TbOrganization     *org,
            const char * const *fqdns,
            const char * const *names)
{
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *stale = g_ptr_array_new ();

  if (org != NULL)
    {
      GPtrArray *verified = tb_organization_get_verified_domains (org);

      for (guint i = 0; i < verified->len; i++)
        {
          const TbVerifiedDomain *d = g_ptr_array_index (verified, i);

          if (!g_str_has_suffix (d->name, ".onmicrosoft.com"))
            g_ptr_array_add (domains, g_strdup (d->name));
        }
    }
  for (guint i = 0; fqdns[i] != NULL; i++)
    {
      const char *dot = strchr (fqdns[i], '.');

      if (dot != NULL && strchr (dot + 1, '.') != NULL)
        g_ptr_array_add (domains, g_strdup (dot + 1));
    }
  for (guint j = 0; names != NULL && names[j] != NULL; j++)
    {
      const char *host = spn_host (names[j], TB_APP_ID_SKYPE_ONLINE);
      g_autofree char *lower = NULL;

      if (host == NULL || strchr (host, '*') != NULL || !host_in_domains (host, domains) ||
          g_strv_contains (fqdns, host))
        continue;
      lower = g_ascii_strdown (host, -1);
      if (!g_strv_contains (fqdns, lower))
        g_ptr_array_add (stale, (gpointer) names[j]);
    }
  return stale;
}

void
_tb_trust_check_spns (TbTrustReport *report,
                      TbWorkspace   *ws)
{
  g_auto(GStrv) fqdns = tb_workspace_dup_trust_fqdns (ws);
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GPtrArray) stale = NULL;
  TbServicePrincipal *sp;
  const char * const *names;
  g_autofree char *list = NULL;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      _tb_trust_add_tenant_unread (report, TB_TRUST_CHECK_SPNS);
      return;
    }
  if (fqdns == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_UNKNOWN,
                     g_strdup (_("Unknown: the pool’s external web services FQDNs are not known.")),
                     g_strdup (_("Read the pool, or give the external web services FQDNs "
                                 "(--fqdn).")));
      return;
    }
  sp = tb_workspace_get_principal (ws, TB_APP_ID_SKYPE_ONLINE);
  if (sp == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup (_("Skype for Business Online has no service principal in this "
                                 "tenant.")),
                     g_strdup_printf ("New-MgServicePrincipal -AppId %s",
                                      TB_APP_ID_SKYPE_ONLINE));
      return;
    }
  names = tb_service_principal_get_names (sp);
  missing = missing_fqdns ((const char * const *) fqdns, names);
  stale = stale_spns (tb_workspace_get_organization (ws), (const char * const *) fqdns, names);

  if (missing->len > 0)
    {
      g_autoptr(GString) spns = g_string_new (NULL);

      for (guint i = 0; i < missing->len; i++)
        g_string_append_printf (spns, "%s%s/%s", i > 0 ? " " : "", TB_APP_ID_SKYPE_ONLINE,
                                (const char *) g_ptr_array_index (missing, i));
      g_ptr_array_add (missing, NULL);
      list = g_strjoinv (" ", (char **) missing->pdata);
      _tb_trust_add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("Skype for Business Online lacks the service principal "
                                        "names %s."), spns->str),
                     g_strdup_printf (_("Add them (Establish Trust; or trust-bridge-cli spn add "
                                        "--to %s %s)."), TB_APP_ID_SKYPE_ONLINE, list));
      return;
    }
  if (stale->len > 0)
    {
      g_ptr_array_add (stale, NULL);
      list = g_strjoinv (", ", (char **) stale->pdata);
      _tb_trust_add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_WARNING,
                     g_strdup_printf (_("Every external web services FQDN is an SPN; these name "
                                        "FQDNs the pool no longer has: %s."), list),
                     g_strdup_printf (_("If no other pool uses them, remove them on the Service "
                                        "Principals page (trust-bridge-cli spn remove --from %s "
                                        "SPN…)."), TB_APP_ID_SKYPE_ONLINE));
      return;
    }
  list = g_strjoinv (", ", fqdns);
  _tb_trust_add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
                 g_strdup_printf (_("Every external web services FQDN is an SPN of Skype for "
                                    "Business Online: %s."), list), NULL);
}

void
_tb_trust_check_next_certificate (TbTrustReport             *report,
                                  TbWorkspace               *ws,
                                  const TbTrustCheckOptions *options)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  TbCertificate *staged;
  GDateTime *effective;
  TbServicePrincipal *sp;
  g_autofree char *when = NULL;
  g_autofree char *fix = NULL;

  if (state == NULL)
    {
      _tb_trust_add_pool_unread (report, TB_TRUST_CHECK_NEXT_CERTIFICATE,
                                 TB_TRUST_HALF_MICROSOFT365);
      return;
    }
  staged = tb_pool_state_get_staged_certificate (state);
  if (staged == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_OK,
                     g_strdup (_("The pool has no staged OAuthTokenIssuer certificate.")), NULL);
      return;
    }
  _tb_trust_add_expiry (report, "staged", NULL, NULL, tb_certificate_get_sha1 (staged),
                        tb_certificate_get_not_after (staged));
  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      _tb_trust_add_tenant_unread (report, TB_TRUST_CHECK_NEXT_CERTIFICATE);
      return;
    }
  effective = tb_pool_state_get_staged_effective_date (state);
  when = effective != NULL ? tb_format_iso8601_utc (effective) : g_strdup ("—");
  sp = tb_workspace_get_principal (ws, TB_APP_ID_SKYPE_ONLINE);
  if (sp != NULL && find_credential (sp, staged) != NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_OK,
                     g_strdup_printf (_("The staged certificate %s (effective %s) is already in "
                                        "the "
                                        "cloud."), tb_certificate_get_sha1 (staged), when), NULL);
      return;
    }
  fix = g_strdup_printf (_("Add the staged certificate %s to Skype for Business Online’s key "
                           "credentials before %s (trust-bridge-cli credentials add --cert FILE "
                           "--to %s)."), tb_certificate_get_sha1 (staged), when,
                         TB_APP_ID_SKYPE_ONLINE);
  _tb_trust_add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
                 effective != NULL && g_date_time_compare (effective, options->now) > 0
                   ? TB_TRUST_STATUS_WARNING : TB_TRUST_STATUS_FAILED,
                 g_strdup_printf (_("The staged certificate %s becomes effective %s and is not in "
                                    "the cloud yet."), tb_certificate_get_sha1 (staged), when),
                 g_steal_pointer (&fix));
}

void
_tb_trust_check_unexplained (TbTrustReport             *report,
                             TbWorkspace               *ws,
                             const TbTrustCheckOptions *options)
{
  const char *app_ids[] = { TB_APP_ID_SKYPE_ONLINE, TB_APP_ID_EXCHANGE_ONLINE };
  TbCertificate *cert = tb_workspace_get_trust_certificate (ws);
  TbCertificate *staged = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  guint n = 0;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      _tb_trust_add_tenant_unread (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS);
      return;
    }
  if (cert == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_UNKNOWN,
                     g_strdup (_("Unknown: without the pool’s certificate no credential can be "
                                 "explained.")),
                     g_strdup (_tb_trust_pool_missing_fix ()));
      return;
    }
  if (tb_workspace_get_pool_state (ws) != NULL)
    staged = tb_pool_state_get_staged_certificate (tb_workspace_get_pool_state (ws));

  for (guint a = 0; a < G_N_ELEMENTS (app_ids); a++)
    {
      TbServicePrincipal *sp = tb_workspace_get_principal (ws, app_ids[a]);
      GPtrArray *keys = sp != NULL ? tb_service_principal_get_key_credentials (sp) : NULL;

      for (guint i = 0; keys != NULL && i < keys->len; i++)
        {
          TbKeyCredential *k = g_ptr_array_index (keys, i);
          const char *key_id = tb_key_credential_get_key_id (k);
          g_autofree char *end = NULL;

          if (tb_key_credential_matches_certificate (k, cert) ||
              (staged != NULL && tb_key_credential_matches_certificate (k, staged)) ||
              is_pool_certificate_credential (ws, k))
            continue;
          if (options->known_key_ids != NULL && key_id != NULL &&
              g_strv_contains (options->known_key_ids, key_id))
            continue;
          if (options->known_settings != NULL && key_id != NULL &&
              tb_workspace_get_tenant_id (ws) != NULL)
            {
              g_autofree char *note =
                tb_audit_known_lookup (options->known_settings, tb_workspace_get_tenant_id (ws),
                                       key_id, tb_key_credential_get_thumbprint (k));

              if (note != NULL)
                continue;
            }
          end = tb_key_credential_get_end (k) != NULL
                  ? tb_format_iso8601_utc (tb_key_credential_get_end (k)) : g_strdup ("—");
          _tb_trust_add_expiry (report, "credential", app_ids[a], key_id,
                                tb_key_credential_get_thumbprint (k),
                                tb_key_credential_get_end (k));
          /* Translators: one credential in a list: display name, keyId, thumbprint, end date. */
          g_string_append_printf (list, _("%s%s on %s (keyId %s, thumbprint %s, ends %s)"),
                                  n > 0 ? "; " : "",
                                  tb_key_credential_get_display_name (k) != NULL
                                    ? tb_key_credential_get_display_name (k) : _("a credential"),
                                  tb_service_principal_get_display_name (sp) != NULL
                                    ? tb_service_principal_get_display_name (sp) : app_ids[a],
                                  key_id != NULL ? key_id : "—",
                                  tb_key_credential_get_thumbprint (k) != NULL
                                    ? tb_key_credential_get_thumbprint (k) : "—", end);
          n++;
        }
    }

  if (n == 0)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
                     TB_TRUST_STATUS_OK,
                     g_strdup (_("Every credential on these principals is a certificate of this "
                                 "pool.")),
                     NULL);
      return;
    }
  _tb_trust_add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
                 TB_TRUST_STATUS_WARNING,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%u credential matches no certificate of this pool: "
                                               "%s.",
                                               "%u credentials match no certificate of this pool: "
                                               "%s.", n),
                                  n, list->str),
                 g_strdup (_("Review them on the Service Principals page; remove one only when you "
                             "know nothing uses it (trust-bridge-cli credentials remove --from "
                             "APPID --key-id GUID).")));
}
