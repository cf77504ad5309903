/* tb-certificates-page.c: load, inspect, export and remove certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-certificates-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-certificate-row.h"
#include "tb-certificate-view.h"
#include "tb-certificates-page-private.h"
#include "tb-ui-util.h"

/* Older messages scroll away rather than pushing the list off screen. */
#define MAX_ERRORS 4

G_DEFINE_FINAL_TYPE (TbCertificatesPage, tb_certificates_page, TB_TYPE_PAGE)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  EXPORT_DER,
  EXPORT_PEM,
} ExportFormat;

guint
_tb_certificates_page_get_warn_days (TbCertificatesPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  if (context == NULL)
    return TB_DEFAULT_WARN_DAYS;

  return tb_context_get_warn_days (context);
}

static void
update_actions (TbCertificatesPage *self)
{
  gboolean has_selection = tb_certificates_page_get_selected (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.export-der", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.export-pem", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "certificates.remove-selected", has_selection);
}

void
_tb_certificates_page_update_stack (TbCertificatesPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->certificates)) == 0;
  gboolean had_focus = gtk_widget_has_focus (GTK_WIDGET (self->choose_button));

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "certificates");
  /* Keyboard users who removed the last certificate land on the one button that helps. */
  if (empty && !had_focus && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->choose_button));
}

void
_tb_certificates_page_set_loading (TbCertificatesPage *self,
                                   guint               n_pending)
{
  gboolean was_loading = self->n_pending > 0;

  self->n_pending = n_pending;
  if (was_loading != (n_pending > 0))
    tb_page_set_busy (TB_PAGE (self), n_pending > 0);
}

static void
clear_errors (TbCertificatesPage *self)
{
  GtkWidget *child;

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->error_box))) != NULL)
    gtk_box_remove (self->error_box, child);
}

/* Its own list, not TbPage's inline error: that shows one error, and several files failing at
 * once (a drop of many) each keep theirs. */
void
_tb_certificates_page_show_error (TbCertificatesPage *self,
                                  const char         *heading,
                                  const char         *message)
{
  GtkWidget *entry;
  GtkWidget *label;
  GtkWidget *child;
  guint n_children = 0;

  entry = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  if (heading != NULL)
    {
      label = gtk_label_new (heading);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (entry), label);
    }

  label = gtk_label_new (message);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (entry), label);

  gtk_box_append (self->error_box, entry);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->error_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_children++;
  while (n_children-- > MAX_ERRORS)
    gtk_box_remove (self->error_box, gtk_widget_get_first_child (GTK_WIDGET (self->error_box)));

  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static gboolean
find_by_sha256 (TbCertificatesPage *self,
                TbCertificate      *certificate,
                guint              *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->certificates));
  const char *sha256 = tb_certificate_get_sha256 (certificate);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TbCertificate) other = g_list_model_get_item (G_LIST_MODEL (self->certificates), i);

      if (g_strcmp0 (tb_certificate_get_sha256 (other), sha256) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Enter on a row, as a list box row's activation did, selects it. */
static void
on_activate (TbCertificatesPage *self,
             guint               position)
{
  _tb_certificates_page_select_position (self, position, FALSE);
}

static void
on_selection_changed (TbCertificatesPage *self)
{
  /* The selection goes away during dispose too. */
  if (self->view == NULL)
    return;

  tb_certificate_view_set_certificate (self->view, tb_certificates_page_get_selected (self),
                                       _tb_certificates_page_get_warn_days (self));
  update_actions (self);
}

static void
on_warn_days_changed (TbCertificatesPage *self)
{
  guint warn_days = _tb_certificates_page_get_warn_days (self);

  if (self->list_view == NULL || self->view == NULL)
    return;

  /* The rows on screen; rows bound later read the threshold then. */
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (TB_IS_CERTIFICATE_ROW (row))
        tb_certificate_row_set_warn_days (TB_CERTIFICATE_ROW (row), warn_days);
    }
  tb_certificate_view_set_certificate (self->view,
                                       tb_certificate_view_get_certificate (self->view),
                                       warn_days);
}

static void
update_signed_in (TbCertificatesPage *self)
{
  if (self->view != NULL)
    tb_certificate_view_set_signed_in (self->view, tb_page_get_signed_in (TB_PAGE (self)));
}

static void
on_view_certificate_changed (TbCertificatesPage *self)
{
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));

  /* The certificate the admin chose is the workspace's: the Overview, Establish Trust and
   * the other pages read it there. (None while the page is taken down.) */
  if (workspace != NULL)
    tb_workspace_set_certificate (workspace, tb_certificates_page_get_selected (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* A certificate chosen elsewhere (the pool's, from the On-premises Pool page) is listed and
 * selected here. */
static void
on_workspace_certificate (TbCertificatesPage *self)
{
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));
  TbCertificate *certificate = tb_workspace_get_certificate (workspace);

  if (certificate != NULL && certificate != tb_certificates_page_get_selected (self))
    tb_certificates_page_add_certificate (self, certificate);
}

static GtkWindow *
get_parent_window (TbCertificatesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
destroy_chooser (TbCertificatesPage *self)
{
  tb_file_chooser_clear (&self->chooser);
  g_clear_object (&self->export_certificate);
}

static void
on_open_response (TbCertificatesPage   *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) array = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      array = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
    }

  destroy_chooser (self);

  if (array != NULL && array->len > 0)
    tb_certificates_page_load_files (self, (GFile **) array->pdata, array->len);
}

void
tb_certificates_page_choose_files (TbCertificatesPage *self)
{
  g_autoptr(GtkFileFilter) certificates = NULL;
  g_autoptr(GtkFileFilter) all = NULL;

  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));

  destroy_chooser (self);

  self->chooser = gtk_file_chooser_native_new (_("Open Certificates"),
                                               get_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  certificates = gtk_file_filter_new ();
  gtk_file_filter_set_name (certificates, _("Certificates (.cer, .crt, .pem, .der)"));
  gtk_file_filter_add_suffix (certificates, "cer");
  gtk_file_filter_add_suffix (certificates, "crt");
  gtk_file_filter_add_suffix (certificates, "pem");
  gtk_file_filter_add_suffix (certificates, "der");
  gtk_file_filter_add_mime_type (certificates, "application/pkix-cert");
  gtk_file_filter_add_mime_type (certificates, "application/x-x509-ca-cert");
  gtk_file_filter_add_mime_type (certificates, "application/x-pem-file");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), certificates);

  /* Content decides the format, so any file may be tried. */
  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), certificates);

  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_open_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbCertificatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *text = NULL;
  gboolean ok;

  ok = g_file_replace_contents_finish (G_FILE (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (tb_page_get_cancellable (TB_PAGE (self))))
    return;

  _tb_certificates_page_set_loading (self, self->n_pending - 1);

  if (!ok)
    {
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("“%s” was not saved"), name);
      _tb_certificates_page_show_error (self, text, error->message);
      return;
    }

  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved “%s”"), name);
  tb_widget_show_toast (GTK_WIDGET (self), text);
}

void
tb_certificates_page_export (TbCertificatesPage *self,
                             TbCertificate      *certificate,
                             GFile              *file,
                             gboolean            pem)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (TB_IS_CERTIFICATE (certificate));
  g_return_if_fail (G_IS_FILE (file));

  if (pem)
    {
      char *text = tb_certificate_dup_pem (certificate);

      bytes = g_bytes_new_take (text, strlen (text));
    }
  else
    bytes = g_bytes_ref (tb_certificate_get_der (certificate));

  _tb_certificates_page_set_loading (self, self->n_pending + 1);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       tb_page_get_cancellable (TB_PAGE (self)),
                                       on_export_written,
                                       g_object_ref (self));
}

static void
on_export_response (TbCertificatesPage   *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file != NULL && self->export_certificate != NULL)
    tb_certificates_page_export (self, self->export_certificate, file, self->export_pem);
  g_clear_object (&self->export_certificate);
}

static void
export_certificate (TbCertificatesPage *self,
                    ExportFormat        format)
{
  TbCertificate *certificate = tb_certificates_page_get_selected (self);
  g_autofree char *file_name = NULL;

  if (certificate == NULL)
    return;

  destroy_chooser (self);

  self->chooser = gtk_file_chooser_native_new (format == EXPORT_DER
                                                 ? _("Export Certificate as .cer")
                                                 : _("Export Certificate as .pem"),
                                               get_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  /* A common name may hold characters no file name should. */
  file_name = g_strdup_printf ("%s.%s",
                               tb_certificate_get_display_name (certificate),
                               format == EXPORT_DER ? "cer" : "pem");
  g_strdelimit (file_name, "/\\:*?\"<>|", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), file_name);

  self->export_pem = format == EXPORT_PEM;
  g_set_object (&self->export_certificate, certificate);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_export_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
certificates_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TbCertificatesPage *self = TB_CERTIFICATES_PAGE (widget);

  if (g_str_equal (action_name, "certificates.choose-files"))
    tb_certificates_page_choose_files (self);
  else if (g_str_equal (action_name, "certificates.export-der"))
    export_certificate (self, EXPORT_DER);
  else if (g_str_equal (action_name, "certificates.export-pem"))
    export_certificate (self, EXPORT_PEM);
  else if (g_str_equal (action_name, "certificates.remove-selected"))
    {
      TbCertificate *selected = tb_certificates_page_get_selected (self);

      if (selected != NULL)
        tb_certificates_page_remove (self, selected);
    }
  else if (g_str_equal (action_name, "certificates.dismiss-errors"))
    clear_errors (self);
}

static void
tb_certificates_page_dispose (GObject *object)
{
  TbCertificatesPage *self = TB_CERTIFICATES_PAGE (object);

  destroy_chooser (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_CERTIFICATES_PAGE);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (tb_certificates_page_parent_class)->dispose (object);
}

static void
tb_certificates_page_finalize (GObject *object)
{
  TbCertificatesPage *self = TB_CERTIFICATES_PAGE (object);

  g_clear_object (&self->certificates);

  G_OBJECT_CLASS (tb_certificates_page_parent_class)->finalize (object);
}

static void
tb_certificates_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TbCertificatesPage *self = TB_CERTIFICATES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, tb_certificates_page_get_selected (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_certificates_page_context_changed (TbPage *page)
{
  on_warn_days_changed (TB_CERTIFICATES_PAGE (page));
}

static void
tb_certificates_page_workspace_changed (TbPage *page)
{
  TbCertificatesPage *self = TB_CERTIFICATES_PAGE (page);

  if (tb_workspace_get_certificate (tb_page_get_workspace (page)) != NULL)
    on_workspace_certificate (self);
  else
    on_view_certificate_changed (self);
}

static void
tb_certificates_page_auth_changed (TbPage *page)
{
  update_signed_in (TB_CERTIFICATES_PAGE (page));
}

static void
tb_certificates_page_class_init (TbCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TbPageClass *page_class = TB_PAGE_CLASS (klass);

  object_class->dispose = tb_certificates_page_dispose;
  object_class->finalize = tb_certificates_page_finalize;
  object_class->get_property = tb_certificates_page_get_property;
  page_class->context_changed = tb_certificates_page_context_changed;
  page_class->auth_changed = tb_certificates_page_auth_changed;
  page_class->workspace_changed = tb_certificates_page_workspace_changed;
  /* The certificate shown on the right; the Overview checks the tenant for it. */
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, TB_TYPE_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "certificates.choose-files", NULL, certificates_action);
  gtk_widget_class_install_action (widget_class, "certificates.export-der", NULL, certificates_action);
  gtk_widget_class_install_action (widget_class, "certificates.export-pem", NULL, certificates_action);
  gtk_widget_class_install_action (widget_class, "certificates.remove-selected", NULL, certificates_action);
  gtk_widget_class_install_action (widget_class, "certificates.dismiss-errors", NULL, certificates_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "certificates.remove-selected", NULL);

  g_type_ensure (TB_TYPE_CERTIFICATE_VIEW);
  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-certificates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, TbCertificatesPage, view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
tb_certificates_page_init (TbCertificatesPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->certificates = g_list_store_new (TB_TYPE_CERTIFICATE);
  /* The threshold can change in Preferences while certificates are listed. */
  g_signal_group_connect_object (tb_page_get_context_signals (TB_PAGE (self)),
                                 "notify::warn-days", G_CALLBACK (on_warn_days_changed), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_auth_signals (TB_PAGE (self)), "notify::signed-in",
                                 G_CALLBACK (update_signed_in), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_workspace_signals (TB_PAGE (self)),
                                 "notify::certificate", G_CALLBACK (on_workspace_certificate),
                                 self, G_CONNECT_SWAPPED);

  factory = _tb_certificates_page_new_row_factory (self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  /* Selected only by the page or the admin: nothing is chosen for the admin behind their back,
   * as a list box in single mode did. */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->certificates)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->view, "notify::certificate",
                           G_CALLBACK (on_view_certificate_changed), self, G_CONNECT_SWAPPED);
  update_actions (self);
  update_signed_in (self);
}

GtkWidget *
tb_certificates_page_new (TbContext *context)
{
  return g_object_new (TB_TYPE_CERTIFICATES_PAGE, "context", context, NULL);
}

TbContext *
tb_certificates_page_get_context (TbCertificatesPage *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATES_PAGE (self), NULL);

  return tb_page_get_context (TB_PAGE (self));
}

void
tb_certificates_page_set_context (TbCertificatesPage *self,
                                  TbContext          *context)
{
  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));
  tb_page_set_context (TB_PAGE (self), context);
}

void
tb_certificates_page_load_files (TbCertificatesPage  *self,
                                 GFile              **files,
                                 guint                n_files)
{
  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  /* The strip speaks about the latest files only. */
  clear_errors (self);

  for (guint i = 0; i < n_files; i++)
    _tb_certificates_page_load_file (self, files[i]);
}

TbCertificate *
tb_certificates_page_add_certificate (TbCertificatesPage *self,
                                      TbCertificate      *certificate)
{
  g_autoptr(TbCertificate) listed = NULL;
  guint position;

  g_return_val_if_fail (TB_IS_CERTIFICATES_PAGE (self), NULL);
  g_return_val_if_fail (TB_IS_CERTIFICATE (certificate), NULL);

  /* A certificate that arrives is a success: an older file's error no longer applies. */
  clear_errors (self);
  /* As with files: the same certificate twice is selected again, not listed twice. */
  if (!find_by_sha256 (self, certificate, &position))
    {
      position = g_list_model_get_n_items (G_LIST_MODEL (self->certificates));
      g_list_store_append (self->certificates, certificate);
    }
  _tb_certificates_page_update_stack (self);
  _tb_certificates_page_select_position (self, position, FALSE);
  update_actions (self);

  listed = g_list_model_get_item (G_LIST_MODEL (self->certificates), position);
  return listed;
}

gboolean
tb_certificates_page_get_loading (TbCertificatesPage *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATES_PAGE (self), FALSE);

  return self->n_pending > 0;
}

GListModel *
tb_certificates_page_get_certificates (TbCertificatesPage *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATES_PAGE (self), NULL);

  return G_LIST_MODEL (self->certificates);
}

TbCertificate *
tb_certificates_page_get_selected (TbCertificatesPage *self)
{
  g_return_val_if_fail (TB_IS_CERTIFICATES_PAGE (self), NULL);

  if (self->selection == NULL)
    return NULL;

  return gtk_single_selection_get_selected_item (self->selection);
}

void
tb_certificates_page_select (TbCertificatesPage *self,
                             TbCertificate      *certificate)
{
  guint position;

  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (TB_IS_CERTIFICATE (certificate));

  if (g_list_store_find (self->certificates, certificate, &position))
    _tb_certificates_page_select_position (self, position, FALSE);
}

void
tb_certificates_page_remove (TbCertificatesPage *self,
                             TbCertificate      *certificate)
{
  gboolean was_selected;
  gboolean had_focus;
  guint position;
  guint n;

  g_return_if_fail (TB_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (TB_IS_CERTIFICATE (certificate));

  if (!g_list_store_find (self->certificates, certificate, &position))
    return;

  was_selected = tb_certificates_page_get_selected (self) == certificate;
  had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self->list_view)) != NULL;

  g_list_store_remove (self->certificates, position);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->certificates));
  if (n > 0 && (was_selected || tb_certificates_page_get_selected (self) == NULL))
    _tb_certificates_page_select_position (self, MIN (position, n - 1), had_focus);

  _tb_certificates_page_update_stack (self);
  update_actions (self);
}
