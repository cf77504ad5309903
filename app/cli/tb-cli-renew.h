/* tb-cli-renew.h: trust-bridge-cli trust renew
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cli.h"
#include "tb-pool-client.h"

G_BEGIN_DECLS

int           tb_cli_trust_renew  (TbCliInvocation *inv);

G_END_DECLS
