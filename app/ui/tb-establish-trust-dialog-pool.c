/* tb-establish-trust-dialog-pool.c: the pool half of Establish Trust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-establish-trust-dialog-pool"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog-private.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-ui-util.h"

/* The pool half -------------------------------------------------------------------------------
 *
 * Live (the pool read over WinRM), the pool's changes come from a dry run of the apply script
 * on the pool itself and are applied there once Microsoft 365 verified, through the same pool
 * client the On-premises Pool page uses. From a state file, Trust Bridge cannot reach the pool:
 * the changes are planned from what the file says and the apply script is saved for the admin
 * to run on a Front End. */

guint
_tb_establish_trust_dialog_pool_changes_to_apply (TbEstablishTrustDialog *self)
{
  if (self->pool_client == NULL || self->pool_changes == NULL || self->pool_applied)
    return 0;
  return self->pool_changes->len;
}

/* The tenant the pool's OAuth server must point at: the one Microsoft 365 is changed in. */
const char *
_tb_establish_trust_dialog_pool_tenant_id (TbEstablishTrustDialog *self)
{
  const char *tenant_id = tb_context_get_demo (self->context)
                            ? tb_context_get_demo_tenant_id (self->context)
                            : tb_auth_get_tenant_id (tb_context_get_auth (self->context));

  return tenant_id != NULL ? tenant_id : self->pool_tenant_id;
}

static gboolean
cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_pool_planned (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) planned = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);

  if (planned == NULL)
    {
      if (!cancelled (error))
        _tb_establish_trust_dialog_fail (self,
                                         _tb_establish_trust_dialog_name_half (
                                           error, _("On-premises pool"),
                                           _("previewing the changes"), NULL));
      return;
    }
  /* The dry run read the pool first: the preview is of the pool as it is now. */
  if (planned->before != NULL)
    g_set_object (&self->pool_state, planned->before);
  g_clear_pointer (&self->pool_changes, g_ptr_array_unref);
  self->pool_changes = g_ptr_array_ref (planned->changes);
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_PLAN);
}

void
_tb_establish_trust_dialog_plan_pool_half (TbEstablishTrustDialog *self)
{
  const char *tenant_id = _tb_establish_trust_dialog_pool_tenant_id (self);
  const char *acs_base = tb_pool_connection_get_acs_base (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *metadata_url = NULL;
  GPtrArray *changes = NULL;

  /* The dry run (-WhatIf) says exactly what applying would do on the pool. */
  if (self->pool_client != NULL && tenant_id != NULL)
    {
      tb_pool_client_apply_async (self->pool_client, tenant_id, acs_base, TRUE,
                                  self->cancellable, on_pool_planned, g_object_ref (self));
      return;
    }
  metadata_url = tb_pool_script_metadata_url (acs_base, tenant_id, &error);
  if (metadata_url != NULL)
    changes = tb_pool_plan_changes (self->pool_state, metadata_url, &error);
  if (changes == NULL)
    {
      _tb_establish_trust_dialog_fail (self,
                                       _tb_establish_trust_dialog_name_half (
                                         error, _("On-premises pool"),
                                         _("previewing the changes"), NULL));
      return;
    }
  g_clear_pointer (&self->pool_changes, g_ptr_array_unref);
  self->pool_changes = changes;
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_PLAN);
}

void
_tb_establish_trust_dialog_finish_pool_summary (TbEstablishTrustDialog *self)
{
  g_autofree char *sentence = NULL;
  char *with;

  if (self->pool_state == NULL || self->pool_changes == NULL)
    return;
  if (self->pool_client != NULL && self->pool_applied)
    sentence = g_strdup_printf (_("The pool on %s was changed and read again: it now holds what "
                                  "the trust needs."), self->pool_server);
  else if (self->pool_changes->len == 0)
    sentence = g_strdup (_("Nothing to change: the pool already holds what the trust needs."));
  else
    sentence = g_strdup (_("The pool half is pending: save the apply script, run it in the Skype "
                           "for Business Server Management Shell on a Front End of the pool, "
                           "then open the state it prints on the On-premises Pool page."));
  with = self->summary != NULL ? g_strdup_printf ("%s %s", self->summary, sentence)
                               : g_steal_pointer (&sentence);
  g_free (self->summary);
  self->summary = with;
}

static gboolean
same_pool_changes (GPtrArray *a,
                   GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const TbChange *x = g_ptr_array_index (a, i);
      const TbChange *y = g_ptr_array_index (b, i);

      if (g_strcmp0 (x->target, y->target) != 0 || x->action != y->action)
        return FALSE;
    }
  return TRUE;
}

static void
on_pool_applied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbPoolApplyResult) applied = tb_pool_client_apply_finish (TB_POOL_CLIENT (source),
                                                                      result, &error);

  if (applied == NULL)
    {
      g_autofree char *step = NULL;

      if (cancelled (error))
        return;
      /* Translators: %s is a server name */
      step = g_strdup_printf (_("applying on %s"), self->pool_server);
      _tb_establish_trust_dialog_fail (self,
                                       _tb_establish_trust_dialog_name_half (
                                         error, _("On-premises pool"), step,
                                         self->cloud_changes > 0
                                           ? _("Microsoft 365 was changed and verified; it "
                                               "stays as it is.")
                                           : NULL));
      return;
    }
  /* The apply script reads the pool just before it writes and makes what is needed then: when
   * that is not what the preview showed, someone changed the pool meanwhile, and the admin is
   * told which changes were made instead. */
  if (!same_pool_changes (self->pool_changes, applied->changes))
    {
      g_free (self->changed);
      self->changed = g_strdup (_("The pool changed after you reviewed the plan. The pool’s "
                                  "changes below are the ones made, from the pool as it was "
                                  "just before."));
    }
  /* What the pool holds now, as read again after the script. */
  self->pool_applied = TRUE;
  g_set_object (&self->pool_after, applied->after);
  if (applied->after != NULL)
    g_set_object (&self->pool_state, applied->after);
  g_clear_pointer (&self->pool_changes, g_ptr_array_unref);
  self->pool_changes = g_ptr_array_ref (applied->changes);
  _tb_establish_trust_dialog_finish_pool_summary (self);
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_DONE);
}

void
_tb_establish_trust_dialog_apply_pool_half (TbEstablishTrustDialog *self)
{
  const char *tenant_id = _tb_establish_trust_dialog_pool_tenant_id (self);

  g_return_if_fail (self->pool_client != NULL && tenant_id != NULL);
  tb_pool_client_apply_async (self->pool_client, tenant_id,
                              tb_pool_connection_get_acs_base (self->context), FALSE,
                              self->cancellable, on_pool_applied, g_object_ref (self));
}

static void
on_script_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_pool_export_script_finish (result, &error))
    {
      g_autofree char *what = NULL;

      if (cancelled (error))
        return;
      /* Translators: %s is a file name */
      what = g_strdup_printf (_("“%s” was not saved"), self->script_name);
      g_free (self->script_note);
      self->script_note = g_strdup_printf ("%s: %s", what, error->message);
    }
  else
    {
      g_free (self->script_note);
      /* Translators: %s is a file name */
      self->script_note = g_strdup_printf (_("Saved “%s”: run it on a Front End"),
                                           self->script_name);
    }
  _tb_establish_trust_dialog_rebuild_plan (self);
}

void
tb_establish_trust_dialog_save_apply_script (TbEstablishTrustDialog *self,
                                             GFile                  *file)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  g_free (self->script_name);
  self->script_name = g_file_get_basename (file);
  tb_pool_export_script_async (file, _tb_establish_trust_dialog_pool_tenant_id (self),
                               tb_pool_connection_get_acs_base (self->context), FALSE,
                               self->cancellable, on_script_saved, g_object_ref (self));
}

static void
on_save_response (TbEstablishTrustDialog *self,
                  int                     response)
{
  g_autoptr(GFile) file = tb_file_chooser_take_file (&self->chooser, response);

  if (file != NULL)
    tb_establish_trust_dialog_save_apply_script (self, file);
}

void
_tb_establish_trust_dialog_choose_script_file (TbEstablishTrustDialog *self)
{
  tb_file_chooser_clear (&self->chooser);
  self->chooser = tb_script_chooser_new (GTK_WINDOW (self), _("Export Apply Script"),
                                         "trust-bridge-apply.ps1");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_save_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
_tb_establish_trust_dialog_add_pool_group (TbEstablishTrustDialog *self)
{
  GtkWidget *group;
  g_autofree char *description = NULL;

  if (self->pool_state == NULL || self->pool_changes == NULL)
    return;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("On-premises Pool"));
  if (self->pool_changes->len == 0)
    description = g_strdup (_("Nothing to change: the pool already holds what the trust needs."));
  else if (self->pool_client != NULL && self->pool_applied)
    /* Translators: %s is a server name */
    description = g_strdup_printf (_("Applied on %s; the pool was read again to verify."),
                                   self->pool_server);
  else if (self->pool_client != NULL)
    /* Translators: %s is a server name */
    description = g_strdup_printf (_("Applied on %s over WinRM once Microsoft 365 is verified; "
                                     "if Microsoft 365 fails, the pool is not touched."),
                                   self->pool_server);
  else
    description = g_strdup (_("Read from a state file: Trust Bridge cannot change this pool. "
                              "Save the apply script and run it on a Front End."));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  for (guint i = 0; i < self->pool_changes->len; i++)
    {
      const TbChange *change = g_ptr_array_index (self->pool_changes, i);
      GtkWidget *row = tb_value_row_new (change->detail, NULL, FALSE, FALSE);
      GtkWidget *icon = gtk_image_new_from_icon_name (self->pool_applied ? "emblem-ok-symbolic"
                                                                         : "list-add-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (icon, self->pool_applied ? "success" : "accent");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->pool_applied ? _("Done") : _("Will change"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  if (self->pool_client == NULL && self->pool_changes->len > 0)
    {
      GtkWidget *row = tb_value_row_new (_("Apply Script"), self->script_note, FALSE, FALSE);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Save Apply _Script…"));

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "trust.save-apply-script");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (GTK_BOX (self->plan_box), group);
}

void
tb_establish_trust_dialog_set_pool (TbEstablishTrustDialog *self,
                                    TbPoolState            *state,
                                    TbPoolClient           *client,
                                    const char             *server,
                                    const char             *tenant_id)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));
  g_return_if_fail (!state || TB_IS_POOL_STATE (state));
  g_return_if_fail (!client || TB_IS_POOL_CLIENT (client));

  g_set_object (&self->pool_state, state);
  g_clear_object (&self->pool_client);
  if (state != NULL && client != NULL)
    self->pool_client = g_object_ref (client);
  g_free (self->pool_server);
  self->pool_server = g_strdup (server != NULL ? server : "—");
  g_free (self->pool_tenant_id);
  self->pool_tenant_id = g_strdup (tenant_id);
  gtk_window_set_title (GTK_WINDOW (self),
                        state != NULL ? _("Establish Trust")
                                      : _("Establish Trust (Microsoft 365 Side)"));
  /* A plan made without the pool half no longer shows everything. */
  if (self->plan != NULL && self->state == TB_ESTABLISH_TRUST_STATE_PLAN)
    {
      g_clear_object (&self->plan);
      _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_INPUT);
    }
}

TbPoolState *
tb_establish_trust_dialog_get_applied_pool_state (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return self->pool_after;
}

GPtrArray *
tb_establish_trust_dialog_get_pool_changes (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return self->pool_changes;
}
