/* tb-window-actions.c: how the window's pages work together on the Microsoft 365 side
 *
 * The Overview reads the window's workspace (tb-window-workspace.c); the FQDNs typed into
 * Establish Trust go there for the SPN check, and a finished Establish Trust re-reads the
 * tenant so every page shows what it now holds. "Add to Service Principals…" hands the
 * workspace's certificate to the Service Principals page's add flow (preview dialog, write
 * access, write, refresh). The window's actions are enabled from state in one place
 * (_tb_window_actions_update); win.show-page("name") is the one way to change pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "tb-establish-trust-dialog.h"
#include "tb-profile.h"
#include "tb-ui-util.h"
#include "tb-pool-page.h"
#include "tb-renewal-dialog.h"
#include "tb-window-private.h"

/* The principal the certificate goes to: the one selected, if the profile gives it the
 * certificate; else the first target that receives it and exists in the tenant. */
static const char *
pick_target (TbWindow *self)
{
  TbProfile *profile = tb_context_get_profile (self->context);
  TbPrincipalsPage *principals = _tb_window_ensure_principals_page (self);
  const char *selected = tb_principals_page_get_selected (principals);
  const TbProfileTarget *target = selected ? tb_profile_find_target (profile, selected) : NULL;

  if (target != NULL && target->receives_certificate &&
      tb_workspace_get_principal (self->workspace, selected) != NULL)
    return selected;

  for (guint i = 0; i < tb_profile_get_n_targets (profile); i++)
    {
      target = tb_profile_get_target (profile, i);
      if (target->receives_certificate &&
          tb_workspace_get_principal (self->workspace, target->app_id) != NULL)
        return target->app_id;
    }
  return NULL;
}

static void
add_certificate_to_principals_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);
  TbCertificate *certificate = tb_workspace_get_certificate (self->workspace);
  TbPrincipalsPage *principals;
  const char *app_id;

  if (self->context == NULL || certificate == NULL)
    return;

  tb_window_show_page (self, "service-principals");
  if (!tb_auth_get_signed_in (tb_context_get_auth (self->context)))
    {
      tb_widget_show_toast (widget, _("Sign in first: the certificate goes to the tenant you sign in to"));
      return;
    }
  if (tb_workspace_get_snapshot (self->workspace) == NULL)
    {
      tb_widget_show_toast (widget, _("The tenant is still being read; try again in a moment"));
      return;
    }
  app_id = pick_target (self);
  if (app_id == NULL)
    {
      tb_widget_show_toast (widget, _("None of the profile’s service principals is in this tenant"));
      return;
    }
  principals = _tb_window_ensure_principals_page (self);
  tb_principals_page_select (principals, app_id);
  tb_principals_page_add_certificate (principals, certificate);
}

/* The renewal assistant, on the pool state the pool page shows (live or from a file). */
static void
renew_certificate_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TbWindow *self = TB_WINDOW (widget);
  TbPoolPage *pool_page = _tb_window_ensure_pool_page (self);
  TbPoolState *state = tb_workspace_get_pool_state (self->workspace);
  GtkWidget *dialog;

  if (state == NULL || tb_pool_state_get_oauth_certificates (state) == NULL)
    {
      tb_widget_show_toast (widget, _("Read the pool first, with this version’s read script or "
                                      "live: the renewal needs its OAuth certificates"));
      return;
    }
  dialog = tb_renewal_dialog_new (GTK_WINDOW (self), self->context, state,
                                  tb_pool_page_get_client (pool_page));
  gtk_window_present (GTK_WINDOW (dialog));
  tb_renewal_dialog_refresh (TB_RENEWAL_DIALOG (dialog));
}

/* win.show-page("pool"): how a page leads to another (a checklist row to the page that fixes
 * it) without reaching into the window. */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  tb_window_show_page (TB_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Every window action's enabled state, in one place. An action that can explain why it
 * cannot run yet stays enabled and says so: the renewal before the pool was read, and adding
 * a certificate before signing in (the Certificates page's button shows that state itself;
 * an action's enabled state would override the button's sensitivity). */
void
_tb_window_actions_update (TbWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_context = self->context != NULL;

  gtk_widget_action_set_enabled (widget, "win.sign-in", has_context);
  gtk_widget_action_set_enabled (widget, "win.sign-in-browser", has_context);
  gtk_widget_action_set_enabled (widget, "win.sign-out", has_context);
  gtk_widget_action_set_enabled (widget, "win.establish-trust", has_context);
  gtk_widget_action_set_enabled (widget, "win.renew-certificate", has_context);
}

void
_tb_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-certificate-to-principals", NULL,
                                   add_certificate_to_principals_action);
  gtk_widget_class_install_action (widget_class, "win.renew-certificate", NULL,
                                   renew_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
}

/* The Overview offers the renewal when the pool's certificate is within the warning threshold
 * or a renewal is under way (a certificate staged, or a previous one left). */
static void
on_pool_state (TbWindow *self)
{
  TbPoolState *state = tb_workspace_get_pool_state (self->workspace);
  const TbPoolCertificate *current = NULL;
  TbOverviewRenewal renewal = TB_OVERVIEW_RENEWAL_NONE;

  if (state != NULL)
    current = tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_CURRENT);
  if (current != NULL && current->certificate != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) horizon = g_date_time_add_days (
        now, tb_context_get_warn_days (self->context));

      if (tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_STAGED) != NULL)
        renewal = TB_OVERVIEW_RENEWAL_UNDER_WAY;
      else if (g_date_time_compare (tb_certificate_get_not_after (current->certificate),
                                    horizon) <= 0)
        renewal = TB_OVERVIEW_RENEWAL_EXPIRING;
      else if (tb_pool_state_find_oauth_certificate (state, TB_POOL_CERT_ROLE_PREVIOUS) != NULL)
        renewal = TB_OVERVIEW_RENEWAL_TO_FINISH;
    }
  tb_overview_page_set_renewal (self->overview_page, renewal);
}

void
_tb_window_init_overview (TbWindow *self)
{
  /* The Overview reads the window's workspace only (tb-window-workspace.c). */
  tb_overview_page_set_workspace (self->overview_page, self->context, self->workspace);
  g_signal_connect_object (self->workspace, "notify::pool-state", G_CALLBACK (on_pool_state),
                           self, G_CONNECT_SWAPPED);
  on_pool_state (self);
  _tb_window_actions_update (self);
}

static void
on_trust_state (TbWindow               *self,
                GParamSpec             *pspec,
                TbEstablishTrustDialog *dialog)
{
  TbEstablishTrustState state = tb_establish_trust_dialog_get_state (dialog);

  /* The FQDNs a plan was made for are the pool's: the trust check looks for their SPNs when
   * the pool state does not name them. */
  if ((state == TB_ESTABLISH_TRUST_STATE_PLAN || state == TB_ESTABLISH_TRUST_STATE_DONE) &&
      self->workspace != NULL)
    {
      g_auto(GStrv) fqdns = tb_establish_trust_dialog_dup_fqdns (dialog);

      tb_workspace_set_external_fqdns (self->workspace, (const char * const *) fqdns);
    }
  if (state == TB_ESTABLISH_TRUST_STATE_DONE)
    {
      TbPoolState *pool = tb_establish_trust_dialog_get_applied_pool_state (dialog);

      /* Both halves read again: the principals, and the pool as its apply read it back. */
      tb_principals_page_refresh (_tb_window_ensure_principals_page (self));
      if (pool != NULL && self->pool_page != NULL)
        tb_pool_page_show_applied_state (self->pool_page, pool);
    }
}

void
_tb_window_watch_establish_trust (TbWindow  *self,
                                  GtkWidget *dialog)
{
  g_auto(GStrv) fqdns = tb_workspace_dup_trust_fqdns (self->workspace);
  const char *current = tb_establish_trust_dialog_get_fqdns (TB_ESTABLISH_TRUST_DIALOG (dialog));

  /* What the pool page read from the Front End comes first; else the last plan's. */
  if (fqdns != NULL && (current == NULL || current[0] == '\0'))
    {
      g_autofree char *text = g_strjoinv (" ", (char **) fqdns);

      tb_establish_trust_dialog_set_fqdns (TB_ESTABLISH_TRUST_DIALOG (dialog), text);
    }
  g_signal_connect_object (dialog, "notify::state", G_CALLBACK (on_trust_state), self,
                           G_CONNECT_SWAPPED);
}
