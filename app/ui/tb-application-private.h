/* tb-application-private.h: what only the tests of tb-application reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-application.h"

G_BEGIN_DECLS

/* For tests: the context, created at startup; NULL before. */
TbContext     *tb_application_get_context (TbApplication *self);

G_END_DECLS
