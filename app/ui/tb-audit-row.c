/* tb-audit-row.c: one credential of the Audit page's list, bound to its TbAuditFinding
 *
 * Laid out as the libadwaita action rows of the other pages: the status pill, the principal
 * and credential, then Remove… (expired keys of principals the app manages), Known… or
 * Forget, and the arrow that says where activating the row leads. The row takes keyboard
 * focus itself before its buttons, as a list box row does, so Enter on it opens the
 * principal and Tab reaches the buttons.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-audit-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-audit-row.h"
#include "tb-format.h"
#include "tb-ui-util.h"

struct _TbAuditRow
{
  GtkWidget       parent_instance;

  TbAuditFinding *finding;
  gboolean        on_page;        /* its principal is one the Service Principals page shows */
  gboolean        can_mark;       /* there are settings to keep "known" notes in */

  GtkWidget      *pill;
  GtkWidget      *title;
  GtkWidget      *subtitle;
  GtkWidget      *remove_button;
  GtkWidget      *known_button;
  GtkWidget      *arrow;
};

G_DEFINE_FINAL_TYPE (TbAuditRow, tb_audit_row, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_REMOVE,
  SIGNAL_KNOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Remove… is for expired keys of principals the app manages (the Service Principals page's
 * safe removal); Known… and Forget need settings to keep the note in. */
static gboolean
can_remove (TbAuditRow *self)
{
  return self->finding != NULL && self->on_page &&
         tb_audit_finding_get_status (self->finding) == TB_CERTIFICATE_STATUS_EXPIRED &&
         tb_audit_finding_get_kind (self->finding) != TB_AUDIT_KIND_PASSWORD;
}

/* The row's commands are enabled from the finding it is bound to here, in one place. */
static void
update_actions (TbAuditRow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.remove", can_remove (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.known",
                                 self->finding != NULL && self->can_mark);
}

/* The page owns the findings and the dialogs: the row tells it what was asked for. */
static void
activate_command (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TbAuditRow *self = TB_AUDIT_ROW (widget);

  if (self->finding == NULL)
    return;
  if (g_str_equal (action_name, "row.remove"))
    g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
  else
    g_signal_emit (self, signals[SIGNAL_KNOWN], 0);
}

static void
tb_audit_row_dispose (GObject *object)
{
  TbAuditRow *self = TB_AUDIT_ROW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->finding);

  G_OBJECT_CLASS (tb_audit_row_parent_class)->dispose (object);
}

static void
tb_audit_row_class_init (TbAuditRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_audit_row_dispose;

  /* Remove… was pressed: the admin wants this expired credential gone. */
  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* Known… or Forget was pressed. */
  signals[SIGNAL_KNOWN] =
    g_signal_new ("known", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "tb-audit-row");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /* The row's buttons name these, and update_actions enables them. */
  gtk_widget_class_install_action (widget_class, "row.remove", NULL, activate_command);
  gtk_widget_class_install_action (widget_class, "row.known", NULL, activate_command);
}

static GtkWidget *
add_button (TbAuditRow *self,
            const char *action_name)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_use_underline (GTK_BUTTON (button), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  return button;
}

static void
tb_audit_row_init (TbAuditRow *self)
{
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              12);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->pill = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->pill, "tb-status-pill");
  gtk_widget_set_valign (self->pill, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->pill, GTK_WIDGET (self));

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (self->title, "title");
  gtk_box_append (GTK_BOX (texts), self->title);
  self->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (self->subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (self->subtitle), 2);
  gtk_label_set_ellipsize (GTK_LABEL (self->subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->subtitle, "subtitle");
  gtk_widget_add_css_class (self->subtitle, "dim-label");
  gtk_box_append (GTK_BOX (texts), self->subtitle);
  gtk_widget_set_parent (texts, GTK_WIDGET (self));

  /* Expired credentials can go, through the Service Principals page's safe removal
   * (preview, keep everything else, read back). */
  self->remove_button = add_button (self, "row.remove");
  gtk_button_set_label (GTK_BUTTON (self->remove_button), _("_Remove…"));
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove this expired credential from the "
                                                      "service principal, keeping every other "
                                                      "one"));
  self->known_button = add_button (self, "row.known");

  self->arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_parent (self->arrow, GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
tb_audit_row_new (void)
{
  return g_object_new (TB_TYPE_AUDIT_ROW, NULL);
}

static char *
make_subtitle (TbAuditFinding *finding)
{
  GDateTime *end = tb_audit_finding_get_end (finding);
  g_autofree char *until = end != NULL ? tb_format_local (end) : NULL;
  const char *sha1 = tb_audit_finding_get_sha1 (finding);
  const char *note = tb_audit_finding_get_note (finding);
  gboolean password = tb_audit_finding_get_kind (finding) == TB_AUDIT_KIND_PASSWORD;

  return g_strdup_printf ("%s%s%s · %s %s · %s %s%s%s",
                          password ? _("Secret") : _("Key"),
                          sha1 != NULL ? " " : "", sha1 != NULL ? sha1 : "",
                          _("until"), until != NULL ? until : "?",
                          _("key ID"), tb_audit_finding_get_key_id (finding),
                          note != NULL ? " · " : "", note != NULL ? note : "");
}

void
tb_audit_row_bind (TbAuditRow     *self,
                   TbAuditFinding *finding,
                   gboolean        on_page,
                   gboolean        can_mark)
{
  TbCertificateStatus status;
  const char *name;
  gboolean password;
  gboolean known;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (TB_IS_AUDIT_ROW (self));
  g_return_if_fail (finding == NULL || TB_IS_AUDIT_FINDING (finding));

  if (self->finding != NULL)
    gtk_widget_remove_css_class (self->pill,
                                 tb_status_get_css_class (tb_audit_finding_get_status (
                                                            self->finding)));
  g_set_object (&self->finding, finding);
  self->on_page = on_page;
  self->can_mark = can_mark;
  update_actions (self);
  if (finding == NULL)
    return;

  status = tb_audit_finding_get_status (finding);
  name = tb_audit_finding_get_credential_name (finding);
  password = tb_audit_finding_get_kind (finding) == TB_AUDIT_KIND_PASSWORD;
  known = tb_audit_finding_get_note (finding) != NULL;

  if (tb_audit_finding_get_origin (finding) == TB_AUDIT_ORIGIN_UNEXPLAINED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "tb-audit-unexplained");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "tb-audit-unexplained");
  gtk_label_set_text (GTK_LABEL (self->pill), tb_certificate_status_get_label (status));
  gtk_widget_add_css_class (self->pill, tb_status_get_css_class (status));

  if (password)
    name = _("client secret");
  else if (name == NULL)
    name = _("certificate");
  title = g_strdup_printf ("%s — %s", tb_audit_finding_get_display_name (finding), name);
  subtitle = make_subtitle (finding);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);

  gtk_widget_set_visible (self->remove_button, can_remove (self));

  gtk_widget_set_visible (self->known_button,
                          tb_audit_finding_get_classified_origin (finding) !=
                          TB_AUDIT_ORIGIN_POOL);
  gtk_button_set_label (GTK_BUTTON (self->known_button), known ? _("_Forget") : _("_Known…"));
  gtk_widget_set_tooltip_text (self->known_button,
                               known ? _("No longer treat this credential as known")
                                     : _("Mark this credential as known, with a note"));

  /* Every row opens its principal's timeline: on the Service Principals page for the
   * principals it shows, in a window of its own for the others. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->arrow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  on_page ? _("Open on the Service Principals page")
                                          : _("Show its credential timeline"), -1);
}

TbAuditFinding *
tb_audit_row_get_finding (TbAuditRow *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_ROW (self), NULL);
  return self->finding;
}

const char *
tb_audit_row_get_title (TbAuditRow *self)
{
  g_return_val_if_fail (TB_IS_AUDIT_ROW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}
