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
#include <sys/wait.h>
#include <json-glib/json-glib.h>

#include "tb-test-certs.h"

typedef struct
{
  const char *language;
  const char *locale;
} Lang;

static const Lang german = { "de", "de_DE.UTF-8" };
static const Lang french = { "fr", "fr_FR.UTF-8" };

typedef struct
{
  char *out;
  char *err;
  int   exit_status;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

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

/* Runs the CLI with LANGUAGE=@language and LC_ALL=@locale; TZ=UTC keeps dates predictable. */
static void
run_cli (CliResult  *r,
         const char *language,
         const char *locale,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status = 0;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("TB_BUILD_DIR"), "tests", "l10n",
                                           "tb-cli-uninstalled", NULL));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  env = g_environ_setenv (env, "LC_ALL", locale, TRUE);
  env = g_environ_setenv (env, "TZ", "UTC", TRUE);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->exit_status = WEXITSTATUS (wait_status);
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
  CliResult r = { 0 };

  require_locale (lang->locale);
  run_cli (&r, lang->language, lang->locale, "--help", NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_contains (r.out, commands);
  assert_contains (r.out, help_option);
  assert_contains (r.out, enable_command);
  /* Command and option names are what the admin types: never translated. */
  assert_contains (r.out, "trust establish");
  assert_contains (r.out, "--tls-fingerprint");
  assert_lacks (r.out, "Show this help");
  assert_lacks (r.out, "Enable service principals");
  cli_result_clear (&r);
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
  CliResult r = { 0 };

  run_cli (&r, "de", "C.UTF-8", "--help", NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_contains (r.out, "Befehle:");
  cli_result_clear (&r);

  run_cli (&r, "fr", "C", "--help", NULL);
  assert_contains (r.out, "Commands:");
  cli_result_clear (&r);
}

static void
test_error_message (void)
{
  CliResult r = { 0 };
  g_autofree char *empty = tb_test_write_file ("leer.cer", "", 0);

  require_locale (german.locale);
  run_cli (&r, german.language, german.locale, "cert", "inspect", empty, NULL);
  g_assert_cmpint (r.exit_status, ==, 2);
  assert_contains (r.err, "„");
  assert_contains (r.err, "“ ist leer.");
  cli_result_clear (&r);

  require_locale (french.locale);
  run_cli (&r, french.language, french.locale, "--bogus", NULL);
  g_assert_cmpint (r.exit_status, ==, 2);
  assert_contains (r.err, "commande «\u00a0--bogus\u00a0» inconnue");
  cli_result_clear (&r);
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
  CliResult r = { 0 };

  require_locale (german.locale);
  run_cli (&r, german.language, german.locale, "cert", "inspect", path, NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
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
  cli_result_clear (&r);

  require_locale (french.locale);
  run_cli (&r, french.language, french.locale, "cert", "inspect", path, NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
  /* The values line up behind the longest label, "Utilisation améliorée de la clé :" */
  assert_contains (r.out, "\n  Objet\u00a0:                           CN=oauth.contoso.com");
  assert_contains (r.out, "\n  Empreinte numérique (SHA-1)\u00a0:     ");
  assert_contains (r.out, "15\u00a0mars\u00a02024, 12:00");
  assert_contains (r.out, "15\u00a0mars\u00a02034, 12:00 (expire dans ");
  assert_contains (r.out, " ans)");
  assert_contains (r.out, "Valide\n");
  cli_result_clear (&r);
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
      CliResult r = { 0 };
      JsonObject *cert;

      require_locale (langs[i]->locale);
      run_cli (&r, langs[i]->language, langs[i]->locale, "cert", "inspect", "--json", path,
               NULL);
      g_assert_cmpint (r.exit_status, ==, 0);
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
      cli_result_clear (&r);
    }
}

/* The demo Front End starts misconfigured; a dry run lists the changes with translated
 * actions, and --json keeps the keywords. */
static void
test_pool_apply_actions (void)
{
  CliResult r = { 0 };

  require_locale (german.locale);
  run_cli (&r, german.language, german.locale, "--demo", "pool", "apply",
           "--host", "pool.contoso.com", "--dry-run", NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_contains (r.out, "Probelauf: nichts wurde geändert");
  /* The demo pool's OAuth server points at another tenant: its URL is to be changed. */
  assert_contains (r.out, "  ändern   oauth-server\n");
  assert_lacks (r.out, "update");
  cli_result_clear (&r);

  /* pool status: results in German, the certificate's end in German date form */
  run_cli (&r, german.language, german.locale, "--demo", "pool", "status",
           "--host", "pool.contoso.com", NULL);
  g_assert_cmpint (r.exit_status, ==, 1);
  assert_contains (r.out, "  FEHLER   oauth-server\n");
  assert_contains (r.out, "  ok       oauth-certificate\n");
  assert_contains (r.out, "ist gültig bis ");
  assert_lacks (r.out, "T12:");
  assert_lacks (r.out, "Z (");
  cli_result_clear (&r);

  require_locale (french.locale);
  run_cli (&r, french.language, french.locale, "--demo", "pool", "apply",
           "--host", "pool.contoso.com", "--dry-run", "--json", NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
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
  cli_result_clear (&r);
}

/* Signing in with a device code and reading the demo tenant's principals in French: the
 * sign-in sentence is ours (the service's is English), and labels line up however long their
 * translations are. */
static void
test_principals_show (void)
{
  CliResult r = { 0 };

  require_locale (french.locale);
  run_cli (&r, french.language, french.locale, "--demo", "principals", "show", NULL);
  g_assert_cmpint (r.exit_status, ==, 0);
  assert_contains (r.err, "Pour vous connecter, ouvrez http://127.0.0.1:");
  assert_contains (r.err, " et entrez le code ");
  assert_lacks (r.err, "use a web browser");
  /* "Informations d’identification :" is the longest label: 31 characters and a space */
  assert_contains (r.out, "  ID d’objet\u00a0:" "                    " "");
  /* The demo tenant holds the pool's earlier certificates: one expiring, one expired; the
   * shorter status is padded to the longer. */
  assert_contains (r.out, "  Informations d’identification\u00a0: Expire bientôt ");
  assert_contains (r.out, "\n" "                                  " "Expiré        ");
  cli_result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/l10n/cli/help", test_help);
  g_test_add_func ("/l10n/cli/language-under-c-utf8", test_language_under_c_utf8);
  g_test_add_func ("/l10n/cli/error-message", test_error_message);
  g_test_add_func ("/l10n/cli/cert-inspect-dates", test_cert_inspect_dates);
  g_test_add_func ("/l10n/cli/json-is-not-translated", test_json_is_not_translated);
  g_test_add_func ("/l10n/cli/pool-apply-actions", test_pool_apply_actions);
  g_test_add_func ("/l10n/cli/principals-show", test_principals_show);

  return g_test_run ();
}
