/* tb-winrm-password.h: a WinRM (Basic) password remembered in the keyring, when asked
 *
 * libsecret, attributes "host" (lower case, with ":port" when not 5986) and "user". The
 * schema is "<app ID>.WinRM", not the app ID itself: TbAuth clears every item of its own
 * schema on sign-out, and signing out of Microsoft 365 must not forget pool passwords.
 * The CLI never stores passwords; this is for the GUI's "Remember" switch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     tb_winrm_password_store_async   (const char          *host,
                                          guint                port,
                                          const char          *user,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean tb_winrm_password_store_finish  (GAsyncResult        *result,
                                          GError             **error);

/* The password (free with tb_winrm_password_free), or NULL without an error when none is
 * remembered. */
void     tb_winrm_password_lookup_async  (const char          *host,
                                          guint                port,
                                          const char          *user,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char    *tb_winrm_password_lookup_finish (GAsyncResult        *result,
                                          GError             **error);

void     tb_winrm_password_clear_async   (const char          *host,
                                          guint                port,
                                          const char          *user,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean tb_winrm_password_clear_finish  (GAsyncResult        *result,
                                          GError             **error);

/* Wipes and frees a password. */
void     tb_winrm_password_free          (char                *password);

G_END_DECLS
