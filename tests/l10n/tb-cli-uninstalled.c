/* tb-cli-uninstalled.c: trust-bridge-cli with the message catalogues of the build tree
 *
 * The same start as app/cli/main.c, except that the catalogues are bound to the build
 * tree's po/ directory: the installed program finds them under LOCALEDIR, which does not
 * exist before `meson install`. Tests run this to check the translated output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tb-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, TB_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return tb_cli_run (argc, argv);
}
