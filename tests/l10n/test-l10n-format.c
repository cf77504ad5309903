/* test-l10n-format.c: dates for people follow the language, dates for scripts never do
 *
 * tb_format_local and the relative phrases are what the GUI and the CLI's text output show;
 * tb_format_iso8601_utc is what --json, Graph requests and logs carry. Runs with the build
 * tree's catalogues and the locales of Debian's locales-all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "tb-format.h"

static void
use_language (const char *language,
              const char *locale)
{
  g_setenv ("LANGUAGE", language, TRUE);
  if (setlocale (LC_ALL, locale) == NULL)
    g_error ("The locale %s is missing; install Debian's locales-all (build-aux/deps.sh does).",
             locale);
}

/* Locales with other digits, calendars or date orders: the script format stays ISO 8601. */
static void
test_iso8601_in_every_locale (void)
{
  static const char * const locales[][2] = {
    { "de", "de_DE.UTF-8" }, { "fr", "fr_FR.UTF-8" }, { "fa", "fa_IR.UTF-8" },
    { "ar", "ar_EG.UTF-8" }, { "th", "th_TH.UTF-8" }, { "hi", "hi_IN.UTF-8" },
    { "en", "C.UTF-8" },
  };
  g_autoptr(GDateTime) when = g_date_time_new_utc (2027, 3, 12, 14, 5, 0);

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_autofree char *text = NULL;

      use_language (locales[i][0], locales[i][1]);
      text = tb_format_iso8601_utc (when);
      g_assert_cmpstr (text, ==, "2027-03-12T14:05:00Z");
    }
}

static void
test_local_dates (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = g_date_time_new (tz, 2027, 3, 2, 9, 7, 0);
  g_autoptr(GDateTime) december = g_date_time_new (tz, 2026, 12, 24, 18, 30, 0);
  char *text;

  use_language ("de", "de_DE.UTF-8");
  text = tb_format_local (when);
  /* day with a period, German month, no-break spaces keeping the date on one line */
  g_assert_cmpstr (text, ==, "2.\u00a0Mär\u00a02027, 09:07");
  g_free (text);
  text = tb_format_local (december);
  g_assert_cmpstr (text, ==, "24.\u00a0Dez\u00a02026, 18:30");
  g_free (text);

  use_language ("fr", "fr_FR.UTF-8");
  text = tb_format_local (when);
  g_assert_cmpstr (text, ==, "2\u00a0mars\u00a02027, 09:07");
  g_free (text);
  text = tb_format_local (december);
  g_assert_cmpstr (text, ==, "24\u00a0déc.\u00a02026, 18:30");
  g_free (text);

  use_language ("en", "C.UTF-8");
  text = tb_format_local (when);
  g_assert_cmpstr (text, ==, "2 Mar 2027, 09:07");
  g_free (text);
}

static void
assert_relative (GDateTime  *when,
                 GDateTime  *now,
                 const char *expected)
{
  g_autofree char *text = tb_format_relative (when, now);

  g_assert_cmpstr (text, ==, expected);
}

/* German and French count differently: French uses the singular for 0 and 1. */
static void
test_relative_plurals (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2027, 1, 10, 12, 0, 0);
  g_autoptr(GDateTime) in_a_day = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) in_3_days = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) two_months_ago = g_date_time_add_days (now, -60);
  g_autoptr(GDateTime) in_5_years = g_date_time_add_days (now, 5 * 365 + 2);
  g_autoptr(GDateTime) nb = g_date_time_add_days (now, -30);
  g_autofree char *de_phrase = NULL;
  g_autofree char *fr_phrase = NULL;

  use_language ("de", "de_DE.UTF-8");
  assert_relative (in_a_day, now, "in 1 Tag");
  assert_relative (in_3_days, now, "in 3 Tagen");
  assert_relative (two_months_ago, now, "vor 2 Monaten");
  assert_relative (in_5_years, now, "in 5 Jahren");
  de_phrase = tb_format_expiry_phrase (nb, in_3_days, now);
  g_assert_cmpstr (de_phrase, ==, "läuft ab in 3 Tagen");

  use_language ("fr", "fr_FR.UTF-8");
  assert_relative (in_a_day, now, "dans 1 jour");
  assert_relative (in_3_days, now, "dans 3 jours");
  assert_relative (two_months_ago, now, "il y a 2 mois");
  assert_relative (in_5_years, now, "dans 5 ans");
  fr_phrase = tb_format_expiry_phrase (nb, two_months_ago, now);
  g_assert_cmpstr (fr_phrase, ==, "a expiré il y a 2 mois");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, TB_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/l10n/format/iso8601-in-every-locale", test_iso8601_in_every_locale);
  g_test_add_func ("/l10n/format/local-dates", test_local_dates);
  g_test_add_func ("/l10n/format/relative-plurals", test_relative_plurals);

  return g_test_run ();
}
