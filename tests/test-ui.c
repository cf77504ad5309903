/* test-ui.c: the window and the Certificates page, driven as a user would
 *
 * Runs under dbus-run-session and xvfb-run with GSETTINGS_BACKEND=memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tb-application-private.h"
#include "tb-certificate-loader.h"
#include "tb-certificate-row-private.h"
#include "tb-certificate-view.h"
#include "tb-certificates-page-private.h"
#include "tb-context.h"
#include "tb-pool-page-private.h"
#include "tb-property-row.h"
#include "tb-test-certs.h"
#include "tb-ui-util.h"
#include "tb-window-private.h"
#include "tb-test-ui.h"

#define DAY ((gint64) 24 * 60 * 60)

typedef struct
{
  TbContext          *context;
  TbWindow           *window;
  TbCertificatesPage *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->context = tb_context_new ();
  fixture->window = g_object_ref (tb_window_new (NULL, fixture->context));
  fixture->page = tb_window_get_certificates_page (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  tb_test_window_close (fixture->window, fixture->context);
}

static gboolean
certificates_idle (TbCertificatesPage *page)
{
  return !tb_certificates_page_get_loading (page);
}

static void
wait_for_loading (TbCertificatesPage *page)
{
  tb_test_wait_until (certificates_idle, page, 30);
}

static GFile *
write_file (const char   *basename,
            const void   *data,
            gsize         len)
{
  g_autofree char *path = tb_test_write_file (basename, data, len);

  return g_file_new_for_path (path);
}

static GFile *
write_cert (const char *basename,
            GBytes     *der)
{
  return write_file (basename, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
}

/* Windows and Entra show the SHA-1 of the DER bytes in upper-case hex, without separators. */
static char *
expected_thumbprint (GBytes *der)
{
  g_autofree char *lower = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, der);

  return g_ascii_strup (lower, -1);
}

static void
collect_label_text (GtkWidget *widget,
                    GString   *text)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_label_text (child, text);
}

static GObject *
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static GtkLabel *
view_label (TbCertificatesPage *page,
            const char         *name)
{
  GObject *view = template_child (page, TB_TYPE_CERTIFICATES_PAGE, "view");

  return GTK_LABEL (template_child (view, TB_TYPE_CERTIFICATE_VIEW, name));
}

static TbPropertyRow *
view_row (TbCertificatesPage *page,
          const char         *name)
{
  GObject *view = template_child (page, TB_TYPE_CERTIFICATES_PAGE, "view");

  return TB_PROPERTY_ROW (template_child (view, TB_TYPE_CERTIFICATE_VIEW, name));
}

static GtkDropTarget *
find_window_drop_target (TbWindow *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          g_assert_null (found);
          found = GTK_DROP_TARGET (controller);
        }
    }

  g_assert_nonnull (found);
  g_assert_true (found == tb_window_get_drop_target (window));
  g_assert_true (gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (found),
                                                    GDK_TYPE_FILE_LIST));
  g_assert_true (gtk_drop_target_get_actions (found) & GDK_ACTION_COPY);
  return found;
}

/* What a drag from Files does: enter (the window shows it will take the drop), then drop. */
static void
drop_files (TbWindow *window,
            GFile   **files,
            guint     n_files)
{
  GtkDropTarget *target = find_window_drop_target (window);
  GtkWidget *hint = tb_test_find_label (GTK_WIDGET (window), "Drop to inspect certificate");
  GValue value = G_VALUE_INIT;
  GSList *list = NULL;
  GdkDragAction action = 0;
  gboolean handled = FALSE;

  g_assert_nonnull (hint);
  g_assert_false (gtk_widget_is_visible (hint));

  g_signal_emit_by_name (target, "enter", 20.0, 20.0, &action);
  g_assert_cmpint (action, ==, GDK_ACTION_COPY);
  g_assert_true (gtk_widget_is_visible (hint));

  for (guint i = n_files; i > 0; i--)
    list = g_slist_prepend (list, files[i - 1]);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free (list);

  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);
  g_value_unset (&value);

  g_assert_true (handled);
  g_assert_false (gtk_widget_is_visible (hint));
  wait_for_loading (tb_window_get_certificates_page (window));
}

static void
drop_one (TbWindow *window,
          GFile    *file)
{
  drop_files (window, &file, 1);
}

static void
assert_selected_shows (TbCertificatesPage  *page,
                       const char          *common_name,
                       GBytes              *der,
                       TbCertificateStatus  status,
                       const char          *css_class)
{
  g_autofree char *thumbprint = expected_thumbprint (der);
  TbCertificate *selected = tb_certificates_page_get_selected (page);
  GtkLabel *sha1_label;
  GtkLabel *status_label;

  g_assert_nonnull (selected);
  g_assert_cmpstr (tb_certificate_get_common_name (selected), ==, common_name);

  g_assert_cmpstr (gtk_label_get_text (view_label (page, "title_label")), ==, common_name);

  status_label = view_label (page, "status_label");
  g_assert_cmpstr (gtk_label_get_text (status_label), ==, tb_certificate_status_get_label (status));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status_label), css_class));

  sha1_label = tb_property_row_get_value_label (view_row (page, "sha1_row"));
  g_assert_cmpstr (gtk_label_get_text (sha1_label), ==, thumbprint);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sha1_label), "monospace"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (sha1_label)));
}

/* The row on screen that shows the certificate listed at @index (the list view makes rows for
 * what is on screen only, in any order). */
static TbCertificateRow *
list_row (TbCertificatesPage *page,
          guint               index)
{
  GtkWidget *list_view = GTK_WIDGET (template_child (page, TB_TYPE_CERTIFICATES_PAGE,
                                                     "list_view"));
  g_autoptr(TbCertificate) certificate = NULL;

  tb_test_iterate_pending ();
  certificate = g_list_model_get_item (tb_certificates_page_get_certificates (page), index);
  g_assert_nonnull (certificate);
  for (GtkWidget *item = gtk_widget_get_first_child (list_view); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (TB_IS_CERTIFICATE_ROW (row) && gtk_widget_get_mapped (row) &&
          tb_certificate_row_get_certificate (TB_CERTIFICATE_ROW (row)) == certificate)
        return TB_CERTIFICATE_ROW (row);
    }
  g_error ("No row on screen shows certificate %u", index);
  return NULL;
}

/* What a key press does with the focus on @focus: the first shortcut for @accel of @focus or
 * of an ancestor (GTK's class key bindings among them), as the event would find it. */
static gboolean
press_key (GtkWidget  *focus,
           const char *accel)
{
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller),
                                                                       j);
              g_autofree char *trigger = gtk_shortcut_trigger_to_string (
                                           gtk_shortcut_get_trigger (shortcut));

              if (g_strcmp0 (trigger, accel) == 0 &&
                  gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, w,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  return FALSE;
}

static const char *
row_label (TbCertificateRow *row,
           const char       *name)
{
  return gtk_label_get_text (GTK_LABEL (template_child (row, TB_TYPE_CERTIFICATE_ROW, name)));
}

static const char *
visible_stack_page (TbCertificatesPage *page)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (template_child (page,
                                                                      TB_TYPE_CERTIFICATES_PAGE,
                                                                      "stack")));
}

static void
test_drop_shows_certificate (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GBytes) pool = tb_test_cert_make_rsa ("oauth.contoso.test", now - 10 * DAY,
                                                  now + 700 * DAY, 0xABCDEF);
  g_autoptr(GBytes) old = tb_test_cert_make_rsa ("old.contoso.test", now - 800 * DAY, now - 2 * DAY,
                                                 0x42);
  g_autoptr(GBytes) soon = tb_test_cert_make_rsa ("soon.contoso.test", now - 300 * DAY,
                                                  now + 5 * DAY, 0x43);
  g_autoptr(GFile) pool_file = write_cert ("pool.cer", pool);
  g_autoptr(GFile) old_file = write_cert ("old.cer", old);
  g_autoptr(GFile) soon_file = write_cert ("soon.cer", soon);
  GListModel *certificates = tb_certificates_page_get_certificates (fixture->page);

  tb_window_show_page (fixture->window, "overview");
  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "overview");
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, "empty");

  drop_one (fixture->window, pool_file);

  g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, "certificates");
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, "certificates");
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 1);
  assert_selected_shows (fixture->page, "oauth.contoso.test", pool,
                         TB_CERTIFICATE_STATUS_VALID, "success");
  g_assert_cmpstr (tb_property_row_get_value (view_row (fixture->page, "serial_row")), ==, "ABCDEF");
  g_assert_cmpstr (row_label (list_row (fixture->page, 0), "name_label"), ==, "oauth.contoso.test");

  /* The upload value is the one-line Base64 of the DER bytes. */
  {
    g_autofree char *base64 = g_base64_encode (g_bytes_get_data (pool, NULL),
                                               g_bytes_get_size (pool));

    g_assert_cmpstr (tb_property_row_get_value (view_row (fixture->page, "base64_row")), ==, base64);
  }

  /* Each new drop is added and selected; the status follows the dates and the threshold. */
  drop_one (fixture->window, old_file);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 2);
  assert_selected_shows (fixture->page, "old.contoso.test", old,
                         TB_CERTIFICATE_STATUS_EXPIRED, "error");
  g_assert_cmpstr (row_label (list_row (fixture->page, 1), "status_label"), ==,
                   tb_certificate_status_get_label (TB_CERTIFICATE_STATUS_EXPIRED));

  drop_one (fixture->window, soon_file);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 3);
  assert_selected_shows (fixture->page, "soon.contoso.test", soon,
                         TB_CERTIFICATE_STATUS_EXPIRING, "warning");

  /* Dropping a file that is already listed selects it rather than listing it twice. */
  drop_one (fixture->window, pool_file);
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 3);
  assert_selected_shows (fixture->page, "oauth.contoso.test", pool,
                         TB_CERTIFICATE_STATUS_VALID, "success");
}

static void
test_drop_bundle (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) first = tb_test_cert_make_rsa ("first.contoso.test", 0, 0, 0x1);
  g_autoptr(GBytes) second = tb_test_cert_make_rsa ("second.contoso.test", 0, 0, 0x2);
  g_autofree char *pem1 = tb_test_cert_to_pem (first);
  g_autofree char *pem2 = tb_test_cert_to_pem (second);
  g_autofree char *bundle = g_strconcat (pem1, pem2, NULL);
  g_autoptr(GFile) file = write_file ("bundle.pem", bundle, strlen (bundle));
  GListModel *certificates = tb_certificates_page_get_certificates (fixture->page);

  drop_one (fixture->window, file);

  /* Every certificate of the bundle is listed; the first of the file is selected. */
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 2);
  g_assert_cmpstr (row_label (list_row (fixture->page, 0), "name_label"), ==, "first.contoso.test");
  g_assert_cmpstr (row_label (list_row (fixture->page, 1), "name_label"), ==, "second.contoso.test");
  assert_selected_shows (fixture->page, "first.contoso.test", first,
                         TB_CERTIFICATE_STATUS_VALID, "success");

  /* From the keyboard: the row takes the focus itself, not its remove button; Ctrl+Down
   * moves the focus to the next row and Enter selects it, which becomes the window's
   * certificate; Up moves back and selects as it goes. */
  {
    GtkWidget *row = GTK_WIDGET (list_row (fixture->page, 0));
    TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (fixture->page));
    TbCertificate *selected;

    g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
    g_assert_true (gtk_widget_has_focus (row));
    g_assert_true (press_key (row, "<Control>Down"));
    tb_test_iterate_pending ();
    row = GTK_WIDGET (list_row (fixture->page, 1));
    g_assert_true (gtk_widget_has_focus (row));
    selected = tb_certificates_page_get_selected (fixture->page);
    g_assert_cmpstr (tb_certificate_get_common_name (selected), ==, "first.contoso.test");
    g_assert_true (press_key (row, "Return"));
    tb_test_iterate_pending ();
    selected = tb_certificates_page_get_selected (fixture->page);
    g_assert_cmpstr (tb_certificate_get_common_name (selected), ==, "second.contoso.test");
    g_assert_true (tb_workspace_get_certificate (workspace) == selected);
    g_assert_true (press_key (row, "Up"));
    tb_test_iterate_pending ();
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (list_row (fixture->page, 0))));
    g_assert_cmpstr (tb_certificate_get_common_name (tb_certificates_page_get_selected (
                       fixture->page)), ==, "first.contoso.test");

    /* A certificate chosen elsewhere is selected here. */
    {
      g_autoptr(TbCertificate) listed_first = g_list_model_get_item (certificates, 0);

      tb_workspace_set_certificate (workspace, listed_first);
      tb_test_iterate_pending ();
      g_assert_true (tb_certificates_page_get_selected (fixture->page) == listed_first);
    }
  }
}

static char *
error_strip_text (TbCertificatesPage *page)
{
  GString *text = g_string_new (NULL);

  collect_label_text (GTK_WIDGET (template_child (page, TB_TYPE_CERTIFICATES_PAGE, "error_box")),
                      text);
  return g_string_free (text, FALSE);
}

static gboolean
error_strip_revealed (TbCertificatesPage *page)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (template_child (page,
                                                                      TB_TYPE_CERTIFICATES_PAGE,
                                                                      "error_revealer")));
}

static char *
expected_error (GFile *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = tb_certificate_load_file (file, NULL, &error);

  g_assert_null (loaded);
  g_assert_error (error, TB_CERTIFICATE_ERROR, error->code);
  return g_strdup (error->message);
}

static void
assert_rejected_keeps_list (Fixture *fixture,
                            GFile   *bad_file)
{
  GListModel *certificates = tb_certificates_page_get_certificates (fixture->page);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *message = expected_error (bad_file);
  g_autofree char *basename = g_file_get_basename (bad_file);
  g_autofree char *shown = NULL;
  TbCertificate *selected = tb_certificates_page_get_selected (fixture->page);
  const char *page = visible_stack_page (fixture->page);

  for (guint i = 0; i < g_list_model_get_n_items (certificates); i++)
    g_ptr_array_add (before, g_list_model_get_item (certificates, i));

  drop_one (fixture->window, bad_file);

  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autoptr(TbCertificate) now = g_list_model_get_item (certificates, i);

      g_assert_true (now == g_ptr_array_index (before, i));
    }
  g_assert_true (tb_certificates_page_get_selected (fixture->page) == selected);
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, page);

  g_assert_true (error_strip_revealed (fixture->page));
  shown = error_strip_text (fixture->page);
  g_assert_nonnull (strstr (shown, message));
  g_assert_nonnull (strstr (shown, basename));
}

static void
test_rejected_file (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) good = tb_test_cert_make_rsa ("good.contoso.test", 0, 0, 0x7);
  g_autoptr(GFile) good_file = write_cert ("good.cer", good);
  g_autoptr(GFile) text_file = write_file ("notes.txt", "not a cert\n", 11);
  g_autoptr(GFile) empty_file = write_file ("empty.cer", "", 0);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (good, 0, g_bytes_get_size (good) / 2);
  g_autoptr(GFile) cut_file = write_cert ("cut.cer", cut);
  g_autofree char *shown = NULL;

  /* Rejected while nothing is loaded: the empty page stays, with the message above it. */
  assert_rejected_keeps_list (fixture, text_file);
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, "empty");

  drop_one (fixture->window, good_file);
  g_assert_false (error_strip_revealed (fixture->page));
  assert_selected_shows (fixture->page, "good.contoso.test", good,
                         TB_CERTIFICATE_STATUS_VALID, "success");

  assert_rejected_keeps_list (fixture, text_file);
  assert_rejected_keeps_list (fixture, empty_file);
  assert_rejected_keeps_list (fixture, cut_file);
  /* What is shown is still the good certificate. */
  assert_selected_shows (fixture->page, "good.contoso.test", good,
                         TB_CERTIFICATE_STATUS_VALID, "success");

  /* The message goes when dismissed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "certificates.dismiss-errors", NULL));
  g_assert_false (error_strip_revealed (fixture->page));
  shown = error_strip_text (fixture->page);
  g_assert_cmpstr (shown, ==, "");
}

/* Drops a.contoso.test, then b.contoso.test (selected, as the last file's). */
static void
drop_a_and_b (Fixture  *fixture,
              GBytes  **a,
              GBytes  **b)
{
  g_autoptr(GFile) a_file = NULL;
  g_autoptr(GFile) b_file = NULL;

  *a = tb_test_cert_make_rsa ("a.contoso.test", 0, 0, 0xA);
  *b = tb_test_cert_make_rsa ("b.contoso.test", 0, 0, 0xB);
  a_file = write_cert ("a.cer", *a);
  b_file = write_cert ("b.cer", *b);
  drop_one (fixture->window, a_file);
  drop_one (fixture->window, b_file);
  g_assert_cmpuint (g_list_model_get_n_items (tb_certificates_page_get_certificates (
                      fixture->page)), ==, 2);
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  GListModel *certificates = tb_certificates_page_get_certificates (fixture->page);
  TbCertificateRow *row;
  GtkButton *remove;
  g_autoptr(TbCertificate) remaining = NULL;

  /* A row not bound to a certificate offers nothing to remove. */
  {
    g_autoptr(GtkWidget) unbound = g_object_ref_sink (tb_certificate_row_new (30));

    remove = tb_certificate_row_get_remove_button (TB_CERTIFICATE_ROW (unbound));
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (remove)));
  }

  drop_a_and_b (fixture, &a, &b);

  /* The row's own button, named after its certificate for screen readers and tooltips. */
  row = list_row (fixture->page, 0);
  remove = tb_certificate_row_get_remove_button (row);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (remove)), ==,
                   "Remove certificate a.contoso.test");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (remove)));
  g_signal_emit_by_name (remove, "clicked");
  tb_test_iterate_pending ();

  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 1);
  remaining = g_list_model_get_item (certificates, 0);
  g_assert_cmpstr (tb_certificate_get_common_name (remaining), ==, "b.contoso.test");
  assert_selected_shows (fixture->page, "b.contoso.test", b, TB_CERTIFICATE_STATUS_VALID, "success");

  /* Remove the selected one by its action (the Delete key and the Remove button use it). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "certificates.remove-selected", NULL));
  tb_test_iterate_pending ();
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 0);
  g_assert_null (tb_certificates_page_get_selected (fixture->page));
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, "empty");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (template_child (fixture->page,
                                                                     TB_TYPE_CERTIFICATES_PAGE,
                                                                     "choose_button"))));
}

/* From the keyboard: Delete on the focused, selected row removes it; the row that takes its
 * place is selected and keeps the focus, so the next Delete goes on from there. */
static void
test_remove_keyboard (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  GListModel *certificates = tb_certificates_page_get_certificates (fixture->page);
  GtkWidget *row;

  drop_a_and_b (fixture, &a, &b);
  g_assert_cmpstr (tb_certificate_get_common_name (tb_certificates_page_get_selected (
                     fixture->page)), ==, "b.contoso.test");

  row = GTK_WIDGET (list_row (fixture->page, 1));
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (row)));
  g_assert_true (press_key (row, "Delete"));
  tb_test_iterate_pending ();

  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 1);
  assert_selected_shows (fixture->page, "a.contoso.test", a, TB_CERTIFICATE_STATUS_VALID,
                         "success");
  row = GTK_WIDGET (list_row (fixture->page, 0));
  g_assert_true (gtk_widget_has_focus (row));
  g_assert_true (press_key (row, "Delete"));
  tb_test_iterate_pending ();
  g_assert_cmpuint (g_list_model_get_n_items (certificates), ==, 0);
  g_assert_cmpstr (visible_stack_page (fixture->page), ==, "empty");
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GBytes) der = tb_test_cert_make_rsa ("export.contoso.test", 0, 0, 0x5);
  g_autoptr(GFile) file = write_cert ("export-in.cer", der);
  g_autofree char *dir = g_path_get_dirname (g_file_peek_path (file));
  g_autofree char *der_path = g_build_filename (dir, "export-out.cer", NULL);
  g_autofree char *pem_path = g_build_filename (dir, "export-out.pem", NULL);
  g_autoptr(GFile) der_file = g_file_new_for_path (der_path);
  g_autoptr(GFile) pem_file = g_file_new_for_path (pem_path);
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCertificate) reread = NULL;
  TbCertificate *selected;

  drop_one (fixture->window, file);
  selected = tb_certificates_page_get_selected (fixture->page);
  g_assert_nonnull (selected);

  tb_certificates_page_export (fixture->page, selected, der_file, FALSE);
  tb_certificates_page_export (fixture->page, selected, pem_file, TRUE);
  wait_for_loading (fixture->page);

  /* .cer is the very DER bytes. */
  written = g_file_load_bytes (der_file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (written, der));

  /* .pem reads back as the same certificate. */
  {
    g_autoptr(GPtrArray) certificates = tb_certificate_load_file (pem_file, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (certificates->len, ==, 1);
    g_assert_cmpstr (tb_certificate_get_sha256 (g_ptr_array_index (certificates, 0)), ==,
                     tb_certificate_get_sha256 (selected));
  }
  g_assert_false (error_strip_revealed (fixture->page));
}

static gboolean
is_inside (GtkWidget *widget,
           GType      type)
{
  return gtk_widget_get_ancestor (widget, type) != NULL;
}

/* GTK 4.8 cannot read accessible properties back, so the rule is enforced by convention:
 * a button either shows text or has a tooltip (and the code sets the same accessible label). */
static void
check_buttons (GtkWidget *widget,
               guint     *n_checked,
               GString   *unnamed)
{
  gboolean is_button = GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget);

  /* GTK's own window controls and a menu button's inner toggle are labelled by GTK. */
  if (GTK_IS_WINDOW_CONTROLS (widget))
    return;
  if (GTK_IS_BUTTON (widget) && is_inside (gtk_widget_get_parent (widget), GTK_TYPE_MENU_BUTTON))
    is_button = FALSE;

  if (is_button)
    {
      const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                                                  : gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      const char *tooltip = gtk_widget_get_tooltip_text (widget);
      gboolean icon_only = label == NULL || *label == '\0' ||
                           (GTK_IS_BUTTON (widget) &&
                            gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL);

      (*n_checked)++;
      if (icon_only && (tooltip == NULL || *tooltip == '\0'))
        g_string_append_printf (unnamed, "%s (%s) ",
                                G_OBJECT_TYPE_NAME (widget),
                                GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget))
                                  ? gtk_button_get_icon_name (GTK_BUTTON (widget)) : "no icon");
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_buttons (child, n_checked, unnamed);
}

static void
test_buttons_are_named (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) der = tb_test_cert_make_rsa ("named.contoso.test", 0, 0, 0x9);
  g_autoptr(GFile) file = write_cert ("named.cer", der);
  g_autoptr(GFile) bad = write_file ("bad.txt", "nope", 4);
  g_autoptr(GString) unnamed = g_string_new (NULL);
  guint n_checked = 0;

  /* Fill every state that has buttons: a listed certificate, its details, an error strip. */
  drop_one (fixture->window, file);
  drop_one (fixture->window, bad);
  g_assert_true (error_strip_revealed (fixture->page));

  check_buttons (GTK_WIDGET (fixture->window), &n_checked, unnamed);
  g_assert_cmpstr (unnamed->str, ==, "");
  /* back, menu, choose, add, row remove, dismiss, three copies, three exports/removes */
  g_assert_cmpuint (n_checked, >=, 12);
}

static void
test_demo_strip (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *label = tb_test_find_label (GTK_WIDGET (fixture->window),
                                         "Demo tenant — nothing here reaches Microsoft 365");

  g_assert_nonnull (label);
  g_assert_false (gtk_widget_is_visible (label));
  tb_context_set_demo (fixture->context, TRUE);
  g_assert_true (gtk_widget_is_visible (label));
  tb_context_set_demo (fixture->context, FALSE);
  g_assert_false (gtk_widget_is_visible (label));
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const pages[] = {
    "overview", "tenant", "pool", "service-principals", "audit", "certificates",
  };
  GtkListBox *sidebar = GTK_LIST_BOX (template_child (fixture->window, TB_TYPE_WINDOW, "sidebar"));

  /* The sidebar lists the pages in the documented order and selecting a row shows its page. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (sidebar, (int) i);

      g_assert_nonnull (row);
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, pages[i]);
      gtk_list_box_select_row (sidebar, row);
      g_assert_cmpstr (tb_window_get_visible_page (fixture->window), ==, pages[i]);
    }
  g_assert_null (gtk_list_box_get_row_at_index (sidebar, G_N_ELEMENTS (pages)));

  /* Showing a page from elsewhere keeps the sidebar in step. */
  tb_window_show_page (fixture->window, "tenant");
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (gtk_list_box_get_selected_row (sidebar))), ==,
                   "tenant");
}

static void
test_window_state (void)
{
  g_autoptr(TbContext) context = tb_context_new ();
  GSettings *settings = tb_context_get_settings (context);
  TbWindow *window;
  int width;
  int height;

  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = g_object_ref (tb_window_new (NULL, context));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* Only a realized window can be closed by the user. */
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_finalize_object (window);
}

static void
test_application (void)
{
  g_autoptr(TbApplication) app = tb_application_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) open_accels = NULL;
  g_auto(GStrv) quit_accels = NULL;
  g_auto(GStrv) help_accels = NULL;
  g_autoptr(GtkBuilder) builder = NULL;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app),
                                              (const char *[]) { "quit", "about", "open" }[i]));
  open_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.open");
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (open_accels[0], ==, "<Control>o");
  g_assert_cmpstr (quit_accels[0], ==, "<Control>q");

  /* Ctrl+? opens the shortcuts window each window gets after its first frame. */
  help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                       "win.show-help-overlay");
  g_assert_nonnull (help_accels[0]);
  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));

  /* The context exists from startup on, shared by every window. */
  g_assert_true (TB_IS_CONTEXT (tb_application_get_context (app)));
}

/* At its default size the window shows the sidebar beside every page: a page whose content
 * is wider than that folds the leaflet and hides the navigation. */
static void
test_default_size_not_folded (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *pages[] = { "overview", "tenant", "pool", "service-principals", "certificates" };
  TbTestCertSpec spec = {
    .common_name = "pool01-oauth-token-issuer.emea.contoso-pharmaceuticals.com",
    .key_type = TB_TEST_KEY_EC_P256,
  };
  g_autoptr(GBytes) der = tb_test_cert_make (&spec, NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  AdwLeaflet *leaflet;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (der, &len);

  path = tb_test_write_file ("wide.cer", bytes, len);
  file = g_file_new_for_path (path);
  tb_window_open_files (fixture->window, &file, 1);
  wait_for_loading (fixture->page);

  /* A pool state fills the pool page with long URLs and sentences. */
  {
    g_autofree char *state_path = g_test_build_filename (G_TEST_DIST, "data",
                                                         "pool-state-misconfigured.json", NULL);
    g_autoptr(GFile) state = g_file_new_for_path (state_path);
    TbPoolPage *pool = tb_window_get_pool_page (fixture->window);
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    tb_window_open_files (fixture->window, &state, 1);
    tb_test_iterate_pending ();
    while (tb_pool_page_get_loading (pool))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (1000);
      }
    g_assert_nonnull (tb_pool_page_get_pool_state (pool));
  }

  leaflet = ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                        TB_TYPE_WINDOW, "leaflet"));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      tb_window_show_page (fixture->window, pages[i]);
      /* Let the frame clock lay the window out at its default size. */
      while (g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (5000);

      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1100);
      if (adw_leaflet_get_folded (leaflet))
        g_error ("the %s page folds the window at its default width", pages[i]);
    }
}

static gboolean
is_button_with_tooltip (GtkWidget     *widget,
                        gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

/* A value row's Copy button puts the value the row shows on the clipboard, in whatever window
 * the row is; a row without a value offers nothing to copy. */
static void
test_value_row_copy (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = tb_value_row_new ("Request ID", "4b1c2d3e-aa", TRUE, TRUE);
  GtkWidget *empty = tb_value_row_new ("Error code", NULL, TRUE, TRUE);
  GtkWidget *button;
  GdkContentProvider *content;
  GValue value = G_VALUE_INIT;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_list_box_append (GTK_LIST_BOX (list), empty);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (tb_test_find_widget (empty, is_button_with_tooltip, "Copy"));

  button = tb_test_find_widget (row, is_button_with_tooltip, "Copy");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "row.copy");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (button));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpstr (g_value_get_string (&value), ==, "4b1c2d3e-aa");
  g_value_unset (&value);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/window/pages", test_pages);
  ADD ("/ui/window/demo-strip", test_demo_strip);
  ADD ("/ui/window/buttons-are-named", test_buttons_are_named);
  ADD ("/ui/certificates/drop", test_drop_shows_certificate);
  ADD ("/ui/certificates/drop-bundle", test_drop_bundle);
  ADD ("/ui/certificates/rejected-file", test_rejected_file);
  ADD ("/ui/certificates/remove", test_remove);
  ADD ("/ui/certificates/remove-keyboard", test_remove_keyboard);
  ADD ("/ui/certificates/export", test_export);
  g_test_add_func ("/ui/window/state", test_window_state);
  g_test_add ("/ui/window/default-size-not-folded", Fixture, NULL, fixture_set_up,
              test_default_size_not_folded, fixture_tear_down);
  g_test_add_func ("/ui/application", test_application);
  g_test_add_func ("/ui/value-row/copy", test_value_row_copy);

  return g_test_run ();
}
