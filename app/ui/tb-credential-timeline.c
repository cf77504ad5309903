/* tb-credential-timeline.c: every key credential's validity window on one time axis
 *
 * A drawing, so it carries its own accessible description and tooltips; the bars are laid out
 * once per size/data change and the same geometry answers hover, tooltips and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-credential-timeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tb-context.h"
#include "tb-credential-timeline-private.h"
#include "tb-format.h"
#include "tb-service-principal.h"
#include "tb-ui-util.h"

G_DEFINE_FINAL_TYPE (TbCredentialTimeline, tb_credential_timeline, GTK_TYPE_WIDGET)

static void
bar_clear (gpointer data)
{
  Bar *bar = data;

  g_clear_object (&bar->credential);
  g_clear_pointer (&bar->title, g_free);
  g_clear_pointer (&bar->label, g_free);
}

GDateTime *
_tb_credential_timeline_dup_now (TbCredentialTimeline *self)
{
  if (self->fixed_now != NULL)
    return g_date_time_ref (self->fixed_now);
  return g_date_time_new_now_utc ();
}

static char *
dup_date (gint64 when)
{
  g_autoptr(GDateTime) dt = NULL;

  if (when == G_MININT64 || when == G_MAXINT64)
    return g_strdup (_("unknown"));
  dt = g_date_time_new_from_unix_utc (when);
  return tb_format_local (dt);
}

static char *
bar_text (Bar *bar)
{
  g_autofree char *from = dup_date (bar->start);
  g_autofree char *until = dup_date (bar->end);
  const char *status = tb_certificate_status_get_label (bar->status);

  if (bar->highlighted)
    /* Translators: a credential in the timeline: name, status, dates; the pool uses it now. */
    return g_strdup_printf (_("%s — %s, from %s until %s (the pool’s current certificate)"),
                            bar->title, status, from, until);
  /* Translators: a credential in the timeline: name, status, dates. */
  return g_strdup_printf (_("%s — %s, from %s until %s"), bar->title, status, from, until);
}

static void
update_description (TbCredentialTimeline *self)
{
  g_autoptr(GDateTime) now = _tb_credential_timeline_dup_now (self);
  g_autofree char *today = tb_format_local (now);
  GString *text = g_string_new (NULL);

  if (self->bars->len == 0)
    g_string_append (text, _("No key credentials."));
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%u key credential; today is %s.",
                                         "%u key credentials; today is %s.",
                                         self->bars->len),
                            self->bars->len, today);

  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autofree char *line = bar_text (&g_array_index (self->bars, Bar, i));

      g_string_append_c (text, '\n');
      g_string_append (text, line);
    }

  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

static void
rebuild (TbCredentialTimeline *self)
{
  g_autoptr(GDateTime) now = _tb_credential_timeline_dup_now (self);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      bar->status = tb_key_credential_get_status (bar->credential, now, self->warn_days);
      bar->highlighted = self->highlight != NULL &&
                         tb_key_credential_matches_certificate (bar->credential, self->highlight);
    }

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The axis spans every credential and today, with a margin so no bar touches the edge. */
static void
compute_range (TbCredentialTimeline *self,
               gint64                now)
{
  gint64 lo = now;
  gint64 hi = now;
  gint64 pad;

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (bar->start != G_MININT64)
        lo = MIN (lo, bar->start);
      if (bar->end != G_MAXINT64)
        hi = MAX (hi, bar->end);
    }

  if (hi - lo < 180 * DAY_SECONDS)
    {
      gint64 grow = (180 * DAY_SECONDS - (hi - lo)) / 2;

      lo -= grow;
      hi += grow;
    }
  pad = (hi - lo) / 20;
  self->t_min = lo - pad;
  self->t_max = hi + pad;
}

double
_tb_credential_timeline_time_to_x (TbCredentialTimeline *self,
                                   gint64                t)
{
  if (t == G_MININT64)
    return self->x_min;
  if (t == G_MAXINT64)
    return self->x_max;
  t = CLAMP (t, self->t_min, self->t_max);
  return self->x_min + (double) (t - self->t_min) / (double) (self->t_max - self->t_min)
                       * (self->x_max - self->x_min);
}

static void
layout (TbCredentialTimeline *self,
        int                   width)
{
  g_autoptr(GDateTime) now = _tb_credential_timeline_dup_now (self);
  int label_width = 0;

  compute_range (self, g_date_time_to_unix (now));

  /* Names take what they need, up to a third of the width; the rest is the axis. */
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr(PangoLayout) text = gtk_widget_create_pango_layout (GTK_WIDGET (self), bar->label);
      int w;

      pango_layout_get_pixel_size (text, &w, NULL);
      label_width = MAX (label_width, w);
    }
  self->label_width = MIN (label_width, width / 3);
  self->x_min = SIDE_MARGIN + self->label_width + (self->label_width > 0 ? LABEL_GAP : 0);
  self->x_max = MAX (self->x_min + 1, width - SIDE_MARGIN);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      double x1 = _tb_credential_timeline_time_to_x (self, bar->start);
      double x2 = _tb_credential_timeline_time_to_x (self, bar->end);

      graphene_rect_init (&bar->rect, x1,
                          TOP_MARGIN + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2.0,
                          MAX (x2 - x1, 3.0), BAR_HEIGHT);
    }
}

static void
tb_credential_timeline_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  TbCredentialTimeline *self = TB_CREDENTIAL_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 600;
    }
  else
    {
      *minimum = *natural = TOP_MARGIN + MAX (self->bars->len, 1) * ROW_HEIGHT + AXIS_HEIGHT;
    }
}

static void
tb_credential_timeline_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  layout (TB_CREDENTIAL_TIMELINE (widget), width);
}

static void
set_hovered (TbCredentialTimeline *self,
             int                   index)
{
  if (self->hovered != index)
    {
      self->hovered = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TbCredentialTimeline     *self)
{
  set_hovered (self, tb_credential_timeline_get_bar_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          TbCredentialTimeline     *self)
{
  set_hovered (self, -1);
}

static gboolean
on_query_tooltip (GtkWidget            *widget,
                  int                   x,
                  int                   y,
                  gboolean              keyboard_mode,
                  GtkTooltip           *tooltip,
                  TbCredentialTimeline *self)
{
  g_autofree char *text = NULL;
  int index = keyboard_mode ? self->focused : tb_credential_timeline_get_bar_at (self, x, y);

  if (index < 0 || (guint) index >= self->bars->len)
    return FALSE;

  text = tb_credential_timeline_dup_bar_text (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TbCredentialTimeline  *self)
{
  int n = (int) self->bars->len;
  int next;

  if (n == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      next = self->focused <= 0 ? 0 : self->focused - 1;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      next = self->focused < 0 ? 0 : MIN (self->focused + 1, n - 1);
      break;
    default:
      return FALSE;
    }

  if (next != self->focused)
    {
      g_autofree char *text = tb_credential_timeline_dup_bar_text (self, next);

      self->focused = next;
      /* The row under focus is what a screen reader hears; sighted users see its tooltip. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return TRUE;
}

static void
tb_credential_timeline_dispose (GObject *object)
{
  TbCredentialTimeline *self = TB_CREDENTIAL_TIMELINE (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_object (&self->highlight);
  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (tb_credential_timeline_parent_class)->dispose (object);
}

static void
tb_credential_timeline_class_init (TbCredentialTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_credential_timeline_dispose;
  widget_class->measure = tb_credential_timeline_measure;
  widget_class->size_allocate = tb_credential_timeline_size_allocate;
  widget_class->snapshot = _tb_credential_timeline_snapshot;

  gtk_widget_class_set_css_name (widget_class, "tb-credential-timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tb_credential_timeline_init (TbCredentialTimeline *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  self->warn_days = TB_DEFAULT_WARN_DAYS;
  self->hovered = -1;
  self->focused = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Credential timeline"),
                                  -1);
  update_description (self);
}

GtkWidget *
tb_credential_timeline_new (void)
{
  return g_object_new (TB_TYPE_CREDENTIAL_TIMELINE, NULL);
}

/* The name drawn beside a bar is cut to a third of the width: a subject such as
 * "CN=oauth.contoso.com, O=Contoso, C=US" would lose its middle, and two certificates of the
 * same name (the pool's old and new) would read the same. The label is the common name only,
 * and where names repeat, the end date (then the keyId) tells them apart. */
static char *
short_name (const char *title)
{
  g_autofree char *display = NULL;
  const char *comma;

  if (strstr (title, "CN=") == NULL)
    return g_strdup (title);
  display = tb_format_dn_for_display (title);
  if (display == NULL || !g_str_has_prefix (display, "CN="))
    return g_strdup (title);
  comma = strchr (display, ',');
  return comma != NULL ? g_strndup (display + 3, comma - display - 3) : g_strdup (display + 3);
}

static guint
count_labels (TbCredentialTimeline *self,
              const char           *label)
{
  guint n = 0;

  for (guint i = 0; i < self->bars->len; i++)
    if (g_strcmp0 (g_array_index (self->bars, Bar, i).label, label) == 0)
      n++;
  return n;
}

static void
set_labels (TbCredentialTimeline *self)
{
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      g_free (bar->label);
      bar->label = short_name (bar->title);
    }
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GPtrArray) repeated = g_ptr_array_new ();

      for (guint i = 0; i < self->bars->len; i++)
        if (count_labels (self, g_array_index (self->bars, Bar, i).label) > 1)
          g_ptr_array_add (repeated, &g_array_index (self->bars, Bar, i));
      for (guint i = 0; i < repeated->len; i++)
        {
          Bar *bar = g_ptr_array_index (repeated, i);
          g_autofree char *old = bar->label;

          if (pass == 0 && bar->end != G_MAXINT64)
            {
              g_autoptr(GDateTime) end = g_date_time_new_from_unix_utc (bar->end);
              g_autofree char *date = g_date_time_format (end, "%Y-%m-%d");

              /* Translators: a credential's name in the timeline and the day it ends */
              bar->label = g_strdup_printf (_("%s · until %s"), old, date);
            }
          else
            bar->label = g_strdup_printf ("%s · %.8s", old,
                                          tb_key_credential_get_key_id (bar->credential));
        }
    }
}

const char *
tb_credential_timeline_get_bar_label (TbCredentialTimeline *self,
                                      guint                 index)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);
  return g_array_index (self->bars, Bar, index).label;
}

void
tb_credential_timeline_set_credentials (TbCredentialTimeline *self,
                                        GPtrArray            *credentials)
{
  g_return_if_fail (TB_IS_CREDENTIAL_TIMELINE (self));

  g_array_set_size (self->bars, 0);
  self->hovered = -1;
  self->focused = -1;

  for (guint i = 0; credentials != NULL && i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);
      GDateTime *start = tb_key_credential_get_start (credential);
      GDateTime *end = tb_key_credential_get_end (credential);
      Bar bar = { 0 };

      bar.credential = g_object_ref (credential);
      bar.title = tb_key_credential_dup_title (credential);
      bar.start = start != NULL ? g_date_time_to_unix (start) : G_MININT64;
      bar.end = end != NULL ? g_date_time_to_unix (end) : G_MAXINT64;
      g_array_append_val (self->bars, bar);
    }

  set_labels (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Credential timeline"),
                                  -1);
  rebuild (self);
}

void
tb_credential_timeline_set_highlight (TbCredentialTimeline *self,
                                      TbCertificate        *certificate)
{
  g_return_if_fail (TB_IS_CREDENTIAL_TIMELINE (self));
  g_return_if_fail (!certificate || TB_IS_CERTIFICATE (certificate));

  if (g_set_object (&self->highlight, certificate))
    rebuild (self);
}

void
tb_credential_timeline_set_warn_days (TbCredentialTimeline *self,
                                      guint                 warn_days)
{
  g_return_if_fail (TB_IS_CREDENTIAL_TIMELINE (self));

  if (self->warn_days != warn_days)
    {
      self->warn_days = warn_days;
      rebuild (self);
    }
}

void
tb_credential_timeline_set_now (TbCredentialTimeline *self,
                                GDateTime            *now)
{
  g_return_if_fail (TB_IS_CREDENTIAL_TIMELINE (self));

  g_clear_pointer (&self->fixed_now, g_date_time_unref);
  if (now != NULL)
    self->fixed_now = g_date_time_ref (now);
  rebuild (self);
}

guint
tb_credential_timeline_get_n_bars (TbCredentialTimeline *self)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), 0);

  return self->bars->len;
}

int
tb_credential_timeline_get_bar_at (TbCredentialTimeline *self,
                                   double                x,
                                   double                y)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), -1);

  /* The whole row answers, not just the bar: short bars are hard to hit. */
  for (guint i = 0; i < self->bars->len; i++)
    {
      double top = TOP_MARGIN + i * ROW_HEIGHT;

      if (y >= top && y < top + ROW_HEIGHT && x >= 0 && x < gtk_widget_get_width (GTK_WIDGET (self)))
        return (int) i;
    }
  return -1;
}

gboolean
tb_credential_timeline_get_bar_rect (TbCredentialTimeline *self,
                                     guint                 index,
                                     graphene_rect_t      *rect)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), FALSE);

  if (index >= self->bars->len)
    return FALSE;
  *rect = g_array_index (self->bars, Bar, index).rect;
  return TRUE;
}

char *
tb_credential_timeline_dup_bar_text (TbCredentialTimeline *self,
                                     guint                 index)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  return bar_text (&g_array_index (self->bars, Bar, index));
}

gboolean
tb_credential_timeline_get_bar_highlighted (TbCredentialTimeline *self,
                                            guint                 index)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), FALSE);
  g_return_val_if_fail (index < self->bars->len, FALSE);

  return g_array_index (self->bars, Bar, index).highlighted;
}

TbCertificateStatus
tb_credential_timeline_get_bar_status (TbCredentialTimeline *self,
                                       guint                 index)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), TB_CERTIFICATE_STATUS_VALID);
  g_return_val_if_fail (index < self->bars->len, TB_CERTIFICATE_STATUS_VALID);

  return g_array_index (self->bars, Bar, index).status;
}

const char *
tb_credential_timeline_get_description (TbCredentialTimeline *self)
{
  g_return_val_if_fail (TB_IS_CREDENTIAL_TIMELINE (self), NULL);

  return self->description;
}
