/* tb-pool-page.c: the On-premises Pool page
 *
 * One TbPoolState at a time is shown, checked against the tenant with tb_pool_state_check();
 * the checks carry the sentences (and the exact desired values), this file only lays them out.
 * A read that fails leaves the shown state alone: an admin comparing two files must not lose
 * the first one to a typo in the second. The checks group, the connection form's live read and
 * the scripts and Apply are in tb-pool-page-checks.c, -connection.c and -actions.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-format.h"
#include "tb-pool-client.h"
#include "tb-pool-page-private.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-tenant.h"
#include "tb-ui-util.h"
#include "tb-winrm-shell.h"

/* A read script run live must not hang the page forever when the Front End stops answering. */
#define LIVE_TIMEOUT_MS (3 * 60 * 1000)

G_DEFINE_FINAL_TYPE (TbPoolPage, tb_pool_page, TB_TYPE_PAGE)

enum {
  PROP_0,
  PROP_POOL_STATE,
  PROP_EXTERNAL_FQDNS,
  PROP_TENANT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_tenant (TbPoolPage *self);

/* Helpers ------------------------------------------------------------------------------------ */

guint
_tb_pool_page_warn_days (TbPoolPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  return context != NULL ? tb_context_get_warn_days (context) : TB_DEFAULT_WARN_DAYS;
}

GtkWindow *
_tb_pool_page_parent_window (TbPoolPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

gboolean
_tb_pool_page_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The ACS base the pool's metadata URL must name. The demo's simulator serves ACS on a
 * loopback http:// address no Front End could reach and no script accepts; the demo pool
 * stands for a real one, which reads the global cloud's ACS. */
const char *
_tb_pool_page_acs_base (TbPoolPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  if (context == NULL)
    return TB_POOL_DEFAULT_ACS_BASE;
  return tb_pool_connection_get_acs_base (context);
}

void
_tb_pool_page_update_actions (TbPoolPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = tb_page_get_loading (TB_PAGE (self));
  const char *fqdn = gtk_editable_get_text (GTK_EDITABLE (self->fqdn_row));

  gtk_widget_action_set_enabled (widget, "pool.connect", !busy && *fqdn != '\0');
  gtk_widget_action_set_enabled (widget, "pool.open-state-file", !busy);
  gtk_widget_action_set_enabled (widget, "pool.apply", !busy && self->state != NULL);
  gtk_widget_action_set_enabled (widget, "pool.export-apply-script", self->tenant_id != NULL);
  /* The state shown holds a certificate that could be read. */
  gtk_widget_action_set_enabled (widget, "pool.use-certificate",
                                 _tb_pool_page_get_oauth_certificate (self) != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->apply_script_button),
                               self->tenant_id != NULL
                                 ? _("Save a PowerShell script that brings the pool to what the "
                                     "trust needs, to run on a Front End")
                                 : _("The apply script needs the tenant ID"));
}

void
_tb_pool_page_set_busy (TbPoolPage *self,
                        gboolean    busy)
{
  tb_page_set_busy (TB_PAGE (self), busy);
  _tb_pool_page_update_actions (self);
}

/* The shown state and its external FQDNs changed (tb-pool-page-checks.c). */
void
_tb_pool_page_notify_state (TbPoolPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  TbPoolSource source = TB_POOL_SOURCE_NONE;
  const char *server = NULL;

  /* What the page read is the workspace's pool state, with where it came from: over WinRM,
   * from the demo Front End, or carried back as a file from a Front End. */
  if (self->state != NULL)
    {
      if (self->client == NULL)
        source = TB_POOL_SOURCE_STATE_FILE;
      else if (context != NULL && tb_context_get_demo (context))
        source = TB_POOL_SOURCE_DEMO;
      else
        source = TB_POOL_SOURCE_LIVE;
      server = tb_pool_state_get_server_fqdn (self->state);
    }
  tb_workspace_set_pool_state (tb_page_get_workspace (TB_PAGE (self)), self->state, source,
                               server != NULL ? server : "—");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_FQDNS]);
}

/* Errors ------------------------------------------------------------------------------------- */

void
_tb_pool_page_clear_error (TbPoolPage *self)
{
  tb_page_clear_error (TB_PAGE (self));
}

static void
tb_pool_page_retry (TbPage *page)
{
  TbPoolPage *self = TB_POOL_PAGE (page);
  g_autoptr(GFile) file = self->retry_file ? g_object_ref (self->retry_file) : NULL;

  switch (self->retry_kind)
    {
    case RETRY_FILE:
      if (file != NULL)
        tb_pool_page_load_file (self, file);
      break;
    case RETRY_CONNECT:
      _tb_pool_page_connect_live (self);
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

/* An error shows inline, next to the action, and takes the focus (Connect sits below the
 * fold): what failed, the message, Details, Retry; for the double hop the way round it. */
void
_tb_pool_page_show_error (TbPoolPage   *self,
                          const char   *action,
                          const GError *error,
                          RetryKind     retry,
                          GFile        *retry_file)
{
  GtkWidget *group;

  self->retry_kind = retry;
  g_set_object (&self->retry_file, retry_file);
  group = tb_page_show_error (TB_PAGE (self), action, error, NULL,
                              TB_PAGE_ERROR_FOCUS
                              | (retry != RETRY_NONE ? TB_PAGE_ERROR_RETRY : 0));

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
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pool.export-read-script");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

/* Tenant ------------------------------------------------------------------------------------- */

static void
set_tenant (TbPoolPage *self,
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
      _tb_pool_page_rebuild_rows (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT_ID]);
    }
  _tb_pool_page_update_actions (self);
}

static char *
typed_tenant (TbPoolPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->tenant_entry_row));

  return tb_pool_script_check_tenant_id (text, NULL);
}

static void
on_tenant_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TbPoolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) tenant = tb_tenant_resolve_finish (result, &error);

  if (_tb_pool_page_is_cancelled (error))
    return;
  _tb_pool_page_set_busy (self, FALSE);
  if (tenant == NULL)
    {
      /* Typing the ID still works; say why it was not found. */
      _tb_pool_page_show_error (self, _("The tenant ID could not be found"), error, RETRY_TENANT, NULL);
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
update_tenant (TbPoolPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  TbAuth *auth = tb_page_get_auth (TB_PAGE (self));
  const char *configured = context != NULL ? tb_context_get_tenant (context) : NULL;
  g_autofree char *typed = NULL;

  if (auth != NULL && tb_auth_get_signed_in (auth) && tb_auth_get_tenant_id (auth) != NULL)
    {
      g_autofree char *id = tb_pool_script_check_tenant_id (tb_auth_get_tenant_id (auth), NULL);
      g_autofree char *source = NULL;

      if (id != NULL)
        {
          /* Translators: %s is the signed-in account, user@contoso.com */
          source = g_strdup_printf (_("from the sign-in of %s"),
                                    tb_auth_get_account (auth) != NULL
                                      ? tb_auth_get_account (auth) : "—");
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
          _tb_pool_page_set_busy (self, TRUE);
          tb_tenant_resolve_async (tb_context_get_cloud (context),
                                   tb_context_get_session (context), configured,
                                   self->tenant_cancellable, on_tenant_resolved,
                                   g_object_ref (self));
        }
    }

  typed = typed_tenant (self);
  set_tenant (self, typed, NULL);
}

static void
on_tenant_entry_changed (TbPoolPage *self)
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
tb_pool_page_auth_changed (TbPage *page)
{
  TbPoolPage *self = TB_POOL_PAGE (page);

  /* Another cloud may know the configured domain under another ID. */
  g_clear_pointer (&self->resolved_query, g_free);
  update_tenant (self);
}

/* Kerberos principal ------------------------------------------------------------------------- */

static void
update_principal (TbPoolPage *self)
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

/* Kerberos needs a ticket, Basic a user and a password. */
static void
update_form (TbPoolPage *self)
{
  gboolean basic = adw_combo_row_get_selected (self->auth_row) == TB_WINRM_AUTH_BASIC;

  gtk_widget_set_visible (GTK_WIDGET (self->principal_row), !basic);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), basic);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), basic);
  gtk_widget_set_visible (GTK_WIDGET (self->remember_row), basic);
}

static void
on_form_changed (TbPoolPage *self)
{
  update_form (self);
  _tb_pool_page_update_actions (self);
}

/* Enter in the FQDN or password field is Connect. */
static void
on_entry_activated (TbPoolPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "pool.connect", NULL);
}

/* Commands ----------------------------------------------------------------------------------- */

static void
use_certificate (TbPoolPage *self)
{
  tb_pool_page_use_certificate (self);
}

static const struct
{
  const char *name;
  void      (*run) (TbPoolPage *self);
} commands[] = {
  { "pool.connect", _tb_pool_page_connect },
  { "pool.look-for-ticket", update_principal },
  { "pool.open-state-file", tb_pool_page_choose_file },
  { "pool.export-read-script", _tb_pool_page_export_read_script },
  { "pool.export-apply-script", _tb_pool_page_export_apply_script },
  { "pool.apply", _tb_pool_page_apply_changes },
  { "pool.use-certificate", use_certificate },
};

static void
activate_command (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (action_name, commands[i].name))
      {
        commands[i].run (TB_POOL_PAGE (widget));
        return;
      }
}

/* GObject ------------------------------------------------------------------------------------ */

static void
on_warn_days_changed (TbPoolPage *self)
{
  if (self->state != NULL)
    _tb_pool_page_rebuild_rows (self);
}

static void
tb_pool_page_context_changed (TbPage *page)
{
  _tb_pool_page_prefill_demo_pool (TB_POOL_PAGE (page));
}

static void
tb_pool_page_dispose (GObject *object)
{
  TbPoolPage *self = TB_POOL_PAGE (object);

  g_cancellable_cancel (self->tenant_cancellable);
  tb_file_chooser_clear (&self->chooser);
  g_clear_pointer (&self->shown_rows, g_list_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_POOL_PAGE);

  G_OBJECT_CLASS (tb_pool_page_parent_class)->dispose (object);
}

static void
tb_pool_page_finalize (GObject *object)
{
  TbPoolPage *self = TB_POOL_PAGE (object);

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
  g_clear_object (&self->retry_file);
  g_clear_object (&self->client);
  g_hash_table_unref (self->rows);
  g_hash_table_unref (self->results);

  G_OBJECT_CLASS (tb_pool_page_parent_class)->finalize (object);
}

static void
tb_pool_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TbPoolPage *self = TB_POOL_PAGE (object);

  switch (prop_id)
    {
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
tb_pool_page_class_init (TbPoolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TbPageClass *page_class = TB_PAGE_CLASS (klass);

  object_class->dispose = tb_pool_page_dispose;
  object_class->finalize = tb_pool_page_finalize;
  object_class->get_property = tb_pool_page_get_property;
  page_class->context_changed = tb_pool_page_context_changed;
  page_class->auth_changed = tb_pool_page_auth_changed;
  page_class->retry = tb_pool_page_retry;
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
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-pool-page.ui");
  /* Bound so dispose_template unparents it: it is the page's only child. */
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, connection_group);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, fqdn_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, auth_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, principal_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, remember_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, tenant_known_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, tenant_entry_row);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, results_stack);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, config_group);
  gtk_widget_class_bind_template_child (widget_class, TbPoolPage, apply_script_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_tenant_entry_changed);

  /* The page's commands: its buttons name these, and _tb_pool_page_update_actions enables
   * them from the page's state. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    gtk_widget_class_install_action (widget_class, commands[i].name, NULL, activate_command);
}

static void
tb_pool_page_init (TbPoolPage *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_set_busy_widget (TB_PAGE (self), GTK_WIDGET (self->content_box));
  tb_page_set_error_slot (TB_PAGE (self), self->error_box);
  g_signal_group_connect_object (tb_page_get_context_signals (TB_PAGE (self)),
                                 "notify::warn-days", G_CALLBACK (on_warn_days_changed), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_auth_signals (TB_PAGE (self)), "notify::tenant-id",
                                 G_CALLBACK (update_tenant), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_auth_signals (TB_PAGE (self)), "notify::signed-in",
                                 G_CALLBACK (update_tenant), self, G_CONNECT_SWAPPED);
  update_principal (self);
  set_tenant (self, NULL, NULL);
  update_form (self);
  _tb_pool_page_update_actions (self);
}

/* Public ------------------------------------------------------------------------------------- */

GtkWidget *
tb_pool_page_new (TbContext *context)
{
  return g_object_new (TB_TYPE_POOL_PAGE, "context", context, NULL);
}

void
tb_pool_page_set_context (TbPoolPage *self,
                          TbContext  *context)
{
  g_return_if_fail (TB_IS_POOL_PAGE (self));
  tb_page_set_context (TB_PAGE (self), context);
}

void
tb_pool_page_load_file (TbPoolPage *self,
                        GFile      *file)
{
  g_return_if_fail (TB_IS_POOL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  _tb_pool_page_read_file (self, file);
}

gboolean
tb_pool_page_wants_file (GFile *file)
{
  g_autofree char *name = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  name = g_file_get_basename (file);
  lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;
  return lower != NULL && g_str_has_suffix (lower, ".json");
}

TbCertificate *
_tb_pool_page_get_oauth_certificate (TbPoolPage *self)
{
  const TbPoolCertificate *record = NULL;

  if (self->state == NULL ||
      tb_pool_state_get_oauth_certificate (self->state, &record) != TB_POOL_PRESENT ||
      record == NULL)
    return NULL;
  return record->certificate;
}

gboolean
tb_pool_page_use_certificate (TbPoolPage *self)
{
  TbCertificate *certificate;
  g_autoptr(TbCertificate) copy = NULL;
  g_autofree char *origin = NULL;

  g_return_val_if_fail (TB_IS_POOL_PAGE (self), FALSE);

  certificate = _tb_pool_page_get_oauth_certificate (self);
  if (certificate == NULL)
    return FALSE;

  /* A copy, so the list names where it came from without touching the state's record. */
  copy = tb_certificate_new_from_der (tb_certificate_get_der (certificate), NULL);
  if (copy == NULL)
    return FALSE;
  /* Translators: where a certificate in the list came from: "Pool fe01.contoso.local" */
  origin = g_strdup_printf (_("Pool %s"), tb_pool_state_get_server_fqdn (self->state) != NULL
                                            ? tb_pool_state_get_server_fqdn (self->state)
                                            : self->source);
  tb_certificate_set_origin (copy, origin, 0);
  /* The chosen certificate is the workspace's; the Certificates page lists what is chosen. */
  tb_workspace_set_certificate (tb_page_get_workspace (TB_PAGE (self)), copy);

  /* Show it where the admin will use it, through the window's action. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "certificates");
  tb_widget_show_toast (GTK_WIDGET (self), _("The pool’s OAuthTokenIssuer certificate was added "
                                             "to Certificates"));
  return TRUE;
}

gboolean
tb_pool_page_get_loading (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), FALSE);
  return tb_page_get_loading (TB_PAGE (self));
}

TbPoolState *
tb_pool_page_get_pool_state (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  return self->state;
}

TbPoolClient *
tb_pool_page_get_client (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  return self->client;
}

const char * const *
tb_pool_page_get_external_fqdns (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  return (const char * const *) self->external_fqdns;
}

const char *
tb_pool_page_get_tenant_id (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  return self->tenant_id;
}

void
tb_pool_page_set_typed_tenant_id (TbPoolPage *self,
                                  const char *tenant_id)
{
  g_return_if_fail (TB_IS_POOL_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->tenant_entry_row), tenant_id ? tenant_id : "");
}

TbPoolPageView
tb_pool_page_get_view (TbPoolPage *self)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), TB_POOL_PAGE_VIEW_EMPTY);
  return self->view;
}

GtkWidget *
tb_pool_page_get_row (TbPoolPage *self,
                      const char *item)
{
  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  return g_hash_table_lookup (self->rows, item);
}

TbPoolCheckResult
tb_pool_page_get_row_result (TbPoolPage *self,
                             const char *item)
{
  gpointer value;

  g_return_val_if_fail (TB_IS_POOL_PAGE (self), TB_POOL_CHECK_UNKNOWN);
  if (!g_hash_table_lookup_extended (self->results, item, NULL, &value))
    return TB_POOL_CHECK_UNKNOWN;
  return GPOINTER_TO_INT (value);
}

const char *
tb_pool_page_get_error (TbPoolPage *self)
{
  const GError *error;

  g_return_val_if_fail (TB_IS_POOL_PAGE (self), NULL);
  error = tb_page_get_error (TB_PAGE (self));
  return error != NULL ? error->message : NULL;
}

void
tb_pool_page_show_applied_state (TbPoolPage  *self,
                                 TbPoolState *state)
{
  g_return_if_fail (TB_IS_POOL_PAGE (self));
  g_return_if_fail (TB_IS_POOL_STATE (state));

  _tb_pool_page_clear_error (self);
  _tb_pool_page_set_state (self, state, self->source);
}
