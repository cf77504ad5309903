/* test-dl.c: the libraries the program loads on first use are the ones it is built against
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This test links libsoup, GnuTLS, libsecret and Kerberos the usual way and includes their own
 * headers, not tb-dl-*.h: a function looked up through tb-dl.h must be the very function the
 * linker bound here, so each soname tb-dl.c loads names the library of the headers' ABI.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gssapi/gssapi.h>
#include <krb5.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "tb-dl.h"

static void
test_same_functions (void)
{
  g_assert_true (tb_dl_symbol (TB_DL_SOUP, "soup_get_major_version") ==
                 (gpointer) soup_get_major_version);
  g_assert_true (tb_dl_symbol (TB_DL_GNUTLS, "gnutls_check_version") ==
                 (gpointer) gnutls_check_version);
  g_assert_true (tb_dl_symbol (TB_DL_GSSAPI, "gss_release_buffer") ==
                 (gpointer) gss_release_buffer);
  g_assert_true (tb_dl_symbol (TB_DL_KRB5, "krb5_init_context") == (gpointer) krb5_init_context);
  g_assert_true (tb_dl_symbol (TB_DL_SECRET, "secret_password_free") ==
                 (gpointer) secret_password_free);
  /* An exported variable comes as its address: here the library's own, with the value of the
   * copy this test's own references use. */
  g_assert_true (*(gnutls_free_function *) tb_dl_symbol (TB_DL_GNUTLS, "gnutls_free") ==
                 gnutls_free);
}

/* Loading all of them at once, as the GUI does after its first frame, from two threads at the
 * same moment as the libraries' own users would: each is loaded once. */
static gpointer
preload (gpointer data)
{
  tb_dl_preload ();
  return NULL;
}

static void
test_preload_threads (void)
{
  GThread *threads[2];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("preload", preload, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_true (tb_dl_symbol (TB_DL_SOUP, "soup_get_minor_version") ==
                 (gpointer) soup_get_minor_version);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dl/same-functions", test_same_functions);
  g_test_add_func ("/dl/preload-threads", test_preload_threads);

  return g_test_run ();
}
