/* tb-application.c: the GUI application: actions, command line, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-application"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tb-application-private.h"
#include "tb-demo.h"
#include "tb-dl.h"
#include "tb-first-frame.h"
#include "tb-preferences-window.h"
#include "tb-window.h"

struct _TbApplication
{
  AdwApplication  parent_instance;

  TbContext      *context;
  gboolean        demo;
  char           *demo_scenario; /* --demo-scenario, implies --demo */
  TbDemo         *sim_demo;      /* belongs to the context */
  char           *endpoints;
  char           *page;          /* --page: shown by the first window, then forgotten */
};

G_DEFINE_FINAL_TYPE (TbApplication, tb_application, ADW_TYPE_APPLICATION)

/* The project's home, as the app ID io.github.trustbridge.TrustBridge names it; the metainfo
 * and the Debian package give the same addresses. */
#define TB_WEBSITE "https://github.com/trustbridge/TrustBridge"
#define TB_ISSUE_URL TB_WEBSITE "/issues"

static void
on_demo_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tb_demo_start_finish (TB_DEMO (source), result, &error))
    g_printerr (_("The demo tenant could not start: %s\n"), error->message);
}

static gpointer
preload_thread (gpointer data)
{
  tb_dl_preload ();
  return NULL;
}

/* The network and credential libraries are loaded on first use, not at exec (tb-dl.h). They
 * are loaded here, on a thread of their own once the window has painted: otherwise the first
 * sign-in, pool read or keyring lookup would load them on the main thread. The simulators of
 * --demo, started next, wait for a library this thread is still loading. */
static void
preload_libraries (GtkWidget *window,
                   gpointer   user_data)
{
  g_autoptr(GThread) thread = g_thread_try_new ("tb-dl-preload", preload_thread, NULL, NULL);

  /* Without the thread, each library is loaded where it is first called. */
}

static void
start_demo (GtkWidget *window,
            gpointer   user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);

  if (self->sim_demo != NULL && tb_context_get_demo_pending (self->context))
    tb_demo_start_async (self->sim_demo, NULL, on_demo_started, NULL);
}

/* The keyboard shortcuts window, built after the first frame: building it costs more than a
 * tenth of a bare window's start-up. Ctrl+? opens it (set in startup). */
static void
add_help_overlay (GtkWidget *window,
                  gpointer   user_data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PREFIX
                                                                 "/help-overlay.ui");

  gtk_application_window_set_help_overlay (
    GTK_APPLICATION_WINDOW (window),
    GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static TbWindow *
get_window (TbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  TbWindow *created;

  if (TB_IS_WINDOW (window))
    return TB_WINDOW (window);

  created = tb_window_new (ADW_APPLICATION (self), self->context);
  tb_window_after_first_frame (GTK_WINDOW (created), preload_libraries, NULL);
  /* The application outlives its windows. */
  tb_window_after_first_frame (GTK_WINDOW (created), start_demo, self);
  tb_window_after_first_frame (GTK_WINDOW (created), add_help_overlay, NULL);
  if (self->page != NULL)
    tb_window_show_page (created, self->page);
  g_clear_pointer (&self->page, g_free);
  return created;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows;

  /* Closing each window lets it save its size; the application ends with its last window. */
  windows = g_list_copy (gtk_application_get_windows (app));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char * const developers[] = { "Trust Bridge contributors", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Trust Bridge"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Trust Bridge contributors"),
                         "developers", developers,
                         "comments", _("Inspect, establish and check the OAuth trust between "
                                       "Skype for Business Server and Microsoft 365."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", TB_WEBSITE,
                         "issue-url", TB_ISSUE_URL,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
open_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  TbWindow *window = get_window (self);

  gtk_window_present (GTK_WINDOW (window));
  tb_window_choose_files (window);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* One preferences window at a time: a second Ctrl+, brings the open one forward. */
  if (GTK_IS_WINDOW (parent) && TB_IS_PREFERENCES_WINDOW (parent))
    {
      gtk_window_present (parent);
      return;
    }
  gtk_window_present (GTK_WINDOW (tb_preferences_window_new (parent, self->context)));
}

/* app.show-page("overview"): what the daily check's notification does when clicked. */
static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  TbApplication *self = TB_APPLICATION (user_data);
  TbWindow *window = get_window (self);

  tb_window_show_page (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "show-page", show_page_action, "s" },
  { "about", about_action },
  { "open", open_action },
  { "preferences", preferences_action },
};

static int
tb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  TbApplication *self = TB_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "trust-bridge", PACKAGE_VERSION);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");
  g_clear_pointer (&self->demo_scenario, g_free);
  if (g_variant_dict_lookup (options, "demo-scenario", "s", &self->demo_scenario))
    {
      if (!g_strv_contains (tb_demo_get_scenarios (), self->demo_scenario))
        {
          g_autofree char *names = g_strjoinv (", ", (char **) tb_demo_get_scenarios ());

          g_printerr (_("Unknown demo scenario “%s”; the scenarios are: %s\n"),
                      self->demo_scenario, names);
          return 2;
        }
      self->demo = TRUE;
    }
  g_clear_pointer (&self->endpoints, g_free);
  g_variant_dict_lookup (options, "endpoints", "^ay", &self->endpoints);
  g_clear_pointer (&self->page, g_free);
  if (g_variant_dict_lookup (options, "page", "s", &self->page))
    {
      static const char * const pages[] = {
        "overview", "tenant", "pool", "service-principals", "audit", "certificates",
        NULL
      };

      if (!g_strv_contains (pages, self->page))
        {
          g_autofree char *names = g_strjoinv (", ", (char **) pages);

          g_printerr (_("Unknown page “%s”; the pages are: %s\n"), self->page, names);
          return 2;
        }
    }

  return G_APPLICATION_CLASS (tb_application_parent_class)->handle_local_options (application,
                                                                                  options);
}

static void
tb_application_startup (GApplication *application)
{
  TbApplication *self = TB_APPLICATION (application);
  static const char * const quit_accels[] = { "<Control>q", NULL };
  static const char * const open_accels[] = { "<Control>o", NULL };
  static const char * const preferences_accels[] = { "<Control>comma", NULL };
  static const char * const help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (tb_application_parent_class)->startup (application);

  self->context = tb_context_new ();
  if (self->endpoints != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* A bad file is reported and ignored: the app still inspects certificates without it. */
      if (!tb_context_set_endpoints_file (self->context, self->endpoints, &error))
        g_printerr ("%s\n", error->message);
    }
  /* Demo is on from the first frame (the strip says so, nothing reaches Microsoft 365); its
   * simulators start after that frame, on a thread of their own (start_demo below). */
  if (self->demo)
    {
      self->sim_demo = tb_demo_attach (self->context, self->demo_scenario, NULL);
      tb_demo_prepare (self->sim_demo);
    }

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_accels);
}

static void
tb_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (get_window (TB_APPLICATION (application))));
}

static void
tb_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TbWindow *window = get_window (TB_APPLICATION (application));

  gtk_window_present (GTK_WINDOW (window));
  tb_window_open_files (window, files, (guint) MAX (n_files, 0));
}

static void
tb_application_finalize (GObject *object)
{
  TbApplication *self = TB_APPLICATION (object);

  g_clear_object (&self->context);
  g_free (self->demo_scenario);
  g_free (self->endpoints);
  g_free (self->page);

  G_OBJECT_CLASS (tb_application_parent_class)->finalize (object);
}

static void
tb_application_class_init (TbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tb_application_finalize;
  app_class->handle_local_options = tb_application_handle_local_options;
  app_class->startup = tb_application_startup;
  app_class->activate = tb_application_activate;
  app_class->open = tb_application_open;
}

static void
tb_application_init (TbApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Run against the built-in demo tenant; nothing reaches Microsoft 365"), NULL },
    { "demo-scenario", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Run the demo with scenario NAME (implies --demo): default, or renewal-due (the "
         "pool's OAuth certificate expires soon)"),
      N_("NAME") },
    { "endpoints", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the custom Microsoft endpoints (Login=, Graph=, Acs=) in FILE"), N_("FILE") },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Start on page NAME: overview, tenant, pool, service-principals, audit or "
         "certificates"),
      N_("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Inspect certificates and the OAuth trust between "
                                              "Skype for Business Server and Microsoft 365."));
}

TbApplication *
tb_application_new (void)
{
  return g_object_new (TB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       /* One instance: "trust-bridge file.cer" opens the file in the window
                        * already open (and signed in) instead of a second, signed-out one. */
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

TbContext *
tb_application_get_context (TbApplication *self)
{
  g_return_val_if_fail (TB_IS_APPLICATION (self), NULL);

  return self->context;
}

/* Frame buffers stay in the heap. Every frame, GTK's cairo renderer allocates image surfaces
 * the size of what changed and frees them again. Above glibc's mmap threshold (128 KiB at
 * first) each is a mapping of its own: the kernel faults in and zeroes its pages, and unmapping
 * it interrupts every other CPU that runs one of the process's threads (the WinRM thread, the
 * demo's simulators) to flush its TLB. Redrawing a whole page cost the main thread 20-30 ms
 * that way on a 2-CPU machine, half of it in the kernel. Blocks up to 32 MiB (a 4K window's
 * surface) now come from the heap, and up to 64 MiB of free heap is kept for the next frame
 * rather than given back after each. */
void
tb_application_tune_allocator (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
}
