/* test-ui-pool.c: the On-premises Pool page, driven as a user would
 *
 * State files go through the window's open path (what a drop or the command line does); the
 * live tests talk to the WinRM simulator that --demo starts, with the demo pool that starts
 * misconfigured.
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tb-certificate.h"
#include "tb-certificates-page-private.h"
#include "tb-context.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script-private.h"
#include "tb-establish-trust-dialog.h"
#include "tb-sim-winrm-private.h"
#include "tb-test-certs.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"
#include "tb-ui-enums.h"

/* The fixture's tenant (see its "_fixture" member) and its certificate's thumbprint. */
#define FIXTURE_TENANT "8c6f0a5e-3b1d-4f7a-9e2c-5d4b3a2f1e0d"
#define FIXTURE_THUMBPRINT "FE13557AA275687606BF1CA02D704740066D6052"
#define FIXTURE_WRONG_URL \
  "https://accounts.accesscontrol.windows.net/0b9a2c4e-1d3f-4a5b-8c7d-6e5f4a3b2c1d/metadata/json/1"

typedef struct
{
  TbContext  *context;
  TbWindow   *window;
  TbPoolPage *page;
} Fixture;

static void
set_up (Fixture  *fixture,
        gboolean  demo)
{
  fixture->context = demo ? tb_test_context_new_demo () : tb_context_new ();
  fixture->window = tb_test_window_present (fixture->context);
  fixture->page = tb_window_get_pool_page (fixture->window);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  set_up (fixture, FALSE);
}

static void
fixture_set_up_demo (Fixture       *fixture,
                     gconstpointer  data)
{
  set_up (fixture, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_test_window_close (fixture->window, fixture->context);
}

static gboolean
page_idle (TbPoolPage *page)
{
  return !tb_pool_page_get_loading (page);
}

static void
wait_for_page (TbPoolPage *page)
{
  /* One turn first: a started read sets "loading" before it can finish. */
  tb_test_iterate_pending ();
  tb_test_wait_until (page_idle, page, 60);
}

static GFile *
fixture_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);

  return g_file_new_for_path (path);
}

/* What the page says its results area shows is what the area's stack shows. */
static void
assert_view (Fixture        *fixture,
             TbPoolPageView  view)
{
  tb_test_assert_stack_shows (fixture->page->results_stack, TB_TYPE_POOL_PAGE_VIEW,
                              tb_pool_page_get_view (fixture->page), view);
}

static void
open_file (Fixture *fixture,
           GFile   *file)
{
  GFile *files[] = { file };

  /* The window's open path: what a drop on the window and `trust-bridge FILE` use. */
  tb_window_open_files (fixture->window, files, 1);
  wait_for_page (fixture->page);
}

static const char *
row_subtitle (Fixture    *fixture,
              const char *item)
{
  GtkWidget *row = tb_pool_page_get_row (fixture->page, item);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return l->data;
  return NULL;
}

/* What a click on a dialog button does: the response, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  tb_test_iterate_pending ();
}

/* The misconfigured file, through the window: the pool page shows it, the OAuth server row is
 * red with the exact URL it should have for the tenant, the rest is green, and the external
 * web services FQDNs are handed on. */
static void
test_state_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("pool-state-misconfigured.json");
  const char * const *fqdns;
  const char *subtitle;

  assert_view (fixture, TB_POOL_PAGE_VIEW_EMPTY);
  tb_pool_page_set_typed_tenant_id (fixture->page, FIXTURE_TENANT);
  g_assert_cmpstr (tb_pool_page_get_tenant_id (fixture->page), ==, FIXTURE_TENANT);
  open_file (fixture, file);

  g_assert_null (tb_pool_page_get_error (fixture->page));
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "pool");
  assert_view (fixture, TB_POOL_PAGE_VIEW_CONTENT);
  g_assert_nonnull (tb_pool_page_get_pool_state (fixture->page));

  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_FAILED);
  subtitle = row_subtitle (fixture, TB_POOL_PAGE_ROW_OAUTH_SERVER);
  g_assert_nonnull (strstr (subtitle, FIXTURE_WRONG_URL));
  g_assert_nonnull (strstr (subtitle, "https://accounts.accesscontrol.windows.net/"
                                      FIXTURE_TENANT "/metadata/json/1"));

  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page,
                                                TB_POOL_PAGE_ROW_PARTNER_APPLICATION), ==,
                   TB_POOL_CHECK_OK);
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page,
                                                TB_POOL_PAGE_ROW_OAUTH_SERVICE_NAME), ==,
                   TB_POOL_CHECK_OK);
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_WEB_SERVICES), ==,
                   TB_POOL_CHECK_OK);
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page,
                                                TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE), ==,
                   TB_POOL_CHECK_OK);
  g_assert_nonnull (strstr (row_subtitle (fixture, TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE),
                            FIXTURE_THUMBPRINT));

  fqdns = tb_pool_page_get_external_fqdns (fixture->page);
  g_assert_nonnull (fqdns);
  g_assert_cmpuint (g_strv_length ((char **) fqdns), ==, 2);
  g_assert_cmpstr (fqdns[0], ==, "webext.contoso.com");
  g_assert_cmpstr (fqdns[1], ==, "webext2.contoso.com");

  /* They are the SPNs the cloud side needs: the window's workspace (which the Overview
   * checks) has them, and the one-click starts with them filled in. */
  {
    g_auto(GStrv) checked = tb_workspace_dup_trust_fqdns (tb_window_get_workspace (fixture->window));

    g_assert_nonnull (checked);
    g_assert_cmpstr (checked[0], ==, "webext.contoso.com");
    g_assert_cmpstr (checked[1], ==, "webext2.contoso.com");
  }
  {
    GtkWidget *dialog = tb_window_open_establish_trust (fixture->window);

    g_assert_cmpstr (tb_establish_trust_dialog_get_fqdns (TB_ESTABLISH_TRUST_DIALOG (dialog)), ==,
                     "webext.contoso.com webext2.contoso.com");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
}

/* Without a tenant the OAuth server cannot be judged; half a GUID is refused, not checked. */
static void
test_tenant_typed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("pool-state-misconfigured.json");

  open_file (fixture, file);
  g_assert_null (tb_pool_page_get_tenant_id (fixture->page));
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_UNKNOWN);
  g_assert_nonnull (strstr (row_subtitle (fixture, TB_POOL_PAGE_ROW_OAUTH_SERVER),
                            FIXTURE_WRONG_URL));

  tb_pool_page_set_typed_tenant_id (fixture->page, "8c6f0a5e-3b1d-4f7a");
  g_assert_null (tb_pool_page_get_tenant_id (fixture->page));
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_UNKNOWN);

  /* Upper case is fine: the check and the script use the lower-case form. */
  tb_pool_page_set_typed_tenant_id (fixture->page, "8C6F0A5E-3B1D-4F7A-9E2C-5D4B3A2F1E0D");
  g_assert_cmpstr (tb_pool_page_get_tenant_id (fixture->page), ==, FIXTURE_TENANT);
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_FAILED);
}

/* "Use This Certificate" puts the pool's certificate into Certificates (same SHA-1 as the
 * pool's thumbprint), selected and shown; twice still lists it once. */
static void
test_use_certificate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file ("pool-state-misconfigured.json");
  TbCertificatesPage *certificates = tb_window_get_certificates_page (fixture->window);
  GListModel *list = tb_certificates_page_get_certificates (certificates);
  GtkWidget *row;
  TbCertificate *selected;

  open_file (fixture, file);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);

  row = tb_pool_page_get_row (fixture->page, TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE);
  tb_test_click (row, "_Use This Certificate");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  selected = tb_certificates_page_get_selected (certificates);
  g_assert_nonnull (selected);
  g_assert_cmpstr (tb_certificate_get_sha1 (selected), ==, FIXTURE_THUMBPRINT);
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "certificates");

  tb_window_show_page (fixture->window, "pool");
  g_assert_true (tb_pool_page_use_certificate (fixture->page));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
}

/* A state whose OAuth certificate cannot be read offers nothing to use, and says why. */
static void
test_use_certificate_unreadable (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GFile) original = fixture_file ("pool-state-misconfigured.json");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GRegex) raw_data = g_regex_new ("\"rawData\": \"[^\"]*\"", 0, 0, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *path = NULL;
  GtkWidget *button;

  g_assert_true (g_file_load_contents (original, NULL, &contents, NULL, NULL, NULL));
  broken = g_regex_replace_literal (raw_data, contents, -1, 0, "\"rawData\": \"AAAA\"", 0,
                                    NULL);
  g_assert_cmpstr (broken, !=, contents);
  path = tb_test_write_file ("pool-state-unreadable.json", broken, strlen (broken));
  file = g_file_new_for_path (path);
  open_file (fixture, file);

  button = tb_test_find_button (tb_pool_page_get_row (fixture->page,
                                                      TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE),
                                "_Use This Certificate");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   "The pool state holds no readable certificate");
  g_assert_false (tb_pool_page_use_certificate (fixture->page));
}

/* A file that is not a pool state says so and changes nothing: the state shown stays. */
static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) good = fixture_file ("pool-state-misconfigured.json");
  static const char not_json[] = "this is not JSON {";
  static const char wrong_schema[] = "{\"schema\": 3, \"oauthServers\": []}";
  g_autofree char *not_json_path = tb_test_write_file ("broken-state.json", not_json,
                                                       sizeof not_json - 1);
  g_autofree char *schema_path = tb_test_write_file ("future-state.json", wrong_schema,
                                                     sizeof wrong_schema - 1);
  g_autoptr(GFile) bad = g_file_new_for_path (not_json_path);
  g_autoptr(GFile) future = g_file_new_for_path (schema_path);
  TbPoolState *shown;

  /* Before any state: the page stays empty and says why. */
  open_file (fixture, bad);
  g_assert_nonnull (tb_pool_page_get_error (fixture->page));
  assert_view (fixture, TB_POOL_PAGE_VIEW_EMPTY);
  g_assert_null (tb_pool_page_get_pool_state (fixture->page));

  open_file (fixture, good);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  shown = tb_pool_page_get_pool_state (fixture->page);
  g_assert_nonnull (shown);

  open_file (fixture, future);
  g_assert_nonnull (tb_pool_page_get_error (fixture->page));
  g_assert_nonnull (strstr (tb_pool_page_get_error (fixture->page), "schema"));
  g_assert_true (tb_pool_page_get_pool_state (fixture->page) == shown);
  assert_view (fixture, TB_POOL_PAGE_VIEW_CONTENT);
  g_assert_nonnull (tb_pool_page_get_row (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER));
}

static char *
read_text (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &text, NULL, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* The script round trip's two exports: the read script, and the apply script with the
 * tenant's metadata URL in its parameter block. */
static void
test_export_scripts (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("tb-pool-XXXXXX", NULL);
  g_autofree char *read_path = g_build_filename (dir, "read.ps1", NULL);
  g_autofree char *apply_path = g_build_filename (dir, "apply.ps1", NULL);
  g_autoptr(GFile) read_file = g_file_new_for_path (read_path);
  g_autoptr(GFile) apply_file = g_file_new_for_path (apply_path);
  g_autofree char *read_text_ = NULL;
  g_autofree char *apply_text = NULL;
  g_autoptr(GHashTable) read_params = NULL;
  g_autoptr(GHashTable) apply_params = NULL;
  g_autoptr(GError) error = NULL;

  tb_pool_page_export_read_script (fixture->page, read_file);
  wait_for_page (fixture->page);
  read_text_ = read_text (read_file);
  read_params = tb_pool_script_parse_parameters (read_text_, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (read_params, "TbScript"), ==, "read");

  tb_pool_page_set_typed_tenant_id (fixture->page, FIXTURE_TENANT);
  tb_pool_page_export_apply_script (fixture->page, apply_file);
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  apply_text = read_text (apply_file);
  apply_params = tb_pool_script_parse_parameters (apply_text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (apply_params, "TbScript"), ==, "apply");
  g_assert_cmpstr (g_hash_table_lookup (apply_params, "MetadataUrl"), ==,
                   "https://accounts.accesscontrol.windows.net/" FIXTURE_TENANT
                   "/metadata/json/1");
  g_assert_cmpstr (g_hash_table_lookup (apply_params, "DryRun"), ==, "no");

  g_assert_true (g_file_delete (read_file, NULL, NULL));
  g_assert_true (g_file_delete (apply_file, NULL, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static const char *
sim_metadata_url (TbSimWinrm *sim)
{
  static char *url;
  g_autoptr(JsonObject) state = tb_sim_winrm_dup_pool_state (sim);
  JsonArray *servers = json_object_get_array_member (state, "oauthServers");
  JsonObject *sts = json_array_get_object_element (servers, 0);

  g_free (url);
  url = g_strdup (json_object_get_string_member (sts, "metadataUrl"));
  return url;
}

/* The admin runs an exported script at the Front End and brings its output back. */
static GFile *
run_on_front_end (TbSimWinrm *front_end,
                  GFile      *script_file,
                  const char *dir,
                  const char *output_name)
{
  g_autofree char *script = read_text (script_file);
  g_autofree char *out = NULL;
  g_autofree char *path = g_build_filename (dir, output_name, NULL);
  g_autoptr(GError) error = NULL;
  int exit_code = -1;

  out = tb_sim_winrm_run_at_console (front_end, script, &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  g_assert_nonnull (strstr (out, "TRUSTBRIDGE-STATE:"));
  g_file_set_contents (path, out, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The whole script round trip with no network path to the pool: export the read script, run
 * it on the (misconfigured) Front End, load its output — the OAuth server is red; export the
 * apply script, run it there, load its output — everything green, and the Front End holds the
 * tenant's metadata URL. */
static void
test_script_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TbSimWinrm) front_end = tb_sim_winrm_new ();
  g_autofree char *dir = g_dir_make_tmp ("tb-pool-XXXXXX", NULL);
  g_autofree char *read_path = g_build_filename (dir, "read.ps1", NULL);
  g_autofree char *apply_path = g_build_filename (dir, "apply.ps1", NULL);
  g_autoptr(GFile) read_file = g_file_new_for_path (read_path);
  g_autoptr(GFile) apply_file = g_file_new_for_path (apply_path);
  g_autoptr(GFile) before = NULL;
  g_autoptr(GFile) after = NULL;
  const char *expected_url = "https://accounts.accesscontrol.windows.net/" FIXTURE_TENANT
                             "/metadata/json/1";
  const char *rows[] = {
    TB_POOL_PAGE_ROW_OAUTH_SERVER, TB_POOL_PAGE_ROW_PARTNER_APPLICATION,
    TB_POOL_PAGE_ROW_OAUTH_SERVICE_NAME, TB_POOL_PAGE_ROW_WEB_SERVICES,
    TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE,
  };

  tb_sim_winrm_load_demo_pool (front_end);
  g_assert_cmpstr (sim_metadata_url (front_end), !=, expected_url);
  tb_pool_page_set_typed_tenant_id (fixture->page, FIXTURE_TENANT);

  tb_pool_page_export_read_script (fixture->page, read_file);
  wait_for_page (fixture->page);
  before = run_on_front_end (front_end, read_file, dir, "read-output.txt");
  tb_pool_page_load_file (fixture->page, before);
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_FAILED);

  tb_pool_page_export_apply_script (fixture->page, apply_file);
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  after = run_on_front_end (front_end, apply_file, dir, "apply-output.txt");
  g_assert_cmpstr (sim_metadata_url (front_end), ==, expected_url);

  tb_pool_page_load_file (fixture->page, after);
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, rows[i]), ==, TB_POOL_CHECK_OK);

  g_assert_true (g_file_delete (read_file, NULL, NULL));
  g_assert_true (g_file_delete (apply_file, NULL, NULL));
  g_assert_true (g_file_delete (before, NULL, NULL));
  g_assert_true (g_file_delete (after, NULL, NULL));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --demo: the form is filled with the demo Front End; Connect reads the misconfigured pool,
 * Apply previews by a dry run, applies, and the page shows the pool read again, all green;
 * a second Apply has nothing to do. */
static void
test_demo_apply (Fixture       *fixture,
                 gconstpointer  data)
{
  TbSimWinrm *sim = tb_test_get_sim_winrm (fixture->context);
  TbSim *m365 = tb_test_get_sim (fixture->context);
  g_autofree char *expected = NULL;
  g_autofree char *before = NULL;
  AdwMessageDialog *dialog;
  guint changes_before;
  TbPoolCheckResult result;

  g_assert_nonnull (sim);
  expected = g_strdup_printf ("https://accounts.accesscontrol.windows.net/%s/metadata/json/1",
                              tb_sim_get_tenant_id (m365));
  before = g_strdup (sim_metadata_url (sim));
  g_assert_cmpstr (before, !=, expected);

  tb_window_show_page (fixture->window, "pool");
  /* The tenant is found for the demo domain without signing in. */
  wait_for_page (fixture->page);
  g_assert_cmpstr (tb_pool_page_get_tenant_id (fixture->page), ==, tb_sim_get_tenant_id (m365));

  tb_test_click (GTK_WIDGET (fixture->page), "_Connect");
  wait_for_page (fixture->page);
  g_assert_cmpstr (tb_pool_page_get_error (fixture->page), ==, NULL);
  assert_view (fixture, TB_POOL_PAGE_VIEW_CONTENT);
  g_assert_cmpint (tb_pool_page_get_row_result (fixture->page, TB_POOL_PAGE_ROW_OAUTH_SERVER), ==,
                   TB_POOL_CHECK_FAILED);
  g_assert_nonnull (strstr (row_subtitle (fixture, TB_POOL_PAGE_ROW_OAUTH_SERVER), expected));

  /* The preview comes from a dry run: nothing changes on the pool yet. */
  changes_before = tb_sim_winrm_get_pool_changes (sim);
  tb_test_click (GTK_WIDGET (fixture->page), "Apply _On-premises Changes…");
  wait_for_page (fixture->page);
  dialog = find_dialog ("Apply On-premises Changes?");
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected));
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (sim), ==, changes_before);
  g_assert_cmpstr (sim_metadata_url (sim), ==, before);

  respond (dialog, "apply");
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  g_assert_cmpstr (sim_metadata_url (sim), ==, expected);
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (sim), >, changes_before);

  /* Read again and shown: every row green. */
  for (const char * const *item = (const char * const []) {
         TB_POOL_PAGE_ROW_OAUTH_SERVER, TB_POOL_PAGE_ROW_PARTNER_APPLICATION,
         TB_POOL_PAGE_ROW_OAUTH_SERVICE_NAME, TB_POOL_PAGE_ROW_WEB_SERVICES,
         TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE, NULL };
       *item != NULL; item++)
    {
      result = tb_pool_page_get_row_result (fixture->page, *item);
      if (result != TB_POOL_CHECK_OK)
        g_error ("%s: %d (%s)", *item, result, row_subtitle (fixture, *item));
    }

  /* Again: the dry run finds nothing to do. */
  changes_before = tb_sim_winrm_get_pool_changes (sim);
  tb_test_click (GTK_WIDGET (fixture->page), "Apply _On-premises Changes…");
  wait_for_page (fixture->page);
  g_assert_null (find_dialog ("Apply On-premises Changes?"));
  dialog = find_dialog ("Nothing to Change");
  g_assert_nonnull (dialog);
  respond (dialog, "close");
  g_assert_cmpuint (tb_sim_winrm_get_pool_changes (sim), ==, changes_before);
}

/* A Front End that refuses the account: the inline error says so, with Retry, and the page
 * stays as it was. */
static void
test_connect_error (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (fixture->page);

  tb_window_show_page (fixture->window, "pool");
  wait_for_page (fixture->page);
  /* The demo fills the form; the Front End refuses the account once. */
  tb_sim_winrm_inject_fault (tb_test_get_sim_winrm (fixture->context),
                             TB_SIM_WINRM_FAULT_UNAUTHORIZED, 1);
  tb_test_click (root, "_Connect");
  wait_for_page (fixture->page);
  g_assert_nonnull (tb_pool_page_get_error (fixture->page));
  assert_view (fixture, TB_POOL_PAGE_VIEW_EMPTY);
  g_assert_nonnull (tb_test_find_button (root, "_Retry"));

  /* Retry reads the pool now that the server accepts the account again. */
  tb_test_click (root, "_Retry");
  wait_for_page (fixture->page);
  g_assert_null (tb_pool_page_get_error (fixture->page));
  assert_view (fixture, TB_POOL_PAGE_VIEW_CONTENT);
}

static gboolean
button_enabled (TbPoolPage *page,
                const char *label)
{
  GtkWidget *button = tb_test_find_button (GTK_WIDGET (page), label);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* The page's commands follow its state: Connect needs a Front End and nothing running,
 * Apply a pool read, the apply script the tenant; while a read runs, only the scripts stay
 * available. */
static void
test_commands_follow_state (Fixture       *fixture,
                            gconstpointer  data)
{
  TbPoolPage *page = fixture->page;
  g_autofree char *host = NULL;

  tb_window_show_page (fixture->window, "pool");
  wait_for_page (page);
  g_assert_true (button_enabled (page, "_Connect"));
  g_assert_true (button_enabled (page, "_Use a State File…"));
  g_assert_true (button_enabled (page, "Export _Read Script…"));
  g_assert_true (button_enabled (page, "Export _Apply Script…"));
  g_assert_false (button_enabled (page, "Apply _On-premises Changes…"));

  host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (page->fqdn_row)));
  gtk_editable_set_text (GTK_EDITABLE (page->fqdn_row), "");
  g_assert_false (button_enabled (page, "_Connect"));
  /* Enter in the empty field starts nothing. */
  g_signal_emit_by_name (page->fqdn_row, "entry-activated");
  g_assert_false (tb_pool_page_get_loading (page));
  gtk_editable_set_text (GTK_EDITABLE (page->fqdn_row), host);

  tb_test_click (GTK_WIDGET (page), "_Connect");
  g_assert_true (tb_pool_page_get_loading (page));
  g_assert_false (button_enabled (page, "_Connect"));
  g_assert_false (button_enabled (page, "_Use a State File…"));
  g_assert_true (button_enabled (page, "Export _Read Script…"));
  wait_for_page (page);
  g_assert_null (tb_pool_page_get_error (page));
  g_assert_true (button_enabled (page, "_Connect"));
  g_assert_true (button_enabled (page, "Apply _On-premises Changes…"));
}

/* --page refuses a page that does not exist, naming the ones that do. */
static void
test_page_option (void)
{
  g_autofree char *binary = g_test_build_filename (G_TEST_BUILT, "..", "app", "trust-bridge",
                                                   NULL);
  const char *argv[] = { binary, "--page", "nowhere", NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "nowhere"));
  g_assert_nonnull (strstr (err, "pool"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, setup, func) \
  g_test_add (path, Fixture, NULL, setup, func, fixture_tear_down)

  ADD ("/ui/pool/state-file", fixture_set_up, test_state_file);
  ADD ("/ui/pool/tenant-typed", fixture_set_up, test_tenant_typed);
  ADD ("/ui/pool/use-certificate", fixture_set_up, test_use_certificate);
  ADD ("/ui/pool/use-certificate-unreadable", fixture_set_up, test_use_certificate_unreadable);
  ADD ("/ui/pool/bad-file", fixture_set_up, test_bad_file);
  ADD ("/ui/pool/export-scripts", fixture_set_up, test_export_scripts);
  ADD ("/ui/pool/script-round-trip", fixture_set_up, test_script_round_trip);
  ADD ("/ui/pool/demo-apply", fixture_set_up_demo, test_demo_apply);
  ADD ("/ui/pool/connect-error", fixture_set_up_demo, test_connect_error);
  ADD ("/ui/pool/commands-follow-state", fixture_set_up_demo, test_commands_follow_state);
  g_test_add_func ("/ui/pool/page-option", test_page_option);

  return g_test_run ();
}
