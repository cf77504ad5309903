/* tb-workspace.c: one trust model shared by the faces
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-workspace"

#include "config.h"

#include "tb-core-enums.h"
#include "tb-enum.h"
#include "tb-workspace-private.h"

struct _TbWorkspace
{
  GObject          parent_instance;

  char            *tenant_id;
  TbTenantSource   tenant_source;
  TbTenant        *tenant;
  TbGraphSnapshot *snapshot;
  TbOrganization  *organization;
  TbCertificate   *certificate;
  TbPoolState     *pool_state;
  TbPoolSource     pool_source;
  char            *pool_server;
  GStrv            external_fqdns;
};

G_DEFINE_FINAL_TYPE (TbWorkspace, tb_workspace, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TENANT_ID,
  PROP_TENANT_SOURCE,
  PROP_TENANT,
  PROP_SNAPSHOT,
  PROP_ORGANIZATION,
  PROP_CERTIFICATE,
  PROP_POOL_STATE,
  PROP_POOL_SOURCE,
  PROP_POOL_SERVER,
  PROP_EXTERNAL_FQDNS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tb_pool_source_to_string (TbPoolSource source)
{
  /* The nick is the stable name (tb-core-enums.h). */
  return tb_enum_to_nick (TB_TYPE_POOL_SOURCE, source);
}

static void
tb_workspace_finalize (GObject *object)
{
  TbWorkspace *self = TB_WORKSPACE (object);

  g_free (self->tenant_id);
  g_clear_object (&self->tenant);
  g_clear_pointer (&self->snapshot, tb_graph_snapshot_free);
  g_clear_object (&self->organization);
  g_clear_object (&self->certificate);
  g_clear_object (&self->pool_state);
  g_free (self->pool_server);
  g_strfreev (self->external_fqdns);
  G_OBJECT_CLASS (tb_workspace_parent_class)->finalize (object);
}

static void
tb_workspace_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TbWorkspace *self = TB_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_TENANT_ID:
      g_value_set_string (value, self->tenant_id);
      break;
    case PROP_TENANT_SOURCE:
      g_value_set_enum (value, self->tenant_source);
      break;
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    case PROP_SNAPSHOT:
      g_value_set_pointer (value, self->snapshot);
      break;
    case PROP_ORGANIZATION:
      g_value_set_object (value, self->organization);
      break;
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_POOL_STATE:
      g_value_set_object (value, self->pool_state);
      break;
    case PROP_POOL_SOURCE:
      g_value_set_enum (value, self->pool_source);
      break;
    case PROP_POOL_SERVER:
      g_value_set_string (value, self->pool_server);
      break;
    case PROP_EXTERNAL_FQDNS:
      g_value_set_boxed (value, self->external_fqdns);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_workspace_class_init (TbWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tb_workspace_finalize;
  object_class->get_property = tb_workspace_get_property;

  /* Read-only as properties: the setters keep related members consistent. */
  properties[PROP_TENANT_ID] = g_param_spec_string ("tenant-id", NULL, NULL, NULL, flags);
  properties[PROP_TENANT_SOURCE] = g_param_spec_enum ("tenant-source", NULL, NULL,
                                                      TB_TYPE_TENANT_SOURCE,
                                                      TB_TENANT_SOURCE_NONE, flags);
  properties[PROP_TENANT] = g_param_spec_object ("tenant", NULL, NULL, TB_TYPE_TENANT, flags);
  properties[PROP_SNAPSHOT] = g_param_spec_pointer ("snapshot", NULL, NULL, flags);
  properties[PROP_ORGANIZATION] = g_param_spec_object ("organization", NULL, NULL,
                                                       TB_TYPE_ORGANIZATION, flags);
  properties[PROP_CERTIFICATE] = g_param_spec_object ("certificate", NULL, NULL,
                                                      TB_TYPE_CERTIFICATE, flags);
  properties[PROP_POOL_STATE] = g_param_spec_object ("pool-state", NULL, NULL,
                                                     TB_TYPE_POOL_STATE, flags);
  properties[PROP_POOL_SOURCE] = g_param_spec_enum ("pool-source", NULL, NULL,
                                                    TB_TYPE_POOL_SOURCE,
                                                    TB_POOL_SOURCE_NONE, flags);
  properties[PROP_POOL_SERVER] = g_param_spec_string ("pool-server", NULL, NULL, NULL, flags);
  properties[PROP_EXTERNAL_FQDNS] = g_param_spec_boxed ("external-fqdns", NULL, NULL,
                                                        G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_workspace_init (TbWorkspace *self)
{
}

TbWorkspace *
tb_workspace_new (void)
{
  return g_object_new (TB_TYPE_WORKSPACE, NULL);
}

const char *
tb_workspace_get_tenant_id (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->tenant_id;
}

TbTenantSource
tb_workspace_get_tenant_source (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), TB_TENANT_SOURCE_NONE);
  return self->tenant_source;
}

void
tb_workspace_set_tenant_id (TbWorkspace    *self,
                            const char     *tenant_id,
                            TbTenantSource  source)
{
  g_autofree char *lower = tenant_id != NULL ? g_ascii_strdown (tenant_id, -1) : NULL;

  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (lower == NULL)
    source = TB_TENANT_SOURCE_NONE;
  if (g_strcmp0 (lower, self->tenant_id) != 0)
    {
      g_free (self->tenant_id);
      self->tenant_id = g_steal_pointer (&lower);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT_ID]);
    }
  if (source != self->tenant_source)
    {
      self->tenant_source = source;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT_SOURCE]);
    }
}

TbTenant *
tb_workspace_get_tenant (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->tenant;
}

void
tb_workspace_set_tenant (TbWorkspace *self,
                         TbTenant    *tenant)
{
  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (!g_set_object (&self->tenant, tenant))
    return;
  if (tenant != NULL && self->tenant_id == NULL)
    tb_workspace_set_tenant_id (self, tb_tenant_get_id (tenant), TB_TENANT_SOURCE_OPTION);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TENANT]);
}

const TbGraphSnapshot *
tb_workspace_get_snapshot (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->snapshot;
}

void
tb_workspace_take_snapshot (TbWorkspace     *self,
                            TbGraphSnapshot *snapshot)
{
  g_autoptr(TbOrganization) organization = NULL;

  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (snapshot == self->snapshot)
    return;
  g_clear_pointer (&self->snapshot, tb_graph_snapshot_free);
  self->snapshot = snapshot;

  if (snapshot != NULL && snapshot->organization != NULL)
    organization = tb_organization_new_from_json (snapshot->organization);
  if (g_set_object (&self->organization, organization))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION]);
  if (organization != NULL && self->tenant_id == NULL &&
      tb_organization_get_id (organization) != NULL)
    tb_workspace_set_tenant_id (self, tb_organization_get_id (organization),
                                TB_TENANT_SOURCE_SIGN_IN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);
}

TbServicePrincipal *
tb_workspace_get_principal (TbWorkspace *self,
                            const char  *app_id)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  if (self->snapshot == NULL || self->snapshot->principals == NULL)
    return NULL;
  return g_hash_table_lookup (self->snapshot->principals, app_id);
}

TbOrganization *
tb_workspace_get_organization (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->organization;
}

TbCertificate *
tb_workspace_get_certificate (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->certificate;
}

void
tb_workspace_set_certificate (TbWorkspace   *self,
                              TbCertificate *certificate)
{
  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (g_set_object (&self->certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CERTIFICATE]);
}

TbPoolState *
tb_workspace_get_pool_state (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->pool_state;
}

TbPoolSource
tb_workspace_get_pool_source (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), TB_POOL_SOURCE_NONE);
  return self->pool_source;
}

const char *
tb_workspace_get_pool_server (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);
  return self->pool_server;
}

void
tb_workspace_set_pool_state (TbWorkspace  *self,
                             TbPoolState  *state,
                             TbPoolSource  source,
                             const char   *server)
{
  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (state == NULL)
    {
      source = TB_POOL_SOURCE_NONE;
      server = NULL;
    }
  if (g_set_object (&self->pool_state, state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL_STATE]);
  if (source != self->pool_source)
    {
      self->pool_source = source;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL_SOURCE]);
    }
  if (g_strcmp0 (server, self->pool_server) != 0)
    {
      g_free (self->pool_server);
      self->pool_server = g_strdup (server);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL_SERVER]);
    }
}

TbCertificate *
tb_workspace_get_trust_certificate (TbWorkspace *self)
{
  const TbPoolCertificate *pool_cert = NULL;

  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);

  if (self->pool_state != NULL &&
      tb_pool_state_get_oauth_certificate (self->pool_state, &pool_cert) == TB_POOL_PRESENT &&
      pool_cert->certificate != NULL)
    return pool_cert->certificate;
  return self->certificate;
}

void
tb_workspace_set_external_fqdns (TbWorkspace        *self,
                                 const char * const *fqdns)
{
  g_return_if_fail (TB_IS_WORKSPACE (self));

  if (fqdns == NULL && self->external_fqdns == NULL)
    return;
  if (fqdns != NULL && self->external_fqdns != NULL &&
      g_strv_equal ((const char * const *) self->external_fqdns, fqdns))
    return;
  g_strfreev (self->external_fqdns);
  self->external_fqdns = g_strdupv ((char **) fqdns);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTERNAL_FQDNS]);
}

GStrv
tb_workspace_dup_trust_fqdns (TbWorkspace *self)
{
  g_return_val_if_fail (TB_IS_WORKSPACE (self), NULL);

  if (self->pool_state != NULL)
    {
      GStrv fqdns = tb_pool_state_dup_external_fqdns (self->pool_state);

      if (fqdns != NULL)
        return fqdns;
    }
  if (self->external_fqdns == NULL)
    return NULL;
  /* The same normalisation as the pool's: lower case, each once. */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; self->external_fqdns[i] != NULL; i++)
      {
        char *lower = g_ascii_strdown (self->external_fqdns[i], -1);

        if (g_hash_table_add (seen, lower))
          g_strv_builder_add (builder, lower);
      }
    return g_strv_builder_end (builder);
  }
}
