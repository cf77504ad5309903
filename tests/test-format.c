/* test-format.c: the dates and phrases people and scripts read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "tb-format.h"

static GDateTime *
utc (int y, int mo, int d, int h, int mi)
{
  return g_date_time_new_utc (y, mo, d, h, mi, 0);
}

static void
test_iso8601 (void)
{
  g_autoptr(GDateTime) when = utc (2027, 3, 12, 14, 5);
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600 * 5);
  g_autoptr(GDateTime) shifted = g_date_time_to_timezone (when, tz);
  g_autofree char *a = tb_format_iso8601_utc (when);
  g_autofree char *b = tb_format_iso8601_utc (shifted);

  g_assert_cmpstr (a, ==, "2027-03-12T14:05:00Z");
  /* Whatever zone a date arrives in, scripts get UTC. */
  g_assert_cmpstr (b, ==, "2027-03-12T14:05:00Z");
}

static void
test_local (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) when = g_date_time_new (tz, 2027, 3, 2, 9, 7, 0);
  g_autofree char *text = tb_format_local (when);

  /* Unambiguous: day, abbreviated month, four-digit year, 24-hour time; no padding on the day. */
  g_assert_cmpstr (text, ==, "2 Mar 2027, 09:07");
}

static void
test_phrases (void)
{
  g_autoptr(GDateTime) now = utc (2026, 11, 26, 12, 0);
  const struct { GDateTime *from; GDateTime *to; const char *expected; } cases[] = {
    { utc (2026, 1, 1, 0, 0), utc (2027, 2, 26, 12, 0), "expires in 3 months" },
    { utc (2026, 1, 1, 0, 0), utc (2026, 11, 24, 12, 0), "expired 2 days ago" },
    { utc (2026, 1, 1, 0, 0), utc (2026, 11, 27, 12, 0), "expires in 1 day" },
    { utc (2026, 1, 1, 0, 0), utc (2026, 11, 26, 17, 0), "expires in 5 hours" },
    { utc (2026, 1, 1, 0, 0), utc (2026, 11, 26, 12, 30), "expires in less than an hour" },
    { utc (2026, 1, 1, 0, 0), utc (2029, 12, 1, 0, 0), "expires in 3 years" },
    { utc (2026, 1, 1, 0, 0), utc (2025, 11, 1, 0, 0), "expired 13 months ago" },
    { utc (2026, 1, 1, 0, 0), utc (2028, 10, 26, 0, 0), "expires in 23 months" },
    { utc (2026, 1, 1, 0, 0), utc (2023, 11, 1, 0, 0), "expired 3 years ago" },
    { utc (2026, 11, 29, 12, 0), utc (2028, 1, 1, 0, 0), "becomes valid in 3 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *phrase = tb_format_expiry_phrase (cases[i].from, cases[i].to, now);

      g_assert_cmpstr (phrase, ==, cases[i].expected);
      g_date_time_unref (cases[i].from);
      g_date_time_unref (cases[i].to);
    }
}

static void
test_hex (void)
{
  const guint8 bytes[] = { 0x00, 0x0a, 0xff, 0x5c };
  g_autofree char *hex = tb_format_hex (bytes, sizeof bytes);
  g_autofree char *empty = tb_format_hex (bytes, 0);

  g_assert_cmpstr (hex, ==, "000AFF5C");
  g_assert_cmpstr (empty, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/iso8601", test_iso8601);
  g_test_add_func ("/format/local", test_local);
  g_test_add_func ("/format/phrases", test_phrases);
  g_test_add_func ("/format/hex", test_hex);

  return g_test_run ();
}
