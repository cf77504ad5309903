/* tb-test-systemctl.c: a `systemctl --user` stand-in first on PATH
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "tb-test-systemctl.h"

static const char stand_in[] =
  "#!/bin/sh\n"
  "dir=$(dirname \"$0\")\n"
  "echo \"$*\" >> \"$dir/calls\"\n"
  "[ \"$1\" = --user ] || { echo 'not --user' >&2; exit 3; }\n"
  "[ -e \"$dir/installed\" ] || { echo \"Unit $3 could not be found.\" >&2; exit 4; }\n"
  "case \"$2\" in\n"
  "  is-enabled) if [ -e \"$dir/enabled\" ]; then echo enabled; exit 0; fi;"
  " echo disabled; exit 1;;\n"
  "  enable) [ \"$3\" = --now ] && touch \"$dir/enabled\";;\n"
  "  disable) [ \"$3\" = --now ] && rm -f \"$dir/enabled\";;\n"
  "esac\n";

char *
tb_test_systemctl_install (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tb-systemctl-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  script = g_build_filename (dir, "systemctl", NULL);
  g_assert_true (g_file_set_contents (script, stand_in, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  path = g_strconcat (dir, ":", g_getenv ("PATH"), NULL);
  g_setenv ("PATH", path, TRUE);
  return dir;
}

void
tb_test_systemctl_remove (char *dir)
{
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  g_free (dir);
}
