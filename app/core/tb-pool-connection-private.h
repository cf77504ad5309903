/* tb-pool-connection-private.h: what only the tests of tb-pool-connection reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-pool-connection.h"

G_BEGIN_DECLS

/* For tests: whether the connection is the demo Front End's, and the listener fingerprint the
 * client will require, or NULL (trust on first use is asked). */
gboolean          tb_pool_connection_get_demo     (TbPoolConnection *self);
const char       *tb_pool_connection_get_pin      (TbPoolConnection *self);

G_END_DECLS
