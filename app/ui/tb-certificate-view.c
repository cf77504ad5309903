/* tb-certificate-view.c: every field of one certificate, grouped for an admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificate-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-certificate-view.h"
#include "tb-format.h"
#include "tb-property-row.h"
#include "tb-ui-util.h"

struct _TbCertificateView
{
  GtkWidget      parent_instance;

  TbCertificate *certificate;

  GtkLabel      *title_label;
  GtkLabel      *summary_label;
  GtkLabel      *status_label;
  TbPropertyRow *subject_row;
  TbPropertyRow *issuer_row;
  TbPropertyRow *serial_row;
  TbPropertyRow *self_signed_row;
  TbPropertyRow *signature_row;
  TbPropertyRow *source_row;
  TbPropertyRow *not_before_row;
  TbPropertyRow *not_after_row;
  TbPropertyRow *lifetime_row;
  TbPropertyRow *sha1_row;
  TbPropertyRow *sha256_row;
  AdwActionRow  *weak_key_row;
  TbPropertyRow *key_algorithm_row;
  TbPropertyRow *key_size_row;
  TbPropertyRow *key_usage_row;
  TbPropertyRow *eku_row;
  TbPropertyRow *san_row;
  TbPropertyRow *base64_row;
  GtkButton     *add_button;
  GtkLevelBar   *lifetime_bar;
  gboolean       signed_in;
};

G_DEFINE_FINAL_TYPE (TbCertificateView, tb_certificate_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
join_or_none (const char * const *values,
              const char         *separator)
{
  if (values == NULL || values[0] == NULL)
    return g_strdup (_("None"));

  return g_strjoinv (separator, (char **) values);
}

/* "12 Mar 2027, 14:05 · in 3 months" */
static char *
format_date_with_phrase (GDateTime *when,
                         GDateTime *now)
{
  g_autofree char *local = tb_format_local (when);
  g_autofree char *relative = tb_format_relative (when, now);

  /* Translators: a date in local time, then how far away it is, e.g. "12 Mar 2027, 14:05 · in 3 months" */
  return g_strdup_printf (_("%s · %s"), local, relative);
}

static void
update_lifetime (TbCertificateView   *self,
                 GDateTime           *now,
                 TbCertificateStatus  status)
{
  static const char * const classes[] = { "success", "warning", "error" };
  GDateTime *not_before = tb_certificate_get_not_before (self->certificate);
  GDateTime *not_after = tb_certificate_get_not_after (self->certificate);
  GTimeSpan total = g_date_time_difference (not_after, not_before);
  GTimeSpan used = g_date_time_difference (now, not_before);
  guint total_days = (guint) MAX (total / G_TIME_SPAN_DAY, 0);
  guint used_days;
  double fraction;
  g_autofree char *text = NULL;

  if (total <= 0)
    fraction = 1.0;
  else
    fraction = CLAMP ((double) used / (double) total, 0.0, 1.0);
  used_days = (guint) CLAMP (used / G_TIME_SPAN_DAY, 0, (gint64) total_days);

  if (status == TB_CERTIFICATE_STATUS_NOT_YET_VALID)
    text = g_strdup (_("Not started yet"));
  else if (status == TB_CERTIFICATE_STATUS_EXPIRED)
    /* Translators: %'u is a day count with the locale's digit grouping ("3,650") */
    text = g_strdup_printf (ngettext ("All of its %'u day has passed",
                                      "All of its %'u days have passed",
                                      total_days),
                            total_days);
  else
    /* Translators: how much of a certificate's validity period has passed; %'u is a
     * day count with the locale's digit grouping ("1,200 of 3,650 days have passed") */
    text = g_strdup_printf (ngettext ("%'u of %'u day has passed",
                                      "%'u of %'u days have passed",
                                      total_days),
                            used_days, total_days);

  tb_property_row_set_value (self->lifetime_row, text);
  gtk_level_bar_set_value (self->lifetime_bar, fraction);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->lifetime_bar), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->lifetime_bar), tb_status_get_css_class (status));
}

/* The view's commands are enabled from its state here, in one place: its buttons name them.
 * Adding to service principals needs a sign-in; the button stays in view, insensitive, so the
 * admin learns the command exists and what it needs. */
static void
update_actions (TbCertificateView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have = self->certificate != NULL;

  gtk_widget_action_set_enabled (widget, "view.copy-sha1", have);
  gtk_widget_action_set_enabled (widget, "view.copy-sha256", have);
  gtk_widget_action_set_enabled (widget, "view.copy-base64", have);
  gtk_widget_action_set_enabled (widget, "view.add-to-principals", self->signed_in);
}

static void
tb_certificate_view_update (TbCertificateView *self,
                            guint              warn_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *phrase = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *key_size = NULL;
  g_autofree char *key_usage = NULL;
  g_autofree char *eku = NULL;
  g_autofree char *sans = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *source = NULL;
  TbCertificate *cert = self->certificate;
  TbCertificateStatus status;
  const char *issuer_name;
  gboolean weak;

  update_actions (self);

  if (cert == NULL)
    return;

  status = tb_certificate_get_status (cert, now, warn_days);
  phrase = tb_format_expiry_phrase (tb_certificate_get_not_before (cert),
                                    tb_certificate_get_not_after (cert),
                                    now);

  gtk_label_set_text (self->title_label, tb_certificate_get_display_name (cert));
  tb_certificate_badge_update (self->status_label, cert, now, warn_days);

  issuer_name = tb_certificate_get_issuer_common_name (cert);
  if (issuer_name == NULL || *issuer_name == '\0')
    issuer_name = tb_certificate_get_issuer (cert);
  if (tb_certificate_get_self_signed (cert))
    /* Translators: %s is a phrase such as "expires in 3 months" */
    summary = g_strdup_printf (_("Self-signed · %s"), phrase);
  else
    /* Translators: the first %s is the issuer's name, the second a phrase such as "expires in 3 months" */
    summary = g_strdup_printf (_("Issued by %s · %s"), issuer_name, phrase);
  gtk_label_set_text (self->summary_label, summary);

  {
    g_autofree char *subject = tb_format_dn_for_display (tb_certificate_get_subject (cert));
    g_autofree char *issuer = tb_format_dn_for_display (tb_certificate_get_issuer (cert));

    tb_property_row_set_value (self->subject_row, subject);
    tb_property_row_set_value (self->issuer_row, issuer);
  }
  tb_property_row_set_value (self->serial_row, tb_certificate_get_serial (cert));
  tb_property_row_set_value (self->self_signed_row,
                             tb_certificate_get_self_signed (cert) ? _("Yes") : _("No"));
  tb_property_row_set_value (self->signature_row, tb_certificate_get_signature_algorithm (cert));

  if (tb_certificate_get_index (cert) > 0)
    /* Translators: a file name and the 1-based position of the certificate inside it */
    source = g_strdup_printf (_("%s, certificate %u"),
                              tb_certificate_get_source (cert),
                              tb_certificate_get_index (cert) + 1);
  else
    source = g_strdup (tb_certificate_get_source (cert));
  tb_property_row_set_value (self->source_row, source);

  not_before = format_date_with_phrase (tb_certificate_get_not_before (cert), now);
  not_after = format_date_with_phrase (tb_certificate_get_not_after (cert), now);
  tb_property_row_set_value (self->not_before_row, not_before);
  tb_property_row_set_value (self->not_after_row, not_after);
  update_lifetime (self, now, status);

  tb_property_row_set_value (self->sha1_row, tb_certificate_get_sha1 (cert));
  tb_property_row_set_value (self->sha256_row, tb_certificate_get_sha256 (cert));

  weak = tb_certificate_has_weak_key (cert);
  gtk_widget_set_visible (GTK_WIDGET (self->weak_key_row), weak);
  tb_property_row_set_value (self->key_algorithm_row, tb_certificate_get_key_algorithm (cert));
  key_size = g_strdup_printf (ngettext ("%u bit", "%u bits", tb_certificate_get_key_bits (cert)),
                              tb_certificate_get_key_bits (cert));
  tb_property_row_set_value (self->key_size_row, key_size);
  if (weak)
    gtk_widget_add_css_class (GTK_WIDGET (tb_property_row_get_value_label (self->key_size_row)),
                              "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (tb_property_row_get_value_label (self->key_size_row)),
                                 "warning");

  key_usage = join_or_none (tb_certificate_get_key_usages (cert), ", ");
  eku = join_or_none (tb_certificate_get_extended_key_usages (cert), ", ");
  sans = join_or_none (tb_certificate_get_subject_alt_names (cert), "\n");
  tb_property_row_set_value (self->key_usage_row, key_usage);
  tb_property_row_set_value (self->eku_row, eku);
  tb_property_row_set_value (self->san_row, sans);

  base64 = tb_certificate_dup_base64 (cert);
  tb_property_row_set_value (self->base64_row, base64);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TbCertificateView *self = TB_CERTIFICATE_VIEW (widget);
  g_autofree char *base64 = NULL;

  if (self->certificate == NULL)
    return;

  if (g_str_equal (action_name, "view.copy-sha1"))
    tb_widget_copy_text (widget, tb_certificate_get_sha1 (self->certificate),
                         _("Thumbprint copied"));
  else if (g_str_equal (action_name, "view.copy-sha256"))
    tb_widget_copy_text (widget, tb_certificate_get_sha256 (self->certificate),
                         _("SHA-256 fingerprint copied"));
  else if (g_str_equal (action_name, "view.copy-base64"))
    {
      base64 = tb_certificate_dup_base64 (self->certificate);
      tb_widget_copy_text (widget, base64, _("Upload value copied"));
    }
}

/* The window's command, which hands the shown certificate to the Service Principals page. */
static void
add_to_principals_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.add-certificate-to-principals", NULL);
}

static GtkWidget *
make_copy_button (const char *action_name,
                  const char *label)
{
  GtkWidget *button;

  button = g_object_new (GTK_TYPE_BUTTON,
                         "icon-name", "edit-copy-symbolic",
                         "action-name", action_name,
                         "tooltip-text", label,
                         "valign", GTK_ALIGN_CENTER,
                         NULL);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static void
tb_certificate_view_dispose (GObject *object)
{
  TbCertificateView *self = TB_CERTIFICATE_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_CERTIFICATE_VIEW);
  /* The groups have no ids, so the template cannot clear them itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (tb_certificate_view_parent_class)->dispose (object);
}

static void
tb_certificate_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TbCertificateView *self = TB_CERTIFICATE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_certificate_view_class_init (TbCertificateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_certificate_view_dispose;
  object_class->get_property = tb_certificate_view_get_property;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, TB_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "view.copy-sha1", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "view.copy-sha256", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "view.copy-base64", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "view.add-to-principals", NULL,
                                   add_to_principals_action);

  g_type_ensure (TB_TYPE_PROPERTY_ROW);
  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-certificate-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, title_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, status_label);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, subject_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, serial_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, self_signed_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, signature_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, source_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, not_before_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, not_after_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, lifetime_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, sha1_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, sha256_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, weak_key_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, key_algorithm_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, key_size_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, key_usage_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, eku_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, san_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, base64_row);
  gtk_widget_class_bind_template_child (widget_class, TbCertificateView, add_button);
}

static void
tb_certificate_view_init (TbCertificateView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  tb_property_row_add_suffix (self->sha1_row,
                              make_copy_button ("view.copy-sha1", _("Copy Thumbprint")));
  tb_property_row_add_suffix (self->sha256_row,
                              make_copy_button ("view.copy-sha256",
                                                _("Copy SHA-256 Fingerprint")));
  tb_property_row_add_suffix (self->base64_row,
                              make_copy_button ("view.copy-base64", _("Copy Upload Value")));
  /* The Base64 line is long; one elided line keeps the page calm and the copy button exact. */
  tb_property_row_set_value_lines (self->base64_row, 1);

  /* A thin bar: how much of the validity period lies behind today. */
  self->lifetime_bar = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0.0, 1.0));
  gtk_level_bar_remove_offset_value (self->lifetime_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->lifetime_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->lifetime_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_margin_top (GTK_WIDGET (self->lifetime_bar), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->lifetime_bar), "tb-lifetime-bar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lifetime_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Share of the validity period that has passed"),
                                  -1);
  tb_property_row_set_extra (self->lifetime_row, GTK_WIDGET (self->lifetime_bar));

  tb_certificate_view_update (self, 0);
}

GtkWidget *
tb_certificate_view_new (void)
{
  return g_object_new (TB_TYPE_CERTIFICATE_VIEW, NULL);
}

TbCertificate *
tb_certificate_view_get_certificate (TbCertificateView *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATE_VIEW (self), NULL);

  return self->certificate;
}

void
tb_certificate_view_set_certificate (TbCertificateView *self,
                                     TbCertificate     *certificate,
                                     guint              warn_days)
{
  g_return_if_fail (TB_IS_CERTIFICATE_VIEW (self));
  g_return_if_fail (!certificate || TB_IS_CERTIFICATE (certificate));

  /* Always refresh: the same certificate may be shown with a new threshold or a new "now". */
  if (g_set_object (&self->certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
  tb_certificate_view_update (self, warn_days);
}

void
tb_certificate_view_set_signed_in (TbCertificateView *self,
                                   gboolean           signed_in)
{
  g_return_if_fail (TB_IS_CERTIFICATE_VIEW (self));

  self->signed_in = signed_in;
  update_actions (self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_button),
                               signed_in ? _("Add this certificate to a service principal of the profile; you see the resulting credentials first")
                                         : _("Sign in to Microsoft 365 to add this certificate to service principals"));
}
