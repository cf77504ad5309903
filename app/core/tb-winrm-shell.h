/* tb-winrm-shell.h: run one command on a Windows server through a WS-Management remote shell
 *
 * HTTPS only. Create (WINRS_NOPROFILE, WINRS_CODEPAGE=65001) → Command → Receive until the
 * command is done (re-polling the 2150858793 "nothing yet" fault) → Signal terminate → Delete,
 * the last two also after an error, a deadline or a cancel, as far as the server still answers.
 *
 * Authentication: Kerberos through libsoup's SoupAuthNegotiate (a ticket from kinit; the
 * server's SPN is HTTP/<host>), or Basic with a local Windows account. Delegation of the
 * Kerberos ticket is not supported: libsoup asks GSSAPI for mutual authentication only
 * (GSS_C_MUTUAL_FLAG) and offers no way to add GSS_C_DELEG_FLAG, so cmdlets that must reach
 * a remote store fail with the double-hop symptom (TB_WINRM_ERROR_DOUBLE_HOP).
 *
 * TLS: the system's trust store, or a pinned SHA-256 fingerprint of the listener's
 * certificate. With a pin, that pin alone decides, and a different certificate is refused
 * (TB_WINRM_ERROR_TLS_CHANGED). An untrusted certificate without a pin is refused too
 * (TB_WINRM_ERROR_TLS_UNTRUSTED); both errors carry the fingerprint that was presented, for the
 * face to show to the admin and, after confirmation, to pin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_WINRM_DEFAULT_PORT 5986

#define TB_WINRM_ERROR (tb_winrm_error_quark ())

typedef enum
{
  TB_WINRM_ERROR_INSECURE,            /* http:// or port 5985: WinRM without TLS is refused */
  TB_WINRM_ERROR_INVALID_ENDPOINT,    /* not a host name; an IP address with Kerberos */
  TB_WINRM_ERROR_BAD_CREDENTIALS,     /* 401: wrong user/password, or the ticket was refused */
  TB_WINRM_ERROR_NO_TICKET,           /* Kerberos chosen but no valid ticket in the cache */
  TB_WINRM_ERROR_TLS_UNTRUSTED,       /* certificate not trusted and no pin: see fingerprint */
  TB_WINRM_ERROR_TLS_CHANGED,         /* certificate differs from the pinned fingerprint */
  TB_WINRM_ERROR_CONNECT,             /* name resolution, refused connection, network */
  TB_WINRM_ERROR_SHELL_DISABLED,      /* the service accepts no remote shells (policy) */
  TB_WINRM_ERROR_TOO_MANY_SHELLS,     /* per-user shell quota (2150859173) */
  TB_WINRM_ERROR_COMMAND_TOO_LONG,    /* over cmd.exe's 8191 characters (2147942606) */
  TB_WINRM_ERROR_MODULE_MISSING,      /* SkypeForBusiness/Lync module not on that server */
  TB_WINRM_ERROR_DOUBLE_HOP,          /* cmdlets could not reach the store: no delegation */
  TB_WINRM_ERROR_TIMEOUT,             /* the overall deadline passed */
  TB_WINRM_ERROR_FAULT,               /* any other WS-Management fault */
  TB_WINRM_ERROR_PROTOCOL,            /* a reply that is not what WS-Management sends */
} TbWinrmError;

GQuark      tb_winrm_error_quark           (void);
/* The WSManFault code ("2150859173"), or the HTTP status as "HTTP 401"; NULL if none. */
const char *tb_winrm_error_get_fault_code  (const GError *error);
/* What the server said, untranslated (fault message, CLIXML error text), for "Details". */
const char *tb_winrm_error_get_detail      (const GError *error);
/* For the TLS errors: the presented certificate's SHA-256, upper-case hex without colons. */
const char *tb_winrm_error_get_fingerprint (const GError *error);

typedef enum
{
  TB_WINRM_AUTH_KERBEROS,
  TB_WINRM_AUTH_BASIC,
} TbWinrmAuth;

gboolean    tb_winrm_auth_from_string (const char  *text,
                                       TbWinrmAuth *auth);

/* The principal of the default credential cache (KRB5CCNAME) that Negotiate will use,
 * "user@REALM"; NULL with TB_WINRM_ERROR_NO_TICKET when there is no cache, no principal or
 * no ticket-granting ticket that is still valid. Reads the cache through libkrb5. */
char       *tb_winrm_kerberos_get_principal (GError **error);

typedef enum
{
  TB_WINRM_COMMAND_POWERSHELL,   /* a PowerShell script, sent as -EncodedCommand */
  TB_WINRM_COMMAND_LINE,         /* a cmd.exe command line, sent as it is */
} TbWinrmCommandKind;

typedef struct _TbWinrmResult TbWinrmResult;

#define TB_TYPE_WINRM_RESULT (tb_winrm_result_get_type ())
GType          tb_winrm_result_get_type       (void) G_GNUC_CONST;
TbWinrmResult *tb_winrm_result_ref            (TbWinrmResult *result);
void           tb_winrm_result_unref          (TbWinrmResult *result);
int            tb_winrm_result_get_exit_code  (TbWinrmResult *result);
GBytes        *tb_winrm_result_get_stdout     (TbWinrmResult *result);
/* The error records of stderr's CLIXML as text ("" when none). */
const char    *tb_winrm_result_get_error_text (TbWinrmResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbWinrmResult, tb_winrm_result_unref)

#define TB_TYPE_WINRM_SHELL (tb_winrm_shell_get_type ())
G_DECLARE_FINAL_TYPE (TbWinrmShell, tb_winrm_shell, TB, WINRM_SHELL, GObject)

/* @host: an FQDN (Kerberos needs the name the SPN is registered for), or an https:// URL;
 * an http:// URL or port 5985 makes every run fail with TB_WINRM_ERROR_INSECURE.
 * @port: 0 for 5986. @user/@password: for Basic (the password is kept in memory only and
 * wiped on finalize); ignored for Kerberos. @pinned_sha256: hex, colons/spaces/case ignored,
 * or NULL for system trust. */
TbWinrmShell  *tb_winrm_shell_new             (const char    *host,
                                               guint          port,
                                               TbWinrmAuth    auth,
                                               const char    *user,
                                               const char    *password,
                                               const char    *pinned_sha256);
const char    *tb_winrm_shell_get_host        (TbWinrmShell  *self);

/* Runs one command in a new shell and deletes the shell. @timeout_ms bounds the whole run
 * (0 for 5 minutes); TB_WINRM_ERROR_TIMEOUT when it passes. A non-zero exit code is not an
 * error; the known failure symptoms in the error stream are (MODULE_MISSING, DOUBLE_HOP). */
void           tb_winrm_shell_run_async       (TbWinrmShell        *self,
                                               TbWinrmCommandKind   kind,
                                               const char          *text,
                                               guint                timeout_ms,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TbWinrmResult *tb_winrm_shell_run_finish      (TbWinrmShell        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Normalises a fingerprint typed or pasted by an admin: 64 hex digits, upper case, or NULL. */
char          *tb_winrm_normalize_fingerprint (const char *text);

G_END_DECLS
