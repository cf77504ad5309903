/* test-trust-notify.c: the daily check's desktop notification, on a private D-Bus session with
 * a notification server stand-in (org.freedesktop.Notifications) that records what it gets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tb-test-cli.h"
#include "tb-trust-check.h"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *connection;
  guint            registration;
  guint            owner;
  gboolean         named;
  GPtrArray       *received;   /* GVariant of each Notify's parameters */
} Fixture;

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      g_ptr_array_add (f->received, g_variant_ref (parameters));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", f->received->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", (char **) caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "stand-in",
                                                                      "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL };

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Fixture *) user_data)->named = TRUE;
}

/* One private session bus for the whole program: the session bus connection of a process is a
 * singleton that does not survive its bus going away. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_ptr_array_set_size (f->received, 0);
}

static void
bus_up (Fixture *f)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_autoptr(GError) error = NULL;

  /* A private session bus: the test never talks to the desktop it runs on. */
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->received = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  f->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  f->registration = g_dbus_connection_register_object (f->connection,
                                                       "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &vtable, f, NULL,
                                                       &error);
  g_assert_no_error (error);
  f->owner = g_bus_own_name_on_connection (f->connection, "org.freedesktop.Notifications",
                                           G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL,
                                           f, NULL);
  while (!f->named)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Serves the bus for up to @seconds or until a notification came. */
static void
wait_for_notification (Fixture *f,
                       guint    seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (f->received->len == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static TbTrustReport *
report_with (TbTrustStatus status)
{
  TbTrustReport *report = g_new0 (TbTrustReport, 1);
  const char *ids[] = { "sfb-credential", "spns" };

  report->checks = g_ptr_array_new_with_free_func (g_free);
  report->expiries = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      TbTrustCheck *check = g_new0 (TbTrustCheck, 1);

      check->id = ids[i];
      check->status = i == 1 ? status : TB_TRUST_STATUS_OK;
      check->detail = i == 1 ? "Skype for Business Online lacks the SPN x." : "fine";
      g_ptr_array_add (report->checks, check);
    }
  return report;
}

/* What a user sees: the app's name and icon (desktop-entry), a title, the details, and a click
 * that opens the app. */
static void
assert_notification (GVariant   *parameters,
                     const char *summary,
                     const char *in_body)
{
  const char *app_name, *icon, *title, *body;
  g_autofree const char **actions = NULL;
  g_autoptr(GVariant) hints = NULL;
  const char *entry = NULL;
  guint32 replaces;
  gint32 timeout;

  g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", &app_name, &replaces, &icon, &title,
                 &body, &actions, &hints, &timeout);
  g_assert_cmpstr (title, ==, summary);
  g_assert_nonnull (strstr (body, in_body));
  g_assert_true (g_variant_lookup (hints, "desktop-entry", "&s", &entry));
  g_assert_cmpstr (entry, ==, APP_ID);
  g_assert_true (g_strv_contains (actions, "default"));
}

static void
test_all_well_is_silent (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbTrustReport *ok = report_with (TB_TRUST_STATUS_OK);
  TbTrustReport *unknown = report_with (TB_TRUST_STATUS_UNKNOWN);

  g_assert_true (tb_trust_report_notify (ok, &error));
  g_assert_no_error (error);
  /* Unknown is for the exit status and the Overview; nothing the admin can fix today. */
  g_assert_true (tb_trust_report_notify (unknown, &error));
  wait_for_notification (f, 1);
  g_assert_cmpuint (f->received->len, ==, 0);
  tb_trust_report_free (ok);
  tb_trust_report_free (unknown);
}

static void
test_failure_notifies (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TbTrustReport *failed = report_with (TB_TRUST_STATUS_FAILED);
  TbTrustReport *warning = report_with (TB_TRUST_STATUS_WARNING);

  g_assert_true (tb_trust_report_notify (failed, &error));
  g_assert_no_error (error);
  wait_for_notification (f, 10);
  g_assert_cmpuint (f->received->len, ==, 1);
  assert_notification (g_ptr_array_index (f->received, 0), "The hybrid trust is broken",
                       "lacks the SPN");

  g_ptr_array_set_size (f->received, 0);
  g_assert_true (tb_trust_report_notify (warning, &error));
  wait_for_notification (f, 10);
  g_assert_cmpuint (f->received->len, ==, 1);
  assert_notification (g_ptr_array_index (f->received, 0), "The hybrid trust needs attention",
                       "lacks the SPN");
  tb_trust_report_free (failed);
  tb_trust_report_free (warning);
}

/* What the systemd timer runs: the demo's broken trust notifies once. */
static void
test_cli_notify (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(TbTestRun) r = { 0 };

  tb_test_cli_run (NULL, &r, "--demo", "trust", "check", "--notify", NULL);
  g_assert_cmpint (r.status, ==, 1);
  wait_for_notification (f, 5);
  g_assert_cmpuint (f->received->len, ==, 1);
  assert_notification (g_ptr_array_index (f->received, 0), "The hybrid trust is broken",
                       "Skype for Business Online lacks the service principal names");
}

static void
run_silent (gconstpointer data)
{
  fixture_set_up ((Fixture *) data, NULL);
  test_all_well_is_silent ((Fixture *) data, NULL);
}

static void
run_failure (gconstpointer data)
{
  fixture_set_up ((Fixture *) data, NULL);
  test_failure_notifies ((Fixture *) data, NULL);
}

static void
run_cli (gconstpointer data)
{
  fixture_set_up ((Fixture *) data, NULL);
  test_cli_notify ((Fixture *) data, NULL);
}

int
main (int   argc,
      char *argv[])
{
  static Fixture fixture;
  int status;

  g_test_init (&argc, &argv, NULL);
  bus_up (&fixture);
  g_test_add_data_func ("/trust-notify/all-well-is-silent", &fixture, run_silent);
  g_test_add_data_func ("/trust-notify/failure-notifies", &fixture, run_failure);
  g_test_add_data_func ("/trust-notify/cli", &fixture, run_cli);
  status = g_test_run ();
  /* The private bus is not torn down: GApplication keeps objects on the session bus
   * connection that GLib 2.74 cannot finalize after the bus went away; GTestDBus's watcher
   * ends the dbus-daemon when this process exits. */
  return status;
}
