/* tb-trust-check.c: the state of the whole trust, pool and tenant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-audit.h"
#include "tb-format.h"
#include "tb-pool-script.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-trust-check.h"

G_DEFINE_QUARK (tb-trust-check-error-quark, tb_trust_check_error)

/* Exchange Online's shared principal: Microsoft blocked Exchange hybrid through it on
 * 31 October 2025 (a tenant-owned dedicated hybrid app replaces it), and Exchange Online Web
 * Services are switched off on 1 April 2027. */

const char *
tb_trust_status_to_string (TbTrustStatus status)
{
  switch (status)
    {
    case TB_TRUST_STATUS_OK:
      return "ok";
    case TB_TRUST_STATUS_WARNING:
      return "warning";
    case TB_TRUST_STATUS_FAILED:
      return "failed";
    case TB_TRUST_STATUS_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
tb_trust_half_to_string (TbTrustHalf half)
{
  return half == TB_TRUST_HALF_POOL ? "pool" : "microsoft365";
}

static void
trust_check_free (TbTrustCheck *check)
{
  g_free (check->detail);
  g_free (check->fix);
  g_free (check);
}

static void
trust_expiry_free (TbTrustExpiry *expiry)
{
  g_free (expiry->app_id);
  g_free (expiry->key_id);
  g_free (expiry->thumbprint);
  g_clear_pointer (&expiry->not_after, g_date_time_unref);
  g_free (expiry);
}

void
tb_trust_report_free (TbTrustReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->checks);
  g_ptr_array_unref (report->expiries);
  g_free (report);
}

/* Takes @detail and @fix. */
static void
add (TbTrustReport *report,
     const char    *id,
     TbTrustHalf    half,
     TbTrustStatus  status,
     char          *detail,
     char          *fix)
{
  TbTrustCheck *check = g_new0 (TbTrustCheck, 1);

  check->id = id;
  check->half = half;
  check->status = status;
  check->detail = detail;
  check->fix = status == TB_TRUST_STATUS_OK ? (g_free (fix), NULL) : fix;
  g_ptr_array_add (report->checks, check);
}

static void
add_expiry (TbTrustReport *report,
            const char    *role,
            const char    *app_id,
            const char    *key_id,
            const char    *thumbprint,
            GDateTime     *not_after)
{
  TbTrustExpiry *expiry;

  if (not_after == NULL)
    return;
  expiry = g_new0 (TbTrustExpiry, 1);
  expiry->role = role;
  expiry->app_id = g_strdup (app_id);
  expiry->key_id = g_strdup (key_id);
  expiry->thumbprint = g_strdup (thumbprint);
  expiry->not_after = g_date_time_ref (not_after);
  g_ptr_array_add (report->expiries, expiry);
}

/* ---- Inputs --------------------------------------------------------------------------- */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The ACS base without a trailing slash; https://, or http:// to loopback only (a metadata
 * document fetched in the clear could name any realm). */
static char *
normalize_acs_base (const char  *acs_base,
                    GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *base = NULL;
  const char *scheme;
  gsize len;

  if (acs_base == NULL)
    acs_base = TB_POOL_DEFAULT_ACS_BASE;
  uri = g_uri_parse (acs_base, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      !(g_ascii_strcasecmp (scheme, "https") == 0 ||
        (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri)))))
    {
      g_set_error (error, TB_TRUST_CHECK_ERROR, TB_TRUST_CHECK_ERROR_BAD_ACS_BASE,
                   _("The ACS address “%s” must be an https:// URL (http:// only to a loopback "
                     "address) without a query."), acs_base);
      return NULL;
    }
  base = g_strdup (acs_base);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_steal_pointer (&base);
}

/* Same URL when the scheme and host match case-insensitively and the rest exactly. */
static gboolean
url_equal (const char *have,
           const char *want)
{
  const char *have_rest = strstr (have, "://");
  const char *want_rest = strstr (want, "://");
  const char *have_path, *want_path;

  if (have_rest == NULL || want_rest == NULL)
    return FALSE;
  have_path = strchr (have_rest + 3, '/');
  want_path = strchr (want_rest + 3, '/');
  if (have_path == NULL || want_path == NULL || have_path - have != want_path - want)
    return FALSE;
  return g_ascii_strncasecmp (have, want, have_path - have) == 0 &&
         g_str_equal (have_path, want_path);
}

static const char *pool_missing_fix (void)
{
  return _("Read the pool: connect to a Front End on the Pool page (trust check --pool-host), "
           "or bring back the read script’s state file (--pool-state).");
}

static char *
pool_unknown (void)
{
  return g_strdup (_("Unknown: the pool has not been read."));
}

static char *
tenant_unknown (void)
{
  return g_strdup (_("Unknown: the tenant’s service principals have not been read."));
}

static const char *tenant_missing_fix (void)
{
  return _("Sign in to the tenant (the app, or trust-bridge-cli principals show) so its "
           "service principals can be read.");
}

/* ---- Pool half -------------------------------------------------------------------------- */

static void
check_tenant_realm (TbTrustReport *report,
                    TbWorkspace   *ws,
                    const char    *acs_base)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  const char *tenant_id = tb_workspace_get_tenant_id (ws);
  TbTenant *tenant = tb_workspace_get_tenant (ws);
  const TbPoolOAuthServer *sts;
  g_autofree char *expected = NULL;
  g_autofree char *fix = NULL;
  GPtrArray *servers;

  if (tenant_id == NULL)
    {
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
           g_strdup (_("Unknown: no tenant of record.")),
           g_strdup (_("Give the tenant ID (--tenant) or sign in to the tenant.")));
      return;
    }
  expected = g_strdup_printf ("%s/%s/metadata/json/1", acs_base, tenant_id);
  fix = g_strdup_printf ("Set-CsOAuthServer -Identity %s -MetadataUrl %s",
                         TB_POOL_OAUTH_SERVER_IDENTITY, expected);

  if (state == NULL || (servers = tb_pool_state_get_oauth_servers (state)) == NULL)
    {
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
           state == NULL ? pool_unknown ()
                         : g_strdup (_("Unknown: the pool’s OAuth servers were not read.")),
           g_strdup (pool_missing_fix ()));
      return;
    }

  sts = tb_pool_state_find_oauth_server (state, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL || sts->metadata_url == NULL)
    {
      /* oauth-server reports the missing server; the realm cannot be right without it. */
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("The pool has no metadata URL for this tenant; it should be %s."),
                            expected),
           g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl %s",
                            TB_POOL_OAUTH_SERVER_IDENTITY, expected));
      return;
    }
  if (!url_equal (sts->metadata_url, expected))
    {
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("The pool’s metadata URL %s names another tenant or cloud; it "
                              "should be %s."), sts->metadata_url, expected),
           g_steal_pointer (&fix));
      return;
    }
  if (tenant == NULL || !tb_tenant_get_metadata_checked (tenant))
    {
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
           g_strdup_printf (_("The pool’s metadata URL is %s, but the tenant’s ACS metadata "
                              "document was not read."), expected),
           g_strdup (_("Check the tenant (Tenant page, or trust-bridge-cli tenant resolve) so "
                       "its ACS metadata is read.")));
      return;
    }
  if (!tb_tenant_get_metadata_realm_ok (tenant))
    {
      add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("The ACS metadata document answers with the realm %s, not %s."),
                            tb_tenant_get_metadata_realm (tenant)
                              ? tb_tenant_get_metadata_realm (tenant) : "—", tenant_id),
           g_strdup (_("Check the tenant ID and the cloud (Preferences, or --cloud / "
                       "--endpoints).")));
      return;
    }
  add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_OK,
       g_strdup_printf (_("The pool’s metadata URL names tenant %s, and its ACS metadata answers "
                          "with that realm."), tenant_id), NULL);
}

static void
check_oauth_server (TbTrustReport *report,
                    TbPoolState   *state,
                    const char    *expected)
{
  const TbPoolOAuthServer *sts;

  if (state == NULL || tb_pool_state_get_oauth_servers (state) == NULL)
    {
      add (report, TB_TRUST_CHECK_OAUTH_SERVER, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
           state == NULL ? pool_unknown ()
                         : g_strdup (_("Unknown: the pool’s OAuth servers were not read.")),
           g_strdup (pool_missing_fix ()));
      return;
    }
  sts = tb_pool_state_find_oauth_server (state, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL)
    {
      add (report, TB_TRUST_CHECK_OAUTH_SERVER, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("There is no OAuth server %s."), TB_POOL_OAUTH_SERVER_IDENTITY),
           expected != NULL
             ? g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl %s",
                                TB_POOL_OAUTH_SERVER_IDENTITY, expected)
             : g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl "
                                "<ACS>/<tenant ID>/metadata/json/1",
                                TB_POOL_OAUTH_SERVER_IDENTITY));
      return;
    }
  add (report, TB_TRUST_CHECK_OAUTH_SERVER, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_OK,
       g_strdup_printf (_("OAuth server %s exists with the metadata URL %s."),
                        TB_POOL_OAUTH_SERVER_IDENTITY,
                        sts->metadata_url != NULL ? sts->metadata_url : "—"), NULL);
}

static TbTrustStatus
from_pool_result (TbPoolCheckResult result)
{
  switch (result)
    {
    case TB_POOL_CHECK_OK:
      return TB_TRUST_STATUS_OK;
    case TB_POOL_CHECK_FAILED:
      return TB_TRUST_STATUS_FAILED;
    case TB_POOL_CHECK_UNKNOWN:
    default:
      return TB_TRUST_STATUS_UNKNOWN;
    }
}

/* The four partner application items of the pool's own check as one: the first that is not
 * ok speaks for all. */
static void
check_partner (TbTrustReport *report,
               TbPoolState   *state,
               GPtrArray     *pool_checks)
{
  const TbPoolCheck *worst = NULL;
  const TbPoolPartnerApplication *app;
  g_autofree char *fix = NULL;

  if (state == NULL)
    {
      add (report, TB_TRUST_CHECK_PARTNER_APPLICATION, TB_TRUST_HALF_POOL,
           TB_TRUST_STATUS_UNKNOWN, pool_unknown (), g_strdup (pool_missing_fix ()));
      return;
    }
  for (guint i = 0; i < pool_checks->len; i++)
    {
      const TbPoolCheck *c = g_ptr_array_index (pool_checks, i);

      if (!g_str_has_prefix (c->item, TB_POOL_CHECK_PARTNER_APPLICATION))
        continue;
      if (worst == NULL || (worst->ok == TB_POOL_CHECK_OK && c->ok != TB_POOL_CHECK_OK) ||
          (worst->ok == TB_POOL_CHECK_UNKNOWN && c->ok == TB_POOL_CHECK_FAILED))
        worst = c;
    }
  g_assert (worst != NULL);

  app = tb_pool_state_find_partner_application (state, TB_POOL_PARTNER_APPLICATION_IDENTITY);
  if (worst->ok == TB_POOL_CHECK_UNKNOWN)
    fix = g_strdup (pool_missing_fix ());
  else if (app == NULL)
    fix = g_strdup_printf ("New-CsPartnerApplication -Identity %s -ApplicationIdentifier %s "
                           "-ApplicationTrustLevel Full -UseOAuthServer",
                           TB_POOL_PARTNER_APPLICATION_IDENTITY, TB_POOL_EXCHANGE_APPLICATION_ID);
  else if (app->application_identifier != NULL &&
           g_ascii_strcasecmp (app->application_identifier, TB_POOL_EXCHANGE_APPLICATION_ID) != 0)
    /* Set-CsPartnerApplication cannot change the identifier. */
    fix = g_strdup_printf ("Remove-CsPartnerApplication -Identity %s; New-CsPartnerApplication "
                           "-Identity %s -ApplicationIdentifier %s -ApplicationTrustLevel Full "
                           "-UseOAuthServer",
                           TB_POOL_PARTNER_APPLICATION_IDENTITY,
                           TB_POOL_PARTNER_APPLICATION_IDENTITY, TB_POOL_EXCHANGE_APPLICATION_ID);
  else
    fix = g_strdup_printf ("Set-CsPartnerApplication -Identity %s -ApplicationTrustLevel Full "
                           "-UseOAuthServer -Enabled $true", TB_POOL_PARTNER_APPLICATION_IDENTITY);

  add (report, TB_TRUST_CHECK_PARTNER_APPLICATION, TB_TRUST_HALF_POOL,
       from_pool_result (worst->ok),
       worst->ok == TB_POOL_CHECK_OK
         ? g_strdup_printf (_("Partner application %s is enabled with the application "
                              "identifier %s, trust level Full, using the OAuth server."),
                            TB_POOL_PARTNER_APPLICATION_IDENTITY,
                            TB_POOL_EXCHANGE_APPLICATION_ID)
         : g_strdup (worst->detail),
       g_steal_pointer (&fix));
}

static void
check_service_name (TbTrustReport *report,
                    TbPoolState   *state,
                    GPtrArray     *pool_checks)
{
  if (state == NULL)
    {
      add (report, TB_TRUST_CHECK_OAUTH_SERVICE_NAME, TB_TRUST_HALF_POOL,
           TB_TRUST_STATUS_UNKNOWN, pool_unknown (), g_strdup (pool_missing_fix ()));
      return;
    }
  for (guint i = 0; i < pool_checks->len; i++)
    {
      const TbPoolCheck *c = g_ptr_array_index (pool_checks, i);

      if (!g_str_equal (c->item, TB_POOL_CHECK_OAUTH_SERVICE_NAME))
        continue;
      add (report, TB_TRUST_CHECK_OAUTH_SERVICE_NAME, TB_TRUST_HALF_POOL,
           from_pool_result (c->ok), g_strdup (c->detail),
           c->ok == TB_POOL_CHECK_UNKNOWN
             ? g_strdup (pool_missing_fix ())
             : g_strdup_printf ("Set-CsOAuthConfiguration -ServiceName %s",
                                TB_POOL_SKYPE_SERVICE_NAME));
      return;
    }
  g_assert_not_reached ();
}

static void
check_pool_certificate (TbTrustReport             *report,
                        TbWorkspace               *ws,
                        const TbTrustCheckOptions *options)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  const TbPoolCertificate *pool_cert = NULL;
  TbPoolPresence presence = TB_POOL_UNKNOWN;
  TbCertificate *cert;
  const char *renew_fix = _("Renew the OAuthTokenIssuer certificate on the pool "
                            "(Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint <new> "
                            "-EffectiveDate <date> -Roll), then upload it with Establish Trust.");
  g_autofree char *until = NULL;
  g_autofree char *phrase = NULL;
  const char *key;

  if (state != NULL)
    presence = tb_pool_state_get_oauth_certificate (state, &pool_cert);
  if (state != NULL && presence == TB_POOL_ABSENT)
    {
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup (_("The pool has no OAuthTokenIssuer certificate.")),
           g_strdup ("Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint <thumbprint>"));
      return;
    }
  if (state != NULL && presence == TB_POOL_PRESENT && pool_cert->certificate == NULL &&
      pool_cert->raw_data_error != NULL)
    {
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("The OAuthTokenIssuer certificate could not be read: %s"),
                            pool_cert->raw_data_error),
           g_strdup (pool_missing_fix ()));
      return;
    }

  cert = tb_workspace_get_trust_certificate (ws);
  if (cert == NULL)
    {
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
           state == NULL ? pool_unknown ()
                         : g_strdup (_("Unknown: the OAuthTokenIssuer certificate was not "
                                       "read.")),
           g_strdup (_("Read the pool, or choose the OAuthTokenIssuer certificate (.cer) on "
                       "the Certificates page (--cert).")));
      return;
    }

  add_expiry (report, "pool", NULL, NULL, tb_certificate_get_sha1 (cert),
              tb_certificate_get_not_after (cert));
  key = tb_certificate_get_key_algorithm (cert);
  if (key == NULL || g_ascii_strncasecmp (key, "RSA", 3) != 0 ||
      tb_certificate_get_key_bits (cert) < 2048)
    {
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("OAuthTokenIssuer certificate %s has a %s key of %u bits; "
                              "server-to-server OAuth needs RSA of at least 2048 bits."),
                            tb_certificate_get_sha1 (cert), key != NULL ? key : "?",
                            tb_certificate_get_key_bits (cert)),
           g_strdup (renew_fix));
      return;
    }

  until = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
  phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (cert),
                                    tb_certificate_get_not_after (cert), options->now);
  switch (tb_certificate_get_status (cert, options->now, options->warn_days))
    {
    case TB_CERTIFICATE_STATUS_VALID:
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_OK,
           g_strdup_printf (_("OAuthTokenIssuer certificate %s (RSA %u) is valid until %s."),
                            tb_certificate_get_sha1 (cert), tb_certificate_get_key_bits (cert),
                            until), NULL);
      break;
    case TB_CERTIFICATE_STATUS_EXPIRING:
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_WARNING,
           g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid but %s."),
                            tb_certificate_get_sha1 (cert), phrase),
           g_strdup (renew_fix));
      break;
    case TB_CERTIFICATE_STATUS_EXPIRED:
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("OAuthTokenIssuer certificate %s is not valid now (%s)."),
                            tb_certificate_get_sha1 (cert), phrase),
           g_strdup (renew_fix));
      break;
    }
}

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

/* @optional: the upload is opt-in (Exchange Online, whose shared principal Microsoft retired
 * for Exchange hybrid on 31 October 2025): a principal without the pool's certificate, or
 * without a service principal at all, is then ok; one holding only an earlier certificate of
 * the pool, or a credential ending before the certificate, still warns. */
static void
check_credential (TbTrustReport *report,
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
  GDateTime *end;
  g_autofree char *fix = NULL;
  g_autofree char *cert_end = NULL;
  g_autofree char *cred_end = NULL;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN, tenant_unknown (),
           g_strdup (tenant_missing_fix ()));
      return;
    }
  if (cert == NULL)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN,
           g_strdup (_("Unknown: the pool’s OAuthTokenIssuer certificate is not known.")),
           g_strdup (pool_missing_fix ()));
      return;
    }
  sp = tb_workspace_get_principal (ws, app_id);
  /* Translators: %s is a service principal's name, then the certificate's SHA-1, then its
   * application ID. */
  fix = g_strdup_printf (_("Add the certificate %s to %s’s key credentials, keeping the others "
                           "(Establish Trust; or trust-bridge-cli credentials add --cert FILE "
                           "--to %s)."),
                         tb_certificate_get_sha1 (cert), name, app_id);
  if (sp == NULL && optional)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
           g_strdup_printf (_("%s (%s) has no service principal in this tenant; the upload to "
                              "it is optional.%s"), name, app_id, context_note), NULL);
      return;
    }
  if (sp == NULL)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("%s (%s) has no service principal in this tenant.%s"), name,
                            app_id, context_note),
           g_strdup_printf (_("Create the service principal for %s (New-MgServicePrincipal "
                              "-AppId %s), then add the certificate."), name, app_id));
      return;
    }
  credential = find_credential (sp, cert);
  earlier = credential == NULL ? find_earlier_pool_certificate (ws, sp, cert) : NULL;
  if (credential == NULL && earlier != NULL)
    {
      /* Translators: a service principal's name, the pool's current certificate's SHA-1, the
       * SHA-1 of the pool's earlier certificate, then a note about the principal or nothing. */
      add (report, id, TB_TRUST_HALF_MICROSOFT365,
           optional ? TB_TRUST_STATUS_WARNING : TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("%s does not hold the pool’s certificate %s, only its earlier "
                              "certificate %s.%s"), name, tb_certificate_get_sha1 (cert),
                            tb_certificate_get_sha1 (earlier), context_note),
           g_steal_pointer (&fix));
      return;
    }
  if (credential == NULL && optional)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
           g_strdup_printf (_("%s does not hold the pool’s certificate; the upload to it is "
                              "optional.%s"), name, context_note), NULL);
      return;
    }
  if (credential == NULL)
    {
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("%s does not hold the pool’s certificate %s.%s"), name,
                            tb_certificate_get_sha1 (cert), context_note),
           g_steal_pointer (&fix));
      return;
    }
  end = tb_key_credential_get_end (credential);
  add_expiry (report, "credential", app_id, tb_key_credential_get_key_id (credential),
              tb_key_credential_get_thumbprint (credential), end);
  cert_end = tb_format_iso8601_utc (tb_certificate_get_not_after (cert));
  if (end != NULL && g_date_time_compare (end, tb_certificate_get_not_after (cert)) < 0)
    {
      cred_end = tb_format_iso8601_utc (end);
      add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_WARNING,
           g_strdup_printf (_("%s holds the certificate %s, but the credential ends %s, before "
                              "the certificate (%s).%s"),
                            name, tb_certificate_get_sha1 (cert), cred_end, cert_end,
                            context_note),
           g_strdup_printf (_("Replace the credential %s on %s with one ending %s (remove it, "
                              "then Establish Trust adds the certificate again)."),
                            tb_key_credential_get_key_id (credential), name, cert_end));
      return;
    }
  add (report, id, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
       g_strdup_printf (_("%s holds the pool’s certificate %s until %s.%s"), name,
                        tb_certificate_get_sha1 (cert), cert_end, context_note), NULL);
}

/* Enabled matters only while Exchange Online holds a certificate of the pool: the upload is
 * opt-in, and a disabled principal without one breaks nothing. */
static void
check_exchange_enabled (TbTrustReport *report,
                        TbWorkspace   *ws)
{
  TbServicePrincipal *sp;
  GPtrArray *keys;
  gboolean holds_pool_certificate = FALSE;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_UNKNOWN, tenant_unknown (), g_strdup (tenant_missing_fix ()));
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
    add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
         TB_TRUST_STATUS_OK,
         g_strdup (_("Office 365 Exchange Online has no service principal in this tenant; "
                     "nothing of this trust uses it.")), NULL);
  else if (!tb_service_principal_get_account_enabled (sp) && !holds_pool_certificate)
    add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
         TB_TRUST_STATUS_OK,
         g_strdup (_("Office 365 Exchange Online’s service principal is disabled; it holds no "
                     "certificate of this pool, so nothing of this trust uses it.")), NULL);
  else if (!tb_service_principal_get_account_enabled (sp))
    add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365,
         TB_TRUST_STATUS_FAILED,
         g_strdup (_("Office 365 Exchange Online’s service principal is disabled.")),
         g_strdup_printf (_("Enable it (Establish Trust; or trust-bridge-cli principals enable "
                            "%s)."), TB_APP_ID_EXCHANGE_ONLINE));
  else
    add (report, TB_TRUST_CHECK_EXCHANGE_ENABLED, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
         g_strdup (_("Office 365 Exchange Online’s service principal is enabled.")), NULL);
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

static void
check_spns (TbTrustReport *report,
            TbWorkspace   *ws)
{
  g_auto(GStrv) fqdns = tb_workspace_dup_trust_fqdns (ws);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) stale = g_ptr_array_new ();
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (g_free);
  TbOrganization *org = tb_workspace_get_organization (ws);
  TbServicePrincipal *sp;
  const char * const *names;
  g_autofree char *list = NULL;

  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN,
           tenant_unknown (), g_strdup (tenant_missing_fix ()));
      return;
    }
  if (fqdns == NULL)
    {
      add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_UNKNOWN,
           g_strdup (_("Unknown: the pool’s external web services FQDNs are not known.")),
           g_strdup (_("Read the pool, or give the external web services FQDNs (--fqdn).")));
      return;
    }
  sp = tb_workspace_get_principal (ws, TB_APP_ID_SKYPE_ONLINE);
  if (sp == NULL)
    {
      add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
           g_strdup (_("Skype for Business Online has no service principal in this tenant.")),
           g_strdup_printf ("New-MgServicePrincipal -AppId %s", TB_APP_ID_SKYPE_ONLINE));
      return;
    }
  names = tb_service_principal_get_names (sp);

  for (guint i = 0; fqdns[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; names != NULL && names[j] != NULL && !found; j++)
        {
          const char *host = spn_host (names[j], TB_APP_ID_SKYPE_ONLINE);

          found = host != NULL && g_ascii_strcasecmp (host, fqdns[i]) == 0;
        }
      if (!found)
        g_ptr_array_add (missing, fqdns[i]);
    }

  /* Reported, never removed: an SPN on one of the organization's domains that no external
   * web services FQDN of this pool explains (another pool may still use it). */
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

      if (host == NULL || strchr (host, '*') != NULL || !host_in_domains (host, domains) ||
          g_strv_contains ((const char * const *) fqdns, host))
        continue;
      {
        g_autofree char *lower = g_ascii_strdown (host, -1);

        if (!g_strv_contains ((const char * const *) fqdns, lower))
          g_ptr_array_add (stale, (gpointer) names[j]);
      }
    }

  if (missing->len > 0)
    {
      g_autoptr(GString) spns = g_string_new (NULL);

      for (guint i = 0; i < missing->len; i++)
        g_string_append_printf (spns, "%s%s/%s", i > 0 ? " " : "", TB_APP_ID_SKYPE_ONLINE,
                                (const char *) g_ptr_array_index (missing, i));
      g_ptr_array_add (missing, NULL);
      list = g_strjoinv (" ", (char **) missing->pdata);
      add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_FAILED,
           g_strdup_printf (_("Skype for Business Online lacks the service principal names %s."),
                            spns->str),
           g_strdup_printf (_("Add them (Establish Trust; or trust-bridge-cli spn add --to %s "
                              "%s)."), TB_APP_ID_SKYPE_ONLINE, list));
      return;
    }
  if (stale->len > 0)
    {
      g_ptr_array_add (stale, NULL);
      list = g_strjoinv (", ", (char **) stale->pdata);
      add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_WARNING,
           g_strdup_printf (_("Every external web services FQDN is an SPN; these name FQDNs the "
                              "pool no longer has: %s."), list),
           g_strdup_printf (_("If no other pool uses them, remove them on the Service Principals "
                              "page (trust-bridge-cli spn remove --from %s SPN…)."),
                            TB_APP_ID_SKYPE_ONLINE));
      return;
    }
  list = g_strjoinv (", ", fqdns);
  add (report, TB_TRUST_CHECK_SPNS, TB_TRUST_HALF_MICROSOFT365, TB_TRUST_STATUS_OK,
       g_strdup_printf (_("Every external web services FQDN is an SPN of Skype for Business "
                          "Online: %s."), list), NULL);
}

static void
check_next_certificate (TbTrustReport             *report,
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
      add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_UNKNOWN, pool_unknown (), g_strdup (pool_missing_fix ()));
      return;
    }
  staged = tb_pool_state_get_staged_certificate (state);
  if (staged == NULL)
    {
      add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_OK,
           g_strdup (_("The pool has no staged OAuthTokenIssuer certificate.")), NULL);
      return;
    }
  add_expiry (report, "staged", NULL, NULL, tb_certificate_get_sha1 (staged),
              tb_certificate_get_not_after (staged));
  if (tb_workspace_get_snapshot (ws) == NULL)
    {
      add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_UNKNOWN, tenant_unknown (), g_strdup (tenant_missing_fix ()));
      return;
    }
  effective = tb_pool_state_get_staged_effective_date (state);
  when = effective != NULL ? tb_format_iso8601_utc (effective) : g_strdup ("—");
  sp = tb_workspace_get_principal (ws, TB_APP_ID_SKYPE_ONLINE);
  if (sp != NULL && find_credential (sp, staged) != NULL)
    {
      add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_OK,
           g_strdup_printf (_("The staged certificate %s (effective %s) is already in the "
                              "cloud."), tb_certificate_get_sha1 (staged), when), NULL);
      return;
    }
  fix = g_strdup_printf (_("Add the staged certificate %s to Skype for Business Online’s key "
                           "credentials before %s (trust-bridge-cli credentials add --cert FILE "
                           "--to %s)."), tb_certificate_get_sha1 (staged), when,
                         TB_APP_ID_SKYPE_ONLINE);
  add (report, TB_TRUST_CHECK_NEXT_CERTIFICATE, TB_TRUST_HALF_MICROSOFT365,
       effective != NULL && g_date_time_compare (effective, options->now) > 0
         ? TB_TRUST_STATUS_WARNING : TB_TRUST_STATUS_FAILED,
       g_strdup_printf (_("The staged certificate %s becomes effective %s and is not in the "
                          "cloud yet."), tb_certificate_get_sha1 (staged), when),
       g_steal_pointer (&fix));
}

static void
check_unexplained (TbTrustReport             *report,
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
      add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_UNKNOWN, tenant_unknown (), g_strdup (tenant_missing_fix ()));
      return;
    }
  if (cert == NULL)
    {
      add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_UNKNOWN,
           g_strdup (_("Unknown: without the pool’s certificate no credential can be "
                       "explained.")),
           g_strdup (pool_missing_fix ()));
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
          add_expiry (report, "credential", app_ids[a], key_id,
                      tb_key_credential_get_thumbprint (k), tb_key_credential_get_end (k));
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
      add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
           TB_TRUST_STATUS_OK,
           g_strdup (_("Every credential on these principals is a certificate of this pool.")),
           NULL);
      return;
    }
  add (report, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS, TB_TRUST_HALF_MICROSOFT365,
       TB_TRUST_STATUS_WARNING,
       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                     "%u credential matches no certificate of this pool: %s.",
                                     "%u credentials match no certificate of this pool: %s.", n),
                        n, list->str),
       g_strdup (_("Review them on the Service Principals page; remove one only when you know "
                   "nothing uses it (trust-bridge-cli credentials remove --from APPID --key-id "
                   "GUID).")));
}

/* ---- The whole trust -------------------------------------------------------------------- */

TbTrustReport *
tb_trust_check (TbWorkspace               *workspace,
                const TbTrustCheckOptions *options,
                GError                   **error)
{
  g_autoptr(TbTrustReport) report = NULL;
  g_autoptr(GPtrArray) pool_checks = NULL;
  g_autofree char *acs = NULL;
  g_autofree char *expected = NULL;
  TbPoolState *state;
  const char *tenant_id;

  g_return_val_if_fail (TB_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (options != NULL && options->now != NULL, NULL);

  acs = normalize_acs_base (options->acs_base, error);
  if (acs == NULL)
    return NULL;
  state = tb_workspace_get_pool_state (workspace);
  tenant_id = tb_workspace_get_tenant_id (workspace);
  if (tenant_id != NULL)
    expected = g_strdup_printf ("%s/%s/metadata/json/1", acs, tenant_id);

  /* The pool's own items, without the tenant (the realm is checked here, against any ACS). */
  if (state != NULL)
    pool_checks = tb_pool_state_check (state, NULL, NULL, options->now, options->warn_days,
                                       NULL);

  report = g_new0 (TbTrustReport, 1);
  report->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) trust_check_free);
  report->expiries = g_ptr_array_new_with_free_func ((GDestroyNotify) trust_expiry_free);

  check_tenant_realm (report, workspace, acs);
  check_oauth_server (report, state, expected);
  check_partner (report, state, pool_checks);
  check_service_name (report, state, pool_checks);
  check_pool_certificate (report, workspace, options);
  check_credential (report, workspace, TB_TRUST_CHECK_SFB_CREDENTIAL, TB_APP_ID_SKYPE_ONLINE,
                    _("Skype for Business Online"), "", FALSE);
  check_credential (report, workspace, TB_TRUST_CHECK_EXCHANGE_CREDENTIAL,
                    TB_APP_ID_EXCHANGE_ONLINE, _("Office 365 Exchange Online"),
                    _(" Microsoft blocked Exchange hybrid through this shared principal on "
                      "31 October 2025 and switches Exchange Online Web Services off on "
                      "1 April 2027."), TRUE);
  check_exchange_enabled (report, workspace);
  check_spns (report, workspace);
  check_next_certificate (report, workspace, options);
  check_unexplained (report, workspace, options);

  return g_steal_pointer (&report);
}

const TbTrustCheck *
tb_trust_report_find (TbTrustReport *report,
                      const char    *id)
{
  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      if (g_str_equal (check->id, id))
        return check;
    }
  return NULL;
}

guint
tb_trust_report_count (TbTrustReport *report,
                       TbTrustStatus  status)
{
  guint n = 0;

  g_return_val_if_fail (report != NULL, 0);

  for (guint i = 0; i < report->checks->len; i++)
    if (((const TbTrustCheck *) g_ptr_array_index (report->checks, i))->status == status)
      n++;
  return n;
}

TbTrustStatus
tb_trust_report_get_worst (TbTrustReport *report)
{
  if (tb_trust_report_count (report, TB_TRUST_STATUS_FAILED) > 0)
    return TB_TRUST_STATUS_FAILED;
  if (tb_trust_report_count (report, TB_TRUST_STATUS_WARNING) > 0)
    return TB_TRUST_STATUS_WARNING;
  if (tb_trust_report_count (report, TB_TRUST_STATUS_UNKNOWN) > 0)
    return TB_TRUST_STATUS_UNKNOWN;
  return TB_TRUST_STATUS_OK;
}

/* The source named in --json: the demo Front End is read live like any other. */
static const char *
json_pool_source (TbWorkspace *workspace)
{
  TbPoolSource source = tb_workspace_get_pool_source (workspace);

  return source == TB_POOL_SOURCE_DEMO ? "live" : tb_pool_source_to_string (source);
}

JsonNode *
tb_trust_report_to_json (TbTrustReport *report,
                         TbWorkspace   *workspace)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *server = tb_workspace_get_pool_server (workspace);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tenant_id");
  if (tb_workspace_get_tenant_id (workspace) != NULL)
    json_builder_add_string_value (b, tb_workspace_get_tenant_id (workspace));
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "pool");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, json_pool_source (workspace));
  json_builder_set_member_name (b, "server");
  if (server != NULL)
    json_builder_add_string_value (b, server);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "checks");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, check->id);
      json_builder_set_member_name (b, "half");
      json_builder_add_string_value (b, tb_trust_half_to_string (check->half));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, tb_trust_status_to_string (check->status));
      json_builder_set_member_name (b, "detail");
      json_builder_add_string_value (b, check->detail);
      json_builder_set_member_name (b, "fix");
      if (check->fix != NULL)
        json_builder_add_string_value (b, check->fix);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  for (TbTrustStatus s = TB_TRUST_STATUS_OK; s <= TB_TRUST_STATUS_UNKNOWN; s++)
    {
      json_builder_set_member_name (b, tb_trust_status_to_string (s));
      json_builder_add_int_value (b, tb_trust_report_count (report, s));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A label value in the exposition format: backslash, double quote and line feed escaped. */
static void
append_label (GString    *out,
              const char *name,
              const char *value)
{
  g_string_append_printf (out, "%s=\"", name);
  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '"')
        g_string_append (out, "\\\"");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_common_labels (GString     *out,
                      TbWorkspace *workspace)
{
  const char *tenant = tb_workspace_get_tenant_id (workspace);
  const char *server = tb_workspace_get_pool_server (workspace);

  append_label (out, "tenant", tenant != NULL ? tenant : "");
  g_string_append_c (out, ',');
  append_label (out, "pool", server != NULL ? server : "");
}

char *
tb_trust_report_to_prometheus (TbTrustReport *report,
                               TbWorkspace   *workspace)
{
  GString *out = g_string_new (NULL);

  g_string_append (out, "# HELP trust_bridge_check_status Trust check status: 0 ok, 1 warning, "
                        "2 failed, 3 unknown.\n"
                        "# TYPE trust_bridge_check_status gauge\n");
  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      g_string_append (out, "trust_bridge_check_status{");
      append_common_labels (out, workspace);
      g_string_append_c (out, ',');
      append_label (out, "check", check->id);
      g_string_append_c (out, ',');
      append_label (out, "half", tb_trust_half_to_string (check->half));
      g_string_append_printf (out, "} %d\n", (int) check->status);
    }

  g_string_append (out, "# HELP trust_bridge_checks Number of trust checks with each status.\n"
                        "# TYPE trust_bridge_checks gauge\n");
  for (TbTrustStatus s = TB_TRUST_STATUS_OK; s <= TB_TRUST_STATUS_UNKNOWN; s++)
    {
      g_string_append (out, "trust_bridge_checks{");
      append_common_labels (out, workspace);
      g_string_append_c (out, ',');
      append_label (out, "status", tb_trust_status_to_string (s));
      g_string_append_printf (out, "} %u\n", tb_trust_report_count (report, s));
    }

  g_string_append (out, "# HELP trust_bridge_certificate_expiry_timestamp_seconds When a "
                        "certificate of the trust ends, in seconds since the epoch.\n"
                        "# TYPE trust_bridge_certificate_expiry_timestamp_seconds gauge\n");
  for (guint i = 0; i < report->expiries->len; i++)
    {
      const TbTrustExpiry *e = g_ptr_array_index (report->expiries, i);

      g_string_append (out, "trust_bridge_certificate_expiry_timestamp_seconds{");
      append_common_labels (out, workspace);
      g_string_append_c (out, ',');
      append_label (out, "role", e->role);
      g_string_append_c (out, ',');
      append_label (out, "app_id", e->app_id);
      g_string_append_c (out, ',');
      append_label (out, "key_id", e->key_id);
      g_string_append_c (out, ',');
      append_label (out, "thumbprint", e->thumbprint);
      g_string_append_printf (out, "} %" G_GINT64_FORMAT "\n",
                              g_date_time_to_unix (e->not_after));
    }
  return g_string_free (out, FALSE);
}

/* ---- Monitoring --------------------------------------------------------------------------- */

static void
on_notify_flushed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_dbus_connection_flush_finish (G_DBUS_CONNECTION (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

gboolean
tb_trust_report_notify (TbTrustReport *report,
                        GError       **error)
{
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GDBusConnection *bus;
  guint failed, warnings;
  gboolean flushed = FALSE;

  g_return_val_if_fail (report != NULL, FALSE);

  failed = tb_trust_report_count (report, TB_TRUST_STATUS_FAILED);
  warnings = tb_trust_report_count (report, TB_TRUST_STATUS_WARNING);
  if (failed == 0 && warnings == 0)
    return TRUE;

  for (guint i = 0; i < report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (report->checks, i);

      if (check->status == TB_TRUST_STATUS_FAILED || check->status == TB_TRUST_STATUS_WARNING)
        g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", check->detail);
    }

  /* Not unique: the window may be open; the notification still carries the app's ID, so the
   * desktop shows the app's name and icon and opens the app when it is clicked. */
  app = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (app, NULL, error))
    return FALSE;
  bus = g_application_get_dbus_connection (app);
  if (bus == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("There is no session bus to send a desktop notification on."));
      return FALSE;
    }

  notification = g_notification_new (failed > 0 ? _("The hybrid trust is broken")
                                                : _("The hybrid trust needs attention"));
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, failed > 0 ? G_NOTIFICATION_PRIORITY_HIGH
                                                        : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s",
                                                "overview");
  g_application_send_notification (app, "trust-check", notification);

  /* The call is queued on the bus: it must leave before the process does. */
  g_dbus_connection_flush (bus, NULL, on_notify_flushed, &flushed);
  while (!flushed)
    g_main_context_iteration (NULL, TRUE);
  return TRUE;
}
