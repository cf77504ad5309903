/* test-ui-monitor.c: Preferences → Monitoring turns the daily check's timer on and off
 *
 * A systemctl stand-in first on PATH plays the user's systemd (the unit's state in a file,
 * each call recorded); the switch is driven as a user would, from its row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "tb-application.h"
#include "tb-context.h"
#include "tb-preferences-window.h"
#include "tb-test-systemctl.h"
#include "tb-test-ui.h"
#include "tb-window-private.h"

static char *dir;

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  data)
{
  const char *name = data;

  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  return tb_test_find_widget (widget, is_named, name);
}

/* Waits in this file give up after 20 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 20)

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

static gboolean
is_on (gpointer widget)
{
  return gtk_widget_get_sensitive (widget) && gtk_switch_get_state (widget);
}

static gboolean
is_off (gpointer widget)
{
  return gtk_widget_get_sensitive (widget) && !gtk_switch_get_state (widget);
}

static GtkWidget *
open_preferences (TbContext *context)
{
  GtkWidget *window = tb_preferences_window_new (NULL, context);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_switch (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autofree char *installed = g_build_filename (dir, "installed", NULL);
  g_autofree char *enabled = g_build_filename (dir, "enabled", NULL);
  GtkWidget *window, *sw, *row, *page;

  g_assert_true (g_file_set_contents (installed, "", 0, NULL));
  window = open_preferences (context);
  sw = find_named (window, "daily-check-switch");
  g_assert_nonnull (sw);
  row = gtk_widget_get_ancestor (sw, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  /* The user opens the Monitoring page first. */
  page = gtk_widget_get_ancestor (sw, ADW_TYPE_PREFERENCES_PAGE);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window),
                                           ADW_PREFERENCES_PAGE (page));
  wait_until (is_sensitive, sw);
  g_assert_false (gtk_switch_get_state (GTK_SWITCH (sw)));

  /* Turning the switch on (what a click or Space does) enables the timer through systemd. */
  g_assert_true (gtk_widget_activate (sw));
  wait_until (is_on, sw);
  g_assert_true (g_file_test (enabled, G_FILE_TEST_EXISTS));

  gtk_widget_activate (sw);
  wait_until (is_off, sw);
  g_assert_false (g_file_test (enabled, G_FILE_TEST_EXISTS));

  /* A second window reads the state systemd keeps, not a copy of its own. */
  gtk_widget_activate (sw);
  wait_until (is_on, sw);
  gtk_window_destroy (GTK_WINDOW (window));
  window = open_preferences (context);
  sw = find_named (window, "daily-check-switch");
  wait_until (is_on, sw);
  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (enabled);
}

static void
test_not_installed (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  g_autofree char *installed = g_build_filename (dir, "installed", NULL);
  GtkWidget *window, *sw;

  g_remove (installed);
  window = open_preferences (context);
  sw = find_named (window, "daily-check-switch");
  /* The answer comes asynchronously; until then and after it the switch stays off and
   * insensitive, with the reason shown. */
  tb_test_iterate_for (2000);
  g_assert_false (gtk_widget_get_sensitive (sw));
  g_assert_false (gtk_switch_get_state (GTK_SWITCH (sw)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Clicking the daily check's notification activates app.show-page("overview"). */
static void
test_show_page (void)
{
  g_autoptr(TbApplication) app = tb_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-page",
                                  g_variant_new_string ("pool"));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (TB_IS_WINDOW (window));
  g_assert_cmpstr (tb_window_get_visible_page (TB_WINDOW (window)), ==, "pool");

  /* win.show-page: how pages lead to each other. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "certificates"));
  g_assert_cmpstr (tb_window_get_visible_page (TB_WINDOW (window)), ==, "certificates");

  /* The window already open turns to the Overview. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-page",
                                  g_variant_new_string ("overview"));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == window);
  g_assert_cmpstr (tb_window_get_visible_page (TB_WINDOW (window)), ==, "overview");
  gtk_window_destroy (window);
  tb_test_iterate_pending ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dir = tb_test_systemctl_install ();

  g_test_add_func ("/ui/monitor/switch", test_switch);
  g_test_add_func ("/ui/monitor/not-installed", test_not_installed);
  g_test_add_func ("/ui/monitor/show-page", test_show_page);
  status = g_test_run ();

  tb_test_systemctl_remove (dir);
  return status;
}
