/* tb-preferences-window.c: cloud, tenant, client ID and expiry warning, kept in GSettings
 *
 * The window only writes settings; TbContext listens to them and replaces its services, so
 * every page follows (and the old sign-in ends) without this window knowing the pages. A value
 * is written only once it was checked: a bad endpoints file, domain or client ID is shown with
 * its reason and the setting keeps its old value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-auth.h"
#include "tb-cloud.h"
#include "tb-file-task.h"
#include "tb-preferences-window-private.h"
#include "tb-preferences-monitor.h"
#include "tb-row-layout.h"
#include "tb-tenant.h"
#include "tb-ui-util.h"

/* The combo's rows, in order; the last one is the custom endpoints file. */
static const char * const cloud_names[] = { "global", "usgov-high", "usgov-dod", "china" };
#define CUSTOM_INDEX G_N_ELEMENTS (cloud_names)

struct _TbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  TbContext            *context;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  guint                 loading;
  gboolean              syncing;
  TbCloud              *custom_cloud;   /* the endpoints file last read successfully */

  AdwPreferencesGroup  *cloud_group;
  AdwComboRow          *cloud_row;
  AdwActionRow         *file_row;
  AdwActionRow         *login_row;
  AdwActionRow         *graph_row;
  AdwActionRow         *acs_row;
  GtkLabel             *cloud_error;
  AdwPreferencesGroup  *tenant_group;
  AdwEntryRow          *tenant_row;
  GtkLabel             *tenant_error;
  AdwPreferencesGroup  *client_group;
  AdwEntryRow          *client_id_row;
  GtkLabel             *client_id_error;
  AdwActionRow         *warn_days_row;
  GtkSpinButton        *warn_days_spin;
};

G_DEFINE_FINAL_TYPE (TbPreferencesWindow, tb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void load_endpoints_path (TbPreferencesWindow *self,
                                 const char          *path,
                                 gboolean             store);

static char *
dup_setting (TbPreferencesWindow *self,
             const char          *key)
{
  g_autofree char *value = NULL;

  if (self->settings == NULL)
    return g_strdup ("");
  value = g_settings_get_string (self->settings, key);
  return g_strstrip (g_steal_pointer (&value));
}

/* Shows @message under a field, or hides it; the row is marked so the colour is not the only
 * hint. */
static void
show_error (GtkLabel   *label,
            GtkWidget  *row,
            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (row == NULL)
    return;
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
show_endpoints (TbPreferencesWindow *self)
{
  TbCloud *cloud = self->custom_cloud;
  gboolean custom = adw_combo_row_get_selected (self->cloud_row) == CUSTOM_INDEX;
  gboolean shown = custom && cloud != NULL;

  /* A custom endpoints file decides where sign-in and tokens go: the admin sees its hosts. */
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->login_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->graph_row), shown);
  gtk_widget_set_visible (GTK_WIDGET (self->acs_row), shown);
  if (shown)
    {
      adw_action_row_set_subtitle (self->login_row, tb_cloud_get_login (cloud));
      adw_action_row_set_subtitle (self->graph_row, tb_cloud_get_graph (cloud));
      adw_action_row_set_subtitle (self->acs_row, tb_cloud_get_acs (cloud));
    }
}

static void
update_file_row (TbPreferencesWindow *self)
{
  g_autofree char *path = dup_setting (self, "endpoints-file");

  g_autofree char *name = dup_setting (self, "cloud");
  g_autofree char *subtitle = NULL;
  GListModel *model = adw_combo_row_get_model (self->cloud_row);
  const char *in_use = NULL;

  if (*path != '\0')
    {
      adw_action_row_set_subtitle (self->file_row, path);
      return;
    }

  /* Say which cloud stays in use: the combo already shows "Custom" instead. */
  for (guint i = 0; i < G_N_ELEMENTS (cloud_names) && model != NULL; i++)
    if (g_str_equal (name, cloud_names[i]))
      in_use = gtk_string_list_get_string (GTK_STRING_LIST (model), i);
  subtitle = g_strdup_printf (_("No file read yet: %s stays in use until one is"),
                              in_use ? in_use : cloud_names[0]);
  adw_action_row_set_subtitle (self->file_row, subtitle);
}

static void
update_demo (TbPreferencesWindow *self)
{
  gboolean demo = self->context != NULL && tb_context_get_demo (self->context);
  gboolean editable = !demo && self->settings != NULL;
  const char *why = NULL;

  if (demo)
    why = _("The demo tenant is in use: these settings apply when Trust Bridge works with "
            "Microsoft 365 itself.");
  else if (self->settings == NULL)
    why = _("The settings schema is not installed, so these cannot be saved");

  gtk_widget_set_sensitive (GTK_WIDGET (self->cloud_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->file_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tenant_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->client_id_row), editable);
  /* Said once, at the top of the page; the groups keep saying what each setting does, and
   * the cloud row keeps its room for the cloud's full name. */
  adw_preferences_group_set_description (self->cloud_group,
                                         why ? why : _("Where sign-in, Microsoft Graph and the ACS metadata are reached. Changing the cloud signs you out."));
  adw_preferences_group_set_description (self->tenant_group,
                                         _("The tenant sign-in goes to. Empty: the account you sign in with decides. Changing it signs you out."));
  {
    g_autofree char *client = g_strdup_printf (_("The public client application sign-in uses. Empty: Microsoft Graph Command Line Tools (%s). Changing it signs you out."),
                                               TB_AUTH_DEFAULT_CLIENT_ID);

    adw_preferences_group_set_description (self->client_group, client);
  }
}

/* Settings → widgets, when the window opens and whenever a key changes under it. */
static void
sync_from_settings (TbPreferencesWindow *self)
{
  g_autofree char *path = dup_setting (self, "endpoints-file");
  g_autofree char *name = dup_setting (self, "cloud");
  g_autofree char *tenant = dup_setting (self, "tenant-domain");
  g_autofree char *client_id = dup_setting (self, "client-id");
  guint selected = 0;

  self->syncing = TRUE;
  if (*path != '\0')
    selected = CUSTOM_INDEX;
  else
    for (guint i = 0; i < G_N_ELEMENTS (cloud_names); i++)
      if (g_str_equal (name, cloud_names[i]))
        selected = i;
  /* Choosing "Custom" without a file yet is kept: it is how a file gets chosen. */
  if (!(selected != CUSTOM_INDEX && adw_combo_row_get_selected (self->cloud_row) == CUSTOM_INDEX &&
        *path == '\0' && self->custom_cloud == NULL))
    adw_combo_row_set_selected (self->cloud_row, selected);
  update_file_row (self);
  show_endpoints (self);

  /* Only what is stored replaces the text; an invalid entry stays for the admin to correct. */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->tenant_error)))
    gtk_editable_set_text (GTK_EDITABLE (self->tenant_row), tenant);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->client_id_error)))
    gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id);
  self->syncing = FALSE;
}

static void
on_setting_changed (TbPreferencesWindow *self,
                    const char          *key)
{
  if (g_str_equal (key, "endpoints-file") || g_str_equal (key, "cloud") ||
      g_str_equal (key, "tenant-domain") || g_str_equal (key, "client-id"))
    sync_from_settings (self);
}

static void
on_cloud_selected (TbPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->cloud_row);

  if (self->syncing || self->settings == NULL)
    return;

  show_error (self->cloud_error, NULL, NULL);
  if (selected < G_N_ELEMENTS (cloud_names))
    {
      /* Both keys at once: the file takes precedence, so it must go with the change. */
      g_settings_delay (self->settings);
      g_settings_set_string (self->settings, "cloud", cloud_names[selected]);
      g_settings_set_string (self->settings, "endpoints-file", "");
      g_settings_apply (self->settings);
      g_clear_object (&self->custom_cloud);
    }
  update_file_row (self);
  show_endpoints (self);
}

/* Endpoints file ---------------------------------------------------------------------------- */

/* A TbFileTaskFunc, called through the exact type: the endpoints file is read on a worker
 * thread (tb_file_task_run), since reading a file is I/O and never runs on the main loop. */
static gpointer
read_endpoints (GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  return tb_cloud_new_from_file (g_file_peek_path (file), error);
}

static void
set_loading (TbPreferencesWindow *self,
             gboolean             loading)
{
  if (loading)
    self->loading++;
  else if (self->loading > 0)
    self->loading--;
  /* One endpoints file at a time: Choose… waits for the one being read. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.choose-endpoints-file",
                                 self->loading == 0);
}

/* What a read of the endpoints file comes back to. */
typedef struct
{
  TbPreferencesWindow *self;   /* owned */
  gboolean             store;  /* a file the user chose: kept in the settings once it reads */
} EndpointsRead;

static void
on_endpoints_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EndpointsRead *pending = user_data;
  g_autoptr(TbPreferencesWindow) self = pending->self;
  gboolean store = pending->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCloud) cloud = tb_file_task_finish (result, load_endpoints_path, &error);

  g_free (pending);
  set_loading (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (cloud == NULL)
    {
      g_autofree char *message = NULL;

      if (store)
        /* Translators: "Not used: <reason>"; the previous setting stays. */
        message = g_strdup_printf (_("Not used: %s The setting was not changed."), error->message);
      else
        message = g_strdup_printf (_("The endpoints file in the settings cannot be used, so the Global cloud is: %s"),
                                   error->message);
      show_error (self->cloud_error, NULL, message);
      return;
    }

  show_error (self->cloud_error, NULL, NULL);
  g_set_object (&self->custom_cloud, cloud);
  if (store && self->settings != NULL)
    g_settings_set_string (self->settings, "endpoints-file", g_file_peek_path (G_FILE (source)));
  update_file_row (self);
  show_endpoints (self);
}

static void
load_endpoints_path (TbPreferencesWindow *self,
                     const char          *path,
                     gboolean             store)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  EndpointsRead *pending = g_new0 (EndpointsRead, 1);

  pending->self = g_object_ref (self);
  pending->store = store;
  set_loading (self, TRUE);
  tb_file_task_run (file, read_endpoints, g_object_unref, load_endpoints_path, self->cancellable,
                    on_endpoints_read, pending);
}

static void
on_chooser_response (TbPreferencesWindow *self,
                     int                  response)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file != NULL)
    tb_preferences_window_load_endpoints_file (self, file);
}

static void
choose_endpoints_file_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TbPreferencesWindow *self = TB_PREFERENCES_WINDOW (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose an Endpoints File"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Use File"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Tenant and client ID ------------------------------------------------------------------------ */

static void
on_tenant_apply (TbPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tenant_row))));
  g_autofree char *current = dup_setting (self, "tenant-domain");
  g_autoptr(GError) error = NULL;

  if (self->settings == NULL)
    return;
  if (*text != '\0' && !tb_tenant_check_input (text, &error))
    {
      show_error (self->tenant_error, GTK_WIDGET (self->tenant_row), error->message);
      return;
    }

  show_error (self->tenant_error, GTK_WIDGET (self->tenant_row), NULL);
  g_free (text);
  text = g_ascii_strdown (g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tenant_row)))), -1);
  /* An unchanged value is not written: writing signs the admin out. */
  if (!g_str_equal (text, current))
    g_settings_set_string (self->settings, "tenant-domain", text);
}

static void
on_client_id_apply (TbPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->client_id_row))));
  g_autofree char *current = dup_setting (self, "client-id");
  g_autofree char *lower = NULL;

  if (self->settings == NULL)
    return;
  if (*text != '\0' && !tb_tenant_is_guid (text))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a client ID: enter the application (client) ID, a GUID such as %s."),
                                                  text, TB_AUTH_DEFAULT_CLIENT_ID);

      show_error (self->client_id_error, GTK_WIDGET (self->client_id_row), message);
      return;
    }

  show_error (self->client_id_error, GTK_WIDGET (self->client_id_row), NULL);
  lower = g_ascii_strdown (text, -1);
  if (!g_str_equal (lower, current))
    g_settings_set_string (self->settings, "client-id", lower);
}

/* Object -------------------------------------------------------------------------------------- */

static gboolean
uint_to_double (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_double (to, g_value_get_uint (from));
  return TRUE;
}

static gboolean
double_to_uint (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_uint (to, (guint) CLAMP (g_value_get_double (from), 1, 3650));
  return TRUE;
}

static void
tb_preferences_window_dispose (GObject *object)
{
  TbPreferencesWindow *self = TB_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  tb_file_chooser_clear (&self->chooser);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tb_preferences_window_parent_class)->dispose (object);
}

static void
tb_preferences_window_finalize (GObject *object)
{
  TbPreferencesWindow *self = TB_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->custom_cloud);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (tb_preferences_window_parent_class)->finalize (object);
}

static void
tb_preferences_window_class_init (TbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_preferences_window_dispose;
  object_class->finalize = tb_preferences_window_finalize;

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, cloud_group);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, cloud_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, graph_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, acs_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, cloud_error);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, tenant_group);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, tenant_error);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, client_group);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, client_id_error);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, warn_days_row);
  gtk_widget_class_bind_template_child (widget_class, TbPreferencesWindow, warn_days_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_cloud_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_tenant_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_client_id_apply);

  /* The Choose… button names this; set_loading enables it. */
  gtk_widget_class_install_action (widget_class, "prefs.choose-endpoints-file", NULL,
                                   choose_endpoints_file_action);
}

static void
tb_preferences_window_init (TbPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  /* The template's combo emits notify::selected while it is built. */
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;
}

GtkWidget *
tb_preferences_window_new (GtkWindow *parent,
                           TbContext *context)
{
  TbPreferencesWindow *self;
  g_autofree char *path = NULL;
  GtkAdjustment *adjustment;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  self = g_object_new (TB_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->settings = tb_context_get_settings (context);
  if (self->settings != NULL)
    g_object_ref (self->settings);

  adjustment = gtk_spin_button_get_adjustment (self->warn_days_spin);
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "expiry-warning-days", adjustment, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_setting_changed), self,
                               G_CONNECT_SWAPPED);
    }
  else
    /* Without a schema the threshold still works for this run, through the context. */
    g_object_bind_property_full (context, "warn-days", adjustment, "value",
                                 G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                 uint_to_double, double_to_uint, NULL, NULL);

  g_signal_connect_object (context, "notify::demo", G_CALLBACK (update_demo), self,
                           G_CONNECT_SWAPPED);
  update_demo (self);
  sync_from_settings (self);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), tb_preferences_monitor_page_new ());
  /* Its rows and groups, the monitoring page's too, wrap width first as the pages' do. */
  tb_row_layout_fix_all (GTK_WIDGET (self));

  /* Show the URLs of the file in use (and say so if it no longer reads). */
  path = dup_setting (self, "endpoints-file");
  if (*path != '\0')
    load_endpoints_path (self, path, FALSE);

  return GTK_WIDGET (self);
}

void
tb_preferences_window_load_endpoints_file (TbPreferencesWindow *self,
                                           GFile               *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TB_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_error (self->cloud_error, NULL, _("Not used: only local files can hold endpoints."));
      return;
    }
  load_endpoints_path (self, path, TRUE);
}

gboolean
tb_preferences_window_get_loading (TbPreferencesWindow *self)
{
  g_return_val_if_fail (TB_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->loading > 0;
}
