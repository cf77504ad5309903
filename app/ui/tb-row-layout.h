/* tb-row-layout.h: wrapped text in rows and dialogs measured once per width, not searched for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_WIDTH_FIRST_LAYOUT (tb_width_first_layout_get_type ())
G_DECLARE_FINAL_TYPE (TbWidthFirstLayout, tb_width_first_layout, TB, WIDTH_FIRST_LAYOUT,
                      GtkLayoutManager)

GtkLayoutManager *tb_width_first_layout_new (GtkLayoutManager *inner);

gboolean          tb_width_first_layout_apply (GtkWidget *box);

void              tb_row_layout_fix       (AdwActionRow *row);
void              tb_row_layout_fix_all   (GtkWidget    *widget);

void              tb_message_dialog_measure_width_first (AdwMessageDialog *dialog);

G_END_DECLS
