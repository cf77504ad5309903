/* tb-overview-pane.c: the trust at a glance: one checklist row per step, and the one-click
 *
 * The Microsoft 365 rows are computed from what the Service Principals pane last read (one
 * $batch per sign-in, shared rather than repeated) for the certificate selected on the
 * Certificates page, and follow both as they change. The rows come from the profile, as the
 * plan's steps do: a target that receives the certificate gets a certificate row, one that
 * must be enabled an "enabled" row, one that receives SPNs an SPN row. The on-premises half is
 * the On-premises Pool page's business; this page only points there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-demo.h"
#include "tb-format.h"
#include "tb-overview-pane.h"
#include "tb-profile.h"
#include "tb-service-principal.h"
#include "tb-ui-util.h"
#include "tb-window.h"

typedef struct
{
  char          *id;
  TbCheckStatus  status;
  char          *title;
  char          *detail;
} Check;

struct _TbOverviewPane
{
  GtkWidget            parent_instance;

  TbContext           *context;
  TbAuth              *auth;
  TbCertificatesPane  *certificates;    /* weak */
  TbPrincipalsPane    *principals;      /* weak */
  GStrv                fqdns;
  GPtrArray           *checks;          /* Check, in display order */
  GPtrArray           *rows;            /* the rows shown, to remove them on the next update */

  GtkWidget           *scroller;
  AdwPreferencesGroup *cloud_group;
  AdwPreferencesGroup *onprem_group;
  GtkWidget           *renew_button;
  GtkWidget           *establish_button;
  GtkLabel            *establish_reason;
  GtkLabel            *heading;
  GtkWidget           *demo_button;
};

G_DEFINE_FINAL_TYPE (TbOverviewPane, tb_overview_pane, GTK_TYPE_WIDGET)

static void
check_free (Check *check)
{
  g_free (check->id);
  g_free (check->title);
  g_free (check->detail);
  g_free (check);
}

static Check *
add_check (TbOverviewPane *self,
           char           *id,
           char           *title)
{
  Check *check = g_new0 (Check, 1);

  check->id = id;
  check->title = title;
  g_ptr_array_add (self->checks, check);
  return check;
}

static void
set_result (Check         *check,
            TbCheckStatus  status,
            char          *detail)
{
  check->status = status;
  g_free (check->detail);
  check->detail = detail;
}

static const char *
status_icon (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return "emblem-ok-symbolic";
    case TB_CHECK_ATTENTION:
      return "dialog-warning-symbolic";
    case TB_CHECK_BROKEN:
      return "dialog-error-symbolic";
    case TB_CHECK_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
status_class (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return "success";
    case TB_CHECK_ATTENTION:
      return "warning";
    case TB_CHECK_BROKEN:
      return "error";
    case TB_CHECK_UNKNOWN:
    default:
      return "dim-label";
    }
}

/* The colour is not the only carrier: a screen reader hears the status in words. */
static const char *
status_label (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return _("In place");
    case TB_CHECK_ATTENTION:
      return _("Needs attention");
    case TB_CHECK_BROKEN:
      return _("Missing or wrong");
    case TB_CHECK_UNKNOWN:
    default:
      return _("Not checked");
    }
}

static guint
warn_days (TbOverviewPane *self)
{
  return self->context != NULL ? tb_context_get_warn_days (self->context) : TB_DEFAULT_WARN_DAYS;
}

static gboolean
holds_certificate (TbServicePrincipal *principal,
                   TbCertificate      *cert)
{
  GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);

  for (guint i = 0; credentials != NULL && i < credentials->len; i++)
    if (tb_key_credential_matches_certificate (g_ptr_array_index (credentials, i), cert))
      return TRUE;
  return FALSE;
}

static char *
check_certificate (TbServicePrincipal  *principal,
                   TbCertificate       *cert,
                   guint                days,
                   TbCheckStatus       *status)
{
  GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TbKeyCredential *found = NULL;
  GDateTime *end;
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;

  for (guint i = 0; credentials != NULL && i < credentials->len && found == NULL; i++)
    if (tb_key_credential_matches_certificate (g_ptr_array_index (credentials, i), cert))
      found = g_ptr_array_index (credentials, i);

  if (found == NULL)
    {
      *status = TB_CHECK_BROKEN;
      return g_strdup_printf (_("Not there: no key credential holds thumbprint %s"),
                              tb_certificate_get_sha1 (cert));
    }

  /* The credential's own dates decide: Entra uses them, whatever the certificate says. */
  end = tb_key_credential_get_end (found);
  if (end == NULL)
    {
      *status = TB_CHECK_OK;
      return g_strdup (_("There, with no end date"));
    }
  when = tb_format_local (end);
  relative = tb_format_relative (end, now);
  switch (tb_key_credential_get_status (found, now, days))
    {
    case TB_CERTIFICATE_STATUS_EXPIRED:
      *status = TB_CHECK_BROKEN;
      /* Translators: "There, but it ended 12 Mar 2025, 14:05 · 2 months ago" */
      return g_strdup_printf (_("There, but it ended %s · %s"), when, relative);
    case TB_CERTIFICATE_STATUS_EXPIRING:
      *status = TB_CHECK_ATTENTION;
      /* Translators: "There; it ends 12 Mar 2026, 14:05 · in 12 days" */
      return g_strdup_printf (_("There; it ends %s · %s"), when, relative);
    case TB_CERTIFICATE_STATUS_NOT_YET_VALID:
      *status = TB_CHECK_ATTENTION;
      return g_strdup (_("There, but not valid yet"));
    case TB_CERTIFICATE_STATUS_VALID:
    default:
      *status = TB_CHECK_OK;
      /* Translators: "There, valid until 12 Mar 2027, 14:05 · in 2 years" */
      return g_strdup_printf (_("There, valid until %s · %s"), when, relative);
    }
}

static char *
check_spns (TbServicePrincipal  *principal,
            const char          *app_id,
            const char * const  *fqdns,
            TbCheckStatus       *status)
{
  const char * const *names = tb_service_principal_get_names (principal);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;

  for (guint i = 0; fqdns[i] != NULL; i++)
    {
      g_autofree char *wanted = g_strdup_printf ("%s/%s", app_id, fqdns[i]);
      gboolean present = FALSE;

      /* Entra compares SPNs without regard to case, and so does the plan. */
      for (guint j = 0; names != NULL && names[j] != NULL && !present; j++)
        present = g_ascii_strcasecmp (names[j], wanted) == 0;
      if (!present)
        g_ptr_array_add (missing, g_steal_pointer (&wanted));
    }

  if (missing->len == 0)
    {
      list = g_strjoinv (", ", (char **) fqdns);
      *status = TB_CHECK_OK;
      return g_strdup_printf (_("There for %s"), list);
    }
  g_ptr_array_add (missing, NULL);
  list = g_strjoinv (", ", (char **) missing->pdata);
  *status = TB_CHECK_BROKEN;
  return g_strdup_printf (_("Missing: %s"), list);
}

static void
compute (TbOverviewPane *self)
{
  TbProfile *profile = self->context != NULL ? tb_context_get_profile (self->context) : NULL;
  TbCertificate *cert = self->certificates != NULL
                          ? tb_certificates_pane_get_selected (self->certificates) : NULL;
  gboolean signed_in = self->auth != NULL && tb_auth_get_signed_in (self->auth);
  gboolean read = self->principals != NULL && tb_principals_pane_has_snapshot (self->principals);
  const char *error = self->principals != NULL ? tb_principals_pane_get_error (self->principals)
                                               : NULL;
  gboolean have_fqdns = self->fqdns != NULL && self->fqdns[0] != NULL;

  g_ptr_array_set_size (self->checks, 0);

  for (guint i = 0; profile != NULL && i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      TbServicePrincipal *principal = read ? tb_principals_pane_get_principal (self->principals,
                                                                               target->app_id)
                                           : NULL;
      Check *kinds[3] = { NULL, NULL, NULL };

      if (target->audit_only)
        continue;
      if (target->receives_certificate)
        kinds[0] = add_check (self, g_strconcat ("certificate:", target->app_id, NULL),
                              /* Translators: "Certificate on Skype for Business Online" */
                              g_strdup_printf (_("Certificate on %s"), target->display_name));
      if (target->must_be_enabled)
        kinds[1] = add_check (self, g_strconcat ("enabled:", target->app_id, NULL),
                              /* Translators: "Office 365 Exchange Online enabled" */
                              g_strdup_printf (_("%s enabled"), target->display_name));
      if (target->receives_spns)
        kinds[2] = add_check (self, g_strconcat ("spns:", target->app_id, NULL),
                              /* Translators: SPNs are service principal names */
                              g_strdup_printf (_("External web services SPNs on %s"),
                                               target->display_name));

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          Check *check = kinds[k];
          TbCheckStatus status = TB_CHECK_UNKNOWN;
          char *detail;

          if (check == NULL)
            continue;
          if (!signed_in)
            detail = g_strdup (_("Sign in to check"));
          else if (error != NULL && !read)
            detail = g_strdup_printf (_("Could not read the tenant: %s"), error);
          else if (!read)
            detail = g_strdup (_("Reading the tenant…"));
          else if (principal == NULL)
            {
              status = TB_CHECK_BROKEN;
              detail = g_strdup (_("This service principal is not in the tenant"));
            }
          else if (k == 0 && cert == NULL)
            detail = g_strdup (_("Open the pool’s OAuth certificate on the Certificates page to check"));
          else if (k == 0 && target->notice != NULL && !holds_certificate (principal, cert))
            {
              /* Uploads to a principal Microsoft is retiring are opt-in in Establish Trust:
               * leaving it out is not a broken trust. */
              status = TB_CHECK_OK;
              detail = g_strdup (_("Not added — optional: Microsoft is retiring certificates on "
                                   "this service principal"));
            }
          else if (k == 0)
            detail = check_certificate (principal, cert, warn_days (self), &status);
          else if (k == 1)
            {
              gboolean enabled = tb_service_principal_get_account_enabled (principal);

              status = enabled ? TB_CHECK_OK : TB_CHECK_BROKEN;
              detail = g_strdup (enabled ? _("Enabled")
                                         : _("Disabled: the pool’s tokens for it are refused"));
            }
          else if (!have_fqdns)
            detail = g_strdup (_("Enter the pool’s external web services FQDNs in Establish Trust"));
          else
            detail = check_spns (principal, target->app_id, (const char * const *) self->fqdns,
                                 &status);
          set_result (check, status, detail);
        }
    }

  /* The pool's page owns its checks; until it reports them, this row only points there. */
  set_result (add_check (self, g_strdup ("on-premises"),
                         g_strdup (_("Pool OAuth configuration"))),
              TB_CHECK_UNKNOWN, g_strdup (_("See On-premises Pool")));
}

static void
on_pool_row_activated (TbOverviewPane *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "pool");
}

static GtkWidget *
make_row (TbOverviewPane *self,
          Check          *check)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (status_icon (check->status));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), check->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), check->detail);
  /* One line each; the whole text stays in the tooltip. */
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (row, check->detail);
  gtk_widget_add_css_class (icon, status_class (check->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_label (check->status),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "tb-check-icon", icon);
  return row;
}

/* Nothing configured yet (no tenant, no custom endpoints) and not the demo: a first run,
 * where the demo is worth offering — only build-aux/run passes --demo. */
static gboolean
first_run (TbOverviewPane *self)
{
  GSettings *settings = self->context != NULL ? tb_context_get_settings (self->context) : NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *endpoints = NULL;

  if (self->context == NULL || tb_context_get_demo (self->context))
    return FALSE;
  if (settings == NULL)
    return TRUE;
  tenant = g_settings_get_string (settings, "tenant-domain");
  endpoints = g_settings_get_string (settings, "endpoints-file");
  return *tenant == '\0' && *endpoints == '\0';
}

static void update (TbOverviewPane *self);

static void
on_demo_clicked (TbOverviewPane *self)
{
  g_autoptr(GError) error = NULL;

  if (self->context == NULL)
    return;
  /* The default demo, unless the app was started with one (--demo-scenario) announced. */
  if (tb_demo_get_for_context (self->context) == NULL)
    tb_demo_attach (self->context, NULL, NULL);
  if (!tb_context_start_demo (self->context, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The demo tenant could not start: %s"),
                                               error->message);

      tb_widget_show_toast (GTK_WIDGET (self), text);
    }
  update (self);
}

static void
update (TbOverviewPane *self)
{
  TbCertificate *cert = self->certificates != NULL
                          ? tb_certificates_pane_get_selected (self->certificates) : NULL;
  gboolean signed_in = self->auth != NULL && tb_auth_get_signed_in (self->auth);
  g_autofree char *description = NULL;

  compute (self);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->checks->len; i++)
    {
      Check *check = g_ptr_array_index (self->checks, i);
      GtkWidget *row = make_row (self, check);
      gboolean onprem = g_str_equal (check->id, "on-premises");

      if (onprem)
        {
          GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open On-premises Pool"),
                                          -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect_object (row, "activated", G_CALLBACK (on_pool_row_activated), self,
                                   G_CONNECT_SWAPPED);
        }
      adw_preferences_group_add (onprem ? self->onprem_group : self->cloud_group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_visible (self->demo_button, first_run (self) && !signed_in);
  {
    /* The button says why it cannot run yet, rather than opening a dialog of disabled
     * buttons; once every Microsoft 365 check is green the page says the trust is there. */
    gboolean all_ok = signed_in && cert != NULL && self->checks->len > 1;
    const char *reason = NULL;

    for (guint i = 0; i < self->checks->len; i++)
      {
        Check *check = g_ptr_array_index (self->checks, i);

        if (!g_str_equal (check->id, "on-premises") && check->status != TB_CHECK_OK)
          all_ok = FALSE;
      }
    if (!signed_in)
      reason = _("Sign in to Microsoft 365 first: Establish Trust reads the tenant to plan.");
    else if (cert == NULL)
      reason = _("Open the pool’s OAuth certificate first: read the pool, or open the .cer "
                 "file on the Certificates page.");
    else if (all_ok)
      reason = _("Microsoft 365 holds everything the trust needs for this certificate.");
    gtk_widget_set_sensitive (self->establish_button, signed_in && cert != NULL);
    gtk_label_set_text (self->establish_reason, reason != NULL ? reason : "");
    gtk_widget_set_visible (GTK_WIDGET (self->establish_reason), reason != NULL);
    gtk_label_set_text (self->heading, all_ok ? _("The Trust Is Established")
                                              : _("Establish the Trust"));
  }
  if (cert != NULL)
    /* Translators: "For oauth.contoso.com, thumbprint 1A2B…" */
    description = g_strdup_printf (_("For %s, thumbprint %s"),
                                   tb_certificate_get_display_name (cert),
                                   tb_certificate_get_sha1 (cert));
  else
    description = g_strdup (_("No certificate open: the certificate rows need one from the Certificates page"));
  adw_preferences_group_set_description (self->cloud_group, description);
}

static void
bind_auth (TbOverviewPane *self)
{
  TbAuth *auth = self->context != NULL ? tb_context_get_auth (self->context) : NULL;

  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_func (self->auth, update, self);
  g_set_object (&self->auth, auth);
  if (auth != NULL)
    g_signal_connect_object (auth, "notify::signed-in", G_CALLBACK (update), self,
                             G_CONNECT_SWAPPED);
  update (self);
}

static void
tb_overview_pane_dispose (GObject *object)
{
  TbOverviewPane *self = TB_OVERVIEW_PANE (object);

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->context);
  g_clear_weak_pointer (&self->certificates);
  g_clear_weak_pointer (&self->principals);
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_OVERVIEW_PANE);

  G_OBJECT_CLASS (tb_overview_pane_parent_class)->dispose (object);
}

static void
tb_overview_pane_finalize (GObject *object)
{
  TbOverviewPane *self = TB_OVERVIEW_PANE (object);

  g_strfreev (self->fqdns);
  g_ptr_array_unref (self->checks);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (tb_overview_pane_parent_class)->finalize (object);
}

static void
tb_overview_pane_class_init (TbOverviewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_overview_pane_dispose;
  object_class->finalize = tb_overview_pane_finalize;

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-overview-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, cloud_group);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, onprem_group);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, renew_button);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, establish_button);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, establish_reason);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, heading);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPane, demo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_clicked);
}

static void
tb_overview_pane_init (TbOverviewPane *self)
{
  self->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) check_free);
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
tb_overview_pane_new (void)
{
  return g_object_new (TB_TYPE_OVERVIEW_PANE, NULL);
}

void
tb_overview_pane_set_panes (TbOverviewPane     *self,
                            TbContext          *context,
                            TbCertificatesPane *certificates,
                            TbPrincipalsPane   *principals)
{
  g_return_if_fail (TB_IS_OVERVIEW_PANE (self));
  g_return_if_fail (!context || TB_IS_CONTEXT (context));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  if (self->certificates != NULL)
    g_signal_handlers_disconnect_by_data (self->certificates, self);
  if (self->principals != NULL)
    g_signal_handlers_disconnect_by_data (self->principals, self);

  g_set_object (&self->context, context);
  g_set_weak_pointer (&self->certificates, certificates);
  g_set_weak_pointer (&self->principals, principals);

  if (context != NULL)
    {
      g_signal_connect_object (context, "notify::auth", G_CALLBACK (bind_auth), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "notify::warn-days", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (context, "notify::demo", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  if (certificates != NULL)
    g_signal_connect_object (certificates, "notify::selected", G_CALLBACK (update), self,
                             G_CONNECT_SWAPPED);
  if (principals != NULL)
    {
      g_signal_connect_object (principals, "changed", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (principals, "notify::loading", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  bind_auth (self);
}

void
tb_overview_pane_set_fqdns (TbOverviewPane     *self,
                            const char * const *fqdns)
{
  g_return_if_fail (TB_IS_OVERVIEW_PANE (self));

  g_strfreev (self->fqdns);
  self->fqdns = fqdns != NULL && fqdns[0] != NULL ? g_strdupv ((char **) fqdns) : NULL;
  update (self);
}

void
tb_overview_pane_set_renewal_due (TbOverviewPane *self,
                                  gboolean        due)
{
  g_return_if_fail (TB_IS_OVERVIEW_PANE (self));
  gtk_widget_set_visible (self->renew_button, due);
}

const char * const *
tb_overview_pane_get_fqdns (TbOverviewPane *self)
{
  g_return_val_if_fail (TB_IS_OVERVIEW_PANE (self), NULL);
  return (const char * const *) self->fqdns;
}

TbCheckStatus
tb_overview_pane_get_check (TbOverviewPane  *self,
                            const char      *id,
                            const char     **detail)
{
  g_return_val_if_fail (TB_IS_OVERVIEW_PANE (self), TB_CHECK_UNKNOWN);
  g_return_val_if_fail (id != NULL, TB_CHECK_UNKNOWN);

  if (detail != NULL)
    *detail = NULL;
  for (guint i = 0; i < self->checks->len; i++)
    {
      Check *check = g_ptr_array_index (self->checks, i);

      if (g_str_equal (check->id, id))
        {
          if (detail != NULL)
            *detail = check->detail;
          return check->status;
        }
    }
  return TB_CHECK_UNKNOWN;
}

GStrv
tb_overview_pane_dup_check_ids (TbOverviewPane *self)
{
  GStrv ids;

  g_return_val_if_fail (TB_IS_OVERVIEW_PANE (self), NULL);

  ids = g_new0 (char *, self->checks->len + 1);
  for (guint i = 0; i < self->checks->len; i++)
    ids[i] = g_strdup (((Check *) g_ptr_array_index (self->checks, i))->id);
  return ids;
}
