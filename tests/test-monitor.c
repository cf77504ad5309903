/* test-monitor.c: the daily check's timer switched through `systemctl --user`
 *
 * A systemctl stand-in first on PATH keeps the unit's state in a file and records each call,
 * as the user's systemd would answer them; the test never touches the real user manager.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "tb-monitor.h"
#include "tb-test-systemctl.h"

static char *dir;

static void
store (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
query (gboolean  *enabled,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_monitor_get_enabled_async (NULL, store, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return tb_monitor_get_enabled_finish (result, enabled, error);
}

static gboolean
set (gboolean   enabled,
     GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tb_monitor_set_enabled_async (enabled, NULL, store, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return tb_monitor_set_enabled_finish (result, error);
}

static void
test_not_installed (void)
{
  g_autoptr(GError) error = NULL;
  gboolean enabled = TRUE;

  g_assert_false (query (&enabled, &error));
  g_assert_error (error, TB_MONITOR_ERROR, TB_MONITOR_ERROR_NOT_INSTALLED);
  g_assert_nonnull (strstr (error->message, "could not be found"));
}

static void
test_switch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *installed = g_build_filename (dir, "installed", NULL);
  g_autofree char *calls_path = g_build_filename (dir, "calls", NULL);
  g_autofree char *calls = NULL;
  gboolean enabled = TRUE;

  g_assert_true (g_file_set_contents (installed, "", 0, NULL));
  g_remove (calls_path);

  g_assert_true (query (&enabled, &error));
  g_assert_no_error (error);
  g_assert_false (enabled);

  g_assert_true (set (TRUE, &error));
  g_assert_true (query (&enabled, &error));
  g_assert_true (enabled);

  g_assert_true (set (FALSE, &error));
  g_assert_true (query (&enabled, &error));
  g_assert_false (enabled);

  g_assert_true (g_file_get_contents (calls_path, &calls, NULL, NULL));
  g_assert_cmpstr (calls, ==,
                   "--user is-enabled " TB_MONITOR_TIMER "\n"
                   "--user enable --now " TB_MONITOR_TIMER "\n"
                   "--user is-enabled " TB_MONITOR_TIMER "\n"
                   "--user disable --now " TB_MONITOR_TIMER "\n"
                   "--user is-enabled " TB_MONITOR_TIMER "\n");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = tb_test_systemctl_install ();

  g_test_add_func ("/monitor/not-installed", test_not_installed);
  g_test_add_func ("/monitor/switch", test_switch);
  status = g_test_run ();

  tb_test_systemctl_remove (dir);
  return status;
}
