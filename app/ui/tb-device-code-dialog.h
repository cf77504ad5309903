/* tb-device-code-dialog.h: shows the device-code sign-in prompt until sign-in ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-auth.h"

G_BEGIN_DECLS

#define TB_TYPE_DEVICE_CODE_DIALOG (tb_device_code_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TbDeviceCodeDialog, tb_device_code_dialog, TB, DEVICE_CODE_DIALOG, AdwMessageDialog)

/* The dialog's only response is "cancel"; whoever started the sign-in cancels it there and
 * destroys the dialog when sign-in finishes either way. */
GtkWidget  *tb_device_code_dialog_new           (GtkWindow                *parent,
                                                 const TbDeviceCodePrompt *prompt);
/* Seconds until the code expires, 0 once it has (what the countdown shows). */
gint64      tb_device_code_dialog_get_remaining (TbDeviceCodeDialog       *self);

G_END_DECLS
