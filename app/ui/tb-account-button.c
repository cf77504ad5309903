/* tb-account-button.c: the header bar's sign-in state: "Sign In", or who is signed in where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-account-button"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-account-button-private.h"
#include "tb-ui-util.h"

struct _TbAccountButton
{
  GtkWidget       parent_instance;

  TbAuth         *auth;
  GSignalGroup   *auth_signals;  /* on auth: every change of it shows */
  char           *tenant_name;

  GtkStack       *stack;
  GtkWidget      *sign_in_button;
  GMenuModel     *sign_in_menu;  /* the dropdown's, given to it when it first opens */
  /* The signed-in face, NULL until the first sign-in (ensure_signed_in_face): */
  GtkMenuButton  *menu_button;
  AdwAvatar      *small_avatar;
  AdwAvatar      *large_avatar;
  GtkLabel       *button_label;
  GtkLabel       *account_label;
  GtkLabel       *tenant_label;
  GtkLabel       *tenant_id_label;
  GtkLabel       *cloud_label;
  GtkLabel       *access_label;
};

G_DEFINE_FINAL_TYPE (TbAccountButton, tb_account_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_TENANT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
tenant_display (TbAccountButton *self)
{
  const char *tenant;

  if (self->tenant_name != NULL && *self->tenant_name != '\0')
    return self->tenant_name;

  /* Before Graph has named the organization, the domain part of the account says most. */
  if (self->auth != NULL)
    {
      const char *account = tb_auth_get_account (self->auth);
      const char *at = account != NULL ? strchr (account, '@') : NULL;

      if (at != NULL && at[1] != '\0')
        return at + 1;
      tenant = tb_auth_get_tenant (self->auth);
      if (tenant != NULL && g_strcmp0 (tenant, "organizations") != 0)
        return tenant;
    }
  return _("Microsoft 365");
}

/* The signed-in face and its popover are built when first needed, from tb-account-menu.ui:
 * a window that starts signed out (the usual start) does not build them before its first
 * frame. */
static void
ensure_signed_in_face (TbAccountButton *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->menu_button != NULL)
    return;
  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/tb-account-menu.ui");
  self->menu_button = GTK_MENU_BUTTON (gtk_builder_get_object (builder, "menu_button"));
  self->small_avatar = ADW_AVATAR (gtk_builder_get_object (builder, "small_avatar"));
  self->large_avatar = ADW_AVATAR (gtk_builder_get_object (builder, "large_avatar"));
  self->button_label = GTK_LABEL (gtk_builder_get_object (builder, "button_label"));
  self->account_label = GTK_LABEL (gtk_builder_get_object (builder, "account_label"));
  self->tenant_label = GTK_LABEL (gtk_builder_get_object (builder, "tenant_label"));
  self->tenant_id_label = GTK_LABEL (gtk_builder_get_object (builder, "tenant_id_label"));
  self->cloud_label = GTK_LABEL (gtk_builder_get_object (builder, "cloud_label"));
  self->access_label = GTK_LABEL (gtk_builder_get_object (builder, "access_label"));
  /* The stack owns the face from here; the fields point into it. */
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->menu_button), "signed-in");
}

static void
update (TbAccountButton *self)
{
  gboolean signed_in = self->auth != NULL && tb_auth_get_signed_in (self->auth);
  g_autofree char *tooltip = NULL;
  const char *account;
  const char *tenant;
  TbCloud *cloud;

  if (!signed_in)
    {
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
      return;
    }
  ensure_signed_in_face (self);
  gtk_stack_set_visible_child_name (self->stack, "signed-in");

  account = tb_auth_get_account (self->auth);
  if (account == NULL || *account == '\0')
    account = _("Signed in");
  tenant = tenant_display (self);
  cloud = tb_auth_get_cloud (self->auth);

  adw_avatar_set_text (self->small_avatar, account);
  adw_avatar_set_text (self->large_avatar, account);
  gtk_label_set_text (self->button_label, tenant);
  gtk_label_set_text (self->account_label, account);
  gtk_label_set_text (self->tenant_label, tenant);
  gtk_label_set_text (self->tenant_id_label,
                      tb_auth_get_tenant_id (self->auth) ? tb_auth_get_tenant_id (self->auth) : "—");
  gtk_label_set_text (self->cloud_label, cloud ? tb_cloud_get_display_name (cloud) : "—");
  gtk_label_set_text (self->access_label,
                      tb_auth_get_access (self->auth) == TB_AUTH_ACCESS_WRITE
                        ? _("Read and change applications (Application.ReadWrite.All)")
                        : _("Read applications only (Application.Read.All)"));

  /* Translators: the account button's tooltip, e.g. "admin@contoso.com at Contoso" */
  tooltip = g_strdup_printf (_("%s at %s"), account, tenant);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static void
tb_account_button_dispose (GObject *object)
{
  TbAccountButton *self = TB_ACCOUNT_BUTTON (object);

  g_signal_group_set_target (self->auth_signals, NULL);
  g_clear_object (&self->auth);
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_ACCOUNT_BUTTON);

  G_OBJECT_CLASS (tb_account_button_parent_class)->dispose (object);
}

static void
tb_account_button_finalize (GObject *object)
{
  TbAccountButton *self = TB_ACCOUNT_BUTTON (object);

  g_clear_object (&self->auth_signals);
  g_free (self->tenant_name);

  G_OBJECT_CLASS (tb_account_button_parent_class)->finalize (object);
}

static void
tb_account_button_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TbAccountButton *self = TB_ACCOUNT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_TENANT_NAME:
      g_value_set_string (value, self->tenant_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_account_button_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TbAccountButton *self = TB_ACCOUNT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      tb_account_button_set_auth (self, g_value_get_object (value));
      break;
    case PROP_TENANT_NAME:
      tb_account_button_set_tenant_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_account_button_class_init (TbAccountButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_account_button_dispose;
  object_class->finalize = tb_account_button_finalize;
  object_class->get_property = tb_account_button_get_property;
  object_class->set_property = tb_account_button_set_property;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TB_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT_NAME] =
    g_param_spec_string ("tenant-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/tb-account-button.ui");
  gtk_widget_class_bind_template_child (widget_class, TbAccountButton, stack);
  gtk_widget_class_bind_template_child (widget_class, TbAccountButton, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, TbAccountButton, sign_in_menu);
}

/* The dropdown's menu is built when it first opens, not with the window. libadwaita 1.2's
 * split button has no hook for that, but its dropdown is a GtkMenuButton child, given the menu
 * directly; a split button built otherwise gets its menu at once. */
static void
defer_sign_in_menu (TbAccountButton *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->sign_in_button); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      {
        tb_menu_button_set_menu_model_lazily (GTK_MENU_BUTTON (child), self->sign_in_menu);
        return;
      }
  adw_split_button_set_menu_model (ADW_SPLIT_BUTTON (self->sign_in_button), self->sign_in_menu);
}

static void
tb_account_button_init (TbAccountButton *self)
{
  /* GLib 2.74's signal groups take no handlers once they have a target: the handler goes in
   * here, the target is set with the auth (tb_account_button_set_auth). */
  self->auth_signals = g_signal_group_new (TB_TYPE_AUTH);
  g_signal_group_connect_object (self->auth_signals, "notify", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
  defer_sign_in_menu (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign In"), -1);
  update (self);
}

GtkWidget *
tb_account_button_new (void)
{
  return g_object_new (TB_TYPE_ACCOUNT_BUTTON, NULL);
}

TbAuth *
tb_account_button_get_auth (TbAccountButton *self)
{
  g_return_val_if_fail (TB_IS_ACCOUNT_BUTTON (self), NULL);
  return self->auth;
}

void
tb_account_button_set_auth (TbAccountButton *self,
                            TbAuth          *auth)
{
  g_return_if_fail (TB_IS_ACCOUNT_BUTTON (self));
  g_return_if_fail (!auth || TB_IS_AUTH (auth));

  if (self->auth == auth)
    return;

  g_set_object (&self->auth, auth);
  g_signal_group_set_target (self->auth_signals, auth);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

void
tb_account_button_set_tenant_name (TbAccountButton *self,
                                   const char      *name)
{
  g_return_if_fail (TB_IS_ACCOUNT_BUTTON (self));

  if (g_strcmp0 (self->tenant_name, name) != 0)
    {
      g_free (self->tenant_name);
      self->tenant_name = g_strdup (name);
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT_NAME]);
    }
}

const char *
tb_account_button_get_label (TbAccountButton *self)
{
  g_return_val_if_fail (TB_IS_ACCOUNT_BUTTON (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "signed-in") == 0)
    return gtk_label_get_text (self->button_label);
  return adw_split_button_get_label (ADW_SPLIT_BUTTON (self->sign_in_button));
}

char *
tb_account_button_dup_details (TbAccountButton *self)
{
  g_return_val_if_fail (TB_IS_ACCOUNT_BUTTON (self), NULL);

  ensure_signed_in_face (self);
  return g_strjoin ("\n",
                    gtk_label_get_text (self->account_label),
                    gtk_label_get_text (self->tenant_label),
                    gtk_label_get_text (self->tenant_id_label),
                    gtk_label_get_text (self->cloud_label),
                    gtk_label_get_text (self->access_label),
                    NULL);
}

void
tb_account_button_set_busy (TbAccountButton *self,
                            gboolean         busy)
{
  g_return_if_fail (TB_IS_ACCOUNT_BUTTON (self));

  /* A sign-in under way is visible at once, however long the network takes to answer. */
  adw_split_button_set_label (ADW_SPLIT_BUTTON (self->sign_in_button),
                              busy ? _("Signing In…") : _("Sign In"));
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
}
