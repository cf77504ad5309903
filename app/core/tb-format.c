/* tb-format.c: dates and phrases shown to people and written for scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-format"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-format.h"

/* Written by hand: g_date_time_format()'s %Y gives "644" for the year 644, which no ISO 8601
 * reader takes back. Every GDateTime year is 1..9999, so four digits always suffice. */
static char *
format_utc (GDateTime  *utc,
            const char *date_time_sep,
            const char *suffix)
{
  return g_strdup_printf ("%04d-%02d-%02d%s%02d:%02d:%02d%s",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), date_time_sep,
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc), suffix);
}

char *
tb_format_iso8601_utc (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  /* Converting to UTC cannot leave the range a GDateTime holds unless @when carries an
   * offset past it (9999-12-31T23:00-05:00); then the wall time with its offset is written. */
  utc = g_date_time_to_utc (when);
  if (utc == NULL)
    {
      g_autofree char *local = format_utc (when, "T", "");
      GTimeSpan offset = g_date_time_get_utc_offset (when);
      gint64 minutes = ABS (offset) / G_TIME_SPAN_MINUTE;

      return g_strdup_printf ("%s%c%02d:%02d", local, offset < 0 ? '-' : '+',
                              (int) (minutes / 60), (int) (minutes % 60));
    }
  return format_utc (utc, "T", "Z");
}

char *
tb_format_local (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  char *text;

  g_return_val_if_fail (when != NULL, NULL);

  /* East of UTC, 9999-12-31T23:59Z is past the last day a GDateTime can hold: the local time
   * does not exist and the date is shown in UTC instead. */
  local = g_date_time_to_local (when);
  if (local != NULL)
    {
      /* Translators: a date and time such as "12 Mar 2027, 14:05"; see g_date_time_format() */
      text = g_date_time_format (local, _("%-d %b %Y, %H:%M"));
      if (text != NULL)
        return text;
    }

  /* A translation with a format GLib cannot use, or a local time out of range: the UTC time,
   * which always exists, written out in full. */
  utc = g_date_time_to_utc (when);
  if (utc != NULL)
    {
      g_autofree char *iso = format_utc (utc, " ", "");

      /* Translators: %s is a date and time such as "9999-12-31 23:59:59" in UTC */
      return g_strdup_printf (_("%s UTC"), iso);
    }
  return tb_format_iso8601_utc (when);
}

typedef enum { FUTURE, PAST } Direction;

/* One unit, rounded the way people speak about certificate lifetimes. */
static char *
describe_span (GTimeSpan span,
               Direction dir)
{
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 hours = span / G_TIME_SPAN_HOUR;
  gint64 days = span / G_TIME_SPAN_DAY;

  if (minutes < 60)
    return g_strdup (dir == FUTURE ? _("in less than an hour") : _("less than an hour ago"));

  if (hours < 24)
    return g_strdup_printf (dir == FUTURE
                            ? g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", hours)
                            : g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours),
                            (int) hours);

  if (days < 45)
    return g_strdup_printf (dir == FUTURE
                            ? g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", days)
                            : g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                            (int) days);

  /* Months up to two years: "in 1 year" for 23 months would understate what is left. */
  if (days < 730)
    {
      gint64 months = (days + 15) / 30;

      return g_strdup_printf (dir == FUTURE
                              ? g_dngettext (GETTEXT_PACKAGE, "in %d month", "in %d months", months)
                              : g_dngettext (GETTEXT_PACKAGE, "%d month ago", "%d months ago", months),
                              (int) months);
    }

  {
    gint64 years = days / 365;

    return g_strdup_printf (dir == FUTURE
                            ? g_dngettext (GETTEXT_PACKAGE, "in %d year", "in %d years", years)
                            : g_dngettext (GETTEXT_PACKAGE, "%d year ago", "%d years ago", years),
                            (int) years);
  }
}

char *
tb_format_relative (GDateTime *when,
                    GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan diff;

  g_return_val_if_fail (when != NULL, NULL);

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();

  diff = g_date_time_difference (when, now);
  if (diff >= 0)
    return describe_span (diff, FUTURE);
  return describe_span (-diff, PAST);
}

char *
tb_format_expiry_phrase (GDateTime *not_before,
                         GDateTime *not_after,
                         GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *relative = NULL;

  g_return_val_if_fail (not_before != NULL && not_after != NULL, NULL);

  if (now == NULL)
    now = local_now = g_date_time_new_now_utc ();

  if (g_date_time_compare (now, not_before) < 0)
    {
      relative = tb_format_relative (not_before, now);
      /* Translators: %s is a relative time such as "in 3 days" */
      return g_strdup_printf (_("becomes valid %s"), relative);
    }

  relative = tb_format_relative (not_after, now);
  if (g_date_time_compare (now, not_after) > 0)
    /* Translators: %s is a relative time such as "2 days ago" */
    return g_strdup_printf (_("expired %s"), relative);

  /* Translators: %s is a relative time such as "in 3 months" */
  return g_strdup_printf (_("expires %s"), relative);
}

char *
tb_format_hex (const guint8 *data,
               gsize         len)
{
  static const char digits[] = "0123456789ABCDEF";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[i * 2] = digits[data[i] >> 4];
      out[i * 2 + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';

  return out;
}
