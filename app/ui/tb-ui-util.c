/* tb-ui-util.c: small helpers shared by the certificate widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-ui-util"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-resources.h"
#include "tb-ui-util.h"

void
tb_ui_ensure_resources (void)
{
  /* Referencing the bundle links it in from the static library; its constructor has
   * registered it by now. The call stays outside g_assert, which G_DISABLE_ASSERT removes. */
  GResource *resource = tb_get_resource ();

  if (resource == NULL)
    g_error ("The GUI's resources are missing from this build");
}

const char *
tb_status_get_css_class (TbCertificateStatus status)
{
  switch (status)
    {
    case TB_CERTIFICATE_STATUS_VALID:
      return "success";

    case TB_CERTIFICATE_STATUS_EXPIRING:
      return "warning";

    case TB_CERTIFICATE_STATUS_EXPIRED:
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      return "error";
    }
}

void
tb_status_label_update (GtkLabel            *label,
                        TbCertificateStatus  status)
{
  static const char * const classes[] = { "success", "warning", "error" };

  g_return_if_fail (GTK_IS_LABEL (label));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), tb_status_get_css_class (status));
  gtk_label_set_text (label, tb_certificate_status_get_label (status));
}

void
tb_certificate_badge_update (GtkLabel      *label,
                             TbCertificate *certificate,
                             GDateTime     *now,
                             guint          warn_days)
{
  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (TB_IS_CERTIFICATE (certificate));

  tb_status_label_update (label, tb_certificate_get_status (certificate, now, warn_days));
  /* A weak key makes the certificate unusable whatever its dates: never a green "Valid". */
  if (tb_certificate_has_weak_key (certificate))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_label_set_text (label, _("Key too short"));
    }
}

const char *
tb_certificate_get_display_name (TbCertificate *certificate)
{
  const char *name;

  g_return_val_if_fail (TB_IS_CERTIFICATE (certificate), NULL);

  name = tb_certificate_get_common_name (certificate);
  if (name != NULL && *name != '\0')
    return name;

  name = tb_certificate_get_subject (certificate);
  if (name != NULL && *name != '\0')
    return name;

  return _("Unnamed certificate");
}

char *
tb_key_credential_dup_title (TbKeyCredential *credential)
{
  const char *name;
  const char *thumbprint;

  g_return_val_if_fail (TB_IS_KEY_CREDENTIAL (credential), NULL);

  name = tb_key_credential_get_display_name (credential);
  if (name != NULL && *name != '\0')
    return g_strdup (name);

  thumbprint = tb_key_credential_get_thumbprint (credential);
  if (thumbprint != NULL && *thumbprint != '\0')
    /* Translators: a credential without a name, shown by the start of its SHA-1 thumbprint. */
    return g_strdup_printf (_("Thumbprint %.8s…"), thumbprint);

  return g_strdup (tb_key_credential_get_key_id (credential));
}

static GtkWidget *
find_toast_overlay (GtkWidget *widget)
{
  if (ADW_IS_TOAST_OVERLAY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toast_overlay (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
tb_widget_show_toast (GtkWidget  *widget,
                      const char *text)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      /* The window itself, or a dialog over it: the overlay sits below the window's root,
       * or below the window the dialog belongs to. A toast must never be lost silently. */
      GtkRoot *root = gtk_widget_get_root (widget);

      overlay = root != NULL ? find_toast_overlay (GTK_WIDGET (root)) : NULL;
      if (overlay == NULL && GTK_IS_WINDOW (root) &&
          gtk_window_get_transient_for (GTK_WINDOW (root)) != NULL)
        overlay = find_toast_overlay (GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (root))));
    }
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_debug ("No toast overlay for “%s”", text);
}

void
tb_widget_copy_text (GtkWidget  *widget,
                     const char *text,
                     const char *toast)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text == NULL || *text == '\0')
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  if (toast != NULL)
    tb_widget_show_toast (widget, toast);
}

GtkWidget *
tb_icon_button_new (const char *icon,
                    const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

void
tb_closure_free_data (gpointer  data,
                      GClosure *closure)
{
  g_free (data);
}

/* row.copy("text"): copies its parameter; @user_data is the row the action belongs to. */
static void
on_copy_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  tb_widget_copy_text (GTK_WIDGET (user_data), g_variant_get_string (parameter, NULL),
                       _("Copied to the clipboard"));
}

GtkWidget *
tb_value_row_new (const char *title,
           const char *value,
           gboolean    monospace,
           gboolean    copy)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL ? value : "—");
  gtk_widget_add_css_class (row, "property");
  if (monospace)
    gtk_widget_add_css_class (row, "tb-monospace-subtitle");

  if (copy && value != NULL)
    {
      GtkWidget *button = tb_icon_button_new ("edit-copy-symbolic", _("Copy"));
      g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
      g_autoptr(GSimpleAction) action = g_simple_action_new ("copy", G_VARIANT_TYPE_STRING);

      /* The row carries row.copy: the button names it with the value as its target, so the
       * copy works in any window or dialog the row is put in. The group lives as long as the
       * row, which the action therefore need not hold. */
      g_signal_connect (action, "activate", G_CALLBACK (on_copy_activated), row);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
      gtk_widget_insert_action_group (row, "row", G_ACTION_GROUP (group));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "row.copy");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", value);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

char *
tb_format_dn_for_display (const char *dn)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  GString *part;
  GString *out;
  gboolean reverse;

  if (dn == NULL)
    return NULL;
  part = g_string_new (NULL);
  out = g_string_new (NULL);
  /* Split on the commas between RDNs, not on escaped ones ("\,") inside a value. */
  for (const char *p = dn; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          g_string_append_c (part, *p++);
          g_string_append_c (part, *p);
        }
      else if (*p == ',')
        {
          g_ptr_array_add (parts, g_string_free (part, FALSE));
          part = g_string_new (NULL);
        }
      else
        g_string_append_c (part, *p);
    }
  g_ptr_array_add (parts, g_string_free (part, FALSE));

  /* Windows and Entra lead with the common name: CN=…, O=…, C=…. RFC 4514 already does for
   * the usual DER order (C, O, CN); a certificate encoded the other way round (CN first in
   * DER) comes out CN last, and is turned around. */
  reverse = parts->len > 1 &&
            !g_str_has_prefix (g_ptr_array_index (parts, 0), "CN=") &&
            g_str_has_prefix (g_ptr_array_index (parts, parts->len - 1), "CN=");
  for (guint n = 0; n < parts->len; n++)
    {
      const char *text = g_ptr_array_index (parts, reverse ? parts->len - 1 - n : n);

      while (*text == ' ')
        text++;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, text);
    }
  return g_string_free (out, FALSE);
}

void
tb_widget_append_label_text (GtkWidget *widget,
                             GString   *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tb_widget_append_label_text (child, text);
}

void
tb_file_chooser_clear (GtkFileChooserNative **chooser)
{
  g_return_if_fail (chooser != NULL);

  if (*chooser == NULL)
    return;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (*chooser));
  g_clear_object (chooser);
}

GFile *
tb_file_chooser_take_file (GtkFileChooserNative **chooser,
                           int                    response)
{
  GFile *file = NULL;

  g_return_val_if_fail (chooser != NULL && GTK_IS_FILE_CHOOSER_NATIVE (*chooser), NULL);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (*chooser));
  tb_file_chooser_clear (chooser);
  return file;
}

GtkFileChooserNative *
tb_script_chooser_new (GtkWindow  *parent,
                       const char *title,
                       const char *name)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PowerShell scripts (.ps1)"));
  gtk_file_filter_add_suffix (filter, "ps1");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  return chooser;
}

static gboolean
present_soon (gpointer user_data)
{
  g_autoptr(GtkWindow) window = g_weak_ref_get (user_data);

  if (window != NULL)
    gtk_window_present (window);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer user_data)
{
  g_weak_ref_clear (user_data);
  g_free (user_data);
}

/* GtkMenuButton calls its popup function at every opening, and each setting of a model builds
 * a new popover: the model is set the first time only. */
static void
set_menu_model_once (GtkMenuButton *button,
                     gpointer       model)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

void
tb_menu_button_set_menu_model_lazily (GtkMenuButton *button,
                                      GMenuModel    *model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (G_IS_MENU_MODEL (model));

  /* With a popup function and no popover, GtkMenuButton keeps itself sensitive. */
  gtk_menu_button_set_create_popup_func (button, set_menu_model_once, g_object_ref (model),
                                         g_object_unref);
}

void
tb_window_present_soon (GtkWindow *window)
{
  GWeakRef *ref;

  g_return_if_fail (GTK_IS_WINDOW (window));

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, window);
  /* Idle priority comes after GTK's redraw (GDK_PRIORITY_REDRAW). */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, present_soon, ref, weak_ref_free);
}
