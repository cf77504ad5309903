/* tb-cli-labels.c: words for people in the CLI's text output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-cli-labels"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "tb-cli-labels.h"

const char *
tb_cli_action_label (TbChangeAction action)
{
  /* Translators: change actions in trust-bridge-cli's text output; --json keeps the
   * English keywords ("none", "add-credential", …) scripts rely on. */
  switch (action)
    {
    case TB_CHANGE_ACTION_NONE:
      return C_("change action", "none");
    case TB_CHANGE_ACTION_ADD_CREDENTIAL:
      return C_("change action", "add credential");
    case TB_CHANGE_ACTION_REMOVE_CREDENTIAL:
      return C_("change action", "remove credential");
    case TB_CHANGE_ACTION_ENABLE:
      return C_("change action", "enable");
    case TB_CHANGE_ACTION_ADD_SPN:
      return C_("change action", "add SPN");
    case TB_CHANGE_ACTION_REMOVE_SPN:
      return C_("change action", "remove SPN");
    case TB_CHANGE_ACTION_CREATE:
      return C_("change action", "create");
    case TB_CHANGE_ACTION_UPDATE:
      return C_("change action", "update");
    case TB_CHANGE_ACTION_REPLACE:
      return C_("change action", "replace");
    default:
      return tb_change_action_to_string (action);
    }
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
