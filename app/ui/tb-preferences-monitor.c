/* tb-preferences-monitor.c: Preferences → Monitoring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-preferences-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-monitor.h"
#include "tb-preferences-monitor.h"

struct _TbPreferencesMonitorPage
{
  AdwPreferencesPage  parent_instance;

  GtkSwitch          *toggle;
  AdwActionRow       *row;
  GtkLabel           *error;
  GCancellable       *cancellable;  /* cancelled when the page goes: no answer reaches it then */
  gboolean            syncing;
};

G_DEFINE_FINAL_TYPE (TbPreferencesMonitorPage, tb_preferences_monitor_page,
                     ADW_TYPE_PREFERENCES_PAGE)

static void
show_error (TbPreferencesMonitorPage *page,
            const GError *error)
{
  gtk_label_set_text (page->error, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (page->error), error != NULL);
}

static void
on_state (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TbPreferencesMonitorPage *page = user_data;
  g_autoptr(GError) error = NULL;
  gboolean enabled = FALSE;

  if (!tb_monitor_get_enabled_finish (result, &enabled, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Without the units the switch cannot do anything: say why instead. */
      gtk_widget_set_sensitive (GTK_WIDGET (page->toggle), FALSE);
      show_error (page, error);
      return;
    }
  page->syncing = TRUE;
  gtk_switch_set_state (page->toggle, enabled);
  gtk_switch_set_active (page->toggle, enabled);
  page->syncing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (page->toggle), TRUE);
  show_error (page, NULL);
}

static void
on_set (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  TbPreferencesMonitorPage *page = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_monitor_set_enabled_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_error (page, error);
  /* Whatever happened, show what systemd now says. */
  tb_monitor_get_enabled_async (page->cancellable, on_state, page);
}

/* The switch shows the timer's state only once systemd has answered. */
static gboolean
on_state_set (GtkSwitch                *toggle,
              gboolean                  state,
              TbPreferencesMonitorPage *page)
{
  if (page->syncing)
    return FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  tb_monitor_set_enabled_async (state, page->cancellable, on_set, page);
  return TRUE;
}

static void
tb_preferences_monitor_page_dispose (GObject *object)
{
  TbPreferencesMonitorPage *page = TB_PREFERENCES_MONITOR_PAGE (object);

  g_cancellable_cancel (page->cancellable);
  G_OBJECT_CLASS (tb_preferences_monitor_page_parent_class)->dispose (object);
}

static void
tb_preferences_monitor_page_finalize (GObject *object)
{
  TbPreferencesMonitorPage *page = TB_PREFERENCES_MONITOR_PAGE (object);

  g_clear_object (&page->cancellable);
  G_OBJECT_CLASS (tb_preferences_monitor_page_parent_class)->finalize (object);
}

static void
tb_preferences_monitor_page_class_init (TbPreferencesMonitorPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tb_preferences_monitor_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = tb_preferences_monitor_page_finalize;
}

static void
tb_preferences_monitor_page_init (TbPreferencesMonitorPage *page)
{
  AdwPreferencesPage *prefs_page = ADW_PREFERENCES_PAGE (page);
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_page_set_title (prefs_page, _("Monitoring"));
  adw_preferences_page_set_icon_name (prefs_page, "emblem-synchronizing-symbolic");
  adw_preferences_group_set_title (group, _("Daily Trust Check"));
  adw_preferences_group_set_description (group,
    _("Once a day, trust-bridge-cli trust check --notify checks the tenant and the pool set "
      "for the daily check and shows a notification when something needs you."));

  page->cancellable = g_cancellable_new ();
  page->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (page->row), _("Check the trust daily"));
  adw_action_row_set_subtitle (page->row, _("Runs as a systemd timer of your user, also while "
                                            "Trust Bridge is closed"));
  page->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (page->toggle), GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (GTK_WIDGET (page->toggle), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (page->toggle),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Check the trust daily"),
                                  -1);
  adw_action_row_add_suffix (page->row, GTK_WIDGET (page->toggle));
  adw_action_row_set_activatable_widget (page->row, GTK_WIDGET (page->toggle));
  adw_preferences_group_add (group, GTK_WIDGET (page->row));

  page->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (page->error, TRUE);
  gtk_label_set_xalign (page->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (page->error), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (page->error), 12);
  gtk_widget_set_visible (GTK_WIDGET (page->error), FALSE);
  adw_preferences_group_add (group, GTK_WIDGET (page->error));

  adw_preferences_page_add (prefs_page, group);
  g_signal_connect (page->toggle, "state-set", G_CALLBACK (on_state_set), page);
  gtk_widget_set_name (GTK_WIDGET (page->toggle), "daily-check-switch");

  tb_monitor_get_enabled_async (page->cancellable, on_state, page);
}

AdwPreferencesPage *
tb_preferences_monitor_page_new (void)
{
  return g_object_new (TB_TYPE_PREFERENCES_MONITOR_PAGE, NULL);
}
