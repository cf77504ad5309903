/* tb-trust-check-pool.c: the pool's half of the trust, one function per check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-trust-check-pool"

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

/* ---- Pool half -------------------------------------------------------------------------- */

/* Adds the pool half's check @id as unknown when the pool's OAuth servers are not known (the
 * pool not read, or read without them): TRUE when it did, and the check has its result. */
static gboolean
add_if_oauth_servers_unread (TbTrustReport *report,
                             const char    *id,
                             TbPoolState   *state)
{
  if (state != NULL && tb_pool_state_get_oauth_servers (state) != NULL)
    return FALSE;
  _tb_trust_add (report, id, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_UNKNOWN,
                 state == NULL ? _tb_trust_pool_unknown ()
                               : g_strdup (_("Unknown: the pool’s OAuth servers were not read.")),
                 g_strdup (_tb_trust_pool_missing_fix ()));
  return TRUE;
}

void
_tb_trust_check_tenant_realm (TbTrustReport *report,
                              TbWorkspace   *ws,
                              const char    *acs_base)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  const char *tenant_id = tb_workspace_get_tenant_id (ws);
  TbTenant *tenant = tb_workspace_get_tenant (ws);
  const TbPoolOAuthServer *sts;
  g_autofree char *expected = NULL;
  g_autofree char *fix = NULL;

  if (tenant_id == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_UNKNOWN,
                     g_strdup (_("Unknown: no tenant of record.")),
                     g_strdup (_("Give the tenant ID (--tenant) or sign in to the tenant.")));
      return;
    }
  expected = g_strdup_printf ("%s/%s/metadata/json/1", acs_base, tenant_id);
  fix = g_strdup_printf ("Set-CsOAuthServer -Identity %s -MetadataUrl %s",
                         TB_POOL_OAUTH_SERVER_IDENTITY, expected);

  if (add_if_oauth_servers_unread (report, TB_TRUST_CHECK_TENANT_REALM, state))
    return;

  sts = tb_pool_state_find_oauth_server (state, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL || sts->metadata_url == NULL)
    {
      /* oauth-server reports the missing server; the realm cannot be right without it. */
      _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("The pool has no metadata URL for this tenant; it should "
                                        "be %s."),
                                      expected),
                     g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl %s",
                                      TB_POOL_OAUTH_SERVER_IDENTITY, expected));
      return;
    }
  if (!url_equal (sts->metadata_url, expected))
    {
      _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("The pool’s metadata URL %s names another tenant or cloud; "
                                        "it should be %s."), sts->metadata_url, expected),
                     g_steal_pointer (&fix));
      return;
    }
  if (tenant == NULL || !tb_tenant_get_metadata_checked (tenant))
    {
      _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_UNKNOWN,
                     g_strdup_printf (_("The pool’s metadata URL is %s, but the tenant’s ACS "
                                        "metadata document was not read."), expected),
                     g_strdup (_("Check the tenant (Tenant page, or trust-bridge-cli tenant "
                                 "resolve) so its ACS metadata is read.")));
      return;
    }
  if (!tb_tenant_get_metadata_realm_ok (tenant))
    {
      _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("The ACS metadata document answers with the realm %s, not "
                                        "%s."),
                                      tb_tenant_get_metadata_realm (tenant)
                                        ? tb_tenant_get_metadata_realm (tenant) : "—", tenant_id),
                     g_strdup (_("Check the tenant ID and the cloud (Preferences, or --cloud / "
                                 "--endpoints).")));
      return;
    }
  _tb_trust_add (report, TB_TRUST_CHECK_TENANT_REALM, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_OK,
                 g_strdup_printf (_("The pool’s metadata URL names tenant %s, and its ACS metadata "
                                    "answers with that realm."), tenant_id), NULL);
}

void
_tb_trust_check_oauth_server (TbTrustReport *report,
                              TbPoolState   *state,
                              const char    *expected)
{
  const TbPoolOAuthServer *sts;

  if (add_if_oauth_servers_unread (report, TB_TRUST_CHECK_OAUTH_SERVER, state))
    return;
  sts = tb_pool_state_find_oauth_server (state, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_OAUTH_SERVER, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("There is no OAuth server %s."),
                                      TB_POOL_OAUTH_SERVER_IDENTITY),
                     expected != NULL
                       ? g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl %s",
                                          TB_POOL_OAUTH_SERVER_IDENTITY, expected)
                       : g_strdup_printf ("New-CsOAuthServer -Identity %s -MetadataUrl "
                                          "<ACS>/<tenant ID>/metadata/json/1",
                                          TB_POOL_OAUTH_SERVER_IDENTITY));
      return;
    }
  _tb_trust_add (report, TB_TRUST_CHECK_OAUTH_SERVER, TB_TRUST_HALF_POOL, TB_TRUST_STATUS_OK,
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

/* The pool's own check of the items @items names (ids matched exactly; at least one is in
 * @pool_checks), as one: the first failed one, else the first unknown one, else the first. */
static const TbPoolCheck *
worst_pool_check (GPtrArray          *pool_checks,
                  const char * const *items)
{
  const TbPoolCheck *worst = NULL;

  for (guint i = 0; i < pool_checks->len; i++)
    {
      const TbPoolCheck *c = g_ptr_array_index (pool_checks, i);

      if (!g_strv_contains (items, c->item))
        continue;
      if (worst == NULL || (worst->ok == TB_POOL_CHECK_OK && c->ok != TB_POOL_CHECK_OK) ||
          (worst->ok == TB_POOL_CHECK_UNKNOWN && c->ok == TB_POOL_CHECK_FAILED))
        worst = c;
    }
  g_assert (worst != NULL);
  return worst;
}

static const char * const partner_items[] = {
  TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_PARTNER_TRUST_LEVEL,
  TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_PARTNER_ENABLED, NULL
};

/* The four partner application items of the pool's own check as one: the first that is not
 * ok speaks for all. */
void
_tb_trust_check_partner (TbTrustReport *report,
                         TbPoolState   *state,
                         GPtrArray     *pool_checks)
{
  const TbPoolCheck *worst;
  const TbPoolPartnerApplication *app;
  g_autofree char *fix = NULL;

  if (state == NULL)
    {
      _tb_trust_add_pool_unread (report, TB_TRUST_CHECK_PARTNER_APPLICATION, TB_TRUST_HALF_POOL);
      return;
    }
  worst = worst_pool_check (pool_checks, partner_items);

  app = tb_pool_state_find_partner_application (state, TB_POOL_PARTNER_APPLICATION_IDENTITY);
  if (worst->ok == TB_POOL_CHECK_UNKNOWN)
    fix = g_strdup (_tb_trust_pool_missing_fix ());
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

  _tb_trust_add (report, TB_TRUST_CHECK_PARTNER_APPLICATION, TB_TRUST_HALF_POOL,
                 from_pool_result (worst->ok),
                 worst->ok == TB_POOL_CHECK_OK
                   ? g_strdup_printf (_("Partner application %s is enabled with the application "
                                        "identifier %s, trust level Full, using the OAuth server."),
                                      TB_POOL_PARTNER_APPLICATION_IDENTITY,
                                      TB_POOL_EXCHANGE_APPLICATION_ID)
                   : g_strdup (worst->detail),
                 g_steal_pointer (&fix));
}

void
_tb_trust_check_service_name (TbTrustReport *report,
                              TbPoolState   *state,
                              GPtrArray     *pool_checks)
{
  static const char * const service_name_items[] = { TB_POOL_CHECK_OAUTH_SERVICE_NAME, NULL };
  const TbPoolCheck *c;

  if (state == NULL)
    {
      _tb_trust_add_pool_unread (report, TB_TRUST_CHECK_OAUTH_SERVICE_NAME, TB_TRUST_HALF_POOL);
      return;
    }
  c = worst_pool_check (pool_checks, service_name_items);
  _tb_trust_add (report, TB_TRUST_CHECK_OAUTH_SERVICE_NAME, TB_TRUST_HALF_POOL,
                 from_pool_result (c->ok), g_strdup (c->detail),
                 c->ok == TB_POOL_CHECK_UNKNOWN
                   ? g_strdup (_tb_trust_pool_missing_fix ())
                   : g_strdup_printf ("Set-CsOAuthConfiguration -ServiceName %s",
                                      TB_POOL_SKYPE_SERVICE_NAME));
}

void
_tb_trust_check_pool_certificate (TbTrustReport             *report,
                                  TbWorkspace               *ws,
                                  const TbTrustCheckOptions *options)
{
  TbPoolState *state = tb_workspace_get_pool_state (ws);
  const TbPoolCertificate *pool_cert = NULL;
  TbPoolPresence presence = TB_POOL_UNKNOWN;
  TbCertificate *cert;
  const char *renew_fix = _("Renew the OAuthTokenIssuer certificate on the pool (Set-CsCertificate "
                            "-Type OAuthTokenIssuer -Thumbprint <new> -EffectiveDate <date> "
                            "-Roll), then upload it with Establish Trust.");
  g_autofree char *until = NULL;
  g_autofree char *phrase = NULL;
  const char *key;

  if (state != NULL)
    presence = tb_pool_state_get_oauth_certificate (state, &pool_cert);
  if (state != NULL && presence == TB_POOL_ABSENT)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup (_("The pool has no OAuthTokenIssuer certificate.")),
                     g_strdup ("Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint "
                               "<thumbprint>"));
      return;
    }
  if (state != NULL && presence == TB_POOL_PRESENT && pool_cert->certificate == NULL &&
      pool_cert->raw_data_error != NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("The OAuthTokenIssuer certificate could not be read: %s"),
                                      pool_cert->raw_data_error),
                     g_strdup (_tb_trust_pool_missing_fix ()));
      return;
    }

  cert = tb_workspace_get_trust_certificate (ws);
  if (cert == NULL)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_UNKNOWN,
                     state == NULL ? _tb_trust_pool_unknown ()
                                   : g_strdup (_("Unknown: the OAuthTokenIssuer certificate was "
                                                 "not read.")),
                     g_strdup (_("Read the pool, or choose the OAuthTokenIssuer certificate (.cer) "
                                 "on the Certificates page (--cert).")));
      return;
    }

  _tb_trust_add_expiry (report, "pool", NULL, NULL, tb_certificate_get_sha1 (cert),
                        tb_certificate_get_not_after (cert));
  key = tb_certificate_get_key_algorithm (cert);
  if (key == NULL || g_ascii_strncasecmp (key, "RSA", 3) != 0 ||
      tb_certificate_get_key_bits (cert) < 2048)
    {
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
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
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_OK,
                     g_strdup_printf (_("OAuthTokenIssuer certificate %s (RSA %u) is valid until "
                                        "%s."),
                                      tb_certificate_get_sha1 (cert),
                                      tb_certificate_get_key_bits (cert),
                                      until), NULL);
      break;
    case TB_CERTIFICATE_STATUS_EXPIRING:
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_WARNING,
                     g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid but %s."),
                                      tb_certificate_get_sha1 (cert), phrase),
                     g_strdup (renew_fix));
      break;
    case TB_CERTIFICATE_STATUS_EXPIRED:
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      _tb_trust_add (report, TB_TRUST_CHECK_POOL_CERTIFICATE, TB_TRUST_HALF_POOL,
                     TB_TRUST_STATUS_FAILED,
                     g_strdup_printf (_("OAuthTokenIssuer certificate %s is not valid now (%s)."),
                                      tb_certificate_get_sha1 (cert), phrase),
                     g_strdup (renew_fix));
      break;
    }
}
