/* test-sim-winrm-decode.c: the simulated Front End's own reading of commands
 *
 * The inputs are written by hand (the Base64 from `iconv -t UTF-16LE | base64`), never made
 * by the client's encoder, so the simulator checks the client against the documented formats.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tb-sim-winrm-decode.h"

static void
test_command_line (void)
{
  static const struct { const char *line; const char *script; } good[] = {
    { "powershell.exe -NoProfile -NonInteractive -EncodedCommand "
      "VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIAAnAGgAaQAnAA==", "Write-Output 'hi'" },
    /* Any case, the short forms, "/" for "-", no ".exe", extra blanks. */
    { "PowerShell -encodedcommand VwByAGkAdABlAC0ATwB1AHQAcAB1AHQAIAAnAGgAaQAnAA==",
      "Write-Output 'hi'" },
    { "powershell -e cABhAHIAYQBtACgAJABBACkA", "param($A)" },
    { "powershell -EC cABhAHIAYQBtACgAJABBACkA", "param($A)" },
    { "  powershell.exe\t-NoLogo /Enc   cABhAHIAYQBtACgAJABBACkA  ", "param($A)" },
    /* Letters outside the BMP come as surrogate pairs. */
    { "powershell.exe -EncodedCommand JwBHAHIA/ADfAGUAIACsICcAIAAjACAAPdgA3g==",
      "'Grüße €' # \xf0\x9f\x98\x80" },
  };
  static const char * const bad[] = {
    "",
    "cmd.exe /c echo hi",
    "powershellx -EncodedCommand cABhAHIAYQBtACgAJABBACkA",
    "powershell.exe -NoProfile",
    "powershell.exe -EncodedCommand",
    "powershell.exe -Command Write-Output hi",
    "powershell.exe -EncodedCommandX cABhAHIAYQBtACgAJABBACkA",
    "powershell.exe -EncodedCommand cABhAHIAYQBtACgAJABBACkA=",      /* not a multiple of 4 */
    "powershell.exe -EncodedCommand cABh=HIAYQBtACgAJABBACkA",      /* padding inside */
    "powershell.exe -EncodedCommand cABh*HIAYQBtACgAJABBACkA",      /* not Base64 */
    "powershell.exe -EncodedCommand aABp",                          /* odd byte count */
    "powershell.exe -EncodedCommand ANhBAA==",                      /* lone surrogate */
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *script = tb_sim_winrm_decode_command_line (good[i].line);

      g_assert_cmpstr (script, ==, good[i].script);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *script = tb_sim_winrm_decode_command_line (bad[i]);

      if (script != NULL)
        g_error ("decoded “%s” to “%s”", bad[i], script);
    }
}

static void
test_param_block (void)
{
  g_autoptr(GHashTable) params = NULL;

  params = tb_sim_winrm_parse_param_block (
    "# Trust Bridge\n"
    "# a second comment\n"
    "[CmdletBinding(SupportsShouldProcess=$true)]\n"
    "param(\n"
    "  [string]$TbScript = 'apply',\n"
    "  [string]$MetadataUrl = 'https://accounts.accesscontrol.windows.net/x/metadata/json/1',\n"
    "  [string]$DryRun = 'no'\n"
    ")\n"
    "Write-Output $TbScript\n");
  g_assert_nonnull (params);
  g_assert_cmpuint (g_hash_table_size (params), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (params, "TbScript"), ==, "apply");
  /* PowerShell's names are case-insensitive. */
  g_assert_cmpstr (g_hash_table_lookup (params, "tbscript"), ==, "apply");
  g_assert_cmpstr (g_hash_table_lookup (params, "MetadataUrl"), ==,
                   "https://accounts.accesscontrol.windows.net/x/metadata/json/1");
  g_assert_cmpstr (g_hash_table_lookup (params, "DryRun"), ==, "no");
  g_clear_pointer (&params, g_hash_table_unref);

  /* The literal forms, one line, CRLF, no type, no default. */
  params = tb_sim_winrm_parse_param_block (
    "Param([string] $A='it''s', $B = \"say \"\"hi\"\" `\"now`\"\",\r\n"
    "  [int]$C = 42, [switch]$D)");
  g_assert_nonnull (params);
  g_assert_cmpstr (g_hash_table_lookup (params, "A"), ==, "it's");
  g_assert_cmpstr (g_hash_table_lookup (params, "B"), ==, "say \"hi\" \"now\"");
  g_assert_cmpstr (g_hash_table_lookup (params, "C"), ==, "42");
  g_assert_cmpstr (g_hash_table_lookup (params, "D"), ==, "");
  g_clear_pointer (&params, g_hash_table_unref);

  params = tb_sim_winrm_parse_param_block ("param()");
  g_assert_nonnull (params);
  g_assert_cmpuint (g_hash_table_size (params), ==, 0);
  g_clear_pointer (&params, g_hash_table_unref);

  {
    static const char * const bad[] = {
      "",
      "Write-Output 'param($A)'",
      "param($A = 'unterminated)",
      "param($A 'no equals')",
      "param($A = 'x'",
      "param([string]A = 'x')",
      "[CmdletBinding(\nparam($A)",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      if ((params = tb_sim_winrm_parse_param_block (bad[i])) != NULL)
        g_error ("parsed “%s”", bad[i]);
  }
}

static void
test_effective_date (void)
{
  static const char * const bad[] = {
    "", "2027-01-15", "2027-01-15 09:30:00Z", "2027-01-15T09:30:00", "2027-01-15t09:30:00Z",
    "2027-01-15T09:30:00z", "2027-1-15T09:30:00Z", "2027-01-15T09:30:00+01", "+027-01-15T09:30:00Z",
    "2027-01-15T09:30:0\xd9\xa1Z", "2027-13-01T00:00:00Z", "2027-02-30T00:00:00Z",
    "2027-01-15T24:00:00Z", "2027-01-15T09:60:00Z", "2027-01-15T09:30:60Z", "0000-01-01T00:00:00Z",
  };
  g_autoptr(GDateTime) date = tb_sim_winrm_parse_exact_date ("2028-02-29T23:59:59Z");
  g_autofree char *text = NULL;

  g_assert_nonnull (date);
  text = g_date_time_format_iso8601 (date);
  g_assert_cmpstr (text, ==, "2028-02-29T23:59:59Z");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) parsed = tb_sim_winrm_parse_exact_date (bad[i]);

      if (parsed != NULL)
        g_error ("parsed “%s”", bad[i]);
    }
}

static void
test_metadata_url (void)
{
  static const char * const good[] = {
    "https://accounts.accesscontrol.windows.net/x/metadata/json/1",
    "HTTPS://accounts.accesscontrol.windows.net:443/x/metadata/json/1",
    "https://[2001:db8::1]/metadata/json/1",
    "http://127.0.0.1:41234/x/metadata/json/1",
    "http://[::1]:41234/x/metadata/json/1",
    "http://localhost/x/metadata/json/1",
  };
  static const char * const bad[] = {
    "",
    "accounts.accesscontrol.windows.net/x/metadata/json/1",
    "http://accounts.accesscontrol.windows.net/x/metadata/json/1",
    "http://192.0.2.1/x/metadata/json/1",
    "ftp://accounts.accesscontrol.windows.net/x",
    "https:///x/metadata/json/1",
    "https://exa mple.com/x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    if (!tb_sim_winrm_metadata_url_ok (good[i]))
      g_error ("refused “%s”", good[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (tb_sim_winrm_metadata_url_ok (bad[i]))
      g_error ("took “%s”", bad[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-winrm-decode/command-line", test_command_line);
  g_test_add_func ("/sim-winrm-decode/param-block", test_param_block);
  g_test_add_func ("/sim-winrm-decode/effective-date", test_effective_date);
  g_test_add_func ("/sim-winrm-decode/metadata-url", test_metadata_url);

  return g_test_run ();
}
