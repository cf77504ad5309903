/* tb-establish-trust-dialog.c: the cloud one-click: plan, apply step by step, verify
 *
 * Built in code: its rows follow the plan, which is only known once the tenant was read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog.h"
#include "tb-sign-in.h"
#include "tb-ui-util.h"

struct _TbEstablishTrustDialog
{
  AdwWindow      parent_instance;

  TbContext     *context;
  TbCertificate *certificate;
  TbPlan        *plan;
  GCancellable  *cancellable;
  const char    *state;
  GError        *error;
  char          *summary;
  char          *changed;        /* why the plan was made again, or NULL */
  char          *loss;           /* entries another writer removed and were put back */

  GtkWidget     *fqdn_entry;
  GtkWidget     *plan_box;
  GtkWidget     *plan_button;
  GtkWidget     *apply_button;
  GPtrArray     *step_rows;      /* AdwActionRow per step */
  guint          retries;
};

G_DEFINE_FINAL_TYPE (TbEstablishTrustDialog, tb_establish_trust_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static void
update_step_row (TbEstablishTrustDialog *self,
                 guint                   index,
                 gboolean                running)
{
  TbStep *step = g_ptr_array_index (tb_plan_get_steps (self->plan), index);
  GtkWidget *row = g_ptr_array_index (self->step_rows, index);
  GtkWidget *prefix = g_object_get_data (G_OBJECT (row), "tb-prefix");
  GtkWidget *icon;

  if (prefix != NULL)
    adw_action_row_remove (ADW_ACTION_ROW (row), prefix);
  if (running)
    {
      icon = gtk_spinner_new ();
      gtk_spinner_start (GTK_SPINNER (icon));
    }
  else
    {
      icon = gtk_image_new_from_icon_name (state_icon (tb_step_get_state (step)));
      gtk_widget_add_css_class (icon, tb_step_get_state (step) == TB_STEP_STATE_PENDING ? "accent"
                                      : tb_step_get_state (step) == TB_STEP_STATE_BLOCKED ||
                                        tb_step_get_state (step) == TB_STEP_STATE_FAILED ? "warning"
                                      : "success");
    }
  g_object_set_data (G_OBJECT (row), "tb-prefix", icon);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               tb_step_get_state (step) == TB_STEP_STATE_NOTHING_TO_DO
                                 ? _("Nothing to do: already in place")
                                 : tb_step_get_description (step));
}

static void
rebuild_plan (TbEstablishTrustDialog *self)
{
  GtkWidget *child;
  GtkWidget *group;
  GPtrArray *steps;
  guint changes;

  while ((child = gtk_widget_get_first_child (self->plan_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->plan_box), child);
  g_ptr_array_set_size (self->step_rows, 0);

  if (self->changed != NULL)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Changed Since You Reviewed"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (self->changed, NULL, FALSE, FALSE));
      gtk_box_append (GTK_BOX (self->plan_box), group);
    }

  if (self->loss != NULL)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Another Change Removed Entries"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (self->loss, NULL, FALSE, FALSE));
      gtk_box_append (GTK_BOX (self->plan_box), group);
    }

  if (self->error != NULL)
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Could Not Finish"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 tb_value_row_new (self->error->message, NULL, FALSE, FALSE));
      gtk_box_append (GTK_BOX (self->plan_box), group);
    }

  if (self->plan == NULL)
    {
      gtk_widget_set_sensitive (self->apply_button, FALSE);
      return;
    }

  steps = tb_plan_get_steps (self->plan);
  changes = tb_plan_count_changes (self->plan);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Plan"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         g_str_equal (self->state, "applying") ? _("Applying, one step at a time…")
                                         : g_str_equal (self->state, "done") ? _("Applied; the tenant was read again to verify.")
                                         : changes == 0 ? _("Nothing to do: the tenant already holds everything the trust needs.")
                                         : _("Each step is checked against the tenant as it is now; only those marked with + change anything."));
  for (guint i = 0; i < steps->len; i++)
    {
      TbStep *step = g_ptr_array_index (steps, i);
      GtkWidget *row = tb_value_row_new (tb_step_get_title (step), NULL, FALSE, FALSE);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      g_ptr_array_add (self->step_rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      update_step_row (self, i, FALSE);
      if (tb_step_get_notice (step) != NULL)
        {
          GtkWidget *notice = tb_value_row_new (_("Notice"), tb_step_get_notice (step), FALSE, FALSE);

          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (notice), 0);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), notice);
        }
    }
  gtk_box_append (GTK_BOX (self->plan_box), group);

  if (self->summary != NULL)
    {
      GtkWidget *done = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (done), _("Verification"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (done),
                                 tb_value_row_new (self->summary, NULL, FALSE, FALSE));
      gtk_box_append (GTK_BOX (self->plan_box), done);
    }

  gtk_widget_set_sensitive (self->apply_button,
                            g_str_equal (self->state, "plan") && changes > 0 &&
                            tb_plan_count_blocked (self->plan) < steps->len);
  if (changes > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Apply %u Change",
                                                             "_Apply %u Changes", changes), changes);

      gtk_button_set_label (GTK_BUTTON (self->apply_button), label);
    }
  else
    gtk_button_set_label (GTK_BUTTON (self->apply_button), _("_Apply"));
}

static void
set_state (TbEstablishTrustDialog *self,
           const char             *state)
{
  self->state = state;
  gtk_widget_set_sensitive (self->plan_button,
                            !g_str_equal (state, "planning") && !g_str_equal (state, "applying"));
  rebuild_plan (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
fail (TbEstablishTrustDialog *self,
      GError                 *error)
{
  g_clear_error (&self->error);
  self->error = error;
  set_state (self, "failed");
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
      fail (self, g_steal_pointer (&error));
      return;
    }
  g_free (self->summary);
  self->summary = g_strdup (_("Verified: Microsoft 365 now holds the certificate, names and settings the trust needs."));
  if (self->retries > 0)
    {
      char *with = g_strdup_printf ("%s %s", self->summary,
                                    _("Some requests were sent again: Microsoft Graph was briefly "
                                      "unreachable."));

      g_free (self->summary);
      self->summary = with;
    }
  set_state (self, "done");
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
      fail (self, g_steal_pointer (&error));
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
    update_step_row (self, index, TRUE);
}

static void
on_step_finished (TbPlan                 *plan,
                  TbStep                 *step,
                  guint                   index,
                  TbEstablishTrustDialog *self)
{
  if (index < self->step_rows->len)
    update_step_row (self, index, FALSE);
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
        set_state (self, "plan");
      else
        fail (self, g_steal_pointer (&error));
      return;
    }
  /* The plan shown is what the admin approved: a principal changed since is shown again. */
  tb_plan_set_approved (self->plan, TRUE);
  g_signal_connect_object (self->plan, "step-started", G_CALLBACK (on_step_started), self, 0);
  g_signal_connect_object (self->plan, "step-finished", G_CALLBACK (on_step_finished), self, 0);
  tb_plan_apply_async (self->plan, self->cancellable, on_applied, g_object_ref (self));
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
      fail (self, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&self->plan);
  self->plan = plan;
  set_state (self, "plan");
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
      fail (self, g_steal_pointer (&error));
      return;
    }
  fqdns = split_fqdns (gtk_editable_get_text (GTK_EDITABLE (self->fqdn_entry)));
  tb_plan_new_establish_trust_async (tb_context_get_graph_client (self->context),
                                     tb_context_get_profile (self->context), self->certificate,
                                     (const char * const *) fqdns, self->cancellable,
                                     on_planned, g_object_ref (self));
}

static void
tb_establish_trust_dialog_dispose (GObject *object)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->plan);

  G_OBJECT_CLASS (tb_establish_trust_dialog_parent_class)->dispose (object);
}

static void
tb_establish_trust_dialog_finalize (GObject *object)
{
  TbEstablishTrustDialog *self = TB_ESTABLISH_TRUST_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->certificate);
  g_clear_error (&self->error);
  g_free (self->summary);
  g_free (self->changed);
  g_free (self->loss);
  g_ptr_array_unref (self->step_rows);

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
      g_value_set_string (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_establish_trust_dialog_class_init (TbEstablishTrustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_establish_trust_dialog_dispose;
  object_class->finalize = tb_establish_trust_dialog_finalize;
  object_class->get_property = tb_establish_trust_dialog_get_property;

  /* Lets the window learn the FQDNs once planned, and re-read the tenant once applied. */
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "input",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  self->state = "input";

  gtk_window_set_title (GTK_WINDOW (self), _("Establish Trust (Microsoft 365 Side)"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 640);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
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
                                         _("The certificate is added to each principal that lacks it, Exchange Online is enabled and the &lt;appId&gt;/&lt;FQDN&gt; names are added. Nothing else is touched."));
  gtk_box_append (GTK_BOX (content), input);
  g_object_set_data (G_OBJECT (self), "tb-input-group", input);

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
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  g_signal_connect_swapped (self->plan_button, "clicked",
                            G_CALLBACK (tb_establish_trust_dialog_show_plan), self);
  g_signal_connect_swapped (self->apply_button, "clicked",
                            G_CALLBACK (tb_establish_trust_dialog_apply), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), self->plan_button);
  gtk_box_append (GTK_BOX (buttons), self->apply_button);

  self->plan_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_box_append (GTK_BOX (content), self->plan_box);
  gtk_box_append (GTK_BOX (content), buttons);

  adw_window_set_content (ADW_WINDOW (self), toolbar);
}

GtkWidget *
tb_establish_trust_dialog_new (GtkWindow     *parent,
                               TbContext     *context,
                               TbCertificate *certificate)
{
  TbEstablishTrustDialog *self;
  AdwPreferencesGroup *input;
  GtkWidget *row;

  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  self = g_object_new (TB_TYPE_ESTABLISH_TRUST_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;

  input = g_object_get_data (G_OBJECT (self), "tb-input-group");
  if (certificate != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("Thumbprint %s"), tb_certificate_get_sha1 (certificate));

      row = tb_value_row_new (_("Certificate"), NULL, FALSE, FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     tb_certificate_get_display_name (certificate));
    }
  else
    {
      row = tb_value_row_new (_("No certificate"),
                              _("Open the pool’s OAuth certificate on the Certificates page first."),
                              FALSE, FALSE);
      gtk_widget_set_sensitive (self->plan_button, FALSE);
    }
  adw_preferences_group_add (input, row);
  return GTK_WIDGET (self);
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

  if (self->certificate == NULL || g_str_equal (self->state, "planning") ||
      g_str_equal (self->state, "applying"))
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
  set_state (self, "planning");
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_READ, NULL, self->cancellable,
                                  on_read_access, g_object_ref (self));
}

void
tb_establish_trust_dialog_apply (TbEstablishTrustDialog *self)
{
  g_return_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self));

  if (self->plan == NULL || !g_str_equal (self->state, "plan"))
    return;
  set_state (self, "applying");
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  tb_sign_in_ensure_access_async (GTK_WIDGET (self), tb_context_get_auth (self->context),
                                  TB_AUTH_ACCESS_WRITE,
                                  _("Establishing the trust adds the certificate and names to service principals."),
                                  self->cancellable, on_write_access, g_object_ref (self));
}

const char *
tb_establish_trust_dialog_get_state (TbEstablishTrustDialog *self)
{
  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
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

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

char *
tb_establish_trust_dialog_dup_text (TbEstablishTrustDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TB_IS_ESTABLISH_TRUST_DIALOG (self), NULL);
  collect_text (self->plan_box, text);
  return g_string_free (text, FALSE);
}
