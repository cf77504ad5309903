/* tb-pool-script.c: PowerShell scripts that read and apply the pool's OAuth configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Security: the only way anything from outside reaches a script is the parameter block, and
 * only after validation against a narrow alphabet. Everything below the block is fixed text
 * compiled into the program; it refers to the inputs only as $Variables.
 */
#define G_LOG_DOMAIN "TrustBridge-pool-script"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-cloud.h"
#include "tb-json.h"
#include "tb-pool-script.h"
#include "tb-pool-script-private.h"
#include "tb-winrm-soap.h"

G_DEFINE_QUARK (tb-pool-script-error-quark, tb_pool_script_error)

#define PARAM_BLOCK_HEAD "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n"

/* Shared by all scripts: module detection and the state document (schema 1). Written tersely
 * because the transport form must fit cmd.exe's command line; the comments stay in the export.
 * Lines between "# export-only" and "# end export-only" are left out of the transport form. */
static const char script_common[] =
  "$ErrorActionPreference='Stop'\n"
  "# Progress records would reach WinRM's stderr as CLIXML noise.\n"
  "$ProgressPreference='SilentlyContinue'\n"
  "# Lync Server 2013 names its module Lync, 2015 and 2019 SkypeForBusiness; later editions are\n"
  "# not documented, so the module is found at run time.\n"
  "$mod=$null\n"
  "foreach($m in 'SkypeForBusiness','Lync'){\n"
  "  if(Get-Module -ListAvailable $m){Import-Module $m;$mod=$m;break}\n"
  "}\n"
  "# The named properties of $o for JSON: text, booleans, null, dates in ISO 8601 UTC.\n"
  "# PowerShell matches property names case-insensitively, so the JSON names are given here.\n"
  "function Pick($o){\n"
  "  $h=@{}\n"
  "  foreach($k in $args){\n"
  "    $v=$o.$k\n"
  "    if($v -is [datetime]){$v=$v.ToUniversalTime().ToString('o')}elseif($v -isnot [bool] -and $null -ne $v){$v=\"$v\"}\n"
  "    $h[$k]=$v\n"
  "  }\n"
  "  $h\n"
  "}\n"
  "# The pool state, schema 1.\n"
  "function TbRead{\n"
  "  $e=New-Object Collections.ArrayList\n"
  "  $s=@{schema=1;server=@{fqdn=[Net.Dns]::GetHostEntry('').HostName;product=$null;module=$mod}}\n"
  "  # One gathering step: a failure becomes an entry in errors and leaves its member out, which\n"
  "  # Trust Bridge reads as \"unknown\"; success with nothing to report gives [] or null, \"absent\".\n"
  "  # The cmdlet named in an entry is the one that raised the error.\n"
  "  function T($b){try{&$b}catch{[void]$e.Add(@{cmdlet=\"$($_.InvocationInfo.MyCommand)\";message=\"$_\"})}}\n"
  "  if(!$mod){\n"
  "    [void]$e.Add(@{cmdlet='Import-Module';message='No SkypeForBusiness or Lync module.'})\n"
  "  }else{\n"
  "    T {$s.server.product=\"$(Get-CsServerVersion)\"}\n"
  "    T {\n"
  "      $s.oauthServers=@(Get-CsOAuthServer|%{Pick $_ identity metadataUrl realm})}\n"
  "    T {$s.partnerApplications=@(Get-CsPartnerApplication|%{\n"
  "      Pick $_ identity applicationIdentifier applicationTrustLevel useOAuthServer enabled})}\n"
  "    T {$s.oauthConfiguration=Pick (Get-CsOAuthConfiguration) serviceName realm exchangeAutodiscoverUrl}\n"
  "    T {\n"
  "      $s.webServices=@(Get-CsService -WebServer|%{Pick $_ poolFqdn externalFqdn internalFqdn})}\n"
  "    T {$c=@(Get-CsCertificate -Type OAuthTokenIssuer)[0];$s.oauthCertificate=$null\n"
  "      if($c){$s.oauthCertificate=Pick $c thumbprint subject notBefore notAfter}}\n"
  "    # The public DER is what the cloud side needs: no .CER file has to be carried over.\n"
  "    $o=$s.oauthCertificate\n"
  "    if($o){T {\n"
  "      $o.rawData=[Convert]::ToBase64String((Get-Item \"Cert:\\LocalMachine\\My\\$($o.thumbprint)\").RawData)}}\n"
  "  }\n"
  "  $s.errors=@($e)\n"
  "  $s\n"
  "}\n"
  "# Prints the one line Trust Bridge reads (and writes trust-bridge-state.json beside the script).\n"
  "function TbEmit($s){\n"
  "  $j=ConvertTo-Json $s -Depth 5 -Compress\n"
  "  # export-only: through -EncodedCommand there is no script file, nor a place for the state file.\n"
  "  if($PSScriptRoot){\n"
  "    try{[IO.File]::WriteAllText((Join-Path $PSScriptRoot trust-bridge-state.json),$j)}catch{Write-Warning \"$_\"}\n"
  "  }\n"
  "  # end export-only\n"
  "  'TRUSTBRIDGE-STATE:'+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($j))\n"
  "}\n";

/* Schema 2: what a renewal of the OAuth certificate needs, added to TbRead's state. The read
 * script and the exported scripts carry it; the apply script's transport form does not (its
 * state line stays schema 1, without these members, which keeps it inside cmd.exe's limit; the
 * client reads the pool again when it needs them). */
static const char script_schema_2[] =
  "# Schema 2: the pool's OAuth certificates and the candidates for the next one.\n"
  "function TbAdd2($s){\n"
  "  $s.schema=2\n"
  "  $e=New-Object Collections.ArrayList\n"
  "  function T($b){try{&$b}catch{[void]$e.Add(@{cmdlet=\"$($_.InvocationInfo.MyCommand)\";message=\"$_\"})}}\n"
  "  if($mod){\n"
  "    # Every OAuthTokenIssuer certificate the pool knows: one not yet effective is staged, the\n"
  "    # latest effective one current, older ones previous. Local times on both sides of -gt.\n"
  "    T {$n=Get-Date;$r=0\n"
  "      $s.oauthCertificates=@(Get-CsCertificate -Type OAuthTokenIssuer|sort EffectiveDate -Desc|%{\n"
  "        $h=Pick $_ thumbprint subject notBefore notAfter effectiveDate\n"
  "        $h.role=if($_.EffectiveDate -gt $n){'staged'}elseif($r++){'previous'}else{'current'}\n"
  "        $k=gi \"Cert:\\LocalMachine\\My\\$($h.thumbprint)\" -EA 0\n"
  "        if($k){$h.keySize=$k.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($k.RawData)}\n"
  "        if($h.role -eq 'current'){$s.oauthCertificate=$h}\n"
  "        $h})}\n"
  "    # Certificates that could be the next one: private key here, RSA of 2048 bits or more, valid\n"
  "    # for 30 more days. Only public data leaves the server.\n"
  "    T {$t=(Get-Date).AddDays(30)\n"
  "      $s.candidates=@(gci Cert:\\LocalMachine\\My|?{$_.HasPrivateKey -and $_.NotAfter -gt $t -and $_.PublicKey.Oid.Value -eq '1.2.840.113549.1.1.1' -and $_.PublicKey.Key.KeySize -ge 2048}|%{\n"
  "        $h=Pick $_ thumbprint subject issuer notBefore notAfter\n"
  "        $h.keySize=$_.PublicKey.Key.KeySize;$h.rawData=[Convert]::ToBase64String($_.RawData);$h})}\n"
  "  }\n"
  "  $s.errors=@($s.errors)+@($e)\n"
  "  $s\n"
  "}\n";

static const char script_read_body[] =
  "TbEmit(TbAdd2(TbRead))\n";

/* The seed procedure, made idempotent: each object is only touched when it differs, so a
 * second run changes nothing. */
static const char script_apply_body[] =
  "if(!$mod){throw 'Trust Bridge: no SkypeForBusiness or Lync module; run this on a Front End server.'}\n"
  "# DryRun stands for -WhatIf where none can be given (-EncodedCommand); no prompts either.\n"
  "$w=@{WhatIf=$DryRun -eq 'yes' -or $WhatIfPreference;Confirm=$false}\n"
  "# Whatever happens, end with the state as it now is.\n"
  "try{\n"
  "  # New-CsOAuthServer fails when the Front End cannot download the metadata URL.\n"
  "  $i=@{Identity='microsoft.sts'}\n"
  "  $o=Get-CsOAuthServer @i -EA 0\n"
  "  if(!$o){New-CsOAuthServer @i -MetadataUrl $MetadataUrl @w\n"
  "  }elseif($o.MetadataUrl -cne $MetadataUrl){Set-CsOAuthServer @i -MetadataUrl $MetadataUrl @w}\n"
  "  $i=@{Identity='microsoft.exchange'}\n"
  "  $a='00000002-0000-0ff1-ce00-000000000000'\n"
  "  $p=Get-CsPartnerApplication @i -EA 0\n"
  "  # Set-CsPartnerApplication has no -ApplicationIdentifier: a wrong one means Remove + New.\n"
  "  if($p -and $p.ApplicationIdentifier -ne $a){Remove-CsPartnerApplication @i @w;$p=$null}\n"
  "  if(!$p){New-CsPartnerApplication @i -ApplicationIdentifier $a -ApplicationTrustLevel Full -UseOAuthServer @w\n"
  "  }elseif(\"$($p.ApplicationTrustLevel)\" -ne 'Full' -or !$p.UseOAuthServer -or !$p.Enabled){\n"
  "    Set-CsPartnerApplication @i -ApplicationTrustLevel Full -UseOAuthServer -Enabled $true @w}\n"
  "  # The Global instance; there is no other.\n"
  "  $n='00000004-0000-0ff1-ce00-000000000000'\n"
  "  if((Get-CsOAuthConfiguration).ServiceName -ne $n){Set-CsOAuthConfiguration -ServiceName $n @w}\n";

/* The last line of the apply script: schema 2 where the script has room for it. */
static const char script_apply_end_export[] = "}finally{TbEmit(TbAdd2(TbRead))}\n";
static const char script_apply_end_transport[] = "}finally{TbEmit(TbRead)}\n";

static gboolean
is_value_char (char c)
{
  return c != '\0' && strchr (TB_POOL_SCRIPT_VALUE_ALPHABET, c) != NULL;
}

char *
tb_pool_script_check_tenant_id (const char  *tenant_id,
                                GError     **error)
{
  static const guint group_lengths[] = { 8, 4, 4, 4, 12 };
  const char *p = tenant_id;

  g_return_val_if_fail (tenant_id != NULL, NULL);

  for (guint g = 0; g < G_N_ELEMENTS (group_lengths); g++)
    {
      for (guint i = 0; i < group_lengths[g]; i++, p++)
        if (!g_ascii_isxdigit (*p))
          goto bad;
      if (g + 1 < G_N_ELEMENTS (group_lengths))
        {
          if (*p != '-')
            goto bad;
          p++;
        }
    }
  if (*p != '\0')
    goto bad;

  return g_ascii_strdown (tenant_id, -1);

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT,
               _("The tenant ID must be a GUID such as "
                 "“72f988bf-86f1-41af-91ab-2d7cd011db47”."));
  return NULL;
}

char *
tb_pool_script_check_host_name (const char  *host,
                                GError     **error)
{
  gsize len;
  guint n_labels = 0;
  gboolean last_all_digits = TRUE;
  const char *label = host;

  g_return_val_if_fail (host != NULL, NULL);

  len = strlen (host);
  if (len == 0 || len > 253)
    goto bad;

  /* Letters, digits and hyphens in dot-separated labels of 1 to 63 characters, neither
   * starting nor ending with a hyphen: bytes outside ASCII (look-alike letters) never pass. */
  for (const char *p = host; ; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          gsize label_len = p - label;

          if (label_len == 0 || label_len > 63 || label[0] == '-' || p[-1] == '-')
            goto bad;
          n_labels++;
          last_all_digits = TRUE;
          for (const char *q = label; q < p; q++)
            if (!g_ascii_isdigit (*q))
              last_all_digits = FALSE;
          if (*p == '\0')
            break;
          label = p + 1;
        }
      else if (!g_ascii_isalnum (*p) && *p != '-')
        goto bad;
    }

  /* A fully qualified name, not a bare label or an IPv4 address. */
  if (n_labels < 2 || last_all_digits)
    goto bad;

  return g_ascii_strdown (host, -1);

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_HOST,
               _("“%s” is not a fully qualified host name (letters, digits, hyphens and dots, "
                 "such as “pool01.contoso.com”)."),
               g_utf8_validate (host, -1, NULL) ? host : "?");
  return NULL;
}

/* The host of a plain http:// URL: a loopback address or "localhost" only, as everywhere else
 * in the app (a metadata document fetched in the clear could name any realm). Returned in its
 * canonical form, which holds only digits, hex digits, dots and colons. */
static char *
check_loopback_host (const char *host,
                     gboolean    bracketed)
{
  g_autoptr(GInetAddress) address = NULL;

  if (!bracketed && g_ascii_strcasecmp (host, "localhost") == 0)
    return g_strdup ("localhost");
  if (!tb_cloud_host_is_loopback (host))
    return NULL;
  address = g_inet_address_new_from_string (host);
  /* An IPv6 literal stands in brackets in a URL; an IPv4 one must not. */
  if ((g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6) != bracketed)
    return NULL;
  if (bracketed)
    {
      g_autofree char *text = g_inet_address_to_string (address);

      return g_strdup_printf ("[%s]", text);
    }
  return g_inet_address_to_string (address);
}

char *
tb_pool_script_check_acs_url (const char  *url,
                              GError     **error)
{
  static const char secure[] = "https://";
  static const char plain[] = "http://";
  g_autofree char *host = NULL;
  g_autofree char *checked_host = NULL;
  g_autofree char *path = NULL;
  const char *scheme;
  const char *authority;
  const char *authority_end;
  const char *host_end;
  const char *colon = NULL;
  const char *port = NULL;
  gboolean bracketed;
  gsize path_len;

  g_return_val_if_fail (url != NULL, NULL);

  if (g_ascii_strncasecmp (url, secure, strlen (secure)) == 0)
    scheme = secure;
  else if (g_ascii_strncasecmp (url, plain, strlen (plain)) == 0)
    scheme = plain;
  else
    goto bad;

  authority = url + strlen (scheme);
  authority_end = authority + strcspn (authority, "/");
  bracketed = *authority == '[';
  if (bracketed)
    {
      host_end = memchr (authority, ']', authority_end - authority);
      if (host_end == NULL)
        goto bad;
      host = g_strndup (authority + 1, host_end - authority - 1);
      host_end++;
      if (host_end < authority_end)
        {
          if (*host_end != ':')
            goto bad;
          colon = host_end;
        }
    }
  else
    {
      colon = memchr (authority, ':', authority_end - authority);
      host_end = colon != NULL ? colon : authority_end;
      host = g_strndup (authority, host_end - authority);
    }

  if (scheme == plain)
    checked_host = check_loopback_host (host, bracketed);
  else if (!bracketed)
    checked_host = tb_pool_script_check_host_name (host, NULL);
  if (checked_host == NULL)
    goto bad;

  if (colon != NULL)
    {
      guint64 port_number = 0;

      port = colon + 1;
      if (port == authority_end || authority_end - port > 5)
        goto bad;
      for (const char *p = port; p < authority_end; p++)
        {
          if (!g_ascii_isdigit (*p))
            goto bad;
          port_number = port_number * 10 + (*p - '0');
        }
      if (port_number == 0 || port_number > 65535)
        goto bad;
    }

  /* No query, fragment, percent escapes or anything else a PowerShell literal would have to
   * carry: a plain path is all a metadata URL needs. */
  for (const char *p = authority_end; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._~/-", *p) == NULL)
      goto bad;

  path = g_strdup (authority_end);
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path[--path_len] = '\0';

  if (port != NULL)
    return g_strdup_printf ("%s%s:%.*s%s", scheme, checked_host, (int) (authority_end - port), port,
                            path);
  return g_strdup_printf ("%s%s%s", scheme, checked_host, path);

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_URL,
               _("“%s” is not an https URL of a host name with a plain path (http:// only to a "
                 "loopback address)."),
               g_utf8_validate (url, -1, NULL) ? url : "?");
  return NULL;
}

char *
tb_pool_script_metadata_url (const char  *acs_base,
                             const char  *tenant_id,
                             GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (acs_base != NULL, NULL);
  g_return_val_if_fail (tenant_id != NULL, NULL);

  tenant = tb_pool_script_check_tenant_id (tenant_id, error);
  if (tenant == NULL)
    return NULL;
  base = tb_pool_script_check_acs_url (acs_base, error);
  if (base == NULL)
    return NULL;

  url = g_strdup_printf ("%s/%s/metadata/json/1", base, tenant);
  /* Checked once more as a whole: the rule is about what reaches the script. */
  return tb_pool_script_check_acs_url (url, error);
}

char *
tb_pool_script_quote_literal (const char  *value,
                              GError     **error)
{
  GString *literal;

  g_return_val_if_fail (value != NULL, NULL);

  for (const char *p = value; *p != '\0'; p++)
    if (!is_value_char (*p))
      {
        g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_VALUE,
                     _("A script parameter holds a character that is not allowed there."));
        return NULL;
      }

  literal = g_string_new ("'");
  for (const char *p = value; *p != '\0'; p++)
    {
      /* Unreachable with the alphabet above; kept so the quoting is right on its own. */
      if (*p == '\'')
        g_string_append_c (literal, '\'');
      g_string_append_c (literal, *p);
    }
  g_string_append_c (literal, '\'');

  return g_string_free (literal, FALSE);
}

static gboolean
append_param_block (GString                  *script,
                    const TbPoolScriptParam  *params,
                    guint                     n_params,
                    GError                  **error)
{
  g_string_append (script, PARAM_BLOCK_HEAD);
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *literal = tb_pool_script_quote_literal (params[i].value, error);

      if (literal == NULL)
        return FALSE;
      g_string_append_printf (script, "  [string]$%s = %s%s\n", params[i].name, literal,
                              i + 1 < n_params ? "," : "");
    }
  g_string_append (script, ")\n");
  return TRUE;
}

/* Drops comment lines, blank lines, indentation and the export-only region. Only for the fixed
 * text below the parameter block, which is written so that this is safe: no here-strings, no
 * block comments, no line inside a string. */
static void
append_body (GString          *script,
             const char       *body,
             TbPoolScriptForm  form)
{
  g_auto(GStrv) lines = NULL;
  gboolean export_only = FALSE;

  if (form == TB_POOL_SCRIPT_FORM_EXPORT)
    {
      g_string_append (script, body);
      return;
    }

  lines = g_strsplit (body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (*line == ' ')
        line++;
      if (g_str_has_prefix (line, "# export-only"))
        export_only = TRUE;
      else if (g_str_has_prefix (line, "# end export-only"))
        export_only = FALSE;
      if (export_only || *line == '\0' || *line == '#')
        continue;
      g_string_append (script, line);
      g_string_append_c (script, '\n');
    }
}

static void
append_header (GString          *script,
               TbPoolScriptForm  form,
               const char       *what)
{
  if (form != TB_POOL_SCRIPT_FORM_EXPORT)
    return;

  /* Not translated: the admin's Front End may use another language than the workstation, and
   * the golden tests compare these bytes. */
  g_string_append_printf (script,
                          "# Trust Bridge: %s\n"
                          "# Run in the Skype for Business Server Management Shell on a Front End"
                          " server.\n"
                          "# Prints one line TRUSTBRIDGE-STATE:<Base64 of JSON> and writes"
                          " trust-bridge-state.json\n"
                          "# beside this file; open that file in Trust Bridge or run\n"
                          "#   trust-bridge-cli pool import trust-bridge-state.json\n",
                          what);
}

GString *
_tb_pool_script_begin (TbPoolScriptForm          form,
                       const char               *what,
                       const TbPoolScriptParam  *params,
                       guint                     n_params,
                       GError                  **error)
{
  g_autoptr(GString) script = g_string_new (NULL);

  append_header (script, form, what);
  if (!append_param_block (script, params, n_params, error))
    return NULL;
  return g_steal_pointer (&script);
}

char *
_tb_pool_script_end_with_state (GString          *script,
                                const char       *prelude,
                                const char       *body,
                                TbPoolScriptForm  form)
{
  /* The exported form ends with the pool's state, like the read script, so the admin brings
   * back one file; the transport form leaves that to a separate read and carries only
   * @prelude of the common part, so that it stays short. */
  append_body (script, form == TB_POOL_SCRIPT_FORM_EXPORT ? script_common : prelude, form);
  append_body (script, body, form);
  if (form == TB_POOL_SCRIPT_FORM_EXPORT)
    {
      append_body (script, script_schema_2, form);
      append_body (script, script_read_body, form);
    }
  return g_string_free (script, FALSE);
}

char *
tb_pool_script_new_read (TbPoolScriptForm form)
{
  const TbPoolScriptParam params[] = {
    { "TbScript", "read" },
  };
  GString *script = _tb_pool_script_begin (form, "read the pool's server-to-server OAuth "
                                                 "configuration.",
                                           params, G_N_ELEMENTS (params), NULL);

  g_assert (script != NULL);
  append_body (script, script_common, form);
  append_body (script, script_schema_2, form);
  append_body (script, script_read_body, form);

  return g_string_free (script, FALSE);
}

char *
tb_pool_script_new_apply (const char        *tenant_id,
                          const char        *acs_base,
                          gboolean           dry_run,
                          TbPoolScriptForm   form,
                          GError           **error)
{
  g_autofree char *tenant = NULL;
  g_autofree char *metadata_url = NULL;
  g_autoptr(GString) script = NULL;

  g_return_val_if_fail (tenant_id != NULL, NULL);
  g_return_val_if_fail (acs_base != NULL, NULL);

  tenant = tb_pool_script_check_tenant_id (tenant_id, error);
  if (tenant == NULL)
    return NULL;
  metadata_url = tb_pool_script_metadata_url (acs_base, tenant, error);
  if (metadata_url == NULL)
    return NULL;

  {
    const TbPoolScriptParam params[] = {
      { "TbScript", "apply" },
      { "MetadataUrl", metadata_url },
      { "DryRun", dry_run ? "yes" : "no" },
    };

    script = _tb_pool_script_begin (form, "apply the server-to-server OAuth settings the hybrid "
                                          "trust needs.\n# Changes only what differs; supports "
                                          "-WhatIf.",
                                    params, G_N_ELEMENTS (params), error);
    if (script == NULL)
      return NULL;
  }
  append_body (script, script_common, form);
  if (form == TB_POOL_SCRIPT_FORM_EXPORT)
    append_body (script, script_schema_2, form);
  append_body (script, script_apply_body, form);
  append_body (script, form == TB_POOL_SCRIPT_FORM_EXPORT ? script_apply_end_export
                                                          : script_apply_end_transport, form);

  return g_string_free (g_steal_pointer (&script), FALSE);
}

char *
tb_pool_script_encode_command (const char  *script,
                               GError     **error)
{
  g_autofree char *line = NULL;
  gsize length;

  g_return_val_if_fail (script != NULL, NULL);

  line = tb_winrm_powershell_command_line (script, error);
  if (line == NULL)
    return NULL;
  length = strlen (line);
  if (length > TB_POOL_SCRIPT_MAX_COMMAND_LINE)
    {
      g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_TOO_LONG,
                   _("The encoded script is %zu characters long; Windows accepts "
                     "command lines of at most %d."),
                   length, TB_POOL_SCRIPT_MAX_COMMAND_LINE);
      return NULL;
    }
  return g_steal_pointer (&line);
}

char *
tb_pool_script_decode_command (const char  *command_line,
                               GError     **error)
{
  static const char option[] = "-EncodedCommand ";
  g_autoptr(GBytes) decoded = NULL;
  g_autofree gunichar2 *utf16 = NULL;
  g_autofree char *base64 = NULL;
  const guchar *bytes;
  const char *found;
  gsize n_bytes = 0;
  char *script;

  g_return_val_if_fail (command_line != NULL, NULL);

  found = strstr (command_line, option);
  if (found == NULL)
    goto bad;
  base64 = g_strdup (found + strlen (option));
  g_strstrip (base64);
  /* One run of strict Base64, as -EncodedCommand takes it: a damaged argument is no script,
   * not a different one. */
  decoded = tb_json_base64_decode_binary (base64);
  if (decoded == NULL)
    goto bad;

  bytes = g_bytes_get_data (decoded, &n_bytes);
  if (n_bytes % 2 != 0)
    goto bad;

  utf16 = g_new (gunichar2, n_bytes / 2);
  for (gsize i = 0; i < n_bytes / 2; i++)
    utf16[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);

  script = g_utf16_to_utf8 (utf16, n_bytes / 2, NULL, NULL, NULL);
  if (script == NULL)
    goto bad;
  return script;

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_SCRIPT,
               _("The command line does not carry a script encoded with -EncodedCommand."));
  return NULL;
}

/* "  [string]$Name = 'value'" with an optional ",". */
static gboolean
parse_param_line (const char  *line,
                  GHashTable  *params)
{
  static const char lead[] = "  [string]$";
  const char *p = line;
  const char *name_start;
  g_autofree char *name = NULL;
  GString *value;

  if (!g_str_has_prefix (p, lead))
    return FALSE;
  p += strlen (lead);
  name_start = p;
  while (g_ascii_isalpha (*p))
    p++;
  if (p == name_start || !g_str_has_prefix (p, " = '"))
    return FALSE;
  name = g_strndup (name_start, p - name_start);
  p += strlen (" = '");

  value = g_string_new (NULL);
  for (;;)
    {
      if (*p == '\0')
        {
          g_string_free (value, TRUE);
          return FALSE;
        }
      if (*p == '\'')
        {
          if (p[1] == '\'')
            {
              g_string_append_c (value, '\'');
              p += 2;
              continue;
            }
          p++;
          break;
        }
      g_string_append_c (value, *p++);
    }

  if (*p == ',')
    p++;
  if (*p != '\0' || g_hash_table_contains (params, name))
    {
      g_string_free (value, TRUE);
      return FALSE;
    }

  g_hash_table_insert (params, g_steal_pointer (&name), g_string_free (value, FALSE));
  return TRUE;
}

GHashTable *
tb_pool_script_parse_parameters (const char  *script,
                                 GError     **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  guint i = 0;

  g_return_val_if_fail (script != NULL, NULL);

  lines = g_strsplit (script, "\n", -1);
  while (lines[i] != NULL && lines[i][0] == '#')
    i++;
  if (lines[i] == NULL || !g_str_equal (lines[i], "[CmdletBinding(SupportsShouldProcess=$true)]"))
    goto bad;
  i++;
  if (lines[i] == NULL || !g_str_equal (lines[i], "param("))
    goto bad;
  for (i++; lines[i] != NULL && !g_str_equal (lines[i], ")"); i++)
    if (!parse_param_line (lines[i], params))
      goto bad;
  if (lines[i] == NULL)
    goto bad;

  return g_steal_pointer (&params);

bad:
  g_set_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_SCRIPT,
               _("The script does not start with a Trust Bridge parameter block."));
  return NULL;
}

