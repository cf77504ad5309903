/* tb-gui-uninstalled.c: the trust-bridge GUI with the message catalogues of the build tree
 *
 * The same start as app/ui/main.c, except that the catalogues are bound to the build tree's
 * po/ directory, which the installed program finds under LOCALEDIR instead. Used to look at
 * the translated window before installing:
 *   LANGUAGE=de LC_ALL=de_DE.UTF-8 GSETTINGS_SCHEMA_DIR=_build/data \
 *     _build/tests/l10n/tb-gui-uninstalled --demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tb-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TbApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, TB_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tb_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
