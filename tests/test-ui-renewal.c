/* test-ui-renewal.c: the renewal assistant against the demo tenant and Front End
 *
 * The demo pool's certificate is due for renewal. The assistant suggests the store's good
 * candidate, refuses to stage before Microsoft 365 has the key, uploads, stages live, and
 * once the Front End's clock passes the effective date finishes: each step checked on the
 * simulated services.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tb-context.h"
#include "tb-overview-page.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script.h"
#include "tb-test-certs.h"
#include "tb-pool-client.h"
#include "tb-renewal-dialog-private.h"
#include "tb-renewal-request.h"
#include "tb-sim.h"
#include "tb-sim-winrm-private.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

typedef struct
{
  TbContext    *context;
  TbWindow     *window;
  TbPoolClient *client;
} Fixture;

/* Waits in this file give up after 90 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 90)

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *host, *user, *password, *fingerprint;
  guint port;

  fixture->context = tb_context_new ();
  g_assert_true (tb_test_start_demo (fixture->context, &error));
  g_assert_no_error (error);
  tb_sim_winrm_load_demo_pool_renewal_due (tb_test_get_sim_winrm (fixture->context));
  g_assert_true (tb_context_get_demo_pool (fixture->context, &host, &port, &user, &password,
                                           &fingerprint));
  fixture->client = tb_pool_client_new (host, port, TB_WINRM_AUTH_BASIC, user, password,
                                        fingerprint);
  fixture->window = g_object_ref (tb_window_new (NULL, fixture->context));
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* Signed in with write access already: the consent dialog is the sign-in tests' concern. */
  tb_auth_sign_in_device_code_async (tb_context_get_auth (fixture->context),
                                     TB_AUTH_ACCESS_WRITE, NULL, NULL, NULL, tb_test_store_result,
                                     &result);
  wait_until (have_result, &result);
  g_assert_true (tb_auth_sign_in_device_code_finish (tb_context_get_auth (fixture->context),
                                                     result, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  tb_test_window_close (fixture->window, fixture->context);
}

static TbPoolState *
read_pool (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TbPoolState *state;

  tb_pool_client_status_async (fixture->client, NULL, tb_test_store_result, &result);
  wait_until (have_result, &result);
  state = tb_pool_client_status_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return state;
}

static gboolean
dialog_idle (gpointer data)
{
  TbRenewalDialog *dialog = data;

  return !tb_renewal_dialog_get_busy (dialog) && tb_renewal_dialog_get_renewal (dialog) != NULL;
}

static gboolean
is_button_saying (GtkWidget     *widget,
                  gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
         strstr (gtk_button_get_label (GTK_BUTTON (widget)), label) != NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return tb_test_find_widget (widget, is_button_saying, label);
}

/* The renewal dialog for @state on the fixture's window, shown; @refresh: its renewal read
 * (Refresh) and settled. */
static TbRenewalDialog *
open_dialog (Fixture     *fixture,
             TbPoolState *state,
             gboolean     refresh)
{
  TbRenewalDialog *dialog = TB_RENEWAL_DIALOG (tb_renewal_dialog_new (GTK_WINDOW (fixture->window),
                                                                      fixture->context, state,
                                                                      fixture->client));

  gtk_window_present (GTK_WINDOW (dialog));
  if (refresh)
    {
      tb_renewal_dialog_refresh (dialog);
      wait_until (dialog_idle, dialog);
    }
  return dialog;
}

static TbRenewalPhase
phase (TbRenewalDialog *dialog)
{
  return tb_renewal_get_phase (tb_renewal_dialog_get_renewal (dialog));
}

/* How many of the Skype for Business Online principal's credentials hold @thumbprint. */
static guint
cloud_count (Fixture    *fixture,
             const char *thumbprint)
{
  return tb_test_sim_count_thumbprint (tb_test_get_sim (fixture->context), SKYPE, thumbprint);
}

static void
test_assistant (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TbPoolState) state = read_pool (fixture);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
  g_autofree char *new_thumbprint = NULL;
  g_autofree char *old_thumbprint = NULL;
  TbRenewalDialog *dialog;
  GtkWidget *upload, *stage, *finish;

  dialog = open_dialog (fixture, state, TRUE);
  upload = find_button (GTK_WIDGET (dialog), "Upload");
  stage = find_button (GTK_WIDGET (dialog), "Stage");
  finish = find_button (GTK_WIDGET (dialog), "Finish");
  g_assert_nonnull (upload);
  g_assert_nonnull (stage);
  g_assert_nonnull (finish);

  /* The store's good candidate is suggested; staging must wait for the upload, and says so. */
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_CANDIDATE_CHOSEN);
  new_thumbprint = g_strdup (tb_renewal_get_new_certificate (
    tb_renewal_dialog_get_renewal (dialog))->thumbprint);
  old_thumbprint = g_strdup (tb_renewal_get_old_certificate (
    tb_renewal_dialog_get_renewal (dialog))->thumbprint);
  g_assert_true (gtk_widget_get_sensitive (upload));
  g_assert_false (gtk_widget_get_sensitive (stage));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (stage), "upload it first"));
  g_assert_false (gtk_widget_get_sensitive (finish));

  /* 2. Upload: both halves read again, Microsoft 365 holds it, the current key is kept.
   * Nothing else starts while it runs. */
  g_signal_emit_by_name (upload, "clicked");
  g_assert_true (tb_renewal_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (upload));
  g_assert_false (gtk_widget_get_sensitive (stage));
  g_assert_false (gtk_widget_get_sensitive (finish));
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (dialog),
                                                         "Load Certificate File")));
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_UPLOADED);
  g_assert_cmpuint (cloud_count (fixture, new_thumbprint), ==, 1);
  g_assert_true (gtk_widget_get_sensitive (stage));

  /* 3. Stage live, on the date the assistant proposed (24 hours ahead and more). */
  g_signal_emit_by_name (stage, "clicked");
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_STAGED_CLOUD_READY);
  g_assert_false (gtk_widget_get_sensitive (finish));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (finish), "has not switched"));
  g_assert_false (gtk_widget_get_sensitive (stage));
  g_assert_false (gtk_widget_get_sensitive (upload));
  tb_test_pause_for_screenshot ();

  /* The Front End passes the effective date. */
  tb_sim_winrm_set_now (tb_test_get_sim_winrm (fixture->context), later);
  tb_renewal_dialog_refresh (dialog);
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_SWITCHED);
  g_assert_true (gtk_widget_get_sensitive (finish));

  /* 4. Finish: the old key leaves Microsoft 365 and -Previous leaves the pool. */
  g_signal_emit_by_name (finish, "clicked");
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_CLEANED);
  g_assert_cmpuint (cloud_count (fixture, old_thumbprint), ==, 0);
  g_assert_cmpuint (cloud_count (fixture, new_thumbprint), ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* "Load Certificate File…": the current certificate and a weak one are refused with the
 * reason; one the store lacks is uploaded, but staging says the store does not have it. */
static void
test_load_certificate (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TbPoolState) state = read_pool (fixture);
  const TbPoolCertificate *current = tb_pool_state_find_oauth_certificate (
    state, TB_POOL_CERT_ROLE_CURRENT);
  TbTestCertSpec weak_spec = { .common_name = "weak.contoso.local", .rsa_bits = 1024 };
  TbTestCertSpec spec = { .common_name = "next.contoso.local" };
  g_autoptr(GBytes) weak_der = tb_test_cert_make (&weak_spec, NULL);
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autofree char *sha1 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);
  g_autofree char *upper = g_ascii_strup (sha1, -1);
  g_autofree char *current_path = NULL;
  g_autofree char *weak_path = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  TbRenewalDialog *dialog;
  GtkWidget *upload, *stage, *load;

  {
    gsize len = 0;
    g_autofree guchar *current_der = g_base64_decode (current->raw_data, &len);

    current_path = tb_test_write_file ("current.cer", current_der, len);
  }
  weak_path = tb_test_write_file ("weak.cer", g_bytes_get_data (weak_der, NULL),
                                  g_bytes_get_size (weak_der));
  path = tb_test_write_file ("next.cer", g_bytes_get_data (der, NULL), g_bytes_get_size (der));

  dialog = open_dialog (fixture, state, TRUE);
  upload = find_button (GTK_WIDGET (dialog), "Upload");
  stage = find_button (GTK_WIDGET (dialog), "Stage");
  load = find_button (GTK_WIDGET (dialog), "Load Certificate File");
  g_assert_nonnull (load);
  g_assert_true (gtk_widget_get_sensitive (load));

  /* While a file is read, no other is loaded and no step runs; then loading is offered again. */
  file = g_file_new_for_path (current_path);
  tb_renewal_dialog_load_certificate (dialog, file);
  g_assert_false (gtk_widget_get_sensitive (load));
  g_assert_false (gtk_widget_get_sensitive (upload));
  wait_until (dialog_idle, dialog);
  g_assert_nonnull (strstr (tb_renewal_dialog_get_message (dialog), "current OAuth certificate"));
  g_assert_true (gtk_widget_get_sensitive (load));
  g_clear_object (&file);
  file = g_file_new_for_path (weak_path);
  tb_renewal_dialog_load_certificate (dialog, file);
  wait_until (dialog_idle, dialog);
  g_assert_nonnull (strstr (tb_renewal_dialog_get_message (dialog), "2048 bits or more"));
  g_clear_object (&file);

  file = g_file_new_for_path (path);
  tb_renewal_dialog_load_certificate (dialog, file);
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_CANDIDATE_CHOSEN);
  g_assert_cmpstr (tb_renewal_get_new_certificate (tb_renewal_dialog_get_renewal (dialog))
                     ->thumbprint, ==, upper);
  g_assert_nonnull (strstr (tb_renewal_dialog_get_message (dialog), "staging waits"));

  g_signal_emit_by_name (upload, "clicked");
  wait_until (dialog_idle, dialog);
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_UPLOADED);
  g_assert_cmpuint (cloud_count (fixture, sha1), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (stage));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (stage), "store does not have"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* "Request from CA…": the SIP domain proposed from the pool, "Save Script…" enabled only
 * with a usable CA, and the script it saves asks for an OAuthTokenIssuer certificate. */
static void
test_request (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TbPoolState) state = read_pool (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  TbRenewalDialog *dialog;
  GtkWidget *request, *request_dialog;

  dialog = open_dialog (fixture, state, FALSE);
  request = find_button (GTK_WIDGET (dialog), "Request from CA");
  g_assert_nonnull (request);
  /* Offered whatever the renewal's state, even before both halves were read. */
  tb_test_click (GTK_WIDGET (dialog), "_Request from CA…");
  request_dialog = GTK_WIDGET (tb_test_find_dialog ("Request a New Certificate"));
  g_assert_nonnull (request_dialog);
  gtk_window_destroy (GTK_WINDOW (request_dialog));

  request_dialog = tb_renewal_request_present (GTK_WINDOW (dialog), state);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (request_dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (request_dialog),
                                                           "save"));
  gtk_window_destroy (GTK_WINDOW (request_dialog));

  script = tb_renewal_request_build_script ("ca01.contoso.com\\Contoso Issuing CA",
                                            "contoso.com, sip.contoso.com", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (script, "[string]$DomainName = 'contoso.com/sip.contoso.com'"));
  g_assert_nonnull (strstr (script, "Type='OAuthTokenIssuer'"));
  g_clear_pointer (&script, g_free);
  g_assert_null (tb_renewal_request_build_script ("Contoso Issuing CA", "contoso.com", &error));
  g_assert_nonnull (strstr (error->message, "server\\CA name"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
page_idle (gpointer data)
{
  return !tb_pool_page_get_loading (data);
}

/* Loads the read script's output from the demo Front End's console into the pool page. */
static void
load_pool_page (Fixture *fixture)
{
  g_autofree char *script = tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT);
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  TbPoolPage *page = tb_window_get_pool_page (fixture->window);
  int exit_code = -1;

  out = tb_sim_winrm_run_at_console (tb_test_get_sim_winrm (fixture->context), script,
                                     &exit_code);
  g_assert_cmpint (exit_code, ==, 0);
  path = tb_test_write_file ("renewal-due-state.txt", out, strlen (out));
  file = g_file_new_for_path (path);
  tb_pool_page_load_file (page, file);
  tb_test_iterate_pending ();
  wait_until (page_idle, page);
  g_assert_nonnull (tb_pool_page_get_pool_state (page));
}

static TbRenewalDialog *
find_renewal_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TB_IS_RENEWAL_DIALOG (window))
        return TB_RENEWAL_DIALOG (window);
    }
  return NULL;
}

/* The Overview offers the assistant while the pool's certificate is due, and opens it. */
static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *overview = GTK_WIDGET (tb_window_get_overview_page (fixture->window));
  GtkWidget *button = tb_test_find_widget (overview, is_button_saying, "Renew");
  TbRenewalDialog *dialog;

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_visible (button));
  load_pool_page (fixture);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==,
                   "_Renew the Pool’s OAuth Certificate…");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.renew-certificate");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.renew-certificate", NULL));
  dialog = find_renewal_dialog ();
  g_assert_nonnull (dialog);
  wait_until (dialog_idle, dialog);
  /* From a state file: staging is an exported script. */
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "Export"));
  g_assert_cmpint (phase (dialog), ==, TB_RENEWAL_PHASE_CANDIDATE_CHOSEN);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A pool whose certificate is far from expiry, with no renewal under way: not offered. */
  {
    TbSimWinrm *winrm = tb_test_get_sim_winrm (fixture->context);
    g_autoptr(JsonObject) settled = NULL;

    tb_sim_winrm_load_demo_pool (winrm);
    /* The demo pool has just been renewed (its earlier certificates are still listed, a
     * renewal to finish); the same pool as one OAuthTokenIssuer certificate alone. */
    settled = tb_sim_winrm_dup_pool_state (winrm);
    tb_sim_winrm_set_pool_state (winrm, settled);
  }
  load_pool_page (fixture);
  g_assert_false (gtk_widget_get_visible (button));

  /* The demo pool as it is: its earlier certificates still listed, the renewal is offered to
   * be finished. */
  tb_sim_winrm_load_demo_pool (tb_test_get_sim_winrm (fixture->context));
  load_pool_page (fixture);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Finish the Renewal…");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/renewal/assistant", Fixture, NULL, fixture_set_up, test_assistant,
              fixture_tear_down);

  g_test_add ("/ui/renewal/load-certificate", Fixture, NULL, fixture_set_up,
              test_load_certificate, fixture_tear_down);
  g_test_add ("/ui/renewal/request", Fixture, NULL, fixture_set_up, test_request,
              fixture_tear_down);
  g_test_add ("/ui/renewal/overview", Fixture, NULL, fixture_set_up, test_overview,
              fixture_tear_down);

  return g_test_run ();
}
