/* test-ui-window.c: the window an admin can trust — guarded writes, failures that are said,
 * keyboard use — driven against the in-process simulator, as --demo runs it
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <adwaita.h>

#include "tb-account-button-private.h"
#include "tb-certificate.h"
#include "tb-certificates-page.h"
#include "tb-context.h"
#include "tb-credential-timeline-private.h"
#include "tb-device-code-dialog.h"
#include "tb-establish-trust-dialog-private.h"
#include "tb-format.h"
#include "tb-plan.h"
#include "tb-step.h"
#include "tb-guards.h"
#include "tb-overview-page.h"
#include "tb-pool-page-private.h"
#include "tb-pool-state.h"
#include "tb-principals-page-private.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-sim-private.h"
#include "tb-tenant-page-private.h"
#include "tb-ui-util.h"
#include "tb-test-certs.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

#define DAY ((gint64) 24 * 60 * 60)

typedef TbTestDemoWindow Fixture;

/* Waits in this file give up after 30 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 30)

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, text);
}

/* What the window shows, toasts included (they are widgets under the window's overlay). */
static char *
window_text (Fixture *fixture)
{
  GString *text = g_string_new (NULL);

  collect_labels (GTK_WIDGET (fixture->window), text);
  return g_string_free (text, FALSE);
}

static gboolean
window_shows (Fixture    *fixture,
              const char *needle)
{
  g_autofree char *text = window_text (fixture);

  return strstr (text, needle) != NULL;
}

static const char *wanted_text;

static gboolean
shows_wanted_text (Fixture *fixture)
{
  return window_shows (fixture, wanted_text);
}

/* Toasts queue: a second one appears when the first times out. */
static void
wait_for_text (Fixture    *fixture,
               const char *text)
{
  wanted_text = text;
  wait_until (shows_wanted_text, fixture);
}

static TbCertificate *
load_certificate (Fixture *fixture,
                  gint64   not_before,
                  gint64   not_after,
                  guint    rsa_bits)
{
  g_autoptr(TbCertificate) cert = tb_test_cert_new_oauth (not_before, not_after, rsa_bits);
  TbCertificatesPage *certificates = tb_window_get_certificates_page (fixture->window);

  return tb_certificates_page_add_certificate (certificates, cert);
}

static gboolean
is_remove_spn_button (GtkWidget     *widget,
                      gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "detail.remove-spn") == 0;
}

/* The SPNs below @widget that offer a remove button: each carries its name as the target of
 * detail.remove-spn. */
static GPtrArray *
spns_offered_for_removal (GtkWidget *widget)
{
  g_autoptr(GPtrArray) buttons = tb_test_collect_widgets (widget, is_remove_spn_button, NULL);
  GPtrArray *spns = g_ptr_array_new ();

  for (guint i = 0; i < buttons->len; i++)
    g_ptr_array_add (spns, (gpointer) g_variant_get_string (
      gtk_actionable_get_action_target_value (g_ptr_array_index (buttons, i)), NULL));
  return spns;
}

/* Opens @button's menu, which is not built yet, twice: it shows @item and @other_item, and
 * is the same popover the second time, not one built anew. */
static void
assert_menu_built_on_first_opening (GtkMenuButton *button,
                                    const char    *item,
                                    const char    *other_item)
{
  GtkPopover *popover;
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_null (gtk_menu_button_get_popover (button));
  gtk_menu_button_popup (button);
  tb_test_iterate_pending ();
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  collect_labels (GTK_WIDGET (popover), text);
  g_assert_nonnull (strstr (text->str, item));
  g_assert_nonnull (strstr (text->str, other_item));
  gtk_menu_button_popdown (button);
  tb_test_iterate_pending ();

  gtk_menu_button_popup (button);
  tb_test_iterate_pending ();
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_menu_button_popdown (button);
}

/* The main menu opens from its button (F10 opens it the same way) with the app's commands;
 * its popover is built then, not with the window, and only then. */
static void
test_main_menu (Fixture       *fixture,
                gconstpointer  data)
{
  GtkMenuButton *button = fixture->window->primary_menu_button;

  g_assert_true (gtk_menu_button_get_primary (button));
  assert_menu_built_on_first_opening (button, "Preferences", "About Trust Bridge");
}

/* Signed out, the Sign In button's dropdown offers the other ways to sign in. It can be
 * opened from the first frame on (it is not greyed out), and its popover is built when it
 * first opens, once. */
static void
test_sign_in_menu (Fixture       *fixture,
                   gconstpointer  data)
{
  TbAccountButton *account = tb_window_get_account_button (fixture->window);
  g_autoptr(GPtrArray) dropdowns = tb_test_collect_widgets (
    GTK_WIDGET (account), tb_test_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  GtkMenuButton *dropdown;

  g_assert_cmpuint (dropdowns->len, ==, 1);
  dropdown = g_ptr_array_index (dropdowns, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dropdown)));
  g_assert_true (gtk_widget_is_sensitive (gtk_widget_get_first_child (GTK_WIDGET (dropdown))));
  assert_menu_built_on_first_opening (dropdown, "Sign In with a Code…",
                                      "Sign In with the Browser…");
}

/* Signing out, and asking for a write before signing in, are said where the admin looks. */
static void
test_toasts (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);
  g_assert_false (window_shows (fixture, "Sign in first"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.add-certificate-to-principals", NULL));
  tb_test_iterate_pending ();
  g_assert_true (window_shows (fixture, "Sign in first"));

  tb_test_window_sign_in (fixture->window, fixture->context);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL));
  wait_for_text (fixture, "Signed out");
}

/* Microsoft's names have no remove button; the admin's own name has one. */
static void
test_spn_guard (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, SKYPE);
  JsonArray *names = json_object_get_array_member (sp, "servicePrincipalNames");
  g_autoptr(GPtrArray) offered = NULL;
  guint n_microsoft = 0;

  /* The demo tenant holds one the admin added: its pool's first external web services FQDN. */
  for (guint i = 0; i < json_array_get_length (names); i++)
    if (tb_spn_is_microsoft_managed (SKYPE, json_array_get_string_element (names, i)))
      n_microsoft++;
  g_assert_cmpuint (n_microsoft, >=, 3);
  tb_sim_put_service_principal (fixture->sim, sp);

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  offered = spns_offered_for_removal (GTK_WIDGET (fixture->page));
  g_assert_cmpuint (offered->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (offered, 0), ==, SKYPE "/webext.contoso.com");
  g_assert_true (window_shows (fixture, "Managed by Microsoft"));
}

static guint
sim_key_count (Fixture *fixture)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, SKYPE);

  return json_array_get_length (json_object_get_array_member (sp, "keyCredentials"));
}

static gboolean
detail_laid_out (Fixture *fixture)
{
  GtkWidget *timeline = GTK_WIDGET (tb_principals_page_get_timeline (fixture->page));
  GtkWidget *scroller = timeline != NULL ? gtk_widget_get_ancestor (timeline, GTK_TYPE_SCROLLED_WINDOW)
                                         : NULL;
  GtkAdjustment *adjustment;

  if (scroller == NULL)
    return FALSE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_page_size (adjustment) > 0;
}

/* Switching principal shows the new one's details from their top. */
static void
test_principal_scroll_reset (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *scroller;
  GtkAdjustment *adjustment;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 600);
  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  tb_principals_page_select (fixture->page, SKYPE);
  wait_until (detail_laid_out, fixture);
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (tb_principals_page_get_timeline (fixture->page)),
                                      GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  tb_test_iterate_pending ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);

  tb_principals_page_select (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  tb_test_iterate_pending ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
}

/* The names beside the timeline's bars tell credentials apart: the demo's principal holds two
 * certificates of the same subject, which read the same when cut ("CN=oau… so.com"). */
static void
test_timeline_labels (Fixture       *fixture,
                      gconstpointer  data)
{
  TbCredentialTimeline *timeline;
  guint n;

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  tb_principals_page_select (fixture->page, SKYPE);
  tb_test_iterate_pending ();
  timeline = tb_principals_page_get_timeline (fixture->page);
  n = tb_credential_timeline_get_n_bars (timeline);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    {
      const char *label = tb_credential_timeline_get_bar_label (timeline, i);

      g_assert_false (g_str_has_prefix (label, "CN="));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (label, !=, tb_credential_timeline_get_bar_label (timeline, j));
    }
}

/* Expired and weak certificates are refused before anything is asked or written; one not
 * valid yet is previewed with a warning. The list badge of a weak one says why. */
static void
test_upload_guard (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint writes;
  guint keys;
  TbCertificate *cert;
  AdwMessageDialog *dialog;

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  writes = tb_sim_get_write_count (fixture->sim);
  keys = sim_key_count (fixture);

  cert = load_certificate (fixture, now - 400 * DAY, now - DAY, 2048);
  tb_principals_page_add_certificate (fixture->page, cert);
  dialog = tb_test_wait_for_dialog ("Certificate Not Added");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "expired"));
  g_assert_null (tb_test_find_dialog ("Allow Changes"));
  tb_test_respond (dialog, "close");

  cert = load_certificate (fixture, now - DAY, now + 700 * DAY, 1024);
  g_assert_true (window_shows (fixture, "Key too short"));
  tb_principals_page_add_certificate (fixture->page, cert);
  dialog = tb_test_wait_for_dialog ("Certificate Not Added");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1024-bit"));
  tb_test_respond (dialog, "close");
  g_assert_cmpuint (tb_sim_get_write_count (fixture->sim), ==, writes);
  g_assert_cmpuint (sim_key_count (fixture), ==, keys);

  cert = load_certificate (fixture, now + 5 * DAY, now + 700 * DAY, 2048);
  tb_principals_page_add_certificate (fixture->page, cert);
  tb_test_grant_write_access (fixture->context);
  dialog = tb_test_wait_for_dialog ("Add Certificate to");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "not valid until"));
  tb_test_respond (dialog, "cancel");
  g_assert_cmpuint (sim_key_count (fixture), ==, keys);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  data)
{
  const char *needle = data;

  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL;
}

static GtkWidget *
find_label_with (GtkWidget  *widget,
                 const char *needle)
{
  return tb_test_find_widget (widget, is_label_with, needle);
}

static gboolean
is_button_prefixed (GtkWidget     *widget,
                    gconstpointer  data)
{
  const char *label = data;

  return GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
         g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (widget)), label);
}

static GtkWidget *
find_button_prefixed (GtkWidget  *widget,
                      const char *label)
{
  return tb_test_find_widget (widget, is_button_prefixed, label);
}

static gboolean hyphens_off (GtkWidget *label);
static GtkWidget *preview_dialog;

static gboolean
preview_laid_out (Fixture *fixture)
{
  return gtk_widget_get_mapped (preview_dialog) && gtk_widget_get_width (preview_dialog) > 0;
}

/* A preview of a write has room: wider than libadwaita's 372 px for a sentence, and with
 * two dozen credentials kept, the buttons still inside the dialog and the dialog no taller
 * than the window. */
static void
test_preview_room (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, SKYPE);
  JsonArray *keys = json_object_get_array_member (sp, "keyCredentials");
  JsonObject *first = json_array_get_object_element (keys, 0);
  AdwMessageDialog *dialog;
  TbCertificate *cert;
  GtkWidget *body;
  GtkWidget *button;
  graphene_rect_t bounds;

  for (guint i = 0; i < 22; i++)
    {
      JsonObject *credential = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (first);
      g_autofree char *key_id = g_strdup_printf ("0000%04u-1111-2222-3333-444455556666", i);
      g_autofree char *name = g_strdup_printf ("CN=extra%u.contoso.com", i);

      for (GList *m = members; m != NULL; m = m->next)
        json_object_set_member (credential, m->data,
                                json_node_copy (json_object_get_member (first, m->data)));
      json_object_set_string_member (credential, "keyId", key_id);
      json_object_set_string_member (credential, "displayName", name);
      json_array_add_object_element (keys, credential);
    }
  tb_sim_put_service_principal (fixture->sim, sp);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 900);
  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  cert = load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);
  tb_principals_page_add_certificate (fixture->page, cert);
  tb_test_grant_write_access (fixture->context);
  dialog = tb_test_wait_for_dialog ("Add Certificate to");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Kept unchanged: 24"));
  preview_dialog = GTK_WIDGET (dialog);
  wait_until (preview_laid_out, fixture);

  /* Wide, and what wraps gains no hyphens. */
  body = find_label_with (GTK_WIDGET (dialog), "Kept unchanged");
  g_assert_nonnull (body);
  g_assert_true (hyphens_off (body));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), >=, 560);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=,
                   gtk_widget_get_width (GTK_WIDGET (fixture->window)));

  /* Both buttons inside the dialog, the dialog inside the window's height. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), <=,
                   gtk_widget_get_height (GTK_WIDGET (fixture->window)));
  for (guint i = 0; i < 2; i++)
    {
      button = find_button_prefixed (GTK_WIDGET (dialog), i == 0 ? "_Cancel" : "_Add Certificate to");
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (dialog), &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (GTK_WIDGET (dialog)));
    }
  tb_test_respond (dialog, "cancel");
}

/* A lookup that could not reach the service says so, and offers to try again. */
static void
test_tenant_network_failure (Fixture       *fixture,
                             gconstpointer  data)
{
  TbTenantPage *page = tb_window_get_tenant_page (fixture->window);
  g_autofree char *text = NULL;

  tb_window_show_page (fixture->window, "tenant");
  wait_until (tb_test_tenant_idle, fixture->window);
  tb_sim_stop (fixture->sim);
  tb_tenant_page_look_up (page, "contoso.com");
  wait_until (tb_test_tenant_idle, fixture->window);
  text = tb_tenant_page_dup_text (page);
  g_assert_nonnull (strstr (text, "Lookup Failed"));
  g_assert_null (strstr (text, "Not Found"));
  g_assert_null (strstr (text, "spelling"));
  g_assert_nonnull (strstr (text, "Retry"));
}

/* In the demo the metadata URL shown is the one the pool is given (Microsoft's ACS), as the
 * pool checks want it; the simulator's loopback copy is named only as where it was read. */
static void
test_tenant_pool_metadata_url (Fixture       *fixture,
                               gconstpointer  data)
{
  TbTenantPage *page = tb_window_get_tenant_page (fixture->window);
  g_autofree char *text = NULL;
  const char *shown;
  const char *read_from;

  tb_window_show_page (fixture->window, "tenant");
  wait_until (tb_test_tenant_idle, fixture->window);
  tb_tenant_page_look_up (page, "contoso.com");
  wait_until (tb_test_tenant_idle, fixture->window);
  text = tb_tenant_page_dup_text (page);
  shown = strstr (text, "Metadata URL\nhttps://accounts.accesscontrol.windows.net/");
  g_assert_nonnull (shown);
  g_assert_nonnull (strstr (shown, "/metadata/json/1"));
  read_from = strstr (text, "Document Read From\nhttp://127.0.0.1:");
  g_assert_nonnull (read_from);
  g_assert_null (strstr (text, "Metadata URL\nhttp://127.0.0.1"));
}

/* A certificate that arrives after a refused file clears the old error. */
static void
test_error_strip_clears (Fixture       *fixture,
                         gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TbCertificatesPage *certificates = tb_window_get_certificates_page (fixture->window);
  g_autofree char *path = tb_test_write_file ("notes.cer", "hello", 5);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  tb_window_show_page (fixture->window, "certificates");
  tb_certificates_page_load_files (certificates, &file, 1);
  while (tb_certificates_page_get_loading (certificates))
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  tb_test_iterate_pending ();
  g_assert_true (window_shows (fixture, "notes.cer"));

  load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);
  tb_test_iterate_pending ();
  g_assert_false (window_shows (fixture, "notes.cer"));
}

static TbEstablishTrustDialog *trust_dialog;

static char *
dialog_text (GtkWidget *dialog)
{
  GString *text = g_string_new (NULL);

  collect_labels (dialog, text);
  return g_string_free (text, FALSE);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
plan_uploads_to (TbPlan     *plan,
                 const char *app_id)
{
  GPtrArray *steps = tb_plan_get_steps (plan);

  for (guint i = 0; i < steps->len; i++)
    {
      TbPrincipalEdit *edit = tb_step_get_edit (g_ptr_array_index (steps, i));

      if (tb_principal_edit_get_kind (edit) == TB_PRINCIPAL_EDIT_ADD_CERTIFICATE &&
          g_str_equal (tb_principal_edit_get_app_id (edit), app_id))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_expander (GtkWidget     *widget,
             gconstpointer  data)
{
  return ADW_IS_EXPANDER_ROW (widget);
}

static GtkWidget *
find_expander (GtkWidget *widget)
{
  return tb_test_find_widget (widget, is_expander, NULL);
}

static gboolean
names_action (GtkWidget     *widget,
              gconstpointer  action_name)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

/* Whether the dialog's button for @action_name can be pressed. */
static gboolean
trust_button_enabled (const char *action_name)
{
  GtkWidget *button = tb_test_find_widget (GTK_WIDGET (trust_dialog), names_action, action_name);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* The upload to Exchange Online is opt-in, its notice shown once; the pool's certificate is
 * the default, with a warning when the chosen one differs, and either can be chosen while
 * nothing is read or written; expired ones cannot be planned; Escape closes the dialog. */
static void
test_establish_trust_guards (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TbCertificate *chosen;
  TbCertificate *pool;
  TbCertificate *expired;
  g_autofree char *text = NULL;
  GtkWidget *expander;

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  chosen = load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);

  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  tb_establish_trust_dialog_set_fqdns (trust_dialog, "webext.contoso.com");
  g_assert_true (trust_button_enabled ("trust.show-plan"));
  g_assert_false (trust_button_enabled ("trust.apply"));
  g_signal_emit_by_name (tb_test_find_button (GTK_WIDGET (trust_dialog), "_Show Plan"), "clicked");
  /* Reading the tenant: nothing else starts meanwhile. */
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLANNING);
  g_assert_false (trust_button_enabled ("trust.show-plan"));
  g_assert_false (trust_button_enabled ("trust.apply"));
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLAN);
  g_assert_true (trust_button_enabled ("trust.show-plan"));
  g_assert_true (trust_button_enabled ("trust.apply"));
  g_assert_true (plan_uploads_to (tb_establish_trust_dialog_get_plan (trust_dialog), SKYPE));
  g_assert_false (plan_uploads_to (tb_establish_trust_dialog_get_plan (trust_dialog),
                                   TB_APP_ID_EXCHANGE_ONLINE));
  text = dialog_text (GTK_WIDGET (trust_dialog));
  g_assert_cmpuint (count_occurrences (text, "31 October 2025"), ==, 1);
  g_assert_nonnull (strstr (text, "What it still serves"));
  g_clear_pointer (&text, g_free);

  /* Opting in plans the upload again, against the tenant as it is now. */
  expander = find_expander (GTK_WIDGET (trust_dialog));
  g_assert_nonnull (expander);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander), TRUE);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_true (plan_uploads_to (tb_establish_trust_dialog_get_plan (trust_dialog),
                                  TB_APP_ID_EXCHANGE_ONLINE));
  text = dialog_text (GTK_WIDGET (trust_dialog));
  g_assert_cmpuint (count_occurrences (text, "31 October 2025"), ==, 1);
  g_clear_pointer (&text, g_free);

  /* The pool's certificate wins, and the difference is said plainly. */
  pool = load_certificate (fixture, now - DAY, now + 800 * DAY, 2048);
  tb_establish_trust_dialog_set_pool_certificate (trust_dialog, pool);
  g_assert_true (tb_establish_trust_dialog_get_certificate (trust_dialog) == pool);
  text = dialog_text (GTK_WIDGET (trust_dialog));
  g_assert_nonnull (strstr (text, "Not the Pool’s Certificate"));
  g_assert_nonnull (strstr (text, tb_certificate_get_sha1 (chosen)));
  g_clear_pointer (&text, g_free);

  /* The selected one can be chosen back, but not while the tenant is read for a plan. */
  g_assert_true (trust_button_enabled ("trust.use-selected-certificate"));
  tb_establish_trust_dialog_show_plan (trust_dialog);
  g_assert_false (trust_button_enabled ("trust.use-selected-certificate"));
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_true (trust_button_enabled ("trust.use-selected-certificate"));
  tb_test_click (GTK_WIDGET (trust_dialog), "Use the _Selected Certificate");
  g_assert_true (tb_establish_trust_dialog_get_certificate (trust_dialog) == chosen);
  /* The plan was for the other one. */
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_INPUT);
  g_assert_false (trust_button_enabled ("trust.apply"));
  tb_test_click (GTK_WIDGET (trust_dialog), "Use the _Pool’s Certificate");
  g_assert_true (tb_establish_trust_dialog_get_certificate (trust_dialog) == pool);

  /* Escape closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (trust_dialog), "window.close", NULL));
  tb_test_iterate_pending ();

  /* An expired certificate cannot be planned, and the button says why. */
  expired = load_certificate (fixture, now - 400 * DAY, now - DAY, 2048);
  g_assert_nonnull (expired);
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  text = dialog_text (GTK_WIDGET (trust_dialog));
  g_assert_nonnull (strstr (text, "Cannot Show the Plan Yet"));
  g_assert_nonnull (strstr (text, "expired"));
  g_assert_false (trust_button_enabled ("trust.show-plan"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (
                      tb_test_find_button (GTK_WIDGET (trust_dialog), "_Show Plan")), "expired"));
  tb_establish_trust_dialog_show_plan (trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_INPUT);
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();
}

static gboolean
pool_idle (Fixture *fixture)
{
  return !tb_pool_page_get_loading (tb_window_get_pool_page (fixture->window));
}

/* The pool's certificate row gives each time once: its end is in the check's sentence, so the
 * validity line below it adds only the start. */
static void
test_pool_time_once (Fixture       *fixture,
                     gconstpointer  data)
{
  TbPoolPage *pool = tb_window_get_pool_page (fixture->window);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                 "pool-state-misconfigured.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *row;
  TbCertificate *certificate;
  const TbPoolCertificate *record = NULL;
  g_autofree char *until = NULL;
  g_autofree char *from = NULL;
  const char *subtitle;

  tb_window_show_page (fixture->window, "pool");
  tb_pool_page_load_file (pool, file);
  wait_until (pool_idle, fixture);
  g_assert_null (tb_pool_page_get_error (pool));
  g_assert_cmpint (tb_pool_state_get_oauth_certificate (tb_pool_page_get_pool_state (pool),
                                                        &record), ==, TB_POOL_PRESENT);
  certificate = record->certificate;
  g_assert_nonnull (certificate);
  until = tb_format_local (tb_certificate_get_not_after (certificate));
  from = tb_format_local (tb_certificate_get_not_before (certificate));

  row = tb_pool_page_get_row (pool, TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE);
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_cmpuint (count_occurrences (subtitle, until), ==, 1);
  g_assert_cmpuint (count_occurrences (subtitle, from), ==, 1);
}

/* A pool file with the wrong content: the error is said in words an admin can use, without
 * the program's internal error names, and no Retry that could only fail the same way. */
static void
test_pool_file_error (Fixture       *fixture,
                      gconstpointer  data)
{
  TbPoolPage *pool = tb_window_get_pool_page (fixture->window);
  g_autofree char *path = tb_test_write_file ("trust-bridge-state.json", "{\"schema\": [1", 14);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;

  tb_window_show_page (fixture->window, "pool");
  tb_pool_page_load_file (pool, file);
  wait_until (pool_idle, fixture);
  g_assert_nonnull (tb_pool_page_get_error (pool));
  text = window_text (fixture);
  g_assert_nonnull (strstr (text, "is not a pool state"));
  g_assert_null (strstr (text, "Error"  "Quark"));
  g_assert_null (strstr (text, "-error-quark"));
  g_assert_null (tb_test_find_button (GTK_WIDGET (pool), "_Retry"));
}

/* Browser sign-in on a machine without a browser: the link to open, never GTK's raw error. */
static void
test_browser_fallback (Fixture       *fixture,
                       gconstpointer  data)
{
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in-browser",
                                             NULL));
  dialog = tb_test_wait_for_dialog ("Open the Sign-In Link");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), tb_sim_get_login_base (fixture->sim)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "code_challenge"));
  tb_test_respond (dialog, "close");
  g_assert_false (tb_auth_get_signed_in (tb_context_get_auth (fixture->context)));

  /* Give up the sign-in that still waits for a browser, and let it wind down. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL));
  tb_test_iterate_for (500);
}

/* Sign In with the service unreachable: visibly under way at once, then a failure said. */
static void
test_sign_in_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  TbAccountButton *account = tb_window_get_account_button (fixture->window);

  tb_sim_stop (fixture->sim);
  g_assert_cmpstr (tb_account_button_get_label (account), ==, "Sign In");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  g_assert_cmpstr (tb_account_button_get_label (account), ==, "Signing In…");
  wait_for_text (fixture, "Sign-in failed");
  g_assert_cmpstr (tb_account_button_get_label (account), ==, "Sign In");
}

static void
collect_actions (GtkWidget *widget,
                 GPtrArray *actions)
{
  /* The title bar's close button is the window manager's business (Ctrl+Q closes). */
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget) ||
      GTK_IS_WINDOW_CONTROLS (widget))
    return;
  if ((GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TEXT (widget) ||
       GTK_IS_CHECK_BUTTON (widget)) && gtk_widget_get_focusable (widget))
    {
      g_ptr_array_add (actions, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_actions (c, actions);
}

static const char *
describe (GtkWidget *widget)
{
  const char *text = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  if (text == NULL)
    text = gtk_widget_get_tooltip_text (widget);
  return text != NULL ? text : G_OBJECT_TYPE_NAME (widget);
}

/* Tab from the start of the window reaches every control on the page shown, never gets stuck,
 * and never changes the page. */
static GtkEventController *named_controller (GtkWidget *widget, const char *name);
static GtkWidget *find_sidebar (GtkWidget *widget);

static void
check_tab_order (Fixture    *fixture,
                 const char *page)
{
  GtkRoot *root = GTK_ROOT (fixture->window);
  GtkWidget *sidebar = find_sidebar (GTK_WIDGET (fixture->window));
  guint sidebar_stops = 0;
  g_autoptr(GPtrArray) actions = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *last = NULL;
  GtkWidget *first = NULL;
  guint stuck = 0;
  guint wraps = 0;

  tb_window_show_page (fixture->window, page);
  tb_test_iterate_pending ();
  gtk_root_set_focus (root, NULL);
  for (guint i = 0; i < 800 && wraps < 2; i++)
    {
      GtkWidget *focus = gtk_root_get_focus (root);
      gboolean handled = FALSE;

      /* A Tab key press reaches the sidebar's capture-phase key handler before the window
       * moves focus: do what the event would. */
      if (focus != NULL && gtk_widget_is_ancestor (focus, sidebar))
        {
          g_signal_emit_by_name (named_controller (sidebar, "tb-sidebar-keys"), "key-pressed",
                                 GDK_KEY_Tab, 0, 0, &handled);
          g_assert_true (handled);
        }
      else if (!gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD))
        {
          /* What GtkWindow does at the end of the chain: start again. */
          gtk_root_set_focus (root, NULL);
          wraps++;
          continue;
        }
      tb_test_iterate_pending ();
      focus = gtk_root_get_focus (root);
      g_assert_nonnull (focus);
      stuck = focus == last ? stuck + 1 : 0;
      g_assert_cmpuint (stuck, <, 2);
      last = focus;
      /* GtkWindow starts again at the end of the chain: back at the first stop is a round. */
      if (first == NULL)
        first = focus;
      else if (focus == first)
        wraps++;
      if (gtk_widget_is_ancestor (focus, sidebar))
        sidebar_stops++;
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        g_hash_table_add (reached, w);
      g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, page);
    }
  g_assert_cmpuint (wraps, >=, 1);
  /* One stop per round through the window. */
  g_assert_cmpuint (sidebar_stops, <=, wraps + 1);

  collect_actions (GTK_WIDGET (fixture->window), actions);
  g_assert_cmpuint (actions->len, >, 0);
  for (guint i = 0; i < actions->len; i++)
    {
      GtkWidget *action = g_ptr_array_index (actions, i);

      if (!g_hash_table_contains (reached, action))
        {
          GString *path = g_string_new (NULL);

          for (GtkWidget *w = action; w != NULL; w = gtk_widget_get_parent (w))
            g_string_append_printf (path, " < %s", G_OBJECT_TYPE_NAME (w));
          g_error ("On the %s page, Tab never reaches %s (%s)", page, describe (action), path->str);
        }
    }
}

/* @widget's event controller called @name (the sidebar's keys, the window's Alt+number
 * shortcuts), or NULL. */
static GtkEventController *
named_controller (GtkWidget  *widget,
                  const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;
    }
  return NULL;
}

static gboolean
is_sidebar (GtkWidget     *widget,
            gconstpointer  data)
{
  GtkListBoxRow *first;

  /* The window's page list: its first row is the Overview. */
  if (!GTK_IS_LIST_BOX (widget))
    return FALSE;
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), 0);
  return first != NULL && g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (first)), "overview") == 0;
}

static GtkWidget *
find_sidebar (GtkWidget *widget)
{
  return tb_test_find_widget (widget, is_sidebar, NULL);
}

/* Every page, signed in with a certificate loaded (the most controls): Tab reaches them all.
 * The sidebar is one stop: Tab leaves it without switching pages; each row has a name. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const pages[] = {
    "overview", "tenant", "pool", "service-principals", "audit", "certificates",
  };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *sidebar = find_sidebar (GTK_WIDGET (fixture->window));
  GtkEventController *keys;
  GListModel *shortcuts;
  gboolean handled = FALSE;
  GtkListBoxRow *row;

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    check_tab_order (fixture, pages[i]);

  /* Alt+1…6 go to the pages in sidebar order, through win.show-page with the page's name. */
  shortcuts = G_LIST_MODEL (named_controller (GTK_WIDGET (fixture->window),
                                              "tb-page-shortcuts"));
  g_assert_nonnull (shortcuts);
  g_assert_cmpuint (g_list_model_get_n_items (shortcuts), ==, G_N_ELEMENTS (pages));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
      g_autofree char *accel = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
      g_autofree char *expected = g_strdup_printf ("<Alt>%u", i + 1);
      GVariant *target = gtk_shortcut_get_arguments (shortcut);

      g_assert_true (g_str_has_prefix (accel, expected));
      g_assert_cmpstr (gtk_named_action_get_action_name (
                         GTK_NAMED_ACTION (gtk_shortcut_get_action (shortcut))), ==,
                       "win.show-page");
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, pages[i]);
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window),
                                                         "win.show-page", target));
      g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, pages[i]);
    }

  g_assert_nonnull (sidebar);
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), (int) i)) != NULL; i++)
    g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, pages[i]);
  tb_window_show_page (fixture->window, "tenant");
  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (sidebar));
  gtk_widget_grab_focus (GTK_WIDGET (row));
  keys = named_controller (sidebar, "tb-sidebar-keys");
  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Tab, 0, 0, &handled);
  g_assert_true (handled);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), sidebar));
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "tenant");
}

static gboolean
is_monospace_label (GtkWidget     *widget,
                    gconstpointer  data)
{
  const char *text = data;

  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "monospace") &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_monospace_label (GtkWidget  *widget,
                      const char *text)
{
  return tb_test_find_widget (widget, is_monospace_label, text);
}

static gboolean
hyphens_off (GtkWidget *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (GTK_LABEL (label));
  GSList *list = attrs != NULL ? pango_attr_list_get_attributes (attrs) : NULL;
  gboolean off = FALSE;

  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *attr = l->data;

      if (attr->klass->type == PANGO_ATTR_INSERT_HYPHENS && !((PangoAttrInt *) attr)->value)
        off = TRUE;
    }
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);
  return off;
}

/* Subjects read as Windows and Entra show them, CN first; one name for opening a file. */
static void
test_exact_values (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .organization = "Contoso",
    .not_before = now - DAY,
    .not_after = now + 700 * DAY,
  };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (der, NULL);
  g_autofree char *text = NULL;

  /* Either DER order leads with the CN; an escaped comma stays inside its value. */
  {
    g_autofree char *usual = tb_format_dn_for_display ("CN=a,O=b,C=US");
    g_autofree char *reversed = tb_format_dn_for_display ("C=US,O=b,CN=a");
    g_autofree char *escaped = tb_format_dn_for_display ("O=Contoso\\, Ltd,CN=a");

    g_assert_cmpstr (usual, ==, "CN=a, O=b, C=US");
    g_assert_cmpstr (reversed, ==, "CN=a, O=b, C=US");
    g_assert_cmpstr (escaped, ==, "CN=a, O=Contoso\\, Ltd");
  }
  tb_window_show_page (fixture->window, "certificates");
  tb_certificates_page_add_certificate (tb_window_get_certificates_page (fixture->window), cert);
  tb_test_iterate_pending ();
  text = window_text (fixture);
  g_assert_nonnull (strstr (text, "CN=oauth.contoso.com, O=Contoso"));
  g_assert_null (strstr (text, "O=Contoso,CN="));
  /* A thumbprint that wraps does not gain hyphens. */
  {
    GtkWidget *sha1 = find_monospace_label (GTK_WIDGET (fixture->window), tb_certificate_get_sha1 (cert));

    g_assert_nonnull (sha1);
    g_assert_true (hyphens_off (sha1));
  }
  g_assert_nonnull (tb_test_find_button (GTK_WIDGET (fixture->window), "Open Certificate…"));
  g_assert_null (tb_test_find_button (GTK_WIDGET (fixture->window), "Add Certificate…"));
  g_assert_null (tb_test_find_button (GTK_WIDGET (fixture->window), "Choose File…"));
}

/* Buttons an admin sees that say @label: mapped, whatever kind (the header bar's account
 * button is a split button around one). */
static gboolean
is_shown_button_labelled (GtkWidget     *widget,
                          gconstpointer  label)
{
  /* Mapped only when every ancestor is. */
  return gtk_widget_get_mapped (widget) && GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static guint
count_shown_buttons (GtkWidget  *widget,
                     const char *label)
{
  g_autoptr(GPtrArray) shown = tb_test_collect_widgets (widget, is_shown_button_labelled, label);

  return shown->len;
}

/* The Overview says how to use its checklist and its one action says why it cannot run yet. */
static void
test_overview_guides (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *overview = GTK_WIDGET (tb_window_get_overview_page (fixture->window));
  GtkWidget *establish = tb_test_find_button (overview, "Establish Trust…");
  g_autofree char *text = NULL;

  tb_window_show_page (fixture->window, "overview");
  tb_test_iterate_pending ();
  g_assert_nonnull (establish);
  g_assert_false (gtk_widget_get_sensitive (establish));
  g_assert_true (window_shows (fixture, "Sign in to Microsoft 365 first"));
  text = window_text (fixture);
  g_assert_nonnull (strstr (text, "select a row to open the page that fixes it"));
  g_assert_nonnull (strstr (text, "Sign in and read the pool"));
  /* One Sign In: the header bar's. */
  g_assert_cmpuint (count_shown_buttons (GTK_WIDGET (fixture->window), "Sign In"), ==, 1);

  tb_test_window_sign_in (fixture->window, fixture->context);
  g_assert_false (gtk_widget_get_sensitive (establish));
  g_assert_true (window_shows (fixture, "Open the pool’s OAuth certificate first"));
  load_certificate (fixture, now - DAY, now + 700 * DAY, 2048);
  tb_test_iterate_pending ();
  g_assert_true (gtk_widget_get_sensitive (establish));
  g_assert_false (window_shows (fixture, "Open the pool’s OAuth certificate first"));
  g_assert_true (window_shows (fixture, "Establish the Trust"));
}

/* A first run without configuration offers the demo, which then takes over in place. */
static void
test_first_run_demo (void)
{
  TbContext *context = tb_context_new ();
  TbWindow *window = g_object_ref (tb_window_new (NULL, context));
  GtkWidget *overview = GTK_WIDGET (tb_window_get_overview_page (window));
  GtkWidget *button;

  gtk_window_present (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  button = tb_test_find_button (overview, "Try the _Demo Tenant");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (tb_context_get_demo (context));

  g_signal_emit_by_name (button, "clicked");
  tb_test_iterate_pending ();
  g_assert_true (tb_context_get_demo (context));
  g_assert_nonnull (tb_test_get_sim (context));
  g_assert_false (gtk_widget_get_visible (button));

  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (window);
  g_assert_finalize_object (context);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *empty = g_dir_make_tmp ("tb-test-xdg-XXXXXX", NULL);

  /* No web browser and no URI handlers: the browser sign-in must fall back, and a test must
   * never open the developer's browser. The MIME database stays (icons need it). */
  for (const char * const *dir = g_get_system_data_dirs (); *dir != NULL; dir++)
    {
      g_autofree char *mime = g_build_filename (*dir, "mime", NULL);
      g_autofree char *link = g_build_filename (empty, "mime", NULL);

      if (g_file_test (mime, G_FILE_TEST_IS_DIR))
        {
          g_assert_cmpint (symlink (mime, link), ==, 0);
          break;
        }
    }
  g_setenv ("XDG_DATA_HOME", empty, TRUE);
  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  g_setenv ("XDG_CONFIG_HOME", empty, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", empty, TRUE);
  g_unsetenv ("BROWSER");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, tb_test_demo_window_set_up, func, \
              tb_test_demo_window_tear_down)

  ADD ("/ui/window/toasts", test_toasts);
  ADD ("/ui/window/main-menu", test_main_menu);
  ADD ("/ui/window/sign-in-menu", test_sign_in_menu);
  ADD ("/ui/window/spn-guard", test_spn_guard);
  ADD ("/ui/window/upload-guard", test_upload_guard);
  ADD ("/ui/window/principal-scroll-reset", test_principal_scroll_reset);
  ADD ("/ui/window/timeline-labels", test_timeline_labels);
  ADD ("/ui/window/preview-room", test_preview_room);
  ADD ("/ui/window/tenant-network-failure", test_tenant_network_failure);
  ADD ("/ui/window/tenant-pool-metadata-url", test_tenant_pool_metadata_url);
  ADD ("/ui/window/error-strip-clears", test_error_strip_clears);
  ADD ("/ui/window/establish-trust-guards", test_establish_trust_guards);
  ADD ("/ui/window/pool-file-error", test_pool_file_error);
  ADD ("/ui/window/pool-time-once", test_pool_time_once);
  ADD ("/ui/window/browser-fallback", test_browser_fallback);
  ADD ("/ui/window/sign-in-failure", test_sign_in_failure);
  ADD ("/ui/window/keyboard", test_keyboard);
  ADD ("/ui/window/exact-values", test_exact_values);
  ADD ("/ui/window/overview-guides", test_overview_guides);
  g_test_add_func ("/ui/window/first-run-demo", test_first_run_demo);

  return g_test_run ();
}
