/* test-pool.c: pool scripts (golden, hostile inputs, encoded length) and the pool state document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-pool-connection.h"
#include "tb-pool-script-private.h"
#include "tb-pool-state-private.h"
#include "tb-test-certs.h"

#define TENANT "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d"
#define GLOBAL_ACS "https://accounts.accesscontrol.windows.net"
#define EXPECTED_URL GLOBAL_ACS "/" TENANT "/metadata/json/1"

/* Golden files are compared byte for byte. TB_UPDATE_GOLDEN=1 rewrites them after an intended
 * change (review the diff before committing). */
static void
assert_golden (const char *name,
               const char *actual)
{
  g_autofree char *expected = NULL;

  if (g_strcmp0 (g_getenv ("TB_UPDATE_GOLDEN"), "1") == 0)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "golden", name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, actual, -1, &error);
      g_assert_no_error (error);
    }
  expected = tb_test_read_dist_file ("golden", name, NULL);
  g_assert_cmpstr (actual, ==, expected);
}

/* Script generation */

static void
test_script_golden (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *read_t = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  g_autofree char *apply = NULL;
  g_autofree char *apply_t = NULL;

  /* Upper-case input is normalised: the golden file holds the lower-case GUID. */
  apply = tb_pool_script_new_apply ("8C6F0A5E-3B1D-4F7A-9E2C-5D4B3A2F1E0D", GLOBAL_ACS "/",
                                    FALSE, TB_POOL_SCRIPT_FORM_EXPORT, &error);
  g_assert_no_error (error);
  apply_t = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE, TB_POOL_SCRIPT_FORM_TRANSPORT,
                                      &error);
  g_assert_no_error (error);

  assert_golden ("pool-read.ps1", read);
  assert_golden ("pool-apply.ps1", apply);
  assert_golden ("pool-read.transport.ps1", read_t);
  assert_golden ("pool-apply.transport.ps1", apply_t);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

/* What the issue asks of each script, checked on both forms. */
static void
test_script_content (void)
{
  const char *read_needs[] = {
    "Get-Module -ListAvailable", "'SkypeForBusiness','Lync'", "Import-Module",
    "$ProgressPreference='SilentlyContinue'", "Get-CsOAuthServer", "Get-CsPartnerApplication",
    "Get-CsOAuthConfiguration", "Get-CsService -WebServer",
    "Get-CsCertificate -Type OAuthTokenIssuer", "Cert:\\LocalMachine\\My\\", ".RawData",
    "try{", "catch{", "cmdlet=", "message=", "schema=1", "'TRUSTBRIDGE-STATE:'+",
    "[Text.Encoding]::UTF8", "ConvertTo-Json",
  };
  const char *apply_needs[] = {
    "New-CsOAuthServer @i -MetadataUrl $MetadataUrl @w",
    "Set-CsOAuthServer @i -MetadataUrl $MetadataUrl @w",
    "$i=@{Identity='microsoft.sts'}", "$i=@{Identity='microsoft.exchange'}",
    "'00000002-0000-0ff1-ce00-000000000000'", "Remove-CsPartnerApplication @i @w",
    "New-CsPartnerApplication @i -ApplicationIdentifier $a -ApplicationTrustLevel Full "
    "-UseOAuthServer @w",
    "Set-CsPartnerApplication @i -ApplicationTrustLevel Full -UseOAuthServer -Enabled $true @w",
    "'00000004-0000-0ff1-ce00-000000000000'", "Set-CsOAuthConfiguration -ServiceName $n @w",
    "WhatIf=$DryRun -eq 'yes' -or $WhatIfPreference", "throw 'Trust Bridge: no "
    "SkypeForBusiness or Lync module",
  };

  for (int form = TB_POOL_SCRIPT_FORM_EXPORT; form <= TB_POOL_SCRIPT_FORM_TRANSPORT; form++)
    {
      g_autofree char *read = tb_pool_script_new_read (form);
      g_autofree char *apply = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE, form, NULL);

      for (guint i = 0; i < G_N_ELEMENTS (read_needs); i++)
        {
          assert_contains (read, read_needs[i]);
          assert_contains (apply, read_needs[i]);
        }
      for (guint i = 0; i < G_N_ELEMENTS (apply_needs); i++)
        assert_contains (apply, apply_needs[i]);
      g_assert_null (strstr (read, "New-Cs"));
      g_assert_null (strstr (read, "Set-Cs"));
      g_assert_null (strstr (read, "Remove-Cs"));
      /* The state file only where a script file exists. */
      if (form == TB_POOL_SCRIPT_FORM_EXPORT)
        assert_contains (read, "if($PSScriptRoot){");
      else
        g_assert_null (strstr (read, "trust-bridge-state.json"));
      /* The read script's state is schema 2. The apply script's is too where it has room for
       * the schema 2 members (the exported file, which a renewal then reads); on the command
       * line it stays schema 1, without them. */
      assert_contains (read, "$s.schema=2");
      assert_contains (read, "TbEmit(TbAdd2(TbRead))");
      if (form == TB_POOL_SCRIPT_FORM_EXPORT)
        {
          assert_contains (apply, "$s.schema=2");
          assert_contains (apply, "$s.candidates=@(");
          assert_contains (apply, "$s.oauthCertificates=@(");
          assert_contains (apply, "finally{TbEmit(TbAdd2(TbRead))}");
        }
      else
        {
          g_assert_null (strstr (apply, "schema=2"));
          g_assert_null (strstr (apply, "candidates"));
          assert_contains (apply, "finally{TbEmit(TbRead)}");
        }
    }
}

/* The exported script is for people: comments and indentation; the transport form has none. */
static void
test_script_forms (void)
{
  g_autofree char *export = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE,
                                                      TB_POOL_SCRIPT_FORM_EXPORT, NULL);
  g_autofree char *transport = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE,
                                                         TB_POOL_SCRIPT_FORM_TRANSPORT, NULL);
  g_auto(GStrv) export_lines = g_strsplit (export, "\n", -1);
  g_auto(GStrv) transport_lines = g_strsplit (transport, "\n", -1);
  guint comments = 0;
  guint indented = 0;
  gboolean in_params = FALSE;

  for (guint i = 0; export_lines[i] != NULL; i++)
    {
      const char *l = export_lines[i];

      while (*l == ' ')
        l++;
      if (*l == '#')
        comments++;
      if (export_lines[i][0] == ' ')
        indented++;
    }
  g_assert_cmpuint (comments, >=, 15);
  g_assert_cmpuint (indented, >=, 20);
  assert_contains (export, "Set-CsPartnerApplication has no -ApplicationIdentifier");
  g_assert_cmpuint (strlen (transport), <, strlen (export) * 3 / 4);

  for (guint i = 0; transport_lines[i] != NULL; i++)
    {
      const char *l = transport_lines[i];

      if (g_str_equal (l, "param("))
        in_params = TRUE;
      else if (g_str_equal (l, ")"))
        in_params = FALSE;
      else if (!in_params)
        {
          g_assert_false (l[0] == ' ');
          g_assert_false (l[0] == '#');
        }
      g_assert_null (strchr (l, '\r'));
    }
}

static void
assert_params (const char *script,
               const char *kind,
               const char *metadata_url,
               const char *dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = tb_pool_script_parse_parameters (script, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, kind);
  g_assert_cmpstr (g_hash_table_lookup (params, "MetadataUrl"), ==, metadata_url);
  g_assert_cmpstr (g_hash_table_lookup (params, "DryRun"), ==, dry_run);
  g_assert_cmpuint (g_hash_table_size (params), ==, metadata_url != NULL ? 3 : 1);
}

/* The parameter block is the simulator's contract: same in both forms, parsed back exactly. */
static void
test_script_parameters (void)
{
  static const struct { const char *acs; const char *url; } clouds[] = {
    { GLOBAL_ACS, EXPECTED_URL },
    { "https://login.microsoftonline.us", "https://login.microsoftonline.us/" TENANT
      "/metadata/json/1" },
    { "https://accounts.accesscontrol.chinacloudapi.cn/", "https://accounts.accesscontrol."
      "chinacloudapi.cn/" TENANT "/metadata/json/1" },
    { "HTTPS://ACS.Example.TEST:8443/prefix/", "https://acs.example.test:8443/prefix/" TENANT
      "/metadata/json/1" },
  };

  for (int form = TB_POOL_SCRIPT_FORM_EXPORT; form <= TB_POOL_SCRIPT_FORM_TRANSPORT; form++)
    {
      g_autofree char *read = tb_pool_script_new_read (form);

      assert_params (read, "read", NULL, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (clouds); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *apply = tb_pool_script_new_apply (TENANT, clouds[i].acs, FALSE,
                                                             form, &error);
          g_autofree char *dry = tb_pool_script_new_apply (TENANT, clouds[i].acs, TRUE, form,
                                                           &error);

          g_assert_no_error (error);
          assert_params (apply, "apply", clouds[i].url, "no");
          assert_params (dry, "apply", clouds[i].url, "yes");
        }
    }

  /* The block's text is the same in both forms. */
  {
    g_autofree char *e = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE,
                                                   TB_POOL_SCRIPT_FORM_EXPORT, NULL);
    g_autofree char *t = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE,
                                                   TB_POOL_SCRIPT_FORM_TRANSPORT, NULL);
    const char *eb = strstr (e, "[CmdletBinding");
    const char *tb = strstr (t, "[CmdletBinding");
    const char *ee = strstr (eb, "\n)\n");
    const char *te = strstr (tb, "\n)\n");

    g_assert_cmpint (ee - eb, ==, te - tb);
    g_assert_true (memcmp (eb, tb, ee - eb) == 0);
    g_assert_true (g_str_has_prefix (t, "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n"
                                        "  [string]$TbScript = 'apply',\n  [string]$MetadataUrl"
                                        " = '" EXPECTED_URL "',\n  [string]$DryRun = 'no'\n)\n"));
  }

  /* Malformed blocks are refused; a doubled quote is undone. */
  {
    const char *bad[] = {
      "", "param(\n)\n", "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n",
      "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n  [string]$A = 'x\n)\n",
      "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n  [string]$A = 'x' + $y\n)\n",
      "[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n  [string]$A = 'x',\n"
      "  [string]$A = 'y'\n)\n",
      "Write-Host hi\n[CmdletBinding(SupportsShouldProcess=$true)]\nparam(\n)\n",
    };
    g_autoptr(GHashTable) quoted = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) e = NULL;

        g_assert_null (tb_pool_script_parse_parameters (bad[i], &e));
        g_assert_error (e, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_SCRIPT);
      }
    quoted = tb_pool_script_parse_parameters ("# c\n[CmdletBinding(SupportsShouldProcess=$true)]"
                                              "\nparam(\n  [string]$A = 'it''s'\n)\nbody\n",
                                              &error);
    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (quoted, "A"), ==, "it's");
  }
}

static void
test_hostile_tenant (void)
{
  const char *hostile[] = {
    "'; Remove-Item C:\\ -Recurse; '",
    TENANT "'; Remove-Item C:\\ -Recurse; '",
    "{" TENANT "}",
    TENANT " ",
    " " TENANT,
    TENANT "\n",
    "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0", /* one digit short */
    "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0dd",
    "8c6f0a5e3b1d-4f7a-9e2c-5d4b3a2f1e0d-",
    "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0g",
    "８c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d", /* full-width digit */
    "8c6f0a5e-3b1d-4f7a-9e2c-$(whoami)000",
    "contoso.onmicrosoft.com",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autofree char *checked = tb_pool_script_check_tenant_id (hostile[i], &error);
      g_autofree char *script = NULL;

      g_assert_null (checked);
      g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT);
      g_assert_nonnull (strstr (error->message, "GUID"));

      script = tb_pool_script_new_apply (hostile[i], GLOBAL_ACS, FALSE,
                                         TB_POOL_SCRIPT_FORM_EXPORT, &error2);
      g_assert_null (script);
      g_assert_error (error2, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT);
    }
}

static void
test_hostile_hosts (void)
{
  const char *hostile[] = {
    "pool 01.contoso.com", "pool01.contoso.com ", "pool01'.contoso.com", "pool01\".contoso.com",
    "pool01`.contoso.com", "$(Remove-Item C:\\).contoso.com", "pool01.contoso.com\nWrite-Host",
    "pool01.contoso.com\r", "pool01.cоntoso.com" /* Cyrillic o */, "pool01.contoso.cⲟm",
    "ｐool01.contoso.com", "pool01.contoso.com.", ".contoso.com", "pool01..contoso.com",
    "-pool01.contoso.com", "pool01-.contoso.com", "pool01", "192.168.1.10", "pool_01.contoso.com",
    "pool01.contoso.com;calc", "", "a@b.contoso.com",
  };
  g_autofree char *long_label = g_strnfill (64, 'a');
  g_autofree char *long_label_host = g_strconcat (long_label, ".contoso.com", NULL);
  g_autoptr(GString) long_host = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) url_error = NULL;
      g_autofree char *url = g_strconcat ("https://", hostile[i], NULL);

      g_assert_null (tb_pool_script_check_host_name (hostile[i], &error));
      g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_HOST);
      /* The same host as an ACS base never reaches a script. */
      g_assert_null (tb_pool_script_new_apply (TENANT, url, FALSE, TB_POOL_SCRIPT_FORM_EXPORT,
                                               &url_error));
      g_assert_error (url_error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_URL);
    }

  g_assert_null (tb_pool_script_check_host_name (long_label_host, NULL));
  while (long_host->len < 254)
    g_string_append (long_host, "abcdefghi.");
  g_string_append (long_host, "com");
  g_assert_null (tb_pool_script_check_host_name (long_host->str, NULL));

  {
    g_autofree char *ok = tb_pool_script_check_host_name ("Pool-01.Contoso.COM", NULL);
    g_autofree char *idn = tb_pool_script_check_host_name ("xn--cntoso-3ve.com", NULL);

    g_assert_cmpstr (ok, ==, "pool-01.contoso.com");
    g_assert_cmpstr (idn, ==, "xn--cntoso-3ve.com");
  }
}

static void
test_hostile_urls (void)
{
  const char *hostile[] = {
    "http://accounts.accesscontrol.windows.net",
    "ftp://accounts.accesscontrol.windows.net",
    "accounts.accesscontrol.windows.net",
    "https://",
    "https://user@accounts.accesscontrol.windows.net",
    "https://accounts.accesscontrol.windows.net:0",
    "https://accounts.accesscontrol.windows.net:65536",
    "https://accounts.accesscontrol.windows.net:",
    "https://accounts.accesscontrol.windows.net:443x",
    "https://accounts.accesscontrol.windows.net/?x=1",
    "https://accounts.accesscontrol.windows.net/#frag",
    "https://accounts.accesscontrol.windows.net/a%27b",
    "https://accounts.accesscontrol.windows.net/'+$(Remove-Item C:\\)+'",
    "https://accounts.accesscontrol.windows.net/`whoami`",
    "https://accounts.accesscontrol.windows.net/a b",
    "https://accounts.accesscontrol.windows.net/\nWrite-Host",
    "https://[::1]/",
    "https://127.0.0.1/",
    "http://127.0.0.1.contoso.com/",
    "http://10.0.0.1/",
    "http://user@127.0.0.1/",
    "http://::1/",
    "http://[::1",
    "http://[::1]x/",
    "http://[127.0.0.1]/",
    "http://localhost:99999/",
    "http://127.0.0.1/a?b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;

      g_assert_null (tb_pool_script_check_acs_url (hostile[i], &error));
      g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_URL);
      g_assert_null (tb_pool_script_metadata_url (hostile[i], TENANT, &error2));
      g_assert_nonnull (error2);
    }
}

/* Plain http:// is refused except to a loopback address, as for every other URL the app
 * takes: a metadata document read in the clear could name any realm. A custom endpoints
 * file for a test cloud on this machine still yields a metadata URL the pool can be given. */
static void
test_loopback_urls (void)
{
  const struct { const char *url; const char *expected; } accepted[] = {
    { "http://127.0.0.1:8443/acs/", "http://127.0.0.1:8443/acs" },
    { "HTTP://LOCALHOST:80", "http://localhost:80" },
    { "http://[::1]:9000/x", "http://[::1]:9000/x" },
    { "https://Accounts.AccessControl.Windows.net/", "https://accounts.accesscontrol.windows.net" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *metadata = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *checked = tb_pool_script_check_acs_url (accepted[i].url, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (checked, ==, accepted[i].expected);
    }

  metadata = tb_pool_script_metadata_url ("http://127.0.0.1:8443", TENANT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (metadata, ==, "http://127.0.0.1:8443/" TENANT "/metadata/json/1");
}

/* Quoting refuses what it would otherwise have to escape: defence in depth. */
static void
test_quote_literal (void)
{
  const char *refused[] = { "it's", "a$b", "a`b", "a\"b", "a b", "a\nb", "a;b", "é", "‘x’" };
  g_autofree char *plain = tb_pool_script_quote_literal ("https://a.b/c-d_e~f.g:1", NULL);
  g_autofree char *empty = tb_pool_script_quote_literal ("", NULL);

  g_assert_cmpstr (plain, ==, "'https://a.b/c-d_e~f.g:1'");
  g_assert_cmpstr (empty, ==, "''");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (tb_pool_script_quote_literal (refused[i], &error));
      g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_VALUE);
    }
}

/* Nothing from outside appears below the parameter block. */
static void
test_inputs_only_in_param_block (void)
{
  g_autofree char *script = tb_pool_script_new_apply (TENANT, "https://acs.example.test/xyzzy",
                                                      FALSE, TB_POOL_SCRIPT_FORM_EXPORT, NULL);
  const char *body = strstr (script, "\n)\n");

  g_assert_nonnull (body);
  g_assert_nonnull (strstr (script, TENANT));
  g_assert_null (strstr (body, TENANT));
  g_assert_null (strstr (body, "xyzzy"));
  g_assert_null (strstr (body, "acs.example.test"));
}

static void
test_encoded_length (void)
{
  const char *bases[] = {
    GLOBAL_ACS, "https://login.microsoftonline.us",
    "https://accounts.accesscontrol.chinacloudapi.cn",
  };
  g_autofree char *read = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_TRANSPORT);
  g_autofree char *read_line = NULL;
  g_autofree char *decoded = NULL;
  g_autoptr(GError) error = NULL;

  read_line = tb_pool_script_encode_command (read, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (read_line, "powershell.exe -NoProfile -NonInteractive "
                                              "-EncodedCommand "));
  g_assert_cmpuint (strlen (read_line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE);
  decoded = tb_pool_script_decode_command (read_line, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, read);

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    for (int dry = 0; dry <= 1; dry++)
      {
        g_autofree char *apply = tb_pool_script_new_apply (TENANT, bases[i], dry,
                                                           TB_POOL_SCRIPT_FORM_TRANSPORT, NULL);
        g_autofree char *line = tb_pool_script_encode_command (apply, &error);
        g_autofree char *back = NULL;

        g_assert_no_error (error);
        g_assert_cmpuint (strlen (line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE);
        /* Some room for the script to grow: fail here before a real server does. */
        g_assert_cmpuint (strlen (line), <=, TB_POOL_SCRIPT_MAX_COMMAND_LINE - 200);
        back = tb_pool_script_decode_command (line, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (back, ==, apply);
      }

  /* The exported form is too long for a command line, and that is reported, not truncated. */
  {
    g_autofree char *export = tb_pool_script_new_apply (TENANT, GLOBAL_ACS, FALSE,
                                                        TB_POOL_SCRIPT_FORM_EXPORT, NULL);

    g_assert_null (tb_pool_script_encode_command (export, &error));
    g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_TOO_LONG);
    g_clear_error (&error);
  }

  /* UTF-16LE: a known value ("hi" → "aABpAA=="). */
  {
    g_autofree char *hi = tb_pool_script_encode_command ("hi", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (hi, ==, "powershell.exe -NoProfile -NonInteractive -EncodedCommand aABpAA==");
  }

  {
    /* Damage is no script, never a different one: g_base64_decode would read the padding
     * inside or the space as data, and skip the '*'. */
    const char *bad[] = { "powershell.exe -Command x", "x -EncodedCommand ",
                          "x -EncodedCommand !!!!",
                          "x -EncodedCommand aGlh" /* three bytes: odd */,
                          "x -EncodedCommand aA=pAA==", "x -EncodedCommand aABpAA=",
                          "x -EncodedCommand aABp AA==", "x -EncodedCommand aABp*AA==",
                          "x -EncodedCommand aABpAA===" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) e = NULL;

        g_assert_null (tb_pool_script_decode_command (bad[i], &e));
        g_assert_error (e, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_SCRIPT);
      }
  }
}

/* State documents */

static char *
fixture (void)
{
  return tb_test_read_dist_file ("data", "pool-state-misconfigured.json", NULL);
}

static TbPoolState *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  TbPoolState *state = tb_pool_state_new_from_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (state);
  return state;
}

static void
assert_parse_error (const char *json,
                    gssize      length,
                    int         code,
                    const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;

  state = tb_pool_state_new_from_data (json, length < 0 ? strlen (json) : (gsize) length,
                                       &error);
  g_assert_null (state);
  g_assert_error (error, TB_POOL_STATE_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” not in “%s”", in_message, error->message);
}

static GDateTime *
fixed_now (void)
{
  return g_date_time_new_utc (2027, 6, 1, 12, 0, 0);
}

static const TbPoolCheck *
find_check (GPtrArray  *checks,
            const char *item)
{
  for (guint i = 0; i < checks->len; i++)
    {
      const TbPoolCheck *c = g_ptr_array_index (checks, i);

      if (g_str_equal (c->item, item))
        return c;
    }
  g_error ("no check %s", item);
  return NULL;
}

static void
test_state_fixture (void)
{
  g_autofree char *json = fixture ();
  g_autoptr(TbPoolState) state = parse_ok (json);
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fqdns = NULL;
  const TbPoolOAuthServer *sts;
  const TbPoolPartnerApplication *app;
  const TbPoolOAuthConfiguration *conf;
  const TbPoolCertificate *cert;
  const TbPoolCheck *c;

  g_assert_cmpstr (tb_pool_state_get_server_fqdn (state), ==, "fe01.contoso.local");
  g_assert_cmpstr (tb_pool_state_get_server_module (state), ==, "SkypeForBusiness");
  g_assert_cmpuint (tb_pool_state_get_oauth_servers (state)->len, ==, 1);
  sts = tb_pool_state_find_oauth_server (state, "Microsoft.STS");
  g_assert_nonnull (sts);
  g_assert_true (g_str_has_suffix (sts->metadata_url, "/metadata/json/1"));
  app = tb_pool_state_find_partner_application (state, "microsoft.exchange");
  g_assert_nonnull (app);
  g_assert_cmpint (app->use_oauth_server, ==, TB_POOL_BOOL_TRUE);
  g_assert_cmpint (tb_pool_state_get_oauth_configuration (state, &conf), ==, TB_POOL_PRESENT);
  g_assert_cmpstr (conf->service_name, ==, "00000004-0000-0ff1-ce00-000000000000");
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (state, &cert), ==, TB_POOL_PRESENT);
  g_assert_nonnull (cert->certificate);
  g_assert_null (cert->raw_data_error);
  g_assert_cmpstr (tb_certificate_get_sha1 (cert->certificate), ==, cert->thumbprint);
  g_assert_cmpstr (tb_certificate_get_common_name (cert->certificate), ==, "contoso.com");
  g_assert_cmpuint (tb_pool_state_get_errors (state)->len, ==, 0);

  fqdns = tb_pool_state_dup_external_fqdns (state);
  g_assert_cmpuint (g_strv_length (fqdns), ==, 2);
  g_assert_cmpstr (fqdns[0], ==, "webext.contoso.com");
  g_assert_cmpstr (fqdns[1], ==, "webext2.contoso.com");

  checks = tb_pool_state_check (state, TENANT, NULL, now, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checks->len, ==, 8);
  c = find_check (checks, TB_POOL_CHECK_OAUTH_SERVER);
  g_assert_cmpint (c->ok, ==, TB_POOL_CHECK_FAILED);
  /* The detail names the desired value. */
  g_assert_nonnull (strstr (c->detail, EXPECTED_URL));
  for (guint i = 1; i < checks->len; i++)
    {
      const TbPoolCheck *other = g_ptr_array_index (checks, i);

      g_assert_cmpint (other->ok, ==, TB_POOL_CHECK_OK);
    }
  g_assert_cmpint (tb_pool_checks_summary (checks), ==, TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (find_check (checks, TB_POOL_CHECK_WEB_SERVICES)->detail,
                            "webext2.contoso.com"));

  /* Without a tenant the URL cannot be judged. */
  g_clear_pointer (&checks, g_ptr_array_unref);
  checks = tb_pool_state_check (state, NULL, NULL, now, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_check (checks, TB_POOL_CHECK_OAUTH_SERVER)->ok, ==,
                   TB_POOL_CHECK_UNKNOWN);
  g_assert_cmpint (tb_pool_checks_summary (checks), ==, TB_POOL_CHECK_UNKNOWN);

  /* Bad check inputs are errors, not checks. */
  g_clear_pointer (&checks, g_ptr_array_unref);
  g_assert_null (tb_pool_state_check (state, "not-a-guid", NULL, now, 30, &error));
  g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_TENANT);
  g_clear_error (&error);
  g_assert_null (tb_pool_state_check (state, TENANT, "http://x.example.com", now, 30, &error));
  g_assert_error (error, TB_POOL_SCRIPT_ERROR, TB_POOL_SCRIPT_ERROR_BAD_URL);
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  g_assert_cmpuint (g_strv_length (parts), >=, 2);
  return g_strjoinv (to, parts);
}

static TbPoolCheckResult
check_result (const char *json,
              const char *item,
              GDateTime  *now,
              char      **detail)
{
  g_autoptr(TbPoolState) state = parse_ok (json);
  g_autoptr(GPtrArray) checks = tb_pool_state_check (state, TENANT, GLOBAL_ACS, now, 30, NULL);
  const TbPoolCheck *c = find_check (checks, item);

  if (detail != NULL)
    *detail = g_strdup (c->detail);
  return c->ok;
}

static void
test_state_checks (void)
{
  g_autofree char *json = fixture ();
  g_autoptr(GDateTime) now = fixed_now ();
  g_autofree char *good = replace (json, "0b9a2c4e-1d3f-4a5b-8c7d-6e5f4a3b2c1d/metadata", TENANT
                                   "/metadata");
  g_autofree char *upper_host = replace (good, "https://accounts.accesscontrol.windows.net",
                                         "https://Accounts.AccessControl.Windows.NET");
  g_autofree char *upper_path = replace (good, "/metadata/json/1", "/Metadata/json/1");
  g_autofree char *no_sts = replace (good, "\"identity\": \"microsoft.sts\"",
                                     "\"identity\": \"other.sts\"");
  g_autofree char *wrong_id = replace (good, "00000002-0000-0ff1-ce00-000000000000",
                                       "00000002-0000-0ff1-ce00-000000000001");
  g_autofree char *partner = replace (good, "\"Full\"", "\"Partner\"");
  g_autofree char *no_oauth = replace (good, "\"useOAuthServer\": true",
                                       "\"useOAuthServer\": false");
  g_autofree char *disabled = replace (good, "\"enabled\": true", "\"enabled\": false");
  g_autofree char *service = replace (good, "00000004-0000-0ff1-ce00-000000000000",
                                      "00000004-0000-0ff1-ce00-000000000999");
  g_autofree char *thumb = replace (good, "FE13557AA275687606BF1CA02D704740066D6052",
                                    "0000000000000000000000000000000000000000");
  g_autofree char *thumb_lower = replace (good, "FE13557AA275687606BF1CA02D704740066D6052",
                                          "fe13557aa275687606bf1ca02d704740066d6052");
  g_autofree char *raw_bad = replace (good, "\"rawData\": \"", "\"rawData\": \"!!");
  g_autofree char *one_ext = replace (good, "\"webext.contoso.com\"", "\"\"");
  g_autofree char *no_ext = replace (one_ext, "webext2.contoso.com", "bad host");
  g_autoptr(GDateTime) expiring = g_date_time_new_utc (2035, 12, 20, 0, 0, 0);
  g_autoptr(GDateTime) expired = g_date_time_new_utc (2036, 2, 1, 0, 0, 0);
  g_autoptr(GDateTime) early = g_date_time_new_utc (2023, 2, 1, 0, 0, 0);
  g_autofree char *detail = NULL;

  g_assert_cmpint (check_result (good, TB_POOL_CHECK_OAUTH_SERVER, now, NULL), ==,
                   TB_POOL_CHECK_OK);
  {
    g_autoptr(TbPoolState) state = parse_ok (good);
    g_autoptr(GPtrArray) checks = tb_pool_state_check (state, TENANT, NULL, now, 30, NULL);

    g_assert_cmpint (tb_pool_checks_summary (checks), ==, TB_POOL_CHECK_OK);
  }
  g_assert_cmpint (check_result (upper_host, TB_POOL_CHECK_OAUTH_SERVER, now, NULL), ==,
                   TB_POOL_CHECK_OK);
  g_assert_cmpint (check_result (upper_path, TB_POOL_CHECK_OAUTH_SERVER, now, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (no_sts, TB_POOL_CHECK_OAUTH_SERVER, now, &detail), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (detail, EXPECTED_URL));
  g_clear_pointer (&detail, g_free);

  g_assert_cmpint (check_result (wrong_id, TB_POOL_CHECK_PARTNER_APPLICATION, now, &detail), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (detail, "00000002-0000-0ff1-ce00-000000000000"));
  g_clear_pointer (&detail, g_free);
  g_assert_cmpint (check_result (partner, TB_POOL_CHECK_PARTNER_TRUST_LEVEL, now, &detail), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (detail, "Full"));
  g_clear_pointer (&detail, g_free);
  g_assert_cmpint (check_result (no_oauth, TB_POOL_CHECK_PARTNER_USE_OAUTH, now, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (disabled, TB_POOL_CHECK_PARTNER_ENABLED, now, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (service, TB_POOL_CHECK_OAUTH_SERVICE_NAME, now, &detail), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (detail, "00000004-0000-0ff1-ce00-000000000000"));
  g_clear_pointer (&detail, g_free);

  g_assert_cmpint (check_result (thumb, TB_POOL_CHECK_OAUTH_CERTIFICATE, now, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (thumb_lower, TB_POOL_CHECK_OAUTH_CERTIFICATE, now, NULL), ==,
                   TB_POOL_CHECK_OK);
  g_assert_cmpint (check_result (raw_bad, TB_POOL_CHECK_OAUTH_CERTIFICATE, now, &detail), ==,
                   TB_POOL_CHECK_FAILED);
  g_clear_pointer (&detail, g_free);
  g_assert_cmpint (check_result (good, TB_POOL_CHECK_OAUTH_CERTIFICATE, expiring, &detail), ==,
                   TB_POOL_CHECK_OK);
  g_assert_nonnull (strstr (detail, "renew"));
  g_clear_pointer (&detail, g_free);
  g_assert_cmpint (check_result (good, TB_POOL_CHECK_OAUTH_CERTIFICATE, expired, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (good, TB_POOL_CHECK_OAUTH_CERTIFICATE, early, NULL), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_cmpint (check_result (no_ext, TB_POOL_CHECK_WEB_SERVICES, now, NULL), ==,
                   TB_POOL_CHECK_FAILED);
}

/* Missing is unknown, [] and null are absent. */
static void
test_state_unknown_vs_absent (void)
{
  g_autoptr(TbPoolState) minimal = parse_ok ("{\"schema\": 1}");
  g_autoptr(TbPoolState) empty = parse_ok ("{\"schema\": 1, \"oauthServers\": [], "
                                           "\"partnerApplications\": [], \"webServices\": [], "
                                           "\"oauthConfiguration\": null, "
                                           "\"oauthCertificate\": null, \"errors\": []}");
  g_autoptr(TbPoolState) failed = parse_ok ("{\"schema\": 1, \"errors\": [{\"cmdlet\": "
                                            "\"Get-CsOAuthServer\", \"message\": \"Access is "
                                            "denied.\"}]}");
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) unknown = tb_pool_state_check (minimal, TENANT, NULL, now, 30, NULL);
  g_autoptr(GPtrArray) absent = tb_pool_state_check (empty, TENANT, NULL, now, 30, NULL);
  g_autoptr(GPtrArray) with_error = tb_pool_state_check (failed, TENANT, NULL, now, 30, NULL);

  g_assert_null (tb_pool_state_get_oauth_servers (minimal));
  g_assert_null (tb_pool_state_get_server_fqdn (minimal));
  g_assert_null (tb_pool_state_dup_external_fqdns (minimal));
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (minimal, NULL), ==, TB_POOL_UNKNOWN);
  g_assert_cmpint (tb_pool_state_get_oauth_configuration (minimal, NULL), ==, TB_POOL_UNKNOWN);
  for (guint i = 0; i < unknown->len; i++)
    g_assert_cmpint (((TbPoolCheck *) g_ptr_array_index (unknown, i))->ok, ==,
                     TB_POOL_CHECK_UNKNOWN);
  g_assert_cmpint (tb_pool_checks_summary (unknown), ==, TB_POOL_CHECK_UNKNOWN);

  g_assert_nonnull (tb_pool_state_get_oauth_servers (empty));
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (empty, NULL), ==, TB_POOL_ABSENT);
  g_assert_cmpint (tb_pool_state_get_oauth_configuration (empty, NULL), ==, TB_POOL_ABSENT);
  for (guint i = 0; i < absent->len; i++)
    g_assert_cmpint (((TbPoolCheck *) g_ptr_array_index (absent, i))->ok, ==,
                     TB_POOL_CHECK_FAILED);

  /* An unknown item says why, with the server's message. */
  g_assert_nonnull (strstr (find_check (with_error, TB_POOL_CHECK_OAUTH_SERVER)->detail,
                            "Access is denied."));

  /* Null strings and booleans inside records are unknown too. */
  {
    g_autoptr(TbPoolState) s = parse_ok ("{\"schema\":1,\"partnerApplications\":[{\"identity\":"
                                         "\"microsoft.exchange\",\"applicationIdentifier\":null,"
                                         "\"enabled\":null}]}");
    g_autoptr(GPtrArray) checks = tb_pool_state_check (s, TENANT, NULL, now, 30, NULL);

    g_assert_cmpint (find_check (checks, TB_POOL_CHECK_PARTNER_APPLICATION)->ok, ==,
                     TB_POOL_CHECK_UNKNOWN);
    g_assert_cmpint (find_check (checks, TB_POOL_CHECK_PARTNER_ENABLED)->ok, ==,
                     TB_POOL_CHECK_UNKNOWN);
  }
}

static void
test_state_unknown_members (void)
{
  g_autoptr(TbPoolState) state = parse_ok ("{\"schema\": 1, \"future\": {\"deep\": [1, 2]}, "
                                           "\"server\": {\"fqdn\": \"fe.contoso.com\", "
                                           "\"extra\": 5}, \"oauthServers\": [{\"identity\": "
                                           "\"microsoft.sts\", \"new\": true}]}");

  g_assert_cmpstr (tb_pool_state_get_server_fqdn (state), ==, "fe.contoso.com");
  g_assert_cmpuint (tb_pool_state_get_oauth_servers (state)->len, ==, 1);
}

static void
test_state_bad_documents (void)
{
  g_autofree char *huge = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"schema\": 1, \"x\": ");

  assert_parse_error ("{\"schema\": 3}", -1, TB_POOL_STATE_ERROR_BAD_SCHEMA, "schema 3");
  assert_parse_error ("{\"schema\": \"1\"}", -1, TB_POOL_STATE_ERROR_BAD_SCHEMA, "schema");
  assert_parse_error ("{\"schema\": 1.5}", -1, TB_POOL_STATE_ERROR_BAD_SCHEMA, "schema");
  assert_parse_error ("{\"server\": {}}", -1, TB_POOL_STATE_ERROR_BAD_SCHEMA, "schema");
  assert_parse_error ("[1, 2]", -1, TB_POOL_STATE_ERROR_NOT_JSON, NULL);
  assert_parse_error ("hello", -1, TB_POOL_STATE_ERROR_NOT_JSON, "JSON");
  assert_parse_error ("", -1, TB_POOL_STATE_ERROR_NOT_JSON, NULL);
  assert_parse_error ("{\"schema\": 1", -1, TB_POOL_STATE_ERROR_NOT_JSON, NULL);
  assert_parse_error ("{\"schema\": 1, \"x\": \"\xff\xfe\"}", -1, TB_POOL_STATE_ERROR_NOT_JSON,
                      "UTF-8");
  assert_parse_error ("{\"schema\": 1}\0junk", 18, TB_POOL_STATE_ERROR_NOT_JSON, NULL);

  /* Wrong types name the member. */
  assert_parse_error ("{\"schema\": 1, \"oauthServers\": \"x\"}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "oauthServers");
  assert_parse_error ("{\"schema\": 1, \"oauthServers\": [5]}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "oauthServers[0]");
  assert_parse_error ("{\"schema\": 1, \"partnerApplications\": [{}, {\"enabled\": \"yes\"}]}",
                      -1, TB_POOL_STATE_ERROR_BAD_MEMBER, "partnerApplications[1].enabled");
  assert_parse_error ("{\"schema\": 1, \"server\": {\"fqdn\": 7}}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "server.fqdn");
  assert_parse_error ("{\"schema\": 1, \"server\": []}", -1, TB_POOL_STATE_ERROR_BAD_MEMBER,
                      "server");
  assert_parse_error ("{\"schema\": 1, \"oauthCertificate\": {\"notAfter\": \"soon\"}}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "oauthCertificate.notAfter");
  assert_parse_error ("{\"schema\": 1, \"oauthConfiguration\": 3}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "oauthConfiguration");
  assert_parse_error ("{\"schema\": 1, \"errors\": [{\"message\": false}]}", -1,
                      TB_POOL_STATE_ERROR_BAD_MEMBER, "errors[0].message");

  /* Bounds, checked before parsing. */
  huge = g_strnfill (TB_POOL_STATE_MAX_SIZE + 1, ' ');
  memcpy (huge, "{\"schema\": 1}", 13);
  assert_parse_error (huge, -1, TB_POOL_STATE_ERROR_TOO_LARGE, NULL);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_parse_error (deep->str, -1, TB_POOL_STATE_ERROR_TOO_DEEP, NULL);
  /* Brackets inside strings do not count. */
  {
    g_autoptr(TbPoolState) s = parse_ok ("{\"schema\": 1, \"x\": \"[[[[[[[[[[[[[[[[[[[[[[[[\"}");

    g_assert_nonnull (s);
  }
}

static void
test_state_output (void)
{
  g_autofree char *json = fixture ();
  g_autofree char *line = tb_pool_state_encode_marker_line (json);
  g_autofree char *noisy = g_strdup_printf ("WARNING: something\r\n#< CLIXML\r\n<Objs Version=\"1.1"
                                            ".0.1\"><Obj S=\"progress\"/></Objs>\r\n"
                                            "TRUSTBRIDGE-STATE: in prose is not a marker\r\n"
                                            "  %s  \r\nDone.\r\n", line);
  g_autofree char *twice = g_strdup_printf ("%s\n%s\n", line, line);
  g_autofree char *other = tb_pool_state_encode_marker_line ("{\"schema\": 1}");
  g_autofree char *conflict = g_strdup_printf ("%s\n%s\n", line, other);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(TbPoolState) state2 = NULL;

  g_assert_true (g_str_has_prefix (line, TB_POOL_STATE_MARKER));
  /* "in prose" is not Base64: a marker whose payload is damaged is an error … */
  state = tb_pool_state_new_from_output (noisy, strlen (noisy), &error);
  g_assert_null (state);
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MARKER);
  g_clear_error (&error);

  /* … so real noise is what scripts print around it. */
  {
    g_autofree char *clean = g_strdup_printf ("WARNING: something\r\nTRUSTBRIDGE\r\n%s\r\n"
                                              "Done.\r\n", line);

    state = tb_pool_state_new_from_output (clean, strlen (clean), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tb_pool_state_get_server_fqdn (state), ==, "fe01.contoso.local");
  }

  state2 = tb_pool_state_new_from_output (twice, strlen (twice), &error);
  g_assert_no_error (error);
  g_assert_nonnull (state2);

  g_assert_null (tb_pool_state_new_from_output (conflict, strlen (conflict), &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_CONFLICTING_MARKERS);
  g_clear_error (&error);

  g_assert_null (tb_pool_state_new_from_output ("nothing here\n", 13, &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_NO_MARKER);
  g_clear_error (&error);

  g_assert_null (tb_pool_state_new_from_output ("TRUSTBRIDGE-STATE:\n", 19, &error));
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MARKER);
  g_clear_error (&error);

  /* A marker carrying a bad document gives the document's error. */
  {
    g_autofree char *bad = tb_pool_state_encode_marker_line ("{\"schema\": 7}");

    g_assert_null (tb_pool_state_new_from_output (bad, strlen (bad), &error));
    g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_SCHEMA);
    g_clear_error (&error);
  }

  /* The payload is strict Base64: padding inside or too much of it, or a length that is no
   * multiple of four, is a damaged marker, not a document read from other bytes. */
  {
    const char *damaged[] = {
      TB_POOL_STATE_MARKER "eyJzY2hlbWEiOiAxfQ=A",
      TB_POOL_STATE_MARKER "eyJz=2hlbWEiOiAxfQ==",
      TB_POOL_STATE_MARKER "eyJzY2hlbWEiOiAxf===",
      TB_POOL_STATE_MARKER "eyJzY2hlbWEiOiAxfQ=",
      TB_POOL_STATE_MARKER "====",
    };
    const char *good = TB_POOL_STATE_MARKER "eyJzY2hlbWEiOiAxfQ==";   /* {"schema": 1} */
    g_autoptr(TbPoolState) ok = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
      {
        g_assert_null (tb_pool_state_new_from_output (damaged[i], strlen (damaged[i]), &error));
        g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_BAD_MARKER);
        g_clear_error (&error);
      }
    ok = tb_pool_state_new_from_output (good, strlen (good), &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
}

/* The certificate's rawData is strict Base64 with line breaks allowed; damage is "not Base64",
 * never a certificate read from other bytes. */
static void
test_state_raw_data (void)
{
  g_autofree char *json = fixture ();
  g_autofree char *wrapped = replace (json, "\"rawData\": \"MIIDIDCC",
                                      "\"rawData\": \"MIID\\r\\nIDCC");
  static const struct { const char *from, *to; } damage[] = {
    { "\"rawData\": \"MIIDIDCC", "\"rawData\": \"MIID=DCC" },    /* padding inside */
    { "x/KB\"", "x/KB====\"" },                                  /* padding after the end */
    { "\"rawData\": \"MIIDIDCC", "\"rawData\": \"MIID*IDCC" },   /* outside the alphabet */
  };
  const TbPoolCertificate *cert;

  {
    g_autoptr(TbPoolState) state = parse_ok (wrapped);

    g_assert_cmpint (tb_pool_state_get_oauth_certificate (state, &cert), ==, TB_POOL_PRESENT);
    g_assert_null (cert->raw_data_error);
    g_assert_nonnull (cert->certificate);
    g_assert_cmpstr (tb_certificate_get_sha1 (cert->certificate), ==, cert->thumbprint);
  }
  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_autofree char *damaged = replace (json, damage[i].from, damage[i].to);
      g_autoptr(TbPoolState) state = parse_ok (damaged);

      g_assert_cmpint (tb_pool_state_get_oauth_certificate (state, &cert), ==, TB_POOL_PRESENT);
      g_assert_null (cert->certificate);
      g_assert_cmpstr (cert->raw_data_error, ==, "The certificate data is not Base64.");
    }
}

static TbPoolState *
load (const char  *name,
      const void  *data,
      gsize        len,
      GError     **error)
{
  g_autofree char *path = tb_test_write_file (name, data, len);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return tb_pool_state_new_from_file (file, NULL, error);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TbPoolState **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tb_pool_state_load_file_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_state_files (void)
{
  g_autofree char *json = fixture ();
  g_autofree char *line = tb_pool_state_encode_marker_line (json);
  g_autofree char *output = g_strdup_printf ("noise\r\n%s\r\n", line);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = NULL;
  g_autoptr(GByteArray) utf16 = g_byte_array_new ();
  g_autofree char *bom = g_strconcat ("\xef\xbb\xbf", json, NULL);
  g_autofree char *huge = g_strnfill (TB_POOL_STATE_MAX_SIZE + 10, '\n');

  state = load ("state.json", json, strlen (json), &error);
  g_assert_no_error (error);
  g_clear_object (&state);

  state = load ("bom.json", bom, strlen (bom), &error);
  g_assert_no_error (error);
  g_clear_object (&state);

  state = load ("output.txt", output, strlen (output), &error);
  g_assert_no_error (error);
  g_clear_object (&state);

  /* PowerShell 5's "> file": UTF-16LE with BOM. */
  g_byte_array_append (utf16, (const guint8 *) "\xff\xfe", 2);
  for (const char *p = output; *p != '\0'; p++)
    {
      guint8 unit[2] = { (guint8) *p, 0 };

      g_byte_array_append (utf16, unit, 2);
    }
  state = load ("output16.txt", utf16->data, utf16->len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tb_pool_state_get_server_module (state), ==, "SkypeForBusiness");
  g_clear_object (&state);

  state = load ("huge.json", huge, strlen (huge), &error);
  g_assert_null (state);
  g_assert_error (error, TB_POOL_STATE_ERROR, TB_POOL_STATE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  {
    g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/trust-bridge-state.json");

    g_assert_null (tb_pool_state_new_from_file (missing, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Off the main thread for the GUI. */
  {
    g_autofree char *path = tb_test_write_file ("async.json", json, strlen (json));
    g_autoptr(GFile) file = g_file_new_for_path (path);
    TbPoolState *result = NULL;

    tb_pool_state_load_file_async (file, NULL, loaded_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (tb_pool_state_get_server_fqdn (result), ==, "fe01.contoso.local");
    g_assert_finalize_object (result);
  }
}

/* The normalised document reads back as itself; the report adds the checks. */
static void
test_state_json_round_trip (void)
{
  g_autofree char *json = fixture ();
  g_autoptr(TbPoolState) state = parse_ok (json);
  g_autoptr(JsonNode) node = tb_pool_state_to_json_node (state);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(TbPoolState) again = parse_ok (text);
  g_autoptr(JsonNode) node2 = tb_pool_state_to_json_node (again);
  g_autofree char *text2 = json_to_string (node2, FALSE);
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) checks = tb_pool_state_check (state, TENANT, NULL, now, 30, NULL);
  g_autoptr(JsonNode) report = tb_pool_state_report_json (state, checks);
  JsonArray *array;
  JsonObject *first;

  g_assert_cmpstr (text, ==, text2);
  g_assert_null (strstr (text, "_fixture"));

  array = json_object_get_array_member (json_node_get_object (report), "checks");
  g_assert_cmpuint (json_array_get_length (array), ==, 8);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "item"), ==, "oauth-server");
  g_assert_false (json_object_get_boolean_member (first, "ok"));
  g_assert_nonnull (json_object_get_string_member (first, "detail"));

  /* Unknown members stay left out rather than becoming null. */
  {
    g_autoptr(TbPoolState) minimal = parse_ok ("{\"schema\": 1}");
    g_autoptr(JsonNode) m = tb_pool_state_to_json_node (minimal);
    JsonObject *o = json_node_get_object (m);

    g_assert_false (json_object_has_member (o, "oauthServers"));
    g_assert_false (json_object_has_member (o, "oauthCertificate"));
  }
}

/* The Pool page's port field, as an admin types it. */
static void
test_parse_port (void)
{
  const struct { const char *text; gboolean ok; guint port; } cases[] = {
    { "", TRUE, 0 }, { "  ", TRUE, 0 }, { "5986", TRUE, 5986 }, { " 443 ", TRUE, 443 },
    { "1", TRUE, 1 }, { "65535", TRUE, 65535 }, { "0", FALSE, 0 }, { "65536", FALSE, 0 },
    { "-1", FALSE, 0 }, { "59 86", FALSE, 0 }, { "0x1f", FALSE, 0 }, { "https", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint port = 12345;
      gboolean ok = tb_pool_connection_parse_port (cases[i].text, &port, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (port, ==, cases[i].port);
        }
      else
        {
          g_assert_error (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_BAD_PORT);
          g_assert_nonnull (strstr (error->message, "not a port number"));
          g_assert_cmpuint (port, ==, 12345);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/connection/parse-port", test_parse_port);
  g_test_add_func ("/pool/script/golden", test_script_golden);
  g_test_add_func ("/pool/script/content", test_script_content);
  g_test_add_func ("/pool/script/forms", test_script_forms);
  g_test_add_func ("/pool/script/parameters", test_script_parameters);
  g_test_add_func ("/pool/script/hostile-tenant", test_hostile_tenant);
  g_test_add_func ("/pool/script/hostile-hosts", test_hostile_hosts);
  g_test_add_func ("/pool/script/hostile-urls", test_hostile_urls);
  g_test_add_func ("/pool/script/loopback-urls", test_loopback_urls);
  g_test_add_func ("/pool/script/quote-literal", test_quote_literal);
  g_test_add_func ("/pool/script/inputs-only-in-param-block", test_inputs_only_in_param_block);
  g_test_add_func ("/pool/script/encoded-length", test_encoded_length);
  g_test_add_func ("/pool/state/fixture", test_state_fixture);
  g_test_add_func ("/pool/state/checks", test_state_checks);
  g_test_add_func ("/pool/state/unknown-vs-absent", test_state_unknown_vs_absent);
  g_test_add_func ("/pool/state/unknown-members", test_state_unknown_members);
  g_test_add_func ("/pool/state/bad-documents", test_state_bad_documents);
  g_test_add_func ("/pool/state/output", test_state_output);
  g_test_add_func ("/pool/state/raw-data", test_state_raw_data);
  g_test_add_func ("/pool/state/files", test_state_files);
  g_test_add_func ("/pool/state/json-round-trip", test_state_json_round_trip);

  return g_test_run ();
}
