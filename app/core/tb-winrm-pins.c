/* tb-winrm-pins.c: the WinRM listener fingerprints an admin confirmed, remembered per host
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-winrm-pins"

#include "config.h"

#include "tb-winrm-pins-private.h"
#include "tb-winrm-shell.h"

#define PINS_KEY "winrm-pins"

struct _TbWinrmPins
{
  GObject     parent_instance;

  GSettings  *settings;  /* NULL: @memory only */
  GHashTable *memory;
};

G_DEFINE_FINAL_TYPE (TbWinrmPins, tb_winrm_pins, G_TYPE_OBJECT)

static void
tb_winrm_pins_finalize (GObject *object)
{
  TbWinrmPins *self = TB_WINRM_PINS (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->memory, g_hash_table_unref);
  G_OBJECT_CLASS (tb_winrm_pins_parent_class)->finalize (object);
}

static void
tb_winrm_pins_class_init (TbWinrmPinsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_winrm_pins_finalize;
}

static void
tb_winrm_pins_init (TbWinrmPins *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

TbWinrmPins *
tb_winrm_pins_new (GSettings *settings)
{
  TbWinrmPins *self = g_object_new (TB_TYPE_WINRM_PINS, NULL);

  if (settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (settings, "settings-schema", &schema, NULL);
      /* A stale installed schema without the key: memory only, rather than a crash. */
      if (schema != NULL && g_settings_schema_has_key (schema, PINS_KEY))
        self->settings = g_object_ref (settings);
    }
  return self;
}

char *
tb_winrm_pins_key (const char *host,
                   guint       port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  return g_strdup_printf ("%s:%u", lower, port != 0 ? port : TB_WINRM_DEFAULT_PORT);
}

/* The stored pins as a new table (key → fingerprint). */
static GHashTable *
load (TbWinrmPins *self)
{
  GHashTable *table;
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *key, *fingerprint;

  if (self->settings == NULL)
    return g_hash_table_ref (self->memory);

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  value = g_settings_get_value (self->settings, PINS_KEY);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &fingerprint))
    g_hash_table_insert (table, g_strdup (key), g_strdup (fingerprint));
  return table;
}

static void
save (TbWinrmPins *self,
      GHashTable  *table)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, fingerprint;

  if (self->settings == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &fingerprint))
    g_variant_builder_add (&builder, "{ss}", key, fingerprint);
  g_settings_set_value (self->settings, PINS_KEY, g_variant_builder_end (&builder));
}

char *
tb_winrm_pins_lookup (TbWinrmPins *self,
                      const char  *host,
                      guint        port)
{
  g_autoptr(GHashTable) table = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (TB_IS_WINRM_PINS (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  table = load (self);
  key = tb_winrm_pins_key (host, port);
  /* A hand-edited setting is normalised, and ignored when it is not a fingerprint. */
  return tb_winrm_normalize_fingerprint (g_hash_table_lookup (table, key));
}

gboolean
tb_winrm_pins_remember (TbWinrmPins *self,
                        const char  *host,
                        guint        port,
                        const char  *fingerprint)
{
  g_autoptr(GHashTable) table = NULL;
  char *normal;

  g_return_val_if_fail (TB_IS_WINRM_PINS (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);

  normal = tb_winrm_normalize_fingerprint (fingerprint);
  if (normal == NULL)
    return FALSE;
  table = load (self);
  g_hash_table_replace (table, tb_winrm_pins_key (host, port), normal);
  save (self, table);
  return TRUE;
}

void
tb_winrm_pins_forget (TbWinrmPins *self,
                      const char  *host,
                      guint        port)
{
  g_autoptr(GHashTable) table = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (TB_IS_WINRM_PINS (self));
  g_return_if_fail (host != NULL);

  table = load (self);
  key = tb_winrm_pins_key (host, port);
  if (g_hash_table_remove (table, key))
    save (self, table);
}
