/* tb-cli-renew.h: trust-bridge-cli trust renew
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-cli.h"
#include "tb-pool-client.h"

G_BEGIN_DECLS

int           tb_cli_trust_renew  (TbCliInvocation *inv);

/* In tb-cli-pool.c: a pool client from connection options (--demo aware); NULL after an error
 * message. @command names the command in messages. */
TbPoolClient *tb_cli_pool_connect_command (TbCliInvocation *inv,
                                           const char      *host,
                                           int              port,
                                           const char      *auth,
                                           const char      *user,
                                           const char      *fingerprint,
                                           const char      *command,
                                           char           **display);

G_END_DECLS
