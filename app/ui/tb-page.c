/* tb-page.c: what every page of the window is made of (see tb-page.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-graph-client.h"
#include "tb-page.h"
#include "tb-row-layout.h"
#include "tb-ui-util.h"
#include "tb-winrm-shell.h"

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
  GtkBox       *error_slot;    /* weak */
  GtkWidget    *error_group;   /* weak */
  GError       *error;
  /* Retry was chosen and nothing has cleared the error since: the same failure again must
   * not look like nothing happened. */
  gboolean      retrying;
  /* An update was asked for while the page was not mapped: it runs at the next map. */
  gboolean      update_pending;
  /* The idle that runs an update queued while mapped; "loading" while it is there. */
  guint         update_source;
  /* The rest of an update done in two turns (tb_page_update_rest_later), and its idle;
   * "loading" while it is there. */
  TbPageUpdateFunc update_rest;
  guint         update_rest_source;
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
 * theirs in their init, so the targets are set from here on.
 *
 * By now each subclass has built its template and whatever its init adds: the rows and
 * groups among them wrap width first (tb-row-layout.c), once, before the page is first
 * measured. Rows a page builds later pass through tb_row_layout_fix_all where it builds them. */
static void
tb_page_constructed (GObject *object)
{
  TbPagePrivate *priv = tb_page_get_instance_private (TB_PAGE (object));

  G_OBJECT_CLASS (tb_page_parent_class)->constructed (object);

  g_signal_group_set_target (priv->workspace_signals, priv->workspace);
  tb_row_layout_fix_all (GTK_WIDGET (object));
}

static void
tb_page_dispose (GObject *object)
{
  TbPage *self = TB_PAGE (object);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_handle_id (&priv->update_source, g_source_remove);
  g_clear_handle_id (&priv->update_rest_source, g_source_remove);
  priv->update_rest = NULL;
  g_signal_group_set_target (priv->context_signals, NULL);
  g_signal_group_set_target (priv->auth_signals, NULL);
  g_signal_group_set_target (priv->workspace_signals, NULL);
  g_clear_object (&priv->auth);
  g_clear_object (&priv->context);
  g_clear_object (&priv->workspace);
  g_clear_weak_pointer (&priv->busy_widget);
  g_clear_weak_pointer (&priv->error_slot);
  g_clear_weak_pointer (&priv->error_group);

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
  g_clear_error (&priv->error);

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
tb_page_map (GtkWidget *widget)
{
  TbPage *self = TB_PAGE (widget);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  GTK_WIDGET_CLASS (tb_page_parent_class)->map (widget);

  /* Mapped, not yet drawn: what changed while out of sight is built before the frame. */
  if (priv->update_pending)
    tb_page_update_now (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TbPage *self = TB_PAGE (widget);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  if (TB_PAGE_GET_CLASS (self)->retry == NULL)
    return;
  tb_page_clear_error (self);
  priv->retrying = TRUE;
  TB_PAGE_GET_CLASS (self)->retry (self);
}

static void
tb_page_class_init (TbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tb_page_constructed;
  object_class->dispose = tb_page_dispose;
  object_class->finalize = tb_page_finalize;
  object_class->get_property = tb_page_get_property;
  object_class->set_property = tb_page_set_property;
  widget_class->map = tb_page_map;

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

  gtk_widget_class_install_action (widget_class, "page.retry", NULL, retry_action);
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

/* Runs the rest of an update left for later, if any, at once. */
static void
run_update_rest (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  TbPageUpdateFunc rest = priv->update_rest;

  priv->update_rest = NULL;
  g_clear_handle_id (&priv->update_rest_source, g_source_remove);
  if (rest != NULL)
    rest (self);
}

/* Runs the hook, nothing being queued any more; @was_loading: "loading" before the queued
 * run was dropped, so its end is notified. @whole: the rest of the update too, if the hook
 * leaves some for later. A rest left by an earlier update is dropped: the hook does all again. */
static void
run_update (TbPage   *self,
            gboolean  was_loading,
            gboolean  whole)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  priv->update_pending = FALSE;
  priv->update_rest = NULL;
  g_clear_handle_id (&priv->update_rest_source, g_source_remove);
  TB_PAGE_GET_CLASS (self)->update (self);
  if (whole)
    run_update_rest (self);
  if (was_loading && !tb_page_get_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
run_update_rest_later (gpointer user_data)
{
  TbPage *self = TB_PAGE (user_data);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  priv->update_rest_source = 0;
  run_update_rest (self);
  if (!tb_page_get_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  return G_SOURCE_REMOVE;
}

void
tb_page_update_rest_later (TbPage           *self,
                           TbPageUpdateFunc  rest)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (rest != NULL);

  priv->update_rest = rest;
  if (priv->update_rest_source != 0)
    return;
  /* As a queued update: before GTK's redraw, so one frame shows both parts. */
  priv->update_rest_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, run_update_rest_later,
                                              self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, priv->update_rest_source),
                            "[trust-bridge] page update, the rest");
}

static gboolean
run_queued_update (gpointer user_data)
{
  TbPage *self = TB_PAGE (user_data);
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  priv->update_source = 0;
  run_update (self, TRUE, FALSE);
  return G_SOURCE_REMOVE;
}

void
tb_page_queue_update (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  gboolean was;

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (TB_PAGE_GET_CLASS (self)->update != NULL);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      priv->update_pending = TRUE;
      return;
    }
  if (priv->update_source != 0)
    return;
  was = tb_page_get_loading (self);
  /* Before GTK's redraw (GDK_PRIORITY_REDRAW, HIGH_IDLE + 20): the frame shows the update. */
  priv->update_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, run_queued_update, self,
                                         NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, priv->update_source),
                            "[trust-bridge] page update");
  if (!was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
tb_page_update_now (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  gboolean was;

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (TB_PAGE_GET_CLASS (self)->update != NULL);

  was = tb_page_get_loading (self);
  g_clear_handle_id (&priv->update_source, g_source_remove);
  run_update (self, was, TRUE);
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
  return priv->busy > 0 || priv->update_source != 0 || priv->update_rest_source != 0;
}

void
tb_page_set_busy (TbPage   *self,
                  gboolean  busy)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  gboolean was;

  g_return_if_fail (TB_IS_PAGE (self));

  was = tb_page_get_loading (self);
  if (busy)
    priv->busy++;
  else if (priv->busy > 0)
    priv->busy--;
  update_busy_widget (self);
  if (was != tb_page_get_loading (self))
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

void
tb_page_set_error_slot (TbPage *self,
                        GtkBox *slot)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_if_fail (TB_IS_PAGE (self));
  g_return_if_fail (slot == NULL || GTK_IS_BOX (slot));

  tb_page_clear_error (self);
  g_set_weak_pointer (&priv->error_slot, slot);
  if (slot != NULL)
    gtk_widget_set_visible (GTK_WIDGET (slot), FALSE);
}

/* Only codes an admin can look up (Graph's error code and request ID, the WS-Management fault
 * code and what the server said) are shown: the program's own error domains mean nothing to
 * them. */
static void
add_details (GtkWidget    *group,
             const GError *error)
{
  GtkWidget *details;
  const char *code = NULL;
  const char *request_id = NULL;
  const char *said = NULL;

  if (error->domain == TB_GRAPH_ERROR)
    {
      code = tb_graph_error_get_code (error);
      request_id = tb_graph_error_get_request_id (error);
    }
  else if (error->domain == TB_WINRM_ERROR)
    {
      code = tb_winrm_error_get_fault_code (error);
      said = tb_winrm_error_get_detail (error);
    }
  if (said != NULL && *said == '\0')
    said = NULL;
  if (code == NULL && request_id == NULL && said == NULL)
    return;

  details = adw_expander_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (details), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (details), _("Details"));
  if (code != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (details),
                              tb_value_row_new (_("Error code"), code, TRUE, TRUE));
  if (request_id != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (details),
                              tb_value_row_new (_("Request ID"), request_id, TRUE, TRUE));
  if (said != NULL)
    {
      GtkWidget *row = tb_value_row_new (_("Server said"), said, FALSE, FALSE);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (details), row);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), details);
}

GtkWidget *
tb_page_show_error (TbPage           *self,
                    const char       *heading,
                    const GError     *error,
                    const char       *hint,
                    TbPageErrorFlags  flags)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  g_autofree char *escaped = NULL;
  GtkWidget *group;
  GtkWidget *message;
  GtkWidget *icon;
  gboolean again;

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (priv->error_slot != NULL, NULL);

  again = priv->retrying;
  tb_page_clear_error (self);
  priv->error = g_error_copy (error);

  group = adw_preferences_group_new ();
  gtk_widget_add_css_class (group, "tb-error-group");
  if (heading != NULL)
    {
      escaped = g_markup_escape_text (heading, -1);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), escaped);
    }

  message = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (message), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (message), error->message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (message), 0);
  if (hint != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (message), hint);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (message), 0);
    }
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Error"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (message), icon);
  if (flags & TB_PAGE_ERROR_RETRY)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "page.retry");
      adw_action_row_add_suffix (ADW_ACTION_ROW (message), button);
    }
  gtk_widget_set_focusable (message, TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), message);
  add_details (group, error);
  /* Built after the page, so not met by constructed: wrapped width first here. */
  tb_row_layout_fix_all (group);

  gtk_box_append (priv->error_slot, group);
  gtk_widget_set_visible (GTK_WIDGET (priv->error_slot), TRUE);
  g_set_weak_pointer (&priv->error_group, group);

  if ((flags & TB_PAGE_ERROR_FOCUS) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (message);
  if (again)
    tb_widget_show_toast (GTK_WIDGET (self), _("Tried again: it failed the same way"));
  return group;
}

void
tb_page_clear_error (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);
  GtkWidget *group;

  g_return_if_fail (TB_IS_PAGE (self));

  priv->retrying = FALSE;
  g_clear_error (&priv->error);
  group = priv->error_group;
  g_clear_weak_pointer (&priv->error_group);
  if (group != NULL && priv->error_slot != NULL &&
      gtk_widget_get_parent (group) == GTK_WIDGET (priv->error_slot))
    gtk_box_remove (priv->error_slot, group);
  if (priv->error_slot != NULL &&
      gtk_widget_get_first_child (GTK_WIDGET (priv->error_slot)) == NULL)
    gtk_widget_set_visible (GTK_WIDGET (priv->error_slot), FALSE);
}

const GError *
tb_page_get_error (TbPage *self)
{
  TbPagePrivate *priv = tb_page_get_instance_private (self);

  g_return_val_if_fail (TB_IS_PAGE (self), NULL);
  return priv->error;
}
