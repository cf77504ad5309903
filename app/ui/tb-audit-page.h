/* tb-audit-page.h: the Audit page: every credential on Microsoft's own service principals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-audit.h"
#include "tb-context.h"
#include "tb-page.h"

G_BEGIN_DECLS

#define TB_TYPE_AUDIT_PAGE (tb_audit_page_get_type ())
G_DECLARE_FINAL_TYPE (TbAuditPage, tb_audit_page, TB, AUDIT_PAGE, TbPage)

GtkWidget      *tb_audit_page_new              (TbContext   *context);
void            tb_audit_page_set_context      (TbAuditPage *self,
                                                TbContext   *context);
/* "This pool" is the workspace's (TbPage "workspace"): the certificate chosen and the pool
 * state's OAuth certificate, taken at the start of each scan. A row of one of the profile's
 * principals emits "open-principal"; any other opens its timeline in a window. */

/* Starts a scan (needs a signed-in account); cancels one under way first. */
void            tb_audit_page_scan             (TbAuditPage *self);
void            tb_audit_page_cancel           (TbAuditPage *self);
/* Writes the findings shown after the last complete scan (all, not only filtered ones). */
void            tb_audit_page_export           (TbAuditPage *self,
                                                GFile       *file,
                                                gboolean     csv);

/* Marks @finding known with @note (NULL: forgets it) in settings and moves its row. */
gboolean        tb_audit_page_set_known        (TbAuditPage    *self,
                                                TbAuditFinding *finding,
                                                const char     *note);

G_END_DECLS
