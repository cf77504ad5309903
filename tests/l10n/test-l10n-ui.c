/* test-l10n-ui.c: the window in German and French
 *
 * Each test switches the process to a language (LANGUAGE plus the de_DE / fr_FR locale from
 * Debian's locales-all) with the build tree's catalogues, then builds the window as a user
 * sees it: the sidebar, page titles and certificate details are translated, dates and day
 * counts follow the locale, no page folds the window at its default size and no label that
 * ellipsizes is cut short. Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "tb-certificate-view.h"
#include "tb-certificates-page.h"
#include "tb-context.h"
#include "tb-establish-trust-dialog.h"
#include "tb-principals-page.h"
#include "tb-profile.h"
#include "tb-pool-page-private.h"
#include "tb-preferences-window.h"
#include "tb-property-row.h"
#include "tb-test-certs.h"
#include "tb-window-private.h"
#include "tb-test-util.h"

typedef struct
{
  const char *language;
  const char *locale;
  /* sidebar, in page order: overview, tenant, pool, service-principals, certificates */
  const char *pages[5];
  const char *not_after;        /* the start of the Valid until row for 15 March 2034 */
  const char *lifetime_total;   /* "of 3,652 days" with the locale's grouping */
  const char *status;           /* "Valid" */
  const char *pool_certificate; /* a phrase of the pool page */
  const char *preferences;      /* a title of the Preferences window */
  const char *establish;        /* the Establish Trust dialog's title */
  const char *key_credentials;  /* a group of the signed-in Service Principals page */
} Lang;

static const Lang german = {
  "de", "de_DE.UTF-8",
  { "Übersicht", "Mandant", "Lokaler Pool", "Dienstprinzipale", "Zertifikate" },
  "15.\u00a0Mär\u00a02034, 12:00 · in ",
  " von 3.652 Tagen sind vergangen",
  "Gültig",
  "OAuthTokenIssuer-Zertifikat",
  "Ablaufwarnung",
  "Vertrauensstellung einrichten (Microsoft 365-Seite)",
  "Anmeldeinformationen",
};

static const Lang french = {
  "fr", "fr_FR.UTF-8",
  { "Vue d’ensemble", "Locataire", "Pool local", "Principaux de service", "Certificats" },
  "15\u00a0mars\u00a02034, 12:00 · dans ",
  /* glibc's fr_FR groups digits with U+202F NARROW NO-BREAK SPACE */
  " jours sur 3\u202f652 sont écoulés",
  "Valide",
  "Certificat OAuthTokenIssuer",
  "Avertissement d’expiration",
  "Établir l’approbation (côté Microsoft 365)",
  "Informations d’identification",
};

static const char * const english_pages[] = {
  "Overview", "Tenant", "On-premises Pool", "Service Principals", "Certificates",
};

static void
use_language (const Lang *lang)
{
  g_setenv ("LANGUAGE", lang->language, TRUE);
  if (setlocale (LC_ALL, lang->locale) == NULL)
    g_error ("The locale %s is missing; install Debian's locales-all (build-aux/deps.sh does).",
             lang->locale);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

/* The translations of po/LANG.po, cut at their printf directives: the fixed words of every
 * message, to tell translated text from data (names, Base64, URLs) that ellipsizes on purpose. */
static GPtrArray *
load_translated_words (const char *language)
{
  g_autofree char *po = g_strdup_printf ("%s.po", language);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "po", po, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *current = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  /* msgstr "…" (or msgstr[N] "…") and the "…" lines that continue it */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gboolean starts = g_str_has_prefix (line, "msgstr") && strchr (line, '"') != NULL;

      if (current != NULL && (starts || line[0] != '"'))
        {
          if (current->len > 0)
            g_ptr_array_add (words, g_strdup (current->str));
          g_string_free (g_steal_pointer (&current), TRUE);
        }
      if (starts)
        current = g_string_new (NULL);
      if (current != NULL)
        {
          const char *quote = strchr (line, '"');
          g_autofree char *quoted = g_strndup (quote + 1, strlen (quote + 1) - 1);
          g_autofree char *plain = g_strcompress (quoted);

          g_string_append (current, plain);
        }
    }
  if (current != NULL)
    {
      if (current->len > 0)
        g_ptr_array_add (words, g_strdup (current->str));
      g_string_free (current, TRUE);
    }

  /* Split at directives such as %s, %u, %'u, %.8s; keep the pieces with words. */
  {
    GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < words->len; i++)
      {
        g_autoptr(GRegex) directive = g_regex_new ("%['.0-9-]*[a-z]", 0, 0, NULL);
        g_auto(GStrv) parts = g_regex_split (directive, words->pdata[i], 0);

        for (guint j = 0; parts[j] != NULL; j++)
          if (g_utf8_strlen (parts[j], -1) >= 4)
            g_ptr_array_add (pieces, g_strdup (parts[j]));
      }
    g_ptr_array_unref (words);
    return pieces;
  }
}

static gboolean
is_translated_text (const char *text,
                    GPtrArray  *words)
{
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = words->pdata[i];

      if (g_str_equal (text, word) || (strchr (word, ' ') != NULL && strstr (text, word)))
        return TRUE;
    }
  return FALSE;
}

/* A label narrower than its text shows "…" instead of words: Pango says so. Only translated
 * labels on screen count: hidden stack pages are laid out at zero size, and data such as a
 * long common name or Base64 ellipsizes by design. */
static void
assert_nothing_cut_off (GtkWidget  *root,
                        const char *language,
                        const char *where)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) words = load_translated_words (language);
  g_autoptr(GString) cut = g_string_new (NULL);
  guint checked = 0;

  collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];

      if (!gtk_widget_is_drawable (GTK_WIDGET (label)) ||
          gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE ||
          !is_translated_text (gtk_label_get_text (label), words))
        continue;
      checked++;
      if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        g_string_append_printf (cut, "  “%s” (%d pixels wide)\n", gtk_label_get_text (label),
                                gtk_widget_get_width (GTK_WIDGET (label)));
    }
  g_test_message ("%s: %u translated labels that could be cut off, checked", where, checked);
  if (cut->len > 0)
    g_error ("%s: text is cut off:\n%s", where, cut->str);
}

/* Waits in this file give up after 30 s. */
#define wait_until(done, data) tb_test_wait_until ((done), (data), 30)

static gboolean
certificates_loaded (gpointer page)
{
  return !tb_certificates_page_get_loading (page);
}

static gboolean
pool_loaded (gpointer page)
{
  return !tb_pool_page_get_loading (page) && tb_pool_page_get_pool_state (page) != NULL;
}

/* 15 March 2024 to 15 March 2034, 12:00 UTC: 3,652 days */
static GFile *
write_ten_year_cert (void)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2024, 3, 15, 12, 0, 0);
  g_autoptr(GDateTime) until = g_date_time_new_utc (2034, 3, 15, 12, 0, 0);
  TbTestCertSpec spec = {
    .common_name = "pool01-oauth-token-issuer.emea.contoso-pharmaceuticals.com",
    .organization = "Contoso Pharmaceuticals",
    .key_type = TB_TEST_KEY_RSA,
    .rsa_bits = 2048,
    .not_before = g_date_time_to_unix (from),
    .not_after = g_date_time_to_unix (until),
  };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (der, &len);
  g_autofree char *path = tb_test_write_file ("pool-oauth.cer", data, len);

  return g_file_new_for_path (path);
}

static const char *
view_row_value (TbCertificatesPage *page,
                const char         *name)
{
  GObject *view = gtk_widget_get_template_child (GTK_WIDGET (page), TB_TYPE_CERTIFICATES_PAGE,
                                                 "view");
  GObject *row = gtk_widget_get_template_child (GTK_WIDGET (view), TB_TYPE_CERTIFICATE_VIEW,
                                                name);

  g_assert_nonnull (row);
  return tb_property_row_get_value (TB_PROPERTY_ROW (row));
}

static void
assert_starts_with (const char *text,
                    const char *prefix)
{
  if (!g_str_has_prefix (text, prefix))
    g_error ("“%s” does not start with “%s”", text, prefix);
}

static void
assert_ends_with (const char *text,
                  const char *suffix)
{
  if (!g_str_has_suffix (text, suffix))
    g_error ("“%s” does not end with “%s”", text, suffix);
}

static void
check_window (gconstpointer data)
{
  const Lang *lang = data;
  static const char * const pages[] = {
    "overview", "tenant", "pool", "service-principals", "certificates",
  };
  g_autoptr(TbContext) context = NULL;
  g_autoptr(GFile) cert = NULL;
  g_autoptr(GFile) state = NULL;
  g_autofree char *state_path = NULL;
  TbCertificatesPage *certificates;
  TbPoolPage *pool;
  TbWindow *window;
  AdwLeaflet *leaflet;

  use_language (lang);
  g_setenv ("TZ", "UTC", TRUE);
  context = tb_context_new ();
  window = g_object_ref (tb_window_new (NULL, context));
  gtk_window_present (GTK_WINDOW (window));
  tb_test_iterate_pending ();

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      if (!has_label (GTK_WIDGET (window), lang->pages[i]))
        g_error ("the sidebar lacks “%s”", lang->pages[i]);
      g_assert_false (has_label (GTK_WIDGET (window), english_pages[i]));
    }

  /* A certificate with long names and a pool state with long URLs and sentences */
  certificates = tb_window_get_certificates_page (window);
  cert = write_ten_year_cert ();
  tb_window_open_files (window, &cert, 1);
  wait_until (certificates_loaded, certificates);

  pool = tb_window_get_pool_page (window);
  state_path = g_test_build_filename (G_TEST_DIST, "data", "pool-state-misconfigured.json", NULL);
  state = g_file_new_for_path (state_path);
  tb_window_open_files (window, &state, 1);
  tb_test_iterate_pending ();
  wait_until (pool_loaded, pool);

  assert_starts_with (view_row_value (certificates, "not_after_row"), lang->not_after);
  assert_ends_with (view_row_value (certificates, "lifetime_row"), lang->lifetime_total);

  leaflet = ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (window), TB_TYPE_WINDOW,
                                                        "leaflet"));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s, page %s", lang->language, pages[i]);

      tb_window_show_page (window, pages[i]);
      /* Let the frame clock lay the window out at its default size. */
      tb_test_iterate_for (500);
      if (adw_leaflet_get_folded (leaflet))
        g_error ("%s folds the window at its default width", where);
      assert_nothing_cut_off (GTK_WIDGET (window), lang->language, where);

      if (g_str_equal (pages[i], "certificates"))
        g_assert_true (has_label (GTK_WIDGET (window), lang->status));
      if (g_str_equal (pages[i], "pool"))
        g_assert_true (has_label (GTK_WIDGET (window), lang->pool_certificate));
    }

  /* The Preferences window and the Establish Trust dialog at their default sizes */
  {
    GtkWidget *prefs = tb_preferences_window_new (GTK_WINDOW (window), context);
    g_autofree char *where = g_strdup_printf ("%s, Preferences", lang->language);

    gtk_window_present (GTK_WINDOW (prefs));
    tb_test_iterate_for (500);
    if (!has_label (prefs, lang->preferences))
      g_error ("Preferences lacks “%s”", lang->preferences);
    assert_nothing_cut_off (prefs, lang->language, where);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }
  {
    TbCertificate *selected = tb_certificates_page_get_selected (certificates);
    GtkWidget *dialog = tb_establish_trust_dialog_new (GTK_WINDOW (window), context, selected);
    g_autofree char *where = g_strdup_printf ("%s, Establish Trust", lang->language);

    gtk_window_present (GTK_WINDOW (dialog));
    tb_test_iterate_for (500);
    if (!has_label (dialog, lang->establish))
      g_error ("Establish Trust lacks “%s”", lang->establish);
    assert_nothing_cut_off (dialog, lang->language, where);
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (window);
}

static gboolean
principals_read (gpointer data)
{
  TbWindow *window = data;
  TbPrincipalsPage *page = tb_window_get_principals_page (window);

  return tb_principals_page_get_principal (page, TB_APP_ID_SKYPE_ONLINE) != NULL &&
         !tb_principals_page_get_loading (page);
}

/* Signed in to the demo tenant: the pages full of principals, credentials and checks. */
static void
check_signed_in (gconstpointer data)
{
  const Lang *lang = data;
  static const char * const pages[] = { "service-principals", "overview", "tenant" };
  g_autoptr(TbContext) context = NULL;
  g_autoptr(GError) error = NULL;
  TbWindow *window;
  AdwLeaflet *leaflet;

  use_language (lang);
  g_setenv ("TZ", "UTC", TRUE);
  context = tb_context_new ();
  g_assert_true (tb_test_start_demo (context, &error));
  g_assert_no_error (error);
  window = g_object_ref (tb_window_new (NULL, context));
  gtk_window_present (GTK_WINDOW (window));
  tb_window_show_page (window, "service-principals");
  tb_test_iterate_pending ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  wait_until (principals_read, window);

  leaflet = ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (window), TB_TYPE_WINDOW,
                                                        "leaflet"));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s, signed in, page %s", lang->language,
                                                pages[i]);

      tb_window_show_page (window, pages[i]);
      tb_test_iterate_for (500);
      if (adw_leaflet_get_folded (leaflet))
        g_error ("%s folds the window at its default width", where);
      assert_nothing_cut_off (GTK_WIDGET (window), lang->language, where);
      if (g_str_equal (pages[i], "service-principals") &&
          !has_label (GTK_WIDGET (window), lang->key_credentials))
        g_error ("%s lacks “%s”", where, lang->key_credentials);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  bindtextdomain (GETTEXT_PACKAGE, TB_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_data_func ("/l10n/ui/german", &german, check_window);
  g_test_add_data_func ("/l10n/ui/french", &french, check_window);
  g_test_add_data_func ("/l10n/ui/german/signed-in", &german, check_signed_in);
  g_test_add_data_func ("/l10n/ui/french/signed-in", &french, check_signed_in);

  return g_test_run ();
}
