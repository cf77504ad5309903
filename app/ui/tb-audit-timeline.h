/* tb-audit-timeline.h: the credential timeline of a principal the Service Principals page does
 * not show, opened from an audit row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-credential-timeline.h"
#include "tb-graph-client.h"

G_BEGIN_DECLS

#define TB_TYPE_AUDIT_TIMELINE (tb_audit_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TbAuditTimeline, tb_audit_timeline, TB, AUDIT_TIMELINE, AdwWindow)

/* Reads @app_id's service principal with its keys and draws them; closing the window cancels
 * the read. */
GtkWidget            *tb_audit_timeline_new          (GtkWindow       *parent,
                                                      TbGraphClient   *client,
                                                      const char      *app_id,
                                                      const char      *display_name,
                                                      guint            warn_days);

G_END_DECLS
