/* test-winrm.c: WS-Management replies and CLIXML recorded from real servers parse correctly
 *
 * The fixtures in tests/fixtures/winrm come from pywinrm's test suite (MIT), which recorded
 * them from Windows servers; each file names its source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "tb-clixml.h"
#include "tb-winrm-shell-private.h"
#include "tb-winrm-soap.h"
#include "tb-xml.h"

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "winrm", name, NULL);
}

static GBytes *
load (const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static TbWinrmReply *
parse_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = load (name);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  TbWinrmReply *reply = tb_winrm_reply_parse (data, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static void
test_create_response (void)
{
  g_autoptr(TbWinrmReply) reply = parse_fixture ("pywinrm/open_shell_response.xml");

  g_assert_false (reply->is_fault);
  g_assert_cmpstr (reply->shell_id, ==, "11111111-1111-1111-1111-111111111113");
  g_assert_cmpstr (reply->action, ==,
                   "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse");
  g_assert_cmpstr (reply->relates_to, ==, "uuid:11111111-1111-1111-1111-111111111111");
}

static void
test_command_response (void)
{
  g_autoptr(TbWinrmReply) ps = parse_fixture ("pywinrm/run_cmd_ps_response.xml");
  g_autoptr(TbWinrmReply) cmd = parse_fixture ("pywinrm/run_cmd_req_input_response.xml");

  g_assert_cmpstr (ps->command_id, ==, "11111111-1111-1111-1111-111111111114");
  g_assert_null (ps->shell_id);
  g_assert_cmpstr (cmd->command_id, ==, "11111111-1111-1111-1111-111111111111");
}

static void
test_receive_cmd_output (void)
{
  g_autoptr(TbWinrmReply) reply = parse_fixture ("pywinrm/get_cmd_output_response.xml");
  g_autofree char *out = NULL;

  g_assert_true (reply->done);
  g_assert_true (reply->has_exit_code);
  g_assert_cmpint (reply->exit_code, ==, 0);
  g_assert_cmpstr (reply->command_id, ==, "11111111-1111-1111-1111-111111111114");
  g_assert_cmpuint (reply->err->len, ==, 0);
  out = g_strndup ((char *) reply->out->data, reply->out->len);
  /* Two stream chunks joined: the first ends right after the title, the second goes on. */
  g_assert_true (g_str_has_prefix (out, "\r\nWindows IP Configuration\r\n\r\n   Host Name"));
  g_assert_nonnull (strstr (out, "Tunnel adapter isatap.{BA160FC5-7028-4B1F-A04B-1AC802B0FF5A}"));
  g_assert_true (g_str_has_suffix (out, "Autoconfiguration Enabled . . . . : Yes\n"));
}

static void
test_receive_ps_output (void)
{
  g_autoptr(TbWinrmReply) reply = parse_fixture ("pywinrm/get_ps_output_response.xml");
  g_autofree char *text = NULL;

  g_assert_true (reply->done);
  g_assert_cmpint (reply->exit_code, ==, 1);
  g_assert_cmpuint (reply->out->len, ==, 0);
  g_assert_cmpuint (reply->err->len, >, 0);
  g_assert_true (g_str_has_prefix ((char *) reply->err->data, "#< CLIXML\r\n<Objs"));

  text = tb_clixml_decode_errors (reply->err->data, reply->err->len);
  g_assert_true (g_str_has_prefix (text, "Write-Error \"Error\" : Error\n"));
  g_assert_nonnull (strstr (text, "+ CategoryInfo          : NotSpecified: (:) [Write-Error]"));
  g_assert_true (g_str_has_suffix (text, "Commands.WriteErrorExceptio \n   n"));
}

static void
test_receive_send_input_output (void)
{
  g_autoptr(TbWinrmReply) reply =
    parse_fixture ("pywinrm/run_cmd_send_input_get_output_response.xml");
  g_autofree char *out = NULL;

  g_assert_true (reply->done);
  g_assert_cmpint (reply->exit_code, ==, 0);
  out = g_strndup ((char *) reply->out->data, reply->out->len);
  g_assert_cmpstr (out, ==,
                   "Microsoft Windows [Version 10.0.17763.107]\r\n"
                   "(c) 2018 Microsoft Corporation. All rights reserved.\r\n\r\n"
                   "C:\\Users\\rweber>echo hello world && exit\r\nhello world \r\n");
}

static void
test_signal_delete_responses (void)
{
  const char *names[] = {
    "pywinrm/cleanup_cmd_response.xml",
    "pywinrm/stdin_cmd_cleanup_response.xml",
    "pywinrm/close_shell_response.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TbWinrmReply) reply = parse_fixture (names[i]);

      g_assert_false (reply->is_fault);
      g_assert_false (reply->done);
      g_assert_nonnull (reply->action);
      g_assert_true (g_str_has_suffix (reply->action, i < 2 ? "/SignalResponse"
                                                             : "/DeleteResponse"));
    }
}

/* Every recorded file, request or reply, is an envelope the parser reads. */
static void
test_every_fixture_parses (void)
{
  g_autofree char *dir_path = fixture_path ("pywinrm");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *rel = NULL;
      g_autoptr(TbWinrmReply) reply = NULL;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      rel = g_build_filename ("pywinrm", name, NULL);
      reply = parse_fixture (rel);
      g_assert_nonnull (reply->action);
      count++;
    }
  g_assert_cmpuint (count, >=, 20);
}

static void
test_requests_match_recordings (void)
{
  /* Our requests carry what the recorded ones carry: action, resource, selector, options. */
  g_autofree char *create = tb_winrm_soap_create ("https://fe01.contoso.local:5986/wsman");
  g_autofree char *command = tb_winrm_soap_command ("https://h:5986/wsman", "SHELL-1",
                                                    "powershell -encodedcommand AA==");
  g_autofree char *receive = tb_winrm_soap_receive ("https://h:5986/wsman", "SHELL-1", "CMD-1");
  g_autofree char *signal = tb_winrm_soap_signal ("https://h:5986/wsman", "SHELL-1", "CMD-1");
  g_autofree char *del = tb_winrm_soap_delete ("https://h:5986/wsman", "SHELL-1");
  struct { const char *ours; const char *recorded; } pairs[] = {
    { create, "pywinrm/open_shell_request.xml" },
    { command, "pywinrm/run_ps_request.xml" },
    { receive, "pywinrm/get_cmd_ps_output_request.xml" },
    { signal, "pywinrm/cleanup_cmd_request.xml" },
    { del, "pywinrm/close_shell_request.xml" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr(GBytes) bytes = load (pairs[i].recorded);
      g_autoptr(TbXmlNode) ours = tb_xml_parse (pairs[i].ours, -1, NULL);
      g_autoptr(TbXmlNode) theirs = tb_xml_parse (g_bytes_get_data (bytes, NULL),
                                                  g_bytes_get_size (bytes), NULL);
      const char *paths[] = { "Header/Action", "Header/ResourceURI", "Header/MaxEnvelopeSize",
                              "Header/OperationTimeout" };

      g_assert_nonnull (ours);
      g_assert_nonnull (theirs);
      for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
        g_assert_cmpstr (tb_xml_node_get_text (tb_xml_node_path (ours, paths[j])), ==,
                         tb_xml_node_get_text (tb_xml_node_path (theirs, paths[j])));
      /* Create has no ShellId selector yet; everything after it has one, like the recordings. */
      g_assert_true ((tb_xml_node_path (theirs, "Header/SelectorSet") != NULL) ==
                     (tb_xml_node_path (ours, "Header/SelectorSet") != NULL));
      if (i > 0)
        g_assert_cmpstr (tb_xml_node_get_text (tb_xml_node_path (ours,
                                                                 "Header/SelectorSet/Selector")),
                         ==, "SHELL-1");
    }

  /* The options that make output UTF-8 and skip the profile. */
  {
    g_autoptr(TbXmlNode) root = tb_xml_parse (create, -1, NULL);

    g_assert_cmpstr (tb_xml_node_get_text (tb_xml_node_find (root, "Option", "Name",
                                                             "WINRS_CODEPAGE")), ==, "65001");
    g_assert_cmpstr (tb_xml_node_get_text (tb_xml_node_find (root, "Option", "Name",
                                                             "WINRS_NOPROFILE")), ==, "TRUE");
  }
  /* Markup in a command line is escaped, not interpreted. */
  {
    g_autofree char *tricky = tb_winrm_soap_command ("https://h:5986/wsman", "S",
                                                     "echo </rsp:Command><x>&amp;");
    g_autoptr(TbXmlNode) root = tb_xml_parse (tricky, -1, NULL);

    g_assert_cmpstr (tb_xml_node_get_text (tb_xml_node_find (root, "Command", NULL, NULL)), ==,
                     "echo </rsp:Command><x>&amp;");
  }
}

static void
test_faults (void)
{
  struct {
    const char *file;
    const char *value;
    const char *subcode;
    const char *code;
    const char *message;
    const char *machine;
  } cases[] = {
    { "pywinrm/faults/wsman_fault_known_fault.xml", "s:Receiver", "w:TimedOut", "2150858793",
      "The WS-Management service cannot complete the operation within the time specified in "
      "OperationTimeout.", "server2022.domain.test" },
    { "pywinrm/faults/wsman_fault_must_understand.xml", "s:MustUnderstand", NULL, NULL,
      "Test reason.", NULL },
    { "pywinrm/faults/wsman_fault_no_reason.xml", "s:Unknown", NULL, NULL, NULL, NULL },
    { "pywinrm/faults/wsman_fault_with_wsmanfault.xml", "s:Sender", "w:SchemaValidationError",
      "2150858817", "Detail message.", "SERVER2008.domain.local" },
    { "pywinrm/faults/wsman_fault_wmi_error_detail.xml", "s:Receiver", "w:InternalError",
      "2150859174", "WMI Message.", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TbWinrmReply) reply = parse_fixture (cases[i].file);

      g_test_message ("%s", cases[i].file);
      g_assert_true (reply->is_fault);
      g_assert_cmpstr (reply->fault_value, ==, cases[i].value);
      g_assert_cmpstr (reply->fault_subcode, ==, cases[i].subcode);
      g_assert_cmpstr (reply->fault_code, ==, cases[i].code);
      g_assert_cmpstr (reply->fault_message, ==, cases[i].message);
      g_assert_cmpstr (reply->fault_machine, ==, cases[i].machine);
      g_assert_false (reply->done);
    }
}

static void
test_bad_replies (void)
{
  const char *bad[] = {
    "",
    "not xml",
    "<a><b></a>",
    "<s:Envelope xmlns:s=\"x\"><s:Header/></s:Envelope>",                /* no body */
    "<html><body>Service Unavailable</body></html>",
    "<!DOCTYPE x [<!ENTITY e \"boom\">]><Envelope><Body>&e;</Body></Envelope>",
    "<Envelope><Body><ReceiveResponse><Stream Name=\"stdout\">@@@@</Stream>"
    "</ReceiveResponse></Body></Envelope>",
    "<Envelope><Body><ReceiveResponse><CommandState State=\"x/CommandState/Done\">"
    "<ExitCode>zero</ExitCode></CommandState></ReceiveResponse></Body></Envelope>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      TbWinrmReply *reply = tb_winrm_reply_parse (bad[i], strlen (bad[i]), &error);

      g_assert_null (reply);
      g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL);
    }

  /* Deep nesting and a billion elements are cut off before they cost anything. */
  {
    GString *deep = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    TbXmlNode *node;

    for (int i = 0; i < 10000; i++)
      g_string_append (deep, "<a>");
    node = tb_xml_parse (deep->str, deep->len, &error);
    g_assert_null (node);
    g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT);
    g_string_free (deep, TRUE);
  }
  {
    GString *wide = g_string_new ("<a>");
    g_autoptr(GError) error = NULL;
    TbXmlNode *node;

    for (int i = 0; i < TB_XML_MAX_ELEMENTS + 10; i++)
      g_string_append (wide, "<b/>");
    g_string_append (wide, "</a>");
    node = tb_xml_parse (wide->str, wide->len, &error);
    g_assert_null (node);
    g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT);
    g_string_free (wide, TRUE);
  }
}

static void
test_clixml_fixtures (void)
{
  g_autoptr(GBytes) stderr_bytes = load ("clixml/pywinrm_test_decode_clixml_error_stderr.bin");
  g_autoptr(GBytes) expected = load ("clixml/pywinrm_test_decode_clixml_error_expected.txt");
  g_autoptr(GBytes) no_errors = load ("clixml/pywinrm_test_decode_clixml_no_errors_stderr.bin");
  g_autoptr(GBytes) invalid = load ("clixml/pywinrm_test_decode_clixml_invalid_xml_stderr.bin");
  g_autofree char *expected_text = g_strndup (g_bytes_get_data (expected, NULL),
                                              g_bytes_get_size (expected));
  g_autofree char *text = NULL;

  text = tb_clixml_decode_errors (g_bytes_get_data (stderr_bytes, NULL),
                                  g_bytes_get_size (stderr_bytes));
  g_assert_cmpstr (text, ==, expected_text);
  g_clear_pointer (&text, g_free);

  /* Progress records only: nothing for the admin. */
  text = tb_clixml_decode_errors (g_bytes_get_data (no_errors, NULL),
                                  g_bytes_get_size (no_errors));
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);

  /* Broken XML is shown as it came rather than lost. */
  text = tb_clixml_decode_errors (g_bytes_get_data (invalid, NULL), g_bytes_get_size (invalid));
  g_assert_cmpstr (text, ==, "<in >dasf<?dsfij>");
}

static void
test_clixml_blocks (void)
{
  const char input[] =
    "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject"
    "</T></TN><MS><PR N=\"Record\"><AV>Preparing modules for first use.</AV></PR></MS></Obj>"
    "</Objs>"
    "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">"
    "<S S=\"Error\">Get-CsOAuthServer : caf_x00E9_ _xD83D__xDE00_ tab_x0009_end_x000D__x000A_</S>"
    "<S S=\"warning\">only a warning_x000D__x000A_</S>"
    "<S S=\"Error\">second line &amp; &lt;more&gt;_x000D__x000A_</S></Objs>";
  g_autofree char *text = tb_clixml_decode_errors ((const guint8 *) input, strlen (input));
  g_autofree char *lone = tb_clixml_unescape ("a_xD800_b_x0041__x12_");

  g_assert_cmpstr (text, ==,
                   "Get-CsOAuthServer : caf\xc3\xa9 \xf0\x9f\x98\x80 tab\tend\n"
                   "second line & <more>");
  /* A lone surrogate becomes U+FFFD; an incomplete escape stays as it is. */
  g_assert_cmpstr (lone, ==, "a\xef\xbf\xbd" "bA_x12_");
}

static void
test_clixml_plain_and_hostile (void)
{
  const char plain[] = "ipconfig: not found\r\n";
  const char doctype[] = "#< CLIXML\r\n<!DOCTYPE Objs [<!ENTITY x \"y\">]><Objs><S S=\"Error\">&x;</S></Objs>";
  g_autofree char *a = tb_clixml_decode_errors ((const guint8 *) plain, strlen (plain));
  g_autofree char *b = tb_clixml_decode_errors ((const guint8 *) doctype, strlen (doctype));
  g_autofree char *c = tb_clixml_decode_errors (NULL, 0);

  g_assert_cmpstr (a, ==, "ipconfig: not found");
  /* The entity is never expanded: the block is kept verbatim as text. */
  g_assert_cmpstr (b, ==, "<!DOCTYPE Objs [<!ENTITY x \"y\">]><Objs><S S=\"Error\">&x;</S></Objs>");
  g_assert_cmpstr (c, ==, "");
}

static void
decode_utf16le (const char *line,
                char      **script)
{
  const char *b64 = strrchr (line, ' ') + 1;
  gsize len;
  g_autofree guint8 *bytes = g_base64_decode (b64, &len);
  g_autofree gunichar2 *units = g_new0 (gunichar2, len / 2 + 1);

  for (gsize i = 0; i < len / 2; i++)
    units[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  *script = g_utf16_to_utf8 (units, len / 2, NULL, NULL, NULL);
}

static void
test_encoded_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = tb_winrm_encode_powershell ("Write-Error \"Error\"", &error);
  g_autofree char *back = NULL;
  g_autofree char *long_script = g_strnfill (3100, 'x');
  g_autofree char *fits = g_strnfill (3000, 'x');
  g_autofree char *fits_line = NULL;
  char *too_long;

  g_assert_no_error (error);
  /* Same encoding as pywinrm's recorded run_ps_request. */
  g_assert_true (g_str_has_suffix (line, " VwByAGkAdABlAC0ARQByAHIAbwByACAAIgBFAHIAcgBvAHIAIgA="));
  g_assert_true (g_str_has_prefix (line,
                                   "powershell.exe -NoProfile -NonInteractive -EncodedCommand "));

  decode_utf16le (line, &back);
  g_assert_cmpstr (back, ==, "Write-Error \"Error\"");
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&back, g_free);

  line = tb_winrm_encode_powershell ("'caf\xc3\xa9 \xf0\x9f\x98\x80'", &error);
  g_assert_no_error (error);
  decode_utf16le (line, &back);
  g_assert_cmpstr (back, ==, "'caf\xc3\xa9 \xf0\x9f\x98\x80'");

  fits_line = tb_winrm_encode_powershell (fits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (fits_line), <=, TB_WINRM_MAX_COMMAND_LINE);

  too_long = tb_winrm_encode_powershell (long_script, &error);
  g_assert_null (too_long);
  g_assert_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_COMMAND_TOO_LONG);
}

static void
test_fingerprint_and_auth_names (void)
{
  g_autofree char *a = tb_winrm_normalize_fingerprint (
    "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89");
  g_autofree char *b = tb_winrm_normalize_fingerprint ("abcd");
  g_autofree char *c = tb_winrm_normalize_fingerprint (
    "zz:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89");
  TbWinrmAuth auth;

  g_assert_cmpstr (a, ==, "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789");
  g_assert_null (b);
  g_assert_null (c);
  g_assert_true (tb_winrm_auth_from_string ("basic", &auth));
  g_assert_cmpint (auth, ==, TB_WINRM_AUTH_BASIC);
  g_assert_true (tb_winrm_auth_from_string ("kerberos", &auth));
  g_assert_cmpint (auth, ==, TB_WINRM_AUTH_KERBEROS);
  g_assert_false (tb_winrm_auth_from_string ("ntlm", &auth));
  g_assert_cmpstr (tb_winrm_auth_to_string (TB_WINRM_AUTH_BASIC), ==, "basic");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/winrm/fixtures/create", test_create_response);
  g_test_add_func ("/winrm/fixtures/command", test_command_response);
  g_test_add_func ("/winrm/fixtures/receive-cmd", test_receive_cmd_output);
  g_test_add_func ("/winrm/fixtures/receive-ps", test_receive_ps_output);
  g_test_add_func ("/winrm/fixtures/receive-input", test_receive_send_input_output);
  g_test_add_func ("/winrm/fixtures/signal-delete", test_signal_delete_responses);
  g_test_add_func ("/winrm/fixtures/all-parse", test_every_fixture_parses);
  g_test_add_func ("/winrm/fixtures/requests", test_requests_match_recordings);
  g_test_add_func ("/winrm/fixtures/faults", test_faults);
  g_test_add_func ("/winrm/bad-replies", test_bad_replies);
  g_test_add_func ("/winrm/clixml/fixtures", test_clixml_fixtures);
  g_test_add_func ("/winrm/clixml/blocks", test_clixml_blocks);
  g_test_add_func ("/winrm/clixml/plain-and-hostile", test_clixml_plain_and_hostile);
  g_test_add_func ("/winrm/encoded-command", test_encoded_command);
  g_test_add_func ("/winrm/fingerprint-and-auth", test_fingerprint_and_auth_names);

  return g_test_run ();
}
