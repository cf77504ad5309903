/* tb-overview-page.c: the trust at a glance: the trust check, grouped by half, and the one-click
 *
 * The checklist is the trust check (tb-trust-check.h) of the window's workspace: one row per
 * check, under the half it is fixed on, with its status in an icon a screen reader names, its
 * one-line detail and, when not ok, the fix (for an unknown check: what would provide its
 * input). It recomputes whenever the workspace changes (sign-in, tenant snapshot, tenant
 * metadata, pool read, selected certificate, FQDNs) and reads nothing else: no Graph JSON, no
 * other page's widgets. Each row leads to the page that fixes it through win.show-page.
 *
 * The pool half's rows are held back until the page is first allocated: at the window's usual
 * height they are below the fold, and building, measuring and drawing them was a fifth of
 * what the app adds to a bare window's first frame. Rows that would be in view then come at
 * once, one at a time while the last one's bottom is in view, so a tall window shows them in
 * its first frame; rows out of view come right after that frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-overview-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tb-demo.h"
#include "tb-overview-page-private.h"
#include "tb-pool-connection.h"
#include "tb-profile.h"
#include "tb-row-layout.h"
#include "tb-trust-check.h"
#include "tb-ui-util.h"

struct _TbOverviewPage
{
  TbPage               parent_instance;

  TbTrustReport       *report;          /* the last trust check, or NULL */
  GPtrArray           *rows;            /* the rows shown, to remove them on the next update;
                                         * NULL where a row is held back */
  gboolean             pool_rows_held;  /* the pool half's rows wait for the first allocation */
  guint                pool_rows_shown; /* … but for this many of them */
  gboolean             pool_rows_asked; /* … which has decided when they come */

  GtkWidget           *scroller;
  AdwPreferencesGroup *cloud_group;
  AdwPreferencesGroup *onprem_group;
  GtkWidget           *renew_button;
  GtkLabel            *establish_reason;
  GtkLabel            *heading;
  GtkWidget           *demo_button;
};

G_DEFINE_FINAL_TYPE (TbOverviewPage, tb_overview_page, TB_TYPE_PAGE)

static TbCheckStatus
check_status (TbTrustStatus status)
{
  switch (status)
    {
    case TB_TRUST_STATUS_OK:
      return TB_CHECK_OK;
    case TB_TRUST_STATUS_WARNING:
      return TB_CHECK_ATTENTION;
    case TB_TRUST_STATUS_FAILED:
      return TB_CHECK_BROKEN;
    case TB_TRUST_STATUS_UNKNOWN:
    default:
      return TB_CHECK_UNKNOWN;
    }
}

static const char *
status_icon (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return "emblem-ok-symbolic";
    case TB_CHECK_ATTENTION:
      return "dialog-warning-symbolic";
    case TB_CHECK_BROKEN:
      return "dialog-error-symbolic";
    case TB_CHECK_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

static const char *
status_class (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return "success";
    case TB_CHECK_ATTENTION:
      return "warning";
    case TB_CHECK_BROKEN:
      return "error";
    case TB_CHECK_UNKNOWN:
    default:
      return "dim-label";
    }
}

/* The colour is not the only carrier: a screen reader hears the status in words. */
static const char *
status_label (TbCheckStatus status)
{
  switch (status)
    {
    case TB_CHECK_OK:
      return _("In place");
    case TB_CHECK_ATTENTION:
      return _("Needs attention");
    case TB_CHECK_BROKEN:
      return _("Missing or wrong");
    case TB_CHECK_UNKNOWN:
    default:
      return _("Not checked");
    }
}

/* A check's title: what a green row means. */
static char *
check_title (const TbTrustCheck *check)
{
  const char *id = check->id;

  if (g_str_equal (id, TB_TRUST_CHECK_TENANT_REALM))
    return g_strdup (_("Metadata URL names this tenant"));
  if (g_str_equal (id, TB_TRUST_CHECK_OAUTH_SERVER))
    return g_strdup (_("OAuth server microsoft.sts"));
  if (g_str_equal (id, TB_TRUST_CHECK_PARTNER_APPLICATION))
    return g_strdup (_("Partner application microsoft.exchange"));
  if (g_str_equal (id, TB_TRUST_CHECK_OAUTH_SERVICE_NAME))
    return g_strdup (_("OAuth service name"));
  if (g_str_equal (id, TB_TRUST_CHECK_POOL_CERTIFICATE))
    return g_strdup (_("The pool’s OAuth certificate"));
  if (g_str_equal (id, TB_TRUST_CHECK_SFB_CREDENTIAL))
    /* Translators: "Certificate on Skype for Business Online" */
    return g_strdup_printf (_("Certificate on %s"), _("Skype for Business Online"));
  if (g_str_equal (id, TB_TRUST_CHECK_EXCHANGE_CREDENTIAL))
    return g_strdup_printf (_("Certificate on %s"), _("Office 365 Exchange Online"));
  if (g_str_equal (id, TB_TRUST_CHECK_EXCHANGE_ENABLED))
    /* Translators: "Office 365 Exchange Online enabled" */
    return g_strdup_printf (_("%s enabled"), _("Office 365 Exchange Online"));
  if (g_str_equal (id, TB_TRUST_CHECK_SPNS))
    /* Translators: SPNs are service principal names */
    return g_strdup_printf (_("External web services SPNs on %s"),
                            _("Skype for Business Online"));
  if (g_str_equal (id, TB_TRUST_CHECK_NEXT_CERTIFICATE))
    return g_strdup (_("Next OAuth certificate in the cloud"));
  if (g_str_equal (id, TB_TRUST_CHECK_UNEXPLAINED_CREDENTIALS))
    return g_strdup (_("No unexplained credentials"));
  return g_strdup (id);
}

/* The page that fixes a check: the pool's items on the On-premises Pool page, the tenant's
 * metadata on the Tenant page, the principals' credentials and names on Service Principals. */
static const char *
check_page (const TbTrustCheck *check,
            TbWorkspace        *workspace)
{
  if (g_str_equal (check->id, TB_TRUST_CHECK_TENANT_REALM) &&
      check->status == TB_TRUST_STATUS_UNKNOWN && tb_workspace_get_pool_state (workspace) != NULL)
    return "tenant";
  if (g_str_equal (check->id, TB_TRUST_CHECK_POOL_CERTIFICATE) &&
      check->status == TB_TRUST_STATUS_UNKNOWN && tb_workspace_get_pool_state (workspace) == NULL)
    return "pool";
  if (check->half == TB_TRUST_HALF_POOL)
    return "pool";
  return "service-principals";
}

static const char *
page_label (const char *page)
{
  if (g_str_equal (page, "pool"))
    return _("Open On-premises Pool");
  if (g_str_equal (page, "tenant"))
    return _("Open Tenant");
  return _("Open Service Principals");
}

/* A check's row: its status icon first, an arrow to the page that fixes it last. Made once and
 * filled again by fill_row as the checks change. */
#define TB_TYPE_CHECK_ROW (tb_check_row_get_type ())
G_DECLARE_FINAL_TYPE (TbCheckRow, tb_check_row, TB, CHECK_ROW, AdwActionRow)

struct _TbCheckRow
{
  AdwActionRow  parent_instance;

  GtkWidget    *icon;
  GtkWidget    *arrow;
};

G_DEFINE_FINAL_TYPE (TbCheckRow, tb_check_row, ADW_TYPE_ACTION_ROW)

static void
tb_check_row_class_init (TbCheckRowClass *klass)
{
}

static void
tb_check_row_init (TbCheckRow *self)
{
  self->icon = gtk_image_new_from_icon_name (NULL);
  self->arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);
  gtk_widget_add_css_class (GTK_WIDGET (self), "tb-trust-check");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), self->icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  tb_row_layout_fix (ADW_ACTION_ROW (self));
}

static GtkWidget *
make_row (void)
{
  return g_object_new (TB_TYPE_CHECK_ROW, NULL);
}

/* Refilled in place, not made anew: a row whose text is unchanged keeps its measured size,
 * so a change of one check relays out that row only. */
static void
fill_row (TbOverviewPage     *self,
          GtkWidget          *row,
          const TbTrustCheck *check,
          gboolean            repeat_of_above)
{
  TbCheckStatus status = check_status (check->status);
  GtkWidget *icon = TB_CHECK_ROW (row)->icon;
  GtkWidget *arrow = TB_CHECK_ROW (row)->arrow;
  const char *page = check_page (check, tb_page_get_workspace (TB_PAGE (self)));
  const char *classes[] = { status_class (status), NULL };
  GVariant *target;
  g_autofree char *title = check_title (check);
  g_autofree char *subtitle = NULL;

  /* The detail, and what to do about it when the check is not ok; for an unknown check,
   * what would provide its input, said once for the rows of a half that wait for the same. */
  if (check->fix != NULL && check->status == TB_TRUST_STATUS_UNKNOWN && repeat_of_above)
    subtitle = g_strdup (check->detail);
  else if (check->fix != NULL && check->status == TB_TRUST_STATUS_UNKNOWN)
    /* Translators: a check's detail, then on a new line what would let it be checked */
    subtitle = g_strdup_printf (_("%s\nTo check: %s"), check->detail, check->fix);
  else if (check->fix != NULL)
    /* Translators: a check's detail, then on a new line its fix */
    subtitle = g_strdup_printf (_("%s\nFix: %s"), check->detail, check->fix);
  else
    subtitle = g_strdup (check->detail);

  /* Only what changed is set: an unchanged row is not measured again. */
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), subtitle) != 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (icon)), status_icon (status)) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), status_icon (status));
  if (!gtk_widget_has_css_class (icon, classes[0]))
    gtk_widget_set_css_classes (icon, classes);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_label (status), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, page_label (page), -1);
  /* The row leads to the page that fixes it, through the window's action; the target first,
   * so the action is never looked up without one. */
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row));
  if (target == NULL || g_strcmp0 (g_variant_get_string (target, NULL), page) != 0)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", page);
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)) == NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-page");
}

static void
compute (TbOverviewPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  TbTrustCheckOptions options = { 0 };
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  g_clear_pointer (&self->report, tb_trust_report_free);
  if (workspace == NULL || context == NULL)
    return;
  options.acs_base = tb_pool_connection_get_acs_base (context);
  options.now = now;
  options.warn_days = tb_context_get_warn_days (context);
  /* Credentials the admin marked as known on the Audit page are explained here too. */
  options.known_settings = tb_context_get_settings (context);
  self->report = tb_trust_check (workspace, &options, &error);
  if (self->report == NULL)
    g_warning ("The trust check could not run: %s", error->message);
}

/* Nothing configured yet (no tenant, no custom endpoints) and not the demo: a first run,
 * where the demo is worth offering — only build-aux/run passes --demo. */
static gboolean
first_run (TbOverviewPage *self)
{
  TbContext *context = tb_page_get_context (TB_PAGE (self));
  GSettings *settings = context != NULL ? tb_context_get_settings (context) : NULL;
  g_autofree char *tenant = NULL;
  g_autofree char *endpoints = NULL;

  if (context == NULL || tb_context_get_demo (context))
    return FALSE;
  if (settings == NULL)
    return TRUE;
  tenant = g_settings_get_string (settings, "tenant-domain");
  endpoints = g_settings_get_string (settings, "endpoints-file");
  return *tenant == '\0' && *endpoints == '\0';
}

static void update (TbOverviewPage *self);

/* The page's commands are enabled from its state here, in one place: its buttons name them.
 * The demo is offered (shown and enabled) on a first run until a sign-in; Establish Trust
 * waits for a sign-in and the pool's certificate, and says why beside the button. */
static void
update_actions (TbOverviewPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean signed_in = tb_page_get_signed_in (TB_PAGE (self));
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));
  TbCertificate *cert = workspace != NULL ? tb_workspace_get_trust_certificate (workspace) : NULL;
  gboolean offer_demo = first_run (self) && !signed_in;

  gtk_widget_action_set_enabled (widget, "overview.try-demo", offer_demo);
  gtk_widget_set_visible (self->demo_button, offer_demo);
  gtk_widget_action_set_enabled (widget, "overview.establish-trust", signed_in && cert != NULL);
}

static void
try_demo (TbOverviewPage *self)
{
  g_autoptr(GError) error = NULL;
  TbContext *context = tb_page_get_context (TB_PAGE (self));

  if (context == NULL)
    return;
  /* The default demo, unless the app was started with one (--demo-scenario) announced. */
  if (tb_demo_get_for_context (context) == NULL)
    tb_demo_attach (context, NULL, NULL);
  if (!tb_context_start_demo (context, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The demo tenant could not start: %s"),
                                               error->message);

      tb_widget_show_toast (GTK_WIDGET (self), text);
    }
  update (self);
}

/* The pool half is pending when the pool came from a state file and is not right yet: the
 * apply script runs on a Front End, and only the state file it brings back tells. */
static gboolean
pool_half_pending (TbOverviewPage *self)
{
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));

  if (self->report == NULL ||
      tb_workspace_get_pool_source (workspace) != TB_POOL_SOURCE_STATE_FILE)
    return FALSE;
  for (guint i = 0; i < self->report->checks->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (self->report->checks, i);

      if (check->half == TB_TRUST_HALF_POOL && check->status != TB_TRUST_STATUS_OK)
        return TRUE;
    }
  return FALSE;
}

static char *
pool_description (TbOverviewPage *self)
{
  const char *server = tb_workspace_get_pool_server (tb_page_get_workspace (TB_PAGE (self)));

  if (pool_half_pending (self))
    /* Translators: %s is the Front End or state file the pool was read from */
    return g_strdup_printf (_("Pending: read from %s. Run the apply script in the Skype for "
                              "Business Server Management Shell on a Front End, then open the "
                              "state file its read script writes."), server);
  switch (tb_workspace_get_pool_source (tb_page_get_workspace (TB_PAGE (self))))
    {
    case TB_POOL_SOURCE_LIVE:
    case TB_POOL_SOURCE_DEMO:
      /* Translators: %s is the Front End's name */
      return g_strdup_printf (_("Read live from %s"), server);
    case TB_POOL_SOURCE_STATE_FILE:
      /* Translators: %s is the Front End or file the state came from */
      return g_strdup_printf (_("Read from the state file of %s"), server);
    case TB_POOL_SOURCE_NONE:
    default:
      return g_strdup (_("Not read yet: connect to a Front End or open a state file on the "
                         "On-premises Pool page"));
    }
}

static char *
cloud_description (TbOverviewPage *self)
{
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));
  const char *tenant = tb_workspace_get_tenant_id (workspace);
  TbOrganization *org = tb_workspace_get_organization (workspace);

  if (tb_workspace_get_snapshot (workspace) != NULL && org != NULL &&
      tb_organization_get_display_name (org) != NULL)
    /* Translators: "Contoso, tenant 1b2c…" */
    return g_strdup_printf (_("%s, tenant %s"), tb_organization_get_display_name (org),
                            tenant != NULL ? tenant : "—");
  if (tenant != NULL)
    /* Translators: %s is the tenant ID */
    return g_strdup_printf (_("Tenant %s; sign in to read its service principals"), tenant);
  return g_strdup (_("Sign in to read the tenant’s service principals"));
}

/* Takes the rows from @from on out of their groups and forgets them. */
static void
remove_rows_from (TbOverviewPage *self,
                  guint           from)
{
  for (guint i = from; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = row != NULL ? gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)
                                     : NULL;

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  if (self->rows->len > from)
    g_ptr_array_set_size (self->rows, from);
}

/* Whether check @i is unknown for the same reason (the same fix) as an unknown check above it
 * in its half: its row then does not repeat the fix. */
static gboolean
repeats_above (TbOverviewPage *self,
               guint           i)
{
  const TbTrustCheck *check = g_ptr_array_index (self->report->checks, i);

  if (check->status != TB_TRUST_STATUS_UNKNOWN)
    return FALSE;
  for (guint j = 0; j < i; j++)
    {
      const TbTrustCheck *above = g_ptr_array_index (self->report->checks, j);

      if (above->half == check->half && above->status == TB_TRUST_STATUS_UNKNOWN &&
          g_strcmp0 (above->fix, check->fix) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
update (TbOverviewPage *self)
{
  gboolean signed_in = tb_page_get_signed_in (TB_PAGE (self));
  TbWorkspace *workspace = tb_page_get_workspace (TB_PAGE (self));
  TbCertificate *cert = workspace != NULL ? tb_workspace_get_trust_certificate (workspace) : NULL;
  gboolean all_ok;
  const char *reason = NULL;

  guint n_checks;
  guint n_pool = 0;

  compute (self);
  n_checks = self->report != NULL ? self->report->checks->len : 0;

  /* Rows beyond the checks there are now go; the others are refilled where they are. */
  remove_rows_from (self, n_checks);

  for (guint i = 0; i < n_checks; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (self->report->checks, i);
      AdwPreferencesGroup *half = check->half == TB_TRUST_HALF_POOL ? self->onprem_group
                                                                    : self->cloud_group;
      GtkWidget *row = i < self->rows->len ? g_ptr_array_index (self->rows, i) : NULL;

      if (row != NULL &&
          gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP) != GTK_WIDGET (half))
        {
          /* A check that moved to the other half: the rows after it follow, in order. */
          remove_rows_from (self, i);
          row = NULL;
        }
      if (row == NULL && check->half == TB_TRUST_HALF_POOL && self->pool_rows_held &&
          n_pool >= self->pool_rows_shown)
        {
          /* Its place is kept; let_go_of_pool_rows fills it. */
          if (i == self->rows->len)
            g_ptr_array_add (self->rows, NULL);
          continue;
        }
      if (row == NULL)
        {
          row = make_row ();
          /* Held rows of a half all come at once, in order: each goes last in its group. */
          adw_preferences_group_add (half, row);
          if (i == self->rows->len)
            g_ptr_array_add (self->rows, row);
          else
            g_ptr_array_index (self->rows, i) = row;
        }
      fill_row (self, row, check, repeats_above (self, i));
      if (check->half == TB_TRUST_HALF_POOL)
        n_pool++;
    }
  if (workspace != NULL)
    {
      g_autofree char *pool = pool_description (self);
      g_autofree char *cloud = cloud_description (self);

      adw_preferences_group_set_description (self->onprem_group, pool);
      adw_preferences_group_set_description (self->cloud_group, cloud);
    }

  /* The button says why it cannot run yet, rather than opening a dialog of disabled buttons;
   * once every check is ok the page says the trust is there. */
  all_ok = self->report != NULL &&
           tb_trust_report_count (self->report, TB_TRUST_STATUS_OK) == self->report->checks->len;
  if (all_ok)
    reason = _("Every check of both halves is ok.");
  else if (!signed_in)
    reason = _("Sign in to Microsoft 365 first: Establish Trust reads the tenant to plan.");
  else if (cert == NULL)
    reason = _("Open the pool’s OAuth certificate first: read the pool, or open the .cer "
               "file on the Certificates page.");
  else if (pool_half_pending (self))
    reason = _("The pool half is pending until the state file comes back from the Front End.");
  update_actions (self);
  gtk_label_set_text (self->establish_reason, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->establish_reason), reason != NULL);
  gtk_label_set_text (self->heading, all_ok ? _("The Trust Is Established")
                                            : _("Establish the Trust"));
}

/* Whether a held row's place is still empty. */
static gboolean
rows_held (TbOverviewPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (g_ptr_array_index (self->rows, i) == NULL)
      return TRUE;
  return FALSE;
}

/* @n more of the pool half's held rows come, in order; G_MAXUINT: all of them. */
static void
let_go_of_pool_rows (TbOverviewPage *self,
                     guint           n)
{
  if (!self->pool_rows_held)
    return;
  self->pool_rows_shown = n > G_MAXUINT - self->pool_rows_shown ? G_MAXUINT
                                                                 : self->pool_rows_shown + n;
  update (self);
  if (!rows_held (self))
    self->pool_rows_held = FALSE;
}

static gboolean
let_go_of_pool_rows_idle (gpointer user_data)
{
  let_go_of_pool_rows (TB_OVERVIEW_PAGE (user_data), G_MAXUINT);
  return G_SOURCE_REMOVE;
}

/* The page is its scroller; it holds nothing else. */
static void
tb_overview_page_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (TB_OVERVIEW_PAGE (widget)->scroller, orientation, for_size, minimum,
                      natural, minimum_baseline, natural_baseline);
}

/* At its first allocation, before anything of it is drawn, the page knows whether the pool
 * group's next row would be in view: it would start where the group now ends. While it would,
 * it is let go of and the page laid out again with it, within the same allocation. The rows
 * still held come after the frame being laid out (the frame clock paints at a higher priority
 * than the idle). */
static void
tb_overview_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  TbOverviewPage *self = TB_OVERVIEW_PAGE (widget);
  graphene_rect_t bounds;

  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
  if (!self->pool_rows_held || self->pool_rows_asked)
    return;
  self->pool_rows_asked = TRUE;
  while (self->pool_rows_held &&
         gtk_widget_compute_bounds (GTK_WIDGET (self->onprem_group), self->scroller, &bounds) &&
         bounds.origin.y + bounds.size.height < height)
    {
      let_go_of_pool_rows (self, 1);
      gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
    }
  if (self->pool_rows_held)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, let_go_of_pool_rows_idle, g_object_ref (self),
                     g_object_unref);
}

static void
tb_overview_page_changed (TbPage *page)
{
  update (TB_OVERVIEW_PAGE (page));
}

static void
tb_overview_page_dispose (GObject *object)
{
  TbOverviewPage *self = TB_OVERVIEW_PAGE (object);

  g_ptr_array_set_size (self->rows, 0);
  /* A let-go still queued finds nothing to fill. */
  self->pool_rows_held = FALSE;
  gtk_widget_dispose_template (GTK_WIDGET (self), TB_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (tb_overview_page_parent_class)->dispose (object);
}

static void
tb_overview_page_finalize (GObject *object)
{
  TbOverviewPage *self = TB_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->report, tb_trust_report_free);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (tb_overview_page_parent_class)->finalize (object);
}

static void
activate_command (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  if (g_str_equal (action_name, "overview.try-demo"))
    try_demo (TB_OVERVIEW_PAGE (widget));
  else if (g_str_equal (action_name, "overview.establish-trust"))
    /* The window's command, which any page (and its shortcut) can run; this button offers it
     * only once it can do something. */
    gtk_widget_activate_action (widget, "win.establish-trust", NULL);
}

static void
tb_overview_page_class_init (TbOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TbPageClass *page_class = TB_PAGE_CLASS (klass);

  object_class->dispose = tb_overview_page_dispose;
  object_class->finalize = tb_overview_page_finalize;
  widget_class->measure = tb_overview_page_measure;
  widget_class->size_allocate = tb_overview_page_size_allocate;
  page_class->auth_changed = tb_overview_page_changed;
  page_class->workspace_changed = tb_overview_page_changed;

  tb_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/tb-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, cloud_group);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, onprem_group);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, renew_button);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, establish_reason);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, heading);
  gtk_widget_class_bind_template_child (widget_class, TbOverviewPage, demo_button);

  /* The page's commands: its buttons name these, and update_actions enables them. */
  gtk_widget_class_install_action (widget_class, "overview.try-demo", NULL, activate_command);
  gtk_widget_class_install_action (widget_class, "overview.establish-trust", NULL,
                                   activate_command);
}

static void
tb_overview_page_init (TbOverviewPage *self)
{
  GSignalGroup *context_signals = tb_page_get_context_signals (TB_PAGE (self));

  self->rows = g_ptr_array_new ();
  self->pool_rows_held = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_group_connect_object (context_signals, "notify::warn-days", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (context_signals, "notify::demo", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (tb_page_get_auth_signals (TB_PAGE (self)), "notify::signed-in",
                                 G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  /* Every property of the workspace is an input of the trust check. */
  g_signal_group_connect_object (tb_page_get_workspace_signals (TB_PAGE (self)), "notify",
                                 G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
tb_overview_page_new (void)
{
  return g_object_new (TB_TYPE_OVERVIEW_PAGE, NULL);
}

void
tb_overview_page_set_workspace (TbOverviewPage *self,
                                TbContext      *context,
                                TbWorkspace    *workspace)
{
  g_return_if_fail (TB_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (!context || TB_IS_CONTEXT (context));
  g_return_if_fail (!workspace || TB_IS_WORKSPACE (workspace));

  tb_page_set_workspace (TB_PAGE (self), workspace);
  tb_page_set_context (TB_PAGE (self), context);
}

void
tb_overview_page_set_renewal (TbOverviewPage    *self,
                              TbOverviewRenewal  renewal)
{
  GtkButton *button = GTK_BUTTON (self->renew_button);

  g_return_if_fail (TB_IS_OVERVIEW_PAGE (self));

  /* The button says which part of the renewal is next, not always "expires soon". */
  switch (renewal)
    {
    case TB_OVERVIEW_RENEWAL_EXPIRING:
      gtk_button_set_label (button, _("_Renew the Pool’s OAuth Certificate…"));
      gtk_widget_set_tooltip_text (self->renew_button,
                                   _("The pool’s OAuth certificate expires soon: upload the next "
                                     "one to Microsoft 365 before the pool switches to it"));
      break;
    case TB_OVERVIEW_RENEWAL_UNDER_WAY:
      gtk_button_set_label (button, _("_Continue the Renewal…"));
      gtk_widget_set_tooltip_text (self->renew_button,
                                   _("A next OAuth certificate is staged on the pool: Microsoft "
                                     "365 must hold it before its effective date"));
      break;
    case TB_OVERVIEW_RENEWAL_TO_FINISH:
      gtk_button_set_label (button, _("_Finish the Renewal…"));
      gtk_widget_set_tooltip_text (self->renew_button,
                                   _("The pool uses its new OAuth certificate: the earlier one can "
                                     "be removed from Microsoft 365 and the pool"));
      break;
    case TB_OVERVIEW_RENEWAL_NONE:
    default:
      break;
    }
  gtk_widget_set_visible (self->renew_button, renewal != TB_OVERVIEW_RENEWAL_NONE);
}

TbCheckStatus
tb_overview_page_get_check (TbOverviewPage  *self,
                            const char      *id,
                            const char     **detail)
{
  const TbTrustCheck *check;

  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), TB_CHECK_UNKNOWN);
  g_return_val_if_fail (id != NULL, TB_CHECK_UNKNOWN);

  if (detail != NULL)
    *detail = NULL;
  check = self->report != NULL ? tb_trust_report_find (self->report, id) : NULL;
  if (check == NULL)
    return TB_CHECK_UNKNOWN;
  if (detail != NULL)
    *detail = check->detail;
  return check_status (check->status);
}

const char *
tb_overview_page_get_fix (TbOverviewPage *self,
                          const char     *id)
{
  const TbTrustCheck *check;

  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), NULL);
  check = self->report != NULL ? tb_trust_report_find (self->report, id) : NULL;
  return check != NULL ? check->fix : NULL;
}

GtkWidget *
tb_overview_page_get_row (TbOverviewPage *self,
                          const char     *id)
{
  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), NULL);

  /* The rows stand in the report's order, one a check. */
  for (guint i = 0; self->report != NULL && i < self->rows->len; i++)
    {
      const TbTrustCheck *check = g_ptr_array_index (self->report->checks, i);

      if (g_strcmp0 (check->id, id) == 0)
        return g_ptr_array_index (self->rows, i);
    }
  return NULL;
}

gboolean
tb_overview_page_get_established (TbOverviewPage *self)
{
  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), FALSE);
  return self->report != NULL &&
         tb_trust_report_count (self->report, TB_TRUST_STATUS_OK) == self->report->checks->len;
}

gboolean
tb_overview_page_get_pool_pending (TbOverviewPage *self)
{
  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), FALSE);
  return pool_half_pending (self);
}

GStrv
tb_overview_page_dup_check_ids (TbOverviewPage *self)
{
  GStrv ids;
  guint n;

  g_return_val_if_fail (TB_IS_OVERVIEW_PAGE (self), NULL);

  n = self->report != NULL ? self->report->checks->len : 0;
  ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup (((const TbTrustCheck *) g_ptr_array_index (self->report->checks, i))->id);
  return ids;
}
