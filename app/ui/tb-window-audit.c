/* tb-window-audit.c: the Audit page's links to the rest of the window
 *
 * "This pool" is the workspace's (the certificate chosen, the pool state read), which the
 * page reads itself; a finding opens its principal on the Service Principals page, and an
 * expired credential is removed there through that page's safe removal (preview, keep
 * everything else, read back).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-audit"

#include "config.h"

#include "tb-ui-util.h"
#include "tb-window-private.h"

static void
on_open_principal (TbWindow   *self,
                   const char *app_id)
{
  tb_principals_page_select (_tb_window_ensure_principals_page (self), app_id);
  tb_window_show_page (self, "service-principals");
}

static void
on_remove_credential (TbWindow   *self,
                      const char *app_id,
                      const char *key_id)
{
  on_open_principal (self, app_id);
  tb_principals_page_remove_credential (_tb_window_ensure_principals_page (self), key_id);
}

TbAuditPage *
_tb_window_ensure_audit_page (TbWindow *self)
{
  GtkWidget *page;

  if (self->audit_page != NULL)
    return self->audit_page;

  page = g_object_new (TB_TYPE_AUDIT_PAGE, "workspace", self->workspace, NULL);
  tb_audit_page_set_context (TB_AUDIT_PAGE (page), self->context);
  self->audit_page = TB_AUDIT_PAGE (page);
  adw_bin_set_child (self->audit_slot, page);
  /* Controls a page hides until needed are named now, as the window's own were. */
  tb_accessibility_tidy_tree (page);
  g_signal_connect_object (self->audit_page, "open-principal", G_CALLBACK (on_open_principal),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->audit_page, "remove-credential",
                           G_CALLBACK (on_remove_credential), self, G_CONNECT_SWAPPED);
  return self->audit_page;
}

TbAuditPage *
tb_window_get_audit_page (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  return _tb_window_ensure_audit_page (self);
}
