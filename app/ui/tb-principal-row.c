/* tb-principal-row.c: one service principal in the Service Principals page's list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principal-row"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-principal-row.h"
#include "tb-ui-util.h"

struct _TbPrincipalRow
{
  AdwActionRow  parent_instance;

  char         *app_id;
  gboolean      enabled;
  GtkWidget    *toggle;
};

G_DEFINE_FINAL_TYPE (TbPrincipalRow, tb_principal_row, ADW_TYPE_ACTION_ROW)

enum {
  SIGNAL_ENABLE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TbCertificateStatus
worst_status (GPtrArray *credentials,
              GDateTime *now,
              guint      days)
{
  static const int rank[] = {
    [TB_CERTIFICATE_STATUS_VALID] = 0,
    [TB_CERTIFICATE_STATUS_NOT_YET_VALID] = 1,
    [TB_CERTIFICATE_STATUS_EXPIRING] = 2,
    [TB_CERTIFICATE_STATUS_EXPIRED] = 3,
  };
  TbCertificateStatus worst = TB_CERTIFICATE_STATUS_VALID;

  for (guint i = 0; i < credentials->len; i++)
    {
      TbCertificateStatus status = tb_key_credential_get_status (g_ptr_array_index (credentials, i),
                                                                 now, days);

      if (rank[status] > rank[worst])
        worst = status;
    }
  return worst;
}

static GtkWidget *
make_pill (const char *text)
{
  GtkWidget *pill = gtk_label_new (text);

  gtk_widget_add_css_class (pill, "tb-status-pill");
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  return pill;
}

static GtkWidget *
make_credentials_pill (GPtrArray *credentials,
                       GDateTime *now,
                       guint      warn_days)
{
  GtkWidget *pill;

  if (credentials->len == 0)
    {
      pill = make_pill (_("No credentials"));
      gtk_widget_add_css_class (pill, "dim-label");
    }
  else
    {
      TbCertificateStatus worst = worst_status (credentials, now, warn_days);
      g_autofree char *text = NULL;

      pill = make_pill (NULL);
      tb_status_label_update (GTK_LABEL (pill), worst);
      /* Translators: credential count and the worst status among them, e.g. "3 · Expiring" */
      text = g_strdup_printf (_("%u · %s"), credentials->len,
                              tb_certificate_status_get_label (worst));
      gtk_label_set_text (GTK_LABEL (pill), text);
    }
  gtk_widget_set_tooltip_text (pill, _("Key credentials, and the worst status among them"));
  return pill;
}

static gboolean
on_switch_state_set (GtkSwitch      *toggle,
                     gboolean        state,
                     TbPrincipalRow *self)
{
  /* Only turning on is offered; the state follows the tenant after the write and re-read. */
  if (state && !self->enabled)
    g_signal_emit (self, signals[SIGNAL_ENABLE_REQUESTED], 0);
  return TRUE;
}

static GtkWidget *
make_switch (TbPrincipalRow *self,
             const char     *name)
{
  GtkWidget *toggle = gtk_switch_new ();
  g_autofree char *label = g_strdup_printf (_("%s enabled"), name);

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), self->enabled);
  gtk_switch_set_state (GTK_SWITCH (toggle), self->enabled);
  if (self->enabled)
    {
      /* Disabling a Microsoft first-party principal breaks more than the trust: not offered. */
      gtk_widget_set_sensitive (toggle, FALSE);
      gtk_widget_set_tooltip_text (toggle, _("Enabled"));
    }
  else
    gtk_widget_set_tooltip_text (toggle, _("Disabled — turn on to enable sign-ins"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_switch_state_set), self);
  return toggle;
}

static void
tb_principal_row_finalize (GObject *object)
{
  TbPrincipalRow *self = TB_PRINCIPAL_ROW (object);

  g_free (self->app_id);

  G_OBJECT_CLASS (tb_principal_row_parent_class)->finalize (object);
}

static void
tb_principal_row_class_init (TbPrincipalRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_principal_row_finalize;

  signals[SIGNAL_ENABLE_REQUESTED] =
    g_signal_new ("enable-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tb_principal_row_init (TbPrincipalRow *self)
{
}

GtkWidget *
tb_principal_row_new (const TbProfileTarget *target,
                      TbServicePrincipal    *principal,
                      const char            *name,
                      gboolean               read,
                      GDateTime             *now,
                      guint                  warn_days)
{
  TbPrincipalRow *self = g_object_new (TB_TYPE_PRINCIPAL_ROW,
                                       "use-markup", FALSE,
                                       "title", name,
                                       "subtitle", target->app_id,
                                       "activatable", TRUE,
                                       NULL);
  GtkWidget *pill;

  self->app_id = g_strdup (target->app_id);
  gtk_widget_add_css_class (GTK_WIDGET (self), "tb-monospace-subtitle");

  if (principal == NULL)
    {
      pill = make_pill (read ? _("Not in tenant") : _("Not read"));
      if (read)
        gtk_widget_add_css_class (pill, target->audit_only ? "dim-label" : "error");
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), pill);
      return GTK_WIDGET (self);
    }

  self->enabled = tb_service_principal_get_account_enabled (principal);
  pill = make_credentials_pill (tb_service_principal_get_key_credentials (principal), now,
                                warn_days);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), pill);
  self->toggle = make_switch (self, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->toggle);
  return GTK_WIDGET (self);
}

const char *
tb_principal_row_get_app_id (TbPrincipalRow *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_ROW (self), NULL);
  return self->app_id;
}

GtkSwitch *
tb_principal_row_get_switch (TbPrincipalRow *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_ROW (self), NULL);
  return self->toggle != NULL ? GTK_SWITCH (self->toggle) : NULL;
}
