/* tb-page.c: what every page of the window is made of (see tb-page.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-page.h"

typedef struct
{
  TbContext    *context;
  TbWorkspace  *workspace;
  TbAuth       *auth;
  GSignalGroup *context_signals;
  GSignalGroup *auth_signals;
  GSignalGroup *workspace_signals;
  GCancellable *cancellable;
  GtkWidget    *busy_widget;   /* weak */
  guint         busy;
} TbPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TbPage, tb_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_WORKSPACE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
follow_auth (TbPage   *self,
             gboolean  always)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  TbAuth *auth = priv->context != NULL ? tb_context_get_auth (priv->context) : NULL;

  if (!g_set_object (&priv->auth, auth) && !always)
    return;
  g_signal_group_set_target (priv->auth_signals, auth);
  if (TB_PAGE_GET_CLASS (self)->auth_changed != NULL)
    TB_PAGE_GET_CLASS (self)->auth_changed (self);
}

static void
on_context_auth (TbPage *self)
{
  follow_auth (self, FALSE);
}

static void
update_busy_widget (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  if (priv->busy_widget == NULL)
    return;
  if (priv->busy > 0)
    gtk_widget_add_css_class (priv->busy_widget, "tb-loading");
  else
    gtk_widget_remove_css_class (priv->busy_widget, "tb-loading");
}

/* GLib 2.74's signal groups take no handlers once they have a target: the subclasses connect
 * theirs in their init, so the targets are set from here on. */
static void
tb_page_constructed (GObject *object)
{
  TbPagePrivate *priv = tb_page_get_instance_private (TB_PAGE (object));

  G_OBJECT_CLASS (tb_page_parent_class)->constructed (object);

  g_signal_group_set_target (priv->workspace_signals, priv->workspace);
}

static void
tb_page_dispose (GObject *object)
{
  TbPage *self = TB_PAGE (object);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_signal_group_set_target (priv->context_signals, NULL);
  g_signal_group_set_target (priv->auth_signals, NULL);
  g_signal_group_set_target (priv->workspace_signals, NULL);
  g_clear_object (&priv->auth);
  g_clear_object (&priv->context);
  g_clear_object (&priv->workspace);
  g_clear_weak_pointer (&priv->busy_widget);

  G_OBJECT_CLASS (tb_page_parent_class)->dispose (object);
}

static void
tb_page_finalize (GObject *object)
{
  TbPagePrivate *priv = tb_page_get_instance_private (TB_PAGE (object));

  g_clear_object (&priv->context_signals);
  g_clear_object (&priv->auth_signals);
  g_clear_object (&priv->workspace_signals);
  g_clear_object (&priv->cancellable);

  G_OBJECT_CLASS (tb_page_parent_class)->finalize (object);
}

static void
tb_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TbPage *self = TB_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, tb_page_get_context (self));
      break;
    case PROP_WORKSPACE:
      g_value_set_object (value, tb_page_get_workspace (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, tb_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TbPage *self = TB_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      tb_page_set_context (self, g_value_get_object (value));
      break;
    case PROP_WORKSPACE:
      tb_page_set_workspace (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_page_class_init (TbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tb_page_constructed;
  object_class->dispose = tb_page_dispose;
  object_class->finalize = tb_page_finalize;
  object_class->get_property = tb_page_get_property;
  object_class->set_property = tb_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TB_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, TB_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_page_init (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
  priv->context_signals = g_signal_group_new (TB_TYPE_CONTEXT);
  priv->auth_signals = g_signal_group_new (TB_TYPE_AUTH);
  priv->workspace_signals = g_signal_group_new (TB_TYPE_WORKSPACE);
  /* A page on its own (a test, a preview) keeps its own model until it is given the
   * window's. */
  priv->workspace = tb_workspace_new ();
  /* The context replaces its auth when the cloud, tenant or client ID change. */
  g_signal_group_connect_object (priv->context_signals, "notify::auth",
                                 G_CALLBACK (on_context_auth), self, G_CONNECT_SWAPPED);
}

TbContext *
tb_page_get_context (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->context;
}

void
tb_page_set_context (TbPage    *self,
                     TbContext *context)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (context == NULL || TB_IS_CONTEXT (context));

  if (!g_set_object (&priv->context, context))
    return;
  /* What ran belonged to the services just replaced. */
  tb_page_renew_cancellable (self);
  g_signal_group_set_target (priv->context_signals, context);
  if (TB_PAGE_GET_CLASS (self)->context_changed != NULL)
    TB_PAGE_GET_CLASS (self)->context_changed (self);
  /* Another context is another sign-in, even when both have none. */
  follow_auth (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

TbWorkspace *
tb_page_get_workspace (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->workspace;
}

void
tb_page_set_workspace (TbPage      *self,
                       TbWorkspace *workspace)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (workspace == NULL || TB_IS_WORKSPACE (workspace));

  if (workspace == NULL)
    {
      g_autoptr(TbWorkspace) own = tb_workspace_new ();

      tb_page_set_workspace (self, own);
      return;
    }
  if (!g_set_object (&priv->workspace, workspace))
    return;
  g_signal_group_set_target (priv->workspace_signals, workspace);
  if (TB_PAGE_GET_CLASS (self)->workspace_changed != NULL)
    TB_PAGE_GET_CLASS (self)->workspace_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

TbAuth *
tb_page_get_auth (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->auth;
}

gboolean
tb_page_get_signed_in (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), FALSE);
  return priv->auth != NULL && tb_auth_get_signed_in (priv->auth);
}

GSignalGroup *
tb_page_get_context_signals (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->context_signals;
}

GSignalGroup *
tb_page_get_auth_signals (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->auth_signals;
}

GSignalGroup *
tb_page_get_workspace_signals (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->workspace_signals;
}

GCancellable *
tb_page_get_cancellable (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->cancellable;
}

void
tb_page_renew_cancellable (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
}

gboolean
tb_page_get_loading (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), FALSE);
  return priv->busy > 0;
}

void
tb_page_set_busy (TbPage   *self,
                  gboolean  busy)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  gboolean was;

  g_return_if_fail (TB_IS_PAGE (self));

  was = priv->busy > 0;
  if (busy)
    priv->busy++;
  else if (priv->busy > 0)
    priv->busy--;
  update_busy_widget (self);
  if (was != (priv->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
tb_page_clear_busy (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  while (priv->busy > 0)
    tb_page_set_busy (self, FALSE);
}

void
tb_page_set_busy_widget (TbPage    *self,
                         GtkWidget *widget)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_set_weak_pointer (&priv->busy_widget, widget);
  update_busy_widget (self);
}
