/* tb-winrm-soap.h: WS-Management remote shell messages (MS-WSMV), built and parsed
 *
 * Requests follow what pywinrm and the Windows client send; replies are read by local name
 * through the bounded tree of tb-xml.h, so "s:" and "env:" prefixes both work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TB_WSMAN_RESOURCE_CMD   "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
#define TB_WSMAN_ACTION_CREATE  "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
#define TB_WSMAN_ACTION_DELETE  "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"
#define TB_WSMAN_ACTION_COMMAND "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command"
#define TB_WSMAN_ACTION_RECEIVE "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive"
#define TB_WSMAN_ACTION_SIGNAL  "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal"
#define TB_WSMAN_SIGNAL_TERMINATE \
  "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate"
#define TB_WSMAN_STATE_DONE \
  "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"

/* WSManFault codes this client acts on. */
#define TB_WSMAN_FAULT_TIMED_OUT        "2150858793"   /* Receive had nothing yet: poll again */
#define TB_WSMAN_FAULT_SHELL_NOT_FOUND  "2150858843"
#define TB_WSMAN_FAULT_TOO_MANY_SHELLS  "2150859173"
#define TB_WSMAN_FAULT_LINE_TOO_LONG    "2147942606"
#define TB_WSMAN_FAULT_ACCESS_DENIED    "5"

/* cmd.exe's limit on one command line, in characters. */
#define TB_WINRM_MAX_COMMAND_LINE 8191
#define TB_WINRM_OPERATION_TIMEOUT_S 20
#define TB_WINRM_MAX_ENVELOPE 153600

/* One SOAP request. @shell_id adds the ShellId selector; @options_xml goes inside
 * <w:OptionSet>; @body_xml inside <env:Body>. All three may be NULL. */
char *tb_winrm_soap_build     (const char *to,
                               const char *action,
                               const char *shell_id,
                               const char *options_xml,
                               const char *body_xml);
char *tb_winrm_soap_create    (const char *to);
char *tb_winrm_soap_command   (const char *to,
                               const char *shell_id,
                               const char *command_line);
char *tb_winrm_soap_receive   (const char *to,
                               const char *shell_id,
                               const char *command_id);
char *tb_winrm_soap_signal    (const char *to,
                               const char *shell_id,
                               const char *command_id);
char *tb_winrm_soap_delete    (const char *to,
                               const char *shell_id);

/* "powershell.exe -NoProfile -NonInteractive -EncodedCommand <Base64 of UTF-16LE>" whatever
 * its length; NULL with g_utf8_to_utf16()'s error when @script is not valid UTF-8. */
char *tb_winrm_powershell_command_line (const char  *script,
                                        GError     **error);
/* The same line, or NULL with TB_WINRM_ERROR_COMMAND_TOO_LONG when it would exceed cmd.exe's
 * limit (TB_WINRM_ERROR_PROTOCOL for text that is not UTF-8). */
char *tb_winrm_encode_powershell       (const char  *script,
                                        GError     **error);

typedef struct
{
  char       *action;
  char       *relates_to;
  char       *shell_id;       /* Create: Selector Name="ShellId" (or rsp:ShellId) */
  char       *command_id;     /* Command: rsp:CommandId; Receive: Stream/CommandState@CommandId */
  GByteArray *out;            /* Receive: stdout chunks, Base64-decoded and joined as bytes */
  GByteArray *err;            /* Receive: stderr, likewise */
  gboolean    done;           /* CommandState ends in /CommandState/Done */
  gboolean    has_exit_code;
  int         exit_code;

  gboolean    is_fault;
  char       *fault_value;    /* "s:Receiver" */
  char       *fault_subcode;  /* "w:TimedOut" */
  char       *fault_code;     /* WSManFault@Code, or MSFT_WmiError error_Code */
  char       *fault_reason;   /* s:Reason/s:Text */
  char       *fault_message;  /* f:Message, or MSFT_WmiError Message; else the reason */
  char       *fault_machine;
} TbWinrmReply;

/* NULL with TB_WINRM_ERROR_PROTOCOL when @data is not a SOAP envelope. Faults parse
 * successfully (is_fault). */
TbWinrmReply *tb_winrm_reply_parse (const char  *data,
                                    gsize        len,
                                    GError     **error);
void          tb_winrm_reply_free  (TbWinrmReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbWinrmReply, tb_winrm_reply_free)

G_END_DECLS
