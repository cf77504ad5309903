/* tb-device-code-dialog-private.h: what only the tests of tb-device-code-dialog reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-device-code-dialog.h"

G_BEGIN_DECLS

/* For tests. */
const char *tb_device_code_dialog_get_uri       (TbDeviceCodeDialog       *self);
const char *tb_device_code_dialog_get_user_code (TbDeviceCodeDialog       *self);

G_END_DECLS
