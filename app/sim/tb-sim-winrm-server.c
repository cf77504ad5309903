/* tb-sim-winrm-server.c: the simulated Front End's WS-Management listener: SOAP, Basic and
 * Negotiate authentication, faults on demand, HTTPS on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-winrm-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tb-dl-krb5.h"
#include "tb-dl-soup.h"
#include "tb-secret.h"
#include "tb-sim-winrm-private.h"
#include "tb-winrm-soap.h"
#include "tb-xml.h"


/* ------------------------------------------------------------------------------------------ */
/* SOAP */

static void
command_free (Command *command)
{
  g_free (command->id);
  g_bytes_unref (command->out);
  g_bytes_unref (command->err);
  g_free (command);
}

static const char reply_open[] =
  "<s:Envelope xml:lang=\"en-US\" xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
  " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
  " xmlns:x=\"http://schemas.xmlsoap.org/ws/2004/09/transfer\""
  " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\""
  " xmlns:rsp=\"http://schemas.microsoft.com/wbem/wsman/1/windows/shell\""
  " xmlns:p=\"http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd\">";

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *action,
       const char        *relates_to,
       const char        *body)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *up = g_ascii_strup (uuid, -1);
  g_autofree char *rel = g_markup_escape_text (relates_to != NULL ? relates_to : "", -1);
  char *text = g_strdup_printf ("%s<s:Header><a:Action>%s</a:Action>"
                                "<a:MessageID>uuid:%s</a:MessageID>"
                                "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/"
                                "anonymous</a:To><a:RelatesTo>%s</a:RelatesTo></s:Header>"
                                "<s:Body>%s</s:Body></s:Envelope>",
                                reply_open, action, up, rel, body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/soap+xml;charset=UTF-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
fault (SoupServerMessage *msg,
       const char        *relates_to,
       const char        *value,
       const char        *subcode,
       const char        *code,
       const char        *message)
{
  g_autofree char *esc = g_markup_escape_text (message, -1);
  g_autofree char *body =
    g_strdup_printf ("<s:Fault><s:Code><s:Value>%s</s:Value><s:Subcode><s:Value>%s</s:Value>"
                     "</s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">%s</s:Text>"
                     "</s:Reason><s:Detail><f:WSManFault "
                     "xmlns:f=\"http://schemas.microsoft.com/wbem/wsman/1/wsmanfault\" "
                     "Code=\"%s\" Machine=\"" DEMO_FQDN "\"><f:Message>%s</f:Message>"
                     "</f:WSManFault></s:Detail></s:Fault>",
                     value, subcode, esc, code, esc);

  reply (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
         "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault", relates_to, body);
}

static char *
new_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_ascii_strup (uuid, -1);
}

static void
append_chunks (GString    *body,
               Command    *command,
               GBytes     *bytes,
               gsize      *pos,
               const char *name,
               guint       max_chunks)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (guint i = 0; i < max_chunks && *pos < len; i++)
    {
      gsize size = chunk_sizes[command->chunk++ % G_N_ELEMENTS (chunk_sizes)];
      gsize n = MIN (size, len - *pos);
      g_autofree char *b64 = g_base64_encode (data + *pos, n);

      g_string_append_printf (body, "<rsp:Stream Name=\"%s\" CommandId=\"%s\">%s</rsp:Stream>",
                              name, command->id, b64);
      *pos += n;
    }
}

static void
handle_receive (TbSimWinrm        *self,
                SoupServerMessage *msg,
                const char        *relates_to,
                Shell             *shell,
                TbXmlNode         *body)
{
  TbXmlNode *desired = tb_xml_node_find (body, "DesiredStream", NULL, NULL);
  const char *id = tb_xml_node_get_attr (desired, "CommandId");
  Command *command = id != NULL ? g_hash_table_lookup (shell->commands, id) : NULL;
  g_autoptr(GString) out = g_string_new ("<rsp:ReceiveResponse>");
  gboolean done;

  if (command == NULL)
    {
      fault (msg, relates_to, "s:Sender", "w:InvalidParameter", "2150858787",
             "The WS-Management service cannot process the request because the command "
             "identifier is not valid.");
      return;
    }
  if (command->timeouts_left > 0)
    {
      command->timeouts_left--;
      fault (msg, relates_to, "s:Receiver", "w:TimedOut", TB_WSMAN_FAULT_TIMED_OUT,
             "The WS-Management service cannot complete the operation within the time "
             "specified in OperationTimeout.  ");
      return;
    }

  /* A few chunks a reply, so that long output needs several Receives. */
  append_chunks (out, command, command->out, &command->out_pos, "stdout", 4);
  append_chunks (out, command, command->err, &command->err_pos, "stderr", 3);
  done = command->out_pos == g_bytes_get_size (command->out) &&
         command->err_pos == g_bytes_get_size (command->err);
  if (done)
    g_string_append_printf (out,
                            "<rsp:Stream Name=\"stdout\" CommandId=\"%s\" End=\"true\"/>"
                            "<rsp:Stream Name=\"stderr\" CommandId=\"%s\" End=\"true\"/>"
                            "<rsp:CommandState CommandId=\"%s\" State=\"" TB_WSMAN_STATE_DONE
                            "\"><rsp:ExitCode>%d</rsp:ExitCode></rsp:CommandState>",
                            command->id, command->id, command->id, command->exit_code);
  else
    g_string_append_printf (out, "<rsp:CommandState CommandId=\"%s\" State=\"http://schemas."
                                 "microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running\"/>",
                            command->id);
  g_string_append (out, "</rsp:ReceiveResponse>");
  reply (msg, SOUP_STATUS_OK,
         "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/ReceiveResponse",
         relates_to, out->str);
}

/* Create: a new shell for @principal, within the per-user quota. */
static void
handle_create (TbSimWinrm        *self,
               SoupServerMessage *msg,
               const char        *principal,
               const char        *message_id)
{
  Shell *shell;
  GHashTableIter iter;
  gpointer value;
  guint owned = 0;
  g_autofree char *out = NULL;

  if (_tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_SHELL_DISABLED))
    {
      fault (msg, message_id, "s:Sender", "w:AccessDenied", "2147942405",
             "The WS-Management service cannot process the request. The service is "
             "configured to not accept any remote shell requests. ");
      return;
    }
  g_hash_table_iter_init (&iter, self->shells);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (((Shell *) value)->owner, principal) == 0)
      owned++;
  if (_tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_TOO_MANY_SHELLS) ||
      owned >= self->max_shells)
    {
      g_autofree char *text =
        g_strdup_printf ("The WS-Management service cannot process the request. This user "
                         "is allowed a maximum number of %u concurrent shells, which has "
                         "been exceeded. Close existing shells or raise the quota for this "
                         "user. ", self->max_shells);

      fault (msg, message_id, "s:Receiver", "w:QuotaLimit", TB_WSMAN_FAULT_TOO_MANY_SHELLS,
             text);
      return;
    }
  shell = g_new0 (Shell, 1);
  shell->id = new_id ();
  shell->owner = g_strdup (principal);
  shell->commands = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) command_free);
  g_hash_table_insert (self->shells, shell->id, shell);
  out = g_strdup_printf ("<x:ResourceCreated><a:Address>https://" DEMO_FQDN ":5986/wsman"
                         "</a:Address><a:ReferenceParameters><w:ResourceURI>"
                         TB_WSMAN_RESOURCE_CMD "</w:ResourceURI><w:SelectorSet>"
                         "<w:Selector Name=\"ShellId\">%s</w:Selector></w:SelectorSet>"
                         "</a:ReferenceParameters></x:ResourceCreated>", shell->id);
  reply (msg, SOUP_STATUS_OK, "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
         message_id, out);
}

/* Command: runs the command line at once; Receive hands out its output. */
static void
handle_command (TbSimWinrm        *self,
                SoupServerMessage *msg,
                const char        *message_id,
                Shell             *shell,
                TbXmlNode         *body)
{
  const char *line = tb_xml_node_get_text (tb_xml_node_find (body, "Command", NULL, NULL));
  Command *command;
  g_autofree char *out = NULL;

  if (_tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_COMMAND_TOO_LONG) ||
      strlen (line) > TB_WINRM_MAX_COMMAND_LINE)
    {
      fault (msg, message_id, "s:Receiver", "w:InternalError", TB_WSMAN_FAULT_LINE_TOO_LONG,
             "The filename or extension is too long. ");
      return;
    }
  command = g_new0 (Command, 1);
  command->id = new_id ();
  command->timeouts_left = self->receive_timeouts;
  _tb_sim_winrm_run_command_line (self, command, line);
  g_hash_table_insert (shell->commands, command->id, command);
  out = g_strdup_printf ("<rsp:CommandResponse><rsp:CommandId>%s</rsp:CommandId>"
                         "</rsp:CommandResponse>", command->id);
  reply (msg, SOUP_STATUS_OK,
         "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandResponse",
         message_id, out);
}

static void
handle_soap (TbSimWinrm        *self,
             SoupServerMessage *msg,
             const char        *principal,
             const char        *data,
             gsize              len)
{
  g_autoptr(TbXmlNode) root = tb_xml_parse (data, len, NULL);
  TbXmlNode *header = tb_xml_node_child (root, "Header");
  TbXmlNode *body = tb_xml_node_child (root, "Body");
  const char *action = tb_xml_node_get_text (tb_xml_node_child (header, "Action"));
  const char *message_id = tb_xml_node_get_text (tb_xml_node_child (header, "MessageID"));
  const char *shell_id = tb_xml_node_get_text (tb_xml_node_find (header, "Selector", "Name",
                                                                 "ShellId"));
  Shell *shell = NULL;

  if (root == NULL || body == NULL || !g_str_equal (root->name, "Envelope"))
    {
      fault (msg, NULL, "s:Sender", "w:InvalidMessageInformationHeader", "2150858817",
             "The WS-Management service cannot process the request because the XML is "
             "invalid.");
      return;
    }

  if (g_str_equal (action, TB_WSMAN_ACTION_CREATE))
    {
      handle_create (self, msg, principal, message_id);
      return;
    }

  shell = g_hash_table_lookup (self->shells, shell_id);
  if (shell == NULL || _tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_SHELL_NOT_FOUND))
    {
      g_autofree char *text =
        g_strdup_printf ("The request for the Windows Remote Shell with ShellId %s failed "
                         "because the shell was not found on the server. Possible causes are: "
                         "the specified ShellId is incorrect or the shell no longer exists on "
                         "the server. Provide the correct ShellId or create a new shell and "
                         "retry the operation. ", shell_id);

      fault (msg, message_id, "s:Sender", "w:InvalidSelectors", TB_WSMAN_FAULT_SHELL_NOT_FOUND,
             text);
      return;
    }

  if (g_str_equal (action, TB_WSMAN_ACTION_COMMAND))
    handle_command (self, msg, message_id, shell, body);
  else if (g_str_equal (action, TB_WSMAN_ACTION_RECEIVE))
    handle_receive (self, msg, message_id, shell, body);
  else if (g_str_equal (action, TB_WSMAN_ACTION_SIGNAL))
    {
      const char *id = tb_xml_node_get_attr (tb_xml_node_find (body, "Signal", NULL, NULL),
                                             "CommandId");

      if (id != NULL)
        g_hash_table_remove (shell->commands, id);
      reply (msg, SOUP_STATUS_OK,
             "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/SignalResponse",
             message_id, "<rsp:SignalResponse/>");
    }
  else if (g_str_equal (action, TB_WSMAN_ACTION_DELETE))
    {
      g_hash_table_remove (self->shells, shell_id);
      reply (msg, SOUP_STATUS_OK, "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse",
             message_id, "");
    }
  else
    fault (msg, message_id, "s:Sender", "a:ActionNotSupported", "2150858754",
           "The WS-Management service cannot process the request because the action is not "
           "supported.");
}

/* ------------------------------------------------------------------------------------------ */
/* Authentication */

static void
challenge (TbSimWinrm        *self,
           SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* What a Windows listener offers (fixtures/winrm/http): never a bare NTLM. */
  if (self->negotiate)
    {
      soup_message_headers_append (headers, "WWW-Authenticate", "Negotiate");
      soup_message_headers_append (headers, "WWW-Authenticate", "Kerberos");
    }
  if (self->basic_user != NULL)
    soup_message_headers_append (headers, "WWW-Authenticate", "Basic realm=\"WSMAN\"");
  soup_message_headers_append (headers, "WWW-Authenticate", "CredSSP");
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, "", 0);
}

static char *
accept_negotiate (TbSimWinrm        *self,
                  SoupServerMessage *msg,
                  const char        *token)
{
  gsize len = 0;
  g_autofree guint8 *bytes = g_base64_decode (token, &len);
  gss_buffer_desc in = { len, bytes };
  gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
  gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
  gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
  gss_name_t source = GSS_C_NO_NAME;
  OM_uint32 major, minor;
  char *principal = NULL;

  if (len == 0)
    return NULL;
  major = gss_accept_sec_context (&minor, &ctx, self->acceptor, &in, GSS_C_NO_CHANNEL_BINDINGS,
                                  &source, NULL, &out, NULL, NULL, NULL);
  if (major == GSS_S_COMPLETE)
    {
      if (!GSS_ERROR (gss_display_name (&minor, source, &name, NULL)))
        {
          principal = g_strndup (name.value, name.length);
          gss_release_buffer (&minor, &name);
        }
      if (out.length > 0)
        {
          /* The mutual-authentication token that SoupAuthNegotiate checks. */
          g_autofree char *b64 = g_base64_encode (out.value, out.length);
          g_autofree char *value = g_strconcat ("Negotiate ", b64, NULL);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", value);
        }
    }
  else
    {
      g_autofree char *text = _tb_sim_winrm_gss_message (major, minor);

      g_debug ("WinRM simulator: Negotiate refused: %s", text);
    }
  gss_release_buffer (&minor, &out);
  if (source != GSS_C_NO_NAME)
    gss_release_name (&minor, &source);
  if (ctx != GSS_C_NO_CONTEXT)
    gss_delete_sec_context (&minor, &ctx, GSS_C_NO_BUFFER);
  return principal;
}

static char *
authenticate (TbSimWinrm        *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  GSocket *socket = soup_server_message_get_socket (msg);
  const char *connection_principal = socket != NULL
    ? g_object_get_data (G_OBJECT (socket), "tb-sim-winrm-principal") : NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0 && self->basic_user)
    {
      gsize len = 0;
      g_autofree char *decoded = (char *) g_base64_decode (header + 6, &len);
      g_autofree char *expected = g_strdup_printf ("%s:%s", self->basic_user,
                                                   self->basic_password);
      gboolean ok = len == strlen (expected) && memcmp (decoded, expected, len) == 0;

      tb_secret_wipe (expected, strlen (expected));
      tb_secret_wipe (decoded, len);
      return ok ? g_strdup (self->basic_user) : NULL;
    }
  if (header != NULL && g_ascii_strncasecmp (header, "Negotiate ", 10) == 0 && self->negotiate)
    {
      char *principal = accept_negotiate (self, msg, header + 10);

      /* HTTP.sys keeps a Kerberos logon for the connection: later requests on it may come
       * without a header. */
      if (principal != NULL && socket != NULL)
        {
          self->negotiate_logons++;
          g_object_set_data_full (G_OBJECT (socket), "tb-sim-winrm-principal",
                                  g_strdup (principal), g_free);
        }
      return principal;
    }
  if (header == NULL && connection_principal != NULL)
    return g_strdup (connection_principal);
  return NULL;
}

/* A listener gone wrong (or hostile, behind a pinned certificate): an envelope that starts
 * like a reply and never ends, 1 MiB a chunk, for as long as the client reads. */
#define ENDLESS_CHUNK (1024 * 1024)

static void
on_endless_wrote_chunk (SoupServerMessage *msg,
                        gpointer           user_data)
{
  TbSimWinrm *self = user_data;
  static char *chunk;

  if (chunk == NULL)
    {
      chunk = g_malloc (ENDLESS_CHUNK);
      memset (chunk, ' ', ENDLESS_CHUNK);
    }
  self->endless_bytes += ENDLESS_CHUNK;
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            chunk, ENDLESS_CHUNK);
}

static void
start_endless_reply (TbSimWinrm        *self,
                     SoupServerMessage *msg)
{
  static const char start[] =
    "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/soap+xml;charset=UTF-8", NULL);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC,
                            start, strlen (start));
  g_signal_connect_object (msg, "wrote-chunk", G_CALLBACK (on_endless_wrote_chunk), self, 0);
}

guint64
tb_sim_winrm_get_endless_bytes (TbSimWinrm *self)
{
  g_return_val_if_fail (TB_IS_SIM_WINRM (self), 0);

  return self->endless_bytes;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TbSimWinrm *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *principal = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  principal = authenticate (self, msg);
  /* The injected refusal hits a request that carries credentials, as a real one would. */
  if (principal != NULL && _tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_UNAUTHORIZED))
    g_clear_pointer (&principal, g_free);
  if (principal == NULL)
    {
      challenge (self, msg);
      return;
    }
  g_free (self->last_principal);
  self->last_principal = g_strdup (principal);

  if (body->length == 0)
    {
      /* An authenticated request without an envelope: what clients send to set up the
       * authentication, and what libsoup's re-send after a 401 looks like. */
      self->empty_requests++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, "", 0);
      return;
    }
  if (body->length > TB_WINRM_MAX_ENVELOPE)
    {
      fault (msg, NULL, "s:Sender", "w:EncodingLimit", "2150858793",
             "The request is larger than MaxEnvelopeSize.");
      return;
    }
  if (_tb_sim_winrm_take_fault (self, TB_SIM_WINRM_FAULT_ENDLESS_REPLY))
    {
      start_endless_reply (self, msg);
      return;
    }
  handle_soap (self, msg, principal, body->data, body->length);
}

gboolean
tb_sim_winrm_start (TbSimWinrm  *self,
                    guint        port,
                    GError     **error)
{
  g_autofree char *pem = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *hex = NULL;
  GSList *uris;

  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!_tb_sim_winrm_make_certificate ("localhost", "localhost", FALSE, &pem, &der, error))
    return FALSE;
  self->tls_certificate = g_tls_certificate_new_from_pem (pem, -1, error);
  tb_secret_wipe (pem, strlen (pem));
  if (self->tls_certificate == NULL)
    return FALSE;
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);
  self->fingerprint = g_ascii_strup (hex, -1);

  if (self->pool == NULL)
    tb_sim_winrm_load_demo_pool (self);

  self->server = soup_server_new ("tls-certificate", self->tls_certificate,
                                  "server-header", "Microsoft-HTTPAPI/2.0", NULL);
  soup_server_add_handler (self->server, "/wsman", handle_request, self, NULL);
  if (!soup_server_listen_local (self->server, port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

void
tb_sim_winrm_stop (TbSimWinrm *self)
{
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}
