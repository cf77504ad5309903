/* tb-pool-pane.c: the On-premises Pool page
 *
 * One TbPoolState at a time is shown, checked against the tenant with tb_pool_state_check();
 * the checks carry the sentences (and the exact desired values), this file only lays them out.
 * A read that fails leaves the shown state alone: an admin comparing two files must not lose
 * the first one to a typo in the second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-format.h"
#include "tb-pool-client.h"
#include "tb-pool-pane.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-tenant.h"
#include "tb-ui-util.h"
#include "tb-winrm-password.h"
#include "tb-winrm-shell.h"

/* A read script run live must not hang the page forever when the Front End stops answering. */
#define LIVE_TIMEOUT_MS (3 * 60 * 1000)

typedef enum
{
  RETRY_NONE,
  RETRY_FILE,
  RETRY_CONNECT,
  RETRY_TENANT,
} RetryKind;

struct _TbPoolPane
{
  GtkWidget             parent_instance;

  TbContext            *context;
  TbAuth               *auth;
  TbCertificatesPane   *certificates_pane;   /* weak */
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  guint                 busy;

  TbPoolState          *state;
  GPtrArray            *checks;              /* TbPoolCheck, for the state and tenant shown */
  char                 *source;              /* "trust-bridge-state.json", "fe01.contoso.local" */
  GDateTime            *read_at;
  GStrv                 external_fqdns;

  /* The tenant, from the best source that has it (see tb_pool_pane_get_tenant_id). */
  char                 *tenant_id;
  char                 *tenant_source;       /* a translated phrase for the tenant row */
  char                 *resolved_query;      /* domain the resolved ID belongs to */
  char                 *resolved_tenant_id;
  GCancellable         *tenant_cancellable;
  char                 *tenant_problem;      /* why the tenant cannot be used, or NULL */

  GError               *error;
  char                 *error_action;
  RetryKind             retry_kind;
  gboolean              retrying;
  GFile                *retry_file;

  /* The connection of the last successful live read; NULL when the state came from a file. */
  TbPoolClient         *client;

  GHashTable           *rows;                /* item → AdwActionRow (owned by config_group) */
  GHashTable           *results;             /* item → TbPoolCheckResult */
  GList                *shown_rows;

  GtkWidget            *scroller;
  AdwPreferencesGroup  *connection_group;
  AdwEntryRow          *fqdn_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *auth_row;
  AdwActionRow         *principal_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  GtkButton            *connect_button;
  GtkButton            *read_script_button;
  GtkButton            *state_file_button;
  AdwActionRow         *tenant_known_row;
  AdwEntryRow          *tenant_entry_row;
  GtkBox               *error_box;
  GtkStack             *results_stack;
  GtkBox               *content_box;
  AdwPreferencesGroup  *config_group;
  GtkButton            *apply_button;
  GtkButton            *apply_script_button;
};

G_DEFINE_FINAL_TYPE (TbPoolPane, tb_pool_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LOADING,
  PROP_POOL_STATE,
  PROP_EXTERNAL_FQDNS,
  PROP_TENANT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild_rows (TbPoolPane *self);
static void update_tenant (TbPoolPane *self);
static void connect_live (TbPoolPane *self);

/* Helpers ------------------------------------------------------------------------------------ */

static guint
warn_days (TbPoolPane *self)
{
  return self->context != NULL ? tb_context_get_warn_days (self->context) : TB_DEFAULT_WARN_DAYS;
}

static GtkWindow *
parent_window (TbPoolPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The ACS base the pool's metadata URL must name. The demo's simulator serves ACS on a
 * loopback http:// address no Front End could reach and no script accepts; the demo pool
 * stands for a real one, which reads the global cloud's ACS. */
static const char *
acs_base (TbPoolPane *self)
{
  if (self->context == NULL)
    return TB_POOL_DEFAULT_ACS_BASE;
  return tb_pool_connection_get_acs_base (self->context);
}

static void
update_sensitivity (TbPoolPane *self)
{
  gboolean busy = self->busy > 0;
  gboolean basic = adw_combo_row_get_selected (self->auth_row) == TB_WINRM_AUTH_BASIC;
  const char *fqdn = gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row));

  gtk_widget_set_visible (GTK_WIDGET (self->principal_row), !basic);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), basic);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), basic);
  gtk_widget_set_visible (GTK_WIDGET (self->remember_row), basic);

  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy && *fqdn != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->state_file_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !busy && self->state != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_script_button), self->tenant_id != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->apply_script_button),
                               self->tenant_id != NULL
                                 ? _("Save a PowerShell script that brings the pool to what the "
                                     "trust needs, to run on a Front End")
                                 : _("The apply script needs the tenant ID"));
}

static void
set_busy (TbPoolPane *self,
          gboolean    busy)
{
  gboolean was = self->busy > 0;

  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;

  /* Loading keeps the content and dims it (ui.md): never blank the page under the admin. */
  if (self->busy > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->content_box), "tb-loading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->content_box), "tb-loading");

  update_sensitivity (self);
  if (was != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Errors ------------------------------------------------------------------------------------- */

static void
clear_error (TbPoolPane *self)
{
  GtkWidget *child;

  g_clear_error (&self->error);
  g_clear_pointer (&self->error_action, g_free);
  self->retrying = FALSE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->error_box))) != NULL)
    gtk_box_remove (self->error_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), FALSE);
}

static void
on_retry_clicked (TbPoolPane *self)
{
  RetryKind kind = self->retry_kind;
  g_autoptr(GFile) file = self->retry_file ? g_object_ref (self->retry_file) : NULL;

  clear_error (self);
  /* The same failure again must not look like nothing happened (show_error says so). */
  self->retrying = TRUE;
  switch (kind)
    {
    case RETRY_FILE:
      if (file != NULL)
        tb_pool_pane_load_file (self, file);
      break;
    case RETRY_CONNECT:
      connect_live (self);
      break;
    case RETRY_TENANT:
      g_clear_pointer (&self->resolved_query, g_free);
      update_tenant (self);
      break;
    case RETRY_NONE:
    default:
      break;
    }
}

static void
on_read_script_clicked (TbPoolPane *self);

static GtkWidget *
value_row (const char *title,
           const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value != NULL ? value : "—");
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* The inline error group of ui.md: what failed, the message, Details (the WS-Management fault
 * code and what the server said), Retry; for the double hop the way round it. */
static void
show_error (TbPoolPane   *self,
            const char   *action,
            const GError *error,
            RetryKind     retry,
            GFile        *retry_file)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *message = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *details;
  gboolean again = self->retrying;
  const char *code = NULL;
  const char *detail = NULL;
  g_autofree char *escaped_action = NULL;

  clear_error (self);
  self->error = g_error_copy (error);
  self->error_action = g_strdup (action);
  self->retry_kind = retry;
  g_set_object (&self->retry_file, retry_file);

  if (error->domain == TB_WINRM_ERROR)
    {
      code = tb_winrm_error_get_fault_code (error);
      detail = tb_winrm_error_get_detail (error);
    }
  /* Only codes an admin can look up (the WS-Management fault code) are shown; the program's
   * own error domains mean nothing to them. */

  gtk_widget_add_css_class (group, "tb-error-group");
  escaped_action = g_markup_escape_text (action, -1);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped_action);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (message), error->message);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (message), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (message), 0);
  gtk_widget_add_css_class (icon, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Error"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (message), icon);
  if (retry != RETRY_NONE)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_retry_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (message), button);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), message);

  /* Without delegation the cmdlets cannot reach the store; a script run on the Front End by
   * the admin has no second hop to make. */
  if (g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_DOUBLE_HOP))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Export _Read Script…"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("Run the read script on the Front End instead"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Then use the trust-bridge-state.json it writes here."));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_read_script_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  if (code != NULL || (detail != NULL && *detail != '\0'))
    {
      details = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (details), _("Details"));
      if (code != NULL)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (details), value_row (_("Error code"), code));
      if (detail != NULL && *detail != '\0')
        adw_expander_row_add_row (ADW_EXPANDER_ROW (details), value_row (_("Server said"), detail));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), details);
    }

  gtk_box_append (self->error_box, group);
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), TRUE);

  /* Bring the error into view wherever the action was (Connect sits below the fold): focus
   * scrolls the page to it, and a screen reader reads it. */
  gtk_widget_set_focusable (message, TRUE);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (message);
  if (again)
    tb_widget_show_toast (GTK_WIDGET (self), _("Tried again: it failed the same way"));
}

/* Tenant ------------------------------------------------------------------------------------- */

static void
set_tenant (TbPoolPane *self,
            const char *tenant_id,
            const char *source)
{
  gboolean changed = g_strcmp0 (self->tenant_id, tenant_id) != 0;

  g_free (self->tenant_id);
  self->tenant_id = g_strdup (tenant_id);
  g_free (self->tenant_source);
  self->tenant_source = g_strdup (source);

  if (tenant_id != NULL && source != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s — %s", tenant_id, source);

      adw_action_row_set_subtitle (self->tenant_known_row, subtitle);
    }
  /* A tenant the Microsoft 365 side knows is shown; only without one is it typed here. */
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_known_row), tenant_id != NULL && source != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_entry_row), tenant_id == NULL || source == NULL);

  if (changed)
    {
      rebuild_rows (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT_ID]);
    }
  update_sensitivity (self);
}

static char *
typed_tenant (TbPoolPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tenant_entry_row));

  return tb_pool_script_check_tenant_id (text, NULL);
}

static void
on_tenant_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TbPoolPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) tenant = tb_tenant_resolve_finish (result, &error);

  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);
  if (tenant == NULL)
    {
      /* Typing the ID still works; say why it was not found. */
      show_error (self, _("The tenant ID could not be found"), error, RETRY_TENANT, NULL);
      update_tenant (self);
      return;
    }
  g_free (self->resolved_tenant_id);
  self->resolved_tenant_id = g_strdup (tb_tenant_get_id (tenant));
  update_tenant (self);
}

static gboolean
is_domain_tenant (const char *tenant)
{
  return tenant != NULL &&
         g_ascii_strcasecmp (tenant, "organizations") != 0 &&
         g_ascii_strcasecmp (tenant, "common") != 0 &&
         g_ascii_strcasecmp (tenant, "consumers") != 0 &&
         tb_tenant_check_input (tenant, NULL);
}

/* In this order: the signed-in account's tenant; the configured tenant when it is an ID, or
 * the ID OpenID discovery finds for its domain (no sign-in needed); what is typed here. */
static void
update_tenant (TbPoolPane *self)
{
  const char *configured = self->context != NULL ? tb_context_get_tenant (self->context) : NULL;
  g_autofree char *typed = NULL;

  if (self->auth != NULL && tb_auth_get_signed_in (self->auth) &&
      tb_auth_get_tenant_id (self->auth) != NULL)
    {
      g_autofree char *id = tb_pool_script_check_tenant_id (tb_auth_get_tenant_id (self->auth),
                                                            NULL);
      g_autofree char *source = NULL;

      if (id != NULL)
        {
          /* Translators: %s is the signed-in account, user@contoso.com */
          source = g_strdup_printf (_("from the sign-in of %s"),
                                    tb_auth_get_account (self->auth) != NULL
                                      ? tb_auth_get_account (self->auth) : "—");
          set_tenant (self, id, source);
          return;
        }
    }

  if (configured != NULL && tb_tenant_is_guid (configured))
    {
      g_autofree char *id = tb_pool_script_check_tenant_id (configured, NULL);

      set_tenant (self, id, _("from the settings"));
      return;
    }

  if (is_domain_tenant (configured))
    {
      if (g_strcmp0 (self->resolved_query, configured) == 0 && self->resolved_tenant_id != NULL)
        {
          g_autofree char *source = NULL;

          /* Translators: %s is a domain, contoso.onmicrosoft.com */
          source = g_strdup_printf (_("found for %s"), configured);
          set_tenant (self, self->resolved_tenant_id, source);
          return;
        }
      if (g_strcmp0 (self->resolved_query, configured) != 0)
        {
          g_free (self->resolved_query);
          self->resolved_query = g_strdup (configured);
          g_clear_pointer (&self->resolved_tenant_id, g_free);
          g_cancellable_cancel (self->tenant_cancellable);
          g_clear_object (&self->tenant_cancellable);
          self->tenant_cancellable = g_cancellable_new ();
          set_busy (self, TRUE);
          tb_tenant_resolve_async (tb_context_get_cloud (self->context),
                                   tb_context_get_session (self->context), configured,
                                   self->tenant_cancellable, on_tenant_resolved,
                                   g_object_ref (self));
        }
    }

  typed = typed_tenant (self);
  set_tenant (self, typed, NULL);
}

static void
on_tenant_entry_changed (TbPoolPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tenant_entry_row));
  g_autofree char *id = typed_tenant (self);

  /* Red while what is typed is not a tenant ID; nothing is checked against half a GUID. */
  if (*text != '\0' && id == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->tenant_entry_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->tenant_entry_row), "error");

  if (self->tenant_source == NULL || self->tenant_id == NULL)
    set_tenant (self, id, NULL);
}

static void
on_auth_changed (TbPoolPane *self)
{
  TbAuth *auth = self->context != NULL ? tb_context_get_auth (self->context) : NULL;

  if (auth != self->auth)
    {
      if (self->auth != NULL)
        g_signal_handlers_disconnect_by_data (self->auth, self);
      g_set_object (&self->auth, auth);
      if (auth != NULL)
        {
          g_signal_connect_object (auth, "notify::tenant-id", G_CALLBACK (update_tenant), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (auth, "notify::signed-in", G_CALLBACK (update_tenant), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  /* Another cloud may know the configured domain under another ID. */
  g_clear_pointer (&self->resolved_query, g_free);
  update_tenant (self);
}

/* Kerberos principal ------------------------------------------------------------------------- */

static void
update_principal (TbPoolPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *principal = tb_winrm_kerberos_get_principal (&error);

  if (principal != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Connects as %s"), principal);

      adw_action_row_set_subtitle (self->principal_row, text);
    }
  else
    {
      adw_action_row_set_subtitle (self->principal_row,
                                   _("No ticket: run “kinit user@REALM” in a terminal first, "
                                     "or use Basic with a local account"));
    }
}

static void
on_form_changed (TbPoolPane *self)
{
  update_sensitivity (self);
}

/* Configuration rows ------------------------------------------------------------------------- */

static void
set_status_icon (AdwActionRow     *row,
                 TbPoolCheckResult result,
                 gboolean          warning)
{
  GtkWidget *icon;
  const char *name;
  const char *css;
  const char *label;

  switch (result)
    {
    case TB_POOL_CHECK_OK:
      name = warning ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
      css = warning ? "warning" : "success";
      label = warning ? _("Correct, with a warning") : _("Correct");
      break;
    case TB_POOL_CHECK_FAILED:
      name = "dialog-error-symbolic";
      css = "error";
      label = _("Needs a change");
      break;
    case TB_POOL_CHECK_UNKNOWN:
    default:
      name = "dialog-question-symbolic";
      css = "dim-label";
      label = _("Unknown");
      break;
    }

  icon = gtk_image_new_from_icon_name (name);
  gtk_widget_add_css_class (icon, css);
  gtk_widget_set_tooltip_text (icon, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  adw_action_row_add_prefix (row, icon);
}

static const TbPoolCheck *
find_check (TbPoolPane *self,
            const char *item)
{
  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (self->checks, i);

      if (g_str_equal (check->item, item))
        return check;
    }
  return NULL;
}

static AdwActionRow *
add_row (TbPoolPane       *self,
         const char       *item,
         const char       *title,
         TbPoolCheckResult result,
         gboolean          warning,
         const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  set_status_icon (ADW_ACTION_ROW (row), result, warning);
  if (result == TB_POOL_CHECK_FAILED)
    gtk_widget_add_css_class (row, "tb-failed-row");

  adw_preferences_group_add (self->config_group, row);
  self->shown_rows = g_list_prepend (self->shown_rows, row);
  g_hash_table_insert (self->rows, g_strdup (item), row);
  g_hash_table_insert (self->results, g_strdup (item), GINT_TO_POINTER (result));
  return ADW_ACTION_ROW (row);
}

static void
add_check_row (TbPoolPane *self,
               const char *item,
               const char *title)
{
  const TbPoolCheck *check = find_check (self, item);

  if (check != NULL)
    add_row (self, item, title, check->ok, FALSE, check->detail);
}

static void
add_partner_row (TbPoolPane *self)
{
  static const char * const items[] = {
    TB_POOL_CHECK_PARTNER_APPLICATION,
    TB_POOL_CHECK_PARTNER_TRUST_LEVEL,
    TB_POOL_CHECK_PARTNER_USE_OAUTH,
    TB_POOL_CHECK_PARTNER_ENABLED,
  };
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  TbPoolCheckResult result = TB_POOL_CHECK_OK;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      const TbPoolCheck *check = find_check (self, items[i]);

      if (check == NULL)
        continue;
      g_ptr_array_add (parts, (gpointer) check);
      if (check->ok == TB_POOL_CHECK_FAILED)
        result = TB_POOL_CHECK_FAILED;
      else if (check->ok == TB_POOL_CHECK_UNKNOWN && result == TB_POOL_CHECK_OK)
        result = TB_POOL_CHECK_UNKNOWN;
    }
  if (parts->len == 0)
    return;

  /* One line per aspect (identifier, trust level, UseOAuthServer, enabled), each saying what
   * it should be when it is not. */
  for (guint i = 0; i < parts->len; i++)
    {
      const TbPoolCheck *check = g_ptr_array_index (parts, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, check->detail);
    }
  add_row (self, TB_POOL_PANE_ROW_PARTNER_APPLICATION, _("Partner Application"), result, FALSE,
           text->str);
}

static void
on_use_certificate_clicked (TbPoolPane *self)
{
  tb_pool_pane_use_certificate (self);
}

static void
add_certificate_row (TbPoolPane *self,
                     GDateTime  *now)
{
  const TbPoolCheck *check = find_check (self, TB_POOL_CHECK_OAUTH_CERTIFICATE);
  const TbPoolCertificate *record = NULL;
  TbCertificate *certificate = NULL;
  g_autoptr(GString) text = NULL;
  gboolean expiring = FALSE;
  AdwActionRow *row;
  GtkWidget *button;

  if (check == NULL)
    return;

  text = g_string_new (check->detail);
  if (tb_pool_state_get_oauth_certificate (self->state, &record) == TB_POOL_PRESENT &&
      record != NULL)
    {
      certificate = record->certificate;
      if (certificate != NULL)
        {
          g_autofree char *from = tb_format_local (tb_certificate_get_not_before (certificate));
          g_autofree char *until = tb_format_local (tb_certificate_get_not_after (certificate));
          g_autofree char *subject = tb_format_dn_for_display (tb_certificate_get_subject (certificate));

          g_string_append_c (text, '\n');
          g_string_append (text, subject);
          g_string_append_c (text, '\n');
          /* The check's sentence may already give the end ("valid until <date> (in 3
           * months)"): the row says each time once. */
          if (check->detail != NULL && strstr (check->detail, until) != NULL)
            /* Translators: the start of a certificate's validity: "Valid from <date>" */
            g_string_append_printf (text, _("Valid from %s"), from);
          else
            /* Translators: the validity of a certificate: "from <date> until <date>" */
            g_string_append_printf (text, _("Valid from %s until %s"), from, until);
          expiring = tb_certificate_get_status (certificate, now, warn_days (self)) ==
                     TB_CERTIFICATE_STATUS_EXPIRING;
        }
    }

  row = add_row (self, TB_POOL_PANE_ROW_OAUTH_CERTIFICATE, _("OAuthTokenIssuer Certificate"),
                 check->ok, expiring, text->str);

  if (certificate != NULL)
    {
      GtkWidget *pill = gtk_label_new (NULL);

      gtk_widget_add_css_class (pill, "tb-status-pill");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      tb_status_label_update (GTK_LABEL (pill),
                              tb_certificate_get_status (certificate, now, warn_days (self)));
      adw_action_row_add_suffix (row, pill);
    }

  button = gtk_button_new_with_mnemonic (_("_Use This Certificate"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, certificate != NULL && self->certificates_pane != NULL);
  gtk_widget_set_tooltip_text (button,
                               certificate != NULL
                                 ? _("Add it to Certificates, so the cloud side needs no .CER file")
                                 : _("The pool state holds no readable certificate"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_use_certificate_clicked), self);
  adw_action_row_add_suffix (row, button);
}

static char *
describe_source (TbPoolPane *self)
{
  const char *fqdn = tb_pool_state_get_server_fqdn (self->state);
  const char *product = tb_pool_state_get_server_product (self->state);
  g_autofree char *when = self->read_at != NULL ? tb_format_local (self->read_at) : NULL;
  GString *text = g_string_new (NULL);

  /* Translators: "fe01.contoso.local · Skype for Business Server 2019" */
  if (fqdn != NULL)
    g_string_append (text, fqdn);
  if (product != NULL)
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", product);
  if (text->len > 0)
    g_string_append_c (text, '\n');
  /* Translators: where the state was read from and when: "Read from trust-bridge-state.json at
   * 12 Mar 2026, 14:05" */
  g_string_append_printf (text, _("Read from %s at %s"), self->source, when ? when : "—");
  return g_string_free (text, FALSE);
}

/* Group titles and descriptions are markup; what the pool reports is text. */
static void
set_description (AdwPreferencesGroup *group,
                 const char          *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_preferences_group_set_description (group, escaped);
}

static void
rebuild_rows (TbPoolPane *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  for (GList *l = self->shown_rows; l != NULL; l = l->next)
    adw_preferences_group_remove (self->config_group, l->data);
  g_clear_pointer (&self->shown_rows, g_list_free);
  g_hash_table_remove_all (self->rows);
  g_hash_table_remove_all (self->results);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->tenant_problem, g_free);

  if (self->state == NULL)
    {
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
      update_sensitivity (self);
      return;
    }

  self->checks = tb_pool_state_check (self->state, self->tenant_id, acs_base (self), now,
                                      warn_days (self), &error);
  if (self->checks == NULL)
    {
      /* A cloud whose ACS no pool could use: check the rest, and say why the URL is not. */
      self->tenant_problem = g_strdup (error->message);
      self->checks = tb_pool_state_check (self->state, NULL, NULL, now, warn_days (self), NULL);
    }

  description = describe_source (self);
  if (self->tenant_problem != NULL)
    {
      g_autofree char *with_problem = g_strdup_printf ("%s\n%s", description,
                                                       self->tenant_problem);

      set_description (self->config_group, with_problem);
    }
  else
    set_description (self->config_group, description);

  add_check_row (self, TB_POOL_PANE_ROW_OAUTH_SERVER, _("OAuth Server"));
  add_partner_row (self);
  add_check_row (self, TB_POOL_PANE_ROW_OAUTH_SERVICE_NAME, _("OAuth Service Name"));
  add_check_row (self, TB_POOL_PANE_ROW_WEB_SERVICES, _("External Web Services"));
  add_certificate_row (self, now);

  gtk_stack_set_visible_child_name (self->results_stack, "content");
  update_sensitivity (self);
}

/* The state ---------------------------------------------------------------------------------- */

static void
set_state (TbPoolPane  *self,
           TbPoolState *state,
           const char  *source)
{
  g_auto(GStrv) fqdns = NULL;

  g_autofree char *old_source = self->source;

  /* @source may be self->source (a re-read of the same pool): copy before freeing. */
  self->source = g_strdup (source);
  g_set_object (&self->state, state);
  g_clear_pointer (&self->read_at, g_date_time_unref);
  self->read_at = g_date_time_new_now_local ();

  fqdns = state != NULL ? tb_pool_state_dup_external_fqdns (state) : NULL;
  g_strfreev (self->external_fqdns);
  self->external_fqdns = g_steal_pointer (&fqdns);

  rebuild_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_FQDNS]);
}

typedef struct
{
  TbPoolPane *self;
  GFile      *file;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  TbPoolPane *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = tb_pool_state_load_file_finish (result, &error);
  g_autofree char *name = g_file_get_basename (data->file);

  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);

  if (state == NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *action = g_strdup_printf (_("“%s” is not a pool state"), name);

      /* Reading again helps when the file could not be read, not when its content is wrong. */
      show_error (self, action, error, error->domain == G_IO_ERROR ? RETRY_FILE : RETRY_NONE,
                  data->file);
      return;
    }

  clear_error (self);
  /* Apply now plans from this file; the live connection no longer describes what is shown. */
  g_clear_object (&self->client);
  set_state (self, state, name);
}

/* Live over WinRM ---------------------------------------------------------------------------- */

typedef struct
{
  TbPoolPane   *self;
  TbPoolClient *client;
  char         *host;
  guint         port;
  char         *user;          /* Basic only */
  char         *password;      /* Basic only; wiped on free */
  char         *pin;
  gboolean      remember;
} LiveData;

static void
live_data_free (LiveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->client);
  g_free (data->host);
  g_free (data->user);
  g_clear_pointer (&data->password, tb_winrm_password_free);
  g_free (data->pin);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiveData, live_data_free)

static void
on_trust_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TbPoolPane       *self)
{
  const char *host = g_object_get_data (G_OBJECT (dialog), "tb-host");
  guint port = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "tb-port"));
  const char *fingerprint = g_object_get_data (G_OBJECT (dialog), "tb-fingerprint");

  if (!g_str_equal (response, "trust") || self->context == NULL)
    return;
  tb_winrm_pins_remember (tb_context_get_winrm_pins (self->context), host, port, fingerprint);
  connect_live (self);
}

/* First contact with a certificate the system does not trust: show its fingerprint so the
 * admin can compare it with the one on the server (Get-ChildItem Cert:\LocalMachine\My). */
static void
ask_trust (TbPoolPane *self,
           const char *host,
           guint       port,
           const char *fingerprint)
{
  g_autoptr(GString) pairs = g_string_new (NULL);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  for (const char *p = fingerprint; *p != '\0'; p += 2)
    {
      if (pairs->len > 0)
        g_string_append_c (pairs, ':');
      g_string_append_len (pairs, p, p[1] != '\0' ? 2 : 1);
      if (p[1] == '\0')
        break;
    }

  body = g_strdup_printf (_("The system does not trust the certificate of %s. Trust it only if "
                            "this SHA-256 fingerprint is the one of the WinRM listener’s "
                            "certificate on that server:\n\n%s\n\nIt is remembered for this "
                            "host; a different certificate later is refused."),
                          host, pairs->str);
  dialog = adw_message_dialog_new (parent_window (self), _("Trust This Certificate?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust This Certificate"),
                                    NULL);
  /* Trust is never the default: Enter must not accept an unknown certificate. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "tb-host", g_strdup (host), g_free);
  g_object_set_data (G_OBJECT (dialog), "tb-port", GUINT_TO_POINTER (port));
  g_object_set_data_full (G_OBJECT (dialog), "tb-fingerprint", g_strdup (fingerprint), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_trust_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TbPoolPane) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not remembering is a small notice: the connection itself worked. */
  if (!tb_winrm_password_store_finish (result, &error) && !is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("The password was not remembered: %s"),
                                               error->message);

      tb_widget_show_toast (GTK_WIDGET (self), text);
    }
}

static void
on_password_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tb_winrm_password_clear_finish (result, &error) && !is_cancelled (error))
    g_debug ("Clearing a WinRM password: %s", error->message);
}

/* An error from talking to the pool: a certificate to confirm, or the inline error group. */
static void
show_live_error (TbPoolPane   *self,
                 LiveData     *data,
                 const char   *action,
                 const GError *error)
{
  if (g_error_matches (error, TB_WINRM_ERROR, TB_WINRM_ERROR_TLS_UNTRUSTED) &&
      tb_winrm_error_get_fingerprint (error) != NULL)
    {
      ask_trust (self, data->host, data->port, tb_winrm_error_get_fingerprint (error));
      return;
    }
  show_error (self, action, error, RETRY_CONNECT, NULL);
}

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LiveData) data = user_data;
  TbPoolPane *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) symptom = NULL;
  g_autoptr(TbPoolState) state = tb_pool_client_status_finish (data->client, result, &error);
  g_autofree char *action = NULL;

  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);

  /* Translators: %s is a server name */
  action = g_strdup_printf (_("The pool could not be read from %s"), data->host);
  if (state == NULL)
    {
      show_live_error (self, data, action, error);
      return;
    }

  g_set_object (&self->client, data->client);
  if (data->user != NULL && data->password != NULL && *data->password != '\0')
    {
      if (data->remember)
        tb_winrm_password_store_async (data->host, data->port, data->user, data->password,
                                       self->cancellable, on_password_stored,
                                       g_object_ref (self));
      else
        tb_winrm_password_clear_async (data->host, data->port, data->user, self->cancellable,
                                       on_password_cleared, NULL);
    }

  /* What was read is shown even when cmdlets failed (the double hop); the error says why
   * items are unknown and offers the script round trip. */
  if (!tb_pool_client_diagnose (state, data->host, &symptom))
    show_error (self, _("Some of the pool could not be read"), symptom, RETRY_CONNECT, NULL);
  else
    clear_error (self);
  set_state (self, state, data->host);
}

static void
start_status (TbPoolPane *self,
              LiveData   *data)
{
  set_busy (self, TRUE);
  tb_pool_client_status_async (data->client, self->cancellable, on_status, data);
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LiveData *data = user_data;
  TbPoolPane *self = data->self;
  g_autoptr(GError) error = NULL;
  char *password = tb_winrm_password_lookup_finish (result, &error);

  if (is_cancelled (error))
    {
      live_data_free (data);
      return;
    }
  set_busy (self, FALSE);
  if (password == NULL)
    {
      live_data_free (data);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      tb_widget_show_toast (GTK_WIDGET (self), _("Type the password of the local account"));
      return;
    }

  /* Remembered: the switch says so, and the field stays empty (never shown). */
  gtk_switch_set_active (self->remember_switch, TRUE);
  data->remember = TRUE;
  data->password = password;
  g_clear_object (&data->client);
  data->client = tb_pool_client_new (data->host, data->port, TB_WINRM_AUTH_BASIC, data->user,
                                     password, data->pin);
  start_status (self, data);
}

static void
connect_live (TbPoolPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *pin = NULL;
  const char *port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  TbWinrmAuth auth = adw_combo_row_get_selected (self->auth_row) == TB_WINRM_AUTH_BASIC
                       ? TB_WINRM_AUTH_BASIC : TB_WINRM_AUTH_KERBEROS;
  guint64 port = TB_WINRM_DEFAULT_PORT;
  g_autoptr(TbPoolConnection) connection = NULL;
  LiveData *data;

  /* The WinRM client judges the name (an FQDN for Kerberos, any host name for Basic). */
  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row))));
  if (*host == '\0')
    return;
  if (*port_text != '\0' &&
      (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a port number (1–65535)."), port_text);
      show_error (self, _("The port is not valid"), error, RETRY_NONE, NULL);
      return;
    }
  if (self->context == NULL)
    return;
  /* Validation, the pin (confirmed before, or the demo's) and the demo wiring are the core's,
   * shared with trust-bridge-cli. */
  connection = tb_pool_connection_new (self->context, host, (guint) port,
                                       auth == TB_WINRM_AUTH_BASIC ? "basic" : "kerberos",
                                       auth == TB_WINRM_AUTH_BASIC ? user : NULL, NULL, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_NO_USER))
        {
          show_error (self, _("The user is missing"), error, RETRY_NONE, NULL);
          gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
        }
      else
        show_error (self, _("The connection is not valid"), error, RETRY_NONE, NULL);
      return;
    }

  clear_error (self);
  pin = g_strdup (tb_pool_connection_get_pin (connection));
  data = g_new0 (LiveData, 1);
  data->self = g_object_ref (self);
  data->host = g_strdup (host);
  data->port = (guint) port;
  data->remember = gtk_switch_get_active (self->remember_switch);
  data->pin = g_strdup (pin);
  if (auth == TB_WINRM_AUTH_BASIC)
    {
      data->user = g_strdup (user);
      /* An empty field with a remembered password: look it up rather than ask. */
      if (*password == '\0')
        {
          set_busy (self, TRUE);
          tb_winrm_password_lookup_async (host, (guint) port, user, self->cancellable,
                                          on_password_found, data);
          return;
        }
      data->password = g_strdup (password);
      tb_pool_connection_set_password (connection, password);
    }
  data->client = tb_pool_connection_new_client (connection, NULL);
  start_status (self, data);
}

static void
on_connect_clicked (TbPoolPane *self)
{
  if (self->busy == 0 && *gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row)) != '\0')
    connect_live (self);
}

static void
prefill_demo_pool (TbPoolPane *self)
{
  const char *host = NULL;
  const char *user = NULL;
  const char *password = NULL;
  guint port = 0;
  g_autofree char *port_text = NULL;

  if (self->context == NULL ||
      !tb_context_get_demo_pool (self->context, &host, &port, &user, &password, NULL))
    return;

  port_text = g_strdup_printf ("%u", port);
  gtk_editable_set_text (GTK_EDITABLE (self->fqdn_row), host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port_text);
  adw_combo_row_set_selected (self->auth_row, TB_WINRM_AUTH_BASIC);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user);
  /* Made at random for this run by the context; the field never shows it. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
}

/* Scripts ------------------------------------------------------------------------------------ */

static void
destroy_chooser (TbPoolPane *self)
{
  if (self->chooser == NULL)
    return;
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

static void
on_script_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbPoolPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (is_cancelled (error))
        return;
      set_busy (self, FALSE);
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("“%s” was not saved"), name);
      show_error (self, text, error, RETRY_NONE, NULL);
      return;
    }
  set_busy (self, FALSE);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Saved “%s”: run it on a Front End"), name);
  tb_widget_show_toast (GTK_WIDGET (self), text);
}

static void
write_script (TbPoolPane *self,
              GFile      *file,
              char       *script)
{
  gsize length = strlen (script);

  set_busy (self, TRUE);
  g_file_replace_contents_bytes_async (file, g_bytes_new_take (script, length), NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       on_script_written, g_object_ref (self));
}

void
tb_pool_pane_export_read_script (TbPoolPane *self,
                                 GFile      *file)
{
  g_return_if_fail (TB_IS_POOL_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  write_script (self, file, tb_pool_script_new_read (TB_POOL_SCRIPT_FORM_EXPORT));
}

void
tb_pool_pane_export_apply_script (TbPoolPane *self,
                                  GFile      *file)
{
  g_autoptr(GError) error = NULL;
  char *script;

  g_return_if_fail (TB_IS_POOL_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  script = tb_pool_script_new_apply (self->tenant_id, acs_base (self), FALSE,
                                     TB_POOL_SCRIPT_FORM_EXPORT, &error);
  if (script == NULL)
    {
      show_error (self, _("The apply script could not be made"), error, RETRY_NONE, NULL);
      return;
    }
  write_script (self, file, script);
}

static void
on_save_response (TbPoolPane           *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  gboolean apply = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "tb-apply"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  destroy_chooser (self);

  if (file == NULL)
    return;
  if (apply)
    tb_pool_pane_export_apply_script (self, file);
  else
    tb_pool_pane_export_read_script (self, file);
}

static void
choose_script_file (TbPoolPane *self,
                    gboolean    apply)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  destroy_chooser (self);
  self->chooser = gtk_file_chooser_native_new (apply ? _("Export Apply Script")
                                                     : _("Export Read Script"),
                                               parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PowerShell scripts (.ps1)"));
  gtk_file_filter_add_suffix (filter, "ps1");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     apply ? "trust-bridge-apply.ps1" : "trust-bridge-read.ps1");
  g_object_set_data (G_OBJECT (self->chooser), "tb-apply", GINT_TO_POINTER (apply));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_read_script_clicked (TbPoolPane *self)
{
  choose_script_file (self, FALSE);
}

static void
on_apply_script_clicked (TbPoolPane *self)
{
  choose_script_file (self, TRUE);
}

static void
on_open_response (TbPoolPane           *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  destroy_chooser (self);
  if (file != NULL)
    tb_pool_pane_load_file (self, file);
}

void
tb_pool_pane_choose_file (TbPoolPane *self)
{
  g_autoptr(GtkFileFilter) states = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_return_if_fail (TB_IS_POOL_PANE (self));

  destroy_chooser (self);
  self->chooser = gtk_file_chooser_native_new (_("Use a State File"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (states, _("Pool state (.json)"));
  gtk_file_filter_add_suffix (states, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), states);
  /* Saved script output holding the state line works too, whatever its name. */
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), states);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_open_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_state_file_clicked (TbPoolPane *self)
{
  tb_pool_pane_choose_file (self);
}

/* Apply -------------------------------------------------------------------------------------- */

static void
present_dialog (AdwMessageDialog *dialog)
{
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_nothing_to_do (TbPoolPane *self)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), _("Nothing to Change"),
                                              _("The pool already has the OAuth server, partner "
                                                "application and OAuth service name the trust "
                                                "needs."));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  present_dialog (ADW_MESSAGE_DIALOG (dialog));
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbPoolPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) applied = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);
  const char *host = tb_winrm_shell_get_host (tb_pool_client_get_shell (TB_POOL_CLIENT (source)));
  g_autofree char *text = NULL;

  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);
  if (applied == NULL)
    {
      /* Translators: %s is a server name */
      g_autofree char *action = g_strdup_printf (_("The changes were not applied on %s"), host);

      show_error (self, action, error, RETRY_NONE, NULL);
      return;
    }

  /* What the pool holds now, as read again after the script: the page shows the result. */
  clear_error (self);
  set_state (self, applied->after, host);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change applied on %s",
                                       "%u changes applied on %s", applied->changes->len),
                          applied->changes->len, host);
  tb_widget_show_toast (GTK_WIDGET (self), text);
}

static void
apply_live (TbPoolPane *self)
{
  if (self->client == NULL || self->tenant_id == NULL)
    return;
  set_busy (self, TRUE);
  tb_pool_client_apply_async (self->client, self->tenant_id, acs_base (self), FALSE,
                              self->cancellable, on_applied, g_object_ref (self));
}

static void
on_preview_response (AdwMessageDialog *dialog,
                     const char       *response,
                     TbPoolPane       *self)
{
  if (g_str_equal (response, "export"))
    choose_script_file (self, TRUE);
  else if (g_str_equal (response, "apply"))
    apply_live (self);
}

/* The preview lists each change; live it comes from a dry run on the pool itself, from a state
 * file it is planned from what the file says. */
static void
show_preview (TbPoolPane *self,
              GPtrArray  *changes,
              gboolean    live)
{
  g_autoptr(GString) body = g_string_new (NULL);
  GtkWidget *dialog;

  if (changes->len == 0)
    {
      show_nothing_to_do (self);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const TbPoolChange *change = g_ptr_array_index (changes, i);

      g_string_append_printf (body, "• %s\n", change->detail);
    }
  g_string_append_c (body, '\n');
  if (live)
    g_string_append_printf (body, _("Apply makes these changes on %s now and reads the pool "
                                    "again. The apply script does the same when run on a "
                                    "Front End."), self->source);
  else
    g_string_append (body, _("Run the apply script on a Front End, then use the state it prints "
                             "(saved to a file) here to see the result."));

  dialog = adw_message_dialog_new (parent_window (self), _("Apply On-premises Changes?"),
                                   body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "export", _("Export _Apply Script…"),
                                    NULL);
  if (live)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "apply", _("_Apply"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                                  ADW_RESPONSE_SUGGESTED);
    }
  else
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                                ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_preview_response), self, 0);
  present_dialog (ADW_MESSAGE_DIALOG (dialog));
}

static void
on_dry_run (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbPoolPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) planned = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);

  if (is_cancelled (error))
    return;
  set_busy (self, FALSE);
  if (planned == NULL)
    {
      show_error (self, _("The changes could not be previewed"), error, RETRY_NONE, NULL);
      return;
    }
  /* The dry run read the pool first: show that, so the preview and the rows agree. */
  if (planned->before != NULL)
    set_state (self, planned->before, self->source);
  show_preview (self, planned->changes, TRUE);
}

static void
on_apply_clicked (TbPoolPane *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *metadata_url = NULL;
  GtkWidget *dialog;

  if (self->state == NULL || self->busy > 0)
    return;

  if (self->tenant_id == NULL)
    {
      dialog = adw_message_dialog_new (parent_window (self), _("The Tenant ID Is Needed"),
                                       _("The OAuth server must point at your tenant’s "
                                         "metadata. Sign in to Microsoft 365, or type the "
                                         "tenant ID on this page."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      present_dialog (ADW_MESSAGE_DIALOG (dialog));
      gtk_widget_grab_focus (GTK_WIDGET (self->tenant_entry_row));
      return;
    }

  /* Live: a dry run on the pool (-WhatIf) says exactly what apply would do. */
  if (self->client != NULL)
    {
      set_busy (self, TRUE);
      tb_pool_client_apply_async (self->client, self->tenant_id, acs_base (self), TRUE,
                                  self->cancellable, on_dry_run, g_object_ref (self));
      return;
    }

  metadata_url = tb_pool_script_metadata_url (acs_base (self), self->tenant_id, &error);
  if (metadata_url != NULL)
    changes = tb_pool_plan_changes (self->state, metadata_url, &error);
  if (changes == NULL)
    {
      show_error (self, _("The changes could not be previewed"), error, RETRY_NONE, NULL);
      return;
    }
  show_preview (self, changes, FALSE);
}

/* GObject ------------------------------------------------------------------------------------ */

static void
on_warn_days_changed (TbPoolPane *self)
{
  if (self->state != NULL)
    rebuild_rows (self);
}

static void
tb_pool_pane_dispose (GObject *object)
{
  TbPoolPane *self = TB_POOL_PANE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->tenant_cancellable);
  destroy_chooser (self);
  if (self->certificates_pane != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->certificates_pane),
                                  (gpointer *) &self->certificates_pane);
  self->certificates_pane = NULL;
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_pointer (&self->shown_rows, g_list_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_POOL_PANE);

  G_OBJECT_CLASS (tb_pool_pane_parent_class)->dispose (object);
}

static void
tb_pool_pane_finalize (GObject *object)
{
  TbPoolPane *self = TB_POOL_PANE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->tenant_cancellable);
  g_clear_object (&self->state);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_free (self->source);
  g_clear_pointer (&self->read_at, g_date_time_unref);
  g_strfreev (self->external_fqdns);
  g_free (self->tenant_id);
  g_free (self->tenant_source);
  g_free (self->resolved_query);
  g_free (self->resolved_tenant_id);
  g_free (self->tenant_problem);
  g_clear_error (&self->error);
  g_free (self->error_action);
  g_clear_object (&self->retry_file);
  g_clear_object (&self->client);
  g_hash_table_unref (self->rows);
  g_hash_table_unref (self->results);

  G_OBJECT_CLASS (tb_pool_pane_parent_class)->finalize (object);
}

static void
tb_pool_pane_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TbPoolPane *self = TB_POOL_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_POOL_STATE:
      g_value_set_object (value, self->state);
      break;
    case PROP_EXTERNAL_FQDNS:
      g_value_set_boxed (value, self->external_fqdns);
      break;
    case PROP_TENANT_ID:
      g_value_set_string (value, self->tenant_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_pool_pane_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TbPoolPane *self = TB_POOL_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      tb_pool_pane_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_pool_pane_class_init (TbPoolPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_pool_pane_dispose;
  object_class->finalize = tb_pool_pane_finalize;
  object_class->get_property = tb_pool_pane_get_property;
  object_class->set_property = tb_pool_pane_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TB_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POOL_STATE] =
    g_param_spec_object ("pool-state", NULL, NULL, TB_TYPE_POOL_STATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTERNAL_FQDNS] =
    g_param_spec_boxed ("external-fqdns", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT_ID] =
    g_param_spec_string ("tenant-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-pool-pane.ui");
  /* Bound so dispose_template unparents it: it is the pane's only child. */
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, connection_group);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, fqdn_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, port_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, auth_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, principal_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, user_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, password_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, remember_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, connect_button);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, read_script_button);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, state_file_button);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, tenant_known_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, tenant_entry_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, error_box);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, results_stack);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, content_box);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, config_group);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, apply_button);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPane, apply_script_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_principal);
  gtk_widget_class_bind_template_callback (widget_class, on_state_file_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_read_script_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_tenant_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_script_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_clicked);
}

static void
tb_pool_pane_init (TbPoolPane *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  update_principal (self);
  set_tenant (self, NULL, NULL);
  update_sensitivity (self);
}

/* Public ------------------------------------------------------------------------------------- */

GtkWidget *
tb_pool_pane_new (TbContext *context)
{
  return g_object_new (TB_TYPE_POOL_PANE, "context", context, NULL);
}

void
tb_pool_pane_set_context (TbPoolPane *self,
                          TbContext  *context)
{
  g_return_if_fail (TB_IS_POOL_PANE (self));
  g_return_if_fail (context == NULL || TB_IS_CONTEXT (context));

  if (self->context == context)
    return;

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_set_object (&self->context, context);
  if (context != NULL)
    {
      g_signal_connect_object (context, "notify::auth", G_CALLBACK (on_auth_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "notify::warn-days", G_CALLBACK (on_warn_days_changed),
                               self, G_CONNECT_SWAPPED);
    }
  on_auth_changed (self);
  prefill_demo_pool (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

void
tb_pool_pane_set_certificates_pane (TbPoolPane         *self,
                                    TbCertificatesPane *pane)
{
  g_return_if_fail (TB_IS_POOL_PANE (self));

  if (self->certificates_pane != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->certificates_pane),
                                  (gpointer *) &self->certificates_pane);
  self->certificates_pane = pane;
  if (pane != NULL)
    g_object_add_weak_pointer (G_OBJECT (pane), (gpointer *) &self->certificates_pane);
  if (self->state != NULL)
    rebuild_rows (self);
}

void
tb_pool_pane_load_file (TbPoolPane *self,
                        GFile      *file)
{
  LoadData *data;

  g_return_if_fail (TB_IS_POOL_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  set_busy (self, TRUE);
  tb_pool_state_load_file_async (file, self->cancellable, on_file_loaded, data);
}

gboolean
tb_pool_pane_wants_file (GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;
  return lower != NULL && g_str_has_suffix (lower, ".json");
}

gboolean
tb_pool_pane_use_certificate (TbPoolPane *self)
{
  const TbPoolCertificate *record = NULL;
  g_autoptr(TbCertificate) copy = NULL;
  g_autofree char *origin = NULL;
  GtkWidget *stack;

  g_return_val_if_fail (TB_IS_POOL_PANE (self), FALSE);

  if (self->state == NULL || self->certificates_pane == NULL ||
      tb_pool_state_get_oauth_certificate (self->state, &record) != TB_POOL_PRESENT ||
      record == NULL || record->certificate == NULL)
    return FALSE;

  /* A copy, so the list names where it came from without touching the state's record. */
  copy = tb_certificate_new_from_der (tb_certificate_get_der (record->certificate), NULL);
  if (copy == NULL)
    return FALSE;
  /* Translators: where a certificate in the list came from: "Pool fe01.contoso.local" */
  origin = g_strdup_printf (_("Pool %s"), tb_pool_state_get_server_fqdn (self->state) != NULL
                                            ? tb_pool_state_get_server_fqdn (self->state)
                                            : self->source);
  tb_certificate_set_origin (copy, origin, 0);
  tb_certificates_pane_add_certificate (self->certificates_pane, copy);

  /* Show it where the admin will use it; the window's sidebar follows the stack. The page may
   * hold the pane inside a container (the window builds it late). */
  stack = gtk_widget_get_ancestor (GTK_WIDGET (self->certificates_pane), GTK_TYPE_STACK);
  if (stack != NULL)
    {
      GtkWidget *page = GTK_WIDGET (self->certificates_pane);

      while (gtk_widget_get_parent (page) != stack)
        page = gtk_widget_get_parent (page);
      gtk_stack_set_visible_child (GTK_STACK (stack), page);
    }
  tb_widget_show_toast (GTK_WIDGET (self), _("The pool’s OAuthTokenIssuer certificate was added "
                                             "to Certificates"));
  return TRUE;
}

gboolean
tb_pool_pane_get_loading (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), FALSE);
  return self->busy > 0;
}

TbPoolState *
tb_pool_pane_get_pool_state (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return self->state;
}

TbPoolClient *
tb_pool_pane_get_client (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return self->client;
}

const char * const *
tb_pool_pane_get_external_fqdns (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return (const char * const *) self->external_fqdns;
}

const char *
tb_pool_pane_get_tenant_id (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return self->tenant_id;
}

void
tb_pool_pane_set_typed_tenant_id (TbPoolPane *self,
                                  const char *tenant_id)
{
  g_return_if_fail (TB_IS_POOL_PANE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->tenant_entry_row), tenant_id ? tenant_id : "");
}

const char *
tb_pool_pane_get_view (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return gtk_stack_get_visible_child_name (self->results_stack);
}

GtkWidget *
tb_pool_pane_get_row (TbPoolPane *self,
                      const char *item)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return g_hash_table_lookup (self->rows, item);
}

TbPoolCheckResult
tb_pool_pane_get_row_result (TbPoolPane *self,
                             const char *item)
{
  gpointer value;

  g_return_val_if_fail (TB_IS_POOL_PANE (self), TB_POOL_CHECK_UNKNOWN);
  if (!g_hash_table_lookup_extended (self->results, item, NULL, &value))
    return TB_POOL_CHECK_UNKNOWN;
  return GPOINTER_TO_INT (value);
}

const char *
tb_pool_pane_get_error (TbPoolPane *self)
{
  g_return_val_if_fail (TB_IS_POOL_PANE (self), NULL);
  return self->error != NULL ? self->error->message : NULL;
}

void
tb_pool_pane_show_applied_state (TbPoolPane  *self,
                                 TbPoolState *state)
{
  g_return_if_fail (TB_IS_POOL_PANE (self));
  g_return_if_fail (TB_IS_POOL_STATE (state));

  clear_error (self);
  set_state (self, state, self->source);
}
