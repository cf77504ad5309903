/* tb-renewal-dialog-private.h: what only the tests of tb-renewal-dialog reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-renewal-dialog.h"

G_BEGIN_DECLS

/* For tests: the renewal as last worked out (NULL while reading), the shown reason or
 * result, and whether a read or write is under way. */
TbRenewal      *tb_renewal_dialog_get_renewal  (TbRenewalDialog *self);
const char     *tb_renewal_dialog_get_message  (TbRenewalDialog *self);
gboolean        tb_renewal_dialog_get_busy     (TbRenewalDialog *self);

G_END_DECLS
