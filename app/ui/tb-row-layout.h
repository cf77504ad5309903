/* tb-row-layout.h: rows whose wrapped text is measured once per width, not searched for
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

void              tb_row_layout_fix       (AdwActionRow *row);
void              tb_row_layout_fix_all   (GtkWidget    *widget);

G_END_DECLS
