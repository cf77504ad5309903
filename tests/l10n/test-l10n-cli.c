/* test-l10n-cli.c: trust-bridge-cli in German and French
 *
 * Runs tests/l10n/tb-cli-uninstalled (trust-bridge-cli bound to the build tree's message
 * catalogues) the way an admin with a German or French desktop would: LANGUAGE and LC_ALL
 * set to a real locale (Debian's locales-all). Text for people is translated, dates follow
 * the locale; --json keeps its documented members, values and UTC dates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "tb-test-certs.h"
#include "tb-test-cli.h"

typedef struct
{
  const char *language;
  const char *locale;
} Lang;

static const Lang german = { "de", "de_DE.UTF-8" };
static const Lang french = { "fr", "fr_FR.UTF-8" };

static void
require_locale (const char *name)
{
  const char *old = setlocale (LC_ALL, NULL);
  g_autofree char *saved = g_strdup (old);

  if (setlocale (LC_ALL, name) == NULL)
    g_error ("The locale %s is missing; install Debian's locales-all (build-aux/deps.sh does).",
             name);
  setlocale (LC_ALL, saved);
}

/* trust-bridge-cli bound to the build tree's catalogues, as this test runs it. */
static TbTestCli *cli;

/* The CLI with LANGUAGE=@language and LC_ALL=@locale. */
static TbTestCli *
cli_in (const char *language,
        const char *locale)
{
  tb_test_cli_setenv (cli, "LANGUAGE", language);
  tb_test_cli_setenv (cli, "LC_ALL", locale);
  return cli;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is missing from:\n%s", needle, haystack);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    g_error ("“%s” is still in English in:\n%s", needle, haystack);
}

static void
check_help (const Lang *lang,
            const char *commands,
            const char *help_option,
            const char *enable_command)
{
  TbTestRun r = { 0 };

  require_locale (lang->locale);
  tb_test_cli_run (cli_in (lang->language, lang->locale), &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, commands);
  assert_contains (r.out, help_option);
  assert_contains (r.out, enable_command);
  /* Command and option names are what the admin types: never translated. */
  assert_contains (r.out, "trust establish");
  assert_contains (r.out, "--tls-fingerprint");
  assert_lacks (r.out, "Show this help");
  assert_lacks (r.out, "Enable service principals");
  tb_test_run_clear (&r);
}

static void
test_help (void)
{
  check_help (&german, "Befehle:", "Diese Hilfe anzeigen", "Dienstprinzipale aktivieren");
  check_help (&french, "Commandes\u00a0:", "Afficher cette aide",
              "Activer des principaux de service");
}

/* Without a de_DE locale, LANGUAGE still chooses the catalogue under C.UTF-8 (glibc only
 * ignores LANGUAGE in the plain "C" locale): machines without locales-all get German
 * messages with C dates. */
static void
test_language_under_c_utf8 (void)
{
  TbTestRun r = { 0 };

  tb_test_cli_run (cli_in ("de", "C.UTF-8"), &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Befehle:");
  tb_test_run_clear (&r);

  tb_test_cli_run (cli_in ("fr", "C"), &r, "--help", NULL);
  assert_contains (r.out, "Commands:");
  tb_test_run_clear (&r);
}

static void
test_error_message (void)
{
  TbTestRun r = { 0 };
  g_autofree char *empty = tb_test_write_file ("leer.cer", "", 0);

  require_locale (german.locale);
  tb_test_cli_run (cli_in (german.language, german.locale), &r, "cert", "inspect", empty, NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "„");
  assert_contains (r.err, "“ ist leer.");
  tb_test_run_clear (&r);

  require_locale (french.locale);
  tb_test_cli_run (cli_in (french.language, french.locale), &r, "--bogus", NULL);
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "commande «\u00a0--bogus\u00a0» inconnue");
  tb_test_run_clear (&r);
}

/* 15 March 2024 to 15 March 2034, 12:00 UTC */
static char *
write_ten_year_cert (void)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2024, 3, 15, 12, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_new_utc (2034, 3, 15, 12, 0, 0);
  TbTestCertSpec spec = {
    .common_name = "oauth.contoso.com",
    .key_type = TB_TEST_KEY_EC_P256,
    .not_before = g_date_time_to_unix (from),
    .not_after = g_date_time_to_unix (until),
  };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);

  return tb_test_write_file ("pool-oauth.cer", data, len);
}

static void
test_cert_inspect_dates (void)
{
  g_autofree char *path = write_ten_year_cert ();
  TbTestRun r = { 0 };

  require_locale (german.locale);
  tb_test_cli_run (cli_in (german.language, german.locale), &r, "cert", "inspect", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Antragsteller:");
  assert_contains (r.out, "Fingerabdruck (SHA-1):");
  /* German date order and month name, from the translated format and LC_TIME; no-break
   * spaces keep a date on one line */
  assert_contains (r.out, "15.\u00a0Mär\u00a02024, 12:00");
  assert_contains (r.out, "15.\u00a0Mär\u00a02034, 12:00 (läuft ab in ");
  assert_contains (r.out, " Jahren)");
  assert_contains (r.out, "Gültig\n");
  assert_lacks (r.out, "Mar");
  assert_lacks (r.out, "expires");
  tb_test_run_clear (&r);

  require_locale (french.locale);
  tb_test_cli_run (cli_in (french.language, french.locale), &r, "cert", "inspect", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The values line up behind the longest label, "Utilisation améliorée de la clé :" */
  assert_contains (r.out, "\n  Objet\u00a0:                           CN=oauth.contoso.com");
  assert_contains (r.out, "\n  Empreinte numérique (SHA-1)\u00a0:     ");
  assert_contains (r.out, "15\u00a0mars\u00a02024, 12:00");
  assert_contains (r.out, "15\u00a0mars\u00a02034, 12:00 (expire dans ");
  assert_contains (r.out, " ans)");
  assert_contains (r.out, "Valide\n");
  tb_test_run_clear (&r);
}

/* Scripts read --json in any language: members, values and dates exactly as documented. */
static void
test_json_is_not_translated (void)
{
  g_autofree char *path = write_ten_year_cert ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const Lang *langs[] = { &german, &french };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      TbTestRun r = { 0 };
      JsonObject *cert;

      require_locale (langs[i]->locale);
      tb_test_cli_run (cli_in (langs[i]->language, langs[i]->locale), &r, "cert", "inspect",
                       "--json", path, NULL);
      g_assert_cmpint (r.status, ==, 0);
      json_parser_load_from_data (parser, r.out, -1, &error);
      g_assert_no_error (error);
      cert = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)),
                                            0);
      g_assert_cmpstr (json_object_get_string_member (cert, "status"), ==, "valid");
      g_assert_cmpstr (json_object_get_string_member (cert, "not_before"), ==,
                       "2024-03-15T12:00:00Z");
      g_assert_cmpstr (json_object_get_string_member (cert, "not_after"), ==,
                       "2034-03-15T12:00:00Z");
      g_assert_cmpstr (json_object_get_string_member (cert, "key_algorithm"), ==, "EC");
      tb_test_run_clear (&r);
    }
}

/* The demo Front End starts misconfigured; a dry run lists the changes with translated
 * actions, and --json keeps the keywords. */
static void
test_pool_apply_actions (void)
{
  TbTestRun r = { 0 };

  require_locale (german.locale);
  tb_test_cli_run (cli_in (german.language, german.locale), &r, "--demo", "pool", "apply", "--host",
                   "pool.contoso.com", "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Probelauf: nichts wurde geändert");
  /* The demo pool's OAuth server points at another tenant: its URL is to be changed. */
  assert_contains (r.out, "  ändern   oauth-server\n");
  assert_lacks (r.out, "update");
  tb_test_run_clear (&r);

  /* pool status: results in German, the certificate's end in German date form */
  tb_test_cli_run (cli_in (german.language, german.locale), &r, "--demo", "pool", "status",
                   "--host", "pool.contoso.com", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.out, "  FEHLER   oauth-server\n");
  assert_contains (r.out, "  ok       oauth-certificate\n");
  assert_contains (r.out, "ist gültig bis ");
  assert_lacks (r.out, "T12:");
  assert_lacks (r.out, "Z (");
  tb_test_run_clear (&r);

  require_locale (french.locale);
  tb_test_cli_run (cli_in (french.language, french.locale), &r, "--demo", "pool", "apply", "--host",
                   "pool.contoso.com", "--dry-run", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *changes;
    JsonObject *change;

    json_parser_load_from_data (parser, r.out, -1, &error);
    g_assert_no_error (error);
    changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "changes");
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    change = json_array_get_object_element (changes, 0);
    g_assert_cmpstr (json_object_get_string_member (change, "item"), ==, "oauth-server");
    g_assert_cmpstr (json_object_get_string_member (change, "action"), ==, "update");
    /* The detail is a sentence for people, in their language. */
    assert_contains (json_object_get_string_member (change, "detail"),
                     "Changer l’URL de métadonnées du serveur OAuth microsoft.sts");
  }
  tb_test_run_clear (&r);
}

/* Signing in with a device code and reading the demo tenant's principals in French: the
 * sign-in sentence is ours (the service's is English), and labels line up however long their
 * translations are. */
static void
test_principals_show (void)
{
  TbTestRun r = { 0 };

  require_locale (french.locale);
  tb_test_cli_run (cli_in (french.language, french.locale), &r, "--demo", "principals", "show",
                   NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "Pour vous connecter, ouvrez http://127.0.0.1:");
  assert_contains (r.err, " et entrez le code ");
  assert_lacks (r.err, "use a web browser");
  /* "Informations d’identification :" is the longest label: 31 characters and a space */
  assert_contains (r.out, "  ID d’objet\u00a0:" "                    " "");
  /* The demo tenant holds the pool's earlier certificates: one expiring, one expired; the
   * shorter status is padded to the longer. */
  assert_contains (r.out, "  Informations d’identification\u00a0: Expire bientôt ");
  assert_contains (r.out, "\n" "                                  " "Expiré        ");
  tb_test_run_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = tb_test_cli_new ("l10n/tb-cli-uninstalled");
  /* TZ=UTC keeps dates predictable. */
  tb_test_cli_setenv (cli, "TZ", "UTC");

  g_test_add_func ("/l10n/cli/help", test_help);
  g_test_add_func ("/l10n/cli/language-under-c-utf8", test_language_under_c_utf8);
  g_test_add_func ("/l10n/cli/error-message", test_error_message);
  g_test_add_func ("/l10n/cli/cert-inspect-dates", test_cert_inspect_dates);
  g_test_add_func ("/l10n/cli/json-is-not-translated", test_json_is_not_translated);
  g_test_add_func ("/l10n/cli/pool-apply-actions", test_pool_apply_actions);
  g_test_add_func ("/l10n/cli/principals-show", test_principals_show);

  status = g_test_run ();
  tb_test_cli_free (cli);
  return status;
}
