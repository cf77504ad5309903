/* main.c: the trust-bridge GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tb-application.h"
#include "tb-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TbApplication) app = NULL;

  tb_application_tune_allocator ();
  tb_renderer_init ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tb_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
