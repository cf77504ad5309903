/* tb-workspace-private.h: what only the tests of tb-workspace reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-workspace.h"

G_BEGIN_DECLS

/* For tests: where the tenant ID came from ("tenant-source"). */
TbTenantSource   tb_workspace_get_tenant_source   (TbWorkspace     *self);

G_END_DECLS
