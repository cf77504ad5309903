/* tb-guards.c: what Trust Bridge refuses to write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-guards"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-guards.h"

G_DEFINE_QUARK (tb-guard-error-quark, tb_guard_error)

/* Domains Microsoft owns for its online services in every cloud: a host under one of them
 * belongs to Microsoft's service, never to an on-premises pool. */
static const char * const microsoft_domains[] = {
  "lync.com", "skype.com", "skypeforbusiness.com", "teams.microsoft.com",
  "microsoft.com", "microsoftonline.com", "microsoftonline.us", "microsoftonline.de",
  "office.com", "office.net", "office365.com", "office365.us", "office.de", "outlook.com",
  "outlook.cn", "partner.outlook.cn", "sharepoint.com", "sharepoint.us", "sharepoint.cn",
  "windows.net", "chinacloudapi.cn", "live.com", "dynamics.com", "azure.com", "azure.us",
  "microsoft.us", "office365.cn", "gov.teams.microsoft.us", "dod.teams.microsoft.us",
  "infra.lync.com", "online.lync.com", "lync.cn", "lync.us",
};

static gboolean
host_is_microsoft (const char *host)
{
  gsize len = strlen (host);

  for (guint i = 0; i < G_N_ELEMENTS (microsoft_domains); i++)
    {
      const char *domain = microsoft_domains[i];
      gsize dlen = strlen (domain);

      if (len == dlen && g_ascii_strcasecmp (host, domain) == 0)
        return TRUE;
      if (len > dlen && host[len - dlen - 1] == '.' &&
          g_ascii_strcasecmp (host + len - dlen, domain) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
tb_spn_is_microsoft_managed (const char *app_id,
                             const char *spn)
{
  const char *slash;
  gsize prefix_len;

  g_return_val_if_fail (spn != NULL, TRUE);

  /* Only "<appId>/<host>" of this very principal can be the admin's. */
  slash = strchr (spn, '/');
  if (slash == NULL || app_id == NULL)
    return TRUE;
  prefix_len = (gsize) (slash - spn);
  if (prefix_len != strlen (app_id) || g_ascii_strncasecmp (spn, app_id, prefix_len) != 0)
    return TRUE;
  /* Wildcards, paths and anything else that is not a plain host name are Microsoft's. */
  if (!tb_spn_is_valid_fqdn (slash + 1))
    return TRUE;
  return host_is_microsoft (slash + 1);
}

gboolean
tb_spn_check_removable (const char  *app_id,
                        const char  *spn,
                        GError     **error)
{
  g_return_val_if_fail (spn != NULL, FALSE);

  if (!tb_spn_is_microsoft_managed (app_id, spn))
    return TRUE;
  g_set_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_MICROSOFT_SPN,
               _("“%s” is managed by Microsoft and is not removed. Only names of the form "
                 "<appId>/<host> that an admin added for an on-premises pool can be removed."),
               spn);
  return FALSE;
}

gboolean
tb_certificate_check_upload (TbCertificate  *cert,
                             GDateTime      *now,
                             char          **warning,
                             GError        **error)
{
  g_autoptr(GDateTime) current = NULL;
  TbCertificateStatus status;

  g_return_val_if_fail (TB_IS_CERTIFICATE (cert), FALSE);

  if (warning != NULL)
    *warning = NULL;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  status = tb_certificate_get_status (cert, current, 0);

  if (tb_certificate_has_weak_key (cert))
    {
      g_set_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_WEAK_KEY,
                   _("“%s” has a %u-bit RSA key: Skype for Business Server needs at least %u "
                     "bits. Issue a new OAuth certificate with a longer key; this one is not "
                     "uploaded."),
                   tb_certificate_get_common_name (cert) ? tb_certificate_get_common_name (cert)
                                                          : tb_certificate_get_subject (cert),
                   tb_certificate_get_key_bits (cert), TB_CERTIFICATE_MIN_RSA_BITS);
      return FALSE;
    }
  if (status == TB_CERTIFICATE_STATUS_EXPIRED)
    {
      g_autofree char *until = tb_format_local (tb_certificate_get_not_after (cert));

      g_set_error (error, TB_GUARD_ERROR, TB_GUARD_ERROR_EXPIRED,
                   _("“%s” expired on %s: tokens it signs are refused. Renew the pool’s OAuth "
                     "certificate first; this one is not uploaded."),
                   tb_certificate_get_common_name (cert) ? tb_certificate_get_common_name (cert)
                                                          : tb_certificate_get_subject (cert),
                   until);
      return FALSE;
    }
  if (status == TB_CERTIFICATE_STATUS_NOT_YET_VALID && warning != NULL)
    {
      g_autofree char *from = tb_format_local (tb_certificate_get_not_before (cert));

      *warning = g_strdup_printf (_("This certificate is not valid until %s: Microsoft 365 "
                                    "accepts tokens it signs only from then on."), from);
    }
  return TRUE;
}
