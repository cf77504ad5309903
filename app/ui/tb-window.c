/* tb-window.c: the main window: sidebar of pages, header bar, window state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog.h"
#include "tb-sign-in.h"
#include "tb-renderer.h"
#include "tb-ui-util.h"
#include "tb-window-private.h"

G_DEFINE_FINAL_TYPE (TbWindow, tb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_tb_window_update_loading (TbWindow *self)
{
  /* Pages not built yet are not loading anything. */
  gboolean loading = (self->certificates_page != NULL &&
                      tb_certificates_page_get_loading (self->certificates_page)) ||
                     (self->principals_page != NULL &&
                      tb_principals_page_get_loading (self->principals_page)) ||
                     (self->tenant_page != NULL &&
                      tb_tenant_page_get_loading (self->tenant_page)) ||
                     (self->pool_page != NULL && tb_pool_page_get_loading (self->pool_page));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

static void
update_demo (TbWindow *self)
{
  gtk_widget_set_visible (self->demo_strip,
                          self->context != NULL && tb_context_get_demo (self->context));
}

static void
on_visible_page_changed (TbWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkListBoxRow *row;

  if (child == NULL)
    return;

  _tb_window_ensure_page (self, name);
  adw_window_title_set_title (self->title,
                              gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child)));

  /* Keep the sidebar in step when the page changes from elsewhere (a drop, Ctrl+O). */
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar, i)) != NULL; i++)
    {
      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), name) == 0)
        {
          if (gtk_list_box_get_selected_row (self->sidebar) != row)
            gtk_list_box_select_row (self->sidebar, row);
          break;
        }
    }
}

static void
on_sidebar_row_selected (TbWindow      *self,
                         GtkListBoxRow *row)
{
  if (row != NULL)
    gtk_stack_set_visible_child_name (self->stack, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_sidebar_row_activated (TbWindow      *self,
                          GtkListBoxRow *row)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_folded_changed (TbWindow *self)
{
  /* Unfolding shows both sides; folding starts from the page the user was reading. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gboolean ok = tb_sign_in_finish (result, &error);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* A sign-in replaced by a newer one leaves the button to that one. */
  if (!cancelled || self->sign_in_cancellable == NULL ||
      g_cancellable_is_cancelled (self->sign_in_cancellable))
    tb_account_button_set_busy (self->account_button, FALSE);
  if (!ok && !cancelled)
    {
      g_autofree char *text = g_strdup_printf (_("Sign-in failed: %s"), error->message);

      tb_widget_show_toast (GTK_WIDGET (self), text);
    }
}

static void
sign_in (TbWindow       *self,
         TbSignInMethod  method)
{
  if (self->context == NULL)
    return;

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  tb_account_button_set_busy (self->account_button, TRUE);
  /* Read-only first; write access is asked for when a change is (tb-sign-in.h). */
  tb_sign_in_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                    TB_AUTH_ACCESS_READ, method, self->sign_in_cancellable,
                    on_signed_in, g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sign_in (TB_WINDOW (widget), TB_SIGN_IN_DEVICE_CODE);
}

static void
sign_in_browser_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  sign_in (TB_WINDOW (widget), TB_SIGN_IN_BROWSER);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);

  if (self->context == NULL)
    return;
  g_cancellable_cancel (self->sign_in_cancellable);
  tb_auth_sign_out (tb_context_get_auth (self->context));
  tb_account_button_set_tenant_name (self->account_button, NULL);
  tb_widget_show_toast (GTK_WIDGET (self), _("Signed out; the stored sign-in was removed"));
}

static void
establish_trust_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);

  if (self->context == NULL)
    return;
  gtk_window_present (GTK_WINDOW (tb_window_open_establish_trust (self)));
}

/* A sign-in is read at once: the Service Principals page reads the tenant's snapshot, which
 * the Overview checks, so it is built now if the window has not built it yet. */
static void
on_auth_signed_in (TbWindow   *self,
                   GParamSpec *pspec,
                   TbAuth     *auth)
{
  if (tb_auth_get_signed_in (auth))
    _tb_window_ensure_principals_page (self);
}

/* The window follows the context's current auth only: the signal group moves its handlers
 * from the auth the context replaced to the new one. */
static void
update_auth (TbWindow *self)
{
  TbAuth *auth = self->context != NULL ? tb_context_get_auth (self->context) : NULL;

  /* A sign-in still running belongs to the services just replaced. */
  g_cancellable_cancel (self->sign_in_cancellable);
  tb_account_button_set_auth (self->account_button, auth);
  g_signal_group_set_target (self->auth_signals, auth);
  if (auth != NULL)
    on_auth_signed_in (self, NULL, auth);
}

static void
on_workspace_organization (TbWindow *self)
{
  TbOrganization *organization = tb_workspace_get_organization (self->workspace);

  tb_account_button_set_tenant_name (self->account_button,
                                     organization != NULL
                                       ? tb_organization_get_display_name (organization) : NULL);
}

static void
load_window_state (TbWindow *self)
{
  GSettings *settings;
  int width;
  int height;

  if (self->context == NULL || (settings = tb_context_get_settings (self->context)) == NULL)
    return;

  width = g_settings_get_int (settings, "window-width");
  height = g_settings_get_int (settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (TbWindow *self)
{
  GSettings *settings;
  int width;
  int height;

  if (self->context == NULL || (settings = tb_context_get_settings (self->context)) == NULL)
    return;

  /* The default size tracks the unmaximised size, so a maximised window remembers both. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (settings);
}

static gboolean
tb_window_close_request (GtkWindow *window)
{
  save_window_state (TB_WINDOW (window));

  return GTK_WINDOW_CLASS (tb_window_parent_class)->close_request (window);
}

static void
tb_window_constructed (GObject *object)
{
  TbWindow *self = TB_WINDOW (object);

  G_OBJECT_CLASS (tb_window_parent_class)->constructed (object);

  /* The pages are given the workspace before the context, so what they read goes there. */
  _tb_window_init_workspace (self);
  g_signal_connect_object (self->workspace, "notify::organization",
                           G_CALLBACK (on_workspace_organization), self, G_CONNECT_SWAPPED);
  _tb_window_init_overview (self);
  if (self->context != NULL)
    g_signal_connect_object (self->context, "notify::auth",
                             G_CALLBACK (update_auth), self, G_CONNECT_SWAPPED);
  update_auth (self);

  if (self->context != NULL &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (self->context), "demo") != NULL)
    g_signal_connect_object (self->context, "notify::demo",
                             G_CALLBACK (update_demo), self,
                             G_CONNECT_SWAPPED);
  update_demo (self);
  load_window_state (self);
  _tb_window_init_pages (self);
}

static void
tb_window_dispose (GObject *object)
{
  TbWindow *self = TB_WINDOW (object);

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_signal_group_set_target (self->auth_signals, NULL);
  _tb_window_dispose_pages (self);
  _tb_window_dispose_workspace (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_WINDOW);

  G_OBJECT_CLASS (tb_window_parent_class)->dispose (object);
}

static void
tb_window_finalize (GObject *object)
{
  TbWindow *self = TB_WINDOW (object);

  g_clear_object (&self->auth_signals);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (tb_window_parent_class)->finalize (object);
}

static void
tb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TbWindow *self = TB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TbWindow *self = TB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_window_class_init (TbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tb_window_constructed;
  object_class->dispose = tb_window_dispose;
  object_class->finalize = tb_window_finalize;
  object_class->get_property = tb_window_get_property;
  object_class->set_property = tb_window_set_property;
  window_class->close_request = tb_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TB_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.go-back", NULL);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in-browser", NULL,
                                   sign_in_browser_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.establish-trust", NULL,
                                   establish_trust_action);

  _tb_window_class_init_actions (widget_class);
  _tb_window_class_init_sidebar (widget_class);
  tb_accessibility_init ();
  tb_renderer_init ();

  g_type_ensure (TB_TYPE_OVERVIEW_PAGE);
  g_type_ensure (TB_TYPE_CERTIFICATES_PAGE);
  g_type_ensure (TB_TYPE_PRINCIPALS_PAGE);
  g_type_ensure (TB_TYPE_TENANT_PAGE);
  g_type_ensure (TB_TYPE_POOL_PAGE);
  g_type_ensure (TB_TYPE_AUDIT_PAGE);
  g_type_ensure (TB_TYPE_ACCOUNT_BUTTON);
  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, title);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, demo_strip);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, certificates_slot);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, principals_slot);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, tenant_slot);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, pool_slot);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, audit_slot);
  gtk_widget_class_bind_template_child (widget_class, TbWindow, account_button);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
}

static void
tb_window_init (TbWindow *self)
{
  /* GLib 2.74's signal groups take no handlers once they have a target: the handlers go in
   * here, the target is set from the context in constructed. */
  self->auth_signals = g_signal_group_new (TB_TYPE_AUTH);
  g_signal_group_connect_object (self->auth_signals, "notify::signed-in",
                                 G_CALLBACK (on_auth_signed_in), self, G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The main menu's popover is built the first time it opens, not with the window. */
  tb_menu_button_set_menu_model_lazily (self->primary_menu_button, self->primary_menu);
  _tb_window_init_sidebar (self);
  _tb_window_init_dnd (self);
  on_visible_page_changed (self);
  tb_accessibility_tidy_tree (GTK_WIDGET (self));
}

TbWindow *
tb_window_new (AdwApplication *application,
               TbContext      *context)
{
  g_return_val_if_fail (!application || ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!context || TB_IS_CONTEXT (context), NULL);

  return g_object_new (TB_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

void
tb_window_show_page (TbWindow   *self,
                     const char *name)
{
  g_return_if_fail (TB_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No page named “%s”", name);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, name);
  /* A folded window shows the page, not the sidebar. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

const char *
tb_window_get_visible_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

TbPrincipalsPage *
tb_window_get_principals_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return _tb_window_ensure_principals_page (self);
}

GtkWidget *
tb_window_open_establish_trust (TbWindow *self)
{
  GtkWidget *dialog;
  TbCertificate *certificate = NULL;
  const char * const *fqdns;

  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->context != NULL, NULL);

  certificate = tb_workspace_get_certificate (self->workspace);
  dialog = tb_establish_trust_dialog_new (GTK_WINDOW (self), self->context, certificate);

  /* The certificate the pool signs with, once read, is the one Microsoft 365 must hold. */
  {
    TbPoolState *state = tb_workspace_get_pool_state (self->workspace);
    const TbPoolCertificate *record = NULL;

    if (state != NULL && tb_pool_state_get_oauth_certificate (state, &record) == TB_POOL_PRESENT &&
        record != NULL && record->certificate != NULL)
      tb_establish_trust_dialog_set_pool_certificate (TB_ESTABLISH_TRUST_DIALOG (dialog),
                                                      record->certificate);
    /* Both halves: live through the Pool page's connection, else from its state file. */
    if (state != NULL)
      tb_establish_trust_dialog_set_pool (TB_ESTABLISH_TRUST_DIALOG (dialog), state,
                                          tb_pool_page_get_client (self->pool_page),
                                          tb_workspace_get_pool_server (self->workspace),
                                          tb_pool_page_get_tenant_id (self->pool_page));
  }

  /* The pool's external web services FQDNs, once read, are the SPNs the cloud side needs:
   * the admin should not have to type what the Front End already said. */
  fqdns = self->pool_page != NULL ? tb_pool_page_get_external_fqdns (self->pool_page) : NULL;
  if (fqdns != NULL && fqdns[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) fqdns);
      tb_establish_trust_dialog_set_fqdns (TB_ESTABLISH_TRUST_DIALOG (dialog), joined);
    }

  _tb_window_watch_establish_trust (self, dialog);
  return dialog;
}

TbOverviewPage *
tb_window_get_overview_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  return self->overview_page;
}

TbTenantPage *
tb_window_get_tenant_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return _tb_window_ensure_tenant_page (self);
}

TbAccountButton *
tb_window_get_account_button (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return self->account_button;
}

TbPoolPage *
tb_window_get_pool_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return _tb_window_ensure_pool_page (self);
}

TbCertificatesPage *
tb_window_get_certificates_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return _tb_window_ensure_certificates_page (self);
}

void
tb_window_open_files (TbWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_autoptr(GPtrArray) certificates = g_ptr_array_new ();
  GFile *pool_file = NULL;

  g_return_if_fail (TB_IS_WINDOW (self));

  /* Pool state documents go to the pool page (tb-pool-page.h), everything else is read as
   * certificates. */
  for (guint i = 0; i < n_files; i++)
    {
      if (pool_file == NULL && tb_pool_page_wants_file (files[i]))
        pool_file = files[i];
      else
        g_ptr_array_add (certificates, files[i]);
    }
  if (pool_file != NULL)
    tb_pool_page_load_file (_tb_window_ensure_pool_page (self), pool_file);
  if (certificates->len > 0 || pool_file == NULL)
    {
      tb_window_show_page (self, "certificates");
      tb_certificates_page_load_files (_tb_window_ensure_certificates_page (self),
                                       (GFile **) certificates->pdata, certificates->len);
    }
  else
    tb_window_show_page (self, "pool");
}

void
tb_window_choose_files (TbWindow *self)
{
  g_return_if_fail (TB_IS_WINDOW (self));

  tb_window_show_page (self, "certificates");
  tb_certificates_page_choose_files (_tb_window_ensure_certificates_page (self));
}

GtkDropTarget *
tb_window_get_drop_target (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);

  return self->drop_target;
}
