/* tb-principal-detail.c: one service principal's properties, names, key credentials, timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-principal-detail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-credential-merge.h"
#include "tb-format.h"
#include "tb-guards.h"
#include "tb-principal-detail.h"
#include "tb-ui-util.h"

struct _TbPrincipalDetail
{
  GtkWidget             parent_instance;

  TbServicePrincipal   *principal;
  const TbProfileTarget *target;
  TbCertificate        *highlight;           /* or NULL */
  char                 *time_text;           /* what of it depends on the time, when made */
  guint                 warn_days;
  GListStore           *credentials;         /* TbKeyCredential, as listed */
  TbCredentialTimeline *timeline;
  GtkWidget            *spn_entry;
  GtkLabel             *spn_preview;
};

G_DEFINE_FINAL_TYPE (TbPrincipalDetail, tb_principal_detail, GTK_TYPE_WIDGET)

enum {
  SIGNAL_ADD_SPN,
  SIGNAL_REMOVE_SPN,
  SIGNAL_REMOVE_CREDENTIAL,
  SIGNAL_ADD_CERTIFICATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
tb_principal_detail_format_dates (TbKeyCredential *credential,
                                  GDateTime       *now)
{
  GDateTime *end = tb_key_credential_get_end (credential);
  g_autofree char *when = NULL;
  g_autofree char *relative = NULL;

  if (end == NULL)
    return g_strdup (_("no end date"));

  when = tb_format_local (end);
  relative = tb_format_relative (end, now);
  if (g_date_time_compare (end, now) < 0)
    /* Translators: "ended 12 Mar 2025, 14:05 · 2 months ago" */
    return g_strdup_printf (_("ended %s · %s"), when, relative);
  /* Translators: "valid until 12 Mar 2027, 14:05 · in 3 months" */
  return g_strdup_printf (_("valid until %s · %s"), when, relative);
}

/* Properties ------------------------------------------------------------------------------- */

static GtkWidget *
make_properties_group (TbServicePrincipal *principal)
{
  GtkWidget *group = adw_preferences_group_new ();
  const char *type = tb_service_principal_get_principal_type (principal);
  AdwPreferencesGroup *g = ADW_PREFERENCES_GROUP (group);
  gboolean enabled = tb_service_principal_get_account_enabled (principal);

  adw_preferences_group_set_title (g, _("Properties"));
  adw_preferences_group_add (g, tb_value_row_new (_("Object ID"),
                                                  tb_service_principal_get_id (principal),
                                                  TRUE, TRUE));
  adw_preferences_group_add (g, tb_value_row_new (_("Application ID (appId)"),
                                                  tb_service_principal_get_app_id (principal),
                                                  TRUE, TRUE));
  adw_preferences_group_add (g, tb_value_row_new (_("Enabled"),
                                                  enabled
                                                    ? _("Yes — users and services can sign in to it")
                                                    : _("No — sign-ins to it are blocked"),
                                                  FALSE, FALSE));
  adw_preferences_group_add (g, tb_value_row_new (_("Type"), type ? type : _("Application"),
                                                  FALSE, FALSE));
  return group;
}

/* Service principal names ------------------------------------------------------------------ */

/* detail.remove-spn("<spn>"): each remove button carries its name as the action's target. */
static void
remove_spn_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_REMOVE_SPN], 0, g_variant_get_string (parameter, NULL));
}

static void
update_spn_preview (TbPrincipalDetail *self)
{
  const char *fqdn = gtk_editable_get_text (GTK_EDITABLE (self->spn_entry));
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->spn_preview), "error");
  if (fqdn == NULL || *fqdn == '\0')
    text = g_strdup (_("Enter the pool’s external web services FQDN, e.g. webext.contoso.com"));
  else if (!tb_spn_is_valid_fqdn (fqdn))
    {
      text = g_strdup (_("Not a host name: letters, digits and hyphens in dot-separated labels"));
      gtk_widget_add_css_class (GTK_WIDGET (self->spn_preview), "error");
    }
  else
    /* Translators: the full service principal name that will be added */
    text = g_strdup_printf (_("Adds %s/%s"), tb_service_principal_get_app_id (self->principal),
                            fqdn);
  gtk_label_set_text (self->spn_preview, text);
}

static void
on_spn_apply (AdwEntryRow       *row,
              TbPrincipalDetail *self)
{
  const char *fqdn = gtk_editable_get_text (GTK_EDITABLE (row));

  if (!tb_spn_is_valid_fqdn (fqdn))
    {
      gtk_widget_error_bell (GTK_WIDGET (row));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ADD_SPN], 0, fqdn);
}

static GtkWidget *
make_spn_row (TbPrincipalDetail *self,
              const char        *spn)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), spn);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "tb-monospace-title");
  /* Microsoft's own names are never offered for removal (tb-guards.h). */
  if (tb_spn_is_microsoft_managed (tb_service_principal_get_app_id (self->principal), spn))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Managed by Microsoft"));
  else
    {
      g_autofree char *label = g_strdup_printf (_("Remove %s"), spn);
      GtkWidget *remove = tb_icon_button_new ("list-remove-symbolic", label);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Added for an on-premises pool"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "detail.remove-spn");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", spn);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }
  return row;
}

static GtkWidget *
make_spn_group (TbPrincipalDetail *self)
{
  GtkWidget *group = adw_preferences_group_new ();
  const char * const *names = tb_service_principal_get_names (self->principal);
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *preview = gtk_label_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Service Principal Names"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Skype for Business hybrid needs &lt;appId&gt;/&lt;external web services FQDN&gt; here."));

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), make_spn_row (self, names[i]));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Add FQDN"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  g_signal_connect (entry, "apply", G_CALLBACK (on_spn_apply), self);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_spn_preview), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), entry);

  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_selectable (GTK_LABEL (preview), TRUE);
  gtk_widget_set_margin_top (preview, 6);
  gtk_widget_set_margin_start (preview, 12);
  gtk_widget_add_css_class (preview, "caption");
  gtk_widget_add_css_class (preview, "tb-spn-preview");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), preview);

  self->spn_entry = entry;
  self->spn_preview = GTK_LABEL (preview);
  update_spn_preview (self);
  return group;
}

/* Key credentials: a list bound to the credentials' model ---------------------------------- */

/* detail.remove-credential("<keyId>"), the target of each credential's remove button. */
static void
remove_credential_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_REMOVE_CREDENTIAL], 0,
                 g_variant_get_string (parameter, NULL));
}

/* Always offered: without a certificate selected, the page says where to choose one. */
static void
add_certificate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ADD_CERTIFICATE], 0);
}

static GtkWidget *
status_pill (TbCertificateStatus status)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "tb-status-pill");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  tb_status_label_update (GTK_LABEL (label), status);
  return label;
}

static GtkWidget *
create_credential_row (gpointer item,
                       gpointer user_data)
{
  TbPrincipalDetail *self = user_data;
  TbKeyCredential *credential = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TbCertificateStatus status = tb_key_credential_get_status (credential, now, self->warn_days);
  g_autofree char *title = tb_key_credential_dup_title (credential);
  g_autofree char *dates = tb_principal_detail_format_dates (credential, now);
  const char *thumbprint = tb_key_credential_get_thumbprint (credential);
  const char *key_id = tb_key_credential_get_key_id (credential);
  GtkWidget *row = adw_action_row_new ();
  /* Translators: the button's name says which credential it removes. */
  g_autofree char *remove_label = g_strdup_printf (_("Remove Credential “%s”"), title);
  GtkWidget *remove = tb_icon_button_new ("user-trash-symbolic", remove_label);
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s %s%s%s", dates, _("keyId"), key_id,
                                               thumbprint ? " · SHA-1 " : "",
                                               thumbprint ? thumbprint : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), status_pill (status));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "detail.remove-credential");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", key_id != NULL ? key_id : "");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static GtkWidget *
make_credentials_group (TbPrincipalDetail     *self,
                        const TbProfileTarget *target)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Selected Certificate…"));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *empty = adw_action_row_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Key Credentials"));
  if (target != NULL && target->notice != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (target->notice, -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), escaped);
    }
  gtk_widget_set_tooltip_text (add, _("Add the certificate selected on the Certificates page"));
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "detail.add-certificate");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (empty), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No key credentials"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (empty),
                               _("Drop the pool’s OAuth certificate here, or add the one selected on the Certificates page."));
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), empty);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_bind_model (GTK_LIST_BOX (list), G_LIST_MODEL (self->credentials),
                           create_credential_row, self, NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return group;
}

/* Timeline --------------------------------------------------------------------------------- */

static GtkWidget *
make_timeline_group (TbPrincipalDetail *self,
                     TbCertificate     *highlight)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *timeline = tb_credential_timeline_new ();
  GPtrArray *credentials = tb_service_principal_get_key_credentials (self->principal);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Timeline"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each credential’s validity; the outlined bar is the certificate selected on the Certificates page."));
  tb_credential_timeline_set_warn_days (TB_CREDENTIAL_TIMELINE (timeline), self->warn_days);
  tb_credential_timeline_set_credentials (TB_CREDENTIAL_TIMELINE (timeline), credentials);
  tb_credential_timeline_set_highlight (TB_CREDENTIAL_TIMELINE (timeline), highlight);
  gtk_widget_set_margin_start (timeline, 6);
  gtk_widget_set_margin_end (timeline, 6);
  gtk_frame_set_child (GTK_FRAME (frame), timeline);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  self->timeline = TB_CREDENTIAL_TIMELINE (timeline);
  return group;
}

/* GObject ---------------------------------------------------------------------------------- */

static void
tb_principal_detail_dispose (GObject *object)
{
  TbPrincipalDetail *self = TB_PRINCIPAL_DETAIL (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->timeline = NULL;
  self->spn_entry = NULL;
  self->spn_preview = NULL;

  G_OBJECT_CLASS (tb_principal_detail_parent_class)->dispose (object);
}

static void
tb_principal_detail_finalize (GObject *object)
{
  TbPrincipalDetail *self = TB_PRINCIPAL_DETAIL (object);

  g_clear_object (&self->principal);
  g_clear_object (&self->highlight);
  g_clear_object (&self->credentials);
  g_free (self->time_text);

  G_OBJECT_CLASS (tb_principal_detail_parent_class)->finalize (object);
}

static void
tb_principal_detail_class_init (TbPrincipalDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tb_principal_detail_dispose;
  object_class->finalize = tb_principal_detail_finalize;

  signals[SIGNAL_ADD_SPN] =
    g_signal_new ("add-spn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REMOVE_SPN] =
    g_signal_new ("remove-spn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REMOVE_CREDENTIAL] =
    g_signal_new ("remove-credential", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ADD_CERTIFICATE] =
    g_signal_new ("add-certificate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "detail.remove-spn", "s", remove_spn_action);
  gtk_widget_class_install_action (widget_class, "detail.remove-credential", "s",
                                   remove_credential_action);
  gtk_widget_class_install_action (widget_class, "detail.add-certificate", NULL,
                                   add_certificate_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
tb_principal_detail_init (TbPrincipalDetail *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 18);
  self->credentials = g_list_store_new (TB_TYPE_KEY_CREDENTIAL);
}

/* What the detail shows that changes with the time alone: each credential's status and dates
 * ("in 3 months"), as its rows word them now. */
static char *
dup_time_text (TbServicePrincipal *principal,
               guint               warn_days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GPtrArray *credentials = tb_service_principal_get_key_credentials (principal);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < credentials->len; i++)
    {
      TbKeyCredential *credential = g_ptr_array_index (credentials, i);
      g_autofree char *dates = tb_principal_detail_format_dates (credential, now);

      g_string_append_printf (text, "%d %s\n",
                              (int) tb_key_credential_get_status (credential, now, warn_days),
                              dates);
    }
  return g_string_free (text, FALSE);
}

GtkWidget *
tb_principal_detail_new (TbServicePrincipal    *principal,
                         const TbProfileTarget *target,
                         guint                  warn_days,
                         TbCertificate         *highlight)
{
  TbPrincipalDetail *self;
  GPtrArray *credentials;

  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (principal), NULL);

  self = g_object_new (TB_TYPE_PRINCIPAL_DETAIL, NULL);
  self->principal = g_object_ref (principal);
  self->target = target;
  self->highlight = highlight != NULL ? g_object_ref (highlight) : NULL;
  self->warn_days = warn_days;
  self->time_text = dup_time_text (principal, warn_days);
  credentials = tb_service_principal_get_key_credentials (principal);
  g_list_store_splice (self->credentials, 0, 0, credentials->pdata, credentials->len);

  gtk_widget_set_parent (make_properties_group (principal), GTK_WIDGET (self));
  gtk_widget_set_parent (make_spn_group (self), GTK_WIDGET (self));
  gtk_widget_set_parent (make_credentials_group (self, target), GTK_WIDGET (self));
  gtk_widget_set_parent (make_timeline_group (self, highlight), GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

gboolean
tb_principal_detail_shows (TbPrincipalDetail     *self,
                           TbServicePrincipal    *principal,
                           const TbProfileTarget *target,
                           guint                  warn_days,
                           TbCertificate         *highlight)
{
  g_autofree char *time_text = NULL;

  g_return_val_if_fail (TB_IS_PRINCIPAL_DETAIL (self), FALSE);
  g_return_val_if_fail (TB_IS_SERVICE_PRINCIPAL (principal), FALSE);

  if (target != self->target || warn_days != self->warn_days || highlight != self->highlight)
    return FALSE;
  /* Everything shown of the principal is read from its JSON; a principal read again is a new
   * object with, when nothing changed, equal JSON. */
  if (principal != self->principal &&
      (tb_service_principal_get_keys_complete (principal) !=
         tb_service_principal_get_keys_complete (self->principal) ||
       !json_object_equal (tb_service_principal_get_json (principal),
                           tb_service_principal_get_json (self->principal))))
    return FALSE;
  time_text = dup_time_text (principal, warn_days);
  return g_str_equal (time_text, self->time_text);
}

TbServicePrincipal *
tb_principal_detail_get_principal (TbPrincipalDetail *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_DETAIL (self), NULL);
  return self->principal;
}

GListModel *
tb_principal_detail_get_credentials (TbPrincipalDetail *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_DETAIL (self), NULL);
  return G_LIST_MODEL (self->credentials);
}

TbCredentialTimeline *
tb_principal_detail_get_timeline (TbPrincipalDetail *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_DETAIL (self), NULL);
  return self->timeline;
}

GtkEditable *
tb_principal_detail_get_spn_entry (TbPrincipalDetail *self)
{
  g_return_val_if_fail (TB_IS_PRINCIPAL_DETAIL (self), NULL);
  return GTK_EDITABLE (self->spn_entry);
}
