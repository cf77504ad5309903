/* tb-device-code-dialog.c: shows the device-code sign-in prompt until sign-in ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-device-code-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-device-code-dialog-private.h"
#include "tb-row-layout.h"
#include "tb-ui-util.h"

struct _TbDeviceCodeDialog
{
  AdwMessageDialog  parent_instance;

  char             *user_code;
  char             *uri;
  gint64            expires_at;     /* monotonic microseconds */
  guint             tick_id;

  GtkLabel         *code_label;
  GtkLabel         *uri_label;
  GtkLabel         *countdown_label;
  GtkWidget        *open_button;
  GtkWidget        *copy_button;
};

G_DEFINE_FINAL_TYPE (TbDeviceCodeDialog, tb_device_code_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The dialog's commands are enabled from its state here: an expired code is worth neither
 * copying nor taking to the sign-in page. */
static void
update_actions (TbDeviceCodeDialog *self)
{
  gboolean valid = tb_device_code_dialog_get_remaining (self) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device-code.copy", valid);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "device-code.open", valid);
}

static void
update_countdown (TbDeviceCodeDialog *self)
{
  gint64 remaining = tb_device_code_dialog_get_remaining (self);
  g_autofree char *text = NULL;

  if (remaining <= 0)
    {
      gtk_label_set_text (self->countdown_label,
                          _("The code has expired. Cancel and sign in again for a new one."));
      update_actions (self);
      return;
    }

  /* Translators: minutes and seconds left, e.g. "The code expires in 14:32." */
  text = g_strdup_printf (_("The code expires in %d:%02d."),
                          (int) (remaining / 60), (int) (remaining % 60));
  gtk_label_set_text (self->countdown_label, text);
}

static gboolean
on_tick (gpointer user_data)
{
  TbDeviceCodeDialog *self = user_data;

  update_countdown (self);
  if (tb_device_code_dialog_get_remaining (self) <= 0)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TbDeviceCodeDialog *self = TB_DEVICE_CODE_DIALOG (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->user_code);
  gtk_widget_set_tooltip_text (self->copy_button, _("Copied"));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TbDeviceCodeDialog *self = TB_DEVICE_CODE_DIALOG (widget);

  /* The code is what the page asks for first: have it ready to paste. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->user_code);
  gtk_show_uri (GTK_WINDOW (self), self->uri, GDK_CURRENT_TIME);
}

static void
tb_device_code_dialog_dispose (GObject *object)
{
  TbDeviceCodeDialog *self = TB_DEVICE_CODE_DIALOG (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_DEVICE_CODE_DIALOG);

  G_OBJECT_CLASS (tb_device_code_dialog_parent_class)->dispose (object);
}

static void
tb_device_code_dialog_finalize (GObject *object)
{
  TbDeviceCodeDialog *self = TB_DEVICE_CODE_DIALOG (object);

  g_free (self->user_code);
  g_free (self->uri);

  G_OBJECT_CLASS (tb_device_code_dialog_parent_class)->finalize (object);
}

static void
tb_device_code_dialog_class_init (TbDeviceCodeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_device_code_dialog_dispose;
  object_class->finalize = tb_device_code_dialog_finalize;

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-device-code-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TbDeviceCodeDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, TbDeviceCodeDialog, uri_label);
  gtk_widget_class_bind_template_child (widget_class, TbDeviceCodeDialog, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, TbDeviceCodeDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, TbDeviceCodeDialog, copy_button);

  /* The dialog's commands: its buttons name these, and update_actions enables them. */
  gtk_widget_class_install_action (widget_class, "device-code.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "device-code.open", NULL, open_action);
}

static void
tb_device_code_dialog_init (TbDeviceCodeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_message_dialog_measure_width_first (ADW_MESSAGE_DIALOG (self));
}

GtkWidget *
tb_device_code_dialog_new (GtkWindow                *parent,
                           const TbDeviceCodePrompt *prompt)
{
  TbDeviceCodeDialog *self;
  g_autofree char *where = NULL;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  self = g_object_new (TB_TYPE_DEVICE_CODE_DIALOG, "transient-for", parent, NULL);
  self->user_code = g_strdup (prompt->user_code);
  self->uri = g_strdup (prompt->verification_uri);
  self->expires_at = prompt->expires_at;

  gtk_label_set_text (self->code_label, self->user_code);
  /* Translators: %s is the sign-in page, e.g. https://microsoft.com/devicelogin */
  where = g_strdup_printf (_("Sign-in page: %s"), self->uri);
  gtk_label_set_text (self->uri_label, where);
  update_countdown (self);
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);

  return GTK_WIDGET (self);
}

const char *
tb_device_code_dialog_get_user_code (TbDeviceCodeDialog *self)
{
  g_return_val_if_fail (TB_IS_DEVICE_CODE_DIALOG (self), NULL);
  return self->user_code;
}

const char *
tb_device_code_dialog_get_uri (TbDeviceCodeDialog *self)
{
  g_return_val_if_fail (TB_IS_DEVICE_CODE_DIALOG (self), NULL);
  return self->uri;
}

gint64
tb_device_code_dialog_get_remaining (TbDeviceCodeDialog *self)
{
  g_return_val_if_fail (TB_IS_DEVICE_CODE_DIALOG (self), 0);

  return MAX (0, (self->expires_at - g_get_monotonic_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}
