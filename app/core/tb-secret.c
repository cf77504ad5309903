/* tb-secret.c: wiping secrets from memory before it is freed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-secret"

#include "config.h"

#include <string.h>

#include "tb-secret.h"

void
tb_secret_wipe (gpointer data,
                gsize    len)
{
  if (data != NULL && len > 0)
    explicit_bzero (data, len);
}

void
tb_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

void
tb_secret_clear (char **secret)
{
  tb_secret_free (g_steal_pointer (secret));
}
