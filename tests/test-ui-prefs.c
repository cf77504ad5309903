/* test-ui-prefs.c: Preferences, the Overview checklist and "Add to Service Principals…"
 *
 * The preferences window is driven through its own widgets (combo, entry rows, spin button)
 * and checked where it matters: the GSettings keys and what TbContext makes of them. The
 * Overview is driven against the simulator started in-process, as --demo does.
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-account-button-private.h"
#include "tb-certificate.h"
#include "tb-certificate-view.h"
#include "tb-certificates-page.h"
#include "tb-context.h"
#include "tb-establish-trust-dialog.h"
#include "tb-overview-page-private.h"
#include "tb-preferences-window-private.h"
#include "tb-principals-page-private.h"
#include "tb-profile.h"
#include "tb-sim.h"
#include "tb-test-certs.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

#define DAY ((gint64) 24 * 60 * 60)
#define SFB TB_APP_ID_SKYPE_ONLINE

/* Waits in this file give up after 30 s. */
#define wait_for(done, data) tb_test_wait_until ((done), (data), 30)

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* The memory backend lives as long as the process: every test starts from the defaults. */
static void
reset_settings (TbContext *context)
{
  GSettings *settings = tb_context_get_settings (context);
  static const char * const keys[] = {
    "cloud", "endpoints-file", "client-id", "tenant-domain", "expiry-warning-days",
  };

  g_assert_nonnull (settings);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static GBytes *
make_cert (const char *common_name,
           gint64      not_after)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TbTestCertSpec spec = {
    .common_name = common_name,
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
    .not_before = now - DAY,
    .not_after = not_after,
    .serial = 0x5150,
  };

  return tb_test_cert_make (&spec, NULL);
}

/* Preferences ------------------------------------------------------------------------------ */

typedef struct
{
  TbContext           *context;
  GSettings           *settings;
  TbPreferencesWindow *prefs;
} Prefs;

static void
prefs_set_up (Prefs         *fixture,
              gconstpointer  data)
{
  fixture->context = tb_context_new ();
  reset_settings (fixture->context);
  fixture->settings = tb_context_get_settings (fixture->context);
  fixture->prefs = g_object_ref (TB_PREFERENCES_WINDOW (tb_preferences_window_new (NULL, fixture->context)));
  gtk_window_present (GTK_WINDOW (fixture->prefs));
  tb_test_iterate_pending ();
}

static void
prefs_tear_down (Prefs         *fixture,
                 gconstpointer  data)
{
  tb_test_pause_for_screenshot ();
  gtk_window_destroy (GTK_WINDOW (fixture->prefs));
  tb_test_iterate_pending ();
  g_assert_finalize_object (fixture->prefs);
  reset_settings (fixture->context);
  g_assert_finalize_object (fixture->context);
}

static char *
dup_setting (Prefs      *fixture,
             const char *key)
{
  return g_settings_get_string (fixture->settings, key);
}

static const char *
error_text (Prefs      *fixture,
            const char *name)
{
  GtkLabel *label = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

static void
notify_count (guint *count)
{
  (*count)++;
}

/* Choosing a cloud writes the setting; the context's services follow (new cloud, new auth). */
static void
test_prefs_cloud (Prefs         *fixture,
                  gconstpointer  data)
{
  AdwComboRow *combo = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "cloud_row");
  TbAuth *auth_before = g_object_ref (tb_context_get_auth (fixture->context));
  g_autofree char *cloud = NULL;
  guint auth_changes = 0;

  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "global");
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 0);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (combo)));
  g_signal_connect_swapped (fixture->context, "notify::auth", G_CALLBACK (notify_count), &auth_changes);

  adw_combo_row_set_selected (combo, 1);
  cloud = dup_setting (fixture, "cloud");
  g_assert_cmpstr (cloud, ==, "usgov-high");
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "usgov-high");
  g_assert_cmpuint (auth_changes, >, 0);
  g_assert_true (tb_context_get_auth (fixture->context) != auth_before);

  adw_combo_row_set_selected (combo, 3);
  g_clear_pointer (&cloud, g_free);
  cloud = dup_setting (fixture, "cloud");
  g_assert_cmpstr (cloud, ==, "china");
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "china");

  /* "Custom" alone changes nothing until a file was read. */
  adw_combo_row_set_selected (combo, 4);
  g_clear_pointer (&cloud, g_free);
  cloud = dup_setting (fixture, "cloud");
  g_assert_cmpstr (cloud, ==, "china");
  g_assert_true (gtk_widget_get_visible (child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "file_row")));
  g_assert_false (gtk_widget_get_visible (child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "login_row")));
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "china");

  g_signal_handlers_disconnect_by_data (fixture->context, &auth_changes);
  g_object_unref (auth_before);
}

static gboolean
prefs_idle (gpointer data)
{
  return !tb_preferences_window_get_loading (data);
}

static void
load_endpoints (Prefs      *fixture,
                const char *name,
                const char *contents)
{
  g_autofree char *path = tb_test_write_file (name, contents, strlen (contents));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  GtkWidget *choose = tb_test_find_button (GTK_WIDGET (fixture->prefs), "Choose…");

  adw_combo_row_set_selected (child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "cloud_row"), 4);
  g_assert_true (gtk_widget_is_sensitive (choose));
  tb_preferences_window_load_endpoints_file (fixture->prefs, file);
  g_assert_true (tb_preferences_window_get_loading (fixture->prefs));
  /* One file at a time: Choose… waits for the one being read. */
  g_assert_false (gtk_widget_is_sensitive (choose));
  wait_for (prefs_idle, fixture->prefs);
  g_assert_true (gtk_widget_is_sensitive (choose));
}

/* http:// to another host would send tokens in clear text: refused, setting untouched. */
static void
test_prefs_endpoints_bad (Prefs         *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *cloud = NULL;
  const char *error;

  load_endpoints (fixture, "bad-endpoints.ini",
                  "[Endpoints]\n"
                  "Login=http://login.example.com\n"
                  "Graph=https://graph.example.com\n"
                  "Acs=https://acs.example.com\n");

  error = error_text (fixture, "cloud_error");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "http://login.example.com"));
  g_assert_nonnull (strstr (error, "not changed"));
  path = dup_setting (fixture, "endpoints-file");
  cloud = dup_setting (fixture, "cloud");
  g_assert_cmpstr (path, ==, "");
  g_assert_cmpstr (cloud, ==, "global");
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "global");
  g_assert_false (gtk_widget_get_visible (child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "login_row")));
}

/* A good file becomes the setting and its three URLs are shown to the admin. */
static void
test_prefs_endpoints_good (Prefs         *fixture,
                           gconstpointer  data)
{
  AdwActionRow *login = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "login_row");
  AdwActionRow *graph = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "graph_row");
  AdwActionRow *acs = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "acs_row");
  AdwActionRow *file_row = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "file_row");
  g_autofree char *path = NULL;
  TbCloud *cloud;

  load_endpoints (fixture, "good-endpoints.ini",
                  "[Endpoints]\n"
                  "Login=http://127.0.0.1:8401/login\n"
                  "Graph=https://graph.sovereign.example\n"
                  "Acs=https://acs.sovereign.example/metadata\n");

  g_assert_null (error_text (fixture, "cloud_error"));
  path = dup_setting (fixture, "endpoints-file");
  g_assert_true (g_str_has_suffix (path, "good-endpoints.ini"));
  g_assert_cmpstr (adw_action_row_get_subtitle (file_row), ==, path);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (login)));
  g_assert_cmpstr (adw_action_row_get_subtitle (login), ==, "http://127.0.0.1:8401/login");
  g_assert_cmpstr (adw_action_row_get_subtitle (graph), ==, "https://graph.sovereign.example");
  g_assert_cmpstr (adw_action_row_get_subtitle (acs), ==, "https://acs.sovereign.example/metadata");

  cloud = tb_context_get_cloud (fixture->context);
  g_assert_true (tb_cloud_is_custom (cloud));
  g_assert_cmpstr (tb_cloud_get_graph (cloud), ==, "https://graph.sovereign.example");

  /* A bad file after a good one: the good one stays in use and on screen. */
  load_endpoints (fixture, "broken-endpoints.ini", "[Endpoints]\nLogin=https://login.example\n");
  g_assert_nonnull (error_text (fixture, "cloud_error"));
  g_clear_pointer (&path, g_free);
  path = dup_setting (fixture, "endpoints-file");
  g_assert_true (g_str_has_suffix (path, "good-endpoints.ini"));
  g_assert_cmpstr (adw_action_row_get_subtitle (graph), ==, "https://graph.sovereign.example");

  /* Back to a built-in cloud: the file is no longer used. */
  adw_combo_row_set_selected (child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "cloud_row"), 2);
  g_clear_pointer (&path, g_free);
  path = dup_setting (fixture, "endpoints-file");
  g_assert_cmpstr (path, ==, "");
  g_assert_cmpstr (tb_cloud_get_name (tb_context_get_cloud (fixture->context)), ==, "usgov-dod");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (login)));
}

static void
apply_entry (Prefs      *fixture,
             const char *name,
             const char *text)
{
  AdwEntryRow *row = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, name);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  tb_test_iterate_pending ();
}

static void
test_prefs_tenant (Prefs         *fixture,
                   gconstpointer  data)
{
  GtkWidget *row = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "tenant_row");
  g_autofree char *tenant = NULL;

  apply_entry (fixture, "tenant_row", "contoso");
  g_assert_nonnull (error_text (fixture, "tenant_error"));
  g_assert_nonnull (strstr (error_text (fixture, "tenant_error"), "contoso"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  tenant = dup_setting (fixture, "tenant-domain");
  g_assert_cmpstr (tenant, ==, "");
  g_assert_cmpstr (tb_context_get_tenant (fixture->context), ==, "organizations");
  /* The refused text stays for the admin to correct. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "contoso");

  apply_entry (fixture, "tenant_row", " Contoso.com ");
  g_assert_null (error_text (fixture, "tenant_error"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_clear_pointer (&tenant, g_free);
  tenant = dup_setting (fixture, "tenant-domain");
  g_assert_cmpstr (tenant, ==, "contoso.com");
  g_assert_cmpstr (tb_context_get_tenant (fixture->context), ==, "contoso.com");

  apply_entry (fixture, "tenant_row", "not a domain");
  g_clear_pointer (&tenant, g_free);
  tenant = dup_setting (fixture, "tenant-domain");
  g_assert_cmpstr (tenant, ==, "contoso.com");

  apply_entry (fixture, "tenant_row", "72f988bf-86f1-41af-91ab-2d7cd011db47");
  g_assert_null (error_text (fixture, "tenant_error"));
  g_assert_cmpstr (tb_context_get_tenant (fixture->context), ==, "72f988bf-86f1-41af-91ab-2d7cd011db47");

  apply_entry (fixture, "tenant_row", "");
  g_assert_cmpstr (tb_context_get_tenant (fixture->context), ==, "organizations");
}

static void
test_prefs_client_id (Prefs         *fixture,
                      gconstpointer  data)
{
  AdwPreferencesGroup *group = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "client_group");
  g_autofree char *client_id = NULL;

  /* The default is named where the admin reads. */
  g_assert_nonnull (strstr (adw_preferences_group_get_description (group), TB_AUTH_DEFAULT_CLIENT_ID));
  g_assert_cmpstr (tb_context_get_client_id (fixture->context), ==, TB_AUTH_DEFAULT_CLIENT_ID);

  apply_entry (fixture, "client_id_row", "14d82eec-204b-4c2f-b7e8");
  g_assert_nonnull (error_text (fixture, "client_id_error"));
  client_id = dup_setting (fixture, "client-id");
  g_assert_cmpstr (client_id, ==, "");
  g_assert_cmpstr (tb_context_get_client_id (fixture->context), ==, TB_AUTH_DEFAULT_CLIENT_ID);

  apply_entry (fixture, "client_id_row", "0A1B2C3D-4E5F-4a6b-8c7d-9e0f1a2b3c4d");
  g_assert_null (error_text (fixture, "client_id_error"));
  g_clear_pointer (&client_id, g_free);
  client_id = dup_setting (fixture, "client-id");
  g_assert_cmpstr (client_id, ==, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  g_assert_cmpstr (tb_context_get_client_id (fixture->context), ==, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

  apply_entry (fixture, "client_id_row", "");
  g_assert_cmpstr (tb_context_get_client_id (fixture->context), ==, TB_AUTH_DEFAULT_CLIENT_ID);
}

/* The threshold is shared: the Certificates page re-judges what it shows when it moves. */
static void
test_prefs_warn_days (Prefs         *fixture,
                      gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) der = make_cert ("oauth-soon.contoso.com", now + 20 * DAY);
  g_autofree char *path = tb_test_write_file ("soon.cer", g_bytes_get_data (der, NULL),
                                              g_bytes_get_size (der));
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TbWindow *window = g_object_ref (tb_window_new (NULL, fixture->context));
  TbCertificatesPage *page = tb_window_get_certificates_page (window);
  GtkSpinButton *spin = child (fixture->prefs, TB_TYPE_PREFERENCES_WINDOW, "warn_days_spin");
  GtkLabel *status = child (child (page, TB_TYPE_CERTIFICATES_PAGE, "view"),
                            TB_TYPE_CERTIFICATE_VIEW, "status_label");
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gtk_window_present (GTK_WINDOW (window));
  tb_certificates_page_load_files (page, &file, 1);
  while (tb_certificates_page_get_loading (page))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  tb_test_iterate_pending ();
  g_assert_nonnull (tb_certificates_page_get_selected (page));
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   tb_certificate_status_get_label (TB_CERTIFICATE_STATUS_EXPIRING));

  gtk_spin_button_set_value (spin, 10);
  tb_test_iterate_pending ();
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "expiry-warning-days"), ==, 10);
  g_assert_cmpuint (tb_context_get_warn_days (fixture->context), ==, 10);
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   tb_certificate_status_get_label (TB_CERTIFICATE_STATUS_VALID));

  gtk_spin_button_set_value (spin, 30);
  tb_test_iterate_pending ();
  g_assert_cmpuint (tb_context_get_warn_days (fixture->context), ==, 30);
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   tb_certificate_status_get_label (TB_CERTIFICATE_STATUS_EXPIRING));

  /* The spin button keeps to the key's range. */
  gtk_spin_button_set_value (spin, 99999);
  tb_test_iterate_pending ();
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "expiry-warning-days"), ==, 3650);

  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (window);
}

/* Against the demo tenant, the Microsoft 365 rows cannot be edited and say why. */
static void
test_prefs_demo (void)
{
  g_autoptr(GError) error = NULL;
  TbContext *context = tb_context_new ();
  TbPreferencesWindow *prefs;
  AdwComboRow *combo;

  reset_settings (context);
  g_assert_true (tb_test_start_demo (context, &error));
  g_assert_no_error (error);
  prefs = g_object_ref (TB_PREFERENCES_WINDOW (tb_preferences_window_new (NULL, context)));
  combo = child (prefs, TB_TYPE_PREFERENCES_WINDOW, "cloud_row");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (combo)));
  /* Said once, at the top; the cloud row keeps its room for the cloud's name. */
  g_assert_nonnull (strstr (adw_preferences_group_get_description (child (prefs, TB_TYPE_PREFERENCES_WINDOW, "cloud_group")),
                            "demo tenant"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (combo)) ? adw_action_row_get_subtitle (ADW_ACTION_ROW (combo)) : "",
                         "demo tenant"));
  g_assert_false (gtk_widget_get_sensitive (child (prefs, TB_TYPE_PREFERENCES_WINDOW, "tenant_row")));
  g_assert_false (gtk_widget_get_sensitive (child (prefs, TB_TYPE_PREFERENCES_WINDOW, "client_id_row")));
  g_assert_null (strstr (adw_preferences_group_get_description (child (prefs, TB_TYPE_PREFERENCES_WINDOW, "tenant_group")),
                         "demo tenant"));
  /* The expiry warning has nothing to do with the tenant. */
  g_assert_true (gtk_widget_get_sensitive (child (prefs, TB_TYPE_PREFERENCES_WINDOW, "warn_days_spin")));

  gtk_window_destroy (GTK_WINDOW (prefs));
  tb_test_iterate_pending ();
  g_assert_finalize_object (prefs);
  g_assert_finalize_object (context);
}

/* Overview, against the demo tenant --------------------------------------------------------- */

typedef struct
{
  TbContext        *context;
  TbSim            *sim;
  TbWindow         *window;
  TbPrincipalsPage *principals;
  TbOverviewPage   *overview;
} Demo;

static void
demo_set_up (Demo          *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->context = tb_context_new ();
  reset_settings (fixture->context);
  g_assert_true (tb_test_start_demo (fixture->context, &error));
  g_assert_no_error (error);
  fixture->sim = tb_test_get_sim (fixture->context);
  fixture->window = g_object_ref (tb_window_new (NULL, fixture->context));
  fixture->principals = tb_window_get_principals_page (fixture->window);
  fixture->overview = child (fixture->window, TB_TYPE_WINDOW, "overview_page");
  gtk_window_present (GTK_WINDOW (fixture->window));
  tb_test_iterate_pending ();
}

static void
demo_tear_down (Demo          *fixture,
                gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (fixture->window);
  reset_settings (fixture->context);
  g_assert_finalize_object (fixture->context);
}

static void
assert_check (Demo          *fixture,
              const char    *id,
              TbCheckStatus  expected,
              const char    *detail_part)
{
  const char *detail = NULL;
  TbCheckStatus status = tb_overview_page_get_check (fixture->overview, id, &detail);

  if (status != expected || (detail_part != NULL && strstr (detail, detail_part) == NULL))
    g_error ("check %s: status %d (“%s”), expected %d with “%s”", id, status, detail,
             expected, detail_part ? detail_part : "");
}

static TbEstablishTrustDialog *trust_dialog;

static gboolean
principals_idle (gpointer data)
{
  Demo *fixture = data;

  return !tb_principals_page_get_loading (fixture->principals);
}

/* The Overview's checklist is the trust check of the window's workspace. Signed out, every
 * row is unknown; signed in, the tenant's rows are judged against the selected certificate
 * (no pool read here); after Establish Trust the Microsoft 365 rows are green. */
static void
test_overview (Demo          *fixture,
               gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) der = make_cert ("oauth2027.contoso.com", now + 700 * DAY);
  TbAccountButton *account = tb_window_get_account_button (fixture->window);
  g_autoptr(TbAuth) old_auth = NULL;
  g_auto(GStrv) ids = tb_overview_page_dup_check_ids (fixture->overview);
  const char * const expected_ids[] = {
    "tenant-realm", "oauth-server", "partner-application", "oauth-service-name",
    "pool-certificate", "sfb-credential", "exchange-credential", "exchange-enabled", "spns",
    "next-certificate", "unexplained-credentials", NULL,
  };

  /* One row per check, in the trust check's order. */
  g_assert_cmpstrv (ids, expected_ids);
  for (guint i = 0; expected_ids[i] != NULL; i++)
    assert_check (fixture, expected_ids[i], TB_CHECK_UNKNOWN, "nknown");
  /* The one Sign In is the header bar's. */
  g_assert_cmpstr (tb_account_button_get_label (account), ==, "Sign In");

  tb_test_window_sign_in (fixture->window, fixture->context);
  g_assert_cmpstr (tb_account_button_get_label (account), !=, "Sign In");
  /* No certificate yet: the certificate rows say what is missing; the others are judged.
   * Exchange Online is disabled but holds no certificate of the pool: nothing uses it. */
  assert_check (fixture, "sfb-credential", TB_CHECK_UNKNOWN, "certificate is not known");
  assert_check (fixture, "exchange-enabled", TB_CHECK_OK, "disabled");
  assert_check (fixture, "spns", TB_CHECK_UNKNOWN, "FQDNs are not known");

  tb_test_load_certificate (fixture->window, der);
  assert_check (fixture, "sfb-credential", TB_CHECK_BROKEN, "does not hold");
  /* Exchange Online's upload is opt-in (Microsoft is retiring it): its absence is fine. */
  assert_check (fixture, "exchange-credential", TB_CHECK_OK, "optional");

  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  tb_establish_trust_dialog_set_fqdns (trust_dialog, "webext.contoso.com webext02.contoso.com");
  tb_establish_trust_dialog_show_plan (trust_dialog);
  wait_for (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLAN);
  /* Once planned, the FQDNs are the pool's: the SPN row is judged, and the second found
   * missing. */
  assert_check (fixture, "spns", TB_CHECK_BROKEN, SFB "/webext02.contoso.com");

  tb_establish_trust_dialog_apply (trust_dialog);
  tb_test_grant_write_access (fixture->context);
  wait_for (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_DONE);
  wait_for (principals_idle, fixture);
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();

  assert_check (fixture, "sfb-credential", TB_CHECK_OK, "until");
  assert_check (fixture, "exchange-credential", TB_CHECK_OK, "optional");
  assert_check (fixture, "exchange-enabled", TB_CHECK_OK, "enabled");
  assert_check (fixture, "spns", TB_CHECK_OK, "webext02.contoso.com");
  /* The pool was not read: its half stays unknown, and says how to read it. */
  assert_check (fixture, "oauth-server", TB_CHECK_UNKNOWN, "not been read");
  g_assert_nonnull (strstr (tb_overview_page_get_fix (fixture->overview, "oauth-server"),
                            "Front End"));
  /* The Service Principals page was re-read too. */
  g_assert_true (tb_service_principal_get_account_enabled (tb_principals_page_get_principal (fixture->principals, EXO)));

  /* A threshold beyond the certificate's end turns its row amber. */
  tb_context_set_warn_days (fixture->context, 800);
  assert_check (fixture, "pool-certificate", TB_CHECK_ATTENTION, "valid but");
  tb_context_set_warn_days (fixture->context, 30);
  assert_check (fixture, "pool-certificate", TB_CHECK_OK, "valid until");

  tb_window_show_page (fixture->window, "overview");
  tb_test_pause_for_screenshot ();

  /* Another cloud is another sign-in: the header bar and the checklist show signed out. */
  old_auth = g_object_ref (tb_context_get_auth (fixture->context));
  g_settings_set_string (tb_context_get_settings (fixture->context), "cloud", "china");
  tb_test_iterate_pending ();
  /* The window and its account button follow the new auth only: nothing of theirs stays
   * connected to the one replaced. */
  g_assert_true (tb_context_get_auth (fixture->context) != old_auth);
  g_assert_cmpuint (g_signal_handler_find (old_auth, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                           fixture->window), ==, 0);
  g_assert_cmpuint (g_signal_handler_find (old_auth, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                           account), ==, 0);
  g_assert_false (tb_auth_get_signed_in (tb_context_get_auth (fixture->context)));
  g_assert_cmpstr (tb_account_button_get_label (tb_window_get_account_button (fixture->window)), ==,
                   "Sign In");
  g_assert_null (tb_principals_page_get_organization_name (fixture->principals));
  g_assert_cmpint (tb_principals_page_get_state (fixture->principals), ==,
                   TB_PRINCIPALS_PAGE_STATE_SIGNED_OUT);
  assert_check (fixture, "sfb-credential", TB_CHECK_UNKNOWN, "nknown");
}

/* "Add to Service Principals…": insensitive until signed in, then the page's add flow with
 * its preview for the principal that receives certificates. */
static void
test_add_to_principals (Demo          *fixture,
                        gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) der = make_cert ("oauth2028.contoso.com", now + 700 * DAY);
  TbCertificatesPage *certificates = tb_window_get_certificates_page (fixture->window);
  GtkWidget *button = child (child (certificates, TB_TYPE_CERTIFICATES_PAGE, "view"),
                             TB_TYPE_CERTIFICATE_VIEW, "add_button");
  g_autoptr(JsonObject) before = tb_sim_dup_service_principal (fixture->sim, SFB);
  g_autoptr(JsonObject) after = NULL;
  AdwMessageDialog *preview;

  tb_test_load_certificate (fixture->window, der);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "Sign in"));

  tb_test_window_sign_in (fixture->window, fixture->context);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* An audit-only principal selected on the other page does not receive the certificate. */
  tb_principals_page_select (fixture->principals, TB_APP_ID_SHAREPOINT);
  tb_window_show_page (fixture->window, "certificates");

  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "service-principals");
  g_assert_cmpstr (tb_principals_page_get_selected (fixture->principals), ==, SFB);
  tb_test_grant_write_access (fixture->context);
  preview = tb_test_wait_for_dialog ("Add Certificate to Skype for Business Online");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (preview), "oauth2028.contoso.com"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (preview), "Kept unchanged"));

  /* Declining writes nothing. */
  adw_message_dialog_response (preview, "cancel");
  gtk_window_destroy (GTK_WINDOW (preview));
  wait_for (principals_idle, fixture);
  after = tb_sim_dup_service_principal (fixture->sim, SFB);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "keyCredentials")), ==,
                    json_array_get_length (json_object_get_array_member (before, "keyCredentials")));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define PREFS(path, func) \
  g_test_add (path, Prefs, NULL, prefs_set_up, func, prefs_tear_down)
#define DEMO(path, func) \
  g_test_add (path, Demo, NULL, demo_set_up, func, demo_tear_down)

  PREFS ("/ui/prefs/cloud", test_prefs_cloud);
  PREFS ("/ui/prefs/endpoints-bad", test_prefs_endpoints_bad);
  PREFS ("/ui/prefs/endpoints-good", test_prefs_endpoints_good);
  PREFS ("/ui/prefs/tenant", test_prefs_tenant);
  PREFS ("/ui/prefs/client-id", test_prefs_client_id);
  PREFS ("/ui/prefs/warn-days", test_prefs_warn_days);
  g_test_add_func ("/ui/prefs/demo", test_prefs_demo);
  DEMO ("/ui/overview/checklist", test_overview);
  DEMO ("/ui/overview/add-to-principals", test_add_to_principals);

  return g_test_run ();
}
