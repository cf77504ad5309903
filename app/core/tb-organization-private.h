/* tb-organization-private.h: what only the tests of tb-organization reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-organization.h"

G_BEGIN_DECLS

/* For tests. */
/* The default verified domain's name, else the initial one's, else NULL. */
const char     *tb_organization_get_default_domain (TbOrganization *self);

G_END_DECLS
