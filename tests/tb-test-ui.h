/* tb-test-ui.h: helpers the GUI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-test-util.h"
#include "tb-establish-trust-dialog.h"
#include "tb-window-private.h"

G_BEGIN_DECLS

/* A new context with its demo started, as `--demo` starts it. */
TbContext        *tb_test_context_new_demo (void);
/* A window on @context, shown (a reference the caller owns). */
TbWindow         *tb_test_window_present   (TbContext  *context);
/* Destroys @window and asserts that it and @context are freed, at the latest once what was
 * in flight when it closed has ended. */
void              tb_test_window_close     (TbWindow   *window,
                                            TbContext  *context);

/* The demo as a user runs it: the simulator in-process, the real window, and its Service
 * Principals page. */
typedef struct
{
  TbContext        *context;
  TbSim            *sim;
  TbWindow         *window;
  TbPrincipalsPage *page;
} TbTestDemoWindow;

/* A g_test_add set-up and tear-down: a window presented on a new demo context, then closed
 * with tb_test_window_close(). */
void              tb_test_demo_window_set_up     (TbTestDemoWindow *fixture,
                                                  gconstpointer     data);
void              tb_test_demo_window_tear_down  (TbTestDemoWindow *fixture,
                                                  gconstpointer     data);
/* A condition for tb_test_wait_until(): signed in, and the Service Principals page has read
 * Skype for Business Online and is not loading. */
gboolean          tb_test_demo_window_signed_in_and_read (TbTestDemoWindow *fixture);
/* Signs in from @window (on @context's demo, which approves at once) as a user does, and waits
 * (30 s at most) until that condition holds for its Service Principals page; asserts the page
 * was signed out before and, when on screen, shows what it read after. */
void              tb_test_window_sign_in   (TbWindow   *window,
                                            TbContext  *context);

typedef gboolean (*TbTestWidgetMatch) (GtkWidget     *widget,
                                       gconstpointer  data);

/* A TbTestWidgetMatch: whether @widget is of the type that @type carries (GSIZE_TO_POINTER). */
gboolean          tb_test_is_of_type       (GtkWidget         *widget,
                                            gconstpointer      type);
/* The first widget, depth first from @root (included), for which @match holds, or NULL. */
GtkWidget        *tb_test_find_widget      (GtkWidget         *root,
                                            TbTestWidgetMatch  match,
                                            gconstpointer      data);
/* Every widget, depth first from @root (included), for which @match holds (a new array of
 * borrowed widgets). */
GPtrArray        *tb_test_collect_widgets  (GtkWidget         *root,
                                            TbTestWidgetMatch  match,
                                            gconstpointer      data);
/* The first button labelled @label below @root, or NULL. */
GtkWidget        *tb_test_find_button      (GtkWidget  *root,
                                            const char *label);
/* The first label below @root whose text is @text, or NULL. */
GtkWidget        *tb_test_find_label       (GtkWidget  *root,
                                            const char *text);
/* A page says it shows @expected (@shown is what its getter returns, of the registered enum
 * @enum_type), and its @stack, whose children are named after the enum's nicks, shows it. */
void              tb_test_assert_stack_shows (GtkStack *stack,
                                              GType     enum_type,
                                              gint      shown,
                                              gint      expected);
/* Clicks that button (it must be there and sensitive) and runs what is ready. */
void              tb_test_click            (GtkWidget  *root,
                                            const char *label);

/* Conditions for tb_test_wait_until(): the Establish Trust dialog has settled (on its plan,
 * done or failed), and @window's Tenant page is not looking anything up. */
gboolean          tb_test_trust_settled    (TbEstablishTrustDialog *dialog);
gboolean          tb_test_tenant_idle      (TbWindow               *window);

/* Accepts the Allow Changes dialog (it must come, asking for Application.ReadWrite.All) as
 * the admin does, and waits until @context's sign-in has write access. */
void              tb_test_grant_write_access (TbContext *context);

/* Opens @der from a file on the Certificates page, as an admin picks it, and waits until the
 * page has read it and selected it. */
void              tb_test_load_certificate (TbWindow   *window,
                                            GBytes     *der);

/* The message dialog on screen whose heading starts with @heading_prefix (the sign-in's
 * device code dialog aside), or NULL. */
AdwMessageDialog *tb_test_find_dialog      (const char *heading_prefix);
/* Serves the main context until that dialog is shown; the test fails after a minute. */
AdwMessageDialog *tb_test_wait_for_dialog  (const char *heading_prefix);
/* Answers @dialog with @response, closes it and runs what is ready. */
void              tb_test_respond          (AdwMessageDialog *dialog,
                                            const char       *response);

G_END_DECLS
