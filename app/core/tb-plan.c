/* tb-plan.c: desired state against current state, as ordered steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-credential-merge.h"
#include "tb-plan.h"

struct _TbPlan
{
  GObject        parent_instance;

  TbGraphClient *client;
  GPtrArray     *steps;
  GStrv          app_ids;          /* the principals the steps touch, for the snapshot */
};

enum {
  STEP_STARTED,
  STEP_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TbPlan, tb_plan, G_TYPE_OBJECT)

static void
tb_plan_finalize (GObject *object)
{
  TbPlan *self = TB_PLAN (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->app_ids, g_strfreev);

  G_OBJECT_CLASS (tb_plan_parent_class)->finalize (object);
}

static void
tb_plan_class_init (TbPlanClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_plan_finalize;

  signals[STEP_STARTED] =
    g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, TB_TYPE_STEP, G_TYPE_UINT);
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, TB_TYPE_STEP, G_TYPE_UINT);
}

static void
tb_plan_init (TbPlan *self)
{
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
}

GPtrArray *
tb_plan_get_steps (TbPlan *self)
{
  g_return_val_if_fail (TB_IS_PLAN (self), NULL);
  return self->steps;
}

static guint
count_state (TbPlan      *self,
             TbStepState  state)
{
  guint n = 0;

  for (guint i = 0; i < self->steps->len; i++)
    if (tb_step_get_state (g_ptr_array_index (self->steps, i)) == state)
      n++;
  return n;
}

guint
tb_plan_count_changes (TbPlan *self)
{
  g_return_val_if_fail (TB_IS_PLAN (self), 0);
  return count_state (self, TB_STEP_STATE_PENDING);
}

guint
tb_plan_count_blocked (TbPlan *self)
{
  g_return_val_if_fail (TB_IS_PLAN (self), 0);
  return count_state (self, TB_STEP_STATE_BLOCKED);
}

/* ------------------------------------------------------------------------------------ */
/* Reading the principals the steps touch */

/* The snapshot of the plan's principals @result brings, or NULL once its error went to @task. */
static TbGraphSnapshot *
snapshot_finish (GObject      *source,
                 GAsyncResult *result,
                 GTask        *task)
{
  GError *error = NULL;
  TbGraphSnapshot *snapshot = tb_graph_client_snapshot_finish (TB_GRAPH_CLIENT (source), result,
                                                               &error);

  if (snapshot == NULL)
    g_task_return_error (task, error);
  return snapshot;
}

/* The principal @step edits as @snapshot shows it; NULL when the tenant has none. */
static TbServicePrincipal *
snapshot_principal (TbGraphSnapshot *snapshot,
                    TbStep          *step)
{
  return g_hash_table_lookup (snapshot->principals,
                              tb_principal_edit_get_app_id (tb_step_get_edit (step)));
}

/* ------------------------------------------------------------------------------------ */
/* Building */

static void
on_establish_snapshot (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPlan *self = g_task_get_task_data (task);
  g_autoptr(TbGraphSnapshot) snapshot = snapshot_finish (source, result, task);

  if (snapshot == NULL)
    return;
  for (guint i = 0; i < self->steps->len; i++)
    {
      TbStep *step = g_ptr_array_index (self->steps, i);

      tb_step_describe (step, snapshot_principal (snapshot, step));
    }

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

void
tb_plan_new_establish_trust_async (TbGraphClient       *client,
                                   TbProfile           *profile,
                                   TbCertificate       *cert,
                                   const char * const  *fqdns,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TbPlan) self = NULL;
  g_autoptr(GPtrArray) app_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *display_name = NULL;
  GError *error = NULL;

  g_return_if_fail (TB_IS_GRAPH_CLIENT (client));
  g_return_if_fail (TB_IS_PROFILE (profile));
  g_return_if_fail (TB_IS_CERTIFICATE (cert));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_plan_new_establish_trust_async);

  self = g_object_new (TB_TYPE_PLAN, NULL);
  self->client = g_object_ref (client);

  /* Named after the certificate so the admin recognises it in the Entra portal; within
   * Graph's 90-character limit. */
  {
    const char *cn = tb_certificate_get_common_name (cert);
    g_autofree char *name = g_strdup_printf ("Trust Bridge: %s", cn != NULL ? cn : tb_certificate_get_sha1 (cert));

    display_name = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), TB_KEY_CREDENTIAL_DISPLAY_NAME_MAX));
  }

  /* Certificates first, then enabling, then names: the order the seed procedure uses. */
  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
      {
        const TbProfileTarget *target = tb_profile_get_target (profile, i);
        g_autoptr(TbPrincipalEdit) edit = NULL;
        g_autofree char *title = NULL;
        g_autofree char *activity = NULL;

        if (target->audit_only)
          continue;

        if (pass == 0 && target->receives_certificate)
          {
            edit = tb_principal_edit_new_add_certificate (target->app_id, cert, display_name, 0, &error);
            title = g_strdup_printf (_("Add the certificate to %s"), target->display_name);
            /* Translators: where a failure stopped: "Microsoft 365, <this>: <reason>" */
            activity = g_strdup_printf (_("adding the certificate to %s"), target->display_name);
          }
        else if (pass == 1 && target->must_be_enabled)
          {
            edit = tb_principal_edit_new_enable (target->app_id);
            title = g_strdup_printf (_("Enable %s"), target->display_name);
            /* Translators: where a failure stopped: "Microsoft 365, <this>: <reason>" */
            activity = g_strdup_printf (_("enabling %s"), target->display_name);
          }
        else if (pass == 2 && target->receives_spns)
          {
            if (fqdns == NULL || fqdns[0] == NULL)
              error = g_error_new (TB_MERGE_ERROR, TB_MERGE_ERROR_INVALID,
                                   _("Name the pool’s external web services FQDN for the service "
                                     "principal names of %s."), target->display_name);
            else
              edit = tb_principal_edit_new_add_spns (target->app_id, fqdns, &error);
            title = g_strdup_printf (_("Add service principal names to %s"), target->display_name);
            /* Translators: where a failure stopped: "Microsoft 365, <this>: <reason>" */
            activity = g_strdup_printf (_("adding service principal names to %s"),
                                        target->display_name);
          }
        else
          continue;

        if (edit == NULL)
          {
            g_task_return_error (task, error);
            return;
          }

        g_ptr_array_add (self->steps, tb_step_new (title, activity, edit, target->notice));
        if (!g_ptr_array_find_with_equal_func (app_ids, target->app_id, g_str_equal, NULL))
          g_ptr_array_add (app_ids, g_strdup (target->app_id));
      }

  g_ptr_array_add (app_ids, NULL);
  self->app_ids = (GStrv) g_ptr_array_free (g_steal_pointer (&app_ids), FALSE);

  g_task_set_task_data (task, g_object_ref (self), g_object_unref);
  tb_graph_client_snapshot_async (client, (const char * const *) self->app_ids, cancellable,
                                  on_establish_snapshot, g_steal_pointer (&task));
}

TbPlan *
tb_plan_new_establish_trust_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_plan_new_establish_trust_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Applying */

void
tb_plan_set_approved (TbPlan   *self,
                      gboolean  approved)
{
  g_return_if_fail (TB_IS_PLAN (self));

  for (guint i = 0; i < self->steps->len; i++)
    tb_step_set_approved (g_ptr_array_index (self->steps, i), approved);
}

typedef struct
{
  guint      index;
  GPtrArray *changes;
} ApplyData;

static void
apply_data_free (ApplyData *ad)
{
  g_clear_pointer (&ad->changes, g_ptr_array_unref);
  g_free (ad);
}

static void apply_next (GTask *task);

static void
on_step_applied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPlan *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  TbStep *step = TB_STEP (source);
  GError *error = NULL;
  gboolean ok;

  ok = tb_step_apply_finish (step, result, &error);
  g_signal_emit (self, signals[STEP_FINISHED], 0, step, ad->index);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }

  g_ptr_array_add (ad->changes, tb_change_copy (tb_step_get_change (step)));
  ad->index++;
  apply_next (g_steal_pointer (&task));
}

static void
apply_next (GTask *task)
{
  TbPlan *self = g_task_get_source_object (task);
  ApplyData *ad = g_task_get_task_data (task);
  TbStep *step;

  if (ad->index >= self->steps->len)
    {
      g_task_return_pointer (task, g_ptr_array_ref (ad->changes), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  step = g_ptr_array_index (self->steps, ad->index);
  g_signal_emit (self, signals[STEP_STARTED], 0, step, ad->index);
  tb_step_apply_async (step, self->client, g_task_get_cancellable (task), on_step_applied, task);
}

void
tb_plan_apply_async (TbPlan              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;
  ApplyData *ad;

  g_return_if_fail (TB_IS_PLAN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_plan_apply_async);
  ad = g_new0 (ApplyData, 1);
  ad->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tb_change_free);
  g_task_set_task_data (task, ad, (GDestroyNotify) apply_data_free);

  apply_next (task);
}

GPtrArray *
tb_plan_apply_finish (TbPlan        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_plan_apply_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------ */
/* Verifying */

static void
on_verify_snapshot (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPlan *self = g_task_get_source_object (task);
  g_autoptr(TbGraphSnapshot) snapshot = snapshot_finish (source, result, task);
  GError *error = NULL;

  if (snapshot == NULL)
    return;
  for (guint i = 0; i < self->steps->len; i++)
    {
      TbStep *step = g_ptr_array_index (self->steps, i);
      TbPrincipalEdit *edit = tb_step_get_edit (step);
      TbServicePrincipal *principal = snapshot_principal (snapshot, step);
      g_autoptr(JsonObject) patch = NULL;
      g_autoptr(TbChange) change = NULL;

      if (principal == NULL)
        {
          g_task_return_new_error (task, TB_GRAPH_ERROR, TB_GRAPH_ERROR_NOT_FOUND,
                                   _("The tenant has no service principal for app ID %s."),
                                   tb_principal_edit_get_app_id (edit));
          return;
        }
      change = tb_principal_edit_compute (edit, principal, &patch, &error);
      if (change == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      if (patch != NULL)
        {
          g_task_return_new_error (task, TB_GRAPH_ERROR, TB_GRAPH_ERROR_VERIFY_FAILED,
                                   _("“%s” is not in place: %s"), tb_step_get_title (step),
                                   change->detail);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

void
tb_plan_verify_async (TbPlan              *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_PLAN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_plan_verify_async);
  tb_graph_client_snapshot_async (self->client, (const char * const *) self->app_ids, cancellable,
                                  on_verify_snapshot, g_steal_pointer (&task));
}

gboolean
tb_plan_verify_finish (TbPlan        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_plan_verify_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tb_plan_remove_step (TbPlan *self,
                     guint   index)
{
  g_return_if_fail (TB_IS_PLAN (self));
  g_return_if_fail (index < self->steps->len);

  g_ptr_array_remove_index (self->steps, index);
}
