/* tb-trust-half.h: the two halves of the trust, the pool and Microsoft 365
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which half of the trust a check is fixed on, or a change is made on. Registered as
 * TB_TYPE_TRUST_HALF (tb-core-enums.h); the nicks are the stable names "pool" and
 * "microsoft365". */
typedef enum
{
  TB_TRUST_HALF_POOL,         /* on the Front End (cmdlets) */
  TB_TRUST_HALF_MICROSOFT365, /* in the tenant (a Graph change the app makes) */
} TbTrustHalf;

G_END_DECLS
