/* tb-audit-row.h: one credential of the Audit page's list, bound to its TbAuditFinding
 *
 * The list view recycles rows: a row shows whichever finding it was last bound to, and the
 * page connects to its signals once, when the row is made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-audit.h"

G_BEGIN_DECLS

#define TB_TYPE_AUDIT_ROW (tb_audit_row_get_type ())
G_DECLARE_FINAL_TYPE (TbAuditRow, tb_audit_row, TB, AUDIT_ROW, GtkWidget)

GtkWidget      *tb_audit_row_new         (void);
/* Shows @finding (NULL: nothing). @on_page: its principal is on the Service Principals page,
 * which opens it and offers removal of an expired key; @can_mark: notes can be kept (the
 * settings are there). */
void            tb_audit_row_bind        (TbAuditRow     *self,
                                          TbAuditFinding *finding,
                                          gboolean        on_page,
                                          gboolean        can_mark);
TbAuditFinding *tb_audit_row_get_finding (TbAuditRow     *self);
/* "Principal — credential", as shown and as a screen reader names the row. */
const char     *tb_audit_row_get_title   (TbAuditRow     *self);

G_END_DECLS
