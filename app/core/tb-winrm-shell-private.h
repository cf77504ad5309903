/* tb-winrm-shell-private.h: the shell object and its result, shared by tb-winrm-shell.c and
 * tb-winrm-shell-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tb-winrm-shell.h"
#include "tb-winrm-soap.h"

G_BEGIN_DECLS

#define DEFAULT_TIMEOUT_MS (5 * 60 * 1000)
#define CLEANUP_TIMEOUT_MS (10 * 1000)
/* Above OperationTimeout (PT20S), so a Receive that waits server-side is not cut short. */
#define HTTP_TIMEOUT_S (TB_WINRM_OPERATION_TIMEOUT_S * 3)
#define MAX_OUTPUT (64 * 1024 * 1024)
#define MAX_REPLY (16 * 1024 * 1024)

struct _TbWinrmResult
{
  int     exit_code;
  GBytes *out;
  GBytes *err;
  char   *error_text;
};

struct _TbWinrmShell
{
  GObject      parent_instance;

  char        *host;
  guint        port;
  TbWinrmAuth  auth;
  char        *user;
  char        *password;
  char        *pin;           /* normalised, or NULL for system trust */
  gboolean     pin_invalid;   /* a pin was given but is not a SHA-256 fingerprint */
  char        *endpoint;
  GError      *setup_error;   /* http://, port 5985, bad host: reported by every run */

  /* Both only touched on the WinRM thread (_tb_winrm_io_context). */
  SoupSession *session;
  gboolean     primed;
};

GError *_tb_winrm_error_new (TbWinrmError  code,
                             const char   *fault_code,
                             const char   *detail,
                             const char   *fingerprint,
                             const char   *message);

GError *_tb_winrm_error_from_fault     (TbWinrmReply  *reply);
GError *_tb_winrm_error_from_transport (TbWinrmShell  *self,
                                        const char    *presented_fp,
                                        const GError  *error);
GError *_tb_winrm_error_unauthorized   (TbWinrmShell  *self);
GError *_tb_winrm_error_from_output    (TbWinrmShell  *self,
                                        TbWinrmResult *result);

GMainContext *_tb_winrm_io_context            (void);
void          _tb_winrm_shell_ensure_session (TbWinrmShell *self);

/* For tests. */
const char *tb_winrm_auth_to_string   (TbWinrmAuth  auth);
GBytes        *tb_winrm_result_get_stderr     (TbWinrmResult *result);

G_END_DECLS
