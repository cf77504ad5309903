/* tb-property-row.h: a read-only "name above value" row for certificate fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TB_TYPE_PROPERTY_ROW (tb_property_row_get_type ())
G_DECLARE_FINAL_TYPE (TbPropertyRow, tb_property_row, TB, PROPERTY_ROW, AdwPreferencesRow)

GtkWidget  *tb_property_row_new             (void);
const char *tb_property_row_get_value       (TbPropertyRow *self);
void        tb_property_row_set_value       (TbPropertyRow *self,
                                             const char    *value);
GtkLabel   *tb_property_row_get_value_label (TbPropertyRow *self);
void        tb_property_row_set_monospace   (TbPropertyRow *self,
                                             gboolean       monospace);
/* 0 wraps freely; otherwise the value is cut to this many lines with an ellipsis. */
void        tb_property_row_set_value_lines (TbPropertyRow *self,
                                             int            lines);
/* Widgets at the end of the row (copy buttons) and below the value (a level bar). */
void        tb_property_row_add_suffix      (TbPropertyRow *self,
                                             GtkWidget     *widget);
void        tb_property_row_set_extra       (TbPropertyRow *self,
                                             GtkWidget     *widget);

G_END_DECLS
