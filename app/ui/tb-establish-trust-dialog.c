/* tb-establish-trust-dialog.c: the cloud one-click: plan, apply step by step, verify
 *
 * Built in code: its rows follow the plan, which is only known once the tenant was read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-establish-trust-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog-private.h"
#include "tb-guards.h"
#include "tb-pool-connection.h"
#include "tb-pool-script.h"
#include "tb-principal-edit.h"
#include "tb-row-layout.h"
#include "tb-sign-in.h"
#include "tb-ui-enums.h"
#include "tb-ui-util.h"

G_DEFINE_FINAL_TYPE (TbEstablishTrustDialog, tb_establish_trust_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void rebuild_certificate (TbEstablishTrustDialog *self);

static GStrv
split_fqdns (const char *text)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[\\s,;]+", text ? text : "", 0, 0);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (out, g_strdup (parts[i]));
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (out, FALSE);
}

/* Reading or writing: no new plan meanwhile. */
static gboolean
is_busy (TbEstablishTrustState state)
{
  return state == TB_ESTABLISH_TRUST_STATE_PLANNING || state == TB_ESTABLISH_TRUST_STATE_APPLYING;
}

static gboolean
same_certificate (TbCertificate *a,
                  TbCertificate *b)
{
  return a != NULL && b != NULL &&
         g_strcmp0 (tb_certificate_get_sha256 (a), tb_certificate_get_sha256 (b)) == 0;
}

/* The dialog's commands are enabled from its state here, in one place: its buttons name them.
 * While the tenant or the pool is read or written, nothing is planned again, applied or
 * switched to the other certificate (that would drop the plan being applied). */
void
_tb_establish_trust_dialog_update_actions (TbEstablishTrustDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean busy = is_busy (self->state);
  gboolean can_apply = FALSE;

  /* Apply counts the changes of both halves, and needs a step that is not blocked. */
  if (self->plan != NULL && self->state == TB_ESTABLISH_TRUST_STATE_PLAN)
    can_apply = tb_plan_count_changes (self->plan) +
                _tb_establish_trust_dialog_pool_changes_to_apply (self) > 0 &&
                tb_plan_count_blocked (self->plan) < tb_plan_get_steps (self->plan)->len;

  gtk_widget_action_set_enabled (widget, "trust.show-plan",
                                 self->certificate != NULL && self->blocked_reason == NULL &&
                                 !busy);
  gtk_widget_set_tooltip_text (self->plan_button, self->blocked_reason);
  gtk_widget_action_set_enabled (widget, "trust.apply", can_apply);
  gtk_widget_action_set_enabled (widget, "trust.use-pool-certificate",
                                 !busy && self->pool_certificate != NULL &&
                                 !same_certificate (self->certificate, self->pool_certificate));
  gtk_widget_action_set_enabled (widget, "trust.use-selected-certificate",
                                 !busy && self->chosen != NULL &&
                                 !same_certificate (self->certificate, self->chosen));
  /* Only a pool read from a state file needs the script, and only when it lacks something. */
  gtk_widget_action_set_enabled (widget, "trust.save-apply-script",
                                 self->pool_state != NULL && self->pool_client == NULL &&
                                 self->pool_changes != NULL && self->pool_changes->len > 0);
}

void
_tb_establish_trust_dialog_set_state (TbEstablishTrustDialog *self,
                                      TbEstablishTrustState   state)
{
  self->state = state;
  _tb_establish_trust_dialog_rebuild_plan (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_tb_establish_trust_dialog_fail (TbEstablishTrustDialog *self,
                                 GError                 *error)
{
  g_clear_error (&self->error);
  self->error = error;
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_FAILED);
}

/* A failure names the half and the step, and (@tail) what became of the other half. */
GError *
_tb_establish_trust_dialog_name_half (const GError *error,
                                      const char   *half,
                                      const char   *step,
                                      const char   *tail)
{
  /* Translators: half, step, reason: "Microsoft 365, verifying: <reason>" */
  g_autofree char *head = g_strdup_printf (_("%s, %s: %s"), half, step, error->message);

  if (tail == NULL)
    return g_error_new_literal (error->domain, error->code, head);
  return g_error_new (error->domain, error->code, "%s %s", head, tail);
}

static const char *
failed_step (TbEstablishTrustDialog *self)
{
  GPtrArray *steps = tb_plan_get_steps (self->plan);

  for (guint i = 0; i < steps->len; i++)
    if (tb_step_get_state (g_ptr_array_index (steps, i)) == TB_STEP_STATE_FAILED)
      return tb_step_get_activity (g_ptr_array_index (steps, i));
  return _("applying");
}


static const char *
untouched_pool (TbEstablishTrustDialog *self)
{
  return self->pool_state != NULL ? _("The on-premises pool was not touched.") : NULL;
}

static void
on_verified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_plan_verify_finish (TB_PLAN (source), result, &error))
    {
      _tb_establish_trust_dialog_fail (self,
                                       _tb_establish_trust_dialog_name_half (
                                         error, _("Microsoft 365"), _("verifying"),
                                         untouched_pool (self)));
      return;
    }
  g_free (self->summary);
  self->summary = g_strdup (_("Verified: Microsoft 365 now holds the certificate, names and "
                              "settings the trust needs."));
  if (self->retries > 0)
    {
      char *with = g_strdup_printf ("%s %s", self->summary,
                                    _("Some requests were sent again: Microsoft Graph was briefly "
                                      "unreachable."));

      g_free (self->summary);
      self->summary = with;
    }
  /* Microsoft 365 holds the trust: only now is the pool touched. */
  if (_tb_establish_trust_dialog_pool_changes_to_apply (self) > 0)
    {
      _tb_establish_trust_dialog_apply_pool_half (self);
      return;
    }
  _tb_establish_trust_dialog_finish_pool_summary (self);
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_DONE);
}

static void replan (TbEstablishTrustDialog *self);

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = tb_plan_apply_finish (TB_PLAN (source), result, &error);
  g_autoptr(GString) loss = g_string_new (NULL);

  if (changes == NULL && g_error_matches (error, TB_GRAPH_ERROR, TB_GRAPH_ERROR_CHANGED))
    {
      /* Someone else changed a principal the plan showed: that step wrote nothing. The admin
       * sees the plan made again on what is there now before anything more is written. */
      g_free (self->changed);
      self->changed = g_strdup_printf (_("%s The plan below was made again from the tenant as "
                                         "it is now."), error->message);
      replan (self);
      return;
    }
  if (changes == NULL)
    {
      _tb_establish_trust_dialog_fail (self,
                                       _tb_establish_trust_dialog_name_half (
                                         error, _("Microsoft 365"), failed_step (self),
                                         untouched_pool (self)));
      return;
    }

  self->retries = 0;
  for (guint i = 0; i < changes->len; i++)
    {
      TbChange *change = g_ptr_array_index (changes, i);

      self->retries += change->retries;
      for (guint j = 0; change->restored != NULL && change->restored[j] != NULL; j++)
        g_string_append_printf (loss, "\n• %s", change->restored[j]);
    }
  g_clear_pointer (&self->loss, g_free);
  if (loss->len > 0)
    self->loss = g_strdup_printf (_("While the changes were written, another change removed:%s\n"
                                    "Trust Bridge put them back and checked them. Find out who "
                                    "else changes these service principals."),
                                  loss->str);
  tb_plan_verify_async (self->plan, self->cancellable, on_verified, g_object_ref (self));
}

static void
on_step_started (TbPlan                 *plan,
                 TbStep                 *step,
                 guint                   index,
                 TbEstablishTrustDialog *self)
{
  if (index < self->step_rows->len)
    _tb_establish_trust_dialog_update_step_row (self, index, TRUE);
}

static void
on_step_finished (TbPlan                 *plan,
                  TbStep                 *step,
                  guint                   index,
                  TbEstablishTrustDialog *self)
{
  if (index < self->step_rows->len)
    _tb_establish_trust_dialog_update_step_row (self, index, FALSE);
}

static void
on_write_access (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_PLAN);
      else
        _tb_establish_trust_dialog_fail (self, g_steal_pointer (&error));
      return;
    }
  /* The plan shown is what the admin approved: a principal changed since is shown again. */
  tb_plan_set_approved (self->plan, TRUE);
  g_signal_connect_object (self->plan, "step-started", G_CALLBACK (on_step_started), self, 0);
  g_signal_connect_object (self->plan, "step-finished", G_CALLBACK (on_step_finished), self, 0);
  tb_plan_apply_async (self->plan, self->cancellable, on_applied, g_object_ref (self));
}

static gboolean
is_optional_step (TbStep *step)
{
  return tb_step_is_opt_in (step);
}

static void
on_planned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  TbPlan *plan = tb_plan_new_establish_trust_finish (result, &error);

  if (plan == NULL)
    {
      _tb_establish_trust_dialog_fail (self, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&self->plan);
  self->plan = plan;
  /* Uploads to a principal whose certificates Microsoft is retiring (the step carries the
   * notice) are made only when the admin opted in. */
  if (!self->include_optional)
    for (guint i = tb_plan_get_steps (plan)->len; i > 0; i--)
      if (is_optional_step (g_ptr_array_index (tb_plan_get_steps (plan), i - 1)))
        tb_plan_remove_step (plan, i - 1);
  if (self->pool_state != NULL)
    {
      /* The preview lists the pool's changes too before anything can be applied. */
      _tb_establish_trust_dialog_plan_pool_half (self);
      return;
    }
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_PLAN);
}

static void
on_read_access (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TbEstablishTrustDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fqdns = NULL;

  if (!tb_sign_in_ensure_access_finish (result, &error))
    {
      _tb_establish_trust_dialog_fail (self, g_steal_pointer (&error));
      return;
    }
  fqdns = split_fqdns (gtk_editable_get_text (GTK_EDITABLE (self->fqdn_entry)));
  tb_plan_new_establish_trust_async (tb_context_get_graph_client (self->context),
                                     tb_context_get_profile (self->context), self->certificate,
                                     (const char * const *) fqdns, self->cancellable,
                                     on_planned, g_object_ref (self));
}

/* trust.use-pool-certificate and trust.use-selected-certificate: the plan uploads that one. */
static void
use_certificate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (widget);
  TbCertificate *certificate = g_str_equal (action_name, "trust.use-pool-certificate")
                                 ? self->pool_certificate : self->chosen;

  if (is_busy (self->state))
    return;
  g_set_object (&self->certificate, certificate);
  rebuild_certificate (self);
}

static void
show_plan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  tb_establish_trust_dialog_show_plan (TB_ESTABLISH_TRUST_DIALOG (widget));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tb_establish_trust_dialog_apply (TB_ESTABLISH_TRUST_DIALOG (widget));
}

static void
save_apply_script_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _tb_establish_trust_dialog_choose_script_file (TB_ESTABLISH_TRUST_DIALOG (widget));
}

static void
tb_establish_trust_dialog_dispose (GObject *object)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->plan);
  g_clear_object (&self->steps_plan);
  tb_file_chooser_clear (&self->chooser);
  g_clear_object (&self->pool_client);

  G_OBJECT_CLASS (tb_establish_trust_dialog_parent_class)->dispose (object);
}

static void
tb_establish_trust_dialog_finalize (GObject *object)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->certificate);
  g_clear_object (&self->pool_certificate);
  g_clear_object (&self->chosen);
  g_free (self->blocked_reason);
  g_clear_object (&self->pool_state);
  g_clear_object (&self->pool_after);
  g_free (self->pool_server);
  g_free (self->pool_tenant_id);
  g_free (self->script_name);
  g_free (self->script_note);
  g_clear_pointer (&self->pool_changes, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_free (self->summary);
  g_free (self->changed);
  g_free (self->loss);
  g_ptr_array_unref (self->step_rows);
  g_ptr_array_unref (self->step_icons);
  g_ptr_array_unref (self->certificate_rows);

  G_OBJECT_CLASS (tb_establish_trust_dialog_parent_class)->finalize (object);
}

static void
tb_establish_trust_dialog_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (object);

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
tb_establish_trust_dialog_class_init (TbEstablishTrustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_establish_trust_dialog_dispose;
  object_class->finalize = tb_establish_trust_dialog_finalize;
  object_class->get_property = tb_establish_trust_dialog_get_property;

  /* Lets the window learn the FQDNs once planned, and re-read the tenant once applied. */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TB_TYPE_ESTABLISH_TRUST_STATE, TB_ESTABLISH_TRUST_STATE_INPUT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The dialog's commands: its buttons name these, and
   * _tb_establish_trust_dialog_update_actions enables them. */
  gtk_widget_class_install_action (widget_class, "trust.show-plan", NULL, show_plan_action);
  gtk_widget_class_install_action (widget_class, "trust.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "trust.use-pool-certificate", NULL,
                                   use_certificate_action);
  gtk_widget_class_install_action (widget_class, "trust.use-selected-certificate", NULL,
                                   use_certificate_action);
  gtk_widget_class_install_action (widget_class, "trust.save-apply-script", NULL,
                                   save_apply_script_action);
}

static void
tb_establish_trust_dialog_init (TbEstablishTrustDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *input = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->cancellable = g_cancellable_new ();
  self->step_rows = g_ptr_array_new ();
  self->step_icons = g_ptr_array_new ();
  self->certificate_rows = g_ptr_array_new ();
  self->state = TB_ESTABLISH_TRUST_STATE_INPUT;

  gtk_window_set_title (GTK_WINDOW (self), _("Establish Trust (Microsoft 365 Side)"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 640);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (toolbar), scroller);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (input), _("What the Pool Uses"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (input),
                                         _("The certificate is added to each principal that "
                                           "lacks it, Exchange Online is enabled and the "
                                           "&lt;appId&gt;/&lt;FQDN&gt; names are added. "
                                           "Nothing else is touched."));
  gtk_box_append (GTK_BOX (content), input);
  self->input_group = input;

  self->fqdn_entry = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fqdn_entry),
                                 _("External web services FQDNs (spaces between several)"));
  g_signal_connect_swapped (self->fqdn_entry, "entry-activated",
                            G_CALLBACK (tb_establish_trust_dialog_show_plan), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (input), self->fqdn_entry);

  self->plan_button = gtk_button_new_with_mnemonic (_("_Show Plan"));
  self->apply_button = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (self->plan_button, "pill");
  gtk_widget_add_css_class (self->apply_button, "pill");
  gtk_widget_add_css_class (self->apply_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->plan_button), "trust.show-plan");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->apply_button), "trust.apply");
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), self->plan_button);
  gtk_box_append (GTK_BOX (buttons), self->apply_button);

  self->close_button = gtk_button_new_with_mnemonic (_("_Close"));
  gtk_widget_add_css_class (self->close_button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->close_button), "window.close");
  gtk_box_prepend (GTK_BOX (buttons), self->close_button);

  self->plan_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_box_append (GTK_BOX (content), self->plan_box);
  /* The actions stay in view below the plan, however long it gets. */
  gtk_widget_set_margin_top (buttons, 12);
  gtk_widget_set_margin_bottom (buttons, 12);
  gtk_box_append (GTK_BOX (toolbar), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (toolbar), buttons);

  adw_window_set_content (ADW_WINDOW (self), toolbar);

  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string ("Escape|<Control>w");

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (trigger,
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  _tb_establish_trust_dialog_update_actions (self);
}


/* The chosen certificate differs from the pool's: which one the plan uses, and a button to
 * use the other. */
static void
add_mismatch_row (TbEstablishTrustDialog *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self->certificate_group);
  GtkWidget *row;
  gboolean using_pool = same_certificate (self->certificate, self->pool_certificate);
  g_autofree char *text = NULL;
  GtkWidget *button;
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  text = using_pool
    ? g_strdup_printf (_("The certificate selected on the Certificates page (%s, thumbprint %s) "
                         "is not the pool’s OAuthTokenIssuer certificate. The plan uses the "
                         "pool’s."),
                       tb_certificate_get_display_name (self->chosen),
                       tb_certificate_get_sha1 (self->chosen))
    : g_strdup_printf (_("This is not the pool’s OAuthTokenIssuer certificate (%s, thumbprint "
                         "%s): Microsoft 365 will not accept tokens the pool signs until the "
                         "pool uses it too."),
                       tb_certificate_get_display_name (self->pool_certificate),
                       tb_certificate_get_sha1 (self->pool_certificate));
  row = tb_value_row_new (_("Not the Pool’s Certificate"), text, FALSE, FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Warning"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  button = gtk_button_new_with_mnemonic (using_pool ? _("Use the _Selected Certificate")
                                                    : _("Use the _Pool’s Certificate"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button),
                                  using_pool ? "trust.use-selected-certificate"
                                             : "trust.use-pool-certificate");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->certificate_rows, row);
}

/* The certificate the plan uploads: the pool's OAuthTokenIssuer certificate when the pool was
 * read, with a plain warning when the one chosen on the Certificates page differs; refused
 * when the upload guard (tb-guards.h) refuses it. */
static void
rebuild_certificate (TbEstablishTrustDialog *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self->certificate_group);
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  GtkWidget *row;

  for (guint i = 0; i < self->certificate_rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->certificate_rows, i));
  g_ptr_array_set_size (self->certificate_rows, 0);

  g_clear_pointer (&self->blocked_reason, g_free);
  if (self->certificate == NULL)
    {
      row = tb_value_row_new (_("No certificate"),
                              _("Read the pool on the On-premises Pool page, or open its OAuth "
                                "certificate on the Certificates page."),
                              FALSE, FALSE);
      self->blocked_reason = g_strdup (_("Show Plan needs the pool’s OAuth certificate."));
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->certificate_rows, row);
    }
  else
    {
      g_autofree char *subtitle = g_strdup_printf (_("Thumbprint %s"),
                                                   tb_certificate_get_sha1 (self->certificate));

      row = tb_value_row_new (tb_certificate_get_display_name (self->certificate), subtitle,
                              FALSE, FALSE);
      gtk_widget_add_css_class (row, "tb-monospace-subtitle");
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->certificate_rows, row);

      if (!tb_certificate_check_upload (self->certificate, NULL, &warning, &error))
        self->blocked_reason = g_strdup (error->message);
    }

  if (self->pool_certificate != NULL && self->chosen != NULL &&
      !same_certificate (self->pool_certificate, self->chosen))
    add_mismatch_row (self);

  if (self->blocked_reason != NULL || warning != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (self->blocked_reason
                                                        ? "dialog-error-symbolic"
                                                        : "dialog-warning-symbolic");

      row = tb_value_row_new (self->blocked_reason ? _("Cannot Show the Plan Yet")
                                                   : _("Not Valid Yet"),
                              self->blocked_reason ? self->blocked_reason : warning, FALSE, FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (icon, self->blocked_reason ? "error" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->blocked_reason ? _("Error") : _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->certificate_rows, row);
    }

  tb_row_layout_fix_all (self->certificate_group);
  /* A plan made for another certificate no longer applies. */
  if (self->plan != NULL && self->state != TB_ESTABLISH_TRUST_STATE_DONE)
    {
      g_clear_object (&self->plan);
      _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_INPUT);
    }
  _tb_establish_trust_dialog_update_actions (self);
}

static void
on_optional_toggled (TbEstablishTrustDialog *self)
{
  self->include_optional =
    adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self->optional_switch));
  /* The plan shown must be the plan applied: read it again with or without the step. */
  if (self->plan != NULL && self->state == TB_ESTABLISH_TRUST_STATE_PLAN)
    tb_establish_trust_dialog_show_plan (self);
}

/* One group, shown once, for each target whose certificate uploads Microsoft is retiring:
 * off by default, with the notice and what the upload still serves. */
static void
add_optional_group (TbEstablishTrustDialog *self,
                    GtkWidget              *content)
{
  TbProfile *profile = tb_context_get_profile (self->context);

  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      const TbProfileTarget *target = tb_profile_get_target (profile, i);
      GtkWidget *group;
      GtkWidget *expander;
      GtkWidget *notice;
      g_autofree char *title = NULL;

      if (target->audit_only || !target->receives_certificate || target->notice == NULL)
        continue;

      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), target->display_name);
      expander = adw_expander_row_new ();
      title = g_strdup_printf (_("Also Add the Certificate to %s"), target->display_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                     _("Off: this step is left out of the plan."));
      adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (expander), TRUE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (expander), FALSE);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), FALSE);
      g_signal_connect_swapped (expander, "notify::enable-expansion",
                                G_CALLBACK (on_optional_toggled), self);
      notice = tb_value_row_new (_("Why it is optional"), target->notice, FALSE, FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (notice), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), notice);
      notice = tb_value_row_new (_("What it still serves"),
                                 _("Skype for Business Server features that reach Exchange Online "
                                   "through Exchange Web Services — archiving, calendar presence "
                                   "and contact photos — for as long as Microsoft still allows "
                                   "them."), FALSE, FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (notice), 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), notice);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
      gtk_box_append (GTK_BOX (content), group);
      self->optional_switch = expander;
      break;
    }
}

GtkWidget *
tb_establish_trust_dialog_new (GtkWindow     *parent,
                               TbContext     *context,
                               TbCertificate *certificate)
{
  TbEstablishTrustDialog *self;
  GtkWidget *content;

  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  self = g_object_new (TB_TYPE_ESTABLISH_TRUST_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->chosen = certificate ? g_object_ref (certificate) : NULL;

  content = gtk_widget_get_parent (self->input_group);
  self->certificate_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->certificate_group),
                                   _("Certificate"));
  gtk_box_insert_child_after (GTK_BOX (content), self->certificate_group, self->input_group);
  add_optional_group (self, content);
  /* The plan comes after the choices it depends on. */
  gtk_box_reorder_child_after (GTK_BOX (content), self->plan_box,
                               gtk_widget_get_last_child (content));
  rebuild_certificate (self);
  tb_row_layout_fix_all (content);
  return GTK_WIDGET (self);
}

void
tb_establish_trust_dialog_set_pool_certificate (TbEstablishTrustDialog *self,
                                                TbCertificate          *certificate)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));
  g_return_if_fail (!certificate || TB_IS_CERTIFICATE (certificate));

  g_set_object (&self->pool_certificate, certificate);
  if (certificate != NULL)
    g_set_object (&self->certificate, certificate);
  rebuild_certificate (self);
}

TbCertificate *
tb_establish_trust_dialog_get_certificate (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return self->certificate;
}

void
tb_establish_trust_dialog_set_fqdns (TbEstablishTrustDialog *self,
                                     const char             *fqdns)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->fqdn_entry), fqdns ? fqdns : "");
}

const char *
tb_establish_trust_dialog_get_fqdns (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->fqdn_entry));
}

void
tb_establish_trust_dialog_show_plan (TbEstablishTrustDialog *self)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));

  if (self->certificate == NULL || self->blocked_reason != NULL ||
      is_busy (self->state))
    return;

  g_clear_pointer (&self->changed, g_free);
  replan (self);
}

static void
replan (TbEstablishTrustDialog *self)
{
  g_clear_error (&self->error);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->loss, g_free);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->pool_changes, g_ptr_array_unref);
  g_clear_object (&self->pool_after);
  self->pool_applied = FALSE;
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_PLANNING);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_READ, NULL, self->cancellable,
                                  on_read_access, g_object_ref (self));
}

void
tb_establish_trust_dialog_apply (TbEstablishTrustDialog *self)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));

  if (self->plan == NULL || self->state != TB_ESTABLISH_TRUST_STATE_PLAN)
    return;
  self->cloud_changes = tb_plan_count_changes (self->plan);
  _tb_establish_trust_dialog_set_state (self, TB_ESTABLISH_TRUST_STATE_APPLYING);
  /* Microsoft 365 already holds the trust: only the pool half is left. */
  if (tb_plan_count_changes (self->plan) == 0 &&
      _tb_establish_trust_dialog_pool_changes_to_apply (self) > 0)
    {
      _tb_establish_trust_dialog_apply_pool_half (self);
      return;
    }
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_WRITE,
                                  _("Establishing the trust adds the certificate and names to "
                                    "service principals."),
                                  self->cancellable, on_write_access, g_object_ref (self));
}

TbEstablishTrustState
tb_establish_trust_dialog_get_state (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), TB_ESTABLISH_TRUST_STATE_INPUT);
  return self->state;
}

GStrv
tb_establish_trust_dialog_dup_fqdns (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return split_fqdns (gtk_editable_get_text (GTK_EDITABLE (self->fqdn_entry)));
}

TbPlan *
tb_establish_trust_dialog_get_plan (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  return self->plan;
}

char *
tb_establish_trust_dialog_dup_text (TbEstablishTrustDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  tb_widget_append_label_text (self->plan_box, text);
  return g_string_free (text, FALSE);
}
