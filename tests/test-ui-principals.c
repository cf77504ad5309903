/* test-ui-principals.c: the Microsoft 365 side of the GUI, driven as a user would
 *
 * The widgets that need no service (the credential timeline, the device-code dialog, the
 * account button) are checked on their own; the Service Principals pane is driven against the
 * simulator started in-process, as --demo does.
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-certificate.h"
#include "tb-credential-timeline.h"
#include "tb-service-principal.h"
#include "tb-test-certs.h"

#define DAY ((gint64) 24 * 60 * 60)

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

static GBytes *
make_cert (const char *common_name,
           gint64      not_before,
           gint64      not_after,
           guint64     serial)
{
  TbTestCertSpec spec = {
    .common_name = common_name,
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
    .not_before = not_before,
    .not_after = not_after,
    .serial = serial,
  };

  return tb_test_cert_make (&spec, NULL);
}

/* One bar per credential, coloured by status, the pool's certificate marked, every date in
 * the tooltip and in the description a screen reader gets. */
static void
test_timeline (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) pool_der = make_cert ("oauth.contoso.test", now - 10 * DAY, now + 700 * DAY, 7);
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
  iterate_pending ();

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
  iterate_pending ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/ui/principals/timeline", test_timeline);

  return g_test_run ();
}
