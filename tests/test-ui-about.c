/* test-ui-about.c: the About window shows the app icon and the project's links
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-application.h"
#include "tb-test-util.h"

static AdwAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return ADW_ABOUT_WINDOW (window);
    }
  return NULL;
}

/* The icon must come from the app itself, not from an installed icon theme: with the theme's
 * search path emptied, only the application's resources remain. That is what a build-tree run
 * has, and what keeps an installed app from showing the missing-image icon when its hicolor
 * icon was not installed or the cache is stale. */
static void
test_about_icon_and_links (void)
{
  g_autoptr(TbApplication) app = tb_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkIconPaintable) paintable = NULL;
  const char * const no_dirs[] = { NULL };
  GtkIconTheme *theme;
  AdwAboutWindow *about;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  gtk_icon_theme_set_search_path (theme, no_dirs);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  tb_test_iterate_pending ();
  about = find_about_window ();
  g_assert_nonnull (about);

  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  paintable = gtk_icon_theme_lookup_icon (theme, APP_ID, NULL, 128, 1,
                                          GTK_TEXT_DIR_NONE, 0);
  g_assert_cmpstr (gtk_icon_paintable_get_icon_name (paintable), ==, APP_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID "-symbolic"));

  g_assert_cmpstr (adw_about_window_get_website (about), ==,
                   "https://github.com/trustbridge/TrustBridge");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==,
                   "https://github.com/trustbridge/TrustBridge/issues");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);

  gtk_window_destroy (GTK_WINDOW (about));
  tb_test_iterate_pending ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/about/icon-and-links", test_about_icon_and_links);

  return g_test_run ();
}
