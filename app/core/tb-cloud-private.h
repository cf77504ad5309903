/* tb-cloud-private.h: what only the tests of tb-cloud reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cloud.h"

G_BEGIN_DECLS

/* For tests. */
gboolean            tb_cloud_is_login_uri      (TbCloud     *self,
                                                const char  *uri);
/* Built-ins: "global", "usgov-high", "usgov-dod", "china". */
const char * const *tb_cloud_list_builtin      (void);

G_END_DECLS
