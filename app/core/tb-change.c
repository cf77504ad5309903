/* tb-change.c: one change to the trust, on either half, as the faces report it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-change"

#include "config.h"

#include "tb-change.h"
#include "tb-core-enums.h"
#include "tb-enum.h"

G_DEFINE_BOXED_TYPE (TbChange, tb_change, tb_change_copy, tb_change_free)

TbChange *
tb_change_new (TbTrustHalf     half,
               const char     *target,
               TbChangeAction  action,
               const char     *detail)
{
  TbChange *change = g_new0 (TbChange, 1);

  change->half = half;
  change->target = g_strdup (target);
  change->action = action;
  change->detail = g_strdup (detail);
  return change;
}

TbChange *
tb_change_copy (const TbChange *change)
{
  TbChange *copy = tb_change_new (change->half, change->target, change->action, change->detail);

  copy->retries = change->retries;
  copy->restored = g_strdupv (change->restored);
  return copy;
}

void
tb_change_free (TbChange *change)
{
  if (change == NULL)
    return;
  g_free (change->target);
  g_free (change->detail);
  g_strfreev (change->restored);
  g_free (change);
}

const char *
tb_change_action_to_string (TbChangeAction action)
{
  return tb_enum_to_nick (TB_TYPE_CHANGE_ACTION, action);
}

gboolean
tb_change_is_none (const TbChange *change)
{
  return change->action == TB_CHANGE_ACTION_NONE;
}

gboolean
tb_change_had_loss (const TbChange *change)
{
  return change->restored != NULL && change->restored[0] != NULL;
}

static void
add_change (JsonBuilder    *builder,
            const TbChange *change)
{
  gboolean pool = change->half == TB_TRUST_HALF_POOL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, pool ? "item" : "app_id");
  json_builder_add_string_value (builder, change->target);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, tb_change_action_to_string (change->action));
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, change->detail);
  if (!pool)
    {
      json_builder_set_member_name (builder, "retries");
      json_builder_add_int_value (builder, change->retries);
      json_builder_set_member_name (builder, "restored");
      json_builder_begin_array (builder);
      for (guint j = 0; change->restored != NULL && change->restored[j] != NULL; j++)
        json_builder_add_string_value (builder, change->restored[j]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

JsonNode *
tb_changes_to_json (GPtrArray *changes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    add_change (builder, g_ptr_array_index (changes, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
