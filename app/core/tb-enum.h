/* tb-enum.h: the stable names of registered enums
 *
 * The core's public enums are registered with glib-mkenums (tb-core-enums.h); each value's
 * nick ("add-credential", "state-file", "not-yet-valid"…) is the name scripts and --json
 * output rely on, so it is kept in one place: the enum's declaration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The nick of @value in the registered enum @enum_type; NULL when @value is not one of it. */
const char *tb_enum_to_nick (GType enum_type,
                             gint  value);

G_END_DECLS
