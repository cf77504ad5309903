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

G_END_DECLS
