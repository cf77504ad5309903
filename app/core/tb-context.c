/* tb-context.c: the one object that owns settings and services, shared by every face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-context.h"

struct _TbContext
{
  GObject    parent_instance;

  GSettings *settings;
  guint      warn_days;
  gboolean   demo;
};

enum {
  PROP_0,
  PROP_WARN_DAYS,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TbContext, tb_context, G_TYPE_OBJECT)

static void
tb_context_finalize (GObject *object)
{
  TbContext *self = TB_CONTEXT (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tb_context_parent_class)->finalize (object);
}

static void
tb_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TbContext *self = TB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_WARN_DAYS:
      g_value_set_uint (value, self->warn_days);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TbContext *self = TB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_WARN_DAYS:
      tb_context_set_warn_days (self, g_value_get_uint (value));
      break;
    case PROP_DEMO:
      tb_context_set_demo (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_context_class_init (TbContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_context_finalize;
  object_class->get_property = tb_context_get_property;
  object_class->set_property = tb_context_set_property;

  properties[PROP_WARN_DAYS] =
    g_param_spec_uint ("warn-days", NULL, NULL, 1, 3650, TB_DEFAULT_WARN_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_context_init (TbContext *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->warn_days = TB_DEFAULT_WARN_DAYS;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_settings_bind (self->settings, "expiry-warning-days", self, "warn-days",
                       G_SETTINGS_BIND_DEFAULT);
    }
}

TbContext *
tb_context_new (void)
{
  return g_object_new (TB_TYPE_CONTEXT, NULL);
}

GSettings *
tb_context_get_settings (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);
  return self->settings;
}

guint
tb_context_get_warn_days (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), TB_DEFAULT_WARN_DAYS);
  return self->warn_days;
}

void
tb_context_set_warn_days (TbContext *self,
                          guint      days)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  days = CLAMP (days, 1, 3650);
  if (self->warn_days != days)
    {
      self->warn_days = days;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARN_DAYS]);
    }
}

gboolean
tb_context_get_demo (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  return self->demo;
}

void
tb_context_set_demo (TbContext *self,
                     gboolean   demo)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  demo = !!demo;
  if (self->demo != demo)
    {
      self->demo = demo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}
