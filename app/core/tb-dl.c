/* tb-dl.c: the network and credential libraries, loaded the first time they are called
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-dl"

#include "config.h"

#include <gmodule.h>

#include "tb-dl.h"

/* The sonames of the ABIs the code is written against: libsoup 3, GnuTLS 3 (soname 30),
 * MIT Kerberos 5 and its GSSAPI, libsecret 1. A test checks them against the libraries the
 * test programs link the usual way. */
static const char *const sonames[TB_DL_N_LIBRARIES] = {
  [TB_DL_SOUP]   = "libsoup-3.0.so.0",
  [TB_DL_GNUTLS] = "libgnutls.so.30",
  [TB_DL_GSSAPI] = "libgssapi_krb5.so.2",
  [TB_DL_KRB5]   = "libkrb5.so.3",
  [TB_DL_SECRET] = "libsecret-1.so.0",
};

static GOnce loaded[TB_DL_N_LIBRARIES] = {
  G_ONCE_INIT, G_ONCE_INIT, G_ONCE_INIT, G_ONCE_INIT, G_ONCE_INIT,
};

/* Through GModule, not dlopen() itself: GModule holds its own lock around the dynamic
 * loader's, and libsoup's constructor opens the program with GModule while the loader's lock
 * is held. A plain dlopen() on one thread and GIO loading a module with GModule on another
 * would each wait for the lock the other holds. */
static gpointer
load (gpointer data)
{
  const char *soname = data;
  g_autoptr(GError) error = NULL;
  GModule *module;

  /* Bound at once, so a missing symbol shows here and not in the middle of a request; local,
   * so nothing else in the process resolves against it by accident. Never closed. */
  module = g_module_open_full (soname, G_MODULE_BIND_LOCAL, &error);
  if (module == NULL)
    g_error ("Trust Bridge could not load %s, which it needs: %s", soname, error->message);
  g_module_make_resident (module);
  return module;
}

static GModule *
module_of (TbDlLibrary library)
{
  return g_once (&loaded[library], load, (gpointer) sonames[library]);
}

gpointer
tb_dl_symbol (TbDlLibrary  library,
              const char  *symbol)
{
  gpointer address;

  g_return_val_if_fail (library < TB_DL_N_LIBRARIES, NULL);
  g_return_val_if_fail (symbol != NULL, NULL);

  if (!g_module_symbol (module_of (library), symbol, &address) || address == NULL)
    g_error ("Trust Bridge could not find %s in %s: %s", symbol, sonames[library],
             g_module_error ());
  return address;
}

void
tb_dl_preload (void)
{
  for (guint i = 0; i < TB_DL_N_LIBRARIES; i++)
    module_of (i);
}
