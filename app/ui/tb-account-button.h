/* tb-account-button.h: the header bar's sign-in state: "Sign In", or who is signed in where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-auth.h"

G_BEGIN_DECLS

#define TB_TYPE_ACCOUNT_BUTTON (tb_account_button_get_type ())
G_DECLARE_FINAL_TYPE (TbAccountButton, tb_account_button, TB, ACCOUNT_BUTTON, GtkWidget)

/* Signed out it offers win.sign-in (device code) and win.sign-in-browser; signed in it shows
 * the avatar and tenant name, and its popover offers win.sign-out. */
GtkWidget  *tb_account_button_new             (void);
TbAuth     *tb_account_button_get_auth        (TbAccountButton *self);
void        tb_account_button_set_auth        (TbAccountButton *self,
                                               TbAuth          *auth);
/* The organization's name once Graph has answered; until then the tenant the user typed. */
void        tb_account_button_set_tenant_name (TbAccountButton *self,
                                               const char      *name);

/* While a sign-in runs the button says "Signing In…" and cannot start another. */
void             tb_account_button_set_busy        (TbAccountButton *self,
                                                    gboolean         busy);

G_END_DECLS
