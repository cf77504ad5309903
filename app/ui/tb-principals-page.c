/* tb-principals-page.c: the profile's service principals, their names and key credentials
 *
 * One $batch read fills the whole page; every change goes through TbPrincipalEditor (fresh
 * read, merge, PATCH, read back) after write access was granted, and is followed by one more
 * $batch so what is shown is what the tenant holds. The list rows are TbPrincipalRow, the chosen
 * principal is a TbPrincipalDetail, and the writes are in tb-principals-page-writes.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principals-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-certificate-loader.h"
#include "tb-enum.h"
#include "tb-graph-client.h"
#include "tb-guards.h"
#include "tb-principal-detail.h"
#include "tb-principal-edit.h"
#include "tb-principal-row.h"
#include "tb-principal-write.h"
#include "tb-principals-page-private.h"
#include "tb-organization.h"
#include "tb-profile.h"
#include "tb-row-layout.h"
#include "tb-ui-enums.h"
#include "tb-ui-util.h"

G_DEFINE_FINAL_TYPE (TbPrincipalsPage, tb_principals_page, TB_TYPE_PAGE)

/* Helpers ------------------------------------------------------------------------------ */

TbProfile *
_tb_principals_page_get_profile (TbPrincipalsPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  return context != NULL ? tb_context_get_profile (context) : NULL;
}

guint
_tb_principals_page_warn_days (TbPrincipalsPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  return context != NULL ? tb_context_get_warn_days (context) : TB_DEFAULT_WARN_DAYS;
}

const char *
_tb_principals_page_target_name (TbPrincipalsPage *self,
                                 const char       *app_id)
{
  TbServicePrincipal *principal = tb_principals_page_get_principal (self, app_id);
  TbProfile *profile = _tb_principals_page_get_profile (self);
  const TbProfileTarget *target = profile != NULL ? tb_profile_find_target (profile, app_id) : NULL;

  if (principal != NULL && tb_service_principal_get_display_name (principal) != NULL)
    return tb_service_principal_get_display_name (principal);
  if (target != NULL && target->display_name != NULL)
    return target->display_name;
  return app_id;
}

void
_tb_principals_page_set_busy (TbPrincipalsPage *self,
                              gboolean          busy)
{
  tb_page_set_busy (TB_PAGE (self), busy);
}

void
_tb_principals_page_set_error (TbPrincipalsPage *self,
                               const char       *action,
                               const GError     *error)
{
  if (error != NULL)
    tb_page_show_error (TB_PAGE (self), action, error, NULL, TB_PAGE_ERROR_RETRY);
  else
    tb_page_clear_error (TB_PAGE (self));
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

TbCertificate *
_tb_principals_page_current_certificate (TbPrincipalsPage *self)
{
  return tb_workspace_get_certificate (tb_page_get_workspace (TB_PAGE (self)));
}

/* List ------------------------------------------------------------------------------------- */

static void
on_enable_requested (TbPrincipalRow   *row,
                     TbPrincipalsPage *self)
{
  tb_principals_page_enable (self, tb_principal_row_get_app_id (row));
}

static void
on_row_activated (AdwActionRow     *row,
                  TbPrincipalsPage *self)
{
  tb_principals_page_select (self, tb_principal_row_get_app_id (TB_PRINCIPAL_ROW (row)));
  /* One column: the list gives way to the detail; keyboard focus follows to its Back button,
   * since the row that had it is no longer shown. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_widget_grab_focus (self->back_button);
}

static GtkWidget *
make_list_row (TbPrincipalsPage      *self,
               const TbProfileTarget *target,
               GDateTime             *now)
{
  GtkWidget *row = tb_principal_row_new (target,
                                         tb_principals_page_get_principal (self, target->app_id),
                                         _tb_principals_page_target_name (self, target->app_id),
                                         self->read_once, now,
                                         _tb_principals_page_warn_days (self));

  if (g_strcmp0 (self->selected, target->app_id) == 0)
    gtk_widget_add_css_class (row, "tb-selected-row");
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
  g_signal_connect (row, "enable-requested", G_CALLBACK (on_enable_requested), self);
  g_hash_table_insert (self->rows, g_strdup (target->app_id), row);
  return row;
}

/* Every row listed goes; the page's table of rows is what says which those are. */
static void
clear_rows (TbPrincipalsPage *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_hash_table_remove_all (self->rows);
}

static void
rebuild_list (TbPrincipalsPage *self)
{
  TbProfile *profile = _tb_principals_page_get_profile (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  clear_rows (self);

  if (profile == NULL)
    return;

  adw_preferences_group_set_title (self->targets_group, _(tb_profile_get_name (profile)));
  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      GtkWidget *row = make_list_row (self, target, now);

      adw_preferences_group_add (target->audit_only ? self->audit_group : self->targets_group,
                                 row);
    }
}

/* Detail ----------------------------------------------------------------------------------- */

/* Back, when the page is folded: the list again, with the focus on the row the detail showed. */
static void
back_to_list_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (widget);
  GtkWidget *row = self->selected != NULL ? g_hash_table_lookup (self->rows, self->selected) : NULL;

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static void
tb_principals_page_retry (TbPage *page)
{
  _tb_principals_page_start_refresh (TB_PRINCIPALS_PAGE (page));
}

static void
on_detail_remove_spn (TbPrincipalDetail *detail,
                      const char        *spn,
                      TbPrincipalsPage  *self)
{
  tb_principals_page_remove_spn (self, spn);
}

static void
on_detail_add_spn (TbPrincipalDetail *detail,
                   const char        *fqdn,
                   TbPrincipalsPage  *self)
{
  tb_principals_page_add_spn (self, fqdn);
}

static void
on_detail_remove_credential (TbPrincipalDetail *detail,
                             const char        *key_id,
                             TbPrincipalsPage  *self)
{
  tb_principals_page_remove_credential (self, key_id);
}

static void
on_detail_add_certificate (TbPrincipalDetail *detail,
                           TbPrincipalsPage  *self)
{
  tb_principals_page_add_certificate (self, _tb_principals_page_current_certificate (self));
}

/* The profile's target of the principal selected, or NULL. */
static const TbProfileTarget *
selected_target (TbPrincipalsPage *self)
{
  TbProfile *profile = _tb_principals_page_get_profile (self);

  return profile != NULL ? tb_profile_find_target (profile, self->selected) : NULL;
}

static GtkWidget *
make_detail (TbPrincipalsPage   *self,
             TbServicePrincipal *principal)
{
  GtkWidget *detail = tb_principal_detail_new (principal, selected_target (self),
                                               _tb_principals_page_warn_days (self),
                                               _tb_principals_page_current_certificate (self));

  g_signal_connect (detail, "add-spn", G_CALLBACK (on_detail_add_spn), self);
  g_signal_connect (detail, "remove-spn", G_CALLBACK (on_detail_remove_spn), self);
  g_signal_connect (detail, "remove-credential", G_CALLBACK (on_detail_remove_credential), self);
  g_signal_connect (detail, "add-certificate", G_CALLBACK (on_detail_add_certificate), self);
  self->detail = TB_PRINCIPAL_DETAIL (detail);
  return detail;
}

/* A detail that shows what a new one would (a refresh that found nothing changed) stays, and
 * with it whatever the admin was typing into it; building and measuring it again was most of
 * what a refresh cost the main thread. */
static gboolean
detail_is_current (TbPrincipalsPage   *self,
                   TbServicePrincipal *principal)
{
  /* The principal's JSON holds its appId: a detail of another principal never shows the same. */
  return self->detail != NULL && principal != NULL &&
         tb_principal_detail_shows (self->detail, principal, selected_target (self),
                                    _tb_principals_page_warn_days (self),
                                    _tb_principals_page_current_certificate (self));
}

static void
rebuild_detail (TbPrincipalsPage *self)
{
  GtkWidget *child;
  TbServicePrincipal *principal;
  GtkWidget *title;

  principal = self->selected != NULL ? tb_principals_page_get_principal (self, self->selected)
                                      : NULL;
  if (detail_is_current (self, principal))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  self->detail = NULL;

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

  title = gtk_label_new (_tb_principals_page_target_name (self, self->selected));
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

  gtk_box_append (self->detail_box, make_detail (self, principal));
}

static void
update_detail (TbPage *page)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (page);

  rebuild_detail (self);
  tb_row_layout_fix_all (GTK_WIDGET (self->detail_box));
}

/* The one place the page's stack changes: what it shows and what tests read of it
 * (tb_principals_page_get_state) stay one. Its children are named after the state's nicks. */
static void
set_state (TbPrincipalsPage      *self,
           TbPrincipalsPageState  state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (self->stack,
                                    tb_enum_to_nick (TB_TYPE_PRINCIPALS_PAGE_STATE, state));
}

/* The list, then the detail on a turn of its own: after a read, building both took the main
 * thread 15-22 ms in one go; each half is under 12. */
static void
tb_principals_page_update (TbPage *page)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (page);
  gboolean signed_in = tb_page_get_signed_in (TB_PAGE (self));

  set_state (self, signed_in || self->read_once ? TB_PRINCIPALS_PAGE_STATE_CONTENT
                                                : TB_PRINCIPALS_PAGE_STATE_SIGNED_OUT);
  rebuild_list (self);
  tb_row_layout_fix_all (GTK_WIDGET (self->stack));
  tb_page_update_rest_later (page, update_detail);
}

void
_tb_principals_page_rebuild (TbPrincipalsPage *self)
{
  tb_page_update_now (TB_PAGE (self));
}

/* Reading ---------------------------------------------------------------------------------- */

static void
on_snapshot (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbPrincipalsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TbGraphSnapshot *snapshot = tb_graph_client_snapshot_finish (TB_GRAPH_CLIENT (source),
                                                               result, &error);
  TbProfile *profile;

  _tb_principals_page_set_busy (self, FALSE);
  if (snapshot == NULL)
    {
      if (!is_cancelled (error))
        {
          _tb_principals_page_set_error (self, _("Reading the tenant failed"), error);
          _tb_principals_page_rebuild (self);
        }
      return;
    }

  /* One $batch per sign-in, shared: the Overview, the trust check and the window's actions
   * read the workspace's snapshot, not this page. */
  tb_workspace_take_snapshot (tb_page_get_workspace (TB_PAGE (self)), snapshot);
  self->read_once = TRUE;
  _tb_principals_page_set_error (self, NULL, NULL);

  profile = _tb_principals_page_get_profile (self);
  if (self->selected == NULL && profile != NULL && tb_profile_get_n_targets (profile) > 0)
    self->selected = g_strdup (tb_profile_get_target (profile, 0)->app_id);
  /* Rows and detail are built on a turn of their own, or when the page is next shown. */
  tb_page_queue_update (TB_PAGE (self));
}

/* What was read belongs to one sign-in: gone with it, tenant name included, so nothing of
 * the old tenant lingers in the header bar after a sign-out or a cloud change. */
static void
drop_snapshot (TbPrincipalsPage *self)
{
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));

  self->read_once = FALSE;
  _tb_principals_page_set_error (self, NULL, NULL);
  if (tb_workspace_get_snapshot (workspace) != NULL)
    tb_workspace_take_snapshot (workspace, NULL);
}

void
_tb_principals_page_start_refresh (TbPrincipalsPage *self)
{
  g_auto(GStrv) app_ids = NULL;

  TbContext *context = tb_page_get_context (TB_PAGE (self));

  if (context == NULL || !tb_page_get_signed_in (TB_PAGE (self)))
    {
      _tb_principals_page_rebuild (self);
      return;
    }

  app_ids = tb_profile_dup_app_ids (_tb_principals_page_get_profile (self));
  _tb_principals_page_set_busy (self, TRUE);
  tb_graph_client_snapshot_async (tb_context_get_graph_client (context),
                                  (const char * const *) app_ids,
                                  tb_page_get_cancellable (TB_PAGE (self)),
                                  on_snapshot, g_object_ref (self));
}

static void
on_signed_in_changed (TbPrincipalsPage *self)
{
  if (tb_page_get_signed_in (TB_PAGE (self)))
    {
      /* Write access granted later re-notifies: read once per sign-in, not per token. */
      if (!self->read_once)
        _tb_principals_page_start_refresh (self);
      return;
    }

  drop_snapshot (self);
  _tb_principals_page_rebuild (self);
}

static void
tb_principals_page_workspace_changed (TbPage *page)
{
  _tb_principals_page_rebuild (TB_PRINCIPALS_PAGE (page));
}

static void
tb_principals_page_auth_changed (TbPage *page)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (page);

  /* A new auth (cloud, tenant or client ID changed) is a new sign-in: nothing carries over. */
  tb_page_renew_cancellable (page);
  drop_snapshot (self);
  _tb_principals_page_start_refresh (self);
}

/* Dropping a certificate file on the page adds it to the principal shown. */

static void
on_dropped_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TbPrincipalsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) certificates = tb_certificate_load_file_finish (result, &error);

  if (certificates == NULL || certificates->len == 0)
    {
      tb_widget_show_toast (GTK_WIDGET (self), error ? error->message : _("No certificate in that file"));
      return;
    }
  tb_principals_page_add_certificate (self, g_ptr_array_index (certificates, 0));
}

static gboolean
on_drop (GtkDropTarget    *target,
         const GValue     *value,
         double            x,
         double            y,
         TbPrincipalsPage *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->selected == NULL)
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;
  tb_certificate_load_file_async (files->data, tb_page_get_cancellable (TB_PAGE (self)),
                                  on_dropped_loaded, g_object_ref (self));
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
tb_principals_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
tb_principals_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (widget);
  gboolean can_unfold = width >= UNFOLD_WIDTH;

  if (adw_leaflet_get_can_unfold (self->leaflet) != can_unfold)
    adw_leaflet_set_can_unfold (self->leaflet, can_unfold);
  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
}

/* GObject ---------------------------------------------------------------------------------- */

static void
tb_principals_page_dispose (GObject *object)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_PRINCIPALS_PAGE);

  G_OBJECT_CLASS (tb_principals_page_parent_class)->dispose (object);
}

static void
tb_principals_page_finalize (GObject *object)
{
  TbPrincipalsPage *self = TB_PRINCIPALS_PAGE (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_free (self->selected);

  G_OBJECT_CLASS (tb_principals_page_parent_class)->finalize (object);
}

static void
tb_principals_page_class_init (TbPrincipalsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TbPageClass *page_class = TB_PAGE_CLASS (klass);

  object_class->dispose = tb_principals_page_dispose;
  object_class->finalize = tb_principals_page_finalize;
  page_class->auth_changed = tb_principals_page_auth_changed;
  page_class->workspace_changed = tb_principals_page_workspace_changed;
  page_class->retry = tb_principals_page_retry;
  page_class->update = tb_principals_page_update;
  widget_class->measure = tb_principals_page_measure;
  widget_class->size_allocate = tb_principals_page_size_allocate;


  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-principals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, targets_group);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, audit_group);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, TbPrincipalsPage, detail_scroller);

  /* The Back button names this; it shows only while the page is folded. */
  gtk_widget_class_install_action (widget_class, "principals.back-to-list", NULL,
                                   back_to_list_action);
}

static void
tb_principals_page_init (TbPrincipalsPage *self)
{
  GtkDropTarget *drop;

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_set_busy_widget (TB_PAGE (self), GTK_WIDGET (self->detail_box));
  tb_page_set_error_slot (TB_PAGE (self), self->error_box);
  g_signal_group_connect_object (tb_page_get_context_signals (TB_PAGE (self)),
                                 "notify::warn-days", G_CALLBACK (tb_page_queue_update),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_auth_signals (TB_PAGE (self)), "notify::signed-in",
                                 G_CALLBACK (on_signed_in_changed), self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->detail_box), GTK_EVENT_CONTROLLER (drop));

  _tb_principals_page_rebuild (self);
}

/* Public ----------------------------------------------------------------------------------- */

GtkWidget *
tb_principals_page_new (TbContext *context)
{
  return g_object_new (TB_TYPE_PRINCIPALS_PAGE, "context", context, NULL);
}

void
tb_principals_page_set_context (TbPrincipalsPage *self,
                                TbContext        *context)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));
  tb_page_set_context (TB_PAGE (self), context);
}

void
tb_principals_page_refresh (TbPrincipalsPage *self)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));
  _tb_principals_page_start_refresh (self);
}

gboolean
tb_principals_page_get_loading (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), FALSE);
  return tb_page_get_loading (TB_PAGE (self));
}

const char *
tb_principals_page_get_organization_name (TbPrincipalsPage *self)
{
  TbOrganization *organization;

  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  organization = tb_workspace_get_organization (tb_page_get_workspace (TB_PAGE (self)));
  return organization != NULL ? tb_organization_get_display_name (organization) : NULL;
}

gboolean
tb_principals_page_has_snapshot (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), FALSE);
  return tb_workspace_get_snapshot (tb_page_get_workspace (TB_PAGE (self))) != NULL;
}

/* Choosing a principal shows its detail, which in one column replaces the list. */
static void
show_detail (TbPrincipalsPage *self)
{
  if (self->selected != NULL)
    adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

void
tb_principals_page_select (TbPrincipalsPage *self,
                           const char       *app_id)
{
  g_return_if_fail (TB_IS_PRINCIPALS_PAGE (self));

  if (g_strcmp0 (self->selected, app_id) == 0)
    {
      show_detail (self);
      return;
    }
  g_free (self->selected);
  self->selected = g_strdup (app_id);
  _tb_principals_page_rebuild (self);
  /* Another principal's details start at their top, not where the last one was scrolled. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
  show_detail (self);
}

const char *
tb_principals_page_get_selected (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  return self->selected;
}

TbServicePrincipal *
tb_principals_page_get_principal (TbPrincipalsPage *self,
                                  const char       *app_id)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);

  if (app_id == NULL)
    return NULL;
  return tb_workspace_get_principal (tb_page_get_workspace (TB_PAGE (self)), app_id);
}

TbPrincipalsPageState
tb_principals_page_get_state (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), TB_PRINCIPALS_PAGE_STATE_SIGNED_OUT);
  return self->state;
}

TbCredentialTimeline *
tb_principals_page_get_timeline (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  return self->detail != NULL ? tb_principal_detail_get_timeline (self->detail) : NULL;
}

GtkWidget *
tb_principals_page_get_row (TbPrincipalsPage *self,
                            const char       *app_id)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  return g_hash_table_lookup (self->rows, app_id);
}

GtkSwitch *
tb_principals_page_get_row_switch (TbPrincipalsPage *self,
                                   const char       *app_id)
{
  GtkWidget *row;

  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  row = g_hash_table_lookup (self->rows, app_id);
  return row != NULL ? tb_principal_row_get_switch (TB_PRINCIPAL_ROW (row)) : NULL;
}

GtkEditable *
tb_principals_page_get_spn_entry (TbPrincipalsPage *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  return self->detail != NULL ? tb_principal_detail_get_spn_entry (self->detail) : NULL;
}

char *
tb_principals_page_dup_detail_text (TbPrincipalsPage *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  tb_widget_append_label_text (GTK_WIDGET (self->detail_box), text);
  return g_string_free (text, FALSE);
}

const char *
tb_principals_page_get_error (TbPrincipalsPage *self)
{
  const GError *error;

  g_return_val_if_fail (TB_IS_PRINCIPALS_PAGE (self), NULL);
  error = tb_page_get_error (TB_PAGE (self));
  return error != NULL ? error->message : NULL;
}
