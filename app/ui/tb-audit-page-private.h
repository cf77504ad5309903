/* tb-audit-page-private.h: what the Audit page's files share, and its tests reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-audit-page.h"

G_BEGIN_DECLS

#define N_GROUPS (TB_AUDIT_ORIGIN_KNOWN + 1)

struct _TbAuditPage
{
  TbPage           parent_instance;

  TbAudit         *audit;          /* the last scan's; it runs while the page is busy */
  char            *tenant_id;

  GPtrArray       *findings;       /* TbAuditFinding, in arrival order */
  GListStore      *store;          /* the same findings, for the list */
  GtkCustomFilter *text_filter;    /* the filter box */
  char            *needle;         /* its text, case-folded; NULL shows everything */
  GtkFilterListModel *groups[N_GROUPS];  /* what matches, sorted, one model per origin */
  GListStore      *headings[N_GROUPS];   /* TbAuditHeading: one while the list is shown */
  GListModel      *items;          /* heading, its rows, next heading…: what the list shows */
  GHashTable      *bound;          /* TbAuditFinding → the TbAuditRow showing it (borrowed) */
  char            *progress_text;
  gint64           started;

  GtkWidget       *box;
  GtkWidget       *scan_button;
  GtkWidget       *cancel_button;
  GtkWidget       *export_csv_button;
  GtkWidget       *export_json_button;
  GtkWidget       *filter_entry;
  GtkWidget       *progress;
  GtkWidget       *summary;
  GtkWidget       *list_view;
  GtkWidget       *scrolled;
  GtkWidget       *empty;
  GtkFileChooserNative *chooser;
  gboolean         chooser_csv;    /* what the chooser exports: CSV, else JSON */
  GtkWidget       *timeline_window;  /* weak: a principal's timeline opened from a row */
};

/* tb-audit-page.c */
void _tb_audit_page_show_error         (TbAuditPage    *self,
                                        const char     *text);
void _tb_audit_page_update_groups      (TbAuditPage    *self);
void _tb_audit_page_emit_open          (TbAuditPage    *self,
                                        TbAuditFinding *finding);
void _tb_audit_page_emit_remove        (TbAuditPage    *self,
                                        TbAuditFinding *finding);
/* Whether the Service Principals page shows @finding's principal (one of the profile's):
 * "open-principal" is emitted only for those. */
gboolean _tb_audit_page_can_open       (TbAuditPage    *self,
                                        TbAuditFinding *finding);

/* tb-audit-page-rows.c: the list: a heading per group, then the group's rows */
GtkWidget *_tb_audit_page_make_list    (TbAuditPage    *self);
void _tb_audit_page_add_findings       (TbAuditPage    *self,
                                        GPtrArray      *findings);
void _tb_audit_page_clear_rows         (TbAuditPage    *self);
void _tb_audit_page_filter_changed     (TbAuditPage    *self);

/* tb-audit-page-export.c */
void _tb_audit_page_choose_export      (TbAuditPage    *self,
                                        gboolean        csv);

/* Whether a scan runs (the files' rule too: nothing incomplete is exported or called empty). */
gboolean        tb_audit_page_get_running      (TbAuditPage    *self);
/* For tests: the findings of the last scan (TbAuditFinding), in arrival order. */
GPtrArray      *tb_audit_page_get_findings     (TbAuditPage    *self);
/* For tests: the filter entry, the progress text, the row showing a finding (a TbAuditRow;
 * NULL while the list has none for it: not yet laid out, scrolled away or filtered out) and
 * the group it is listed under ("unexplained"…; NULL when filtered out), and the error shown
 * (NULL for none). */
GtkEditable    *tb_audit_page_get_filter_entry (TbAuditPage    *self);
const char     *tb_audit_page_get_progress_text (TbAuditPage   *self);
GtkWidget      *tb_audit_page_get_row          (TbAuditPage    *self,
                                                TbAuditFinding *finding);
const char     *tb_audit_page_get_row_group    (TbAuditPage    *self,
                                                TbAuditFinding *finding);
const char     *tb_audit_page_get_error        (TbAuditPage    *self);
/* For tests: the timeline window a row of a principal the Service Principals page does not
 * show opened (a TbAuditTimeline), or NULL. */
GtkWidget      *tb_audit_page_get_timeline_window (TbAuditPage *self);

G_END_DECLS
