/* tb-pool-page-checks.c: the On-premises Pool page's checks group
 *
 * One row per configuration item of the state shown, with its status icon and, when it
 * differs, the exact value the tenant needs; the rows come from tb_pool_state_check().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-page-checks"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "tb-enum.h"
#include "tb-format.h"
#include "tb-pool-client.h"
#include "tb-pool-connection.h"
#include "tb-pool-page-private.h"
#include "tb-pool-script.h"
#include "tb-row-layout.h"
#include "tb-tenant.h"
#include "tb-ui-enums.h"
#include "tb-ui-util.h"
#include "tb-winrm-shell.h"

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
find_check (TbPoolPage *self,
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
add_row (TbPoolPage       *self,
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
add_check_row (TbPoolPage *self,
               const char *item,
               const char *title)
{
  const TbPoolCheck *check = find_check (self, item);

  if (check != NULL)
    add_row (self, item, title, check->ok, FALSE, check->detail);
}

static void
add_partner_row (TbPoolPage *self)
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
  add_row (self, TB_POOL_PAGE_ROW_PARTNER_APPLICATION, _("Partner Application"), result, FALSE,
           text->str);
}

static void
add_certificate_row (TbPoolPage *self,
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
          expiring = tb_certificate_get_status (certificate, now, _tb_pool_page_warn_days (self)) ==
                     TB_CERTIFICATE_STATUS_EXPIRING;
        }
    }

  row = add_row (self, TB_POOL_PAGE_ROW_OAUTH_CERTIFICATE, _("OAuthTokenIssuer Certificate"),
                 check->ok, expiring, text->str);

  if (certificate != NULL)
    {
      GtkWidget *pill = gtk_label_new (NULL);

      gtk_widget_add_css_class (pill, "tb-status-pill");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      tb_status_label_update (GTK_LABEL (pill),
                              tb_certificate_get_status (certificate, now,
                                                         _tb_pool_page_warn_days (self)));
      adw_action_row_add_suffix (row, pill);
    }

  button = gtk_button_new_with_mnemonic (_("_Use This Certificate"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button,
                               certificate != NULL
                                 ? _("Add it to Certificates, so the cloud side needs no .CER file")
                                 : _("The pool state holds no readable certificate"));
  /* Enabled by _tb_pool_page_update_actions, when the state holds a readable certificate. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pool.use-certificate");
  adw_action_row_add_suffix (row, button);
}

static char *
describe_source (TbPoolPage *self)
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

/* The one place the results area changes: what it shows and what tests read of it
 * (tb_pool_page_get_view) stay one. Its children are named after the view's nicks. */
static void
set_view (TbPoolPage     *self,
          TbPoolPageView  view)
{
  self->view = view;
  gtk_stack_set_visible_child_name (self->results_stack,
                                    tb_enum_to_nick (TB_TYPE_POOL_PAGE_VIEW, view));
}

void
_tb_pool_page_rebuild_rows (TbPoolPage *self)
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
      set_view (self, TB_POOL_PAGE_VIEW_EMPTY);
      _tb_pool_page_update_actions (self);
      return;
    }

  self->checks = tb_pool_state_check (self->state, self->tenant_id, _tb_pool_page_acs_base (self),
                                      now, _tb_pool_page_warn_days (self), &error);
  if (self->checks == NULL)
    {
      /* A cloud whose ACS no pool could use: check the rest, and say why the URL is not. */
      self->tenant_problem = g_strdup (error->message);
      self->checks = tb_pool_state_check (self->state, NULL, NULL, now,
                                          _tb_pool_page_warn_days (self), NULL);
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

  add_check_row (self, TB_POOL_PAGE_ROW_OAUTH_SERVER, _("OAuth Server"));
  add_partner_row (self);
  add_check_row (self, TB_POOL_PAGE_ROW_OAUTH_SERVICE_NAME, _("OAuth Service Name"));
  add_check_row (self, TB_POOL_PAGE_ROW_WEB_SERVICES, _("External Web Services"));
  add_certificate_row (self, now);
  tb_row_layout_fix_all (GTK_WIDGET (self->config_group));

  set_view (self, TB_POOL_PAGE_VIEW_CONTENT);
  _tb_pool_page_update_actions (self);
}

/* The state ---------------------------------------------------------------------------------- */

void
_tb_pool_page_set_state (TbPoolPage  *self,
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

  _tb_pool_page_rebuild_rows (self);
  _tb_pool_page_notify_state (self);
}

static void
on_file_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TbPoolPage) self = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolState) state = tb_pool_state_load_file_finish (result, &error);
  g_autofree char *name = g_file_get_basename (file);

  if (_tb_pool_page_is_cancelled (error))
    return;
  _tb_pool_page_set_busy (self, FALSE);

  if (state == NULL)
    {
      /* Translators: %s is a file name */
      g_autofree char *action = g_strdup_printf (_("“%s” is not a pool state"), name);

      /* Reading again helps when the file could not be read, not when its content is wrong. */
      _tb_pool_page_show_error (self, action, error,
                                error->domain == G_IO_ERROR ? RETRY_FILE : RETRY_NONE,
                                file);
      return;
    }

  _tb_pool_page_clear_error (self);
  /* Apply now plans from this file; the live connection no longer describes what is shown. */
  g_clear_object (&self->client);
  _tb_pool_page_set_state (self, state, name);
}

void
_tb_pool_page_read_file (TbPoolPage *self,
                         GFile      *file)
{
  _tb_pool_page_set_busy (self, TRUE);
  tb_pool_state_load_file_async (file, tb_page_get_cancellable (TB_PAGE (self)), on_file_loaded,
                                 g_object_ref (self));
}
