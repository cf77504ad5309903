/* tb-property-row.c: a read-only "name above value" row for certificate fields
 *
 * libadwaita 1.2 has no "property" row style, and AdwActionRow subtitles can neither be selected
 * nor set in a monospace font, so certificate fields get this small row of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-property-row"

#include "config.h"

#include "tb-property-row.h"
#include "tb-ui-util.h"

struct _TbPropertyRow
{
  AdwPreferencesRow  parent_instance;

  GtkLabel          *title_label;
  GtkLabel          *value_label;
  GtkBox            *text_box;
  GtkBox            *suffix_box;
  GtkWidget         *extra;
};

G_DEFINE_FINAL_TYPE (TbPropertyRow, tb_property_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_MONOSPACE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tb_property_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TbPropertyRow *self = TB_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_string (value, tb_property_row_get_value (self));
      break;

    case PROP_MONOSPACE:
      g_value_set_boolean (value, gtk_widget_has_css_class (GTK_WIDGET (self->value_label),
                                                            "monospace"));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_property_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TbPropertyRow *self = TB_PROPERTY_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      tb_property_row_set_value (self, g_value_get_string (value));
      break;

    case PROP_MONOSPACE:
      tb_property_row_set_monospace (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_property_row_class_init (TbPropertyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tb_property_row_get_property;
  object_class->set_property = tb_property_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONOSPACE] =
    g_param_spec_boolean ("monospace", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-property-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TbPropertyRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TbPropertyRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, TbPropertyRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, TbPropertyRow, suffix_box);
}

static void
tb_property_row_init (TbPropertyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (self, "title", self->title_label, "label", G_BINDING_SYNC_CREATE);
  /* Screen readers announce "Subject: CN=…" rather than two unrelated labels. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);
}

GtkWidget *
tb_property_row_new (void)
{
  return g_object_new (TB_TYPE_PROPERTY_ROW, NULL);
}

const char *
tb_property_row_get_value (TbPropertyRow *self)
{
  g_return_val_if_fail (TB_IS_PROPERTY_ROW (self), NULL);

  return gtk_label_get_text (self->value_label);
}

void
tb_property_row_set_value (TbPropertyRow *self,
                           const char    *value)
{
  g_return_if_fail (TB_IS_PROPERTY_ROW (self));

  if (g_strcmp0 (value, gtk_label_get_text (self->value_label)) == 0)
    return;

  gtk_label_set_text (self->value_label, value ? value : "");
  /* The full value stays reachable when it is cut to a line. */
  if (gtk_label_get_lines (self->value_label) > 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_label), value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

GtkLabel *
tb_property_row_get_value_label (TbPropertyRow *self)
{
  g_return_val_if_fail (TB_IS_PROPERTY_ROW (self), NULL);

  return self->value_label;
}

void
tb_property_row_set_monospace (TbPropertyRow *self,
                               gboolean       monospace)
{
  g_return_if_fail (TB_IS_PROPERTY_ROW (self));

  if (monospace)
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "monospace");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), "monospace");
}

void
tb_property_row_set_value_lines (TbPropertyRow *self,
                                 int            lines)
{
  g_return_if_fail (TB_IS_PROPERTY_ROW (self));

  gtk_label_set_lines (self->value_label, lines);
  gtk_label_set_ellipsize (self->value_label,
                           lines > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (lines > 0)
    gtk_label_set_wrap (self->value_label, lines > 1);
}

void
tb_property_row_add_suffix (TbPropertyRow *self,
                            GtkWidget     *widget)
{
  g_return_if_fail (TB_IS_PROPERTY_ROW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_append (self->suffix_box, widget);
  gtk_widget_show (GTK_WIDGET (self->suffix_box));
}

void
tb_property_row_set_extra (TbPropertyRow *self,
                           GtkWidget     *widget)
{
  g_return_if_fail (TB_IS_PROPERTY_ROW (self));

  if (self->extra != NULL)
    gtk_box_remove (self->text_box, self->extra);
  self->extra = widget;
  if (widget != NULL)
    gtk_box_append (self->text_box, widget);
}
