/* tb-context.c: the one object that owns settings and services, shared by every face
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>

#include "tb-context.h"
#include "tb-http.h"
#include "tb-service-thread.h"

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
  TbSim         *sim;
  /* The demo Front End and its randomly made password (demo only). */
  TbSimWinrm    *sim_winrm;
  char          *demo_pool_password;
  TbWinrmPins   *winrm_pins;
  /* tb_context_prepare_demo: the simulators above, built and served on their own thread. */
  TbServiceThread *demo_thread;
  struct DemoServices *demo_services;
  gboolean       demo_pending;
  GList         *demo_tasks;     /* GTasks of tb_context_start_demo_async (each refs self) */

  /* Made on first use, dropped together by reset_services(). */
  TbCloud       *cloud;
  char          *client_id;
  char          *tenant;
  SoupSession   *session;
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

static void demo_services_free (struct DemoServices *d);

static void
reset_services (TbContext *self)
{
  gboolean had_auth = self->auth != NULL;
  gboolean had_cloud = self->cloud != NULL;

  /* The session outlives a cloud change: it carries no credentials of its own. */
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
  /* Stops the simulators on their own thread first; the tb_*_stop calls below are then
   * no-ops. */
  g_clear_pointer (&self->demo_thread, tb_service_thread_free);
  g_clear_pointer (&self->demo_services, demo_services_free);
  g_clear_object (&self->graph_client);
  if (self->auth != NULL)
    g_signal_handlers_disconnect_by_data (self->auth, self);
  g_clear_object (&self->auth);
  g_clear_object (&self->session);
  g_clear_object (&self->profile);
  g_clear_object (&self->cloud);
  g_clear_object (&self->cloud_override);
  if (self->sim != NULL)
    tb_sim_stop (self->sim);
  g_clear_object (&self->sim);
  if (self->sim_winrm != NULL)
    tb_sim_winrm_stop (self->sim_winrm);
  g_clear_object (&self->sim_winrm);
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
  if (self->demo_pool_password != NULL)
    explicit_bzero (self->demo_pool_password, strlen (self->demo_pool_password));
  g_free (self->demo_pool_password);

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

  /* TRUE from tb_context_prepare_demo until the simulators answer (or failed to start). */
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

SoupSession *
tb_context_get_session (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->session == NULL)
    self->session = tb_http_session_new ();
  return self->session;
}

TbAuth *
tb_context_get_auth (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);

  if (self->auth == NULL)
    self->auth = tb_auth_new (tb_context_get_cloud (self),
                              tb_context_get_session (self),
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

#define DEMO_POOL_USER "demo-admin"

/* The demo's simulators, made and started together in the thread-default main context. */
typedef struct DemoServices
{
  TbContext  *context;
  gboolean    threaded;
  TbSim      *sim;
  TbSimWinrm *sim_winrm;
  char       *password;
  guint       population;  /* demo-tenant-size: a larger tenant to try the audit at scale */
} DemoServices;

static void
demo_services_free (DemoServices *d)
{
  g_clear_object (&d->sim);
  g_clear_object (&d->sim_winrm);
  if (d->password != NULL)
    explicit_bzero (d->password, strlen (d->password));
  g_free (d->password);
  g_free (d);
}

/* The size of the demo tenant from the settings, read here in the caller's thread; 0 (the
 * default) keeps the usual small tenant. */
static guint
demo_population (TbContext *self)
{
  if (self->settings == NULL)
    return 0;
  return g_settings_get_uint (self->settings, "demo-tenant-size");
}

/* The demo Front End: the demo pool behind Basic authentication with a password made here,
 * handed to the faces in memory only (tb_context_get_demo_pool). */
static gboolean
start_demo_pool (DemoServices  *d,
                 GError       **error)
{
  g_autoptr(TbSimWinrm) sim = tb_sim_winrm_new ();
  guint8 secret[18];

  if (gnutls_rnd (GNUTLS_RND_KEY, secret, sizeof secret) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No random numbers for the demo password."));
      return FALSE;
    }
  d->password = g_base64_encode (secret, sizeof secret);
  explicit_bzero (secret, sizeof secret);

  tb_sim_winrm_set_basic_account (sim, DEMO_POOL_USER, d->password);
  tb_sim_winrm_load_demo_pool (sim);
  if (!tb_sim_winrm_start (sim, 0, error))
    {
      explicit_bzero (d->password, strlen (d->password));
      g_clear_pointer (&d->password, g_free);
      return FALSE;
    }
  d->sim_winrm = g_steal_pointer (&sim);
  return TRUE;
}

static gboolean
demo_services_start (gpointer   data,
                     GError   **error)
{
  DemoServices *d = data;
  g_autoptr(TbSim) sim = tb_sim_new (TB_SIM_TENANT_DEMO);

  if (d->population > 0)
    tb_sim_set_population (sim, d->population, MIN (3000, d->population / 2));
  tb_sim_set_device_auto_approve (sim, 1);
  tb_sim_set_device_interval (sim, 1);
  if (!tb_sim_start (sim, error))
    return FALSE;
  /* On their own thread both start at once; in the caller's thread the demo Front End waits
   * for its first use (ensure_demo_pool): the CLI's Microsoft 365 commands never need it,
   * and its RSA key is the costliest part of the demo. */
  if (d->threaded && !start_demo_pool (d, error))
    {
      tb_sim_stop (sim);
      return FALSE;
    }
  d->sim = g_steal_pointer (&sim);
  return TRUE;
}

static void
demo_services_stop (gpointer data)
{
  DemoServices *d = data;

  tb_sim_stop (d->sim);
  if (d->sim_winrm != NULL)
    tb_sim_winrm_stop (d->sim_winrm);
}

/* The demo Front End of a demo started in the caller's thread, on first use. */
static void
ensure_demo_pool (TbContext *self)
{
  g_autoptr(GError) error = NULL;
  DemoServices *d = self->demo_services;

  if (self->sim_winrm != NULL || d == NULL || d->threaded || d->sim == NULL)
    return;
  if (!start_demo_pool (d, &error))
    {
      g_warning ("The demo Front End could not start: %s", error->message);
      return;
    }
  self->sim_winrm = g_object_ref (d->sim_winrm);
  self->demo_pool_password = g_strdup (d->password);
}

static gboolean on_demo_thread_ready (gpointer user_data);

static void
start_demo_thread (TbContext *self)
{
  if (self->demo_thread != NULL)
    return;
  self->demo_services = g_new0 (DemoServices, 1);
  self->demo_services->population = demo_population (self);
  self->demo_services->context = self;
  self->demo_services->threaded = TRUE;
  self->demo_thread = tb_service_thread_new ("tb-demo", demo_services_start, demo_services_stop,
                                             on_demo_thread_ready, self->demo_services);
}

static void
drop_demo_thread (TbContext *self)
{
  g_clear_pointer (&self->demo_thread, tb_service_thread_free);
  if (self->demo_services != NULL && self->demo_services->sim != NULL)
    demo_services_stop (self->demo_services);
  g_clear_pointer (&self->demo_services, demo_services_free);
}

/* Points the services at the started simulators of @d (demo_services owns them). */
static gboolean
adopt_demo (TbContext     *self,
            DemoServices  *d,
            GError       **error)
{
  g_autoptr(TbCloud) cloud = NULL;

  cloud = tb_cloud_new ("demo",
                        tb_sim_get_login_base (d->sim),
                        tb_sim_get_graph_base (d->sim),
                        tb_sim_get_acs_base (d->sim),
                        error);
  if (cloud == NULL)
    return FALSE;

  self->sim = g_object_ref (d->sim);
  if (d->sim_winrm != NULL)
    {
      self->sim_winrm = g_object_ref (d->sim_winrm);
      self->demo_pool_password = g_strdup (d->password);
    }
  /* The demo tenant, not whatever tenant the settings name for production. */
  g_free (self->tenant_override);
  self->tenant_override = g_strdup (tb_sim_get_domains (self->sim)[0]);
  self->demo_pending = FALSE;
  set_cloud_override (self, cloud);
  tb_context_set_demo (self, TRUE);
  /* Holders of the cloud look again, also when none had asked for it yet. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOUD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_PENDING]);
  return TRUE;
}

/* Waits for the demo thread and adopts its simulators; answers the tasks of
 * tb_context_start_demo_async either way. */
static gboolean
finish_demo_thread (TbContext  *self,
                    GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *tasks;
  gboolean ok = TRUE;

  if (self->sim == NULL &&
      (!tb_service_thread_wait (self->demo_thread, &local_error) ||
       !adopt_demo (self, self->demo_services, &local_error)))
    {
      drop_demo_thread (self);
      self->demo_pending = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_PENDING]);
      ok = FALSE;
    }

  tasks = g_steal_pointer (&self->demo_tasks);
  for (GList *l = tasks; l != NULL; l = l->next)
    {
      if (ok)
        g_task_return_boolean (l->data, TRUE);
      else
        g_task_return_error (l->data, g_error_copy (local_error));
    }
  g_list_free_full (tasks, g_object_unref);

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

void
tb_context_prepare_demo (TbContext *self)
{
  g_return_if_fail (TB_IS_CONTEXT (self));

  if (self->sim != NULL || self->demo_pending)
    return;
  self->demo_pending = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO_PENDING]);
  tb_context_set_demo (self, TRUE);
}

gboolean
tb_context_get_demo_pending (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);
  return self->demo_pending;
}

static gboolean
on_demo_thread_ready (gpointer user_data)
{
  DemoServices *d = user_data;

  /* Errors go to the tasks waiting; the ready source belongs to the thread, which
   * finish_demo_thread drops when the start failed. */
  finish_demo_thread (d->context, NULL);
  return G_SOURCE_REMOVE;
}

void
tb_context_start_demo_async (TbContext           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_context_start_demo_async);
  if (self->sim != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  tb_context_prepare_demo (self);
  start_demo_thread (self);
  self->demo_tasks = g_list_append (self->demo_tasks, g_steal_pointer (&task));
}

gboolean
tb_context_start_demo_finish (TbContext     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_context_start_demo_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tb_context_start_demo (TbContext  *self,
                       GError    **error)
{
  DemoServices *d;

  g_return_val_if_fail (TB_IS_CONTEXT (self), FALSE);

  if (self->sim != NULL)
    return TRUE;

  /* Prepared: the simulators live on their thread; wait for them (tasks still waiting are
   * answered when the ready callback runs). */
  if (self->demo_pending)
    {
      start_demo_thread (self);
      return finish_demo_thread (self, error);
    }

  d = self->demo_services = g_new0 (DemoServices, 1);
  d->population = demo_population (self);
  d->context = self;
  if (!demo_services_start (d, error) || !adopt_demo (self, d, error))
    {
      if (d->sim != NULL)
        demo_services_stop (d);
      g_clear_pointer (&self->demo_services, demo_services_free);
      return FALSE;
    }
  return TRUE;
}

TbSim *
tb_context_get_sim (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);
  return self->sim;
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
  if (self->sim_winrm == NULL)
    return FALSE;
  /* The simulator listens on loopback; "localhost" is a host name, as Basic and the
   * listener's certificate expect. */
  if (host != NULL)
    *host = "localhost";
  if (port != NULL)
    *port = tb_sim_winrm_get_port (self->sim_winrm);
  if (user != NULL)
    *user = DEMO_POOL_USER;
  if (password != NULL)
    *password = self->demo_pool_password;
  if (fingerprint != NULL)
    *fingerprint = tb_sim_winrm_get_fingerprint (self->sim_winrm);
  return TRUE;
}

TbSimWinrm *
tb_context_get_sim_winrm (TbContext *self)
{
  g_return_val_if_fail (TB_IS_CONTEXT (self), NULL);
  ensure_demo_pool (self);
  return self->sim_winrm;
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
  if (self->sim != NULL)
    {
      tb_workspace_set_tenant_id (workspace, tb_sim_get_tenant_id (self->sim),
                                  TB_TENANT_SOURCE_DEMO);
      return workspace;
    }
  tenant = tb_context_get_tenant (self);
  if (tb_tenant_is_guid (tenant))
    tb_workspace_set_tenant_id (workspace, tenant,
                                self->tenant_override != NULL ? TB_TENANT_SOURCE_OPTION
                                                              : TB_TENANT_SOURCE_SETTING);
  return workspace;
}
