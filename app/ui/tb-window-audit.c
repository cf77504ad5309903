/* tb-window-audit.c: the Audit page's links to the rest of the window
 *
 * "This pool" comes from the certificate selected on the Certificates page and the pool state
 * read on the On-premises Pool page; a finding opens its principal on the Service Principals
 * page, and an expired credential is removed there through that page's safe removal (preview,
 * keep everything else, read back).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-ui-util.h"
#include "tb-window-private.h"

static TbCertificate *
selected_certificate (gpointer user_data)
{
  TbWindow *self = user_data;

  /* The Certificates page is built on first use too: before that, nothing is selected. */
  return self->certificates_pane != NULL
           ? tb_certificates_pane_get_selected (self->certificates_pane) : NULL;
}

static TbPoolState *
pool_state (gpointer user_data)
{
  TbWindow *self = user_data;

  /* The pool page is built on first use: before that, no pool has been read. */
  return self->pool_pane != NULL ? tb_pool_pane_get_pool_state (self->pool_pane) : NULL;
}

/* The Service Principals page shows the profile's principals. */
static gboolean
can_open (const char *app_id,
          gpointer    user_data)
{
  TbWindow *self = user_data;

  return self->context != NULL &&
         tb_profile_find_target (tb_context_get_profile (self->context), app_id) != NULL;
}

static void
on_open_principal (TbWindow   *self,
                   const char *app_id)
{
  tb_principals_pane_select (self->principals_pane, app_id);
  tb_window_show_page (self, "service-principals");
}

static void
on_remove_credential (TbWindow   *self,
                      const char *app_id,
                      const char *key_id)
{
  on_open_principal (self, app_id);
  tb_principals_pane_remove_credential (self->principals_pane, key_id);
}

static void
on_auth_changed (TbWindow *self)
{
  if (self->audit_pane != NULL)
    tb_audit_pane_set_context (self->audit_pane, self->context);
}

TbAuditPane *
_tb_window_ensure_audit_pane (TbWindow *self)
{
  GtkWidget *pane;

  if (self->audit_pane != NULL)
    return self->audit_pane;

  pane = tb_audit_pane_new (self->context);
  self->audit_pane = TB_AUDIT_PANE (pane);
  adw_bin_set_child (self->audit_slot, pane);
  /* Controls a page hides until needed are named now, as the window's own were. */
  tb_accessibility_tidy_tree (pane);
  tb_audit_pane_set_pool_sources (self->audit_pane, selected_certificate, pool_state, self);
  tb_audit_pane_set_can_open (self->audit_pane, can_open, self);
  g_signal_connect_object (self->audit_pane, "open-principal", G_CALLBACK (on_open_principal),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->audit_pane, "remove-credential",
                           G_CALLBACK (on_remove_credential), self, G_CONNECT_SWAPPED);
  if (self->context != NULL)
    g_signal_connect_object (self->context, "notify::auth", G_CALLBACK (on_auth_changed), self,
                             G_CONNECT_SWAPPED);
  return self->audit_pane;
}

TbAuditPane *
tb_window_get_audit_pane (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  return _tb_window_ensure_audit_pane (self);
}
