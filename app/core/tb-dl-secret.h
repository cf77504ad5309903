/* tb-dl-secret.h: libsecret, loaded on first use (tb-dl.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include this instead of the library's header in a file that calls the library: every
 * function the program calls is listed here. One missing fails the executables' link.
 */
#pragma once

#include <libsecret/secret.h>

#include "tb-dl.h"

#define TB_SECRET(symbol) TB_DL_FUNC (TB_DL_SECRET, symbol)

#define secret_password_clear TB_SECRET (secret_password_clear)
#define secret_password_clear_finish TB_SECRET (secret_password_clear_finish)
#define secret_password_free TB_SECRET (secret_password_free)
#define secret_password_lookup TB_SECRET (secret_password_lookup)
#define secret_password_lookup_finish TB_SECRET (secret_password_lookup_finish)
#define secret_password_store TB_SECRET (secret_password_store)
#define secret_password_store_finish TB_SECRET (secret_password_store_finish)
