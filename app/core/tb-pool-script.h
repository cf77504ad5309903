/* tb-pool-script.h: PowerShell scripts that read and apply the pool's OAuth configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The parameter block (a contract: the WinRM simulator "runs" a script by reading it)
 * ===================================================================================
 *
 * Every generated script, in both forms, starts with zero or more comment lines (each beginning
 * with "#"), then exactly these lines, byte-identical in the exported and the transport form:
 *
 *   [CmdletBinding(SupportsShouldProcess=$true)]
 *   param(
 *     [string]$TbScript = 'apply',
 *     [string]$MetadataUrl = 'https://accounts.accesscontrol.windows.net/<tenant>/metadata/json/1',
 *     [string]$DryRun = 'no'
 *   )
 *
 * One parameter a line: two spaces, "[string]$", the name ([A-Za-z]+), " = ", a single-quoted
 * PowerShell literal, and "," on every line but the last. Lines end with "\n" (never "\r\n").
 * The block ends at the first line that is exactly ")". Values only ever hold characters of
 * TB_POOL_SCRIPT_VALUE_ALPHABET (so the doubling of ' that the literal syntax would need never
 * happens; tb_pool_script_parse_parameters() undoes it all the same). Unknown names may appear
 * in later versions: readers ignore them.
 *
 * Parameters, in this order:
 *   TbScript     'read' or 'apply'                                     (both scripts)
 *   MetadataUrl  {ACS base}/{lower-case tenant GUID}/metadata/json/1   (apply only)
 *   DryRun       'no' or 'yes': 'yes' acts as -WhatIf                  (apply only)
 *
 * The rest is fixed: the apply script makes OAuth server microsoft.sts point at MetadataUrl
 * (New-CsOAuthServer when missing, Set-CsOAuthServer -MetadataUrl when the URL differs, compared
 * case-sensitively), partner application microsoft.exchange with ApplicationIdentifier
 * TB_POOL_EXCHANGE_APPLICATION_ID, trust level Full, UseOAuthServer and Enabled (Remove + New when
 * the identifier differs, Set when only the others do), and Set-CsOAuthConfiguration -ServiceName
 * TB_POOL_SKYPE_SERVICE_NAME when the service name differs. Nothing is touched when it is
 * already right, so a second run changes nothing.
 *
 * DryRun exists because a script sent through -EncodedCommand cannot be given -WhatIf; the
 * exported .ps1 accepts -WhatIf as well (SupportsShouldProcess).
 *
 * What the scripts print: any number of ordinary lines, and exactly one line
 * "TRUSTBRIDGE-STATE:<Base64 of the UTF-8 state JSON>" (see tb-pool-state.h); the apply script
 * prints it last (also when a cmdlet failed: then the error follows on stderr and the exit code
 * is not 0), describing the pool as it then is. When the module is missing the read script still
 * prints a state (server.module null, an error entry with cmdlet "Import-Module"); the apply
 * script throws "Trust Bridge: no SkypeForBusiness or Lync module; …" and prints no state.
 * A gathering step that fails leaves its member out of the state and adds {cmdlet, message} to
 * "errors"; JSON member order is arbitrary.
 */

#define TB_POOL_SCRIPT_ERROR (tb_pool_script_error_quark ())

typedef enum
{
  TB_POOL_SCRIPT_ERROR_BAD_TENANT,       /* not a GUID */
  TB_POOL_SCRIPT_ERROR_BAD_HOST,         /* not an ASCII DNS host name */
  TB_POOL_SCRIPT_ERROR_BAD_URL,          /* not an https URL of a host name with a plain path */
  TB_POOL_SCRIPT_ERROR_BAD_VALUE,        /* a parameter value outside the alphabet */
  TB_POOL_SCRIPT_ERROR_TOO_LONG,         /* the encoded command line exceeds cmd.exe's limit */
  TB_POOL_SCRIPT_ERROR_BAD_SCRIPT,       /* no parameter block, or a malformed command line */
  TB_POOL_SCRIPT_ERROR_BAD_THUMBPRINT,   /* not 40 hexadecimal digits */
  TB_POOL_SCRIPT_ERROR_BAD_DATE,         /* not YYYY-MM-DDTHH:MM:SSZ */
} TbPoolScriptError;

GQuark tb_pool_script_error_quark (void);

typedef enum
{
  /* The .ps1 written for the admin: comments and indentation kept. */
  TB_POOL_SCRIPT_FORM_EXPORT,
  /* Comment lines and indentation stripped so -EncodedCommand stays under cmd.exe's limit. */
  TB_POOL_SCRIPT_FORM_TRANSPORT,
} TbPoolScriptForm;

/* cmd.exe's command-line limit, in characters, including "powershell.exe …". */
#define TB_POOL_SCRIPT_MAX_COMMAND_LINE 8191

/* Every character a parameter value may hold. */
#define TB_POOL_SCRIPT_VALUE_ALPHABET \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/_~"

#define TB_POOL_OAUTH_SERVER_IDENTITY          "microsoft.sts"
#define TB_POOL_PARTNER_APPLICATION_IDENTITY   "microsoft.exchange"
#define TB_POOL_EXCHANGE_APPLICATION_ID        "00000002-0000-0ff1-ce00-000000000000"
#define TB_POOL_SKYPE_SERVICE_NAME             "00000004-0000-0ff1-ce00-000000000000"

/* Validation, used before anything reaches a script. Each returns a new normalised string
 * (lower-case GUID; lower-case host; URL without a trailing "/") or NULL with a translated
 * error. */
char       *tb_pool_script_check_tenant_id       (const char        *tenant_id,
                                                  GError           **error);
char       *tb_pool_script_check_host_name       (const char        *host,
                                                  GError           **error);
/* "https://" host-name [":" port] [path of [A-Za-z0-9._~/-]], or "http://" with a loopback
 * address or localhost; no user info, query or fragment. */
char       *tb_pool_script_check_acs_url         (const char        *url,
                                                  GError           **error);
/* {acs_base}/{tenant}/metadata/json/1, both validated first. */
char       *tb_pool_script_metadata_url          (const char        *acs_base,
                                                  const char        *tenant_id,
                                                  GError           **error);

/* A single-quoted PowerShell literal with ' doubled. Refuses (NULL + error) any character
 * outside TB_POOL_SCRIPT_VALUE_ALPHABET: quoting alone is not trusted to be enough. */
char       *tb_pool_script_quote_literal         (const char        *value,
                                                  GError           **error);

/* The read script. Has no inputs, so it cannot fail. */
char       *tb_pool_script_new_read              (TbPoolScriptForm   form);
/* The apply script for @tenant_id on the cloud whose ACS base URL is @acs_base
 * ("https://accounts.accesscontrol.windows.net"). @dry_run sets DryRun = 'yes'. */
char       *tb_pool_script_new_apply             (const char        *tenant_id,
                                                  const char        *acs_base,
                                                  gboolean           dry_run,
                                                  TbPoolScriptForm   form,
                                                  GError           **error);

/* "powershell.exe -NoProfile -NonInteractive -EncodedCommand <Base64 of UTF-16LE @script>";
 * NULL with TB_POOL_SCRIPT_ERROR_TOO_LONG when longer than TB_POOL_SCRIPT_MAX_COMMAND_LINE. */
char       *tb_pool_script_encode_command        (const char        *script,
                                                  GError           **error);

/*
 * Renewal of the OAuthTokenIssuer certificate: TbScript 'renew' with, after it,
 *   Action         'stage' or 'cleanup'
 *   Thumbprint     40 upper-case hex digits: the certificate to stage, or the previous one
 *                  to remove
 *   EffectiveDate  YYYY-MM-DDTHH:MM:SSZ for 'stage', '' for 'cleanup'
 *   DryRun         'no' or 'yes'
 * 'stage' runs Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint <new> -Roll -EffectiveDate
 * <date> unless that certificate is already staged or current, and refuses a date less than
 * 24 hours ahead; 'cleanup' runs Remove-CsCertificate -Type OAuthTokenIssuer -Previous only
 * when the certificate named is known and another became effective after it. The transport
 * form prints no state; the export form ends like the read script (state line and file).
 */
typedef enum
{
  TB_POOL_RENEW_STAGE,
  TB_POOL_RENEW_CLEANUP,
} TbPoolRenewAction;

/* 40 hex digits (either case) → upper case; NULL with TB_POOL_SCRIPT_ERROR_BAD_THUMBPRINT. */
char       *tb_pool_script_check_thumbprint      (const char        *thumbprint,
                                                  GError           **error);
/* Exactly YYYY-MM-DDTHH:MM:SSZ → a UTC date; NULL with TB_POOL_SCRIPT_ERROR_BAD_DATE. */
GDateTime  *tb_pool_script_parse_effective_date  (const char        *date,
                                                  GError           **error);
/* @effective_date is required for TB_POOL_RENEW_STAGE (sent as UTC, whole seconds). */
char       *tb_pool_script_new_renew             (TbPoolRenewAction  action,
                                                  const char        *thumbprint,
                                                  GDateTime         *effective_date,
                                                  gboolean           dry_run,
                                                  TbPoolScriptForm   form,
                                                  GError           **error);

/* The script requesting a new OAuthTokenIssuer certificate from an enterprise CA, for the
 * admin to run at a Front End's console (Request-CsCertificate -New -Type OAuthTokenIssuer
 * -CA <ca> -FriendlyName <name> -DomainName <names> -KeySize 2048 -PrivateKeyExportable).
 * Parameters: TbScript 'request'; CAHost, the CA server's host name; CAName, the CA's name as
 * Base64url of UTF-8 without padding (it may hold spaces); FriendlyName (the value alphabet);
 * DomainName, host names joined with '/'; DryRun 'no' or 'yes' (prints what it would run).
 * @ca is "server\CA name"; @domain_names the certificate's names (the pool's SIP domain),
 * at least one. The export form ends like the read script, so the state it writes lists the
 * new certificate among the candidates. NULL with TB_POOL_SCRIPT_ERROR_BAD_VALUE (@ca) or
 * _BAD_HOST (a domain name). */
char       *tb_pool_script_new_request           (const char          *ca,
                                                  const char * const  *domain_names,
                                                  const char          *friendly_name,
                                                  gboolean             dry_run,
                                                  TbPoolScriptForm     form,
                                                  GError             **error);

G_END_DECLS
