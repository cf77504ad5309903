/* tb-window-audit.c: the Audit page's links to the rest of the window
 *
 * "This pool" is the workspace's (the certificate chosen, the pool state read), which the
 * page reads itself; a finding opens its principal on the Service Principals page, and an
 * expired credential is removed there through that page's safe removal (preview, keep
 * everything else, read back).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-ui-util.h"
#include "tb-window-private.h"

static void
on_open_principal (TbWindow   *self,
                   const char *app_id)
{
  tb_principals_pane_select (_tb_window_ensure_principals_pane (self), app_id);
  tb_window_show_page (self, "service-principals");
}

static void
on_remove_credential (TbWindow   *self,
                      const char *app_id,
                      const char *key_id)
{
  on_open_principal (self, app_id);
  tb_principals_pane_remove_credential (_tb_window_ensure_principals_pane (self), key_id);
}

TbAuditPane *
_tb_window_ensure_audit_pane (TbWindow *self)
{
  GtkWidget *pane;

  if (self->audit_pane != NULL)
    return self->audit_pane;

  pane = g_object_new (TB_TYPE_AUDIT_PANE, "workspace", self->workspace, NULL);
  tb_audit_pane_set_context (TB_AUDIT_PANE (pane), self->context);
  self->audit_pane = TB_AUDIT_PANE (pane);
  adw_bin_set_child (self->audit_slot, pane);
  /* Controls a page hides until needed are named now, as the window's own were. */
  tb_accessibility_tidy_tree (pane);
  g_signal_connect_object (self->audit_pane, "open-principal", G_CALLBACK (on_open_principal),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->audit_pane, "remove-credential",
                           G_CALLBACK (on_remove_credential), self, G_CONNECT_SWAPPED);
  return self->audit_pane;
}

TbAuditPane *
tb_window_get_audit_pane (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  return _tb_window_ensure_audit_pane (self);
}
