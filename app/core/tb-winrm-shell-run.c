/* tb-winrm-shell-run.c: one command run through a WS-Management shell — prime, create,
 * command, receive, signal, delete — with a deadline and a best-effort clean-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-winrm-shell-run"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-clixml.h"
#include "tb-dl-soup.h"
#include "tb-http.h"
#include "tb-winrm-shell.h"
#include "tb-winrm-shell-private.h"
#include "tb-winrm-soap.h"

/* ------------------------------------------------------------------------------------------ */
/* One run */

typedef enum
{
  STEP_PRIME,
  STEP_CREATE,
  STEP_COMMAND,
  STEP_RECEIVE,
  STEP_SIGNAL,
  STEP_DELETE,
} Step;

typedef struct
{
  char         *command_line;
  Step          step;
  char         *shell_id;
  char         *command_id;
  GByteArray   *out;
  GByteArray   *err;
  gboolean      done;
  int           exit_code;

  GCancellable *cancellable;        /* cancelled by the caller's cancellable or the deadline */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  guint         timeout_ms;
  GSource      *deadline;
  gboolean      timed_out;
  GCancellable *cleanup_cancellable;
  GSource      *cleanup_timer;
  gboolean      cleaning_up;
  GError       *error;              /* first failure; returned after the clean-up */
  TbWinrmResult *result;            /* or the result, once the run is over */

  SoupMessage  *msg;
  char         *request;
  gboolean      resent;
  char         *presented_fp;       /* certificate refused in accept-certificate */
  guint         polls;
} RunData;

/* Timers run on the WinRM thread, whose context is the thread-default one there. */
static GSource *
add_timer (guint        ms,
           GSourceFunc  func,
           GTask       *task)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, task, NULL);
  g_source_set_static_name (source, "[trust-bridge] WinRM timer");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
clear_timer (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
run_data_free (RunData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  clear_timer (&data->deadline);
  clear_timer (&data->cleanup_timer);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->cleanup_cancellable);
  g_free (data->command_line);
  g_free (data->shell_id);
  g_free (data->command_id);
  g_byte_array_unref (data->out);
  g_byte_array_unref (data->err);
  g_clear_error (&data->error);
  g_clear_pointer (&data->result, tb_winrm_result_unref);
  g_clear_object (&data->msg);
  g_free (data->request);
  g_free (data->presented_fp);
  g_free (data);
}

static void send_step (GTask *task);
static void send_request (GTask *task);
static void finish_run (GTask *task);

static char *
fingerprint_of (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_ascii_strup (hex, -1);
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       GTask                *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *fp = fingerprint_of (certificate);

  if (self->pin != NULL && fp != NULL && g_str_equal (fp, self->pin))
    return TRUE;

  g_free (data->presented_fp);
  data->presented_fp = g_steal_pointer (&fp);
  return FALSE;
}

static gboolean
on_authenticate (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 GTask       *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);

  /* Only Basic asks for a password here; a second ask means the first one was refused. */
  if (retrying || self->auth != TB_WINRM_AUTH_BASIC || self->user == NULL ||
      self->password == NULL || g_strcmp0 (soup_auth_get_scheme_name (auth), "Basic") != 0)
    return FALSE;
  soup_auth_authenticate (auth, self->user, self->password);
  return TRUE;
}

static void
fail (GTask  *task,
      GError *error)
{
  RunData *data = g_task_get_task_data (task);

  if (data->error == NULL)
    data->error = error;
  else
    g_error_free (error);
}

static gboolean
on_cleanup_timeout (gpointer user_data)
{
  RunData *data = g_task_get_task_data (G_TASK (user_data));

  g_clear_pointer (&data->cleanup_timer, g_source_unref);
  g_cancellable_cancel (data->cleanup_cancellable);
  return G_SOURCE_REMOVE;
}

/* After a failure, a cancel or the deadline: terminate the command and delete the shell if
 * the server still answers within a short time, so the per-user shell quota is not used up. */
static void
start_cleanup (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  if (data->cleaning_up || data->shell_id == NULL)
    {
      finish_run (task);
      return;
    }
  data->cleaning_up = TRUE;
  data->cleanup_cancellable = g_cancellable_new ();
  data->cleanup_timer = add_timer (CLEANUP_TIMEOUT_MS, on_cleanup_timeout, task);
  data->step = data->command_id != NULL ? STEP_SIGNAL : STEP_DELETE;
  send_step (task);
}

static const char *
soup_reason (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  return phrase != NULL ? phrase : "";
}

/* In the caller's context: the result, the same way whichever thread the run took. */
static gboolean
return_in_caller (gpointer user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&data->result),
                           (GDestroyNotify) tb_winrm_result_unref);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* The run is over on the WinRM thread: stop its timers and drop the message there, then hand
 * the task (and the last reference the run holds) back to the caller's context. */
static void
hand_back (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  clear_timer (&data->deadline);
  clear_timer (&data->cleanup_timer);
  g_clear_object (&data->msg);
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, return_in_caller,
                              task, NULL);
}

static void
finish_run (GTask *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  TbWinrmResult *result;

  if (data->error == NULL)
    {
      result = g_atomic_rc_box_new0 (TbWinrmResult);
      result->exit_code = data->exit_code;
      result->out = g_bytes_new (data->out->data, data->out->len);
      result->err = g_bytes_new (data->err->data, data->err->len);
      result->error_text = tb_clixml_decode_errors (data->err->data, data->err->len);
      data->error = _tb_winrm_error_from_output (self, result);
      if (data->error == NULL)
        data->result = result;
      else
        tb_winrm_result_unref (result);
    }
  hand_back (task);
}

static void
next_step_after_cleanup_reply (GTask *task)
{
  RunData *data = g_task_get_task_data (task);

  if (data->step == STEP_SIGNAL)
    {
      data->step = STEP_DELETE;
      send_step (task);
    }
  else
    finish_run (task);
}

static void
fail_and_clean_up (GTask  *task,
                   GError *error)
{
  fail (task, error);
  start_cleanup (task);
}

/* Signal and Delete are best effort: whatever happens, move on and then stop. */
static void
on_cleanup_reply (GTask        *task,
                  const GError *error,
                  guint         status)
{
  RunData *data = g_task_get_task_data (task);

  if (error != NULL || !SOUP_STATUS_IS_SUCCESSFUL (status))
    g_debug ("WinRM clean-up step %d failed: %s", data->step,
             error != NULL ? error->message : soup_reason (status));
  if (error != NULL && data->step == STEP_SIGNAL && data->cleaning_up &&
      g_cancellable_is_cancelled (data->cleanup_cancellable))
    {
      finish_run (task);
      return;
    }
  next_step_after_cleanup_reply (task);
}

/* The request did not get an HTTP reply: cancelled, timed out, too large, or the network. */
static void
on_transport_error (GTask  *task,
                    GError *error)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (data->timed_out)
        {
          g_error_free (error);
          fail (task, _tb_winrm_error_new (TB_WINRM_ERROR_TIMEOUT, NULL, NULL, NULL,
                                           _("The server did not finish the command in time.")));
        }
      else
        fail (task, error);
    }
  else if (g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE))
    {
      fail (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, NULL, error->message, NULL,
                                       _("The server’s reply is too large.")));
      g_error_free (error);
    }
  else
    {
      fail (task, _tb_winrm_error_from_transport (self, data->presented_fp, error));
      g_error_free (error);
    }
  start_cleanup (task);
}

/* Whatever an empty request gets besides 401 (200, or a fault about the missing envelope),
 * the authentication round is done on this session. */
static void
on_prime_reply (GTask *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  self->primed = TRUE;
  data->step = STEP_CREATE;
  send_step (task);
}

/* A fault ends the run, except the Receive timeout: the command is still running. */
static void
on_fault (GTask        *task,
          TbWinrmReply *reply)
{
  RunData *data = g_task_get_task_data (task);

  if (data->step == STEP_RECEIVE && g_strcmp0 (reply->fault_code, TB_WSMAN_FAULT_TIMED_OUT) == 0)
    {
      /* Nothing new yet. Ask again. */
      data->polls++;
      send_step (task);
      return;
    }
  fail_and_clean_up (task, _tb_winrm_error_from_fault (reply));
}

/* The WS-Management envelope of a reply that is no fault, or NULL when the run went on
 * otherwise (the request sent again, a poll, or a failure). */
static TbWinrmReply *
read_reply (GTask  *task,
            GBytes *body,
            guint   status)
{
  RunData *data = g_task_get_task_data (task);
  g_autoptr(TbWinrmReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (body, &len);

  if (status == SOUP_STATUS_OK && len == 0 && !data->resent)
    {
      /* The libsoup quirk above: the server got our headers but an empty body. */
      g_debug ("WinRM: empty reply to a non-empty request; sending it again");
      data->resent = TRUE;
      send_request (task);
      return NULL;
    }
  if (len > MAX_REPLY)
    {
      fail_and_clean_up (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, NULL, NULL, NULL,
                                                    _("The server’s reply is too large.")));
      return NULL;
    }

  reply = len > 0 ? tb_winrm_reply_parse (text, len, &error) : NULL;
  if (reply == NULL)
    {
      g_autofree char *msg_text = NULL;
      g_autofree char *code = g_strdup_printf ("HTTP %u", status);

      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        msg_text = g_strdup_printf (_("The server answered HTTP %u %s instead of a "
                                      "WS-Management reply."), status, soup_reason (status));
      else
        msg_text = g_strdup_printf (_("The server’s reply is not a WS-Management message: %s"),
                                    error != NULL ? error->message : _("empty reply"));
      fail_and_clean_up (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, code,
                                                    error != NULL ? error->message : NULL, NULL,
                                                    msg_text));
      return NULL;
    }

  if (reply->is_fault)
    {
      on_fault (task, reply);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *code = g_strdup_printf ("HTTP %u", status);
      g_autofree char *msg_text = g_strdup_printf (_("The server answered HTTP %u %s."),
                                                   status, soup_reason (status));

      fail_and_clean_up (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, code, NULL, NULL,
                                                    msg_text));
      return NULL;
    }

  return g_steal_pointer (&reply);
}

/* The step handlers below return FALSE when the reply lacks what their step needs. */

/* Create and Command each answer with the identifier every later step addresses: keep it in
 * *@id (taken from *@from_reply) and go on to @next. */
static gboolean
on_identifier_reply (GTask  *task,
                     char  **from_reply,
                     char  **id,
                     Step    next)
{
  RunData *data = g_task_get_task_data (task);

  if (*from_reply == NULL)
    return FALSE;
  *id = g_steal_pointer (from_reply);
  data->step = next;
  send_step (task);
  return TRUE;
}

static gboolean
on_receive_reply (GTask        *task,
                  TbWinrmReply *reply)
{
  RunData *data = g_task_get_task_data (task);

  if (reply->command_id != NULL && g_strcmp0 (reply->command_id, data->command_id) != 0)
    return FALSE;
  if (data->out->len + reply->out->len > MAX_OUTPUT ||
      data->err->len + reply->err->len > MAX_OUTPUT)
    {
      fail_and_clean_up (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, NULL, NULL, NULL,
                                                    _("The command wrote more output than Trust "
                                                      "Bridge accepts.")));
      return TRUE;
    }
  g_byte_array_append (data->out, reply->out->data, reply->out->len);
  g_byte_array_append (data->err, reply->err->data, reply->err->len);
  if (reply->done)
    {
      data->done = TRUE;
      data->exit_code = reply->has_exit_code ? reply->exit_code : 0;
      data->step = STEP_SIGNAL;
      /* Normal completion still terminates and deletes; the result waits for that. */
      data->cleaning_up = TRUE;
      data->cleanup_cancellable = g_cancellable_new ();
      data->cleanup_timer = add_timer (CLEANUP_TIMEOUT_MS, on_cleanup_timeout, task);
    }
  send_step (task);
  return TRUE;
}

static void
on_reply (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GTask *task = user_data;
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TbWinrmReply) reply = NULL;
  gboolean went_on = FALSE;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), res, &error);
  status = soup_message_get_status (data->msg);
  g_debug ("WinRM: step %d: HTTP %u%s%s", data->step, status, error ? " " : "",
           error ? error->message : "");

  if (data->step == STEP_SIGNAL || data->step == STEP_DELETE)
    {
      on_cleanup_reply (task, error, status);
      return;
    }
  if (error != NULL)
    {
      on_transport_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      fail_and_clean_up (task, _tb_winrm_error_unauthorized (self));
      return;
    }
  if (data->step == STEP_PRIME)
    {
      on_prime_reply (task);
      return;
    }

  reply = read_reply (task, body, status);
  if (reply == NULL)
    return;

  switch (data->step)
    {
    case STEP_CREATE:
      went_on = on_identifier_reply (task, &reply->shell_id, &data->shell_id, STEP_COMMAND);
      break;
    case STEP_COMMAND:
      went_on = on_identifier_reply (task, &reply->command_id, &data->command_id, STEP_RECEIVE);
      break;
    case STEP_RECEIVE:
      went_on = on_receive_reply (task, reply);
      break;
    case STEP_PRIME:
    case STEP_SIGNAL:
    case STEP_DELETE:
    default:
      g_assert_not_reached ();
    }

  if (!went_on)
    fail_and_clean_up (task, _tb_winrm_error_new (TB_WINRM_ERROR_PROTOCOL, NULL, NULL, NULL,
                                                  _("The server’s reply lacks the shell or command "
                                                    "identifier.")));
}

static void
send_request (GTask *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = g_bytes_new (data->request, strlen (data->request));
  GCancellable *cancellable;

  g_clear_object (&data->msg);
  data->msg = soup_message_new ("POST", self->endpoint);
  soup_message_set_request_body_from_bytes (data->msg, "application/soap+xml;charset=UTF-8",
                                            bytes);
  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (on_accept_certificate), task);
  g_signal_connect (data->msg, "authenticate", G_CALLBACK (on_authenticate), task);

  cancellable = data->cleaning_up ? data->cleanup_cancellable : data->cancellable;
  /* The reply is read at most MAX_REPLY bytes at a time into memory: an endless reply from a
   * (pinned, so trusted) listener fails once it passes the cap instead of filling memory. */
  tb_http_send_and_read_async (self->session, data->msg, MAX_REPLY, G_PRIORITY_DEFAULT,
                               cancellable, on_reply, task);
}

static void
send_step (GTask *task)
{
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  data->resent = FALSE;
  g_clear_pointer (&data->request, g_free);
  switch (data->step)
    {
    case STEP_PRIME:
      data->request = g_strdup ("");
      break;
    case STEP_CREATE:
      data->request = tb_winrm_soap_create (self->endpoint);
      break;
    case STEP_COMMAND:
      data->request = tb_winrm_soap_command (self->endpoint, data->shell_id,
                                             data->command_line);
      break;
    case STEP_RECEIVE:
      data->request = tb_winrm_soap_receive (self->endpoint, data->shell_id, data->command_id);
      break;
    case STEP_SIGNAL:
      data->request = tb_winrm_soap_signal (self->endpoint, data->shell_id, data->command_id);
      break;
    case STEP_DELETE:
      data->request = tb_winrm_soap_delete (self->endpoint, data->shell_id);
      break;
    default:
      g_assert_not_reached ();
    }
  send_request (task);
}

static gboolean
on_deadline (gpointer user_data)
{
  RunData *data = g_task_get_task_data (G_TASK (user_data));

  g_clear_pointer (&data->deadline, g_source_unref);
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

/* On the WinRM thread: the Kerberos ticket cache (which may be a daemon behind a socket) is
 * read here too, then the first step is sent. */
static gboolean
start_run (gpointer user_data)
{
  GTask *task = user_data;
  TbWinrmShell *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (self->auth == TB_WINRM_AUTH_KERBEROS)
    {
      g_autofree char *principal = tb_winrm_kerberos_get_principal (&data->error);

      if (principal == NULL)
        {
          hand_back (task);
          return G_SOURCE_REMOVE;
        }
      g_debug ("WinRM: Kerberos as %s to HTTP/%s", principal, self->host);
    }

  _tb_winrm_shell_ensure_session (self);
  data->deadline = add_timer (data->timeout_ms, on_deadline, task);
  data->step = self->primed ? STEP_CREATE : STEP_PRIME;
  send_step (task);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_on_io_thread (gpointer ours)
{
  g_cancellable_cancel (ours);
  return G_SOURCE_REMOVE;
}

/* Runs on the thread that cancelled the caller's cancellable, the caller's own. libsoup is not
 * thread-safe, and a cancellable's "cancelled" handlers run on the thread that cancels it: ours
 * is cancelled on the WinRM thread, where libsoup sends with it. Cancelled here, libsoup tore
 * the request down on the caller's thread while the WinRM thread was reading its reply, which
 * crashed the program now and then (a NULL read in libsoup as the reply stream was closed). */
static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_main_context_invoke_full (_tb_winrm_io_context (), G_PRIORITY_DEFAULT, cancel_on_io_thread,
                              g_object_ref (ours), g_object_unref);
}

void
tb_winrm_shell_run_async (TbWinrmShell        *self,
                          TbWinrmCommandKind   kind,
                          const char          *text,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  RunData *data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_return_if_fail (TB_IS_WINRM_SHELL (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_winrm_shell_run_async);

  if (self->setup_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->setup_error));
      g_object_unref (task);
      return;
    }
  if (self->auth == TB_WINRM_AUTH_BASIC &&
      (self->user == NULL || *self->user == '\0' || self->password == NULL))
    {
      g_task_return_new_error (task, TB_WINRM_ERROR, TB_WINRM_ERROR_BAD_CREDENTIALS,
                               _("Basic authentication needs a user name and a password."));
      g_object_unref (task);
      return;
    }

  if (kind == TB_WINRM_COMMAND_POWERSHELL)
    line = tb_winrm_encode_powershell (text, &error);
  else if (strlen (text) > TB_WINRM_MAX_COMMAND_LINE)
    g_set_error (&error, TB_WINRM_ERROR, TB_WINRM_ERROR_COMMAND_TOO_LONG,
                 _("The command line has %zu characters; Windows accepts at most %d."),
                 strlen (text), TB_WINRM_MAX_COMMAND_LINE);
  else
    line = g_strdup (text);
  if (line == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data = g_new0 (RunData, 1);
  data->command_line = g_steal_pointer (&line);
  data->out = g_byte_array_new ();
  data->err = g_byte_array_new ();
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (on_caller_cancelled),
                                                    g_object_ref (data->cancellable),
                                                    g_object_unref);
    }
  data->timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;

  g_main_context_invoke_full (_tb_winrm_io_context (), G_PRIORITY_DEFAULT, start_run, task,
                              NULL);
}

TbWinrmResult *
tb_winrm_shell_run_finish (TbWinrmShell  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_winrm_shell_run_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
