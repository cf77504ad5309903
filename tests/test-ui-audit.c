/* test-ui-audit.c: the Audit page, driven as a user would, against the demo with a mid-size
 * tenant (5,000 principals, 600 of them Microsoft's) and the simulator's planted credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "tb-audit-page-private.h"
#include "tb-audit-row.h"
#include "tb-audit-timeline-private.h"
#include "tb-certificates-page-private.h"
#include "tb-context.h"
#include "tb-credential-timeline-private.h"
#include "tb-principals-page.h"
#include "tb-sim-private.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

#define SPO       "00000003-0000-0ff1-ce00-000000000000"
#define GRAPH     "00000003-0000-0000-c000-000000000000"
#define TEAMS_SERVICES "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"
#define MGMT      "c5393580-f805-4401-95e8-94b7a6ef2fc2"
#define VOICEMAIL "db7de2b5-2149-435e-8043-e080dd50afae"

typedef struct
{
  TbContext   *context;
  TbSim       *sim;
  TbWindow    *window;
  TbAuditPage *page;
} Fixture;

/* Waits in this file give up after 60 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 60)

static gboolean
signed_in (Fixture *fixture)
{
  TbPrincipalsPage *principals = tb_window_get_principals_page (fixture->window);

  return tb_auth_get_signed_in (tb_context_get_auth (fixture->context)) &&
         !tb_principals_page_get_loading (principals);
}

static gboolean
scan_done (Fixture *fixture)
{
  GPtrArray *findings = tb_audit_page_get_findings (fixture->page);

  if (tb_audit_page_get_running (fixture->page) || findings == NULL)
    return FALSE;
  /* The list view makes rows when it lays itself out: wait until each finding has one. */
  for (guint i = 0; i < findings->len; i++)
    if (tb_audit_page_get_row (fixture->page, g_ptr_array_index (findings, i)) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
not_running (Fixture *fixture)
{
  return !tb_audit_page_get_running (fixture->page);
}

static gboolean
is_shown_button (GtkWidget     *widget,
                 gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return tb_test_find_widget (widget, is_shown_button, label);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->context = tb_test_context_new_demo ();
  fixture->sim = tb_test_get_sim (fixture->context);
  tb_sim_set_population (fixture->sim, 5000, 600);
  fixture->window = tb_test_window_present (fixture->context);
  fixture->page = tb_window_get_audit_page (fixture->window);
  tb_window_show_page (fixture->window, "audit");
  tb_test_iterate_pending ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  wait_until (signed_in, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_test_window_close (fixture->window, fixture->context);
}

static TbAuditFinding *
find_finding (Fixture    *fixture,
              const char *app_id,
              TbAuditKind kind,
              const char *sha1)
{
  GPtrArray *findings = tb_audit_page_get_findings (fixture->page);

  for (guint i = 0; i < findings->len; i++)
    {
      TbAuditFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (tb_audit_finding_get_app_id (f), app_id) &&
          tb_audit_finding_get_kind (f) == kind &&
          (sha1 == NULL || g_strcmp0 (tb_audit_finding_get_sha1 (f), sha1) == 0))
        return f;
    }
  g_assert_not_reached ();
}

/* The pool's certificate is the one selected on the Certificates page. */
static char *
load_pool_certificate (Fixture *fixture)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, SKYPE);
  JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");
  /* The demo's three certificates first, then the planted pool certificate. */
  JsonObject *kc = json_array_get_object_element (keys, json_array_get_length (keys) - 1);
  gsize len;
  g_autofree guchar *der = g_base64_decode (json_object_get_string_member (kc, "key"), &len);
  g_autoptr(GBytes) bytes = g_bytes_new (der, len);
  g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (bytes, NULL);
  TbCertificatesPage *certificates = tb_window_get_certificates_page (fixture->window);

  g_assert_nonnull (cert);
  tb_certificates_page_add_certificate (certificates, cert);
  tb_certificates_page_select (certificates, cert);
  tb_test_iterate_pending ();
  return g_strdup (tb_certificate_get_sha1 (cert));
}

static void
test_scan (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *pool_sha1 = load_pool_certificate (fixture);
  GtkWidget *scan = find_button (GTK_WIDGET (fixture->page), "_Scan Tenant");
  GPtrArray *findings;
  TbAuditFinding *f;
  guint counts[4] = { 0 };

  g_assert_nonnull (scan);
  g_signal_emit_by_name (scan, "clicked");
  g_assert_true (tb_audit_page_get_running (fixture->page));
  /* While it runs, Cancel takes Scan's place. */
  g_assert_nonnull (find_button (GTK_WIDGET (fixture->page), "_Cancel Scan"));
  wait_until (scan_done, fixture);
  g_assert_null (tb_audit_page_get_error (fixture->page));

  /* The demo's two earlier pool certificates (on Skype for Business Online), its client
   * secret on Microsoft Teams Services and the seven planted credentials. */
  findings = tb_audit_page_get_findings (fixture->page);
  g_assert_cmpuint (findings->len, ==, 10);
  for (guint i = 0; i < findings->len; i++)
    {
      TbAuditFinding *finding = g_ptr_array_index (findings, i);
      const char *group = tb_audit_page_get_row_group (fixture->page, finding);

      g_assert_cmpstr (group, ==, tb_audit_origin_to_string (tb_audit_finding_get_origin (finding)));
      counts[tb_audit_finding_get_origin (finding)]++;
    }
  g_assert_cmpuint (counts[TB_AUDIT_ORIGIN_UNEXPLAINED], ==, 5);
  g_assert_cmpuint (counts[TB_AUDIT_ORIGIN_DOCUMENTED], ==, 4);
  g_assert_cmpuint (counts[TB_AUDIT_ORIGIN_POOL], ==, 1);

  f = find_finding (fixture, SKYPE, TB_AUDIT_KIND_KEY, pool_sha1);
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, f), ==, "pool");
  f = find_finding (fixture, GRAPH, TB_AUDIT_KIND_PASSWORD, NULL);
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, f), ==, "unexplained");
  f = find_finding (fixture, TEAMS_SERVICES, TB_AUDIT_KIND_PASSWORD, NULL);
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, f), ==, "unexplained");
  g_assert_nonnull (strstr (tb_audit_page_get_progress_text (fixture->page), "600"));

  /* Every control has a name a screen reader can say. */
  g_assert_nonnull (find_button (GTK_WIDGET (fixture->page), "Export _CSV…"));
  g_assert_nonnull (find_button (GTK_WIDGET (fixture->page), "Export _JSON…"));

  /* The arrow keys move through the list item by item, and the list view stops at an item
   * that does not take the focus: every item, heading or row, must. A row takes it itself,
   * not its first button, so Enter opens the principal rather than pressing Known…. */
  {
    GtkWidget *list = gtk_widget_get_ancestor (tb_audit_page_get_row (fixture->page, f),
                                               GTK_TYPE_LIST_VIEW);
    guint rows = 0;
    guint headings = 0;

    g_assert_nonnull (list);
    /* Items exist for what is on screen and a little more. */
    for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
         item = gtk_widget_get_next_sibling (item))
      {
        GtkWidget *child = gtk_widget_get_first_child (item);

        if (!gtk_widget_get_child_visible (item) || child == NULL)
          continue;
        g_assert_true (gtk_widget_grab_focus (item));
        if (TB_IS_AUDIT_ROW (child))
          {
            g_assert_true (gtk_widget_has_focus (child));
            rows++;
          }
        else
          headings++;
      }
    g_assert_cmpuint (rows, >, 0);
    g_assert_cmpuint (headings, >, 0);
  }
  tb_test_pause_for_screenshot ();
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  TbAuditFinding *graph_key;
  TbAuditFinding *spo;

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  graph_key = find_finding (fixture, GRAPH, TB_AUDIT_KIND_KEY, NULL);
  spo = find_finding (fixture, SPO, TB_AUDIT_KIND_KEY, NULL);

  gtk_editable_set_text (tb_audit_page_get_filter_entry (fixture->page), "microsoft graph");
  /* The search entry waits a moment before it says the text changed. */
  while (tb_audit_page_get_row_group (fixture->page, spo) != NULL)
    g_main_context_iteration (NULL, TRUE);
  tb_test_iterate_pending ();
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, graph_key), ==, "unexplained");
  g_assert_nonnull (tb_audit_page_get_row (fixture->page, graph_key));
  g_assert_null (tb_audit_page_get_row (fixture->page, spo));

  /* By thumbprint too. (Replacing the text empties it first, which shows every row at once.) */
  gtk_editable_set_text (tb_audit_page_get_filter_entry (fixture->page),
                         tb_audit_finding_get_sha1 (spo));
  while (tb_audit_page_get_row_group (fixture->page, graph_key) != NULL)
    g_main_context_iteration (NULL, TRUE);
  tb_test_iterate_pending ();
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, spo), ==, "documented");
  g_assert_nonnull (tb_audit_page_get_row (fixture->page, spo));
  g_assert_null (tb_audit_page_get_row (fixture->page, graph_key));

  /* Emptied, it lists every finding again. */
  gtk_editable_set_text (tb_audit_page_get_filter_entry (fixture->page), "");
  while (tb_audit_page_get_row_group (fixture->page, graph_key) == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < tb_audit_page_get_findings (fixture->page)->len; i++)
    g_assert_nonnull (tb_audit_page_get_row_group (fixture->page,
                                                   g_ptr_array_index (tb_audit_page_get_findings (
                                                                        fixture->page), i)));
}

static void
test_known (Fixture       *fixture,
            gconstpointer  data)
{
  GSettings *settings = tb_context_get_settings (fixture->context);
  TbAuditFinding *secret;
  g_autofree char *stored = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *note;
  GtkWidget *row;

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  secret = find_finding (fixture, MGMT, TB_AUDIT_KIND_PASSWORD, NULL);
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, secret), ==, "unexplained");

  g_assert_true (tb_audit_page_set_known (fixture->page, secret, "Old reporting job, ticket 12"));
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, secret), ==, "known");
  stored = tb_audit_known_lookup (settings, tb_sim_get_tenant_id (fixture->sim),
                                  tb_audit_finding_get_key_id (secret), NULL);
  g_assert_cmpstr (stored, ==, "Old reporting job, ticket 12");

  /* A new scan finds it known; forgetting it puts it back. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  secret = find_finding (fixture, MGMT, TB_AUDIT_KIND_PASSWORD, NULL);
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, secret), ==, "known");
  g_signal_emit_by_name (find_button (tb_audit_page_get_row (fixture->page, secret), "_Forget"),
                         "clicked");
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, secret), ==, "unexplained");

  /* The row's Known… asks for the note, and the answer marks that finding with it. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  secret = find_finding (fixture, MGMT, TB_AUDIT_KIND_PASSWORD, NULL);
  row = tb_audit_page_get_row (fixture->page, secret);
  g_assert_nonnull (find_button (row, "_Known…"));
  g_assert_true (gtk_widget_is_sensitive (find_button (row, "_Known…")));
  /* Without settings to keep the note in, a row offers no Known…; unbound, nothing. */
  {
    g_autoptr(GtkWidget) other = g_object_ref_sink (tb_audit_row_new ());

    tb_audit_row_bind (TB_AUDIT_ROW (other), secret, FALSE, FALSE);
    g_assert_false (gtk_widget_get_sensitive (find_button (other, "_Known…")));
    tb_audit_row_bind (TB_AUDIT_ROW (other), secret, FALSE, TRUE);
    g_assert_true (gtk_widget_get_sensitive (find_button (other, "_Known…")));
    tb_audit_row_bind (TB_AUDIT_ROW (other), NULL, FALSE, FALSE);
    g_assert_false (gtk_widget_get_sensitive (find_button (other, "_Known…")));
  }
  g_signal_emit_by_name (find_button (row, "_Known…"), "clicked");
  dialog = tb_test_wait_for_dialog ("Mark Credential as Known?");
  note = tb_test_find_widget (adw_message_dialog_get_extra_child (dialog), tb_test_is_of_type,
                             GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
  g_assert_nonnull (note);
  gtk_editable_set_text (GTK_EDITABLE (note), "  Exchange hybrid, ticket 4711 ");
  tb_test_respond (dialog, "mark");
  g_assert_cmpstr (tb_audit_page_get_row_group (fixture->page, secret), ==, "known");
  g_clear_pointer (&stored, g_free);
  stored = tb_audit_known_lookup (settings, tb_sim_get_tenant_id (fixture->sim),
                                  tb_audit_finding_get_key_id (secret), NULL);
  g_assert_cmpstr (stored, ==, "Exchange hybrid, ticket 4711");
  g_settings_reset (settings, "audit-known");
}

/* A scan the tenant refuses says what failed inline, with Graph's error code among the
 * details, and Retry scans again. */
static void
test_scan_error_retry (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *retry;

  tb_sim_inject_errors (fixture->sim, 1, 403);
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (not_running, fixture);
  g_assert_nonnull (tb_audit_page_get_error (fixture->page));
  g_assert_nonnull (tb_test_find_label (GTK_WIDGET (fixture->page), "The Scan Failed"));
  g_assert_nonnull (tb_test_find_label (GTK_WIDGET (fixture->page), "generalException"));

  retry = find_button (GTK_WIDGET (fixture->page), "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_is_sensitive (retry));
  g_signal_emit_by_name (retry, "clicked");
  wait_until (scan_done, fixture);
  g_assert_null (tb_audit_page_get_error (fixture->page));
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "_Retry"));
  g_assert_cmpuint (tb_audit_page_get_findings (fixture->page)->len, >, 0);
}

static gboolean
has_error (Fixture *fixture)
{
  return tb_audit_page_get_error (fixture->page) != NULL;
}

/* An export that cannot be written says so in the page's inline error, where a failed scan's
 * shows, without Retry: scanning again would not help. */
static void
test_export_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-trust-bridge-dir/audit.csv");
  const char *error;

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  g_assert_null (tb_audit_page_get_error (fixture->page));

  tb_audit_page_export (fixture->page, file, TRUE);
  wait_until (has_error, fixture);
  error = tb_audit_page_get_error (fixture->page);
  g_assert_true (g_str_has_prefix (error, "The audit could not be saved: "));
  g_assert_nonnull (tb_test_find_label (GTK_WIDGET (fixture->page), error));
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "_Retry"));
  g_assert_false (tb_audit_page_get_running (fixture->page));
}

static gboolean
on_principals_page (Fixture *fixture)
{
  return g_strcmp0 (tb_window_get_visible_page (fixture->window), "service-principals") == 0;
}

static gboolean
timeline_read (Fixture *fixture)
{
  GtkWidget *window = tb_audit_page_get_timeline_window (fixture->page);

  return window != NULL && !tb_audit_timeline_get_busy (TB_AUDIT_TIMELINE (window));
}

/* Enter on a row: the row takes the focus, and the key activates the list item around it,
 * which asks the list view to activate that position. */
static void
activate_row (GtkWidget *row)
{
  g_assert_true (TB_IS_AUDIT_ROW (row));
  g_assert_true (gtk_widget_grab_focus (row));
  g_assert_true (gtk_widget_has_focus (row));
  g_assert_true (gtk_widget_activate (gtk_widget_get_parent (row)));
}

static void
test_open_and_export (Fixture       *fixture,
                      gconstpointer  data)
{
  TbAuditFinding *spo;
  TbAuditFinding *graph_key;
  g_autofree char *dir = g_dir_make_tmp ("test-ui-audit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "audit.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gint64 deadline;

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  spo = find_finding (fixture, SPO, TB_AUDIT_KIND_KEY, NULL);
  graph_key = find_finding (fixture, GRAPH, TB_AUDIT_KIND_KEY, NULL);

  /* Microsoft Graph is not one of the profile's principals: its row opens its timeline in a
   * window of its own, read by appId with its keys. */
  activate_row (tb_audit_page_get_row (fixture->page, graph_key));
  g_assert_true (TB_IS_AUDIT_TIMELINE (tb_audit_page_get_timeline_window (fixture->page)));
  wait_until (timeline_read, fixture);
  {
    TbAuditTimeline *timeline = TB_AUDIT_TIMELINE (tb_audit_page_get_timeline_window (
                                                     fixture->page));
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, GRAPH);

    g_assert_null (tb_audit_timeline_get_error (timeline));
    g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_audit_timeline_get_timeline (timeline)),
                      ==, json_array_get_length (json_object_get_array_member (sp,
                                                                               "keyCredentials")));
    g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_audit_timeline_get_timeline (timeline)),
                      >, 0);
    g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "audit");
    gtk_window_destroy (GTK_WINDOW (timeline));
  }
  activate_row (tb_audit_page_get_row (fixture->page, spo));
  wait_until (on_principals_page, fixture);
  g_assert_cmpstr (tb_principals_page_get_selected (tb_window_get_principals_page (fixture->window)),
                   ==, SPO);

  tb_audit_page_export (fixture->page, file, TRUE);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  /* Written asynchronously (a new file is written in place): wait for the whole of it. */
  for (;;)
    {
      g_clear_pointer (&contents, g_free);
      if (g_file_get_contents (path, &contents, NULL, NULL))
        {
          g_auto(GStrv) lines = g_strsplit (contents, "\r\n", -1);

          if (g_strv_length (lines) >= 12)
            break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (g_str_has_prefix (contents, "app_id,object_id,display_name,kind,key_id,"
                                             "credential_name,sha1,start,end,status,origin\r\n"));
  /* Header and ten rows, unexplained ones first. */
  {
    g_auto(GStrv) lines = g_strsplit (contents, "\r\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 12);
    g_assert_true (g_str_has_suffix (lines[1], ",unexplained"));
  }
  /* Let the write's completion reach the page before the window goes. */
  tb_test_iterate_for (500);
  g_remove (path);
  g_rmdir (dir);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        (g_str_has_prefix (adw_message_dialog_get_heading (l->data), "Allow Changes") ||
         g_str_has_prefix (adw_message_dialog_get_heading (l->data), "Remove Credential")))
      return l->data;
  return NULL;
}

static guint
sim_key_count (TbSim      *sim,
               const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (sim, app_id);

  return json_array_get_length (json_object_get_array_member (sp, "keyCredentials"));
}

/* An expired credential goes through the Service Principals page's own removal: write access
 * asked for, a confirmation naming it, the write, the read back. */
static void
test_remove_expired (Fixture       *fixture,
                     gconstpointer  data)
{
  TbAuditFinding *expired;
  TbAuditFinding *graph_key;
  GtkWidget *remove;
  gint64 deadline;
  guint before_spo = sim_key_count (fixture->sim, SPO);

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  wait_until (scan_done, fixture);
  expired = find_finding (fixture, VOICEMAIL, TB_AUDIT_KIND_KEY, NULL);
  graph_key = find_finding (fixture, GRAPH, TB_AUDIT_KIND_KEY, NULL);
  g_assert_cmpint (tb_audit_finding_get_status (expired), ==, TB_CERTIFICATE_STATUS_EXPIRED);
  /* Only expired credentials are offered for removal. */
  g_assert_null (find_button (tb_audit_page_get_row (fixture->page, graph_key), "_Remove…"));
  remove = find_button (tb_audit_page_get_row (fixture->page, expired), "_Remove…");
  g_assert_nonnull (remove);
  g_assert_true (gtk_widget_is_sensitive (remove));
  /* Nor for principals the Service Principals page does not show. */
  {
    g_autoptr(GtkWidget) other = g_object_ref_sink (tb_audit_row_new ());

    tb_audit_row_bind (TB_AUDIT_ROW (other), expired, FALSE, TRUE);
    g_assert_null (find_button (other, "_Remove…"));
    g_assert_false (gtk_widget_get_sensitive (tb_test_find_button (other, "_Remove…")));
  }
  g_assert_cmpuint (sim_key_count (fixture->sim, VOICEMAIL), ==, 1);

  g_signal_emit_by_name (remove, "clicked");
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "service-principals");
  g_assert_cmpstr (tb_principals_page_get_selected (tb_window_get_principals_page (fixture->window)),
                   ==, VOICEMAIL);

  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sim_key_count (fixture->sim, VOICEMAIL) > 0)
    {
      AdwMessageDialog *dialog = find_dialog ();

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (dialog != NULL)
        {
          if (g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Allow Changes"))
            adw_message_dialog_response (dialog, "sign-in");
          else
            {
              g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                                        tb_audit_finding_get_key_id (expired)));
              adw_message_dialog_response (dialog, "confirm");
            }
          gtk_window_destroy (GTK_WINDOW (dialog));
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  wait_until (signed_in, fixture);
  /* Nothing else changed. */
  g_assert_cmpuint (sim_key_count (fixture->sim, SPO), ==, before_spo);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Scan Tenant"), "clicked");
  g_assert_true (tb_audit_page_get_running (fixture->page));
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "_Cancel Scan"), "clicked");
  wait_until (scan_done, fixture);
  g_assert_nonnull (strstr (tb_audit_page_get_progress_text (fixture->page), "cancelled"));
  /* An incomplete list is not offered for export. */
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "_Cancel Scan"));
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (fixture->page),
                                                         "Export _CSV…")));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define UI_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  UI_TEST ("/ui/audit/scan", test_scan);
  UI_TEST ("/ui/audit/filter", test_filter);
  UI_TEST ("/ui/audit/known", test_known);
  UI_TEST ("/ui/audit/open-and-export", test_open_and_export);
  UI_TEST ("/ui/audit/remove-expired", test_remove_expired);
  UI_TEST ("/ui/audit/cancel", test_cancel);
  UI_TEST ("/ui/audit/scan-error-retry", test_scan_error_retry);
  UI_TEST ("/ui/audit/export-error", test_export_error);

  return g_test_run ();
}
