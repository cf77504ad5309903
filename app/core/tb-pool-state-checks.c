/* tb-pool-state-checks.c: the pool's half of the trust, checked against the pool state document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-state-checks"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-format.h"
#include "tb-pool-script.h"
#include "tb-pool-state.h"
#include "tb-pool-state-private.h"

void
tb_pool_check_free (TbPoolCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->detail);
  g_free (check);
}

/* Checks */

static TbPoolCheck *
check_new (const char        *item,
           TbPoolCheckResult  ok,
           char              *detail)
{
  TbPoolCheck *check = g_new0 (TbPoolCheck, 1);

  check->item = item;
  check->ok = ok;
  check->detail = detail;
  return check;
}

/* Why a member is unknown: the error the read script recorded for its cmdlet, if any. */
static char *
unknown_detail (TbPoolState *self,
                const char  *cmdlet,
                const char  *what)
{
  for (guint i = 0; self->errors != NULL && i < self->errors->len; i++)
    {
      const TbPoolError *r = g_ptr_array_index (self->errors, i);

      if (r->cmdlet != NULL && g_ascii_strcasecmp (r->cmdlet, cmdlet) == 0)
        /* Translators: the first %s is a thing (“the OAuth servers”), then a cmdlet name and its
         * error message from the server. */
        return g_strdup_printf (_("Unknown: %s could not be read (%s: %s)."), what, cmdlet,
                                r->message != NULL ? r->message : "");
    }
  return g_strdup_printf (_("Unknown: the pool state does not include %s."), what);
}

/* Same URL when the scheme and host match case-insensitively and the rest exactly: an http://
 * URL (allowed to loopback) never passes for an https:// one. */
static gboolean
metadata_url_equal (const char *have,
                    const char *want)
{
  const char *have_authority = strstr (have, "://");
  const char *want_authority = strstr (want, "://");
  const char *have_path;
  const char *want_path;

  if (have_authority == NULL || want_authority == NULL)
    return FALSE;
  have_path = strchr (have_authority + 3, '/');
  want_path = strchr (want_authority + 3, '/');
  if (have_path == NULL || want_path == NULL || have_path - have != want_path - want)
    return FALSE;
  return g_ascii_strncasecmp (have, want, have_path - have) == 0 &&
         g_str_equal (have_path, want_path);
}

static TbPoolCheck *
check_oauth_server (TbPoolState *self,
                    const char  *expected_url)
{
  const TbPoolOAuthServer *sts;

  if (self->oauth_servers == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_UNKNOWN,
                      unknown_detail (self, "Get-CsOAuthServer", _("the OAuth servers")));

  sts = tb_pool_state_find_oauth_server (self, TB_POOL_OAUTH_SERVER_IDENTITY);
  if (sts == NULL)
    {
      if (expected_url == NULL)
        return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                          g_strdup_printf (_("There is no OAuth server %s."),
                                           TB_POOL_OAUTH_SERVER_IDENTITY));
      return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("There is no OAuth server %s; it should exist with "
                                           "the metadata URL %s."),
                                         TB_POOL_OAUTH_SERVER_IDENTITY, expected_url));
    }

  if (expected_url == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("OAuth server %s has the metadata URL %s; give the "
                                         "tenant ID to check it."),
                                       TB_POOL_OAUTH_SERVER_IDENTITY,
                                       sts->metadata_url != NULL ? sts->metadata_url : "—"));

  if (sts->metadata_url != NULL && metadata_url_equal (sts->metadata_url, expected_url))
    return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("OAuth server %s uses the metadata URL %s."),
                                       TB_POOL_OAUTH_SERVER_IDENTITY, expected_url));

  return check_new (TB_POOL_CHECK_OAUTH_SERVER, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("OAuth server %s has the metadata URL %s; it should be "
                                       "%s."),
                                     TB_POOL_OAUTH_SERVER_IDENTITY,
                                     sts->metadata_url != NULL ? sts->metadata_url : "—",
                                     expected_url));
}

/* The four partner checks when the partner application is unknown or missing. */
static void
check_partner_missing (TbPoolState *self,
                       GPtrArray   *checks)
{
  const char *name = TB_POOL_PARTNER_APPLICATION_IDENTITY;

  if (self->partner_applications == NULL)
    {
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_APPLICATION,
                                          TB_POOL_CHECK_UNKNOWN,
                                          unknown_detail (self, "Get-CsPartnerApplication",
                                                          _("the partner applications"))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      g_ptr_array_add (checks, check_new (TB_POOL_CHECK_PARTNER_ENABLED,
                                          TB_POOL_CHECK_UNKNOWN,
                                          g_strdup (_("Unknown: the partner applications are "
                                                      "not known."))));
      return;
    }

  g_ptr_array_add (checks,
                   check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_FAILED,
                              g_strdup_printf (_("There is no partner application %s; it "
                                                 "should exist with the application "
                                                 "identifier %s."),
                                               name, TB_POOL_EXCHANGE_APPLICATION_ID)));
  g_ptr_array_add (checks,
                   check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_FAILED,
                              g_strdup_printf (_("There is no partner application %s; its "
                                                 "trust level should be Full."), name)));
  g_ptr_array_add (checks,
                   check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_FAILED,
                              g_strdup_printf (_("There is no partner application %s; it "
                                               "should use the OAuth server."), name)));
  g_ptr_array_add (checks,
                   check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_FAILED,
                              g_strdup_printf (_("There is no partner application %s; it "
                                                 "should be enabled."), name)));
}

static TbPoolCheck *
check_partner_identifier (const TbPoolPartnerApplication *app,
                          const char                     *name)
{
  if (app->application_identifier == NULL)
    return check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("Unknown: the application identifier of %s "
                                         "was not read."), name));
  if (g_ascii_strcasecmp (app->application_identifier, TB_POOL_EXCHANGE_APPLICATION_ID) == 0)
    return check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("Partner application %s has the application "
                                         "identifier %s."),
                                       name, TB_POOL_EXCHANGE_APPLICATION_ID));
  return check_new (TB_POOL_CHECK_PARTNER_APPLICATION, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("Partner application %s has the application "
                                       "identifier %s; it should be %s (this needs "
                                       "Remove and New)."),
                                     name, app->application_identifier,
                                     TB_POOL_EXCHANGE_APPLICATION_ID));
}

static TbPoolCheck *
check_partner_trust_level (const TbPoolPartnerApplication *app,
                           const char                     *name)
{
  if (app->application_trust_level == NULL)
    return check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("Unknown: the trust level of %s was not "
                                         "read."), name));
  if (g_ascii_strcasecmp (app->application_trust_level, "Full") == 0)
    return check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("Partner application %s has the trust level "
                                         "Full."), name));
  return check_new (TB_POOL_CHECK_PARTNER_TRUST_LEVEL, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("Partner application %s has the trust level "
                                       "%s; it should be Full."),
                                     name, app->application_trust_level));
}

static TbPoolCheck *
check_partner_use_oauth (const TbPoolPartnerApplication *app,
                         const char                     *name)
{
  if (app->use_oauth_server == TB_POOL_BOOL_UNKNOWN)
    return check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("Unknown: whether %s uses the OAuth server "
                                         "was not read."), name));
  if (app->use_oauth_server == TB_POOL_BOOL_TRUE)
    return check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("Partner application %s uses the OAuth "
                                         "server."), name));
  return check_new (TB_POOL_CHECK_PARTNER_USE_OAUTH, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("Partner application %s does not use the "
                                       "OAuth server; UseOAuthServer should be "
                                       "True."), name));
}

static TbPoolCheck *
check_partner_enabled (const TbPoolPartnerApplication *app,
                       const char                     *name)
{
  if (app->enabled == TB_POOL_BOOL_UNKNOWN)
    return check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_UNKNOWN,
                      g_strdup_printf (_("Unknown: whether %s is enabled was not "
                                         "read."), name));
  if (app->enabled == TB_POOL_BOOL_TRUE)
    return check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("Partner application %s is enabled."), name));
  return check_new (TB_POOL_CHECK_PARTNER_ENABLED, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("Partner application %s is disabled; it "
                                       "should be enabled."), name));
}

static void
check_partner (TbPoolState *self,
               GPtrArray   *checks)
{
  const char *name = TB_POOL_PARTNER_APPLICATION_IDENTITY;
  const TbPoolPartnerApplication *app = NULL;

  if (self->partner_applications != NULL)
    app = tb_pool_state_find_partner_application (self, name);
  if (app == NULL)
    {
      check_partner_missing (self, checks);
      return;
    }

  g_ptr_array_add (checks, check_partner_identifier (app, name));
  g_ptr_array_add (checks, check_partner_trust_level (app, name));
  g_ptr_array_add (checks, check_partner_use_oauth (app, name));
  g_ptr_array_add (checks, check_partner_enabled (app, name));
}

static TbPoolCheck *
check_service_name (TbPoolState *self)
{
  const char *have = self->oauth_configuration.service_name;

  switch (self->oauth_configuration_presence)
    {
    case TB_POOL_UNKNOWN:
      return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-CsOAuthConfiguration",
                                        _("the OAuth configuration")));
    case TB_POOL_ABSENT:
      return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("There is no OAuth configuration; its service name "
                                           "should be %s."), TB_POOL_SKYPE_SERVICE_NAME));
    case TB_POOL_PRESENT:
    default:
      break;
    }

  if (have == NULL)
    return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_UNKNOWN,
                      g_strdup (_("Unknown: the OAuth service name was not read.")));
  if (g_ascii_strcasecmp (have, TB_POOL_SKYPE_SERVICE_NAME) == 0)
    return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_OK,
                      g_strdup_printf (_("The OAuth service name is %s."),
                                       TB_POOL_SKYPE_SERVICE_NAME));
  return check_new (TB_POOL_CHECK_OAUTH_SERVICE_NAME, TB_POOL_CHECK_FAILED,
                    g_strdup_printf (_("The OAuth service name is “%s”; it should be %s."),
                                     have, TB_POOL_SKYPE_SERVICE_NAME));
}

static TbPoolCheck *
check_web_services (TbPoolState *self)
{
  g_auto(GStrv) fqdns = NULL;
  g_autofree char *list = NULL;

  if (self->web_services == NULL)
    return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_UNKNOWN,
                      unknown_detail (self, "Get-CsService", _("the web services")));

  fqdns = tb_pool_state_dup_external_fqdns (self);
  if (fqdns[0] == NULL)
    return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_FAILED,
                      g_strdup (_("No web service has an external FQDN; the cloud side needs "
                                  "each external web services FQDN as a service principal "
                                  "name.")));

  list = g_strjoinv (", ", fqdns);
  return check_new (TB_POOL_CHECK_WEB_SERVICES, TB_POOL_CHECK_OK,
                    g_strdup_printf (g_strv_length (fqdns) == 1
                                     ? _("External web services FQDN: %s.")
                                     : _("External web services FQDNs: %s."), list));
}

static TbPoolCheck *
check_certificate (TbPoolState *self,
                   GDateTime   *now,
                   guint        warn_days)
{
  const TbPoolCertificate *c = &self->oauth_certificate;
  TbCertificateStatus status;
  g_autofree char *until = NULL;
  g_autofree char *phrase = NULL;

  switch (self->oauth_certificate_presence)
    {
    case TB_POOL_UNKNOWN:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-CsCertificate",
                                        _("the OAuthTokenIssuer certificate")));
    case TB_POOL_ABSENT:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup (_("The pool has no OAuthTokenIssuer certificate; assign one "
                                    "with Set-CsCertificate -Type OAuthTokenIssuer.")));
    case TB_POOL_PRESENT:
    default:
      break;
    }

  if (c->certificate == NULL)
    {
      if (c->raw_data_error != NULL)
        return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                          g_strdup_printf (_("The OAuthTokenIssuer certificate %s could not be "
                                             "read: %s"),
                                           c->thumbprint != NULL ? c->thumbprint : "",
                                           c->raw_data_error));
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_UNKNOWN,
                        unknown_detail (self, "Get-Item",
                                        _("the OAuthTokenIssuer certificate's data")));
    }

  /* The thumbprint is what Windows and Entra show; the data is what gets uploaded: they must
   * be the same certificate. */
  if (c->thumbprint == NULL ||
      g_ascii_strcasecmp (c->thumbprint, tb_certificate_get_sha1 (c->certificate)) != 0)
    return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                      g_strdup_printf (_("The certificate data does not match the thumbprint "
                                         "%s (the data has %s)."),
                                       c->thumbprint != NULL ? c->thumbprint : "—",
                                       tb_certificate_get_sha1 (c->certificate)));

  status = tb_certificate_get_status (c->certificate, now, warn_days);
  until = tb_format_local (tb_certificate_get_not_after (c->certificate));
  phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (c->certificate),
                                    tb_certificate_get_not_after (c->certificate), now);

  switch (status)
    {
    case TB_CERTIFICATE_STATUS_VALID:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_OK,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid until %s "
                                           "(%s)."),
                                         tb_certificate_get_sha1 (c->certificate), until, phrase));
    case TB_CERTIFICATE_STATUS_EXPIRING:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_OK,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is valid but %s: "
                                           "renew it and upload the new one to the cloud."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    case TB_CERTIFICATE_STATUS_EXPIRED:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s %s; it should be "
                                           "renewed and uploaded to the cloud."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      return check_new (TB_POOL_CHECK_OAUTH_CERTIFICATE, TB_POOL_CHECK_FAILED,
                        g_strdup_printf (_("OAuthTokenIssuer certificate %s is not valid yet "
                                           "(%s)."),
                                         tb_certificate_get_sha1 (c->certificate), phrase));
    }
}

GPtrArray *
tb_pool_state_check (TbPoolState  *self,
                     const char   *tenant_id,
                     const char   *acs_base,
                     GDateTime    *now,
                     guint         warn_days,
                     GError      **error)
{
  g_autoptr(GPtrArray) checks = NULL;
  g_autofree char *expected_url = NULL;

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (tenant_id != NULL)
    {
      expected_url = tb_pool_script_metadata_url (acs_base != NULL ? acs_base
                                                                   : TB_POOL_DEFAULT_ACS_BASE,
                                                  tenant_id, error);
      if (expected_url == NULL)
        return NULL;
    }
  else if (acs_base != NULL)
    {
      g_autofree char *checked = tb_pool_script_check_acs_url (acs_base, error);

      if (checked == NULL)
        return NULL;
    }

  checks = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_pool_check_free);
  g_ptr_array_add (checks, check_oauth_server (self, expected_url));
  check_partner (self, checks);
  g_ptr_array_add (checks, check_service_name (self));
  g_ptr_array_add (checks, check_web_services (self));
  g_ptr_array_add (checks, check_certificate (self, now, warn_days));

  return g_steal_pointer (&checks);
}

JsonNode *
tb_pool_state_report_json (TbPoolState *self,
                           GPtrArray   *checks)
{
  JsonNode *root;
  g_autoptr(JsonArray) array = json_array_new ();

  g_return_val_if_fail (TB_IS_POOL_STATE (self), NULL);
  g_return_val_if_fail (checks != NULL, NULL);

  root = tb_pool_state_to_json_node (self);
  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "item", check->item);
      if (check->ok == TB_POOL_CHECK_UNKNOWN)
        json_object_set_null_member (item, "ok");
      else
        json_object_set_boolean_member (item, "ok", check->ok == TB_POOL_CHECK_OK);
      json_object_set_string_member (item, "detail", check->detail);
      json_array_add_object_element (array, item);
    }
  json_object_set_array_member (json_node_get_object (root), "checks",
                                g_steal_pointer (&array));
  return root;
}

TbPoolCheckResult
tb_pool_checks_summary (GPtrArray *checks)
{
  TbPoolCheckResult result = TB_POOL_CHECK_OK;

  g_return_val_if_fail (checks != NULL, TB_POOL_CHECK_UNKNOWN);

  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (checks, i);

      if (check->ok == TB_POOL_CHECK_FAILED)
        return TB_POOL_CHECK_FAILED;
      if (check->ok == TB_POOL_CHECK_UNKNOWN)
        result = TB_POOL_CHECK_UNKNOWN;
    }
  return result;
}
