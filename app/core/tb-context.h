/* tb-context.h: the one object that owns settings and services, shared by every face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_DEFAULT_WARN_DAYS 30

#define TB_TYPE_CONTEXT (tb_context_get_type ())
G_DECLARE_FINAL_TYPE (TbContext, tb_context, TB, CONTEXT, GObject)

/* Uses the app's GSettings when its schema is installed (or GSETTINGS_SCHEMA_DIR points at it);
 * otherwise defaults, so the CLI works from a build tree. */
TbContext *tb_context_new                (void);
GSettings *tb_context_get_settings       (TbContext *self);
/* Certificates ending within this many days are "expiring". */
guint      tb_context_get_warn_days      (TbContext *self);
void       tb_context_set_warn_days      (TbContext *self,
                                          guint      days);
gboolean   tb_context_get_demo           (TbContext *self);
void       tb_context_set_demo           (TbContext *self,
                                          gboolean   demo);

G_END_DECLS
