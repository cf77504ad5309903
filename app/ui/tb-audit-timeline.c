/* tb-audit-timeline.c: the credential timeline of a principal the Service Principals page does
 * not show, opened from an audit row
 *
 * The audit's list reads carry credential metadata but no keys; this reads the one principal
 * by appId (the single-object read, which returns them) and draws every key credential on the
 * timeline the Service Principals page uses. Client secrets have no certificate to draw: they
 * are counted under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-audit-timeline-private.h"
#include "tb-credential-timeline.h"
#include "tb-graph-client.h"

struct _TbAuditTimeline
{
  AdwWindow             parent_instance;

  GCancellable         *cancellable;
  char                 *app_id;
  char                 *error_text;
  gboolean              busy;

  GtkWidget            *stack;
  GtkWidget            *status;
  GtkWidget            *secrets_label;
  TbCredentialTimeline *timeline;
};

G_DEFINE_FINAL_TYPE (TbAuditTimeline, tb_audit_timeline, ADW_TYPE_WINDOW)

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TbAuditTimeline) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbServicePrincipal) sp = NULL;
  guint n_secrets = 0;

  sp = tb_graph_client_get_service_principal_finish (TB_GRAPH_CLIENT (source), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->busy = FALSE;
  if (sp == NULL)
    {
      self->error_text = g_strdup_printf (_("The service principal could not be read: %s"),
                                          error->message);
      adw_status_page_set_title (ADW_STATUS_PAGE (self->status), _("Not Read"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->status), self->error_text);
      return;
    }

  tb_credential_timeline_set_credentials (self->timeline,
                                          tb_service_principal_get_key_credentials (sp));
  n_secrets = tb_service_principal_get_n_password_credentials (sp);
  if (n_secrets > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "And %u client secret, which has no "
                                                            "certificate to draw.",
                                                            "And %u client secrets, which have "
                                                            "no certificate to draw.",
                                                            n_secrets),
                                               n_secrets);

      gtk_label_set_text (GTK_LABEL (self->secrets_label), text);
    }
  gtk_widget_set_visible (self->secrets_label, n_secrets > 0);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "timeline");
}

static void
tb_audit_timeline_dispose (GObject *object)
{
  TbAuditTimeline *self = TB_AUDIT_TIMELINE (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (tb_audit_timeline_parent_class)->dispose (object);
}

static void
tb_audit_timeline_finalize (GObject *object)
{
  TbAuditTimeline *self = TB_AUDIT_TIMELINE (object);

  g_clear_object (&self->cancellable);
  g_free (self->app_id);
  g_free (self->error_text);

  G_OBJECT_CLASS (tb_audit_timeline_parent_class)->finalize (object);
}

static void
tb_audit_timeline_class_init (TbAuditTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_audit_timeline_dispose;
  object_class->finalize = tb_audit_timeline_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tb_audit_timeline_init (TbAuditTimeline *self)
{
  GtkWidget *box, *content, *frame;

  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 420);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (box), self->stack);

  self->status = adw_status_page_new ();
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status), _("Reading…"));
  gtk_stack_add_named (GTK_STACK (self->stack), self->status, "status");

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  frame = gtk_frame_new (NULL);
  gtk_widget_add_css_class (frame, "view");
  self->timeline = TB_CREDENTIAL_TIMELINE (tb_credential_timeline_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->timeline), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->timeline), 6);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->timeline));
  gtk_box_append (GTK_BOX (content), frame);
  self->secrets_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->secrets_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->secrets_label), 0);
  gtk_widget_set_visible (self->secrets_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->secrets_label);
  gtk_stack_add_named (GTK_STACK (self->stack), content, "timeline");

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "status");
  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
tb_audit_timeline_new (GtkWindow     *parent,
                       TbGraphClient *client,
                       const char    *app_id,
                       const char    *display_name,
                       guint          warn_days)
{
  TbAuditTimeline *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (TB_IS_GRAPH_CLIENT (client), NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  self = g_object_new (TB_TYPE_AUDIT_TIMELINE, "transient-for", parent, NULL);
  self->app_id = g_strdup (app_id);
  /* Translators: %s is a service principal's name, such as “Microsoft Graph”. */
  title = g_strdup_printf (_("Credentials of %s"), display_name != NULL ? display_name : app_id);
  gtk_window_set_title (GTK_WINDOW (self), title);
  tb_credential_timeline_set_warn_days (self->timeline, warn_days);
  self->busy = TRUE;
  tb_graph_client_get_service_principal_async (client, app_id, self->cancellable, on_read,
                                               g_object_ref (self));
  return GTK_WIDGET (self);
}

gboolean
tb_audit_timeline_get_busy (TbAuditTimeline *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_TIMELINE (self), FALSE);
  return self->busy;
}

TbCredentialTimeline *
tb_audit_timeline_get_timeline (TbAuditTimeline *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_TIMELINE (self), NULL);
  return self->timeline;
}

const char *
tb_audit_timeline_get_error (TbAuditTimeline *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_TIMELINE (self), NULL);
  return self->error_text;
}
