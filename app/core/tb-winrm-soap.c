/* tb-winrm-soap.c: WS-Management remote shell messages (MS-WSMV), built and parsed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-winrm-soap"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-json.h"
#include "tb-winrm-soap.h"
#include "tb-winrm-shell.h"
#include "tb-xml.h"

static const char envelope_open[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
  " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
  " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
  " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\""
  " xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\""
  " xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\">\n";

char *
tb_winrm_soap_build (const char *to,
                     const char *action,
                     const char *shell_id,
                     const char *options_xml,
                     const char *body_xml)
{
  GString *s = g_string_new (envelope_open);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *to_esc = g_markup_escape_text (to, -1);

  g_string_append (s, "  <env:Header>\n");
  g_string_append_printf (s, "    <a:To>%s</a:To>\n", to_esc);
  g_string_append (s,
    "    <a:ReplyTo><a:Address mustUnderstand=\"true\">"
    "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>\n");
  g_string_append_printf (s,
    "    <w:MaxEnvelopeSize mustUnderstand=\"true\">%d</w:MaxEnvelopeSize>\n",
    TB_WINRM_MAX_ENVELOPE);
  g_string_append_printf (s, "    <a:MessageID>uuid:%s</a:MessageID>\n", uuid);
  g_string_append (s,
    "    <w:Locale mustUnderstand=\"false\" xml:lang=\"en-US\"/>\n"
    "    <p:DataLocale mustUnderstand=\"false\" xml:lang=\"en-US\"/>\n");
  g_string_append_printf (s, "    <w:OperationTimeout>PT%dS</w:OperationTimeout>\n",
                          TB_WINRM_OPERATION_TIMEOUT_S);
  g_string_append (s, "    <w:ResourceURI mustUnderstand=\"true\">" TB_WSMAN_RESOURCE_CMD
                      "</w:ResourceURI>\n");
  g_string_append_printf (s, "    <a:Action mustUnderstand=\"true\">%s</a:Action>\n", action);
  if (shell_id != NULL)
    {
      g_autofree char *id = g_markup_escape_text (shell_id, -1);

      g_string_append_printf (s, "    <w:SelectorSet><w:Selector Name=\"ShellId\">%s"
                                 "</w:Selector></w:SelectorSet>\n", id);
    }
  if (options_xml != NULL)
    g_string_append_printf (s, "    <w:OptionSet>%s</w:OptionSet>\n", options_xml);
  g_string_append (s, "  </env:Header>\n  <env:Body>");
  if (body_xml != NULL)
    g_string_append (s, body_xml);
  g_string_append (s, "</env:Body>\n</env:Envelope>\n");
  return g_string_free (s, FALSE);
}

char *
tb_winrm_soap_create (const char *to)
{
  /* No profile: faster, and nothing of the admin's profile script runs. Code page 65001 so
   * that output arrives as UTF-8 whatever the server's OEM code page is. */
  return tb_winrm_soap_build (to, TB_WSMAN_ACTION_CREATE, NULL,
                              "<w:Option Name=\"WINRS_NOPROFILE\">TRUE</w:Option>"
                              "<w:Option Name=\"WINRS_CODEPAGE\">65001</w:Option>",
                              "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams>"
                              "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>");
}

char *
tb_winrm_soap_command (const char *to,
                       const char *shell_id,
                       const char *command_line)
{
  g_autofree char *line = g_markup_escape_text (command_line, -1);
  g_autofree char *body = g_strdup_printf ("<rsp:CommandLine><rsp:Command>%s</rsp:Command>"
                                           "</rsp:CommandLine>", line);

  return tb_winrm_soap_build (to, TB_WSMAN_ACTION_COMMAND, shell_id,
                              "<w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">TRUE</w:Option>"
                              "<w:Option Name=\"WINRS_SKIP_CMD_SHELL\">FALSE</w:Option>",
                              body);
}

char *
tb_winrm_soap_receive (const char *to,
                       const char *shell_id,
                       const char *command_id)
{
  g_autofree char *id = g_markup_escape_text (command_id, -1);
  g_autofree char *body = g_strdup_printf ("<rsp:Receive><rsp:DesiredStream CommandId=\"%s\">"
                                           "stdout stderr</rsp:DesiredStream></rsp:Receive>", id);

  return tb_winrm_soap_build (to, TB_WSMAN_ACTION_RECEIVE, shell_id, NULL, body);
}

char *
tb_winrm_soap_signal (const char *to,
                      const char *shell_id,
                      const char *command_id)
{
  g_autofree char *id = g_markup_escape_text (command_id, -1);
  g_autofree char *body = g_strdup_printf ("<rsp:Signal CommandId=\"%s\"><rsp:Code>"
                                           TB_WSMAN_SIGNAL_TERMINATE
                                           "</rsp:Code></rsp:Signal>", id);

  return tb_winrm_soap_build (to, TB_WSMAN_ACTION_SIGNAL, shell_id, NULL, body);
}

char *
tb_winrm_soap_delete (const char *to,
                      const char *shell_id)
{
  return tb_winrm_soap_build (to, TB_WSMAN_ACTION_DELETE, shell_id, NULL, NULL);
}

char *
tb_winrm_powershell_command_line (const char  *script,
                                  GError     **error)
{
  g_autofree gunichar2 *utf16 = NULL;
  g_autofree guint8 *le = NULL;
  g_autofree char *b64 = NULL;
  glong units = 0;

  utf16 = g_utf8_to_utf16 (script, -1, NULL, &units, error);
  if (utf16 == NULL)
    return NULL;
  /* PowerShell wants UTF-16 little-endian whatever the host's byte order. */
  le = g_malloc (units * 2 + 1);
  for (glong i = 0; i < units; i++)
    {
      le[2 * i] = utf16[i] & 0xff;
      le[2 * i + 1] = utf16[i] >> 8;
    }
  b64 = g_base64_encode (le, units * 2);
  return g_strconcat ("powershell.exe -NoProfile -NonInteractive -EncodedCommand ", b64, NULL);
}

char *
tb_winrm_encode_powershell (const char  *script,
                            GError     **error)
{
  char *line = tb_winrm_powershell_command_line (script, NULL);

  if (line == NULL)
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL,
                           _("The script is not valid UTF-8 text."));
      return NULL;
    }
  if (strlen (line) > TB_WINRM_MAX_COMMAND_LINE)
    {
      g_set_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_COMMAND_TOO_LONG,
                   _("The script is too long to run remotely: encoded, it needs %zu characters "
                     "and a Windows command line holds at most %d. Export it and run it on the "
                     "server instead."),
                   strlen (line), TB_WINRM_MAX_COMMAND_LINE);
      g_free (line);
      return NULL;
    }
  return line;
}

void
tb_winrm_reply_free (TbWinrmReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->action);
  g_free (reply->relates_to);
  g_free (reply->shell_id);
  g_free (reply->command_id);
  g_byte_array_unref (reply->out);
  g_byte_array_unref (reply->err);
  g_free (reply->fault_value);
  g_free (reply->fault_subcode);
  g_free (reply->fault_code);
  g_free (reply->fault_reason);
  g_free (reply->fault_message);
  g_free (reply->fault_machine);
  g_free (reply);
}

static char *
dup_text_or_null (TbXmlNode *node)
{
  const char *text = tb_xml_node_get_text (node);

  return node != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static gboolean
append_base64 (GByteArray  *to,
               const char  *text,
               GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len = strlen (text);

  /* An empty stream element carries no output. */
  if (strspn (text, " \t\r\n") == len)
    return TRUE;
  /* Strict: a corrupted reply is an error rather than silently different output. */
  bytes = tb_json_base64_decode_strict (text, len);
  if (bytes == NULL)
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL,
                           _("The server sent output that is not valid Base64."));
      return FALSE;
    }
  g_byte_array_append (to, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}

static void
parse_fault (TbWinrmReply *reply,
             TbXmlNode    *fault)
{
  TbXmlNode *code = tb_xml_node_child (fault, "Code");
  TbXmlNode *detail = tb_xml_node_child (fault, "Detail");
  TbXmlNode *wsman = tb_xml_node_find (detail, "WSManFault", NULL, NULL);
  TbXmlNode *wmi = tb_xml_node_find (detail, "MSFT_WmiError", NULL, NULL);

  reply->is_fault = TRUE;
  reply->fault_value = dup_text_or_null (tb_xml_node_child (code, "Value"));
  reply->fault_subcode = dup_text_or_null (tb_xml_node_path (code, "Subcode/Value"));
  reply->fault_reason = dup_text_or_null (tb_xml_node_path (fault, "Reason/Text"));

  if (wsman != NULL)
    {
      reply->fault_code = g_strdup (tb_xml_node_get_attr (wsman, "Code"));
      reply->fault_machine = g_strdup (tb_xml_node_get_attr (wsman, "Machine"));
      reply->fault_message = dup_text_or_null (tb_xml_node_find (wsman, "Message", NULL, NULL));
      /* Some faults nest the real text as <f:Message><f:ProviderFault>…</f:ProviderFault>. */
      if (reply->fault_message == NULL)
        {
          TbXmlNode *provider = tb_xml_node_find (wsman, "ProviderFault", NULL, NULL);

          reply->fault_message = dup_text_or_null (provider);
        }
    }
  else if (wmi != NULL)
    {
      reply->fault_code = dup_text_or_null (tb_xml_node_child (wmi, "error_Code"));
      reply->fault_message = dup_text_or_null (tb_xml_node_child (wmi, "Message"));
      if (reply->fault_message == NULL)
        reply->fault_message =
          dup_text_or_null (tb_xml_node_child (wmi, "error_WindowsErrorMessage"));
    }

  if (reply->fault_message == NULL && reply->fault_reason != NULL)
    reply->fault_message = g_strdup (reply->fault_reason);
}

/* rsp:CommandState: whether the command is done, and its exit code once it is. */
static gboolean
parse_command_state (TbWinrmReply  *reply,
                     TbXmlNode     *state,
                     GError       **error)
{
  const char *value = tb_xml_node_get_attr (state, "State");
  TbXmlNode *exit_code = tb_xml_node_child (state, "ExitCode");
  const char *text;
  gint64 v;

  if (reply->command_id == NULL && tb_xml_node_get_attr (state, "CommandId") != NULL)
    reply->command_id = g_strdup (tb_xml_node_get_attr (state, "CommandId"));
  reply->done = value != NULL && g_str_has_suffix (value, "/CommandState/Done");
  if (exit_code == NULL)
    return TRUE;

  text = tb_xml_node_get_text (exit_code);
  if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXUINT32, &v, NULL))
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL,
                           _("The server sent an exit code that is not a number."));
      return FALSE;
    }
  reply->has_exit_code = TRUE;
  /* Windows exit codes are DWORDs; show 0xC0000005 as the negative int it is. */
  reply->exit_code = (int) (gint32) (guint32) v;
  return TRUE;
}

/* rsp:ReceiveResponse: the stdout and stderr streams, then the command's state. */
static gboolean
parse_receive (TbWinrmReply  *reply,
               TbXmlNode     *response,
               GError       **error)
{
  TbXmlNode *state;

  for (guint i = 0; i < response->children->len; i++)
    {
      TbXmlNode *stream = g_ptr_array_index (response->children, i);
      const char *name = tb_xml_node_get_attr (stream, "Name");
      GByteArray *to;

      if (!g_str_equal (stream->name, "Stream"))
        continue;
      if (g_strcmp0 (name, "stdout") == 0)
        to = reply->out;
      else if (g_strcmp0 (name, "stderr") == 0)
        to = reply->err;
      else
        continue;
      if (reply->command_id == NULL && tb_xml_node_get_attr (stream, "CommandId") != NULL)
        reply->command_id = g_strdup (tb_xml_node_get_attr (stream, "CommandId"));
      if (!append_base64 (to, tb_xml_node_get_text (stream), error))
        return FALSE;
    }

  state = tb_xml_node_child (response, "CommandState");
  return state == NULL || parse_command_state (reply, state, error);
}

TbWinrmReply *
tb_winrm_reply_parse (const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(TbWinrmReply) reply = g_new0 (TbWinrmReply, 1);
  g_autoptr(TbXmlNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  TbXmlNode *header, *body, *fault, *node;

  reply->out = g_byte_array_new ();
  reply->err = g_byte_array_new ();

  root = tb_xml_parse (data, len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL,
                   _("The server’s reply is not valid XML: %s"), local_error->message);
      return NULL;
    }
  if (!g_str_equal (root->name, "Envelope") || (body = tb_xml_node_child (root, "Body")) == NULL)
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_PROTOCOL,
                           _("The server’s reply is not a SOAP envelope."));
      return NULL;
    }

  header = tb_xml_node_child (root, "Header");
  reply->action = dup_text_or_null (tb_xml_node_child (header, "Action"));
  reply->relates_to = dup_text_or_null (tb_xml_node_child (header, "RelatesTo"));

  fault = tb_xml_node_child (body, "Fault");
  if (fault != NULL)
    {
      parse_fault (reply, fault);
      return g_steal_pointer (&reply);
    }

  /* Create: the ShellId selector of the new resource; some servers answer with rsp:Shell. */
  node = tb_xml_node_find (body, "Selector", "Name", "ShellId");
  if (node == NULL)
    node = tb_xml_node_find (body, "ShellId", NULL, NULL);
  reply->shell_id = dup_text_or_null (node);

  node = tb_xml_node_find (body, "CommandId", NULL, NULL);
  reply->command_id = dup_text_or_null (node);

  node = tb_xml_node_child (body, "ReceiveResponse");
  if (node != NULL && !parse_receive (reply, node, error))
    return NULL;

  return g_steal_pointer (&reply);
}
