/* tb-test-ui.c: helpers the GUI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "tb-account-button-private.h"
#include "tb-certificates-page.h"
#include "tb-device-code-dialog.h"
#include "tb-enum.h"
#include "tb-principals-page-private.h"
#include "tb-tenant-page.h"
#include "tb-test-ui.h"
#include "tb-ui-enums.h"

TbContext *
tb_test_context_new_demo (void)
{
  g_autoptr(GError) error = NULL;
  TbContext *context = tb_context_new ();

  g_assert_true (tb_test_start_demo (context, &error));
  g_assert_no_error (error);
  return context;
}

TbWindow *
tb_test_window_present (TbContext *context)
{
  TbWindow *window = g_object_ref (tb_window_new (NULL, context));

  gtk_window_present (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  return window;
}

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Drops the caller's reference to @object and waits until it is finalized: an operation still
 * in flight when its window closed (a WinRM shell being deleted on the Front End, say) may
 * hold it until that exchange ends, but never longer. */
static void
assert_finalized_soon (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gpointer weak = object;
  guint wake;

  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  wake = g_timeout_add (20, on_wake, NULL);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (weak != NULL)
    g_error ("A %s is still alive 30 s after it was released", G_OBJECT_TYPE_NAME (weak));
}

void
tb_test_window_close (TbWindow  *window,
                      TbContext *context)
{
  gtk_window_destroy (GTK_WINDOW (window));
  tb_test_iterate_pending ();
  assert_finalized_soon (window);
  assert_finalized_soon (context);
}

void
tb_test_demo_window_set_up (TbTestDemoWindow *fixture,
                            gconstpointer     data)
{
  fixture->context = tb_test_context_new_demo ();
  fixture->sim = tb_test_get_sim (fixture->context);
  g_assert_nonnull (fixture->sim);
  fixture->window = tb_test_window_present (fixture->context);
  fixture->page = tb_window_get_principals_page (fixture->window);
}

void
tb_test_demo_window_tear_down (TbTestDemoWindow *fixture,
                               gconstpointer     data)
{
  tb_test_window_close (fixture->window, fixture->context);
}

gboolean
tb_test_demo_window_signed_in_and_read (TbTestDemoWindow *fixture)
{
  return tb_auth_get_signed_in (tb_context_get_auth (fixture->context)) &&
         tb_principals_page_get_principal (fixture->page, SKYPE) != NULL &&
         !tb_principals_page_get_loading (fixture->page);
}

void
tb_test_window_sign_in (TbWindow  *window,
                        TbContext *context)
{
  TbTestDemoWindow view = {
    .context = context,
    .window = window,
    .page = tb_window_get_principals_page (window),
  };

  tb_test_assert_stack_shows (view.page->stack, TB_TYPE_PRINCIPALS_PAGE_STATE,
                              tb_principals_page_get_state (view.page),
                              TB_PRINCIPALS_PAGE_STATE_SIGNED_OUT);
  g_assert_cmpstr (tb_account_button_get_label (tb_window_get_account_button (window)), ==,
                   "Sign In");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  tb_test_wait_until (tb_test_demo_window_signed_in_and_read, &view, 30);
  g_assert_true (tb_principals_page_has_snapshot (view.page));
  /* A page updates while mapped, one that is not at its next map (TbPage): only a page on
   * screen shows what was read by now. */
  if (gtk_widget_get_mapped (GTK_WIDGET (view.page)))
    tb_test_assert_stack_shows (view.page->stack, TB_TYPE_PRINCIPALS_PAGE_STATE,
                                tb_principals_page_get_state (view.page),
                                TB_PRINCIPALS_PAGE_STATE_CONTENT);
}

GtkWidget *
tb_test_find_widget (GtkWidget         *root,
                     TbTestWidgetMatch  match,
                     gconstpointer      data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tb_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_widgets (GtkWidget         *widget,
                 TbTestWidgetMatch  match,
                 gconstpointer      data,
                 GPtrArray         *found)
{
  if (match (widget, data))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, match, data, found);
}

gboolean
tb_test_is_of_type (GtkWidget     *widget,
                    gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GPtrArray *
tb_test_collect_widgets (GtkWidget         *root,
                         TbTestWidgetMatch  match,
                         gconstpointer      data)
{
  GPtrArray *found = g_ptr_array_new ();

  collect_widgets (root, match, data, found);
  return found;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

GtkWidget *
tb_test_find_button (GtkWidget  *root,
                     const char *label)
{
  return tb_test_find_widget (root, is_button_labelled, label);
}

static gboolean
is_label_saying (GtkWidget     *widget,
                 gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

GtkWidget *
tb_test_find_label (GtkWidget  *root,
                    const char *text)
{
  return tb_test_find_widget (root, is_label_saying, text);
}

void
tb_test_click (GtkWidget  *root,
               const char *label)
{
  GtkWidget *button = tb_test_find_button (root, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  tb_test_iterate_pending ();
}

AdwMessageDialog *
tb_test_find_dialog (const char *heading_prefix)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && !TB_IS_DEVICE_CODE_DIALOG (l->data) &&
        gtk_widget_get_visible (l->data) &&
        g_str_has_prefix (adw_message_dialog_get_heading (l->data), heading_prefix))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer heading_prefix)
{
  return tb_test_find_dialog (heading_prefix) != NULL;
}

AdwMessageDialog *
tb_test_wait_for_dialog (const char *heading_prefix)
{
  tb_test_wait_until (dialog_shown, (gpointer) heading_prefix, 60);
  return tb_test_find_dialog (heading_prefix);
}

void
tb_test_respond (AdwMessageDialog *dialog,
                 const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  tb_test_iterate_pending ();
}

gboolean
tb_test_trust_settled (TbEstablishTrustDialog *dialog)
{
  TbEstablishTrustState state = tb_establish_trust_dialog_get_state (dialog);

  return state == TB_ESTABLISH_TRUST_STATE_PLAN || state == TB_ESTABLISH_TRUST_STATE_DONE ||
         state == TB_ESTABLISH_TRUST_STATE_FAILED;
}

gboolean
tb_test_tenant_idle (TbWindow *window)
{
  return !tb_tenant_page_get_loading (tb_window_get_tenant_page (window));
}

static gboolean
has_write_access (TbContext *context)
{
  return tb_auth_get_access (tb_context_get_auth (context)) == TB_AUTH_ACCESS_WRITE;
}

void
tb_test_grant_write_access (TbContext *context)
{
  AdwMessageDialog *consent = tb_test_wait_for_dialog ("Allow Changes");

  g_assert_nonnull (strstr (adw_message_dialog_get_body (consent), "Application.ReadWrite.All"));
  /* Answered from code, the dialog stays open (a click would close it): destroyed here. */
  tb_test_respond (consent, "sign-in");
  tb_test_wait_until (has_write_access, context, 60);
}

static gboolean
certificates_idle (gpointer certificates)
{
  return !tb_certificates_page_get_loading (certificates);
}

void
tb_test_load_certificate (TbWindow *window,
                          GBytes   *der)
{
  TbCertificatesPage *certificates = tb_window_get_certificates_page (window);
  g_autofree char *path = tb_test_write_file ("pool-oauth.cer", g_bytes_get_data (der, NULL),
                                              g_bytes_get_size (der));
  g_autoptr(GFile) file = g_file_new_for_path (path);

  tb_certificates_page_load_files (certificates, &file, 1);
  tb_test_wait_until (certificates_idle, certificates, 30);
  g_assert_nonnull (tb_certificates_page_get_selected (certificates));
}

void
tb_test_assert_stack_shows (GtkStack *stack,
                            GType     enum_type,
                            gint      shown,
                            gint      expected)
{
  g_assert_cmpint (shown, ==, expected);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==,
                   tb_enum_to_nick (enum_type, expected));
}
