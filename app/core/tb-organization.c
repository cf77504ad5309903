/* tb-organization.c: the tenant's organization as a typed object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-organization"

#include "config.h"

#include "tb-json.h"
#include "tb-organization-private.h"

struct _TbOrganization
{
  GObject    parent_instance;
  char      *id;
  char      *display_name;
  GPtrArray *domains;
};

G_DEFINE_FINAL_TYPE (TbOrganization, tb_organization, G_TYPE_OBJECT)

static void
verified_domain_free (TbVerifiedDomain *domain)
{
  g_free (domain->name);
  g_free (domain);
}

static void
tb_organization_finalize (GObject *object)
{
  TbOrganization *self = TB_ORGANIZATION (object);

  g_free (self->id);
  g_free (self->display_name);
  g_ptr_array_unref (self->domains);
  G_OBJECT_CLASS (tb_organization_parent_class)->finalize (object);
}

static void
tb_organization_class_init (TbOrganizationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tb_organization_finalize;
}

static void
tb_organization_init (TbOrganization *self)
{
  self->domains = g_ptr_array_new_with_free_func ((GDestroyNotify) verified_domain_free);
}

TbOrganization *
tb_organization_new_from_json (JsonObject *object)
{
  TbOrganization *self;
  JsonNode *domains;
  const char *id;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (TB_TYPE_ORGANIZATION, NULL);
  id = tb_json_get_string (object, "id");
  self->id = g_ascii_strdown (id != NULL ? id : "", -1);
  if (self->id[0] == '\0')
    g_clear_pointer (&self->id, g_free);
  self->display_name = g_strdup (tb_json_get_string (object, "displayName"));

  domains = json_object_get_member (object, "verifiedDomains");
  if (domains != NULL && JSON_NODE_HOLDS_ARRAY (domains))
    {
      JsonArray *array = json_node_get_array (domains);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *domain;
          TbVerifiedDomain *record;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          domain = json_node_get_object (node);
          if (tb_json_get_string (domain, "name") == NULL)
            continue;
          record = g_new0 (TbVerifiedDomain, 1);
          record->name = g_strdup (tb_json_get_string (domain, "name"));
          record->is_initial = tb_json_get_boolean (domain, "isInitial", FALSE);
          record->is_default = tb_json_get_boolean (domain, "isDefault", FALSE);
          g_ptr_array_add (self->domains, record);
        }
    }
  return self;
}

const char *
tb_organization_get_id (TbOrganization *self)
{
  g_return_val_if_fail (TB_IS_ORGANIZATION (self), NULL);
  return self->id;
}

const char *
tb_organization_get_display_name (TbOrganization *self)
{
  g_return_val_if_fail (TB_IS_ORGANIZATION (self), NULL);
  return self->display_name;
}

GPtrArray *
tb_organization_get_verified_domains (TbOrganization *self)
{
  g_return_val_if_fail (TB_IS_ORGANIZATION (self), NULL);
  return self->domains;
}

const char *
tb_organization_get_default_domain (TbOrganization *self)
{
  const char *initial = NULL;

  g_return_val_if_fail (TB_IS_ORGANIZATION (self), NULL);

  for (guint i = 0; i < self->domains->len; i++)
    {
      const TbVerifiedDomain *domain = g_ptr_array_index (self->domains, i);

      if (domain->is_default)
        return domain->name;
      if (domain->is_initial && initial == NULL)
        initial = domain->name;
    }
  return initial;
}
