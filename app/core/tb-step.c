/* tb-step.c: one step of a plan: describes itself, applies itself, verifies itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-step"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-core-enums.h"
#include "tb-graph-client-edit.h"
#include "tb-step.h"

struct _TbStep
{
  GObject          parent_instance;

  char            *title;
  char            *activity;
  char            *notice;
  TbPrincipalEdit *edit;
  TbStepState      state;
  TbChange        *change;
  GError          *error;
  TbServicePrincipal *described;     /* what the description was computed on */
  gboolean         approved;
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TbStep, tb_step, G_TYPE_OBJECT)

static void
tb_step_finalize (GObject *object)
{
  TbStep *self = TB_STEP (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->activity, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_clear_object (&self->edit);
  g_clear_pointer (&self->change, tb_change_free);
  g_clear_error (&self->error);
  g_clear_object (&self->described);

  G_OBJECT_CLASS (tb_step_parent_class)->finalize (object);
}

static void
tb_step_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TbStep *self = TB_STEP (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_step_class_init (TbStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_step_finalize;
  object_class->get_property = tb_step_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TB_TYPE_STEP_STATE, TB_STEP_STATE_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_step_init (TbStep *self)
{
  self->state = TB_STEP_STATE_PENDING;
}

TbStep *
tb_step_new (const char      *title,
             const char      *activity,
             TbPrincipalEdit *edit,
             const char      *notice)
{
  TbStep *self;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (activity != NULL, NULL);
  g_return_val_if_fail (TB_IS_PRINCIPAL_EDIT (edit), NULL);

  self = g_object_new (TB_TYPE_STEP, NULL);
  self->title = g_strdup (title);
  self->activity = g_strdup (activity);
  self->edit = g_object_ref (edit);
  self->notice = g_strdup (notice);
  return self;
}

static void
set_state (TbStep      *self,
           TbStepState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
tb_step_get_title (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);
  return self->title;
}

const char *
tb_step_get_activity (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);
  return self->activity;
}

const char *
tb_step_get_notice (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);
  return self->notice;
}

gboolean
tb_step_is_opt_in (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), FALSE);
  return self->notice != NULL &&
         tb_principal_edit_get_kind (self->edit) == TB_PRINCIPAL_EDIT_ADD_CERTIFICATE;
}

TbPrincipalEdit *
tb_step_get_edit (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);
  return self->edit;
}

TbStepState
tb_step_get_state (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), TB_STEP_STATE_BLOCKED);
  return self->state;
}

const TbChange *
tb_step_get_change (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);
  return self->change;
}

const char *
tb_step_get_description (TbStep *self)
{
  g_return_val_if_fail (TB_IS_STEP (self), NULL);

  if (self->error != NULL)
    return self->error->message;
  if (self->change != NULL)
    return self->change->detail;
  return self->title;
}

void
tb_step_describe (TbStep             *self,
                  TbServicePrincipal *principal)
{
  g_autoptr(JsonObject) patch = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TB_IS_STEP (self));

  g_clear_pointer (&self->change, tb_change_free);
  g_clear_error (&self->error);
  g_set_object (&self->described, principal);

  if (principal == NULL)
    {
      self->error = g_error_new (TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND,
                                 _("The tenant has no service principal for app ID %s."),
                                 tb_principal_edit_get_app_id (self->edit));
      set_state (self, TB_STEP_STATE_BLOCKED);
      return;
    }

  self->change = tb_principal_edit_compute (self->edit, principal, &patch, &error);
  if (self->change == NULL)
    {
      self->error = g_steal_pointer (&error);
      set_state (self, TB_STEP_STATE_BLOCKED);
      return;
    }

  set_state (self, patch != NULL ? TB_STEP_STATE_PENDING : TB_STEP_STATE_NOTHING_TO_DO);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbStep *self = g_task_get_source_object (task);
  GError *error = NULL;
  TbChange *change;

  if (g_task_get_task_data (task) != NULL)
    change = tb_graph_client_apply_approved_edit_finish (TB_GRAPH_CLIENT (source), result, NULL,
                                                         &error);
  else
    change = tb_graph_client_apply_edit_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (change == NULL)
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      set_state (self, TB_STEP_STATE_FAILED);
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&self->change, tb_change_free);
  self->change = change;
  set_state (self, TB_STEP_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

void
tb_step_apply_async (TbStep              *self,
                     TbGraphClient       *client,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_STEP (self));
  g_return_if_fail (TB_IS_GRAPH_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_step_apply_async);

  if (self->state == TB_STEP_STATE_NOTHING_TO_DO || self->state == TB_STEP_STATE_DONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->state == TB_STEP_STATE_BLOCKED && self->error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }

  /* The edit is applied on a fresh read: the tenant may have changed since the plan was made. */
  if (self->approved && self->described != NULL)
    {
      g_task_set_task_data (task, g_object_ref (self->described), g_object_unref);
      tb_graph_client_apply_approved_edit_async (client, self->edit, self->described, cancellable,
                                                 on_applied, g_steal_pointer (&task));
    }
  else
    tb_graph_client_apply_edit_async (client, self->edit, cancellable, on_applied,
                                      g_steal_pointer (&task));
}

void
tb_step_set_approved (TbStep   *self,
                      gboolean  approved)
{
  g_return_if_fail (TB_IS_STEP (self));
  self->approved = approved;
}

gboolean
tb_step_apply_finish (TbStep        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_step_apply_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
