/* tb-tenant-page.h: a domain in, the tenant ID, cloud, region and ACS metadata out
 *
 * After sign-in it also shows the organization (name, verified domains) of its workspace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tb-context.h"
#include "tb-page.h"
#include "tb-tenant.h"

G_BEGIN_DECLS

#define TB_TYPE_TENANT_PAGE (tb_tenant_page_get_type ())
G_DECLARE_FINAL_TYPE (TbTenantPage, tb_tenant_page, TB, TENANT_PAGE, TbPage)

GtkWidget  *tb_tenant_page_new              (TbContext    *context);
void        tb_tenant_page_set_context      (TbTenantPage *self,
                                             TbContext    *context);
/* Resolves @domain_or_id (no sign-in) and checks its ACS metadata. */
void        tb_tenant_page_look_up          (TbTenantPage *self,
                                             const char   *domain_or_id);
gboolean    tb_tenant_page_get_loading      (TbTenantPage *self);

/* Looks the domain shown up again (F5). */
void          tb_tenant_page_refresh          (TbTenantPage *self);

G_END_DECLS
