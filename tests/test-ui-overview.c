/* test-ui-overview.c: the Overview's checklist is the trust check, driven as a user would
 *
 * --demo: sign in, read the demo pool on the On-premises Pool page; the Overview shows the
 * demo's three faults (metadata URL for another tenant, Skype for Business Online with only
 * the pool's earlier certificate, a missing SPN), each row leading to the page that fixes it.
 * Establish Trust alone previews both halves in one list, applies Microsoft 365 then the pool
 * over WinRM; the Overview is then all green and says so, and a second Establish Trust has
 * nothing to do on either half. From a state file instead, Establish Trust applies Microsoft
 * 365 and saves the apply script, and the pool half shows as pending.
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tb-context.h"
#include "tb-establish-trust-dialog-private.h"
#include "tb-overview-page-private.h"
#include "tb-pool-connection.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script.h"
#include "tb-sim-private.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-certs.h"
#include "tb-trust-check.h"
#include "tb-test-ui.h"
#include "tb-ui-util.h"
#include "tb-window-private.h"

typedef struct
{
  TbContext      *context;
  TbWindow       *window;
  TbOverviewPage *overview;
} Fixture;

/* Waits in this file give up after 60 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 60)

/* TB_TEST_PAUSE=SECONDS keeps the window up at the broken trust, for a screenshot. */
static void
pause_for_screenshot (void)
{
  const char *pause = g_getenv ("TB_TEST_PAUSE");

  if (pause == NULL)
    return;
  /* The app's own style, as AdwApplication loads it, for a picture like the app's. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    tb_ui_ensure_resources ();
    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  tb_test_pause_for_screenshot ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->context = tb_test_context_new_demo ();
  fixture->window = g_object_ref (tb_window_new (NULL, fixture->context));
  fixture->overview = tb_window_get_overview_page (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 900);
  gtk_window_present (GTK_WINDOW (fixture->window));
  tb_test_iterate_pending ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_test_window_close (fixture->window, fixture->context);
}

static gboolean
signed_in_and_read (Fixture *fixture)
{
  return tb_auth_get_signed_in (tb_context_get_auth (fixture->context)) &&
         tb_workspace_get_snapshot (tb_window_get_workspace (fixture->window)) != NULL &&
         !tb_principals_page_get_loading (tb_window_get_principals_page (fixture->window));
}

/* The tenant's ACS metadata read, for the realm check. */
static gboolean
tenant_checked (Fixture *fixture)
{
  TbTenant *tenant = tb_workspace_get_tenant (tb_window_get_workspace (fixture->window));

  return tenant != NULL && tb_tenant_get_metadata_checked (tenant);
}

static gboolean
pool_idle (Fixture *fixture)
{
  TbPoolPage *page = tb_window_get_pool_page (fixture->window);

  return !tb_pool_page_get_loading (page);
}

static void
read_pool_live (Fixture *fixture)
{
  TbPoolPage *page = tb_window_get_pool_page (fixture->window);

  tb_window_show_page (fixture->window, "pool");
  tb_test_iterate_pending ();
  wait_until (pool_idle, fixture);
  /* The demo fills the form with its Front End. */
  tb_test_click (GTK_WIDGET (page), "_Connect");
  wait_until (pool_idle, fixture);
  g_assert_null (tb_pool_page_get_error (page));
  g_assert_nonnull (tb_pool_page_get_pool_state (page));
}

/* The ids with @status, in the order the Overview shows them, joined with spaces. */
static char *
ids_with (Fixture       *fixture,
          TbCheckStatus  status)
{
  g_auto(GStrv) ids = tb_overview_page_dup_check_ids (fixture->overview);
  GString *s = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    if (tb_overview_page_get_check (fixture->overview, ids[i], NULL) == status)
      g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", ids[i]);
  return g_string_free (s, FALSE);
}

static TbEstablishTrustDialog *trust_dialog;

static gboolean
established (Fixture *fixture)
{
  return tb_overview_page_get_established (fixture->overview);
}

/* The trust dialog's preview of both halves, settled on its plan. */
static void
show_plan (Fixture *fixture)
{
  tb_establish_trust_dialog_show_plan (trust_dialog);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLAN);
}

/* Apply in the trust dialog, the write access it asks for allowed, until it settles in
 * @state. */
static void
apply_allowing_changes (Fixture               *fixture,
                        TbEstablishTrustState  state)
{
  tb_establish_trust_dialog_apply (trust_dialog);
  tb_test_grant_write_access (fixture->context);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==, state);
}

static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (shows_label (c, text))
      return TRUE;
  return FALSE;
}

/* The first named icon in @widget other than the row's arrow to its page, or NULL. */
static GtkWidget *
find_status_icon (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget) && gtk_image_get_icon_name (GTK_IMAGE (widget)) != NULL &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "go-next-symbolic") != 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_status_icon (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The icon of a row's status, its prefix (its accessible name states the status in words). */
static const char *
row_status_name (Fixture    *fixture,
                 const char *id)
{
  GtkWidget *row = tb_overview_page_get_row (fixture->overview, id);
  GtkWidget *icon;

  g_assert_nonnull (row);
  icon = find_status_icon (row);
  g_assert_nonnull (icon);
  return gtk_image_get_icon_name (GTK_IMAGE (icon));
}

static void
test_demo_flow (Fixture       *fixture,
                gconstpointer  data)
{
  TbSim *m365 = tb_test_get_sim (fixture->context);
  TbSimWinrm *front_end = tb_test_get_sim_winrm (fixture->context);
  g_autofree char *unknown = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *warnings = NULL;
  g_auto(GStrv) all_unknown = NULL;
  g_autofree char *text = NULL;
  GtkWidget *row;
  guint writes, pool_changes;

  /* Nothing read: every row unknown, saying what would provide its input. */
  unknown = ids_with (fixture, TB_CHECK_UNKNOWN);
  all_unknown = g_strsplit (unknown, " ", -1);
  g_assert_cmpuint (g_strv_length (all_unknown), ==, 11);
  g_assert_nonnull (strstr (tb_overview_page_get_fix (fixture->overview,
                                                      TB_TRUST_CHECK_SFB_CREDENTIAL), "Sign in"));
  g_assert_false (tb_overview_page_get_established (fixture->overview));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  wait_until (signed_in_and_read, fixture);
  read_pool_live (fixture);
  wait_until (tenant_checked, fixture);

  /* The demo's three faults, each once; everything else ok. */
  failed = ids_with (fixture, TB_CHECK_BROKEN);
  warnings = ids_with (fixture, TB_CHECK_ATTENTION);
  g_clear_pointer (&unknown, g_free);
  unknown = ids_with (fixture, TB_CHECK_UNKNOWN);
  g_assert_cmpstr (failed, ==, "tenant-realm sfb-credential spns");
  g_assert_cmpstr (warnings, ==, "");
  g_assert_cmpstr (unknown, ==, "");
  g_assert_cmpstr (row_status_name (fixture, TB_TRUST_CHECK_SPNS), ==, "dialog-error-symbolic");
  g_assert_nonnull (strstr (tb_overview_page_get_fix (fixture->overview, TB_TRUST_CHECK_TENANT_REALM),
                            tb_sim_get_tenant_id (m365)));
  g_assert_nonnull (strstr (tb_overview_page_get_fix (fixture->overview, TB_TRUST_CHECK_SPNS),
                            "webext02.contoso.com"));
  g_assert_false (tb_overview_page_get_established (fixture->overview));

  /* Grouped by half; each row leads to the page that fixes it, through win.show-page. */
  row = tb_overview_page_get_row (fixture->overview, TB_TRUST_CHECK_TENANT_REALM);
  g_assert_nonnull (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP))), ==,
                   "On-premises Pool");
  row = tb_overview_page_get_row (fixture->overview, TB_TRUST_CHECK_SFB_CREDENTIAL);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP))), ==,
                   "Microsoft 365");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, "win.show-page");
  tb_window_show_page (fixture->window, "overview");
  g_signal_emit_by_name (row, "activate");
  tb_test_iterate_pending ();
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "service-principals");
  row = tb_overview_page_get_row (fixture->overview, TB_TRUST_CHECK_TENANT_REALM);
  g_signal_emit_by_name (row, "activate");
  tb_test_iterate_pending ();
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "pool");
  tb_window_show_page (fixture->window, "overview");
  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  tb_test_iterate_pending ();
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
                              gtk_widget_get_first_child (GTK_WIDGET (fixture->overview)))), 0);
  pause_for_screenshot ();

  /* Establish Trust: the pool's certificate and FQDNs; one preview of both halves. */
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  g_assert_cmpstr (tb_establish_trust_dialog_get_fqdns (trust_dialog), ==,
                   "webext.contoso.com webext02.contoso.com");
  pool_changes = tb_sim_winrm_get_pool_changes (front_end);
  show_plan (fixture);
  g_assert_cmpuint (tb_plan_count_changes (tb_establish_trust_dialog_get_plan (trust_dialog)), >, 0);
  g_assert_nonnull (tb_establish_trust_dialog_get_pool_changes (trust_dialog));
  g_assert_cmpuint (tb_establish_trust_dialog_get_pool_changes (trust_dialog)->len, >, 0);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "Microsoft 365\n"));
  g_assert_nonnull (strstr (text, "On-premises Pool\n"));
  g_assert_true (strstr (text, "Microsoft 365\n") < strstr (text, "On-premises Pool\n"));
  /* The preview is a dry run: the pool is not changed yet. */
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), ==, pool_changes);

  /* Apply: Microsoft 365, then the pool, then both read again. */
  apply_allowing_changes (fixture, TB_ESTABLISH_TRUST_STATE_DONE);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), >, pool_changes);
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  wait_until (signed_in_and_read, fixture);

  /* No Pool page Apply: the Overview is all green and says so; the Pool page shows the pool
   * as read again. */
  wait_until (established, fixture);
  g_assert_cmpuint (g_strv_length (tb_overview_page_dup_check_ids (fixture->overview)), ==, 11);
  g_clear_pointer (&failed, g_free);
  failed = ids_with (fixture, TB_CHECK_BROKEN);
  g_assert_cmpstr (failed, ==, "");
  g_assert_cmpstr (row_status_name (fixture, TB_TRUST_CHECK_SPNS), ==, "emblem-ok-symbolic");
  g_assert_true (shows_label (GTK_WIDGET (fixture->overview), "The Trust Is Established"));
  g_assert_cmpint (tb_pool_page_get_row_result (tb_window_get_pool_page (fixture->window),
                                                TB_POOL_PAGE_ROW_OAUTH_SERVER), ==, TB_POOL_CHECK_OK);

  /* Again: nothing to do, nothing written. */
  writes = tb_sim_get_write_count (m365);
  pool_changes = tb_sim_winrm_get_pool_changes (front_end);
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  show_plan (fixture);
  g_assert_cmpuint (tb_plan_count_changes (tb_establish_trust_dialog_get_plan (trust_dialog)), ==, 0);
  g_assert_cmpuint (tb_establish_trust_dialog_get_pool_changes (trust_dialog)->len, ==, 0);
  g_clear_pointer (&text, g_free);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "Nothing to do: the tenant already holds everything"));
  g_assert_nonnull (strstr (text, "Nothing to change: the pool already holds what the trust "
                                  "needs."));
  g_assert_false (gtk_widget_is_sensitive (tb_test_find_button (GTK_WIDGET (trust_dialog),
                                                                "_Apply")));
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();
  g_assert_cmpuint (tb_sim_get_write_count (m365), ==, writes);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), ==, pool_changes);
  g_assert_true (tb_overview_page_get_established (fixture->overview));
}

static gboolean
pool_read (Fixture *fixture)
{
  return tb_workspace_get_pool_state (tb_window_get_workspace (fixture->window)) != NULL &&
         pool_idle (fixture);
}

static gboolean
script_saved (Fixture *fixture)
{
  g_autofree char *text = tb_establish_trust_dialog_dup_text (trust_dialog);

  return strstr (text, "Saved “overview-apply.ps1”") != NULL;
}

/* The pool brought back as a state file: its half shows as pending while it is not right. */
static void
test_state_file_pending (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) script_file = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *text = NULL;
  g_autofree char *failed = NULL;
  TbSimWinrm *front_end = tb_test_get_sim_winrm (fixture->context);
  guint pool_changes;
  int exit_code = -1;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  wait_until (signed_in_and_read, fixture);

  out = tb_sim_winrm_run_at_console (tb_test_get_sim_winrm (fixture->context), script,
                                     &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  path = tb_test_write_file ("overview-state.txt", out, strlen (out));
  file = g_file_new_for_path (path);
  tb_pool_page_load_file (tb_window_get_pool_page (fixture->window), file);
  wait_until (pool_read, fixture);
  wait_until (tenant_checked, fixture);

  g_assert_cmpint (tb_workspace_get_pool_source (tb_window_get_workspace (fixture->window)), ==,
                   TB_POOL_SOURCE_STATE_FILE);
  g_assert_cmpint (tb_overview_page_get_check (fixture->overview, TB_TRUST_CHECK_TENANT_REALM,
                                               NULL), ==, TB_CHECK_BROKEN);
  g_assert_true (tb_overview_page_get_pool_pending (fixture->overview));

  /* Establish Trust: both halves previewed; Microsoft 365 applied, the pool left to the
   * apply script, saved from the dialog with what to run where. */
  pool_changes = tb_sim_winrm_get_pool_changes (front_end);
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  show_plan (fixture);
  g_assert_cmpuint (tb_establish_trust_dialog_get_pool_changes (trust_dialog)->len, >, 0);
  apply_allowing_changes (fixture, TB_ESTABLISH_TRUST_STATE_DONE);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "The pool half is pending"));
  g_assert_nonnull (tb_test_find_button (GTK_WIDGET (trust_dialog), "Save Apply _Script…"));
  g_assert_true (gtk_widget_is_sensitive (tb_test_find_button (GTK_WIDGET (trust_dialog),
                                                               "Save Apply _Script…")));

  script_path = tb_test_write_file ("overview-apply.ps1", "", 0);
  script_file = g_file_new_for_path (script_path);
  tb_establish_trust_dialog_save_apply_script (trust_dialog, script_file);
  wait_until (script_saved, fixture);
  g_assert_true (g_file_get_contents (script_path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, tb_sim_get_tenant_id (tb_test_get_sim (fixture->context))));
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  wait_until (signed_in_and_read, fixture);

  /* The Microsoft 365 half is green, the pool untouched and pending. */
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), ==, pool_changes);
  failed = ids_with (fixture, TB_CHECK_BROKEN);
  g_assert_cmpstr (failed, ==, "tenant-realm");
  g_assert_true (tb_overview_page_get_pool_pending (fixture->overview));
  g_remove (script_path);
  g_remove (path);
}

/* Up to a plan of both halves, over the live demo pool. */
static void
plan_both_halves (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  wait_until (signed_in_and_read, fixture);
  read_pool_live (fixture);
  wait_until (tenant_checked, fixture);
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  show_plan (fixture);
  g_assert_cmpuint (tb_establish_trust_dialog_get_pool_changes (trust_dialog)->len, >, 0);
}

/* The pool refuses the apply: the failure names the pool half and the step; Microsoft 365,
 * already changed and verified, stays green. */
static void
test_pool_half_fails (Fixture       *fixture,
                      gconstpointer  data)
{
  TbSimWinrm *front_end = tb_test_get_sim_winrm (fixture->context);
  g_autofree char *text = NULL;
  g_autofree char *failed = NULL;
  guint pool_changes;

  plan_both_halves (fixture);
  pool_changes = tb_sim_winrm_get_pool_changes (front_end);
  tb_sim_winrm_inject_fault (front_end, TB_SIM_WINRM_FAULT_UNAUTHORIZED, 100);
  apply_allowing_changes (fixture, TB_ESTABLISH_TRUST_STATE_FAILED);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "On-premises pool, applying on "));
  g_assert_nonnull (strstr (text, "Microsoft 365 was changed and verified"));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), ==, pool_changes);
  tb_sim_winrm_inject_fault (front_end, TB_SIM_WINRM_FAULT_NONE, 0);
  gtk_window_destroy (GTK_WINDOW (trust_dialog));

  /* The tenant read again: its half is green, the pool's is not. */
  tb_principals_page_refresh (tb_window_get_principals_page (fixture->window));
  wait_until (signed_in_and_read, fixture);
  failed = ids_with (fixture, TB_CHECK_BROKEN);
  g_assert_cmpstr (failed, ==, "tenant-realm");
}

/* Microsoft Graph refuses the writes: the failure names the Microsoft 365 half and its step
 * as words inside the sentence (not the step's title), and the pool is not touched. */
static void
test_cloud_half_fails (Fixture       *fixture,
                       gconstpointer  data)
{
  TbSimWinrm *front_end = tb_test_get_sim_winrm (fixture->context);
  g_autofree char *text = NULL;
  guint pool_changes;

  plan_both_halves (fixture);
  pool_changes = tb_sim_winrm_get_pool_changes (front_end);
  tb_sim_inject_errors (tb_test_get_sim (fixture->context), 1000, 403);
  apply_allowing_changes (fixture, TB_ESTABLISH_TRUST_STATE_FAILED);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (strstr (text, "Could Not Finish\n") + strlen ("Could Not Finish\n"),
                                   "Microsoft 365, adding the certificate to "));
  g_assert_nonnull (strstr (text, "The on-premises pool was not touched."));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (front_end), ==, pool_changes);
  tb_sim_inject_errors (tb_test_get_sim (fixture->context), 0, 403);
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();
}

/* Someone fixes the pool between the preview and Apply: the apply script makes what is
 * needed then (nothing), and the dialog says the pool changed since it was reviewed. */
static void
test_pool_changed_since_review (Fixture       *fixture,
                                gconstpointer  data)
{
  TbSimWinrm *front_end = tb_test_get_sim_winrm (fixture->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  int exit_code = -1;

  plan_both_halves (fixture);
  script = tb_pool_script_new_apply (tb_context_get_demo_tenant_id (fixture->context),
                                     tb_pool_connection_get_acs_base (fixture->context), FALSE,
                                     TB_POOL_SCRIPT_FORM_EXPORT, &error);
  g_assert_no_error (error);
  out = tb_sim_winrm_run_at_console (front_end, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);

  apply_allowing_changes (fixture, TB_ESTABLISH_TRUST_STATE_DONE);
  g_assert_cmpuint (tb_establish_trust_dialog_get_pool_changes (trust_dialog)->len, ==, 0);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "The pool changed after you reviewed the plan."));
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  wait_until (signed_in_and_read, fixture);
  wait_until (established, fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/overview/demo-flow", Fixture, NULL, fixture_set_up, test_demo_flow,
              fixture_tear_down);
  g_test_add ("/ui/overview/state-file-pending", Fixture, NULL, fixture_set_up,
              test_state_file_pending, fixture_tear_down);
  g_test_add ("/ui/overview/pool-half-fails", Fixture, NULL, fixture_set_up,
              test_pool_half_fails, fixture_tear_down);
  g_test_add ("/ui/overview/cloud-half-fails", Fixture, NULL, fixture_set_up,
              test_cloud_half_fails, fixture_tear_down);
  g_test_add ("/ui/overview/pool-changed-since-review", Fixture, NULL, fixture_set_up,
              test_pool_changed_since_review, fixture_tear_down);
  return g_test_run ();
}
