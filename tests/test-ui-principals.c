/* test-ui-principals.c: the Microsoft 365 side of the GUI, driven as a user would
 *
 * The widgets that need no service (the credential timeline, the device-code dialog, the
 * account button) are checked on their own; the Service Principals page is driven against the
 * simulator started in-process, as --demo does.
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-account-button-private.h"
#include "tb-certificate.h"
#include "tb-certificates-page.h"
#include "tb-context.h"
#include "tb-credential-timeline-private.h"
#include "tb-device-code-dialog-private.h"
#include "tb-establish-trust-dialog-private.h"
#include "tb-principals-page-private.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-sim-faults.h"
#include "tb-sim-private.h"
#include "tb-tenant-page-private.h"
#include "tb-test-certs.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"
#include "tb-ui-enums.h"

#define DAY ((gint64) 24 * 60 * 60)
#define SKYPE_SPN_PREFIX "00000004-0000-0ff1-ce00-000000000000/"

static char *
iso (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static TbKeyCredential *
make_credential (const char *key_id,
                 const char *display_name,
                 gint64      start,
                 gint64      end,
                 GBytes     *der)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *from = iso (start);
  g_autofree char *until = iso (end);
  TbKeyCredential *credential;

  json_object_set_string_member (object, "keyId", key_id);
  json_object_set_string_member (object, "type", "AsymmetricX509Cert");
  json_object_set_string_member (object, "usage", "Verify");
  if (display_name != NULL)
    json_object_set_string_member (object, "displayName", display_name);
  json_object_set_string_member (object, "startDateTime", from);
  json_object_set_string_member (object, "endDateTime", until);
  if (der != NULL)
    json_object_set_string_member (object, "key",
                                   g_base64_encode (g_bytes_get_data (der, NULL),
                                                    g_bytes_get_size (der)));
  else
    json_object_set_null_member (object, "key");

  credential = tb_key_credential_new_from_json (object, &error);
  g_assert_no_error (error);
  return credential;
}

/* One bar per credential, coloured by status, the pool's certificate marked, every date in
 * the tooltip and in the description a screen reader gets. */
static void
test_timeline (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) pool_der = tb_test_cert_make_rsa ("oauth.contoso.test", now - 10 * DAY,
                                                      now + 700 * DAY, 7);
  g_autoptr(TbCertificate) pool = tb_certificate_new_from_der (pool_der, NULL);
  g_autoptr(GPtrArray) credentials = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWidget *window = gtk_window_new ();
  TbCredentialTimeline *timeline = TB_CREDENTIAL_TIMELINE (tb_credential_timeline_new ());
  g_autoptr(GDateTime) fixed_now = g_date_time_new_from_unix_utc (now);
  graphene_rect_t rects[4];
  const char *description;

  g_ptr_array_add (credentials, make_credential ("11111111-1111-1111-1111-111111111111",
                                                 "Old pool certificate",
                                                 now - 800 * DAY, now - 30 * DAY, NULL));
  g_ptr_array_add (credentials, make_credential ("22222222-2222-2222-2222-222222222222",
                                                 NULL, now - 300 * DAY, now + 10 * DAY, NULL));
  g_ptr_array_add (credentials, make_credential ("33333333-3333-3333-3333-333333333333",
                                                 "Pool certificate 2026",
                                                 now - 10 * DAY, now + 700 * DAY, pool_der));
  g_ptr_array_add (credentials, make_credential ("44444444-4444-4444-4444-444444444444",
                                                 "Next certificate",
                                                 now + 60 * DAY, now + 900 * DAY, NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 300);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (timeline));
  tb_credential_timeline_set_now (timeline, fixed_now);
  tb_credential_timeline_set_warn_days (timeline, 30);
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (timeline), ==, 0);

  tb_credential_timeline_set_credentials (timeline, credentials);
  tb_credential_timeline_set_highlight (timeline, pool);
  gtk_window_present (GTK_WINDOW (window));
  tb_test_iterate_pending ();

  g_assert_cmpuint (tb_credential_timeline_get_n_bars (timeline), ==, 4);
  g_assert_cmpint (tb_credential_timeline_get_bar_status (timeline, 0), ==,
                   TB_CERTIFICATE_STATUS_EXPIRED);
  g_assert_cmpint (tb_credential_timeline_get_bar_status (timeline, 1), ==,
                   TB_CERTIFICATE_STATUS_EXPIRING);
  g_assert_cmpint (tb_credential_timeline_get_bar_status (timeline, 2), ==,
                   TB_CERTIFICATE_STATUS_VALID);
  g_assert_cmpint (tb_credential_timeline_get_bar_status (timeline, 3), ==,
                   TB_CERTIFICATE_STATUS_NOT_YET_VALID);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (tb_credential_timeline_get_bar_highlighted (timeline, i), ==, i == 2);

  /* Bars sit on one axis: earlier start, further left; overlapping windows overlap. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (tb_credential_timeline_get_bar_rect (timeline, i, &rects[i]));
      g_assert_cmpfloat (rects[i].size.width, >, 0);
      g_assert_cmpfloat (rects[i].origin.x + rects[i].size.width, <=,
                         gtk_widget_get_width (GTK_WIDGET (timeline)));
    }
  g_assert_cmpfloat (rects[0].origin.x, <, rects[1].origin.x);
  g_assert_cmpfloat (rects[1].origin.x, <, rects[2].origin.x);
  g_assert_cmpfloat (rects[2].origin.x, <, rects[3].origin.x);
  g_assert_cmpfloat (rects[0].origin.x + rects[0].size.width, <, rects[2].origin.x);
  g_assert_cmpfloat (rects[1].origin.x + rects[1].size.width, >, rects[2].origin.x);
  g_assert_cmpfloat (rects[1].origin.y, <, rects[2].origin.y);

  /* Hovering a bar names it and gives its dates. */
  {
    int index = tb_credential_timeline_get_bar_at (timeline,
                                                   rects[2].origin.x + 2,
                                                   rects[2].origin.y + rects[2].size.height / 2);
    g_autofree char *text = NULL;

    g_assert_cmpint (index, ==, 2);
    text = tb_credential_timeline_dup_bar_text (timeline, index);
    g_assert_nonnull (strstr (text, "Pool certificate 2026"));
    g_assert_nonnull (strstr (text, "current certificate"));
    g_assert_nonnull (strstr (text, "Valid"));
  }
  g_assert_cmpint (tb_credential_timeline_get_bar_at (timeline, 5, 1), ==, -1);

  /* A nameless credential is named by its thumbprint where one is known, else its keyId. */
  description = tb_credential_timeline_get_description (timeline);
  g_assert_nonnull (strstr (description, "4 key credentials"));
  g_assert_nonnull (strstr (description, "Old pool certificate"));
  g_assert_nonnull (strstr (description, "22222222-2222-2222-2222-222222222222"));
  g_assert_nonnull (strstr (description, "Next certificate"));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (timeline)));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (timeline)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);

  /* Emptied, it says so rather than drawing nothing. */
  tb_credential_timeline_set_credentials (timeline, NULL);
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (timeline), ==, 0);
  g_assert_nonnull (strstr (tb_credential_timeline_get_description (timeline), "No key credentials"));

  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
}


/* The device-code dialog shows the code big, counts down and offers the browser. */
static void
test_device_code_dialog (void)
{
  TbDeviceCodePrompt prompt = {
    .user_code = (char *) "ABCD-EFGH",
    .verification_uri = (char *) "https://microsoft.com/devicelogin",
    .message = (char *) "To sign in, use a web browser…",
    .expires_at = g_get_monotonic_time () + 900 * G_USEC_PER_SEC,
    .interval = 5,
  };
  GtkWidget *dialog = tb_device_code_dialog_new (NULL, &prompt);
  GtkWidget *code;
  GtkWidget *copy;
  gint64 remaining;

  gtk_window_present (GTK_WINDOW (dialog));
  tb_test_iterate_pending ();
  g_assert_cmpstr (tb_device_code_dialog_get_user_code (TB_DEVICE_CODE_DIALOG (dialog)), ==, "ABCD-EFGH");
  g_assert_cmpstr (tb_device_code_dialog_get_uri (TB_DEVICE_CODE_DIALOG (dialog)), ==,
                   "https://microsoft.com/devicelogin");
  remaining = tb_device_code_dialog_get_remaining (TB_DEVICE_CODE_DIALOG (dialog));
  g_assert_cmpint (remaining, >, 890);
  g_assert_cmpint (remaining, <=, 900);
  code = (GtkWidget *) gtk_widget_get_template_child (dialog, TB_TYPE_DEVICE_CODE_DIALOG, "code_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (code)), ==, "ABCD-EFGH");
  g_assert_true (gtk_widget_has_css_class (code, "monospace"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* An expired code says so and stops offering the browser. */
  prompt.expires_at = g_get_monotonic_time () - 1;
  dialog = tb_device_code_dialog_new (NULL, &prompt);
  g_assert_cmpint (tb_device_code_dialog_get_remaining (TB_DEVICE_CODE_DIALOG (dialog)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive ((GtkWidget *) gtk_widget_get_template_child (dialog, TB_TYPE_DEVICE_CODE_DIALOG,
                                                                          "open_button")));
  /* Nor copying it. */
  copy = (GtkWidget *) gtk_widget_get_template_child (dialog, TB_TYPE_DEVICE_CODE_DIALOG,
                                                      "copy_button");
  g_assert_false (gtk_widget_get_sensitive (copy));
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_test_iterate_pending ();
}

/* The demo, as a user runs it: the simulator in-process, the real window. */
typedef TbTestDemoWindow Fixture;

/* Waits in this file give up after 30 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 30)

static gboolean
page_idle (Fixture *fixture)
{
  return !tb_principals_page_get_loading (fixture->page);
}

/* The demo window on its Service Principals page. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  tb_test_demo_window_set_up (fixture, data);
  tb_window_show_page (fixture->window, "service-principals");
  tb_test_iterate_pending ();
}

/* What the page says it shows is what its stack shows. */
static void
assert_state (Fixture               *fixture,
              TbPrincipalsPageState  state)
{
  tb_test_assert_stack_shows (fixture->page->stack, TB_TYPE_PRINCIPALS_PAGE_STATE,
                              tb_principals_page_get_state (fixture->page), state);
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  data)
{
  const char *label = data;

  return GTK_IS_BUTTON (widget) && gtk_widget_is_sensitive (widget) &&
         (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0 ||
          g_str_has_prefix (gtk_widget_get_tooltip_text (widget) ? gtk_widget_get_tooltip_text (widget) : "",
                            label));
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return tb_test_find_widget (widget, is_button, label);
}

static JsonArray *
sim_keys (JsonObject *sp)
{
  return json_object_get_array_member (sp, "keyCredentials");
}

static GStrv
sim_key_ids (TbSim      *sim,
             const char *app_id)
{
  g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (sim, app_id);
  JsonArray *keys = sim_keys (sp);
  GStrv ids = g_new0 (char *, json_array_get_length (keys) + 1);

  for (guint i = 0; i < json_array_get_length (keys); i++)
    ids[i] = g_strdup (json_object_get_string_member (json_array_get_object_element (keys, i), "keyId"));
  return ids;
}

/* Sign in, see the profile's principals with their counts, and the timeline's bars. */
static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  TbProfile *profile = tb_context_get_profile (fixture->context);
  g_autofree char *details = NULL;
  TbCredentialTimeline *timeline;

  tb_test_window_sign_in (fixture->window, fixture->context);

  /* The header bar names the tenant once Graph has answered. */
  g_assert_cmpstr (tb_account_button_get_label (tb_window_get_account_button (fixture->window)), ==,
                   "Contoso");
  details = tb_account_button_dup_details (tb_window_get_account_button (fixture->window));
  g_assert_nonnull (strstr (details, tb_sim_get_user (fixture->sim)));
  g_assert_nonnull (strstr (details, tb_sim_get_tenant_id (fixture->sim)));
  g_assert_nonnull (strstr (details, "Application.Read.All"));

  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      GtkWidget *row = tb_principals_page_get_row (fixture->page, target->app_id);

      g_assert_nonnull (row);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, target->app_id);
    }

  /* Skype for Business Online is shown first with its two credentials (the pool's earlier
   * certificates): the count in the list, one bar each on the timeline. */
  g_assert_cmpstr (tb_principals_page_get_selected (fixture->page), ==, TB_APP_ID_SKYPE_ONLINE);
  {
    g_autofree char *text = NULL;
    GString *labels = g_string_new (NULL);
    GtkWidget *row = tb_principals_page_get_row (fixture->page, TB_APP_ID_SKYPE_ONLINE);

    for (GtkWidget *w = row; w != NULL; w = NULL)
      {
        /* The pill is a label among the row's suffixes. */
        GtkWidget *stack[64];
        int top = 0;

        stack[top++] = w;
        while (top > 0)
          {
            GtkWidget *cur = stack[--top];

            if (GTK_IS_LABEL (cur))
              g_string_append_printf (labels, "%s\n", gtk_label_get_text (GTK_LABEL (cur)));
            for (GtkWidget *c = gtk_widget_get_first_child (cur); c && top < 64; c = gtk_widget_get_next_sibling (c))
              stack[top++] = c;
          }
      }
    text = g_string_free (labels, FALSE);
    g_assert_nonnull (strstr (text, "2 · Expired"));
  }
  timeline = tb_principals_page_get_timeline (fixture->page);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (timeline), ==, 2);

  /* Exchange Online's credentials carry Microsoft's retirement notice where the admin acts. */
  tb_principals_page_select (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  {
    g_autofree char *text = tb_principals_page_dup_detail_text (fixture->page);

    g_assert_nonnull (strstr (text, "31 October 2025"));
    g_assert_nonnull (strstr (text, "1 April 2027"));
  }
  tb_principals_page_select (fixture->page, TB_APP_ID_SKYPE_ONLINE);
  tb_test_pause_for_screenshot ();
}

/* A read that comes back while another page is shown builds nothing behind it; the page has
 * what was read as it is shown, before its first frame, with no turn of the main loop. */
static void
test_read_while_hidden (Fixture       *fixture,
                        gconstpointer  data)
{
  TbCredentialTimeline *timeline;

  tb_window_show_page (fixture->window, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  wait_until (tb_test_demo_window_signed_in_and_read, fixture);
  g_assert_null (tb_principals_page_get_timeline (fixture->page));

  tb_window_show_page (fixture->window, "service-principals");
  assert_state (fixture, TB_PRINCIPALS_PAGE_STATE_CONTENT);
  g_assert_cmpstr (tb_principals_page_get_selected (fixture->page), ==, TB_APP_ID_SKYPE_ONLINE);
  timeline = tb_principals_page_get_timeline (fixture->page);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (timeline), ==, 2);
}

static void
load_certificate (Fixture *fixture,
                  GBytes  *der)
{
  tb_test_load_certificate (fixture->window, der);
  tb_window_show_page (fixture->window, "service-principals");
}

/* DER of an RSA certificate for @cn, valid since yesterday and for @days days more. */
static GBytes *
cert_for_days (const char *cn,
               gint64      days,
               guint64     serial)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return tb_test_cert_make_rsa (cn, now - DAY, now + days * DAY, serial);
}

/* A refresh that finds a principal as it was leaves its detail as it is, with what the admin
 * was typing in it; one that finds it changed shows the change. */
static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  GtkEditable *entry;
  g_autofree char *text = NULL;

  tb_test_window_sign_in (fixture->window, fixture->context);
  entry = tb_principals_page_get_spn_entry (fixture->page);
  gtk_editable_set_text (entry, "webext02.contoso.com");

  tb_principals_page_refresh (fixture->page);
  g_assert_true (tb_principals_page_get_loading (fixture->page));
  wait_until (page_idle, fixture);
  g_assert_cmpstr (gtk_editable_get_text (tb_principals_page_get_spn_entry (fixture->page)), ==,
                   "webext02.contoso.com");
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_principals_page_get_timeline (fixture->page)),
                    ==, 2);

  /* Another admin adds a credential in the Entra portal: the next refresh shows it. */
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);
    JsonArray *keys = sim_keys (sp);
    JsonNode *added = json_node_copy (json_array_get_element (keys, 0));
    g_autofree char *key_id = g_uuid_string_random ();

    json_object_set_string_member (json_node_get_object (added), "keyId", key_id);
    json_object_set_string_member (json_node_get_object (added), "displayName",
                                   "CN=added-in-the-portal");
    json_array_add_element (keys, added);
    tb_sim_put_service_principal (fixture->sim, sp);
  }
  tb_principals_page_refresh (fixture->page);
  wait_until (page_idle, fixture);
  text = tb_principals_page_dup_detail_text (fixture->page);
  g_assert_nonnull (strstr (text, "added-in-the-portal"));
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_principals_page_get_timeline (fixture->page)),
                    ==, 3);
}

/* Signs in, loads @der and asks to add it to Skype for Business Online, which holds its two
 * demo credentials (their key IDs go to @before), allowing changes: the preview, unconfirmed. */
static AdwMessageDialog *
ask_to_add (Fixture *fixture,
            GBytes  *der,
            GStrv   *before)
{
  GtkWidget *add;

  tb_test_window_sign_in (fixture->window, fixture->context);
  load_certificate (fixture, der);
  *before = sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE);
  g_assert_cmpuint (g_strv_length (*before), ==, 2);

  add = find_button (GTK_WIDGET (fixture->page), "_Add Selected Certificate…");
  g_signal_emit_by_name (add, "clicked");
  tb_test_grant_write_access (fixture->context);
  return tb_test_wait_for_dialog ("Add Certificate to Skype for Business Online?");
}

/* Add the loaded certificate through the preview; every earlier credential stays. */
static void
test_add_and_remove_credential (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) der = cert_for_days ("oauth2027.contoso.com", 700, 0x2027);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  AdwMessageDialog *dialog;
  const char *body;
  char *new_key_id = NULL;

  dialog = ask_to_add (fixture, der, &before);
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "Added: oauth2027.contoso.com"));
  g_assert_nonnull (strstr (body, "Kept unchanged: 2 credentials"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "confirm"), ==,
                   "_Add Certificate to Skype for Business Online");
  /* Nothing is written before the admin confirms. */
  g_assert_cmpuint (g_strv_length (sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE)), ==, 2);
  tb_test_respond (dialog, "confirm");
  wait_until (page_idle, fixture);

  after = sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE);
  g_assert_cmpuint (g_strv_length (after), ==, 3);
  for (guint i = 0; before[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) after, before[i]));
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);
    JsonArray *keys = sim_keys (sp);

    for (guint i = 0; i < json_array_get_length (keys); i++)
      {
        JsonObject *key = json_array_get_object_element (keys, i);

        if (g_strcmp0 (json_object_get_string_member (key, "key"), base64) == 0)
          new_key_id = g_strdup (json_object_get_string_member (key, "keyId"));
      }
  }
  g_assert_nonnull (new_key_id);
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_principals_page_get_timeline (fixture->page)), ==, 3);
  /* The certificate selected on the Certificates page is the outlined bar. */
  g_assert_true (tb_credential_timeline_get_bar_highlighted (tb_principals_page_get_timeline (fixture->page), 2));

  /* Remove the oldest credential through the confirmation: gone, the others intact. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Remove Credential"), "clicked");
  dialog = tb_test_wait_for_dialog ("Remove Credential from Skype for Business Online?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), before[0]));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "confirm"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  tb_test_respond (dialog, "confirm");
  wait_until (page_idle, fixture);
  {
    g_auto(GStrv) left = sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    g_assert_cmpuint (g_strv_length (left), ==, 2);
    g_assert_false (g_strv_contains ((const char * const *) left, before[0]));
    g_assert_true (g_strv_contains ((const char * const *) left, before[1]));
    g_assert_true (g_strv_contains ((const char * const *) left, new_key_id));
  }
  g_assert_cmpuint (tb_credential_timeline_get_n_bars (tb_principals_page_get_timeline (fixture->page)), ==, 2);
  g_free (new_key_id);
}

/* Add an SPN through the entry row (with its preview), then remove it. */
static void
test_spn (Fixture       *fixture,
          gconstpointer  data)
{
  const char *spn = TB_APP_ID_SKYPE_ONLINE "/webext02.contoso.com";
  GtkEditable *entry;
  AdwMessageDialog *dialog;
  g_autofree char *text = NULL;
  guint n_before;

  tb_test_window_sign_in (fixture->window, fixture->context);
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    n_before = json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames"));
  }
  entry = tb_principals_page_get_spn_entry (fixture->page);
  g_assert_nonnull (entry);

  /* A bad host name is said at once and never sent. */
  gtk_editable_set_text (entry, "not a host");
  text = tb_principals_page_dup_detail_text (fixture->page);
  g_assert_nonnull (strstr (text, "Not a host name"));
  g_signal_emit_by_name (entry, "apply");
  tb_test_iterate_pending ();
  g_assert_null (tb_test_find_dialog ("Allow Changes"));
  g_clear_pointer (&text, g_free);

  gtk_editable_set_text (entry, "webext02.contoso.com");
  text = tb_principals_page_dup_detail_text (fixture->page);
  g_assert_nonnull (strstr (text, "Adds 00000004-0000-0ff1-ce00-000000000000/webext02.contoso.com"));
  g_signal_emit_by_name (entry, "apply");
  tb_test_grant_write_access (fixture->context);
  /* Previewed like every other write: nothing is sent before the admin confirms. */
  dialog = tb_test_wait_for_dialog ("Add Name to Skype for Business Online?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Added: " SKYPE_SPN_PREFIX "webext02.contoso.com"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Kept unchanged:"));
  g_assert_false (tb_test_sim_has_spn (fixture->sim, TB_APP_ID_SKYPE_ONLINE, spn));
  tb_test_respond (dialog, "confirm");
  wait_until (page_idle, fixture);
  g_assert_true (tb_test_sim_has_spn (fixture->sim, TB_APP_ID_SKYPE_ONLINE, spn));
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames")), ==,
                      n_before + 1);
  }

  /* Its row has a remove button; removing asks first. */
  {
    GtkWidget *button = NULL;
    GtkWidget *stack[512];
    int top = 0;

    stack[top++] = GTK_WIDGET (fixture->page);
    while (top > 0 && button == NULL)
      {
        GtkWidget *cur = stack[--top];

        GVariant *target = GTK_IS_BUTTON (cur)
                             ? gtk_actionable_get_action_target_value (GTK_ACTIONABLE (cur))
                             : NULL;

        if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING) &&
            g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (cur)),
                       "detail.remove-spn") == 0 &&
            g_strcmp0 (g_variant_get_string (target, NULL), spn) == 0)
          button = cur;
        for (GtkWidget *c = gtk_widget_get_first_child (cur); c && top < 512; c = gtk_widget_get_next_sibling (c))
          stack[top++] = c;
      }
    g_assert_nonnull (button);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Remove " SKYPE_SPN_PREFIX "webext02.contoso.com");
    g_signal_emit_by_name (button, "clicked");
  }
  dialog = tb_test_wait_for_dialog ("Remove Name from");
  tb_test_respond (dialog, "confirm");
  wait_until (page_idle, fixture);
  g_assert_false (tb_test_sim_has_spn (fixture->sim, TB_APP_ID_SKYPE_ONLINE, spn));
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp, "servicePrincipalNames")), ==,
                      n_before);
  }
}

/* Flip Exchange Online's switch: the tenant has it enabled after. */
static void
test_enable (Fixture       *fixture,
             gconstpointer  data)
{
  GtkSwitch *toggle;

  tb_test_window_sign_in (fixture->window, fixture->context);
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_EXCHANGE_ONLINE);

    g_assert_false (json_object_get_boolean_member (sp, "accountEnabled"));
  }
  toggle = tb_principals_page_get_row_switch (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_state (toggle));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (toggle)));

  gtk_switch_set_active (toggle, TRUE);
  tb_test_grant_write_access (fixture->context);
  {
    /* Previewed first, with the notice; cancelling puts the switch back. */
    AdwMessageDialog *dialog = tb_test_wait_for_dialog ("Enable Office 365 Exchange Online?");

    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "accountEnabled"));
    tb_test_respond (dialog, "cancel");
    toggle = tb_principals_page_get_row_switch (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
    g_assert_false (gtk_switch_get_active (toggle));
    {
      g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_EXCHANGE_ONLINE);

      g_assert_false (json_object_get_boolean_member (sp, "accountEnabled"));
    }
    gtk_switch_set_active (toggle, TRUE);
    dialog = tb_test_wait_for_dialog ("Enable Office 365 Exchange Online?");
    tb_test_respond (dialog, "confirm");
  }
  wait_until (page_idle, fixture);
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_EXCHANGE_ONLINE);

    g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
  }
  toggle = tb_principals_page_get_row_switch (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_true (gtk_switch_get_state (toggle));
}

/* A principal the tenant lacks says so, rather than vanishing or failing. */
static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *text = NULL;

  g_assert_true (tb_sim_remove_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-in", NULL));
  while (!tb_auth_get_signed_in (tb_context_get_auth (fixture->context)) ||
         tb_principals_page_get_principal (fixture->page, TB_APP_ID_EXCHANGE_ONLINE) == NULL)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  wait_until (page_idle, fixture);

  g_assert_null (tb_principals_page_get_principal (fixture->page, TB_APP_ID_SKYPE_ONLINE));
  g_assert_nonnull (tb_principals_page_get_row (fixture->page, TB_APP_ID_SKYPE_ONLINE));
  tb_principals_page_select (fixture->page, TB_APP_ID_SKYPE_ONLINE);
  text = tb_principals_page_dup_detail_text (fixture->page);
  g_assert_nonnull (strstr (text, "Not in This Tenant"));
  g_assert_nonnull (strstr (text, TB_APP_ID_SKYPE_ONLINE));
  g_assert_null (tb_principals_page_get_timeline (fixture->page));
  g_assert_null (tb_principals_page_get_error (fixture->page));
}


/* The Tenant page: the demo domain resolved without sign-in, the metadata URL checked, an
 * unknown domain said plainly, and the organization once signed in. */
static void
test_tenant (Fixture       *fixture,
             gconstpointer  data)
{
  TbTenantPage *page = tb_window_get_tenant_page (fixture->window);
  g_autofree char *text = NULL;
  TbTenant *tenant;

  tb_window_show_page (fixture->window, "tenant");
  wait_until (tb_test_tenant_idle, fixture->window);
  tenant = tb_tenant_page_get_tenant (page);
  g_assert_nonnull (tenant);
  g_assert_cmpstr (tb_tenant_get_id (tenant), ==, tb_sim_get_tenant_id (fixture->sim));
  g_assert_true (tb_tenant_get_metadata_realm_ok (tenant));
  text = tb_tenant_page_dup_text (page);
  g_assert_nonnull (strstr (text, tb_tenant_get_metadata_url (tenant)));
  g_assert_nonnull (strstr (text, "/metadata/json/1"));
  g_assert_nonnull (strstr (text, "Sign in to read them"));
  g_clear_pointer (&text, g_free);

  tb_tenant_page_look_up (page, "no-such-tenant.example");
  wait_until (tb_test_tenant_idle, fixture->window);
  g_assert_null (tb_tenant_page_get_tenant (page));
  g_assert_nonnull (tb_tenant_page_get_error (page));
  text = tb_tenant_page_dup_text (page);
  g_assert_nonnull (strstr (text, tb_tenant_page_get_error (page)));
  g_clear_pointer (&text, g_free);

  tb_tenant_page_look_up (page, tb_sim_get_domains (fixture->sim)[1]);
  wait_until (tb_test_tenant_idle, fixture->window);
  g_assert_nonnull (tb_tenant_page_get_tenant (page));

  tb_window_show_page (fixture->window, "service-principals");
  tb_test_window_sign_in (fixture->window, fixture->context);
  tb_window_show_page (fixture->window, "tenant");
  text = tb_tenant_page_dup_text (page);
  g_assert_nonnull (strstr (text, "Contoso"));
  g_assert_nonnull (strstr (text, "contoso.onmicrosoft.com"));
  tb_test_pause_for_screenshot ();
}


static TbEstablishTrustDialog *trust_dialog;

/* The Establish Trust dialog for the external web services @fqdns, shown and settled on its
 * plan. */
static void
open_trust_plan (Fixture    *fixture,
                 const char *fqdns)
{
  trust_dialog = TB_ESTABLISH_TRUST_DIALOG (tb_window_open_establish_trust (fixture->window));
  gtk_window_present (GTK_WINDOW (trust_dialog));
  tb_establish_trust_dialog_set_fqdns (trust_dialog, fqdns);
  tb_establish_trust_dialog_show_plan (trust_dialog);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLAN);
}

/* The one-click: plan, apply with write access, verified; a second run has nothing to do. */
static void
test_establish_trust (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) der = cert_for_days ("oauth2027.contoso.com", 700, 0x77);
  g_autofree char *text = NULL;
  TbPlan *plan;

  tb_test_window_sign_in (fixture->window, fixture->context);
  load_certificate (fixture, der);

  open_trust_plan (fixture, "webext02.contoso.com");
  plan = tb_establish_trust_dialog_get_plan (trust_dialog);
  g_assert_cmpuint (tb_plan_count_changes (plan), >=, 3);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "Plan"));

  tb_establish_trust_dialog_apply (trust_dialog);
  tb_test_grant_write_access (fixture->context);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_clear_pointer (&text, g_free);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_DONE);
  g_assert_nonnull (strstr (text, "Verified"));
  g_assert_true (tb_test_sim_has_spn (fixture->sim, TB_APP_ID_SKYPE_ONLINE,
                                      TB_APP_ID_SKYPE_ONLINE "/webext02.contoso.com"));
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_EXCHANGE_ONLINE);

    g_assert_true (json_object_get_boolean_member (sp, "accountEnabled"));
    /* The upload to Exchange Online is opt-in (Microsoft is retiring it): not made here. */
    g_assert_cmpuint (json_array_get_length (sim_keys (sp)), ==, 0);
  }
  tb_test_pause_for_screenshot ();
  gtk_window_destroy (GTK_WINDOW (trust_dialog));

  /* Again: nothing to do. */
  open_trust_plan (fixture, "webext02.contoso.com");
  g_assert_cmpuint (tb_plan_count_changes (tb_establish_trust_dialog_get_plan (trust_dialog)), ==, 0);
  g_clear_pointer (&text, g_free);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "Nothing to do"));
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();
}

/* Another admin adds a credential while the preview waits: the admin sees the change again,
 * recomputed, before anything is written. Then a stale writer removes a third admin's
 * credential right after a removal: it is put back and named in an error dialog. */
static void
test_race (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GBytes) der = cert_for_days ("oauth2027.contoso.com", 700, 0x2027);
  g_autoptr(GBytes) other = cert_for_days ("other-admin.contoso.com", 300, 0x0da);
  g_autoptr(GBytes) third = cert_for_days ("third-admin.contoso.com", 300, 0x3d);
  g_autoptr(GBytes) stale = cert_for_days ("stale-admin.contoso.com", 300, 0x57a);
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  AdwMessageDialog *dialog;
  const char *body;

  dialog = ask_to_add (fixture, der, &before);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Kept unchanged: 2 credentials"));

  /* While the admin reads, another admin adds a credential. */
  tb_sim_add_fault (fixture->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_OTHER_WRITER,
                                                  .app_id = TB_APP_ID_SKYPE_ONLINE, .nth = 1,
                                                  .certificate = other });
  tb_test_respond (dialog, "confirm");

  /* Nothing written: the recomputed change is shown first. */
  dialog = tb_test_wait_for_dialog ("Add Certificate to Skype for Business Online?");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "changed since you reviewed"));
  g_assert_nonnull (strstr (body, "Kept unchanged: 3 credentials"));
  g_assert_cmpuint (g_strv_length (sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE)), ==, 3);
  tb_test_respond (dialog, "confirm");
  wait_until (page_idle, fixture);
  after = sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE);
  g_assert_cmpuint (g_strv_length (after), ==, 4);

  /* Remove one; a third admin adds a credential before our read, a stale tool's write from
   * before that lands right after our PATCH. */
  tb_sim_add_fault (fixture->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_OTHER_WRITER,
                                                  .app_id = TB_APP_ID_SKYPE_ONLINE, .nth = 1,
                                                  .certificate = third,
                                                  .display_name = "Third admin" });
  tb_sim_add_fault (fixture->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_STALE_WRITER,
                                                  .app_id = TB_APP_ID_SKYPE_ONLINE, .nth = 3,
                                                  .read_at = 1, .certificate = stale });
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Remove Credential"), "clicked");
  dialog = tb_test_wait_for_dialog ("Remove Credential from Skype for Business Online?");
  tb_test_respond (dialog, "confirm");

  /* The third admin's write came before our read (request 1), so what the dialog approved
   * changed; the admin confirms again (read 2), and the stale write lands after our PATCH (3). */
  dialog = tb_test_wait_for_dialog ("Remove Credential from Skype for Business Online?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "changed since you reviewed"));
  tb_test_respond (dialog, "confirm");

  dialog = tb_test_wait_for_dialog ("Another Change Removed Entries");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "Third admin"));
  g_assert_cmpuint (tb_sim_get_pending_faults (fixture->sim), ==, 0);
  tb_test_respond (dialog, "close");
  wait_until (page_idle, fixture);
  {
    g_auto(GStrv) left = sim_key_ids (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    /* 4, one removed, the third admin's and the stale tool's added: 5, ours removed. */
    g_assert_cmpuint (g_strv_length (left), ==, 5);
    g_assert_false (g_strv_contains ((const char * const *) left, before[0]));
  }
}

/* Establish Trust: another admin changes a principal after the plan was shown, so the plan is
 * made again before anything is written there; then a stale write undoes our certificate,
 * which is put back and reported. */
static void
test_establish_trust_race (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GBytes) der = cert_for_days ("oauth2027.contoso.com", 700, 0x77);
  g_autoptr(GBytes) other = cert_for_days ("other-admin.contoso.com", 300, 0x0da);
  g_autoptr(GBytes) stale = cert_for_days ("stale-admin.contoso.com", 300, 0x57a);
  g_autofree char *text = NULL;

  tb_test_window_sign_in (fixture->window, fixture->context);
  load_certificate (fixture, der);

  open_trust_plan (fixture, "webext.contoso.com");

  /* Another admin adds a credential to Skype for Business Online while the plan is shown. */
  tb_sim_add_fault (fixture->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_OTHER_WRITER,
                                                  .app_id = TB_APP_ID_SKYPE_ONLINE, .nth = 1,
                                                  .certificate = other });
  tb_establish_trust_dialog_apply (trust_dialog);
  tb_test_grant_write_access (fixture->context);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_PLAN);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_nonnull (strstr (text, "Changed Since You Reviewed"));
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    /* The demo's two and theirs only: nothing of ours was written on what the admin did not
     * see. */
    g_assert_cmpuint (json_array_get_length (sim_keys (sp)), ==, 3);
  }

  /* Applied on the new plan; a stale write right after our PATCH undoes the certificate. */
  tb_sim_add_fault (fixture->sim, &(TbSimFault) { .kind = TB_SIM_FAULT_STALE_WRITER,
                                                  .app_id = TB_APP_ID_SKYPE_ONLINE, .nth = 2,
                                                  .read_at = 1, .certificate = stale });
  tb_establish_trust_dialog_apply (trust_dialog);
  wait_until (tb_test_trust_settled, trust_dialog);
  g_clear_pointer (&text, g_free);
  text = tb_establish_trust_dialog_dup_text (trust_dialog);
  g_assert_cmpint (tb_establish_trust_dialog_get_state (trust_dialog), ==,
                   TB_ESTABLISH_TRUST_STATE_DONE);
  g_assert_nonnull (strstr (text, "Another Change Removed Entries"));
  g_assert_nonnull (strstr (text, "Verified"));
  g_assert_cmpuint (tb_sim_get_pending_faults (fixture->sim), ==, 0);
  {
    g_autoptr(JsonObject) sp = tb_sim_dup_service_principal (fixture->sim, TB_APP_ID_SKYPE_ONLINE);

    /* 2 at first, the other admin's, the stale tool's and ours. */
    g_assert_cmpuint (json_array_get_length (sim_keys (sp)), ==, 5);
  }
  gtk_window_destroy (GTK_WINDOW (trust_dialog));
  tb_test_iterate_pending ();
}

static gboolean
is_descendant (GtkWidget     *widget,
               gconstpointer  data)
{
  GType type = GPOINTER_TO_SIZE (data);

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, type);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return tb_test_find_widget (widget, is_descendant, GSIZE_TO_POINTER (type));
}

static AdwLeaflet *
page_leaflet (Fixture *fixture)
{
  return ADW_LEAFLET (find_descendant (GTK_WIDGET (fixture->page), ADW_TYPE_LEAFLET));
}

static gboolean
page_folded (Fixture *fixture)
{
  return adw_leaflet_get_folded (page_leaflet (fixture));
}

static gboolean
page_unfolded (Fixture *fixture)
{
  return !adw_leaflet_get_folded (page_leaflet (fixture));
}

static gboolean
mapped (gpointer widget)
{
  return widget != NULL && gtk_widget_get_mapped (widget);
}

static gboolean
list_hidden (Fixture *fixture)
{
  return !mapped (tb_principals_page_get_row (fixture->page, TB_APP_ID_SKYPE_ONLINE)) &&
         !adw_leaflet_get_child_transition_running (page_leaflet (fixture));
}

static gboolean
detail_hidden (Fixture *fixture)
{
  return !mapped (tb_principals_page_get_timeline (fixture->page)) &&
         !adw_leaflet_get_child_transition_running (page_leaflet (fixture));
}

static gboolean
both_shown (Fixture *fixture)
{
  return mapped (tb_principals_page_get_row (fixture->page, TB_APP_ID_SKYPE_ONLINE)) &&
         mapped (tb_principals_page_get_timeline (fixture->page));
}

/* At 700 px the page is one column: the list, a principal's detail in its place once chosen,
 * and a named Back button to return; wide again, both side by side. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *back;
  GtkWidget *row;

  tb_test_window_sign_in (fixture->window, fixture->context);
  wait_until (both_shown, fixture);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 600);
  wait_until (page_folded, fixture);
  wait_until (detail_hidden, fixture);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (page_leaflet (fixture)), ==, "list");

  /* Choosing a principal from the keyboard shows its detail instead of the list. */
  row = tb_principals_page_get_row (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_true (gtk_widget_get_mapped (row));
  adw_action_row_activate (ADW_ACTION_ROW (row));
  g_assert_cmpstr (tb_principals_page_get_selected (fixture->page), ==,
                   TB_APP_ID_EXCHANGE_ONLINE);
  wait_until (list_hidden, fixture);
  g_assert_true (mapped (tb_principals_page_get_timeline (fixture->page)));
  {
    g_autofree char *text = tb_principals_page_dup_detail_text (fixture->page);

    g_assert_nonnull (strstr (text, TB_APP_ID_EXCHANGE_ONLINE));
  }
  tb_test_pause_for_screenshot ();

  /* Back is a focusable button with a tooltip; it holds the focus the hidden row had. */
  back = find_button (GTK_WIDGET (fixture->page), "Back to the list of service principals");
  g_assert_nonnull (back);
  g_assert_true (gtk_widget_get_mapped (back));
  g_assert_true (gtk_widget_get_focusable (back));
  g_assert_true (gtk_widget_has_focus (back));
  gtk_widget_activate (back);
  wait_until (detail_hidden, fixture);
  /* The list was rebuilt with the selection: look the row up again. */
  row = tb_principals_page_get_row (fixture->page, TB_APP_ID_EXCHANGE_ONLINE);
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_true (gtk_widget_has_focus (row));

  /* Wide again: list and detail together, no Back button. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 900);
  wait_until (page_unfolded, fixture);
  wait_until (both_shown, fixture);
  g_assert_false (gtk_widget_get_visible (back));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/principals/timeline", test_timeline);
  g_test_add_func ("/ui/principals/device-code-dialog", test_device_code_dialog);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, tb_test_demo_window_tear_down)

  ADD ("/ui/principals/list", test_list);
  ADD ("/ui/principals/narrow", test_narrow);
  ADD ("/ui/principals/read-while-hidden", test_read_while_hidden);
  ADD ("/ui/principals/refresh", test_refresh);
  ADD ("/ui/tenant", test_tenant);
  ADD ("/ui/principals/add-remove-credential", test_add_and_remove_credential);
  ADD ("/ui/principals/spn", test_spn);
  ADD ("/ui/principals/enable", test_enable);
  ADD ("/ui/principals/missing", test_missing);
  ADD ("/ui/establish-trust", test_establish_trust);
  ADD ("/ui/principals/race", test_race);
  ADD ("/ui/establish-trust-race", test_establish_trust_race);

  return g_test_run ();
}
