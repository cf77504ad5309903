/* tb-dl.h: the network and credential libraries, loaded the first time they are called
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup, GnuTLS, MIT Kerberos with its GSSAPI, and libsecret bring 23 shared libraries with
 * them. Linked the usual way, the dynamic loader maps and relocates all of them before main()
 * (about six milliseconds of a start-up here), though a window shows its first frame without
 * any of them. The core and the simulators therefore call them through the per-library
 * headers beside this one (tb-dl-soup.h, tb-dl-gnutls.h, tb-dl-krb5.h, tb-dl-secret.h): each
 * includes its library's own header and then redefines every function the code calls as
 * TB_DL_FUNC, which loads the library on its first call (on whichever thread makes it) and
 * keeps the address at the call site. The compiler still checks every call against the
 * library's own prototype; the executables do not link the libraries, so a function called
 * without its redefinition fails their link instead of quietly loading the library at exec.
 *
 * A library that cannot be loaded is a broken installation (the package depends on each):
 * the program stops with a message that names it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TB_DL_SOUP,
  TB_DL_GNUTLS,
  TB_DL_GSSAPI,
  TB_DL_KRB5,
  TB_DL_SECRET,
  TB_DL_N_LIBRARIES
} TbDlLibrary;

/* The address of @symbol in @library, loading the library on the first call; thread-safe. */
gpointer    tb_dl_symbol  (TbDlLibrary  library,
                           const char  *symbol);
/* Loads every library now, on the calling thread: the GUI does it on a thread of its own
 * right after its first frame, so the first sign-in does not load them on the main one. */
void        tb_dl_preload (void);

/* @symbol in @library, with the type its header declares: a function designator to call, or
 * the variable itself for an exported variable. Only inside a function body. */
#define TB_DL_FUNC(library, symbol)                                                   \
  (*({                                                                                \
    static gpointer tb_dl_cached_;                                                    \
    gpointer tb_dl_found_ = g_atomic_pointer_get (&tb_dl_cached_);                    \
    if (__builtin_expect (tb_dl_found_ == NULL, 0)) /* no G_UNLIKELY: it may nest */  \
      {                                                                               \
        tb_dl_found_ = tb_dl_symbol ((library), #symbol);                             \
        g_atomic_pointer_set (&tb_dl_cached_, tb_dl_found_);                          \
      }                                                                               \
    (__typeof__ (&symbol)) tb_dl_found_;                                              \
  }))

G_END_DECLS
