/* tb-context.c: the one object that owns settings and services, shared by every face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-context"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-context.h"
#include "tb-dl-soup.h"
#include "tb-http.h"
#include "tb-secret.h"

struct _TbContext
{
  GObject        parent_instance;

  GSettings     *settings;
  gboolean       has_service_keys;
  guint          warn_days;
  gboolean       demo;

  /* Overrides for this run (command line, demo); NULL means "ask the settings". */
  TbCloud       *cloud_override;
  char          *client_id_override;
  char          *tenant_override;
  TbWinrmPins   *winrm_pins;

  /* The demo, as its provider (app/sim) set it up. */
  const TbContextDemoProvider *demo_provider;
  gpointer       demo_data;
  GDestroyNotify demo_destroy;
  gboolean       demo_pending;
  char          *demo_tenant_id;
  /* The demo Front End and its randomly made password (demo only). */
  char          *demo_pool_host;
  guint          demo_pool_port;
  char          *demo_pool_user;
  char          *demo_pool_password;
  char          *demo_pool_fingerprint;
  char          *demo_pool_fqdn;

  /* Made on first use, dropped together by reset_services(). */
  TbCloud       *cloud;
  char          *client_id;
  char          *tenant;
  SoupSession   *session;
  gboolean       session_local;   /* made for a cloud on this computer: no proxy */
  TbAuth        *auth;
  TbGraphClient *graph_client;
  TbProfile     *profile;
};

enum {
  PROP_0,
  PROP_WARN_DAYS,
  PROP_DEMO,
  PROP_CLOUD,
  PROP_AUTH,
  PROP_DEMO_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TbContext, tb_context, G_TYPE_OBJECT)

static void
reset_services (TbContext *self)
{
  gboolean had_auth = self->auth != NULL;
  gboolean had_cloud = self->cloud != NULL;

  /* The session outlives a cloud change: it carries no credentials of its own (it is
   * replaced only between a cloud on this computer and one elsewhere: see
   * tb_context_get_session). */
  g_clear_object (&self->graph_client);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->cloud);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->tenant, g_free);

  if (had_cloud)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOUD]);
  if (had_auth)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

static void
on_setting_changed (TbContext  *self,
                    const char *key)
{
  if (g_str_equal (key, "cloud") || g_str_equal (key, "endpoints-file") ||
      g_str_equal (key, "client-id") || g_str_equal (key, "tenant-domain"))
    reset_services (self);
}

static char *
dup_setting (TbContext  *self,
             const char *key)
{
  g_autofree char *value = NULL;

  if (self->settings == NULL || !self->has_service_keys)
    return NULL;
  value = g_settings_get_string (self->settings, key);
  value = g_strstrip (value);
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

static void
tb_context_dispose (GObject *object)
{
  TbContext *self = TB_CONTEXT (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  /* The demo's simulators stop first, before the services that talk to them. */
  tb_context_set_demo_provider (self, NULL, NULL, NULL);
  g_clear_object (&self->graph_client);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->session);
  g_clear_object (&self->profile);
  g_clear_object (&self->cloud);
  g_clear_object (&self->cloud_override);
  g_clear_object (&self->winrm_pins);

  G_OBJECT_CLASS (tb_context_parent_class)->dispose (object);
}

static void
tb_context_finalize (GObject *object)
{
  TbContext *self = TB_CONTEXT (object);

  g_clear_object (&self->settings);
  g_free (self->client_id_override);
  g_free (self->tenant_override);
  g_free (self->client_id);
  g_free (self->tenant);
  g_free (self->demo_tenant_id);
  g_free (self->demo_pool_host);
  g_free (self->demo_pool_user);
  tb_secret_clear (&self->demo_pool_password);
  g_free (self->demo_pool_fingerprint);
  g_free (self->demo_pool_fqdn);

  G_OBJECT_CLASS (tb_context_parent_class)->finalize (object);
}

static void
tb_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TbContext *self = TB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_WARN_DAYS:
      g_value_set_uint (value, self->warn_days);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    case PROP_CLOUD:
      g_value_set_object (value, tb_context_get_cloud (self));
      break;
    case PROP_AUTH:
      g_value_set_object (value, tb_context_get_auth (self));
      break;
    case PROP_DEMO_PENDING:
      g_value_set_boolean (value, self->demo_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TbContext *self = TB_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_WARN_DAYS:
      tb_context_set_warn_days (self, g_value_get_uint (value));
      break;
    case PROP_DEMO:
      tb_context_set_demo (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_context_class_init (TbContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_context_dispose;
  object_class->finalize = tb_context_finalize;
  object_class->get_property = tb_context_get_property;
  object_class->set_property = tb_context_set_property;

  properties[PROP_WARN_DAYS] =
    g_param_spec_uint ("warn-days", NULL, NULL, 1, 3650, TB_DEFAULT_WARN_DAYS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified when the services are replaced; read them again with the getters. */
  properties[PROP_CLOUD] =
    g_param_spec_object ("cloud", NULL, NULL, TB_TYPE_CLOUD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TB_TYPE_AUTH,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* TRUE from the demo's announcement until its simulators answer (or failed to start). */
  properties[PROP_DEMO_PENDING] =
    g_param_spec_boolean ("demo-pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tb_context_init (TbContext *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  self->warn_days = TB_DEFAULT_WARN_DAYS;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_settings_bind (self->settings, "expiry-warning-days", self, "warn-days",
                       G_SETTINGS_BIND_DEFAULT);
      /* A stale installed schema may lack the service keys: then they are not consulted. */
      self->has_service_keys = g_settings_schema_has_key (schema, "cloud");
      g_signal_connect_swapped (self->settings, "changed",
                                G_CALLBACK (on_setting_changed), self);
    }
}

TbContext *
tb_context_new (void)
{
  return g_object_new (TB_TYPE_CONTEXT, NULL);
}

GSettings *
tb_context_get_settings (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);
  return self->settings;
}

guint
tb_context_get_warn_days (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), TB_DEFAULT_WARN_DAYS);
  return self->warn_days;
}

void
tb_context_set_warn_days (TbContext *self,
                          guint      days)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  days = CLAMP (days, 1, 3650);
  if (self->warn_days != days)
    {
      self->warn_days = days;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARN_DAYS]);
    }
}

gboolean
tb_context_get_demo (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  return self->demo;
}

void
tb_context_set_demo (TbContext *self,
                     gboolean   demo)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  demo = !!demo;
  if (self->demo != demo)
    {
      self->demo = demo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
    }
}

static TbCloud *
cloud_from_settings (TbContext *self)
{
  g_autofree char *path = dup_setting (self, "endpoints-file");
  g_autofree char *name = dup_setting (self, "cloud");
  g_autoptr(GError) error = NULL;
  TbCloud *cloud = NULL;

  if (path != NULL)
    {
      cloud = tb_cloud_new_from_file (path, &error);
      if (cloud != NULL)
        return cloud;
      g_warning ("Custom endpoints file not used: %s", error->message);
      g_clear_error (&error);
    }

  if (name != NULL)
    {
      cloud = tb_cloud_new_builtin (name, &error);
      if (cloud != NULL)
        return cloud;
      g_warning ("Cloud setting not used: %s", error->message);
      g_clear_error (&error);
    }

  return tb_cloud_new_builtin ("global", NULL);
}

TbCloud *
tb_context_get_cloud (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->cloud == NULL)
    {
      if (self->cloud_override != NULL)
        self->cloud = g_object_ref (self->cloud_override);
      else
        self->cloud = cloud_from_settings (self);
    }
  return self->cloud;
}

static void
set_cloud_override (TbContext *self,
                    TbCloud   *cloud)
{
  g_set_object (&self->cloud_override, cloud);
  reset_services (self);
}

gboolean
tb_context_set_endpoints_file (TbContext   *self,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(TbCloud) cloud = NULL;

  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  cloud = tb_cloud_new_from_file (path, error);
  if (cloud == NULL)
    return FALSE;
  set_cloud_override (self, cloud);
  return TRUE;
}

gboolean
tb_context_set_cloud_name (TbContext   *self,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(TbCloud) cloud = NULL;

  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  cloud = tb_cloud_new_builtin (name, error);
  if (cloud == NULL)
    return FALSE;
  set_cloud_override (self, cloud);
  return TRUE;
}

const char *
tb_context_get_client_id (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->client_id == NULL)
    {
      if (self->client_id_override != NULL)
        self->client_id = g_strdup (self->client_id_override);
      else
        self->client_id = dup_setting (self, "client-id");
      if (self->client_id == NULL)
        self->client_id = g_strdup (TB_AUTH_DEFAULT_CLIENT_ID);
    }
  return self->client_id;
}

void
tb_context_set_client_id (TbContext  *self,
                          const char *client_id)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  g_free (self->client_id_override);
  self->client_id_override = client_id != NULL && *client_id != '\0' ? g_strdup (client_id) : NULL;
  reset_services (self);
}

const char *
tb_context_get_tenant (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->tenant == NULL)
    {
      if (self->tenant_override != NULL)
        self->tenant = g_strdup (self->tenant_override);
      else
        self->tenant = dup_setting (self, "tenant-domain");
      if (self->tenant == NULL)
        self->tenant = g_strdup ("organizations");
    }
  return self->tenant;
}

void
tb_context_set_tenant (TbContext  *self,
                       const char *domain_or_id)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  if (g_strcmp0 (self->tenant_override, domain_or_id) == 0)
    return;
  g_free (self->tenant_override);
  self->tenant_override = domain_or_id != NULL && *domain_or_id != '\0' ? g_strdup (domain_or_id) : NULL;
  reset_services (self);
}

/* Whether every endpoint of @cloud is on this computer (the demo's simulators, a test's). */
static gboolean
cloud_is_local (TbCloud *cloud)
{
  const char *urls[3];

  if (cloud == NULL)
    return FALSE;
  urls[0] = tb_cloud_get_login (cloud);
  urls[1] = tb_cloud_get_graph (cloud);
  urls[2] = tb_cloud_get_acs (cloud);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GUri) uri = urls[i] != NULL ? g_uri_parse (urls[i], G_URI_FLAGS_NONE, NULL)
                                            : NULL;

      if (uri == NULL || !tb_cloud_host_is_loopback (g_uri_get_host (uri)))
        return FALSE;
    }
  return TRUE;
}

SoupSession *
tb_context_get_session (TbContext *self)
{
  gboolean local;

  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  /* A proxy cannot reach this computer's loopback addresses, so a cloud whose endpoints are
   * all loopback ones is reached directly, whatever the system's proxy settings say; GIO
   * then never loads its proxy resolvers (libproxy and the C++ runtime) for it. Any other
   * cloud goes through the system's proxy settings, as every GNOME application does. The
   * session is replaced only when the cloud moves between the two. */
  local = cloud_is_local (tb_context_get_cloud (self));
  if (self->session != NULL && self->session_local != local)
    g_clear_object (&self->session);
  if (self->session == NULL)
    {
      self->session = tb_http_session_new ();
      if (local)
        soup_session_set_proxy_resolver (self->session, NULL);
      self->session_local = local;
    }
  return self->session;
}

static SoupSession *
session_of (gpointer context)
{
  return tb_context_get_session (TB_CONTEXT (context));
}

TbAuth *
tb_context_get_auth (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  /* The session, and libsoup with it, only when the auth first sends a request: the window
   * follows the auth from its first frame. */
  if (self->auth == NULL)
    self->auth = tb_auth_new_deferred (tb_context_get_cloud (self), G_OBJECT (self),
                                       session_of,
                                       tb_context_get_client_id (self),
                                       tb_context_get_tenant (self));
  return self->auth;
}

TbGraphClient *
tb_context_get_graph_client (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->graph_client == NULL)
    self->graph_client = tb_graph_client_new (tb_context_get_cloud (self),
                                              tb_context_get_auth (self),
                                              tb_context_get_session (self));
  return self->graph_client;
}

TbProfile *
tb_context_get_profile (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->profile == NULL)
    self->profile = tb_profile_new_default ();
  return self->profile;
}

/* ---- The demo ------------------------------------------------------------------------------ */

void
tb_context_set_demo_provider (TbContext                   *self,
                              const TbContextDemoProvider *provider,
                              gpointer                     data,
                              GDestroyNotify               destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (TB_IS_CONTEXT (self));

  old_destroy = self->demo_destroy;
  old_data = self->demo_data;
  self->demo_provider = provider;
  self->demo_data = data;
  self->demo_destroy = destroy;
  if (old_destroy != NULL)
    old_destroy (old_data);
}

void
tb_context_set_cloud (TbContext *self,
                      TbCloud   *cloud)
{
  g_return_if_fail (TB_IS_CONTEXT (self));
  g_return_if_fail (TB_IS_CLOUD (cloud));

  set_cloud_override (self, cloud);
  /* Holders of the cloud look again, also when none had asked for it yet. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOUD]);
}

gboolean
tb_context_get_demo_pending (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  return self->demo_pending;
}

void
tb_context_set_demo_pending (TbContext *self,
                             gboolean   pending)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  pending = !!pending;
  if (self->demo_pending != pending)
    {
      self->demo_pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_PENDING]);
    }
}

const char *
tb_context_get_demo_tenant_id (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);
  return self->demo_tenant_id;
}

void
tb_context_set_demo_tenant (TbContext  *self,
                            const char *domain,
                            const char *tenant_id)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  g_free (self->demo_tenant_id);
  self->demo_tenant_id = g_strdup (tenant_id);
  /* The demo tenant, not whatever tenant the settings name for production; the services
   * see it from the next reset on (tb_context_set_cloud). */
  g_free (self->tenant_override);
  self->tenant_override = g_strdup (domain);
}

gboolean
tb_context_start_demo (TbContext  *self,
                       GError    **error)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);

  if (self->demo_tenant_id != NULL)
    return TRUE;
  if (self->demo_provider == NULL || self->demo_provider->start == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The demo is not available in this program."));
      return FALSE;
    }
  return self->demo_provider->start (self->demo_data, error);
}

/* The demo Front End of a demo that left it for its first use. */
static void
ensure_demo_pool (TbContext *self)
{
  g_autoptr(GError) error = NULL;

  if (self->demo_pool_host != NULL || self->demo_tenant_id == NULL ||
      self->demo_provider == NULL || self->demo_provider->start_pool == NULL)
    return;
  if (!self->demo_provider->start_pool (self->demo_data, &error))
    g_warning ("The demo Front End could not start: %s", error->message);
}

gboolean
tb_context_get_demo_pool (TbContext   *self,
                          const char **host,
                          guint       *port,
                          const char **user,
                          const char **password,
                          const char **fingerprint)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);

  ensure_demo_pool (self);
  if (self->demo_pool_host == NULL)
    return FALSE;
  if (host != NULL)
    *host = self->demo_pool_host;
  if (port != NULL)
    *port = self->demo_pool_port;
  if (user != NULL)
    *user = self->demo_pool_user;
  if (password != NULL)
    *password = self->demo_pool_password;
  if (fingerprint != NULL)
    *fingerprint = self->demo_pool_fingerprint;
  return TRUE;
}

const char *
tb_context_get_demo_pool_server_fqdn (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  ensure_demo_pool (self);
  return self->demo_pool_fqdn;
}

void
tb_context_set_demo_pool (TbContext  *self,
                          const char *host,
                          guint       port,
                          const char *user,
                          const char *password,
                          const char *fingerprint,
                          const char *server_fqdn)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  g_free (self->demo_pool_host);
  self->demo_pool_host = g_strdup (host);
  self->demo_pool_port = port;
  g_free (self->demo_pool_user);
  self->demo_pool_user = g_strdup (user);
  tb_secret_clear (&self->demo_pool_password);
  self->demo_pool_password = g_strdup (password);
  g_free (self->demo_pool_fingerprint);
  self->demo_pool_fingerprint = g_strdup (fingerprint);
  g_free (self->demo_pool_fqdn);
  self->demo_pool_fqdn = g_strdup (server_fqdn);
}

TbWinrmPins *
tb_context_get_winrm_pins (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->winrm_pins == NULL)
    self->winrm_pins = tb_winrm_pins_new (self->settings);
  return self->winrm_pins;
}

/* ---- The trust model ---------------------------------------------------------------------- */

TbWorkspace *
tb_context_new_workspace (TbContext *self)
{
  TbWorkspace *workspace;
  const char *tenant;

  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  workspace = tb_workspace_new ();
  if (self->demo_tenant_id != NULL)
    {
      tb_workspace_set_tenant_id (workspace, self->demo_tenant_id, TB_TENANT_SOURCE_DEMO);
      return workspace;
    }
  tenant = tb_context_get_tenant (self);
  if (tb_tenant_is_guid (tenant))
    tb_workspace_set_tenant_id (workspace, tenant,
                                self->tenant_override != NULL ? TB_TENANT_SOURCE_OPTION
                                                              : TB_TENANT_SOURCE_SETTING);
  return workspace;
}
