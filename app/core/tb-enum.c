/* tb-enum.c: the stable names of registered enums
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-enum"

#include "config.h"

#include "tb-enum.h"

/* The classes of static enum types are never finalized, so a reference taken once (and kept)
 * costs nothing and makes the lookup safe from any thread. */
static GEnumClass *
enum_class (GType enum_type)
{
  GEnumClass *klass;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  klass = g_type_class_peek (enum_type);
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);
  return klass;
}

const char *
tb_enum_to_nick (GType enum_type,
                 gint  value)
{
  GEnumClass *klass = enum_class (enum_type);
  GEnumValue *v = klass != NULL ? g_enum_get_value (klass, value) : NULL;

  return v != NULL ? v->value_nick : NULL;
}
