/* yardstick.c: the bare libadwaita window the start-up benchmark compares the app with
 *
 * An AdwApplicationWindow of the app's default size with a header bar and a status page: the
 * least any libadwaita app shows. `build-aux/bench startup` runs it and trust-bridge in turn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "application-certificate-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Yardstick");
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   "A bare libadwaita window for the start-up benchmark");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Yardstick");
  /* The app's default size (tb-window.ui), so both paint the same number of pixels. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.trustbridge.Yardstick",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
