/* tb-tenant-page.c: a domain in, the tenant ID, cloud, region and ACS metadata out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-tenant-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-format.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-row-layout.h"
#include "tb-tenant-page-private.h"
#include "tb-ui-util.h"

struct _TbTenantPage
{
  TbPage         parent_instance;

  /* A failed look-up is the page's inline error (TbPage). */
  TbTenant      *tenant;
  GError        *metadata_error;   /* the tenant was found, its metadata not (or not matching) */

  AdwEntryRow   *domain_entry;
  GtkBox        *result_box;
  GtkBox        *error_box;
};

G_DEFINE_FINAL_TYPE (TbTenantPage, tb_tenant_page, TB_TYPE_PAGE)

static void
set_busy (TbTenantPage *self,
          gboolean      busy)
{
  tb_page_set_busy (TB_PAGE (self), busy);
}

static GtkWidget *
group_new (const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (description, -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), escaped);
    }
  return group;
}

static GtkWidget *
status_icon (gboolean ok)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, ok ? "success" : "warning");
  gtk_widget_set_tooltip_text (icon, ok ? _("The metadata’s realm is this tenant ID")
                                        : _("The metadata does not name this tenant"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (icon), -1);
  return icon;
}

static void
add_organization (TbTenantPage *self)
{
  GtkWidget *group;
  TbOrganization *organization = tb_workspace_get_organization (
    tb_page_get_workspace (TB_PAGE (self)));
  GPtrArray *domains;
  const char *name = NULL;

  if (organization == NULL)
    {
      group = group_new (_("Organization"), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (_("Name and verified domains"),
                                                   _("Sign in to read them from Microsoft Graph"),
                                                   FALSE, FALSE));
      gtk_box_append (self->result_box, group);
      return;
    }

  name = tb_organization_get_display_name (organization);

  group = group_new (_("Organization"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Name"), name, FALSE, FALSE));

  domains = tb_organization_get_verified_domains (organization);
  for (guint i = 0; i < domains->len; i++)
    {
      const TbVerifiedDomain *domain = g_ptr_array_index (domains, i);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (domain->is_initial
                                                   ? _("Verified domain (initial)")
                                                   : domain->is_default
                                                   ? _("Verified domain (default)")
                                                   : _("Verified domain"),
                                                   domain->name, FALSE, FALSE));
    }
  gtk_box_append (self->result_box, group);
}

static void on_domain_apply (TbTenantPage *self);

/* Entra's two-letter region scopes in words: "NA" is North America, not "not available". */
static const char *
region_name (const char *scope)
{
  static const struct { const char *code; const char *name; } regions[] = {
    { "NA", N_("North America") }, { "EU", N_("Europe") }, { "AS", N_("Asia-Pacific") },
    { "OC", N_("Oceania") }, { "AF", N_("Africa") }, { "SA", N_("South America") },
    { "WW", N_("Worldwide") }, { "ME", N_("Middle East") }, { "JP", N_("Japan") },
  };

  for (guint i = 0; scope != NULL && i < G_N_ELEMENTS (regions); i++)
    if (g_ascii_strcasecmp (scope, regions[i].code) == 0)
      return _(regions[i].name);
  return NULL;
}

/* Says what happened: a tenant that does not exist is not a network that failed, and only
 * the latter is worth trying again. */
static void
show_error (TbTenantPage *self,
            const GError *error)
{
  gboolean not_found = g_error_matches (error, TB_TENANT_ERROR, TB_TENANT_ERROR_NOT_FOUND);
  gboolean bad_input = g_error_matches (error, TB_TENANT_ERROR, TB_TENANT_ERROR_INVALID_INPUT);

  if (not_found)
    tb_page_show_error (TB_PAGE (self), _("Not Found"), error,
                        _("Check the spelling, or use the tenant ID. Tenants of other "
                          "Microsoft clouds are found after choosing that cloud in Preferences."),
                        TB_PAGE_ERROR_NONE);
  else if (bad_input)
    tb_page_show_error (TB_PAGE (self), _("Not a Domain or Tenant ID"), error,
                        _("Enter a domain such as contoso.com or a tenant ID."),
                        TB_PAGE_ERROR_NONE);
  else
    tb_page_show_error (TB_PAGE (self), _("Lookup Failed"), error,
                        _("The tenant was not looked up: the network or the sign-in "
                          "service failed. Check the connection and try again."),
                        TB_PAGE_ERROR_RETRY);
}

/* The document's realm, issuer and signing certificates, once it was read. */
static void
add_signing_rows (TbTenantPage *self,
                  GtkWidget    *group)
{
  GListModel *certificates = tb_tenant_get_signing_certificates (self->tenant);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Realm"), tb_tenant_get_metadata_realm (self->tenant),
                                               TRUE, FALSE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Issuer"), tb_tenant_get_metadata_issuer (self->tenant),
                                               TRUE, FALSE));
  for (guint i = 0; i < g_list_model_get_n_items (certificates); i++)
    {
      g_autoptr(TbCertificate) cert = g_list_model_get_item (certificates, i);
      g_autofree char *until = tb_format_local (tb_certificate_get_not_after (cert));
      g_autofree char *subtitle = g_strdup_printf (_("Thumbprint %s\nValid until %s"),
                                                   tb_certificate_get_sha1 (cert), until);
      GtkWidget *row = tb_value_row_new (tb_certificate_get_display_name (cert), subtitle,
                                         TRUE, FALSE);
      GtkWidget *pill = gtk_label_new (NULL);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (pill, "tb-status-pill");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      tb_status_label_update (GTK_LABEL (pill),
                              tb_certificate_get_status (cert, now, tb_context_get_warn_days (
                                tb_page_get_context (TB_PAGE (self)))));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

/* The ACS metadata document: the URL the pool is given, and what the document said. */
static void
add_metadata_group (TbTenantPage *self)
{
  GtkWidget *group;

  group = group_new (_("ACS Metadata"),
                     _("The pool’s OAuth server (New-CsOAuthServer microsoft.sts -MetadataUrl) reads this document."));
  {
    /* The URL the pool is given and its checks compare with. The demo's simulator serves the
     * document on a loopback address no Front End could reach, standing for Microsoft's: that
     * address is named separately, as where this page read the document. */
    const char *read_url = tb_tenant_get_metadata_url (self->tenant);
    g_autofree char *pool_url = tb_pool_script_metadata_url (tb_pool_connection_get_acs_base (
                                                               tb_page_get_context (TB_PAGE (self))),
                                                             tb_tenant_get_id (self->tenant), NULL);
    GtkWidget *row = tb_value_row_new (_("Metadata URL"), pool_url != NULL ? pool_url : read_url,
                                       TRUE, TRUE);

    if (tb_tenant_get_metadata_checked (self->tenant))
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 status_icon (tb_tenant_get_metadata_realm_ok (self->tenant)));
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    if (pool_url != NULL && read_url != NULL && g_strcmp0 (pool_url, read_url) != 0)
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (_("Document Read From"), read_url, TRUE, FALSE));
  }
  if (self->metadata_error != NULL)
    {
      GtkWidget *row = tb_value_row_new (_("Check"), self->metadata_error->message, FALSE, FALSE);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (tb_tenant_get_metadata_checked (self->tenant))
    add_signing_rows (self, group);
  gtk_box_append (self->result_box, group);
}

static void
tb_tenant_page_update (TbPage *page)
{
  TbTenantPage *self = TB_TENANT_PAGE (page);
  GtkWidget *child;
  GtkWidget *group;
  g_autofree char *cloud = NULL;
  g_autofree char *region = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_box))) != NULL)
    gtk_box_remove (self->result_box, child);

  if (tb_page_get_error (TB_PAGE (self)) != NULL)
    return;

  if (self->tenant == NULL)
    {
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "weather-overcast-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Enter a Domain"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("The tenant ID, its cloud and the metadata URL the pool’s "
                                         "OAuth server needs show here."));
      gtk_widget_add_css_class (status, "compact");
      gtk_box_append (self->result_box, status);
      return;
    }

  cloud = g_strdup_printf ("%s%s%s%s",
                           tb_cloud_get_display_name (tb_tenant_get_cloud (self->tenant)),
                           tb_tenant_get_cloud_instance (self->tenant) ? " (" : "",
                           tb_tenant_get_cloud_instance (self->tenant) ? tb_tenant_get_cloud_instance (self->tenant) : "",
                           tb_tenant_get_cloud_instance (self->tenant) ? ")" : "");
  {
    const char *scope = tb_tenant_get_region_scope (self->tenant);
    const char *name = region_name (scope);
    g_autofree char *shown = name != NULL ? g_strdup_printf ("%s (%s)", name, scope)
                                          : g_strdup (scope != NULL ? scope : "—");

    region = g_strjoin (" · ", shown, tb_tenant_get_region_sub_scope (self->tenant), NULL);
  }

  group = group_new (_("Tenant"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Tenant ID (realm)"), tb_tenant_get_id (self->tenant),
                                               TRUE, TRUE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Cloud"), cloud, FALSE, FALSE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (_("Region"), region, FALSE, FALSE));
  gtk_box_append (self->result_box, group);

  add_metadata_group (self);
  add_organization (self);
  tb_row_layout_fix_all (GTK_WIDGET (self->result_box));
}

static void
on_metadata_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TbTenantPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_tenant_check_metadata_finish (TB_TENANT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_clear_error (&self->metadata_error);
  self->metadata_error = g_steal_pointer (&error);
  tb_page_queue_update (TB_PAGE (self));
}

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbTenantPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) tenant = tb_tenant_resolve_finish (result, &error);

  if (tenant == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->tenant);
  g_clear_error (&self->metadata_error);
  if (tenant == NULL)
    {
      show_error (self, error);
      tb_page_queue_update (TB_PAGE (self));
      return;
    }
  tb_page_clear_error (TB_PAGE (self));

  self->tenant = g_object_ref (tenant);
  tb_page_queue_update (TB_PAGE (self));
  set_busy (self, TRUE);
  tb_tenant_check_metadata_async (tenant,
                                  tb_context_get_session (tb_page_get_context (TB_PAGE (self))),
                                  tb_page_get_cancellable (TB_PAGE (self)),
                                  on_metadata_checked, g_object_ref (self));
}

static void
on_domain_apply (TbTenantPage *self)
{
  tb_tenant_page_look_up (self, gtk_editable_get_text (GTK_EDITABLE (self->domain_entry)));
}

static void
tb_tenant_page_dispose (GObject *object)
{
  TbTenantPage *self = TB_TENANT_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_TENANT_PAGE);
  /* The scrolled window is the template's unnamed root: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tb_tenant_page_parent_class)->dispose (object);
}

static void
tb_tenant_page_finalize (GObject *object)
{
  TbTenantPage *self = TB_TENANT_PAGE (object);

  g_clear_object (&self->tenant);
  g_clear_error (&self->metadata_error);

  G_OBJECT_CLASS (tb_tenant_page_parent_class)->finalize (object);
}

static void tb_tenant_page_context_changed (TbPage *page);

static void
tb_tenant_page_retry (TbPage *page)
{
  on_domain_apply (TB_TENANT_PAGE (page));
}

static void
tb_tenant_page_workspace_changed (TbPage *page)
{
  tb_page_queue_update (page);
}

static void
tb_tenant_page_class_init (TbTenantPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TbPageClass *page_class = TB_PAGE_CLASS (klass);

  object_class->dispose = tb_tenant_page_dispose;
  object_class->finalize = tb_tenant_page_finalize;
  page_class->context_changed = tb_tenant_page_context_changed;
  page_class->workspace_changed = tb_tenant_page_workspace_changed;
  page_class->retry = tb_tenant_page_retry;
  page_class->update = tb_tenant_page_update;

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-tenant-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbTenantPage, domain_entry);
  gtk_widget_class_bind_template_child (widget_class, TbTenantPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, TbTenantPage, error_box);
  gtk_widget_class_bind_template_callback (widget_class, on_domain_apply);
}

static void
tb_tenant_page_init (TbTenantPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tb_page_set_busy_widget (TB_PAGE (self), GTK_WIDGET (self->result_box));
  tb_page_set_error_slot (TB_PAGE (self), self->error_box);
  /* After sign-in the organization (name, verified domains) comes with the tenant snapshot. */
  g_signal_group_connect_object (tb_page_get_workspace_signals (TB_PAGE (self)),
                                 "notify::organization", G_CALLBACK (tb_page_queue_update), self,
                                 G_CONNECT_SWAPPED);
  tb_page_queue_update (TB_PAGE (self));
}

GtkWidget *
tb_tenant_page_new (TbContext *context)
{
  return g_object_new (TB_TYPE_TENANT_PAGE, "context", context, NULL);
}

void
tb_tenant_page_set_context (TbTenantPage *self,
                            TbContext    *context)
{
  g_return_if_fail (TB_IS_TENANT_PAGE (self));
  tb_page_set_context (TB_PAGE (self), context);
}

static void
tb_tenant_page_context_changed (TbPage *page)
{
  TbTenantPage *self = TB_TENANT_PAGE (page);
  TbContext *context = tb_page_get_context (page);
  const char *tenant;

  if (context == NULL)
    return;

  /* A known tenant (settings, demo) is looked up at once: it needs no sign-in. */
  tenant = tb_context_get_tenant (context);
  if (tenant != NULL && g_strcmp0 (tenant, "organizations") != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->domain_entry), tenant);
      tb_tenant_page_look_up (self, tenant);
    }
}

void
tb_tenant_page_look_up (TbTenantPage *self,
                        const char   *domain_or_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *query = g_strstrip (g_strdup (domain_or_id ? domain_or_id : ""));
  TbContext *context;

  g_return_if_fail (TB_IS_TENANT_PAGE (self));
  context = tb_page_get_context (TB_PAGE (self));

  if (context == NULL)
    return;

  tb_page_renew_cancellable (TB_PAGE (self));
  tb_page_clear_busy (TB_PAGE (self));

  if (!tb_tenant_check_input (query, &error))
    {
      g_clear_object (&self->tenant);
      show_error (self, error);
      tb_page_queue_update (TB_PAGE (self));
      return;
    }

  set_busy (self, TRUE);
  tb_tenant_resolve_async (tb_context_get_cloud (context), tb_context_get_session (context), query,
                           tb_page_get_cancellable (TB_PAGE (self)), on_resolved,
                           g_object_ref (self));
}

gboolean
tb_tenant_page_get_loading (TbTenantPage *self)
{
  g_return_val_if_fail (TB_IS_TENANT_PAGE (self), FALSE);
  return tb_page_get_loading (TB_PAGE (self));
}

TbTenant *
tb_tenant_page_get_tenant (TbTenantPage *self)
{
  g_return_val_if_fail (TB_IS_TENANT_PAGE (self), NULL);
  return self->tenant;
}

const char *
tb_tenant_page_get_error (TbTenantPage *self)
{
  const GError *error;

  g_return_val_if_fail (TB_IS_TENANT_PAGE (self), NULL);
  error = tb_page_get_error (TB_PAGE (self));
  return error != NULL ? error->message : NULL;
}

char *
tb_tenant_page_dup_text (TbTenantPage *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_TENANT_PAGE (self), NULL);
  tb_widget_append_label_text (GTK_WIDGET (self->error_box), text);
  tb_widget_append_label_text (GTK_WIDGET (self->result_box), text);
  return g_string_free (text, FALSE);
}

void
tb_tenant_page_refresh (TbTenantPage *self)
{
  g_return_if_fail (TB_IS_TENANT_PAGE (self));

  if (*gtk_editable_get_text (GTK_EDITABLE (self->domain_entry)) != '\0')
    on_domain_apply (self);
}
