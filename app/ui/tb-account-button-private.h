/* tb-account-button-private.h: what only the tests of tb-account-button reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-account-button.h"

G_BEGIN_DECLS

/* For tests. */
/* The popover's lines (account, tenant, tenant ID, cloud, permissions), newline-separated. */
char       *tb_account_button_dup_details     (TbAccountButton *self);
/* What the button shows, for tests: "Sign In" or the tenant name. */
const char *tb_account_button_get_label       (TbAccountButton *self);

G_END_DECLS
