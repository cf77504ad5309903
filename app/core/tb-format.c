/* tb-format.c: dates and phrases shown to people and written for scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-format.h"

char *
tb_format_iso8601_utc (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
tb_format_local (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (when != NULL, NULL);

  local = g_date_time_to_local (when);
  /* Translators: a date and time such as "12 Mar 2027, 14:05"; see g_date_time_format() */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
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
