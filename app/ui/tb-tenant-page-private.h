/* tb-tenant-page-private.h: what only the tests of tb-tenant-page reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-tenant-page.h"

G_BEGIN_DECLS

/* For tests. */
/* The last resolved tenant, or NULL. */
TbTenant   *tb_tenant_page_get_tenant       (TbTenantPage *self);
/* The inline message for a failed look-up, or NULL. */
const char *tb_tenant_page_get_error        (TbTenantPage *self);
/* Every label shown, newline-separated (tests). */
char       *tb_tenant_page_dup_text         (TbTenantPage *self);

G_END_DECLS
