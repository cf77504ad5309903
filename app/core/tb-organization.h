/* tb-organization.h: the tenant's organization (Graph GET /organization) as a typed object
 *
 * UI and CLI code read these accessors, never Graph's wire format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *name;
  gboolean  is_initial;   /* the tenant's *.onmicrosoft.com domain */
  gboolean  is_default;
} TbVerifiedDomain;

#define TB_TYPE_ORGANIZATION (tb_organization_get_type ())
G_DECLARE_FINAL_TYPE (TbOrganization, tb_organization, TB, ORGANIZATION, GObject)

/* From one organization resource. Members of the wrong type are treated as missing; a domain
 * without a name is left out. Never fails: Graph may omit anything. */
TbOrganization *tb_organization_new_from_json      (JsonObject     *object);
/* The tenant ID (lower case) or NULL. */
const char     *tb_organization_get_id             (TbOrganization *self);
/* May be NULL. */
const char     *tb_organization_get_display_name   (TbOrganization *self);
/* TbVerifiedDomain records in Graph's order (possibly empty). */
GPtrArray      *tb_organization_get_verified_domains (TbOrganization *self);

G_END_DECLS
