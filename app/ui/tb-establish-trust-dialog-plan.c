/* tb-establish-trust-dialog-plan.c: the plan's rows in the Establish Trust dialog
 *
 * The plan box holds, top to bottom: what changed since the admin reviewed, entries another
 * writer removed, the error that stopped the run, the Microsoft 365 steps, the pool half's
 * group and the verification. The step rows stay while the plan shown is applied; the rows'
 * wrapped text is measured once per width (tb_row_layout_fix_all).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-establish-trust-dialog-plan"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog-private.h"
#include "tb-row-layout.h"
#include "tb-ui-util.h"

static const char *
state_icon (TbStepState state)
{
  switch (state)
    {
    case TB_STEP_STATE_NOTHING_TO_DO:
    case TB_STEP_STATE_DONE:
      return "emblem-ok-symbolic";
    case TB_STEP_STATE_PENDING:
      return "list-add-symbolic";
    case TB_STEP_STATE_BLOCKED:
    case TB_STEP_STATE_FAILED:
    default:
      return "dialog-warning-symbolic";
    }
}

void
_tb_establish_trust_dialog_update_step_row (TbEstablishTrustDialog *self,
                                            guint                   index,
                                            gboolean                running)
{
  TbStep *step = g_ptr_array_index (tb_plan_get_steps (self->plan), index);
  GtkWidget *row = g_ptr_array_index (self->step_rows, index);
  GtkWidget *prefix = g_ptr_array_index (self->step_icons, index);
  GtkWidget *icon;
  const char *subtitle;

  if (prefix != NULL)
    adw_action_row_remove (ADW_ACTION_ROW (row), prefix);
  if (running)
    {
      icon = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (icon));
    }
  else
    {
      TbStepState state = tb_step_get_state (step);

      icon = gtk_image_new_from_icon_name (state_icon (state));
      /* What the icon says, for a screen reader. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      state == TB_STEP_STATE_PENDING ? _("Will change")
                                      : state == TB_STEP_STATE_DONE ? _("Done")
                                      : state == TB_STEP_STATE_NOTHING_TO_DO ? _("Nothing to do")
                                      : state == TB_STEP_STATE_BLOCKED ? _("Cannot be done")
                                      : _("Failed"), -1);
      gtk_widget_add_css_class (icon, tb_step_get_state (step) == TB_STEP_STATE_PENDING ? "accent"
                                      : tb_step_get_state (step) == TB_STEP_STATE_BLOCKED ||
                                        tb_step_get_state (step) == TB_STEP_STATE_FAILED ? "warning"
                                      : "success");
    }
  g_ptr_array_index (self->step_icons, index) = icon;
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  subtitle = tb_step_get_state (step) == TB_STEP_STATE_NOTHING_TO_DO
               ? _("Nothing to do: already in place") : tb_step_get_description (step);
  /* Unchanged text is not set again, so the row is not measured again. */
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), subtitle) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

/* The group's description, set only when it changed (see
 * _tb_establish_trust_dialog_update_step_row). */
static void
set_group_description (GtkWidget  *group,
                       const char *description)
{
  if (g_strcmp0 (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)),
                 description) != 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
}

/* Empties the plan box but for the step group of the plan shown when @keep. */
static void
clear_plan_box (TbEstablishTrustDialog *self,
                gboolean                keep)
{
  GtkWidget *child = gtk_widget_get_first_child (self->plan_box);

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (!keep || child != self->steps_group)
        gtk_box_remove (GTK_BOX (self->plan_box), child);
      child = next;
    }
  if (!keep)
    {
      self->steps_group = NULL;
      g_clear_object (&self->steps_plan);
      g_ptr_array_set_size (self->step_rows, 0);
      g_ptr_array_set_size (self->step_icons, 0);
    }
}

/* A group of one row of @text titled @title, after @above (first when NULL); returns it. */
static GtkWidget *
add_note_group (TbEstablishTrustDialog *self,
                const char             *title,
                const char             *text,
                GtkWidget              *above)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             tb_value_row_new (text, NULL, FALSE, FALSE));
  gtk_box_insert_child_after (GTK_BOX (self->plan_box), group, above);
  return group;
}

/* The notes above the steps: what changed, what another writer removed, the error. Returns
 * the last one added, or NULL. */
static GtkWidget *
add_notes (TbEstablishTrustDialog *self)
{
  GtkWidget *above = NULL;

  if (self->changed != NULL)
    above = add_note_group (self, _("Changed Since You Reviewed"), self->changed, above);
  if (self->loss != NULL)
    above = add_note_group (self, _("Another Change Removed Entries"), self->loss, above);
  if (self->error != NULL)
    above = add_note_group (self, _("Could Not Finish"), self->error->message, above);
  return above;
}

/* The Microsoft 365 steps after @above: made once per plan, then updated in place. */
static void
add_steps_group (TbEstablishTrustDialog *self,
                 gboolean                keep,
                 GtkWidget              *above)
{
  GPtrArray *steps = tb_plan_get_steps (self->plan);
  GtkWidget *group;

  if (keep)
    group = self->steps_group;
  else
    {
      group = adw_preferences_group_new ();
      /* With a pool, one list grouped by half: Microsoft 365 first, as it is applied first. */
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                       self->pool_state != NULL ? _("Microsoft 365") : _("Plan"));
    }
  set_group_description (group,
                         self->state == TB_ESTABLISH_TRUST_STATE_APPLYING
                         ? _("Applying, one step at a time…")
                         : self->state == TB_ESTABLISH_TRUST_STATE_DONE
                         ? _("Applied; the tenant was read again to verify.")
                         : tb_plan_count_changes (self->plan) == 0
                         ? _("Nothing to do: the tenant already holds everything the trust "
                             "needs.")
                         : _("Each step is checked against the tenant as it is now; only those "
                             "marked with + change anything."));
  for (guint i = 0; i < steps->len; i++)
    {
      TbStep *step = g_ptr_array_index (steps, i);

      if (!keep)
        {
          GtkWidget *row = tb_value_row_new (tb_step_get_title (step), NULL, FALSE, FALSE);

          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          g_ptr_array_add (self->step_rows, row);
          g_ptr_array_add (self->step_icons, NULL);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      if (i < self->step_rows->len)
        _tb_establish_trust_dialog_update_step_row (self, i, FALSE);
    }
  if (!keep)
    {
      gtk_box_insert_child_after (GTK_BOX (self->plan_box), group, above);
      self->steps_group = group;
      self->steps_plan = g_object_ref (self->plan);
    }
}

static void
add_verification_group (TbEstablishTrustDialog *self)
{
  GtkWidget *done;

  if (self->summary == NULL)
    return;
  done = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (done), _("Verification"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (done),
                             tb_value_row_new (self->summary, NULL, FALSE, FALSE));
  gtk_box_append (GTK_BOX (self->plan_box), done);
}

/* Apply's label counts the changes of both halves; once done, Close becomes the suggested
 * Done. Whether they can be used is _tb_establish_trust_dialog_update_actions's to say. */
static void
update_buttons (TbEstablishTrustDialog *self)
{
  guint changes = tb_plan_count_changes (self->plan) +
                  _tb_establish_trust_dialog_pool_changes_to_apply (self);

  /* Finished: the one thing left to do is close. */
  gtk_button_set_label (GTK_BUTTON (self->close_button),
                        self->state == TB_ESTABLISH_TRUST_STATE_DONE ? _("_Done") : _("_Close"));
  if (self->state == TB_ESTABLISH_TRUST_STATE_DONE)
    gtk_widget_add_css_class (self->close_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->close_button, "suggested-action");
  if (changes > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Apply %u Change",
                                                             "_Apply %u Changes", changes),
                                                changes);

      gtk_button_set_label (GTK_BUTTON (self->apply_button), label);
    }
  else
    gtk_button_set_label (GTK_BUTTON (self->apply_button), _("_Apply"));
}

void
_tb_establish_trust_dialog_rebuild_plan (TbEstablishTrustDialog *self)
{
  GtkWidget *above;
  /* The steps of the plan shown stay as they are while it is applied: their rows are
   * updated in place (_tb_establish_trust_dialog_update_step_row), and only the groups
   * around them are made again. */
  gboolean keep = self->plan != NULL && self->steps_group != NULL &&
                  self->steps_plan == self->plan;

  clear_plan_box (self, keep);
  above = add_notes (self);
  if (self->plan == NULL)
    {
      _tb_establish_trust_dialog_update_actions (self);
      tb_row_layout_fix_all (self->plan_box);
      return;
    }
  add_steps_group (self, keep, above);
  _tb_establish_trust_dialog_add_pool_group (self);
  add_verification_group (self);
  update_buttons (self);
  _tb_establish_trust_dialog_update_actions (self);
  tb_row_layout_fix_all (self->plan_box);
}
