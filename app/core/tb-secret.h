/* tb-secret.h: wiping secrets (tokens, passwords, keys) from memory before it is freed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain memset before free is a dead store a compiler may drop; explicit_bzero is not.
 * Every secret the program holds goes through these, so there is one way to forget one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Overwrites @len bytes at @data with zeros; NULL or 0 do nothing. */
void tb_secret_wipe  (gpointer   data,
                      gsize      len);
/* Wipes the NUL-terminated @secret and frees it; NULL does nothing. */
void tb_secret_free  (char      *secret);
/* tb_secret_free (*secret), then *secret = NULL. Usable as a cleanup attribute. */
void tb_secret_clear (char     **secret);

/* A g_autofree that wipes first: tb_autosecret char *password = NULL; */
#define tb_autosecret __attribute__ ((cleanup (tb_secret_clear)))

G_END_DECLS
