/* tb-window-workspace.c: the window's trust model, which every page is given
 *
 * One workspace per window (tb_context_new_workspace), handed to each page as it is built
 * (tb_page_set_workspace). The pages write what they read into it themselves: the Service
 * Principals page its snapshot (one $batch per sign-in, shared rather than repeated), the
 * Certificates page the certificate selected, the On-premises Pool page the pool state and
 * where it came from; the window adds the FQDNs typed into Establish Trust. What is
 * window-level stays here: the tenant's ACS metadata is read whenever the tenant of record
 * changes, as `trust check` reads it. The Overview and Establish Trust read the workspace only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-workspace"

#include "config.h"

#include "tb-window-private.h"

static void
on_metadata_checked (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TbWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  TbTenant *tenant = TB_TENANT (source);

  /* Read or not, the tenant is set: the realm check says what is missing. Cancelled: the
   * window may be gone (its dispose cancels). */
  if (!tb_tenant_check_metadata_finish (tenant, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->workspace != NULL &&
      g_strcmp0 (tb_tenant_get_id (tenant), tb_workspace_get_tenant_id (self->workspace)) == 0)
    tb_workspace_set_tenant (self->workspace, tenant);
}

static void
on_tenant_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TbWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbTenant) tenant = tb_tenant_resolve_finish (result, &error);

  /* Cancelled: the window may be gone (its dispose cancels). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tenant == NULL)
    {
      g_debug ("The tenant of record could not be resolved: %s", error->message);
      return;
    }
  tb_tenant_check_metadata_async (tenant, tb_context_get_session (self->context),
                                  self->tenant_cancellable, on_metadata_checked, self);
}

/* The ACS metadata of the tenant of record, for the realm check. */
static void
on_tenant_id (TbWindow *self)
{
  const char *tenant_id = tb_workspace_get_tenant_id (self->workspace);
  TbTenant *tenant = tb_workspace_get_tenant (self->workspace);

  if (tenant_id == NULL || self->context == NULL ||
      (tenant != NULL && g_strcmp0 (tb_tenant_get_id (tenant), tenant_id) == 0))
    return;
  g_cancellable_cancel (self->tenant_cancellable);
  g_clear_object (&self->tenant_cancellable);
  self->tenant_cancellable = g_cancellable_new ();
  tb_tenant_resolve_async (tb_context_get_cloud (self->context),
                           tb_context_get_session (self->context), tenant_id,
                           self->tenant_cancellable, on_tenant_resolved, self);
}

void
_tb_window_init_workspace (TbWindow *self)
{
  /* A window without a context (tests) still has one model its pages share. */
  self->workspace = self->context != NULL ? tb_context_new_workspace (self->context)
                                          : tb_workspace_new ();
  g_signal_connect_object (self->workspace, "notify::tenant-id", G_CALLBACK (on_tenant_id),
                           self, G_CONNECT_SWAPPED);
  on_tenant_id (self);
}

void
_tb_window_dispose_workspace (TbWindow *self)
{
  g_cancellable_cancel (self->tenant_cancellable);
  g_clear_object (&self->tenant_cancellable);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
}

TbWorkspace *
tb_window_get_workspace (TbWindow *self)
{
  g_return_val_if_fail (TB_IS_WINDOW (self), NULL);
  return self->workspace;
}
