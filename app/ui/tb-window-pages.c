/* tb-window-pages.c: pages the first frame does not show are built later
 *
 * Only the page shown is built before the first frame (the Overview, unless --page names
 * another). Every other page is built the first time it is needed (shown, asked for, handed a
 * file), else one per idle after the window's first frame. The Service Principals page comes
 * first, and also as soon as a sign-in succeeds: it reads the tenant's snapshot into the
 * workspace, which the Overview checks. The Certificates, Tenant and On-premises Pool pages
 * follow, with --demo only once the demo's simulators answer, since two start work of their
 * own (a tenant look-up, the demo Front End's details) and must start from the demo tenant.
 * Each is given the window's workspace before its context: it reads and writes the trust
 * model there, and no page knows another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-window-pages"

#include "config.h"

#include "tb-first-frame.h"
#include "tb-ui-util.h"
#include "tb-window-private.h"

/* Pages are built against the demo tenant, never against the cloud it replaces: when its
 * simulators are still starting, a page needed now waits for them. */
static void
wait_for_demo (TbWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->context != NULL && tb_context_get_demo_pending (self->context) &&
      !tb_context_start_demo (self->context, &error))
    g_warning ("The demo tenant could not start: %s", error->message);
}

/* A page into its slot and into @field (before it is given anything, so the spinner sees work
 * it starts at once): named for a screen reader now (controls it hides until needed too, as
 * the window's own were), followed for the spinner, then given the workspace and the context. */
static void
add_page (TbWindow *self,
          AdwBin   *slot,
          GType     type,
          gpointer *field)
{
  GtkWidget *page = g_object_new (type, NULL);

  *field = page;
  adw_bin_set_child (slot, page);
  tb_accessibility_tidy_tree (page);
  g_signal_connect_object (page, "notify::loading", G_CALLBACK (_tb_window_update_loading),
                           self, G_CONNECT_SWAPPED);
  tb_page_set_workspace (TB_PAGE (page), self->workspace);
  tb_page_set_context (TB_PAGE (page), self->context);
}

TbCertificatesPage *
_tb_window_ensure_certificates_page (TbWindow *self)
{
  if (self->certificates_page == NULL)
    add_page (self, self->certificates_slot, TB_TYPE_CERTIFICATES_PAGE,
              (gpointer *) &self->certificates_page);
  return self->certificates_page;
}

/* No wait for the demo: signed out, the page starts no work of its own, and it follows the
 * context's sign-in, which the demo replaces when its simulators answer. */
TbPrincipalsPage *
_tb_window_ensure_principals_page (TbWindow *self)
{
  if (self->principals_page == NULL)
    add_page (self, self->principals_slot, TB_TYPE_PRINCIPALS_PAGE,
              (gpointer *) &self->principals_page);
  return self->principals_page;
}

TbTenantPage *
_tb_window_ensure_tenant_page (TbWindow *self)
{
  if (self->tenant_page == NULL)
    {
      wait_for_demo (self);
      add_page (self, self->tenant_slot, TB_TYPE_TENANT_PAGE, (gpointer *) &self->tenant_page);
    }
  return self->tenant_page;
}

TbPoolPage *
_tb_window_ensure_pool_page (TbWindow *self)
{
  if (self->pool_page == NULL)
    {
      wait_for_demo (self);
      add_page (self, self->pool_slot, TB_TYPE_POOL_PAGE, (gpointer *) &self->pool_page);
    }
  return self->pool_page;
}

void
_tb_window_ensure_page (TbWindow   *self,
                        const char *name)
{
  if (g_strcmp0 (name, "certificates") == 0)
    _tb_window_ensure_certificates_page (self);
  else if (g_strcmp0 (name, "service-principals") == 0)
    _tb_window_ensure_principals_page (self);
  else if (g_strcmp0 (name, "tenant") == 0)
    _tb_window_ensure_tenant_page (self);
  else if (g_strcmp0 (name, "pool") == 0)
    _tb_window_ensure_pool_page (self);
  else if (g_strcmp0 (name, "audit") == 0)
    _tb_window_ensure_audit_page (self);
}

/* One page a call, so no single idle holds the main loop for long. */
static gboolean
build_next_page (gpointer user_data)
{
  TbWindow *self = TB_WINDOW (user_data);

  if (self->principals_page == NULL)
    {
      _tb_window_ensure_principals_page (self);
      return G_SOURCE_CONTINUE;
    }
  /* The rest waits for the demo's simulators; their answer schedules this again. */
  if (self->context != NULL && tb_context_get_demo_pending (self->context))
    {
      self->pages_idle = 0;
      return G_SOURCE_REMOVE;
    }
  if (self->certificates_page == NULL)
    {
      _tb_window_ensure_certificates_page (self);
      return G_SOURCE_CONTINUE;
    }
  if (self->tenant_page == NULL)
    {
      _tb_window_ensure_tenant_page (self);
      return G_SOURCE_CONTINUE;
    }
  if (self->pool_page == NULL)
    {
      _tb_window_ensure_pool_page (self);
      return G_SOURCE_CONTINUE;
    }
  if (self->audit_page == NULL)
    {
      _tb_window_ensure_audit_page (self);
      return G_SOURCE_CONTINUE;
    }
  self->pages_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
build_pages_later (TbWindow *self)
{
  if (self->pages_idle != 0 ||
      (self->principals_page != NULL && self->context != NULL &&
       tb_context_get_demo_pending (self->context)))
    return;
  self->pages_idle = g_idle_add_full (G_PRIORITY_LOW, build_next_page, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->pages_idle),
                            "[trust-bridge] build pages");
}

static void
on_first_frame (GtkWidget *window,
                gpointer   user_data)
{
  TbWindow *self = TB_WINDOW (window);

  /* With --demo, once its simulators answer (or failed to start). */
  if (self->context != NULL)
    g_signal_connect_object (self->context, "notify::demo-pending",
                             G_CALLBACK (build_pages_later), self, G_CONNECT_SWAPPED);
  build_pages_later (self);
}

void
_tb_window_init_pages (TbWindow *self)
{
  tb_window_after_first_frame (GTK_WINDOW (self), on_first_frame, NULL);
}

void
_tb_window_dispose_pages (TbWindow *self)
{
  g_clear_handle_id (&self->pages_idle, g_source_remove);
  /* The slots, and with them the pages, go with the template. */
  self->certificates_page = NULL;
  self->principals_page = NULL;
  self->tenant_page = NULL;
  self->pool_page = NULL;
  self->audit_page = NULL;
}
