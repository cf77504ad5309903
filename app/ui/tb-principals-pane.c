/* tb-principals-pane.c: the profile's service principals, their names and key credentials
 *
 * One $batch read fills the whole pane; every change goes through TbPrincipalEditor (fresh
 * read, merge, PATCH, read back) after write access was granted, and is followed by one more
 * $batch so what is shown is what the tenant holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-certificate-loader.h"
#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-graph-client.h"
#include "tb-guards.h"
#include "tb-principal-edit.h"
#include "tb-principal-editor.h"
#include "tb-principals-pane.h"
#include "tb-organization.h"
#include "tb-profile.h"
#include "tb-sign-in.h"
#include "tb-ui-util.h"
#include "tb-wide-dialog.h"

struct _TbPrincipalsPane
{
  GtkWidget             parent_instance;

  TbContext            *context;
  TbAuth               *auth;
  TbCertificatesPane   *certificates_pane;   /* weak */
  GCancellable         *cancellable;

  TbGraphSnapshot      *snapshot;
  gboolean              read_once;
  char                 *organization_name;
  TbOrganization       *organization;
  char                 *selected;
  guint                 busy;
  GError               *error;
  char                 *error_action;        /* what failed: "Reading the tenant", … */

  GHashTable           *rows;                /* appId → AdwActionRow (owned by the list) */
  GHashTable           *switches;            /* appId → GtkSwitch */
  TbCredentialTimeline *timeline;            /* in the detail, when a principal is shown */
  GtkWidget            *spn_entry;
  GtkLabel             *spn_preview;

  GtkStack             *stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *back_button;
  AdwPreferencesGroup  *targets_group;
  AdwPreferencesGroup  *audit_group;
  GtkBox               *detail_box;
  GtkScrolledWindow    *detail_scroller;
};

G_DEFINE_FINAL_TYPE (TbPrincipalsPane, tb_principals_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LOADING,
  PROP_ORGANIZATION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (TbPrincipalsPane *self);
static void start_refresh (TbPrincipalsPane *self);

/* Helpers ------------------------------------------------------------------------------ */

static TbProfile *
get_profile (TbPrincipalsPane *self)
{
  return self->context != NULL ? tb_context_get_profile (self->context) : NULL;
}

static guint
warn_days (TbPrincipalsPane *self)
{
  return self->context != NULL ? tb_context_get_warn_days (self->context) : TB_DEFAULT_WARN_DAYS;
}

static const char *
target_name (TbPrincipalsPane *self,
             const char       *app_id)
{
  TbServicePrincipal *principal = tb_principals_pane_get_principal (self, app_id);
  const TbProfileTarget *target = get_profile (self) ? tb_profile_find_target (get_profile (self), app_id) : NULL;

  if (principal != NULL && tb_service_principal_get_display_name (principal) != NULL)
    return tb_service_principal_get_display_name (principal);
  if (target != NULL && target->display_name != NULL)
    return target->display_name;
  return app_id;
}

static void
set_busy (TbPrincipalsPane *self,
          gboolean          busy)
{
  gboolean was = self->busy > 0;

  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;

  /* Loading keeps the content and dims it (ui.md): never blank the page under the admin. */
  if (self->busy > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->detail_box), "tb-loading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->detail_box), "tb-loading");

  if (was != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_error (TbPrincipalsPane *self,
           const char       *action,
           const GError     *error)
{
  g_clear_error (&self->error);
  g_clear_pointer (&self->error_action, g_free);
  if (error != NULL)
    {
      self->error = g_error_copy (error);
      self->error_action = g_strdup (action);
    }
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static TbCertificateStatus
worst_status (GPtrArray *credentials,
              GDateTime *now,
              guint      days)
{
  static const int rank[] = {
    [TB_CERTIFICATE_STATUS_VALID] = 0,
    [TB_CERTIFICATE_STATUS_NOT_YET_VALID] = 1,
    [TB_CERTIFICATE_STATUS_EXPIRING] = 2,
    [TB_CERTIFICATE_STATUS_EXPIRED] = 3,
  };
  TbCertificateStatus worst = TB_CERTIFICATE_STATUS_VALID;

  for (guint i = 0; i < credentials->len; i++)
    {
      TbCertificateStatus status = tb_key_credential_get_status (g_ptr_array_index (credentials, i),
                                                                 now, days);

      if (rank[status] > rank[worst])
        worst = status;
    }
  return worst;
}

static char *
credential_dates (TbKeyCredential *credential,
                  GDateTime       *now)
{
  GDateTime *end = tb_key_credential_get_end (credential);
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;

  if (end == NULL)
    return g_strdup (_("no end date"));

  when = tb_format_local (end);
  relative = tb_format_relative (end, now);
  if (g_date_time_compare (end, now) < 0)
    /* Translators: "ended 12 Mar 2025, 14:05 · 2 months ago" */
    return g_strdup_printf (_("ended %s · %s"), when, relative);
  /* Translators: "valid until 12 Mar 2027, 14:05 · in 3 months" */
  return g_strdup_printf (_("valid until %s · %s"), when, relative);
}

static GtkWidget *
status_pill (TbCertificateStatus status)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "tb-status-pill");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  tb_status_label_update (GTK_LABEL (label), status);
  return label;
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

#define value_row tb_value_row_new

static TbCertificate *
current_certificate (TbPrincipalsPane *self)
{
  return self->certificates_pane != NULL
           ? tb_certificates_pane_get_selected (self->certificates_pane) : NULL;
}

/* Writes ---------------------------------------------------------------------------------- */

/* A write Trust Bridge will not make: said in a dialog next to the action, nothing changes. */
static void
refuse (TbPrincipalsPane *self,
        const char       *heading,
        const char       *reason)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, reason);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  TbPrincipalsPane *self;
  TbPrincipalEdit  *edit;
  char             *reason;
  char             *done_toast;
  char             *confirm_heading;   /* NULL: apply without asking */
  char             *confirm_body;
  char             *confirm_label;
  gboolean          destructive;
  gboolean          preview;           /* add certificate: show the merge result first */
  char             *warning;           /* shown first in the preview, or NULL */
  gboolean          busy;              /* talking to Graph (never while a dialog waits) */
  TbServicePrincipal *approved;        /* what the confirmed dialog showed, or NULL */
} Write;

static void
write_set_busy (Write    *write,
                gboolean  busy)
{
  if (write->busy != busy)
    {
      write->busy = busy;
      set_busy (write->self, busy);
    }
}

static void
write_free (Write *write)
{
  write_set_busy (write, FALSE);
  g_clear_object (&write->self);
  g_clear_object (&write->edit);
  g_clear_object (&write->approved);
  g_free (write->reason);
  g_free (write->done_toast);
  g_free (write->confirm_heading);
  g_free (write->confirm_body);
  g_free (write->confirm_label);
  g_free (write->warning);
  g_free (write);
}

static void
write_failed (Write        *write,
              const GError *error)
{
  TbPrincipalsPane *self = write->self;

  if (!is_cancelled (error))
    {
      g_autofree char *action = g_strdup_printf (_("Changing %s failed"),
                                                 target_name (self, tb_principal_edit_get_app_id (write->edit)));

      set_error (self, action, error);
      rebuild (self);
    }
  write_free (write);
}

static void confirm (Write *write, const char *body);
static char *preview_body (Write *write, TbServicePrincipal *principal);

/* Another writer removed entries while the change was written; they were put back. An error
 * the admin cannot miss, naming each entry: a toast would vanish, the page is re-read. */
static void
show_loss (TbPrincipalsPane *self,
           const TbChange   *change)
{
  g_autofree char *entries = g_strjoinv ("\n• ", change->restored);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("While this change was written, another change to %s removed:\n• %s\n\n"
                            "Trust Bridge put it back and checked it. Find out who else changes "
                            "this service principal: the next change of theirs may remove it "
                            "again."),
                          target_name (self, change->app_id), entries);
  dialog = tb_wide_message_dialog_new (GTK_WIDGET (self), _("Another Change Removed Entries"),
                                       body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Write *write = user_data;
  TbPrincipalsPane *self = write->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbServicePrincipal) current = NULL;
  g_autoptr(TbChange) change = NULL;

  if (write->approved != NULL)
    change = tb_principal_editor_apply_approved_finish (TB_GRAPH_CLIENT (source), result,
                                                        &current, &error);
  else
    change = tb_principal_editor_apply_finish (TB_GRAPH_CLIENT (source), result, &error);

  if (change == NULL && g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_CHANGED) &&
      current != NULL)
    {
      g_autofree char *shown = NULL;
      g_autofree char *body = NULL;

      /* Someone else changed what the admin approved: nothing was written. They see the
       * change as it would be now and decide again. */
      write_set_busy (write, FALSE);
      g_set_object (&write->approved, current);
      shown = write->preview ? preview_body (write, current) : g_strdup (write->confirm_body);
      body = g_strdup_printf ("%s\n\n%s", error->message, shown);
      confirm (write, body);
      return;
    }
  if (change == NULL)
    {
      write_failed (write, error);
      return;
    }

  set_error (self, NULL, NULL);
  if (tb_change_had_loss (change))
    show_loss (self, change);
  else if (change->retries > 0)
    {
      g_autofree char *toast = g_strdup_printf (_("%s (after a retry: Microsoft Graph was briefly "
                                                  "unreachable)"),
                                                tb_change_is_none (change)
                                                  ? _("Nothing to change: already in place")
                                                  : write->done_toast);

      tb_widget_show_toast (GTK_WIDGET (self), toast);
    }
  else
    tb_widget_show_toast (GTK_WIDGET (self),
                          tb_change_is_none (change) ? _("Nothing to change: already in place")
                                                     : write->done_toast);
  write_set_busy (write, FALSE);
  start_refresh (self);
  write_free (write);
}

static void
apply_write (Write *write)
{
  TbPrincipalsPane *self = write->self;

  write_set_busy (write, TRUE);
  /* A confirmed change goes only if the principal still is what the dialog showed. */
  if (write->approved != NULL)
    tb_principal_editor_apply_approved_async (tb_context_get_graph_client (self->context),
                                              write->edit, write->approved, self->cancellable,
                                              on_applied, write);
  else
    tb_principal_editor_apply_async (tb_context_get_graph_client (self->context), write->edit,
                                     self->cancellable, on_applied, write);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Write            *write)
{
  /* One answer per dialog, whatever closes it afterwards. */
  g_signal_handlers_disconnect_by_func (dialog, on_confirm_response, write);
  if (!g_str_equal (response, "confirm"))
    {
      TbPrincipalsPane *self = write->self;

      /* The switch goes back to what the tenant holds. */
      if (tb_principal_edit_get_kind (write->edit) == TB_PRINCIPAL_EDIT_ENABLE)
        rebuild (self);
      write_free (write);
      return;
    }
  apply_write (write);
}

static void
confirm (Write      *write,
         const char *body)
{
  GtkWidget *dialog = tb_wide_message_dialog_new (GTK_WIDGET (write->self),
                                                  write->confirm_heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", write->confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              write->destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                                 : ADW_RESPONSE_SUGGESTED);
  /* A destructive answer is never the default: Enter must not remove anything. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog),
                                           write->destructive ? "cancel" : "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), write);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
preview_body (Write              *write,
              TbServicePrincipal *principal)
{
  TbPrincipalsPane *self = write->self;
  const char *app_id = tb_principal_edit_get_app_id (write->edit);
  TbCertificate *cert = tb_principal_edit_get_certificate (write->edit);
  const TbProfileTarget *target = tb_profile_find_target (get_profile (self), app_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GPtrArray *kept = principal != NULL ? tb_service_principal_get_key_credentials (principal) : NULL;
  GString *body = g_string_new (NULL);
  g_autofree char *until = tb_format_local (tb_certificate_get_not_after (cert));

  if (write->warning != NULL)
    g_string_append_printf (body, "%s\n\n", write->warning);

  g_string_append_printf (body, _("Added: %s (thumbprint %s), valid until %s."),
                          tb_certificate_get_display_name (cert), tb_certificate_get_sha1 (cert),
                          until);
  g_string_append (body, "\n\n");
  if (kept == NULL || kept->len == 0)
    g_string_append (body, _("Kept: nothing — the principal has no credentials yet."));
  else
    {
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "Kept unchanged: %u credential",
                                           "Kept unchanged: %u credentials",
                                           kept->len),
                              kept->len);
      for (guint i = 0; i < kept->len; i++)
        {
          TbKeyCredential *credential = g_ptr_array_index (kept, i);
          g_autofree char *title = tb_key_credential_dup_title (credential);
          g_autofree char *dates = credential_dates (credential, now);

          g_string_append_printf (body, "\n• %s — %s", title, dates);
        }
    }
  if (target != NULL && target->notice != NULL)
    g_string_append_printf (body, "\n\n%s", target->notice);

  return g_string_free (body, FALSE);
}

static void
on_previewed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbChange) change = tb_principal_editor_preview_finish (TB_GRAPH_CLIENT (source),
                                                                   result, &error);
  g_autofree char *body = NULL;

  write_set_busy (write, FALSE);
  if (change == NULL)
    {
      write_failed (write, error);
      return;
    }

  if (tb_change_is_none (change))
    {
      tb_widget_show_toast (GTK_WIDGET (write->self),
                            _("The certificate is already there: nothing to add"));
      write_free (write);
      return;
    }

  g_set_object (&write->approved,
                tb_principals_pane_get_principal (write->self,
                                                  tb_principal_edit_get_app_id (write->edit)));
  body = preview_body (write, write->approved);
  confirm (write, body);
}

static void
on_access (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      write_failed (write, error);
      return;
    }

  if (write->preview)
    {
      write_set_busy (write, TRUE);
      tb_principal_editor_preview_async (tb_context_get_graph_client (write->self->context),
                                         write->edit, write->self->cancellable,
                                         on_previewed, write);
    }
  else if (write->confirm_heading != NULL)
    {
      g_set_object (&write->approved,
                    tb_principals_pane_get_principal (write->self,
                                                      tb_principal_edit_get_app_id (write->edit)));
      confirm (write, write->confirm_body);
    }
  else
    apply_write (write);
}

static void
start_write (TbPrincipalsPane *self,
             Write            *write)
{
  write->self = g_object_ref (self);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_WRITE, write->reason, self->cancellable,
                                  on_access, write);
}

/* List ------------------------------------------------------------------------------------- */

static gboolean
on_switch_state_set (GtkSwitch        *toggle,
                     gboolean          state,
                     TbPrincipalsPane *self)
{
  const char *app_id = g_object_get_data (G_OBJECT (toggle), "tb-app-id");
  TbServicePrincipal *principal = tb_principals_pane_get_principal (self, app_id);

  /* Only turning on is offered; the state follows the tenant after the write and re-read. */
  if (state && principal != NULL && !tb_service_principal_get_account_enabled (principal))
    tb_principals_pane_enable (self, app_id);
  return TRUE;
}

static void
on_row_activated (AdwActionRow     *row,
                  TbPrincipalsPane *self)
{
  tb_principals_pane_select (self, g_object_get_data (G_OBJECT (row), "tb-app-id"));
  /* One column: the list gives way to the detail; keyboard focus follows to its Back button,
   * since the row that had it is no longer shown. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (self->back_button);
}

static GtkWidget *
make_list_row (TbPrincipalsPane      *self,
               const TbProfileTarget *target,
               GDateTime             *now)
{
  TbServicePrincipal *principal = tb_principals_pane_get_principal (self, target->app_id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill;
  GtkWidget *toggle;

  g_object_set_data_full (G_OBJECT (row), "tb-app-id", g_strdup (target->app_id), g_free);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), target_name (self, target->app_id));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), target->app_id);
  gtk_widget_add_css_class (row, "tb-monospace-subtitle");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
  if (g_strcmp0 (self->selected, target->app_id) == 0)
    gtk_widget_add_css_class (row, "tb-selected-row");

  if (principal == NULL)
    {
      pill = gtk_label_new (self->read_once ? _("Not in tenant") : _("Not read"));
      gtk_widget_add_css_class (pill, "tb-status-pill");
      if (self->read_once)
        gtk_widget_add_css_class (pill, target->audit_only ? "dim-label" : "error");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
      g_hash_table_insert (self->rows, g_strdup (target->app_id), row);
      return row;
    }

  {
    GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);
    g_autofree char *text = NULL;

    if (credentials->len == 0)
      {
        pill = gtk_label_new (_("No credentials"));
        gtk_widget_add_css_class (pill, "tb-status-pill");
        gtk_widget_add_css_class (pill, "dim-label");
        gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      }
    else
      {
        TbCertificateStatus worst = worst_status (credentials, now, warn_days (self));

        pill = status_pill (worst);
        /* Translators: credential count and the worst status among them, e.g. "3 · Expiring" */
        text = g_strdup_printf (_("%u · %s"), credentials->len,
                                tb_certificate_status_get_label (worst));
        gtk_label_set_text (GTK_LABEL (pill), text);
      }
    gtk_widget_set_tooltip_text (pill, _("Key credentials, and the worst status among them"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
  }

  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (toggle), "tb-app-id", g_strdup (target->app_id), g_free);
  gtk_switch_set_active (GTK_SWITCH (toggle), tb_service_principal_get_account_enabled (principal));
  gtk_switch_set_state (GTK_SWITCH (toggle), tb_service_principal_get_account_enabled (principal));
  if (tb_service_principal_get_account_enabled (principal))
    {
      /* Disabling a Microsoft first-party principal breaks more than the trust: not offered. */
      gtk_widget_set_sensitive (toggle, FALSE);
      gtk_widget_set_tooltip_text (toggle, _("Enabled"));
    }
  else
    gtk_widget_set_tooltip_text (toggle, _("Disabled — turn on to enable sign-ins"));
  {
    g_autofree char *name = g_strdup_printf (_("%s enabled"), target_name (self, target->app_id));

    gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  g_signal_connect (toggle, "state-set", G_CALLBACK (on_switch_state_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);

  g_hash_table_insert (self->rows, g_strdup (target->app_id), row);
  g_hash_table_insert (self->switches, g_strdup (target->app_id), toggle);
  return row;
}

static void
clear_group (AdwPreferencesGroup *group,
             GList              **rows)
{
  for (GList *l = *rows; l != NULL; l = l->next)
    adw_preferences_group_remove (group, l->data);
  g_clear_pointer (rows, g_list_free);
}

static void
rebuild_list (TbPrincipalsPane *self)
{
  TbProfile *profile = get_profile (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GList *target_rows = g_object_steal_data (G_OBJECT (self->targets_group), "tb-rows");
  GList *audit_rows = g_object_steal_data (G_OBJECT (self->audit_group), "tb-rows");

  clear_group (self->targets_group, &target_rows);
  clear_group (self->audit_group, &audit_rows);
  g_hash_table_remove_all (self->rows);
  g_hash_table_remove_all (self->switches);

  if (profile == NULL)
    return;

  adw_preferences_group_set_title (self->targets_group, _(tb_profile_get_name (profile)));
  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      GtkWidget *row = make_list_row (self, target, now);

      if (target->audit_only)
        {
          adw_preferences_group_add (self->audit_group, row);
          audit_rows = g_list_append (audit_rows, row);
        }
      else
        {
          adw_preferences_group_add (self->targets_group, row);
          target_rows = g_list_append (target_rows, row);
        }
    }
  g_object_set_data_full (G_OBJECT (self->targets_group), "tb-rows", target_rows,
                          (GDestroyNotify) g_list_free);
  g_object_set_data_full (G_OBJECT (self->audit_group), "tb-rows", audit_rows,
                          (GDestroyNotify) g_list_free);
}

/* Detail ----------------------------------------------------------------------------------- */

static void
on_back_clicked (TbPrincipalsPane *self)
{
  GtkWidget *row = self->selected != NULL ? g_hash_table_lookup (self->rows, self->selected) : NULL;

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static void
on_retry_clicked (GtkButton        *button,
                  TbPrincipalsPane *self)
{
  set_error (self, NULL, NULL);
  start_refresh (self);
}

static GtkWidget *
make_error_group (TbPrincipalsPane *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *message = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *details = adw_expander_row_new ();
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));
  const char *code = NULL;
  const char *request_id = NULL;

  if (self->error->domain == TB_GRAPH_ERROR)
    {
      code = tb_graph_error_get_code (self->error);
      request_id = tb_graph_error_get_request_id (self->error);
    }

  gtk_widget_add_css_class (group, "tb-error-group");
  {
    g_autofree char *escaped = g_markup_escape_text (self->error_action, -1);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
  }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (message), self->error->message);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (message), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (message), 0);
  gtk_widget_add_css_class (icon, "error");
  adw_action_row_add_prefix (ADW_ACTION_ROW (message), icon);
  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  g_signal_connect (retry, "clicked", G_CALLBACK (on_retry_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (message), retry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), message);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (details), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (details), _("Details"));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (details),
                            value_row (_("Error code"), code ? code : g_quark_to_string (self->error->domain),
                                       TRUE, TRUE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (details),
                            value_row (_("Request ID"), request_id, TRUE, request_id != NULL));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), details);
  return group;
}

static void
on_remove_spn_clicked (GtkButton        *button,
                       TbPrincipalsPane *self)
{
  tb_principals_pane_remove_spn (self, g_object_get_data (G_OBJECT (button), "tb-spn"));
}

static void
on_remove_credential_clicked (GtkButton        *button,
                              TbPrincipalsPane *self)
{
  tb_principals_pane_remove_credential (self, g_object_get_data (G_OBJECT (button), "tb-key-id"));
}

static void
on_add_certificate_clicked (GtkButton        *button,
                            TbPrincipalsPane *self)
{
  tb_principals_pane_add_certificate (self, current_certificate (self));
}

static void
update_spn_preview (TbPrincipalsPane *self)
{
  const char *fqdn;
  g_autofree char *text = NULL;

  if (self->spn_entry == NULL || self->selected == NULL)
    return;

  fqdn = gtk_editable_get_text (GTK_EDITABLE (self->spn_entry));
  gtk_widget_remove_css_class (GTK_WIDGET (self->spn_preview), "error");
  if (fqdn == NULL || *fqdn == '\0')
    text = g_strdup (_("Enter the pool’s external web services FQDN, e.g. webext.contoso.com"));
  else if (!tb_spn_is_valid_fqdn (fqdn))
    {
      text = g_strdup (_("Not a host name: letters, digits and hyphens in dot-separated labels"));
      gtk_widget_add_css_class (GTK_WIDGET (self->spn_preview), "error");
    }
  else
    /* Translators: the full service principal name that will be added */
    text = g_strdup_printf (_("Adds %s/%s"), self->selected, fqdn);
  gtk_label_set_text (self->spn_preview, text);
}

static void
on_spn_apply (AdwEntryRow      *row,
              TbPrincipalsPane *self)
{
  const char *fqdn = gtk_editable_get_text (GTK_EDITABLE (row));

  if (!tb_spn_is_valid_fqdn (fqdn))
    {
      gtk_widget_error_bell (GTK_WIDGET (row));
      return;
    }
  tb_principals_pane_add_spn (self, fqdn);
}

static GtkWidget *
make_spn_group (TbPrincipalsPane   *self,
                TbServicePrincipal *principal)
{
  GtkWidget *group = adw_preferences_group_new ();
  const char * const *names = tb_service_principal_get_names (principal);
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *preview = gtk_label_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Service Principal Names"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Skype for Business hybrid needs &lt;appId&gt;/&lt;external web services FQDN&gt; here."));

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "tb-monospace-title");
      /* Microsoft's own names are never offered for removal (tb-guards.h). */
      if (tb_spn_is_microsoft_managed (tb_service_principal_get_app_id (principal), names[i]))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Managed by Microsoft"));
      else
        {
          g_autofree char *label = g_strdup_printf (_("Remove %s"), names[i]);
          GtkWidget *remove = icon_button ("list-remove-symbolic", label);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Added for an on-premises pool"));
          g_object_set_data_full (G_OBJECT (remove), "tb-spn", g_strdup (names[i]), g_free);
          g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_spn_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Add FQDN"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  g_signal_connect (entry, "apply", G_CALLBACK (on_spn_apply), self);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_spn_preview), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), entry);

  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_selectable (GTK_LABEL (preview), TRUE);
  gtk_widget_set_margin_top (preview, 6);
  gtk_widget_set_margin_start (preview, 12);
  gtk_widget_add_css_class (preview, "caption");
  gtk_widget_add_css_class (preview, "tb-spn-preview");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), preview);

  self->spn_entry = entry;
  self->spn_preview = GTK_LABEL (preview);
  update_spn_preview (self);
  return group;
}

static GtkWidget *
make_credentials_group (TbPrincipalsPane      *self,
                        TbServicePrincipal    *principal,
                        const TbProfileTarget *target,
                        GDateTime             *now)
{
  GtkWidget *group = adw_preferences_group_new ();
  GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Selected Certificate…"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Key Credentials"));
  if (target != NULL && target->notice != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (target->notice, -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), escaped);
    }
  gtk_widget_set_tooltip_text (add, _("Add the certificate selected on the Certificates page"));
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_certificate_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

  if (credentials->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No key credentials"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Drop the pool’s OAuth certificate here, or add the one selected on the Certificates page."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);
      TbCertificateStatus status = tb_key_credential_get_status (credential, now, warn_days (self));
      g_autofree char *title = tb_key_credential_dup_title (credential);
      g_autofree char *dates = credential_dates (credential, now);
      g_autofree char *subtitle = NULL;
      const char *thumbprint = tb_key_credential_get_thumbprint (credential);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: the button's name says which credential it removes. */
      g_autofree char *remove_label = g_strdup_printf (_("Remove Credential “%s”"), title);
      GtkWidget *remove = icon_button ("user-trash-symbolic", remove_label);

      subtitle = g_strdup_printf ("%s\n%s %s%s%s", dates, _("keyId"),
                                  tb_key_credential_get_key_id (credential),
                                  thumbprint ? " · SHA-1 " : "", thumbprint ? thumbprint : "");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), status_pill (status));
      g_object_set_data_full (G_OBJECT (remove), "tb-key-id",
                              g_strdup (tb_key_credential_get_key_id (credential)), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_credential_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  return group;
}

static GtkWidget *
make_timeline_group (TbPrincipalsPane   *self,
                     TbServicePrincipal *principal)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *timeline = tb_credential_timeline_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Timeline"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each credential’s validity; the outlined bar is the certificate selected on the Certificates page."));
  tb_credential_timeline_set_warn_days (TB_CREDENTIAL_TIMELINE (timeline), warn_days (self));
  tb_credential_timeline_set_credentials (TB_CREDENTIAL_TIMELINE (timeline),
                                          tb_service_principal_get_key_credentials (principal));
  tb_credential_timeline_set_highlight (TB_CREDENTIAL_TIMELINE (timeline), current_certificate (self));
  gtk_widget_set_margin_start (timeline, 6);
  gtk_widget_set_margin_end (timeline, 6);
  gtk_frame_set_child (GTK_FRAME (frame), timeline);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  self->timeline = TB_CREDENTIAL_TIMELINE (timeline);
  return group;
}

static void
rebuild_detail (TbPrincipalsPane *self)
{
  GtkWidget *child;
  TbServicePrincipal *principal;
  const TbProfileTarget *target;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GtkWidget *title;
  GtkWidget *group;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  self->timeline = NULL;
  self->spn_entry = NULL;
  self->spn_preview = NULL;

  if (self->error != NULL)
    gtk_box_append (self->detail_box, make_error_group (self));

  if (self->selected == NULL)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Choose a Service Principal"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("Its names, credentials and their timeline show here."));
      gtk_box_append (self->detail_box, status);
      return;
    }

  principal = tb_principals_pane_get_principal (self, self->selected);
  target = get_profile (self) ? tb_profile_find_target (get_profile (self), self->selected) : NULL;

  title = gtk_label_new (target_name (self, self->selected));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (self->detail_box, title);

  if (principal == NULL)
    {
      GtkWidget *status = adw_status_page_new ();
      g_autofree char *text = NULL;

      if (!self->read_once)
        return;
      text = g_strdup_printf (_("The tenant has no service principal with appId %s. Microsoft "
                                "creates first-party principals when a service is first used; "
                                "a tenant without Skype for Business Online licences may lack it."),
                              self->selected);
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Not in This Tenant"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), text);
      gtk_widget_add_css_class (status, "compact");
      gtk_box_append (self->detail_box, status);
      return;
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Properties"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             value_row (_("Object ID"), tb_service_principal_get_id (principal),
                                        TRUE, TRUE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             value_row (_("Application ID (appId)"),
                                        tb_service_principal_get_app_id (principal), TRUE, TRUE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             value_row (_("Enabled"),
                                        tb_service_principal_get_account_enabled (principal)
                                          ? _("Yes — users and services can sign in to it")
                                          : _("No — sign-ins to it are blocked"),
                                        FALSE, FALSE));
  {
    JsonObject *json = tb_service_principal_get_json (principal);
    const char *type = json_object_has_member (json, "servicePrincipalType") &&
                       JSON_NODE_HOLDS_VALUE (json_object_get_member (json, "servicePrincipalType"))
                         ? json_object_get_string_member (json, "servicePrincipalType") : NULL;

    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               value_row (_("Type"), type ? type : _("Application"), FALSE, FALSE));
  }
  gtk_box_append (self->detail_box, group);

  gtk_box_append (self->detail_box, make_spn_group (self, principal));
  gtk_box_append (self->detail_box, make_credentials_group (self, principal, target, now));
  gtk_box_append (self->detail_box, make_timeline_group (self, principal));
}

static void
rebuild (TbPrincipalsPane *self)
{
  gboolean signed_in = self->auth != NULL && tb_auth_get_signed_in (self->auth);

  gtk_stack_set_visible_child_name (self->stack, signed_in || self->read_once ? "content" : "signed-out");
  rebuild_list (self);
  rebuild_detail (self);
}

/* Reading ---------------------------------------------------------------------------------- */

static void
on_snapshot (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbPrincipalsPane) self = user_data;
  g_autoptr(GError) error = NULL;
  TbGraphSnapshot *snapshot = tb_graph_client_snapshot_finish (TB_GRAPH_CLIENT (source),
                                                               result, &error);

  set_busy (self, FALSE);
  if (snapshot == NULL)
    {
      if (!is_cancelled (error))
        {
          set_error (self, _("Reading the tenant failed"), error);
          rebuild (self);
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
        }
      return;
    }

  g_clear_pointer (&self->snapshot, tb_graph_snapshot_free);
  self->snapshot = snapshot;
  self->read_once = TRUE;
  set_error (self, NULL, NULL);

  g_clear_pointer (&self->organization_name, g_free);
  g_clear_object (&self->organization);
  if (snapshot->organization != NULL)
    {
      self->organization = tb_organization_new_from_json (snapshot->organization);
      self->organization_name = g_strdup (tb_organization_get_display_name (self->organization));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION_NAME]);

  if (self->selected == NULL && get_profile (self) != NULL && tb_profile_get_n_targets (get_profile (self)) > 0)
    self->selected = g_strdup (tb_profile_get_target (get_profile (self), 0)->app_id);
  rebuild (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* What was read belongs to one sign-in: gone with it, tenant name included, so nothing of
 * the old tenant lingers in the header bar after a sign-out or a cloud change. */
static void
drop_snapshot (TbPrincipalsPane *self)
{
  gboolean had = self->snapshot != NULL || self->read_once || self->organization_name != NULL;

  g_clear_pointer (&self->snapshot, tb_graph_snapshot_free);
  g_clear_object (&self->organization);
  self->read_once = FALSE;
  set_error (self, NULL, NULL);
  if (self->organization_name != NULL)
    {
      g_clear_pointer (&self->organization_name, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION_NAME]);
    }
  if (had)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
start_refresh (TbPrincipalsPane *self)
{
  g_auto(GStrv) app_ids = NULL;

  if (self->context == NULL || self->auth == NULL || !tb_auth_get_signed_in (self->auth))
    {
      rebuild (self);
      return;
    }

  app_ids = tb_profile_dup_app_ids (get_profile (self));
  set_busy (self, TRUE);
  tb_graph_client_snapshot_async (tb_context_get_graph_client (self->context),
                                  (const char * const *) app_ids, self->cancellable,
                                  on_snapshot, g_object_ref (self));
}

static void
on_signed_in_changed (TbPrincipalsPane *self)
{
  if (tb_auth_get_signed_in (self->auth))
    {
      /* Write access granted later re-notifies: read once per sign-in, not per token. */
      if (!self->read_once)
        start_refresh (self);
      return;
    }

  drop_snapshot (self);
  rebuild (self);
}

static void
bind_auth (TbPrincipalsPane *self)
{
  TbAuth *auth = self->context != NULL ? tb_context_get_auth (self->context) : NULL;

  if (self->auth == auth)
    return;
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_set_object (&self->auth, auth);
  /* A new auth (cloud, tenant or client ID changed) is a new sign-in: nothing carries over. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  drop_snapshot (self);
  if (auth != NULL)
    g_signal_connect_swapped (auth, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  start_refresh (self);
}

/* Dropping a certificate file on the pane adds it to the principal shown. */

static void
on_dropped_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbPrincipalsPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = tb_certificate_load_file_finish (result, &error);

  if (certificates == NULL || certificates->len == 0)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error ? error->message : _("No certificate in that file"));
      return;
    }
  tb_principals_pane_add_certificate (self, g_ptr_array_index (certificates, 0));
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         TbPrincipalsPane *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->selected == NULL)
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  tb_certificate_load_file_async (files->data, self->cancellable, on_dropped_loaded, g_object_ref (self));
  g_slist_free (files);
  return TRUE;
}

/* Layout ----------------------------------------------------------------------------------- */

/* The list and the detail side by side only when the detail keeps room for a GUID, a SHA-1
 * thumbprint and its badges on one line each; narrower, one column. The leaflet's own rule
 * (fold below the children's minimum widths) would either squeeze the detail or, with a wide
 * minimum, make the whole window refuse narrow sizes. */
#define LIST_WIDTH 340
#define DETAIL_MIN_WIDTH 500
#define UNFOLD_WIDTH (LIST_WIDTH + 1 + DETAIL_MIN_WIDTH)

static void
tb_principals_pane_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
tb_principals_pane_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (widget);
  gboolean can_unfold = width >= UNFOLD_WIDTH;

  if (adw_leaflet_get_can_unfold (self->leaflet) != can_unfold)
    adw_leaflet_set_can_unfold (self->leaflet, can_unfold);
  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
tb_principals_pane_dispose (GObject *object)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);
  g_clear_weak_pointer (&self->certificates_pane);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_PRINCIPALS_PANE);

  G_OBJECT_CLASS (tb_principals_pane_parent_class)->dispose (object);
}

static void
tb_principals_pane_finalize (GObject *object)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshot, tb_graph_snapshot_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  g_clear_error (&self->error);
  g_free (self->error_action);
  g_free (self->organization_name);
  g_clear_object (&self->organization);
  g_free (self->selected);

  G_OBJECT_CLASS (tb_principals_pane_parent_class)->finalize (object);
}

static void
tb_principals_pane_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->busy > 0);
      break;
    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, self->organization_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_principals_pane_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TbPrincipalsPane *self = TB_PRINCIPALS_PANE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      tb_principals_pane_set_context (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_principals_pane_class_init (TbPrincipalsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_principals_pane_dispose;
  object_class->finalize = tb_principals_pane_finalize;
  object_class->get_property = tb_principals_pane_get_property;
  object_class->set_property = tb_principals_pane_set_property;
  widget_class->measure = tb_principals_pane_measure;
  widget_class->size_allocate = tb_principals_pane_size_allocate;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TB_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION_NAME] =
    g_param_spec_string ("organization-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* What the pane read changed: a new snapshot, a read that failed, or nothing any more
   * (signed out, or the services were replaced). The Overview recomputes from it. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-principals-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, stack);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, back_button);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, targets_group);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, audit_group);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, detail_box);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPane, detail_scroller);
}

static void
tb_principals_pane_init (TbPrincipalsPane *self)
{
  GtkDropTarget *drop;

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->detail_box), GTK_EVENT_CONTROLLER (drop));

  rebuild (self);
}

/* Public ----------------------------------------------------------------------------------- */

GtkWidget *
tb_principals_pane_new (TbContext *context)
{
  return g_object_new (TB_TYPE_PRINCIPALS_PANE, "context", context, NULL);
}

void
tb_principals_pane_set_context (TbPrincipalsPane *self,
                                TbContext        *context)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));
  g_return_if_fail (!context || TB_IS_CONTEXT (context));

  if (self->context == context)
    return;
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_set_object (&self->context, context);
  if (context != NULL)
    {
      g_signal_connect_swapped (context, "notify::auth", G_CALLBACK (bind_auth), self);
      g_signal_connect_swapped (context, "notify::warn-days", G_CALLBACK (rebuild), self);
    }
  bind_auth (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

void
tb_principals_pane_set_certificates_pane (TbPrincipalsPane   *self,
                                          TbCertificatesPane *pane)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));

  g_set_weak_pointer (&self->certificates_pane, pane);
}

void
tb_principals_pane_refresh (TbPrincipalsPane *self)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));
  start_refresh (self);
}

gboolean
tb_principals_pane_get_loading (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), FALSE);
  return self->busy > 0;
}

const char *
tb_principals_pane_get_organization_name (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->organization_name;
}

gboolean
tb_principals_pane_has_snapshot (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), FALSE);
  return self->snapshot != NULL;
}

TbOrganization *
tb_principals_pane_get_organization (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->organization;
}

/* Choosing a principal shows its detail, which in one column replaces the list. */
static void
show_detail (TbPrincipalsPane *self)
{
  if (self->selected != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

void
tb_principals_pane_select (TbPrincipalsPane *self,
                           const char       *app_id)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));

  if (g_strcmp0 (self->selected, app_id) == 0)
    {
      show_detail (self);
      return;
    }
  g_free (self->selected);
  self->selected = g_strdup (app_id);
  rebuild (self);
  /* Another principal's details start at their top, not where the last one was scrolled. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
  show_detail (self);
}

const char *
tb_principals_pane_get_selected (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->selected;
}

TbServicePrincipal *
tb_principals_pane_get_principal (TbPrincipalsPane *self,
                                  const char       *app_id)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);

  if (self->snapshot == NULL || self->snapshot->principals == NULL || app_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->snapshot->principals, app_id);
}

void
tb_principals_pane_add_certificate (TbPrincipalsPane *self,
                                    TbCertificate    *certificate)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  Write *write;
  const char *name;

  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));

  if (certificate == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self),
                            _("Open the certificate to add on the Certificates page first"));
      return;
    }
  if (self->selected == NULL || tb_principals_pane_get_principal (self, self->selected) == NULL)
    return;

  name = target_name (self, self->selected);
  /* Expired and weak certificates never reach a principal (tb-guards.h). */
  if (!tb_certificate_check_upload (certificate, NULL, &warning, &error))
    {
      refuse (self, _("Certificate Not Added"), error->message);
      return;
    }
  write = g_new0 (Write, 1);
  write->warning = g_steal_pointer (&warning);
  write->edit = tb_principal_edit_new_add_certificate (self->selected, certificate, NULL,
                                                       TB_PRINCIPAL_EDIT_FLAGS_NONE, &error);
  if (write->edit == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error->message);
      write_free (write);
      return;
    }
  write->preview = TRUE;
  write->reason = g_strdup_printf (_("Adding a certificate changes the key credentials of %s."), name);
  write->confirm_heading = g_strdup_printf (_("Add Certificate to %s?"), name);
  write->confirm_label = g_strdup_printf (_("_Add Certificate to %s"), name);
  write->done_toast = g_strdup_printf (_("Certificate added to %s"), name);
  start_write (self, write);
}

void
tb_principals_pane_remove_credential (TbPrincipalsPane *self,
                                      const char       *key_id)
{
  TbServicePrincipal *principal;
  TbKeyCredential *credential = NULL;
  GPtrArray *credentials;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *title = NULL;
  g_autofree char *dates = NULL;
  const char *name;
  Write *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));
  g_return_if_fail (key_id != NULL);

  principal = tb_principals_pane_get_principal (self, self->selected);
  if (principal == NULL)
    return;
  credentials = tb_service_principal_get_key_credentials (principal);
  for (guint i = 0; i < credentials->len; i++)
    if (g_ascii_strcasecmp (tb_key_credential_get_key_id (g_ptr_array_index (credentials, i)), key_id) == 0)
      credential = g_ptr_array_index (credentials, i);
  if (credential == NULL)
    return;

  name = target_name (self, self->selected);
  title = tb_key_credential_dup_title (credential);
  dates = credential_dates (credential, now);
  write = g_new0 (Write, 1);
  /* The admin chose this very credential: removing the last one is what they asked for. */
  write->edit = tb_principal_edit_new_remove_credential (self->selected, key_id,
                                                         credentials->len == 1
                                                           ? TB_PRINCIPAL_EDIT_FLAGS_ALLOW_EMPTY
                                                           : TB_PRINCIPAL_EDIT_FLAGS_NONE);
  write->reason = g_strdup_printf (_("Removing a credential changes the key credentials of %s."), name);
  write->confirm_heading = g_strdup_printf (_("Remove Credential from %s?"), name);
  write->confirm_body =
    g_strdup_printf (credentials->len == 1
                       ? _("“%s” (%s, keyId %s) will be removed. It is the last credential: "
                           "tokens signed with any certificate will no longer be accepted for %s.")
                       : _("“%s” (%s, keyId %s) will be removed. Tokens signed with its certificate "
                           "will no longer be accepted for %s; the other credentials are kept."),
                     title, dates, key_id, name);
  write->confirm_label = g_strdup (_("_Remove Credential"));
  write->destructive = TRUE;
  write->done_toast = g_strdup_printf (_("Credential removed from %s"), name);
  start_write (self, write);
}

void
tb_principals_pane_add_spn (TbPrincipalsPane *self,
                            const char       *fqdn)
{
  g_autoptr(GError) error = NULL;
  const char *fqdns[] = { fqdn, NULL };
  const char *name;
  Write *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));

  if (self->selected == NULL || tb_principals_pane_get_principal (self, self->selected) == NULL)
    return;

  name = target_name (self, self->selected);
  write = g_new0 (Write, 1);
  write->edit = tb_principal_edit_new_add_spns (self->selected, fqdns, &error);
  if (write->edit == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error->message);
      write_free (write);
      return;
    }
  write->reason = g_strdup_printf (_("Adding a service principal name changes %s."), name);
  {
    const char * const *names = tb_service_principal_get_names (tb_principals_pane_get_principal (self, self->selected));
    guint n_kept = names != NULL ? g_strv_length ((char **) names) : 0;
    g_autofree char *spn = g_strdup_printf ("%s/%s", self->selected, fqdn);

    write->confirm_heading = g_strdup_printf (_("Add Name to %s?"), name);
    write->confirm_body =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "Added: %s\n\nKept unchanged: %u name already on %s.",
                                    "Added: %s\n\nKept unchanged: %u names already on %s.",
                                    n_kept),
                       spn, n_kept, name);
  }
  write->confirm_label = g_strdup (_("_Add Name"));
  write->done_toast = g_strdup_printf (_("Name added to %s"), name);
  start_write (self, write);
}

void
tb_principals_pane_remove_spn (TbPrincipalsPane *self,
                               const char       *spn)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { spn, NULL };
  const char *name;
  Write *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));

  if (self->selected == NULL || tb_principals_pane_get_principal (self, self->selected) == NULL)
    return;

  name = target_name (self, self->selected);
  write = g_new0 (Write, 1);
  write->edit = tb_principal_edit_new_remove_spns (self->selected, names,
                                                   TB_PRINCIPAL_EDIT_FLAGS_NONE, &error);
  if (write->edit == NULL)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error->message);
      write_free (write);
      return;
    }
  write->reason = g_strdup_printf (_("Removing a service principal name changes %s."), name);
  write->confirm_heading = g_strdup_printf (_("Remove Name from %s?"), name);
  write->confirm_body = g_strdup_printf (_("%s will be removed. Token requests for this name "
                                           "will no longer find %s."), spn, name);
  write->confirm_label = g_strdup (_("_Remove Name"));
  write->destructive = TRUE;
  write->done_toast = g_strdup_printf (_("Name removed from %s"), name);
  start_write (self, write);
}

void
tb_principals_pane_enable (TbPrincipalsPane *self,
                           const char       *app_id)
{
  const char *name;
  Write *write;

  g_return_if_fail (TB_IS_PRINCIPALS_PANE (self));
  g_return_if_fail (app_id != NULL);

  name = target_name (self, app_id);
  write = g_new0 (Write, 1);
  write->edit = tb_principal_edit_new_enable (app_id);
  write->reason = g_strdup_printf (_("Enabling %s changes it."), name);
  write->confirm_heading = g_strdup_printf (_("Enable %s?"), name);
  {
    const TbProfileTarget *target = tb_profile_find_target (get_profile (self), app_id);
    GString *body = g_string_new (NULL);

    g_string_append_printf (body, _("accountEnabled of %s becomes true: tokens for it are "
                                    "issued again. Its names and credentials are not changed."),
                            name);
    if (target != NULL && target->notice != NULL)
      g_string_append_printf (body, "\n\n%s", target->notice);
    write->confirm_body = g_string_free (body, FALSE);
  }
  write->confirm_label = g_strdup_printf (_("_Enable %s"), name);
  write->done_toast = g_strdup_printf (_("%s enabled"), name);
  start_write (self, write);
}

const char *
tb_principals_pane_get_state (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

TbCredentialTimeline *
tb_principals_pane_get_timeline (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->timeline;
}

GtkWidget *
tb_principals_pane_get_row (TbPrincipalsPane *self,
                            const char       *app_id)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return g_hash_table_lookup (self->rows, app_id);
}

GtkSwitch *
tb_principals_pane_get_row_switch (TbPrincipalsPane *self,
                                   const char       *app_id)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return g_hash_table_lookup (self->switches, app_id);
}

GtkEditable *
tb_principals_pane_get_spn_entry (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->spn_entry != NULL ? GTK_EDITABLE (self->spn_entry) : NULL;
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

char *
tb_principals_pane_dup_detail_text (TbPrincipalsPane *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  collect_text (GTK_WIDGET (self->detail_box), text);
  return g_string_free (text, FALSE);
}

const char *
tb_principals_pane_get_error (TbPrincipalsPane *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PANE (self), NULL);
  return self->error != NULL ? self->error->message : NULL;
}
