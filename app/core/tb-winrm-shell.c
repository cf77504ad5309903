/* tb-winrm-shell.c: run one command on a Windows server through a WS-Management remote shell
 *
 * One SoupSession per shell object, so that its TLS settings (pin or system trust) and its
 * authenticated connections belong to one server only.
 *
 * libsoup 3.2.3 quirk: when a POST is answered "401 Negotiate" (or "401 Basic"), libsoup
 * re-sends it with the Authorization header but an empty body. WinRM then sees an empty,
 * authenticated request and answers 200 with nothing, and our SOAP request is lost. So each
 * session is primed with an empty POST first, as the Ruby WinRM client does: the 401 round
 * happens on a request that has no body to lose, and later requests carry the header up front.
 * Should a later request still meet a 401 (a new connection, a server that re-challenges), an
 * empty 200 reply to a non-empty request is recognised and the request sent once more; that is
 * safe because the server never saw its body.
 *
 * This file holds the errors (and what a failed run means), the result, the WinRM thread and
 * the shell object; a run (its six steps and their replies) is in tb-winrm-shell-run.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-winrm-shell"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-core-enums.h"
#include "tb-dl-krb5.h"
#include "tb-dl-soup.h"
#include "tb-enum.h"
#include "tb-secret.h"
#include "tb-service-thread.h"
#include "tb-cloud.h"
#include "tb-winrm-shell.h"
#include "tb-winrm-shell-private.h"
#include "tb-winrm-soap.h"

/* ------------------------------------------------------------------------------------------ */
/* Errors */

typedef struct
{
  char *fault_code;
  char *detail;
  char *fingerprint;
} TbWinrmErrorPrivate;

static void
tb_winrm_error_private_init (TbWinrmErrorPrivate *priv)
{
}

static void
tb_winrm_error_private_copy (const TbWinrmErrorPrivate *src,
                             TbWinrmErrorPrivate       *dest)
{
  dest->fault_code = g_strdup (src->fault_code);
  dest->detail = g_strdup (src->detail);
  dest->fingerprint = g_strdup (src->fingerprint);
}

static void
tb_winrm_error_private_clear (TbWinrmErrorPrivate *priv)
{
  g_clear_pointer (&priv->fault_code, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->fingerprint, g_free);
}

G_DEFINE_EXTENDED_ERROR (TbWinrmError, tb_winrm_error)

GError *
_tb_winrm_error_new (TbWinrmError  code,
                     const char   *fault_code,
                     const char   *detail,
                     const char   *fingerprint,
                     const char   *message)
{
  GError *error = g_error_new_literal (TB_WINRM_ERROR, code, message);
  TbWinrmErrorPrivate *priv = tb_winrm_error_get_private (error);

  priv->fault_code = g_strdup (fault_code);
  priv->detail = g_strdup (detail);
  priv->fingerprint = g_strdup (fingerprint);
  return error;
}

const char *
tb_winrm_error_get_fault_code (const GError *error)
{
  TbWinrmErrorPrivate *priv;

  if (error == NULL || error->domain != TB_WINRM_ERROR)
    return NULL;
  priv = tb_winrm_error_get_private (error);
  return priv != NULL ? priv->fault_code : NULL;
}

const char *
tb_winrm_error_get_detail (const GError *error)
{
  TbWinrmErrorPrivate *priv;

  if (error == NULL || error->domain != TB_WINRM_ERROR)
    return NULL;
  priv = tb_winrm_error_get_private (error);
  return priv != NULL ? priv->detail : NULL;
}

const char *
tb_winrm_error_get_fingerprint (const GError *error)
{
  TbWinrmErrorPrivate *priv;

  if (error == NULL || error->domain != TB_WINRM_ERROR)
    return NULL;
  priv = tb_winrm_error_get_private (error);
  return priv != NULL ? priv->fingerprint : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Small public helpers */

const char *
tb_winrm_auth_to_string (TbWinrmAuth auth)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_WINRM_AUTH, auth);
}

gboolean
tb_winrm_auth_from_string (const char  *text,
                           TbWinrmAuth *auth)
{
  if (g_strcmp0 (text, "kerberos") == 0 || g_strcmp0 (text, "negotiate") == 0)
    *auth = TB_WINRM_AUTH_KERBEROS;
  else if (g_strcmp0 (text, "basic") == 0)
    *auth = TB_WINRM_AUTH_BASIC;
  else
    return FALSE;
  return TRUE;
}

char *
tb_winrm_normalize_fingerprint (const char *text)
{
  GString *hex;

  if (text == NULL)
    return NULL;
  hex = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isxdigit (*p))
        {
          g_string_free (hex, TRUE);
          return NULL;
        }
      g_string_append_c (hex, g_ascii_toupper (*p));
    }
  if (hex->len != 64)
    {
      g_string_free (hex, TRUE);
      return NULL;
    }
  return g_string_free (hex, FALSE);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (krb5_context, krb5_free_context, NULL)

char *
tb_winrm_kerberos_get_principal (GError **error)
{
  g_auto(krb5_context) ctx = NULL;
  krb5_ccache cache = NULL;
  krb5_principal principal = NULL;
  krb5_cc_cursor cursor;
  krb5_creds creds;
  char *name = NULL;
  gboolean valid_tgt = FALSE;
  krb5_timestamp now = (krb5_timestamp) (g_get_real_time () / G_USEC_PER_SEC);

  if (krb5_init_context (&ctx) != 0)
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_NO_TICKET,
                           _("Kerberos is not configured on this computer (krb5.conf)."));
      return NULL;
    }
  if (krb5_cc_default (ctx, &cache) != 0 ||
      krb5_cc_get_principal (ctx, cache, &principal) != 0 ||
      krb5_unparse_name (ctx, principal, &name) != 0)
    {
      g_set_error_literal (error, TB_WINRM_ERROR, TB_WINRM_ERROR_NO_TICKET,
                           _("There is no Kerberos ticket. Get one with “kinit user@REALM” "
                             "(the realm in capitals), then try again."));
      goto out;
    }

  /* A principal alone is not enough: klist -s also wants an unexpired ticket. */
  if (krb5_cc_start_seq_get (ctx, cache, &cursor) == 0)
    {
      while (!valid_tgt && krb5_cc_next_cred (ctx, cache, &cursor, &creds) == 0)
        {
          if (creds.server->length == 2 &&
              creds.server->data[0].length == 6 &&
              memcmp (creds.server->data[0].data, "krbtgt", 6) == 0 &&
              (krb5_timestamp) creds.times.endtime > now)
            valid_tgt = TRUE;
          krb5_free_cred_contents (ctx, &creds);
        }
      krb5_cc_end_seq_get (ctx, cache, &cursor);
    }
  if (!valid_tgt)
    {
      g_set_error (error, TB_WINRM_ERROR, TB_WINRM_ERROR_NO_TICKET,
                   _("The Kerberos ticket of %s has expired. Renew it with “kinit %s”."),
                   name, name);
      krb5_free_unparsed_name (ctx, name);
      name = NULL;
    }

out:
  {
    char *result = name != NULL ? g_strdup (name) : NULL;

    if (name != NULL)
      krb5_free_unparsed_name (ctx, name);
    if (principal != NULL)
      krb5_free_principal (ctx, principal);
    if (cache != NULL)
      krb5_cc_close (ctx, cache);
    return result;
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Result */

static void
result_clear (TbWinrmResult *result)
{
  g_bytes_unref (result->out);
  g_bytes_unref (result->err);
  g_free (result->error_text);
}

TbWinrmResult *
tb_winrm_result_ref (TbWinrmResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

void
tb_winrm_result_unref (TbWinrmResult *result)
{
  g_atomic_rc_box_release_full (result, (GDestroyNotify) result_clear);
}

G_DEFINE_BOXED_TYPE (TbWinrmResult, tb_winrm_result, tb_winrm_result_ref, tb_winrm_result_unref)

int
tb_winrm_result_get_exit_code (TbWinrmResult *result)
{
  return result->exit_code;
}

GBytes *
tb_winrm_result_get_stdout (TbWinrmResult *result)
{
  return result->out;
}

GBytes *
tb_winrm_result_get_stderr (TbWinrmResult *result)
{
  return result->err;
}

const char *
tb_winrm_result_get_error_text (TbWinrmResult *result)
{
  return result->error_text;
}

/* What a failed run means, in the admin's words (used by tb-winrm-shell-run.c). */

GError *
_tb_winrm_error_from_fault (TbWinrmReply *reply)
{
  const char *code = reply->fault_code;
  const char *message = reply->fault_message != NULL ? reply->fault_message : "";
  g_autofree char *lower = g_utf8_strdown (message, -1);

  if (strstr (lower, "not accept any remote shell requests") != NULL ||
      strstr (lower, "remote shell access is not allowed") != NULL)
    return _tb_winrm_error_new (TB_WINRM_ERROR_SHELL_DISABLED, code, message, NULL,
      _("The server does not accept remote shells: a policy (Allow Remote Shell Access) "
        "disables them. Ask for it to be enabled, or use the script round trip instead."));
  if (g_strcmp0 (code, TB_WSMAN_FAULT_TOO_MANY_SHELLS) == 0)
    return _tb_winrm_error_new (TB_WINRM_ERROR_TOO_MANY_SHELLS, code, message, NULL,
      _("The server refuses another shell: this account already has the most remote shells "
        "it may open. Close other sessions or wait for them to time out, then try again."));
  if (g_strcmp0 (code, TB_WSMAN_FAULT_LINE_TOO_LONG) == 0)
    return _tb_winrm_error_new (TB_WINRM_ERROR_COMMAND_TOO_LONG, code, message, NULL,
      _("The server refused the command line as too long. Export the script and run it on "
        "the server instead."));
  if (g_strcmp0 (code, "2147942405") == 0 || g_strcmp0 (code, TB_WSMAN_FAULT_ACCESS_DENIED) == 0)
    return _tb_winrm_error_new (TB_WINRM_ERROR_BAD_CREDENTIALS, code, message, NULL,
      _("Access is denied: this account may sign in but is not allowed to use remote shells "
        "on the server."));
  {
    g_autofree char *text = g_strdup_printf (_("The server reported a WS-Management fault: %s"),
                                             *message != '\0' ? message
                                             : (reply->fault_subcode != NULL
                                                ? reply->fault_subcode
                                                : (reply->fault_value != NULL
                                                   ? reply->fault_value : "?")));

    return _tb_winrm_error_new (TB_WINRM_ERROR_FAULT,
                                code != NULL ? code : reply->fault_subcode, message, NULL, text);
  }
}

GError *
_tb_winrm_error_from_transport (TbWinrmShell *self,
                                const char   *presented_fp,
                                const GError *error)
{
  g_autofree char *text = NULL;

  if (presented_fp != NULL)
    {
      if (self->pin != NULL)
        {
          text = g_strdup_printf (_("Warning: the certificate of %s has changed and no longer "
                                    "matches the pinned fingerprint, so the connection was "
                                    "refused. A renewed certificate looks the same as someone "
                                    "intercepting the connection: compare the new SHA-256 "
                                    "fingerprint %s with the one on the server before "
                                    "pinning it."),
                                  self->host, presented_fp);
          return _tb_winrm_error_new (TB_WINRM_ERROR_TLS_CHANGED, NULL, error->message,
                                      presented_fp, text);
        }
      text = g_strdup_printf (_("The certificate of %s is not trusted by this computer. If its "
                                "SHA-256 fingerprint %s is the one of the server’s WinRM "
                                "listener, pin it to connect."),
                              self->host, presented_fp);
      return _tb_winrm_error_new (TB_WINRM_ERROR_TLS_UNTRUSTED, NULL, error->message,
                                  presented_fp, text);
    }
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    {
      text = g_strdup_printf (_("%s:%u does not speak TLS. Is this WinRM’s plain-HTTP "
                                "listener? Trust Bridge only uses HTTPS (port 5986)."),
                              self->host, self->port);
      return _tb_winrm_error_new (TB_WINRM_ERROR_INSECURE, NULL, error->message, NULL, text);
    }
  if (error->domain == G_TLS_ERROR)
    {
      /* Often a plain-HTTP listener answering our ClientHello; GnuTLS cannot always tell. */
      text = g_strdup_printf (_("The TLS handshake with %s:%u failed: %s. Check that this is "
                                "the server’s HTTPS listener (port 5986), not the plain-HTTP "
                                "one (5985)."), self->host, self->port, error->message);
      return _tb_winrm_error_new (TB_WINRM_ERROR_CONNECT, NULL, error->message, NULL, text);
    }
  text = g_strdup_printf (_("Could not reach %s:%u: %s"), self->host, self->port, error->message);
  return _tb_winrm_error_new (TB_WINRM_ERROR_CONNECT, NULL, error->message, NULL, text);
}

GError *
_tb_winrm_error_unauthorized (TbWinrmShell *self)
{
  g_autofree char *text = NULL;

  if (self->auth == TB_WINRM_AUTH_BASIC)
    text = g_strdup_printf (_("%s refused the user name or password. Basic authentication "
                              "works only for local Windows accounts, and only when it is "
                              "enabled on the WinRM service."), self->host);
  else
    text = g_strdup_printf (_("%s refused the Kerberos ticket. Check that the account may use "
                              "WinRM on that server and that HTTP/%s is the server’s "
                              "name in the domain."), self->host, self->host);
  return _tb_winrm_error_new (TB_WINRM_ERROR_BAD_CREDENTIALS, "HTTP 401", NULL, NULL, text);
}

static const char *double_hop_symptoms[] = {
  "anonymous logon",
  "central management store",
  "cannot open database",
  "login failed for user",
  "remote store",
};

/* PowerShell's "The term 'Get-CsOAuthServer' is not recognized…", or an Import-Module that
 * found nothing: the Skype for Business / Lync module is not on that server. */
static gboolean
module_missing (const char *lower)
{
  const char *p = lower;

  if (strstr (lower, "module 'skypeforbusiness' was not loaded") != NULL ||
      strstr (lower, "module 'lync' was not loaded") != NULL ||
      strstr (lower, "trust bridge: no skypeforbusiness or lync module") != NULL)
    return TRUE;
  while ((p = strstr (p, "the term '")) != NULL)
    {
      const char *term = p + strlen ("the term '");
      const char *dash = strchr (term, '-');
      const char *quote = strchr (term, '\'');

      if (dash != NULL && quote != NULL && dash < quote && g_str_has_prefix (dash, "-cs") &&
          strstr (quote, "is not recognized") == quote + 2)
        return TRUE;
      p = term;
    }
  return FALSE;
}

/* The error a finished command's own error stream stands for, or NULL. */
GError *
_tb_winrm_error_from_output (TbWinrmShell  *self,
                             TbWinrmResult *result)
{
  g_autofree char *lower = g_utf8_strdown (result->error_text, -1);

  if (module_missing (lower))
    {
      g_autofree char *text =
        g_strdup_printf (_("The Skype for Business Server module is not available on %s. "
                           "Connect to a Front End server of the pool."), self->host);

      return _tb_winrm_error_new (TB_WINRM_ERROR_MODULE_MISSING, NULL, result->error_text,
                                  NULL, text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (double_hop_symptoms); i++)
    if (strstr (lower, double_hop_symptoms[i]) != NULL)
      {
        g_autofree char *text =
          g_strdup_printf (_("The cmdlets on %s could not read the Central Management Store. "
                             "This is the “double hop”: a remote session cannot pass your "
                             "credentials on to the store’s SQL server, and Trust Bridge cannot "
                             "delegate them. Use the script round trip: export the script, run "
                             "it on the Front End and open the file it writes."), self->host);

        return _tb_winrm_error_new (TB_WINRM_ERROR_DOUBLE_HOP, NULL, result->error_text, NULL,
                                    text);
      }
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* The WinRM thread */

/* Every exchange with a Front End runs on one thread of its own, whose main context dispatches
 * libsoup's callbacks (libsoup sends from any thread that has a thread-default context since
 * 3.2). What a WinRM request costs then never holds up the caller's main loop: a TLS
 * connection makes GnuTLS parse the whole system trust store (milliseconds per connection,
 * pinned or not), Negotiate may ask the KDC for a ticket synchronously, and the replies are
 * parsed as XML. The thread lives until the process exits. */
static TbServiceThread *io_thread;

static gboolean
start_nothing (gpointer   data,
               GError   **error)
{
  return TRUE;
}

/* At exit, before the libraries' own exit handlers: let the thread finish what it was doing
 * (releasing a session is queued before this) and stop, so that nothing there — GSSAPI freeing
 * a Kerberos context, say — runs while those handlers tear the libraries down. A thread stuck
 * in a network call is not waited for more than two seconds. */
static void
stop_io_thread (void)
{
  tb_service_thread_stop (io_thread, 2 * G_TIME_SPAN_SECOND);
}

GMainContext *
_tb_winrm_io_context (void)
{
  static GMainContext *context;

  if (g_once_init_enter (&context))
    {
      io_thread = tb_service_thread_new ("tb-winrm", start_nothing, NULL, NULL, NULL);
      atexit (stop_io_thread);
      g_once_init_leave (&context, tb_service_thread_get_context (io_thread));
    }
  return context;
}

static gboolean
release_session (gpointer session)
{
  g_object_unref (session);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------------------------ */
/* The shell object */

G_DEFINE_FINAL_TYPE (TbWinrmShell, tb_winrm_shell, G_TYPE_OBJECT)

static void
tb_winrm_shell_finalize (GObject *object)
{
  TbWinrmShell *self = TB_WINRM_SHELL (object);

  g_free (self->host);
  g_free (self->user);
  tb_secret_clear (&self->password);
  g_free (self->pin);
  g_free (self->endpoint);
  g_clear_error (&self->setup_error);
  /* The session, its connections and their Kerberos contexts belong to the WinRM thread: they
   * are released there, never while that thread may be using them. */
  if (self->session != NULL)
    g_main_context_invoke_full (_tb_winrm_io_context (), G_PRIORITY_DEFAULT, release_session,
                                g_steal_pointer (&self->session), NULL);

  G_OBJECT_CLASS (tb_winrm_shell_parent_class)->finalize (object);
}

static void
tb_winrm_shell_class_init (TbWinrmShellClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_winrm_shell_finalize;
}

static void
tb_winrm_shell_init (TbWinrmShell *self)
{
}

static gboolean
is_host_name (const char *host)
{
  if (host == NULL || *host == '\0' || strlen (host) > 253)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return host[0] != '-' && host[0] != '.';
}

static void
setup_endpoint (TbWinrmShell *self,
                const char   *host,
                guint         port)
{
  g_autofree char *name = NULL;

  if (host != NULL && g_ascii_strncasecmp (host, "http://", 7) == 0)
    {
      self->setup_error = _tb_winrm_error_new (TB_WINRM_ERROR_INSECURE, NULL, NULL, NULL,
        _("Plain HTTP is refused: WinRM over HTTP would need message encryption that Trust "
          "Bridge does not do. Use the server’s HTTPS listener (https://, port 5986)."));
      return;
    }
  if (host != NULL && g_ascii_strncasecmp (host, "https://", 8) == 0)
    {
      g_autoptr(GUri) uri = g_uri_parse (host, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        {
          name = g_strdup (g_uri_get_host (uri));
          if (g_uri_get_port (uri) > 0)
            port = g_uri_get_port (uri);
        }
    }
  else
    name = g_strdup (host);

  if (port == 0)
    port = TB_WINRM_DEFAULT_PORT;
  self->port = port;
  self->host = g_strdup (name != NULL ? name : "");

  if (name == NULL || (!is_host_name (name) && !g_hostname_is_ip_address (name)))
    {
      self->setup_error = _tb_winrm_error_new (TB_WINRM_ERROR_INVALID_ENDPOINT, NULL, NULL, NULL,
        _("The server name is not a valid host name."));
      return;
    }
  if (port == 5985)
    {
      self->setup_error = _tb_winrm_error_new (TB_WINRM_ERROR_INSECURE, NULL, NULL, NULL,
        _("Port 5985 is WinRM’s plain-HTTP listener, which Trust Bridge refuses. Use the "
          "HTTPS listener (port 5986)."));
      return;
    }
  if (self->auth == TB_WINRM_AUTH_KERBEROS && g_hostname_is_ip_address (name))
    {
      self->setup_error = _tb_winrm_error_new (TB_WINRM_ERROR_INVALID_ENDPOINT, NULL, NULL, NULL,
        _("Kerberos needs the server’s name, not its IP address: the ticket is issued for "
          "HTTP/<name>. Enter the Front End’s FQDN."));
      return;
    }

  if (strchr (name, ':') != NULL)
    self->endpoint = g_strdup_printf ("https://[%s]:%u/wsman", name, port);
  else
    self->endpoint = g_strdup_printf ("https://%s:%u/wsman", name, port);
}

/* On the WinRM thread, at a run's start: the session is made there so that it and all its
 * sources belong to that thread's context. */
void
_tb_winrm_shell_ensure_session (TbWinrmShell *self)
{
  if (self->session != NULL)
    return;

  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "idle-timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", "Trust Bridge WinRM client",
                                                 NULL);
  /* No proxy reaches this computer's loopback addresses: a Front End there (the demo's, a
   * test's) is asked directly whatever the system's proxy settings say. */
  if (tb_cloud_host_is_loopback (self->host))
    soup_session_set_proxy_resolver (self->session, NULL);
  /* Only the mechanism that was chosen may answer a challenge: a Kerberos run must not fall
   * back to asking for a password, and Basic must not wander into Digest. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_DIGEST);
  if (self->auth == TB_WINRM_AUTH_KERBEROS)
    {
      soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_BASIC);
      soup_session_add_feature_by_type (self->session, SOUP_TYPE_AUTH_NEGOTIATE);
    }
  /* With a pin, no database: GLib then asks accept-certificate about every certificate, and
   * the pin alone decides, even for one the system would trust. */
  if (self->pin != NULL)
    soup_session_set_tls_database (self->session, NULL);
}

TbWinrmShell *
tb_winrm_shell_new (const char  *host,
                    guint        port,
                    TbWinrmAuth  auth,
                    const char  *user,
                    const char  *password,
                    const char  *pinned_sha256)
{
  TbWinrmShell *self = g_object_new (TB_TYPE_WINRM_SHELL, NULL);

  self->auth = auth;
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  if (pinned_sha256 != NULL && *pinned_sha256 != '\0')
    {
      self->pin = tb_winrm_normalize_fingerprint (pinned_sha256);
      if (self->pin == NULL)
        self->setup_error = _tb_winrm_error_new (TB_WINRM_ERROR_INVALID_ENDPOINT, NULL, NULL, NULL,
          _("The pinned certificate fingerprint is not a SHA-256 fingerprint "
            "(64 hexadecimal digits)."));
    }
  if (self->setup_error == NULL)
    setup_endpoint (self, host, port);
  else
    self->host = g_strdup (host);
  if (self->port == 0)
    self->port = port ? port : TB_WINRM_DEFAULT_PORT;

  return self;
}

const char *
tb_winrm_shell_get_host (TbWinrmShell *self)
{
  g_return_val_if_fail (TB_IS_WINRM_SHELL (self), NULL);
  return self->host;
}

