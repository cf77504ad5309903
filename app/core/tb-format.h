/* tb-format.h: dates and phrases shown to people and written for scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2027-03-12T14:05:00Z" */
char *tb_format_iso8601_utc   (GDateTime *when);
/* "12 Mar 2027, 14:05" in local time */
char *tb_format_local         (GDateTime *when);
/* "expires in 3 months", "expired 2 days ago", "valid from tomorrow"… relative to @now */
char *tb_format_expiry_phrase (GDateTime *not_before,
                               GDateTime *not_after,
                               GDateTime *now);
/* "in 3 months" / "2 days ago" */
char *tb_format_relative      (GDateTime *when,
                               GDateTime *now);
/* Upper-case hex without separators */
char *tb_format_hex           (const guint8 *data,
                               gsize         len);

G_END_DECLS
