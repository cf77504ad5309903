/* tb-pool-script-renew.c: PowerShell scripts that renew the pool's OAuthTokenIssuer
 * certificate (stage with -Roll, remove the previous one) and request a new one from the CA
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Security: as for every pool script (tb-pool-script.c), outside values reach the script only
 * through the checked parameter block; everything below it is fixed text.
 */
#define G_LOG_DOMAIN "TrustBridge-pool-script-renew"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-pool-script.h"
#include "tb-pool-script-private.h"

/* Renewal of the OAuthTokenIssuer certificate */

/* The transport form of the renewal script carries only this much of the common part: it
 * prints no state (the client reads the pool again afterwards) so that it stays short. */
static const char script_renew_prelude[] =
  "$ErrorActionPreference='Stop'\n"
  "$ProgressPreference='SilentlyContinue'\n"
  "$mod=$null\n"
  "foreach($m in 'SkypeForBusiness','Lync'){\n"
  "  if(Get-Module -ListAvailable $m){Import-Module $m;$mod=$m;break}\n"
  "}\n";

static const char script_renew_body[] =
  "if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync module; run this on a Front End server.'}\n"
  "$w=@{WhatIf=$DryRun -eq 'yes' -or $WhatIfPreference;Confirm=$false}\n"
  "# Checked again here: an exported script can be edited before it runs.\n"
  "if($Thumbprint -notmatch '^[0-9A-F]{40}$'){throw 'Trust Bridge: Thumbprint must be 40 hexadecimal digits.'}\n"
  "$l=@(Get-CsCertificate -Type OAuthTokenIssuer)\n"
  "$n=Get-Date\n"
  "if($Action -eq 'stage'){\n"
  "  $d=[datetime]::ParseExact($EffectiveDate,\"yyyy-MM-dd'T'HH:mm:ss'Z'\",[Globalization.CultureInfo]::InvariantCulture,'AssumeUniversal,AdjustToUniversal').ToLocalTime()\n"
  "  # The Central Management Store needs 24 hours to replicate the certificate to every server.\n"
  "  if($d -lt $n.AddHours(24)){throw 'Trust Bridge: the effective date must be at least 24 hours ahead.'}\n"
  "  # Staging what is already staged or current changes nothing.\n"
  "  if(!($l|?{$_.Thumbprint -eq $Thumbprint})){\n"
  "    Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint $Thumbprint -Roll -EffectiveDate $d @w}\n"
  "}elseif($Action -eq 'cleanup'){\n"
  "  # Only the certificate named, and only once another one has become effective after it.\n"
  "  $p=$l|?{$_.Thumbprint -eq $Thumbprint}\n"
  "  if($p -and ($l|?{$_.Thumbprint -ne $Thumbprint -and $_.EffectiveDate -gt $p.EffectiveDate -and $_.EffectiveDate -le $n})){\n"
  "    Remove-CsCertificate -Type OAuthTokenIssuer -Previous @w}\n"
  "}else{throw 'Trust Bridge: unknown Action.'}\n"
  "'Trust Bridge: done.'\n";

char *
tb_pool_script_check_thumbprint (const char  *thumbprint,
                                 GError     **error)
{
  g_return_val_if_fail (thumbprint != NULL, NULL);

  if (strlen (thumbprint) == 40 && strspn (thumbprint, "0123456789abcdefABCDEF") == 40)
    return g_ascii_strup (thumbprint, -1);

  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_THUMBPRINT,
               _("A certificate thumbprint is 40 hexadecimal digits, as Windows shows it."));
  return NULL;
}

GDateTime *
tb_pool_script_parse_effective_date (const char  *date,
                                     GError     **error)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *parsed = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  if (strlen (date) == strlen (shape))
    {
      gboolean ok = TRUE;

      for (guint i = 0; shape[i] != '\0'; i++)
        if (shape[i] == 'd' ? !g_ascii_isdigit (date[i]) : date[i] != shape[i])
          ok = FALSE;
      if (ok)
        parsed = g_date_time_new_from_iso8601 (date, utc);
    }
  if (parsed == NULL)
    g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_DATE,
                 _("“%s” is not a date in the form YYYY-MM-DDTHH:MM:SSZ (UTC)."),
                 g_utf8_validate (date, -1, NULL) ? date : "?");
  return parsed;
}

char *
tb_pool_script_new_renew (TbPoolRenewAction   action,
                          const char         *thumbprint,
                          GDateTime          *effective_date,
                          gboolean            dry_run,
                          TbPoolScriptForm    form,
                          GError            **error)
{
  g_autofree char *checked = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GString) script = NULL;

  g_return_val_if_fail (thumbprint != NULL, NULL);
  g_return_val_if_fail (action == TB_POOL_RENEW_CLEANUP || effective_date != NULL, NULL);

  checked = tb_pool_script_check_thumbprint (thumbprint, error);
  if (checked == NULL)
    return NULL;
  if (action == TB_POOL_RENEW_STAGE)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (effective_date);

      date = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  else
    date = g_strdup ("");

  {
    const TbPoolScriptParam params[] = {
      { "TbScript", "renew" },
      { "Action", action == TB_POOL_RENEW_STAGE ? "stage" : "cleanup" },
      { "Thumbprint", checked },
      { "EffectiveDate", date },
      { "DryRun", dry_run ? "yes" : "no" },
    };

    script = _tb_pool_script_begin (form,
                                    action == TB_POOL_RENEW_STAGE
                                      ? "stage the next OAuthTokenIssuer certificate "
                                        "(Set-CsCertificate -Roll).\n# Microsoft 365 must hold "
                                        "the certificate before its effective date."
                                      : "remove the previous OAuthTokenIssuer certificate "
                                        "(Remove-CsCertificate -Previous).",
                                    params, G_N_ELEMENTS (params), error);
    if (script == NULL)
      return NULL;
  }
  return _tb_pool_script_end_with_state (g_steal_pointer (&script), script_renew_prelude,
                                         script_renew_body, form);
}

/* Requesting a new OAuthTokenIssuer certificate from the enterprise CA */

static const char script_request_body[] =
  "if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync module; run this on a Front End server.'}\n"
  "# The CA's name may hold spaces: it comes as Base64url of UTF-8, so that only the parameter\n"
  "# alphabet reaches the script; it is used as data, never run.\n"
  "$b=$CAName.Replace('-','+').Replace('_','/');$b+='='*((4-$b.Length%4)%4)\n"
  "$ca=$CAHost+'\\'+[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($b))\n"
  "$dn=$DomainName.Replace('/',',')\n"
  "# Exportable: the Central Management Store copies the OAuth certificate to every Front End.\n"
  "$rq=@{New=$true;Type='OAuthTokenIssuer';CA=$ca;FriendlyName=$FriendlyName;DomainName=$dn;KeySize=2048;PrivateKeyExportable=$true}\n"
  "if($DryRun -eq 'yes' -or $WhatIfPreference){\"Trust Bridge: would run Request-CsCertificate -New -Type OAuthTokenIssuer -CA '$ca' -DomainName '$dn'\"\n"
  "}else{Request-CsCertificate @rq|Out-Null}\n"
  "'Trust Bridge: done.'\n";

/* "server\CA name": the CA server's host name and the CA's common name (at most 64 characters,
 * no control characters or backslashes), which goes to the script as Base64url. */
static gboolean
split_ca (const char  *ca,
          char       **host_out,
          char       **name_out,
          GError     **error)
{
  const char *slash = strchr (ca, '\\');
  g_autofree char *host = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *base64 = NULL;
  const char *name;
  glong n_chars;

  if (slash == NULL)
    goto bad;
  host = g_strndup (ca, slash - ca);
  checked = tb_pool_script_check_host_name (host, NULL);
  name = slash + 1;
  if (checked == NULL || !g_utf8_validate (name, -1, NULL))
    goto bad;
  n_chars = g_utf8_strlen (name, -1);
  if (n_chars == 0 || n_chars > 64 || strchr (name, '\\') != NULL)
    goto bad;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      goto bad;

  base64 = g_base64_encode ((const guchar *) name, strlen (name));
  g_strdelimit (base64, "+", '-');
  g_strdelimit (base64, "/", '_');
  g_strdelimit (base64, "=", '\0');
  *host_out = g_steal_pointer (&checked);
  *name_out = g_strdup (base64);
  return TRUE;

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_VALUE,
               _("Give the certification authority as “server\\CA name”: the CA server’s fully "
                 "qualified name, a backslash, and the CA’s name (up to 64 characters), such as "
                 "“ca01.contoso.com\\Contoso Issuing CA”."));
  return FALSE;
}

char *
tb_pool_script_new_request (const char          *ca,
                            const char * const  *domain_names,
                            const char          *friendly_name,
                            gboolean             dry_run,
                            TbPoolScriptForm     form,
                            GError             **error)
{
  g_autofree char *ca_host = NULL;
  g_autofree char *ca_name = NULL;
  g_autoptr(GString) domains = g_string_new (NULL);
  g_autoptr(GString) script = NULL;

  g_return_val_if_fail (ca != NULL, NULL);
  g_return_val_if_fail (friendly_name != NULL, NULL);

  if (!split_ca (ca, &ca_host, &ca_name, error))
    return NULL;
  for (guint i = 0; domain_names != NULL && domain_names[i] != NULL; i++)
    {
      g_autofree char *checked = tb_pool_script_check_host_name (domain_names[i], error);

      if (checked == NULL)
        return NULL;
      if (domains->len > 0)
        g_string_append_c (domains, '/');
      g_string_append (domains, checked);
    }
  if (domains->len == 0)
    {
      g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_HOST,
                   _("The new certificate needs at least one domain name (the pool’s SIP "
                     "domain)."));
      return NULL;
    }

  {
    const TbPoolScriptParam params[] = {
      { "TbScript", "request" },
      { "CAHost", ca_host },
      { "CAName", ca_name },
      { "FriendlyName", friendly_name },
      { "DomainName", domains->str },
      { "DryRun", dry_run ? "yes" : "no" },
    };

    script = _tb_pool_script_begin (form,
                                    "request a new OAuthTokenIssuer certificate from the "
                                    "enterprise CA\n# (Request-CsCertificate -New -Type "
                                    "OAuthTokenIssuer). Run it at the Front End's console:\n# "
                                    "the CA is another server, which a remote session cannot "
                                    "reach on the admin's behalf.",
                                    params, G_N_ELEMENTS (params), error);
    if (script == NULL)
      return NULL;
  }
  /* Exported, it ends like the read script: the state it writes lists the new certificate
   * among the candidates, ready for the renewal's first step. */
  return _tb_pool_script_end_with_state (g_steal_pointer (&script), script_renew_prelude,
                                         script_request_body, form);
}
