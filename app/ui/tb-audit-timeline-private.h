/* tb-audit-timeline-private.h: what only the tests of tb-audit-timeline reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-audit-timeline.h"

G_BEGIN_DECLS

/* For tests: whether the read is under way, the timeline, and the error shown (NULL: none). */
gboolean              tb_audit_timeline_get_busy     (TbAuditTimeline *self);
TbCredentialTimeline *tb_audit_timeline_get_timeline (TbAuditTimeline *self);
const char           *tb_audit_timeline_get_error    (TbAuditTimeline *self);

G_END_DECLS
