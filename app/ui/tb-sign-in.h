/* tb-sign-in.h: the GUI's sign-in flows over TbAuth (dialogs, consent for write access)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-auth.h"

G_BEGIN_DECLS

typedef enum
{
  TB_SIGN_IN_DEVICE_CODE,            /* code dialog; the browser may be on another machine */
  TB_SIGN_IN_BROWSER,                /* authorization code + PKCE through the system browser */
} TbSignInMethod;

/* Signs in for @access, showing the device-code dialog (or opening the browser) over
 * @parent's window. Cancelling the dialog ends with G_IO_ERROR_CANCELLED. */
void     tb_sign_in_async              (GtkWidget           *parent,
                                        TbAuth              *auth,
                                        TbAuthAccess         access,
                                        TbSignInMethod       method,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean tb_sign_in_finish             (GAsyncResult        *result,
                                        GError             **error);

/* Makes sure @auth holds @access before a change: at once when it does, else a dialog says
 * why (@reason, e.g. "Adding a certificate changes the service principal.") and that
 * Application.ReadWrite.All will be asked for, then signs in with a code. Declining ends with
 * G_IO_ERROR_CANCELLED. */
void     tb_sign_in_ensure_access_async  (GtkWidget           *parent,
                                          TbAuth              *auth,
                                          TbAuthAccess         access,
                                          const char          *reason,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean tb_sign_in_ensure_access_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
