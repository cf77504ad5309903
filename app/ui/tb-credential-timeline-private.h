/* tb-credential-timeline-private.h: what the timeline's files and its tests share
 *
 * tb-credential-timeline.c holds the widget, its layout, input and data;
 * tb-credential-timeline-draw.c its drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-credential-timeline.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define ROW_HEIGHT     26
#define BAR_HEIGHT     14
#define TOP_MARGIN     22   /* room for the "Today" label */
#define AXIS_HEIGHT    26
#define SIDE_MARGIN    8
#define LABEL_GAP      10
#define MIN_TICK_SPACE 52   /* pixels a month or year label needs */

#define DAY_SECONDS    ((gint64) 24 * 60 * 60)

typedef struct
{
  TbKeyCredential     *credential;
  char                *title;
  char                *label;      /* drawn at the left: short, and unique in the timeline */
  gint64               start;      /* unix seconds; G_MININT64 when unknown */
  gint64               end;        /* unix seconds; G_MAXINT64 when unknown */
  TbCertificateStatus  status;
  gboolean             highlighted;
  graphene_rect_t      rect;       /* bar geometry from the last layout */
} Bar;

struct _TbCredentialTimeline
{
  GtkWidget      parent_instance;

  GArray        *bars;             /* Bar */
  TbCertificate *highlight;
  GDateTime     *fixed_now;
  guint          warn_days;
  int            hovered;
  int            focused;
  char          *description;

  /* Time axis of the last layout */
  gint64         t_min;
  gint64         t_max;
  double         x_min;
  double         x_max;
  double         label_width;
};

/* tb-credential-timeline.c */
GDateTime  *_tb_credential_timeline_dup_now         (TbCredentialTimeline *self);
double      _tb_credential_timeline_time_to_x       (TbCredentialTimeline *self,
                                                     gint64                t);

/* tb-credential-timeline-draw.c */
void        _tb_credential_timeline_snapshot        (GtkWidget            *widget,
                                                     GtkSnapshot          *snapshot);

/* For tests: the bars drawn, the state of a bar, the name drawn beside it and the
 * description read out for the whole drawing. */
guint       tb_credential_timeline_get_n_bars       (TbCredentialTimeline *self);
gboolean    tb_credential_timeline_get_bar_rect     (TbCredentialTimeline *self,
                                                     guint                 index,
                                                     graphene_rect_t      *rect);
gboolean    tb_credential_timeline_get_bar_highlighted (TbCredentialTimeline *self,
                                                        guint                 index);
TbCertificateStatus tb_credential_timeline_get_bar_status (TbCredentialTimeline *self,
                                                           guint                 index);
/* The name beside bar @index: the common name, with the end date (then the keyId) where two
 * credentials share it. */
const char *tb_credential_timeline_get_bar_label    (TbCredentialTimeline *self,
                                                     guint                 index);
const char *tb_credential_timeline_get_description  (TbCredentialTimeline *self);
/* Fixes "today"; NULL follows the clock. */
void        tb_credential_timeline_set_now          (TbCredentialTimeline *self,
                                                     GDateTime            *now);

G_END_DECLS
