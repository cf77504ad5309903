/* tb-credential-timeline-draw.c: the drawing of the credential timeline: the time axis, one
 * bar per credential in its status colour, today's line, hover and keyboard focus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-credential-timeline-draw"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-credential-timeline-private.h"

static GdkRGBA
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color))
    gdk_rgba_parse (&color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

static GdkRGBA
status_color (GtkWidget           *widget,
              TbCertificateStatus  status)
{
  switch (status)
    {
    case TB_CERTIFICATE_STATUS_VALID:
      return lookup_color (widget, "success_color", "#26a269");
    case TB_CERTIFICATE_STATUS_EXPIRING:
      return lookup_color (widget, "warning_color", "#cd9309");
    case TB_CERTIFICATE_STATUS_EXPIRED:
      return lookup_color (widget, "error_color", "#c01c28");
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
    default:
      /* Not wrong, just not yet in force: the neutral accent rather than an alarm colour. */
      return lookup_color (widget, "accent_color", "#1c71d8");
    }
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *text,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, text, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_line (GtkSnapshot   *snapshot,
           double         x,
           double         y1,
           double         y2,
           double         width,
           const GdkRGBA *color)
{
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (x - width / 2, y1, width, y2 - y1));
}

/* Month ticks when they fit, else every 2, 3, 6 months, else years. */
static void
draw_axis (TbCredentialTimeline *self,
           GtkSnapshot          *snapshot,
           double                axis_y,
           const GdkRGBA        *fg)
{
  static const int steps[] = { 1, 2, 3, 6, 12, 24, 60, 120 };
  GtkWidget *widget = GTK_WIDGET (self);
  double px_per_month = (self->x_max - self->x_min) * 30.44 * DAY_SECONDS /
                        (double) (self->t_max - self->t_min);
  GdkRGBA line = *fg;
  GdkRGBA grid = *fg;
  GdkRGBA dim = *fg;
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (self->t_min);
  int step = steps[G_N_ELEMENTS (steps) - 1];
  int year;
  int month;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * px_per_month >= MIN_TICK_SPACE)
      {
        step = steps[i];
        break;
      }

  line.alpha *= 0.4;
  grid.alpha *= 0.08;
  dim.alpha *= 0.7;
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (self->x_min, axis_y, self->x_max - self->x_min, 1));

  year = g_date_time_get_year (start);
  month = g_date_time_get_month (start);
  for (;;)
    {
      g_autoptr(GDateTime) tick = NULL;
      g_autofree char *label = NULL;
      g_autoptr(PangoLayout) text = NULL;
      gint64 t;
      double x;
      int w;

      month++;
      if (month > 12)
        {
          month = 1;
          year++;
        }
      if (((year * 12 + month - 1) % step) != 0)
        continue;

      tick = g_date_time_new_utc (year, month, 1, 0, 0, 0);
      if (tick == NULL)
        break;
      t = g_date_time_to_unix (tick);
      if (t > self->t_max)
        break;

      x = _tb_credential_timeline_time_to_x (self, t);
      draw_line (snapshot, x, TOP_MARGIN, axis_y, 1, &grid);
      draw_line (snapshot, x, axis_y, axis_y + (month == 1 ? 6 : 4), 1, &line);

      /* Years carry the label at January; in between, the short month name. */
      label = g_date_time_format (tick, (month == 1 || step >= 12) ? "%Y" : "%b");
      text = gtk_widget_create_pango_layout (widget, label);
      pango_layout_get_pixel_size (text, &w, NULL);
      if (x - w / 2.0 >= self->x_min - 4 && x + w / 2.0 <= self->x_max + SIDE_MARGIN)
        draw_text (snapshot, text, x - w / 2.0, axis_y + 6, month == 1 ? fg : &dim);
    }
}

/* One credential: its name on the left, its bar from start to end date in its status colour,
 * a band when hovered or focused, and an outline when it is the pool's certificate. */
static void
draw_bar (TbCredentialTimeline *self,
          GtkSnapshot          *snapshot,
          guint                 i,
          const GdkRGBA        *fg_color)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA fg = *fg_color;
  Bar *bar = &g_array_index (self->bars, Bar, i);
  int width = gtk_widget_get_width (widget);
  g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, bar->label);
  GdkRGBA color = status_color (widget, bar->status);
  GskRoundedRect rounded;
  int h;

  /* Name on the left, cut to the column width. */
  pango_layout_set_width (text, (int) self->label_width * PANGO_SCALE);
  pango_layout_set_ellipsize (text, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_get_pixel_size (text, NULL, &h);
  if (bar->highlighted)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (text, attrs);
      pango_attr_list_unref (attrs);
    }
  draw_text (snapshot, text, SIDE_MARGIN,
             bar->rect.origin.y + (BAR_HEIGHT - h) / 2.0, &fg);

  if ((int) i == self->hovered || (int) i == self->focused)
    {
      GdkRGBA band = fg;

      band.alpha *= 0.06;
      gtk_snapshot_append_color (snapshot, &band,
                                 &GRAPHENE_RECT_INIT (0, TOP_MARGIN + i * ROW_HEIGHT,
                                                      width, ROW_HEIGHT));
    }

  gsk_rounded_rect_init_from_rect (&rounded, &bar->rect, BAR_HEIGHT / 2.0);
  if ((int) i != self->hovered)
    color.alpha *= 0.85;
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, &color, &bar->rect);
  gtk_snapshot_pop (snapshot);

  /* The pool's certificate: an outline in the text colour, readable in any status colour. */
  if (bar->highlighted)
    {
      graphene_rect_t outer;
      GskRoundedRect ring;
      const float widths[4] = { 2, 2, 2, 2 };
      const GdkRGBA colors[4] = { fg, fg, fg, fg };

      graphene_rect_inset_r (&bar->rect, -3, -3, &outer);
      gsk_rounded_rect_init_from_rect (&ring, &outer, BAR_HEIGHT / 2.0 + 3);
      gtk_snapshot_append_border (snapshot, &ring, widths, colors);
    }
}

/* Keyboard focus: an outline around the row the arrow keys moved to. */
static void
draw_focus (TbCredentialTimeline *self,
            GtkSnapshot          *snapshot,
            const GdkRGBA        *accent_color)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  GdkRGBA accent = *accent_color;
  GskRoundedRect ring;
  const float widths[4] = { 2, 2, 2, 2 };
  const GdkRGBA colors[4] = { accent, accent, accent, accent };

  if (!gtk_widget_has_visible_focus (widget) || self->focused < 0 ||
      (guint) self->focused >= self->bars->len)
    return;

  gsk_rounded_rect_init_from_rect (&ring,
                                   &GRAPHENE_RECT_INIT (1, TOP_MARGIN + self->focused * ROW_HEIGHT,
                                                        width - 2, ROW_HEIGHT),
                                   6);
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

void
_tb_credential_timeline_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  TbCredentialTimeline *self = TB_CREDENTIAL_TIMELINE (widget);
  g_autoptr(GDateTime) now = _tb_credential_timeline_dup_now (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double axis_y = height - AXIS_HEIGHT;
  GdkRGBA fg;
  GdkRGBA accent = lookup_color (widget, "accent_color", "#1c71d8");
  double today_x;

  /* GTK 4.8 has no gtk_widget_get_color yet. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  if (self->bars->len == 0)
    {
      g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget,
                                                                   _("No key credentials"));
      GdkRGBA dim = fg;
      int w;
      int h;

      dim.alpha *= 0.55;
      pango_layout_get_pixel_size (text, &w, &h);
      draw_text (snapshot, text, (width - w) / 2.0, TOP_MARGIN + (ROW_HEIGHT - h) / 2.0, &dim);
    }

  draw_axis (self, snapshot, axis_y, &fg);

  for (guint i = 0; i < self->bars->len; i++)
    draw_bar (self, snapshot, i, &fg);

  draw_focus (self, snapshot, &accent);

  /* Today: a line through every row with its label above. */
  today_x = _tb_credential_timeline_time_to_x (self, g_date_time_to_unix (now));
  draw_line (snapshot, today_x, TOP_MARGIN - 4, axis_y, 2, &accent);
  {
    g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (widget, _("Today"));
    int w;

    pango_layout_get_pixel_size (text, &w, NULL);
    draw_text (snapshot, text, CLAMP (today_x - w / 2.0, 0, MAX (0, width - w)), 0, &accent);
  }
}
