/* tb-cli-labels.h: words for people in the CLI's text output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-change.h"

G_BEGIN_DECLS

/* The translated word for a change's action; --json keeps the action's stable name
 * (tb_change_action_to_string). */
const char *tb_cli_action_label (TbChangeAction action);

/* @text followed by spaces up to @width characters (not bytes), so that translated words
 * with accents or umlauts line up in columns. */
char       *tb_cli_pad          (const char *text,
                                 guint       width);

/* At least @width, and wide enough for each of @labels: the values beside them then line up
 * however long the translations are. */
guint       tb_cli_label_width  (guint               width,
                                 const char * const *labels,
                                 guint               n_labels);

/* "  Label:   value" on stdout, the label padded to @width characters (not bytes). */
void        tb_cli_print_field  (guint       width,
                                 const char *label,
                                 const char *value);

G_END_DECLS
