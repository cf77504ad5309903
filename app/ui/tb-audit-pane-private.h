/* tb-audit-pane-private.h: what the Audit page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-audit-pane.h"

G_BEGIN_DECLS

#define N_GROUPS (TB_AUDIT_ORIGIN_KNOWN + 1)

struct _TbAuditPane
{
  TbPage           parent_instance;

  TbAudit         *audit;
  GCancellable    *cancellable;    /* the scan's: set while one runs */
  char            *tenant_id;

  GPtrArray       *findings;       /* TbAuditFinding, in arrival order */
  GQueue           pending;        /* TbAuditFinding (borrowed) waiting for a row */
  guint            build_id;
  GHashTable      *rows;           /* TbAuditFinding → GtkWidget (borrowed) */
  char            *progress_text;
  char            *error_text;
  gint64           started;

  GtkWidget       *box;
  GtkWidget       *scan_button;
  GtkWidget       *cancel_button;
  GtkWidget       *export_csv_button;
  GtkWidget       *export_json_button;
  GtkWidget       *filter_entry;
  GtkWidget       *progress;
  GtkWidget       *summary;
  GtkWidget       *error_label;
  GtkWidget       *groups[N_GROUPS];
  GtkWidget       *lists[N_GROUPS];
  GtkWidget       *empty;
  GtkFileChooserNative *chooser;
  GtkWidget       *timeline_window;  /* weak: a principal's timeline opened from a row */
};

/* tb-audit-pane.c */
void _tb_audit_pane_set_error          (TbAuditPane    *self,
                                        const char     *text);
void _tb_audit_pane_update_groups      (TbAuditPane    *self);
void _tb_audit_pane_emit_open          (TbAuditPane    *self,
                                        TbAuditFinding *finding);
void _tb_audit_pane_emit_remove        (TbAuditPane    *self,
                                        TbAuditFinding *finding);
/* Whether the Service Principals page shows @finding's principal (one of the profile's):
 * "open-principal" is emitted only for those. */
gboolean _tb_audit_pane_can_open       (TbAuditPane    *self,
                                        TbAuditFinding *finding);

/* tb-audit-pane-rows.c: a row per finding, built in slices */
void _tb_audit_pane_queue_rows         (TbAuditPane    *self);
void _tb_audit_pane_clear_rows         (TbAuditPane    *self);
void _tb_audit_pane_rebuild_row        (TbAuditPane    *self,
                                        TbAuditFinding *finding);
gboolean _tb_audit_pane_filter_row     (GtkListBoxRow  *row,
                                        gpointer        user_data);
gint _tb_audit_pane_sort_rows          (GtkListBoxRow  *a,
                                        GtkListBoxRow  *b,
                                        gpointer        user_data);

/* tb-audit-pane-export.c */
void _tb_audit_pane_choose_export      (TbAuditPane    *self,
                                        gboolean        csv);

G_END_DECLS
