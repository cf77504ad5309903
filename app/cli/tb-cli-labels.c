/* tb-cli-labels.c: words for people in the CLI's text output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "tb-cli-labels.h"
#include "tb-pool-client.h"
#include "tb-principal-edit.h"

const char *
tb_cli_action_label (const char *action)
{
  static const struct {
    const char *action;
    const char *label;
  } labels[] = {
    /* Translators: change actions in trust-bridge-cli's text output; --json keeps the
     * English keywords ("none", "add-credential", …) scripts rely on. */
    { TB_CHANGE_NONE, NC_("change action", "none") },
    { TB_CHANGE_ADD_CREDENTIAL, NC_("change action", "add credential") },
    { TB_CHANGE_REMOVE_CREDENTIAL, NC_("change action", "remove credential") },
    { TB_CHANGE_ENABLE, NC_("change action", "enable") },
    { TB_CHANGE_ADD_SPN, NC_("change action", "add SPN") },
    { TB_CHANGE_REMOVE_SPN, NC_("change action", "remove SPN") },
    { TB_POOL_CHANGE_CREATE, NC_("change action", "create") },
    { TB_POOL_CHANGE_UPDATE, NC_("change action", "update") },
    { TB_POOL_CHANGE_REPLACE, NC_("change action", "replace") },
  };

  g_return_val_if_fail (action != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].action, action))
      return g_dpgettext2 (GETTEXT_PACKAGE, "change action", labels[i].label);
  return action;
}

char *
tb_cli_pad (const char *text,
            guint       width)
{
  glong length = g_utf8_strlen (text, -1);
  GString *out = g_string_new (text);

  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

guint
tb_cli_label_width (guint               width,
                    const char * const *labels,
                    guint               n_labels)
{
  for (guint i = 0; i < n_labels; i++)
    width = MAX (width, (guint) g_utf8_strlen (labels[i], -1));
  return width;
}

void
tb_cli_print_field (guint       width,
                    const char *label,
                    const char *value)
{
  g_autofree char *padded = tb_cli_pad (label, width);

  printf ("  %s %s\n", padded, value);
}
