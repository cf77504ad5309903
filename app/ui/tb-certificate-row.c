/* tb-certificate-row.c: one loaded certificate in the Certificates list
 *
 * The list is a GtkListView that makes rows only for what is on screen and binds them to
 * whichever certificate scrolls into view, so a row shows the certificate it was last given.
 * The row takes keyboard focus itself before its remove button, as a list box row does: the
 * arrow keys move from row to row, Enter activates it and Tab reaches the button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificate-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-certificate-row-private.h"
#include "tb-format.h"
#include "tb-ui-util.h"

struct _TbCertificateRow
{
  GtkWidget      parent_instance;

  TbCertificate *certificate;
  guint          warn_days;

  GtkLabel      *name_label;
  GtkLabel      *phrase_label;
  GtkLabel      *status_label;
  GtkButton     *remove_button;
};

G_DEFINE_FINAL_TYPE (TbCertificateRow, tb_certificate_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_WARN_DAYS,
  N_PROPS
};

enum {
  REMOVE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tb_certificate_row_update (TbCertificateRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *phrase = NULL;
  g_autofree char *remove_label = NULL;
  g_autofree char *tooltip = NULL;
  const char *name;

  if (self->certificate == NULL)
    return;

  name = tb_certificate_get_display_name (self->certificate);
  gtk_label_set_text (self->name_label, name);
  /* The full subject is one hover away when the name is cut. */
  {
    g_autofree char *subject = tb_format_dn_for_display (tb_certificate_get_subject (self->certificate));

    gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), subject);
  }

  phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (self->certificate),
                                    tb_certificate_get_not_after (self->certificate),
                                    now);
  gtk_label_set_text (self->phrase_label, phrase);

  tb_certificate_badge_update (self->status_label, self->certificate, now, self->warn_days);
  /* What a screen reader says on reaching the row: the name, then status and expiry. */
  {
    g_autofree char *description = g_strdup_printf ("%s, %s",
                                                    gtk_label_get_text (self->status_label),
                                                    phrase);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  }

  /* Translators: the accessible name and tooltip of a row's remove button; %s is the common name */
  remove_label = g_strdup_printf (_("Remove certificate %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
}

/* The row's commands are enabled from its state here: an unbound row removes nothing. */
static void
update_actions (TbCertificateRow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.remove", self->certificate != NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TbCertificateRow *self = TB_CERTIFICATE_ROW (widget);

  if (self->certificate != NULL)
    g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
tb_certificate_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TB_TYPE_CERTIFICATE_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tb_certificate_row_parent_class)->dispose (object);
}

static void
tb_certificate_row_finalize (GObject *object)
{
  TbCertificateRow *self = TB_CERTIFICATE_ROW (object);

  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (tb_certificate_row_parent_class)->finalize (object);
}

static void
tb_certificate_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TbCertificateRow *self = TB_CERTIFICATE_ROW (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    case PROP_WARN_DAYS:
      g_value_set_uint (value, self->warn_days);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_certificate_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TbCertificateRow *self = TB_CERTIFICATE_ROW (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      tb_certificate_row_set_certificate (self, g_value_get_object (value));
      break;

    case PROP_WARN_DAYS:
      tb_certificate_row_set_warn_days (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_certificate_row_class_init (TbCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_certificate_row_dispose;
  object_class->finalize = tb_certificate_row_finalize;
  object_class->get_property = tb_certificate_row_get_property;
  object_class->set_property = tb_certificate_row_set_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, TB_TYPE_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARN_DAYS] =
    g_param_spec_uint ("warn-days", NULL, NULL, 0, G_MAXUINT, 30,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The list owns the model, so the row only asks. */
  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-certificate-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCertificateRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateRow, phrase_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateRow, remove_button);

  /* The remove button names this; the list the row is bound in is told by remove-requested. */
  gtk_widget_class_install_action (widget_class, "row.remove", NULL, remove_action);
}

static void
tb_certificate_row_init (TbCertificateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  update_actions (self);
}

GtkWidget *
tb_certificate_row_new (guint warn_days)
{
  return g_object_new (TB_TYPE_CERTIFICATE_ROW, "warn-days", warn_days, NULL);
}

void
tb_certificate_row_set_certificate (TbCertificateRow *self,
                                    TbCertificate    *certificate)
{
  g_return_if_fail (TB_IS_CERTIFICATE_ROW (self));
  g_return_if_fail (certificate == NULL || TB_IS_CERTIFICATE (certificate));

  if (!g_set_object (&self->certificate, certificate))
    return;

  tb_certificate_row_update (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

TbCertificate *
tb_certificate_row_get_certificate (TbCertificateRow *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE_ROW (self), NULL);

  return self->certificate;
}

GtkButton *
tb_certificate_row_get_remove_button (TbCertificateRow *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE_ROW (self), NULL);

  return self->remove_button;
}

void
tb_certificate_row_set_warn_days (TbCertificateRow *self,
                                  guint             warn_days)
{
  g_return_if_fail (TB_IS_CERTIFICATE_ROW (self));

  if (self->warn_days == warn_days)
    return;

  self->warn_days = warn_days;
  tb_certificate_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARN_DAYS]);
}
