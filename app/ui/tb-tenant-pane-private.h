/* tb-tenant-pane-private.h: what only the tests of tb-tenant-pane reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-tenant-pane.h"

G_BEGIN_DECLS

/* For tests. */
/* The last resolved tenant, or NULL. */
TbTenant   *tb_tenant_pane_get_tenant       (TbTenantPane *self);
/* The inline message for a failed look-up, or NULL. */
const char *tb_tenant_pane_get_error        (TbTenantPane *self);
/* Every label shown, newline-separated (tests). */
char       *tb_tenant_pane_dup_text         (TbTenantPane *self);

G_END_DECLS
