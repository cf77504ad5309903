/* tb-window-workspace.c: the window's trust model, fed by what the pages read
 *
 * One workspace per window (tb_context_new_workspace). What the pages read goes into it as it
 * arrives: the Service Principals page's snapshot (one $batch per sign-in, shared rather than
 * repeated), the certificate selected on the Certificates page, the pool state the
 * On-premises Pool page read (live or from a state file), the FQDNs typed into Establish
 * Trust. The tenant's ACS metadata is read here whenever the tenant of record changes, as
 * `trust check` reads it. The Overview and Establish Trust read the workspace only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tb-window-private.h"

static void
unref_principal (gpointer principal)
{
  if (principal != NULL)
    g_object_unref (principal);
}

/* The pages free their snapshot when they read again; the workspace keeps its own. */
static TbGraphSnapshot *
copy_snapshot (const TbGraphSnapshot *snapshot)
{
  TbGraphSnapshot *copy = g_new0 (TbGraphSnapshot, 1);
  GHashTableIter iter;
  gpointer key, value;

  copy->organization = snapshot->organization != NULL
                         ? json_object_ref (snapshot->organization) : NULL;
  copy->principals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_principal);
  if (snapshot->principals != NULL)
    {
      g_hash_table_iter_init (&iter, snapshot->principals);
      /* A principal read and not in the tenant is held as NULL. */
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy->principals, g_strdup (key),
                             value != NULL ? g_object_ref (value) : NULL);
    }
  return copy;
}

static void
on_principals_changed (TbWindow *self)
{
  const TbGraphSnapshot *snapshot = tb_principals_pane_get_snapshot (self->principals_pane);

  tb_workspace_take_snapshot (self->workspace,
                              snapshot != NULL ? copy_snapshot (snapshot) : NULL);
}

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
  if (self->context == NULL)
    return;
  self->workspace = tb_context_new_workspace (self->context);
  g_signal_connect_object (self->principals_pane, "changed",
                           G_CALLBACK (on_principals_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::tenant-id", G_CALLBACK (on_tenant_id),
                           self, G_CONNECT_SWAPPED);
  on_principals_changed (self);
  on_tenant_id (self);
}

static void
on_selected_certificate (TbWindow *self)
{
  tb_workspace_set_certificate (self->workspace,
                                tb_certificates_pane_get_selected (self->certificates_pane));
}

void
_tb_window_workspace_watch_certificates (TbWindow *self)
{
  if (self->workspace == NULL)
    return;
  g_signal_connect_object (self->certificates_pane, "notify::selected",
                           G_CALLBACK (on_selected_certificate), self, G_CONNECT_SWAPPED);
  on_selected_certificate (self);
}

static void
on_pool_state (TbWindow *self)
{
  TbPoolState *state = tb_pool_pane_get_pool_state (self->pool_pane);
  TbPoolSource source = TB_POOL_SOURCE_NONE;
  const char *server = NULL;

  if (state != NULL)
    {
      /* Read over WinRM, or carried back as a file from the Front End. */
      if (tb_pool_pane_get_client (self->pool_pane) == NULL)
        source = TB_POOL_SOURCE_STATE_FILE;
      else if (tb_context_get_demo (self->context))
        source = TB_POOL_SOURCE_DEMO;
      else
        source = TB_POOL_SOURCE_LIVE;
      server = tb_pool_state_get_server_fqdn (state);
    }
  tb_workspace_set_pool_state (self->workspace, state, source, server != NULL ? server : "—");
}

void
_tb_window_workspace_watch_pool (TbWindow *self)
{
  if (self->workspace == NULL)
    return;
  g_signal_connect_object (self->pool_pane, "notify::pool-state",
                           G_CALLBACK (on_pool_state), self, G_CONNECT_SWAPPED);
  on_pool_state (self);
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
