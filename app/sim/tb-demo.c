/* tb-demo.c: the demo: the simulators of Microsoft 365 and of a Front End, for one context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-demo"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-demo-private.h"
#include "tb-dl-gnutls.h"
#include "tb-pool-state.h"
#include "tb-profile.h"
#include "tb-secret.h"
#include "tb-sim-private.h"
#include "tb-service-thread.h"

/* The demo Front End's local account; its password is made at random for each run. */
#define DEMO_POOL_USER "demo-admin"

struct _TbDemo
{
  GObject          parent_instance;

  TbContext       *context;     /* weak: the context owns the demo */
  char            *scenario;
  guint            population;  /* demo-tenant-size: a larger tenant to try the audit at scale */

  /* Built by start_services, in the thread that serves them (the caller's or the demo's). */
  gboolean         threaded;
  TbServiceThread *thread;
  TbSim           *sim;
  TbSimWinrm      *sim_winrm;
  char            *password;

  gboolean         adopted;     /* the context points at the simulators */
  gboolean         pool_adopted;
  GList           *tasks;       /* GTasks of tb_demo_start_async */
};

G_DEFINE_FINAL_TYPE (TbDemo, tb_demo, G_TYPE_OBJECT)
G_DEFINE_QUARK (tb-demo-error-quark, tb_demo_error)
/* Marks the context a demo is attached to (the context's demo provider holds the reference). */
static GQuark
demo_of_context_quark (void)
{
  return g_quark_from_static_string ("tb-demo-of-context");
}

static const char * const scenarios[] = {
  TB_DEMO_SCENARIO_DEFAULT,
  TB_DEMO_SCENARIO_RENEWAL_DUE,
  NULL
};

const char * const *
tb_demo_get_scenarios (void)
{
  return scenarios;
}

static void
stop_services (gpointer data)
{
  TbDemo *self = data;

  if (self->sim != NULL)
    tb_sim_stop (self->sim);
  if (self->sim_winrm != NULL)
    tb_sim_winrm_stop (self->sim_winrm);
}

static void
tb_demo_dispose (GObject *object)
{
  TbDemo *self = TB_DEMO (object);

  /* The thread stops its simulators there first; otherwise they run in this thread. */
  if (self->thread != NULL)
    g_clear_pointer (&self->thread, tb_service_thread_free);
  else
    stop_services (self);
  g_clear_object (&self->sim);
  g_clear_object (&self->sim_winrm);
  if (self->context != NULL &&
      g_object_get_qdata (G_OBJECT (self->context), demo_of_context_quark ()) == self)
    g_object_set_qdata (G_OBJECT (self->context), demo_of_context_quark (), NULL);
  if (self->context != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->context), (gpointer *) &self->context);
  self->context = NULL;

  G_OBJECT_CLASS (tb_demo_parent_class)->dispose (object);
}

static void
tb_demo_finalize (GObject *object)
{
  TbDemo *self = TB_DEMO (object);

  tb_secret_clear (&self->password);
  g_free (self->scenario);
  g_warn_if_fail (self->tasks == NULL);

  G_OBJECT_CLASS (tb_demo_parent_class)->finalize (object);
}

static void
tb_demo_class_init (TbDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tb_demo_dispose;
  object_class->finalize = tb_demo_finalize;
}

static void
tb_demo_init (TbDemo *self)
{
}

/* ---- Building the simulators (in the thread that serves them) ----------------------------- */

/* The demo Front End: the scenario's pool behind Basic authentication with a password made
 * here, handed to the faces in memory only (tb_context_get_demo_pool). */
static gboolean
start_pool (TbDemo  *self,
            GError **error)
{
  g_autoptr(TbSimWinrm) sim = tb_sim_winrm_new ();
  guint8 secret[18];

  if (gnutls_rnd (GNUTLS_RND_KEY, secret, sizeof secret) != 0)
    {
      g_set_error_literal (error, TB_DEMO_ERROR, TB_DEMO_ERROR_NO_RANDOM,
                           _("No random numbers for the demo password."));
      return FALSE;
    }
  self->password = g_base64_encode (secret, sizeof secret);
  tb_secret_wipe (secret, sizeof secret);

  tb_sim_winrm_set_basic_account (sim, DEMO_POOL_USER, self->password);
  if (g_str_equal (self->scenario, TB_DEMO_SCENARIO_RENEWAL_DUE))
    tb_sim_winrm_load_demo_pool_renewal_due (sim);
  else
    tb_sim_winrm_load_demo_pool (sim);
  if (!tb_sim_winrm_start (sim, 0, error))
    {
      tb_secret_clear (&self->password);
      return FALSE;
    }
  self->sim_winrm = g_steal_pointer (&sim);
  return TRUE;
}

/* The renewal-due scenario is about the renewal alone: its trust is otherwise whole. Skype for
 * Business Online holds that pool's current certificate (and no earlier ones it does not
 * list), every external web services FQDN is an SPN, and microsoft.sts names the demo
 * tenant. Called in the thread that serves both simulators, before anyone knows them. */
static void
settle_renewal_due (TbDemo *self,
                    TbSim  *sim)
{
  g_autoptr(JsonObject) pool = NULL;
  g_autoptr(JsonObject) sfb = NULL;
  g_autoptr(GBytes) der = NULL;
  JsonObject *cert;
  JsonArray *keys;
  JsonArray *names;
  JsonArray *web;
  gsize len = 0;
  guchar *raw;

  if (!g_str_equal (self->scenario, TB_DEMO_SCENARIO_RENEWAL_DUE) || sim == NULL ||
      self->sim_winrm == NULL)
    return;

  tb_sim_winrm_set_metadata_tenant (self->sim_winrm, tb_sim_get_tenant_id (sim));
  pool = tb_sim_winrm_dup_pool_state (self->sim_winrm);
  cert = json_object_get_object_member (pool, "oauthCertificate");
  raw = g_base64_decode (json_object_get_string_member (cert, "rawData"), &len);
  der = g_bytes_new_take (raw, len);

  sfb = tb_sim_dup_service_principal (sim, TB_APP_ID_SKYPE_ONLINE);
  keys = json_array_new ();
  json_array_add_object_element (keys, tb_sim_key_credential_for (der));
  json_object_set_array_member (sfb, "keyCredentials", keys);
  names = json_object_get_array_member (sfb, "servicePrincipalNames");
  web = json_object_get_array_member (pool, "webServices");
  for (guint i = 0; i < json_array_get_length (web); i++)
    {
      const char *fqdn = json_object_get_string_member (json_array_get_object_element (web, i),
                                                        "externalFqdn");
      g_autofree char *spn = g_strdup_printf ("%s/%s", TB_APP_ID_SKYPE_ONLINE, fqdn);
      gboolean there = FALSE;

      for (guint j = 0; j < json_array_get_length (names); j++)
        there = there || g_ascii_strcasecmp (json_array_get_string_element (names, j), spn) == 0;
      if (!there)
        json_array_add_string_element (names, spn);
    }
  tb_sim_put_service_principal (sim, sfb);
}

static gboolean
start_services (gpointer   data,
                GError   **error)
{
  TbDemo *self = data;
  g_autoptr(TbSim) sim = tb_sim_new (TB_SIM_TENANT_DEMO);

  if (self->population > 0)
    tb_sim_set_population (sim, self->population, MIN (3000, self->population / 2));
  tb_sim_set_device_auto_approve (sim, 1);
  tb_sim_set_device_interval (sim, 1);
  if (!tb_sim_start (sim, error))
    return FALSE;
  /* On their own thread both start at once; in the caller's thread the Front End waits for
   * its first use (ensure_pool). */
  if (self->threaded && !start_pool (self, error))
    {
      tb_sim_stop (sim);
      return FALSE;
    }
  settle_renewal_due (self, sim);
  self->sim = g_steal_pointer (&sim);
  return TRUE;
}

/* ---- Pointing the context at them ---------------------------------------------------------- */

static void
adopt_pool (TbDemo *self)
{
  if (self->pool_adopted || self->sim_winrm == NULL || self->context == NULL)
    return;
  /* The simulator listens on loopback; "localhost" is a host name, as Basic and the
   * listener's certificate expect. */
  tb_context_set_demo_pool (self->context, "localhost", tb_sim_winrm_get_port (self->sim_winrm),
                            DEMO_POOL_USER, self->password,
                            tb_sim_winrm_get_fingerprint (self->sim_winrm),
                            tb_sim_winrm_get_server_fqdn (self->sim_winrm));
  self->pool_adopted = TRUE;
}

static gboolean
adopt (TbDemo  *self,
       GError **error)
{
  g_autoptr(TbCloud) cloud = NULL;

  if (self->context == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The context is gone.");
      return FALSE;
    }
  cloud = tb_cloud_new ("demo",
                        tb_sim_get_login_base (self->sim),
                        tb_sim_get_graph_base (self->sim),
                        tb_sim_get_acs_base (self->sim),
                        error);
  if (cloud == NULL)
    return FALSE;

  adopt_pool (self);
  tb_context_set_demo_tenant (self->context, tb_sim_get_domains (self->sim)[0],
                              tb_sim_get_tenant_id (self->sim));
  self->adopted = TRUE;
  tb_context_set_cloud (self->context, cloud);
  tb_context_set_demo (self->context, TRUE);
  tb_context_set_demo_pending (self->context, FALSE);
  return TRUE;
}

static void
ensure_pool (TbDemo *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->adopted || self->threaded || self->sim_winrm != NULL)
    return;
  if (!start_pool (self, &error))
    {
      g_warning ("The demo Front End could not start: %s", error->message);
      return;
    }
  settle_renewal_due (self, self->sim);
  adopt_pool (self);
}

/* Waits for the demo thread and adopts its simulators; answers the tasks of
 * tb_demo_start_async either way. */
static gboolean
finish_thread (TbDemo  *self,
               GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *tasks;
  gboolean ok = TRUE;

  if (!self->adopted &&
      (!tb_service_thread_wait (self->thread, &local_error) || !adopt (self, &local_error)))
    {
      g_clear_pointer (&self->thread, tb_service_thread_free);
      stop_services (self);
      g_clear_object (&self->sim);
      g_clear_object (&self->sim_winrm);
      tb_secret_clear (&self->password);
      if (self->context != NULL)
        tb_context_set_demo_pending (self->context, FALSE);
      ok = FALSE;
    }

  tasks = g_steal_pointer (&self->tasks);
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

static gboolean
on_thread_ready (gpointer user_data)
{
  /* Errors go to the tasks waiting; the ready source belongs to the thread, which
   * finish_thread drops when the start failed. */
  finish_thread (TB_DEMO (user_data), NULL);
  return G_SOURCE_REMOVE;
}

static void
start_thread (TbDemo *self)
{
  if (self->thread != NULL)
    return;
  self->threaded = TRUE;
  self->thread = tb_service_thread_new ("tb-demo", start_services, stop_services,
                                        on_thread_ready, self);
}

/* ---- The context's provider ----------------------------------------------------------------- */

static gboolean
provider_start (gpointer   data,
                GError   **error)
{
  return tb_demo_start (TB_DEMO (data), error);
}

static gboolean
provider_start_pool (gpointer   data,
                     GError   **error)
{
  ensure_pool (TB_DEMO (data));
  return TRUE;
}

static const TbContextDemoProvider provider = {
  .start = provider_start,
  .start_pool = provider_start_pool,
};

/* ---- Public ------------------------------------------------------------------------------------ */

TbDemo *
tb_demo_attach (TbContext   *context,
                const char  *scenario,
                GError     **error)
{
  TbDemo *self;

  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  if (scenario == NULL)
    scenario = TB_DEMO_SCENARIO_DEFAULT;
  if (!g_strv_contains (scenarios, scenario))
    {
      g_autofree char *names = g_strjoinv (", ", (char **) scenarios);

      g_set_error (error, TB_DEMO_ERROR, TB_DEMO_ERROR_UNKNOWN_SCENARIO,
                   _("Unknown demo scenario “%s”; the scenarios are: %s"), scenario, names);
      return NULL;
    }

  self = g_object_new (TB_TYPE_DEMO, NULL);
  self->scenario = g_strdup (scenario);
  self->context = context;
  g_object_add_weak_pointer (G_OBJECT (context), (gpointer *) &self->context);
  /* The size of the demo tenant from the settings, read here in the caller's thread; 0 (the
   * default) keeps the usual small tenant. */
  if (tb_context_get_settings (context) != NULL)
    self->population = g_settings_get_uint (tb_context_get_settings (context),
                                            "demo-tenant-size");
  g_object_set_qdata (G_OBJECT (context), demo_of_context_quark (), self);
  tb_context_set_demo_provider (context, &provider, self, g_object_unref);
  return self;
}

TbDemo *
tb_demo_get_for_context (TbContext *context)
{
  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);
  return g_object_get_qdata (G_OBJECT (context), demo_of_context_quark ());
}

const char *
tb_demo_get_scenario (TbDemo *self)
{
  g_return_val_if_fail (TB_IS_DEMO (self), NULL);
  return self->scenario;
}

void
tb_demo_prepare (TbDemo *self)
{
  g_return_if_fail (TB_IS_DEMO (self));

  if (self->adopted || self->context == NULL || tb_context_get_demo_pending (self->context))
    return;
  tb_context_set_demo_pending (self->context, TRUE);
  tb_context_set_demo (self->context, TRUE);
}

gboolean
tb_demo_start (TbDemo  *self,
               GError **error)
{
  g_return_val_if_fail (TB_IS_DEMO (self), FALSE);

  if (self->adopted)
    return TRUE;

  /* Prepared: the simulators live on their thread; wait for them (tasks still waiting are
   * answered when the ready callback runs). */
  if (self->thread != NULL ||
      (self->context != NULL && tb_context_get_demo_pending (self->context)))
    {
      start_thread (self);
      return finish_thread (self, error);
    }

  if (!start_services (self, error) || !adopt (self, error))
    {
      stop_services (self);
      g_clear_object (&self->sim);
      return FALSE;
    }
  return TRUE;
}

void
tb_demo_start_async (TbDemo              *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_DEMO (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_demo_start_async);
  if (self->adopted)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  tb_demo_prepare (self);
  start_thread (self);
  self->tasks = g_list_append (self->tasks, g_steal_pointer (&task));
}

gboolean
tb_demo_start_finish (TbDemo        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_demo_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

TbSim *
tb_demo_get_sim (TbDemo *self)
{
  g_return_val_if_fail (TB_IS_DEMO (self), NULL);
  return self->adopted ? self->sim : NULL;
}

TbSimWinrm *
tb_demo_get_sim_winrm (TbDemo *self)
{
  g_return_val_if_fail (TB_IS_DEMO (self), NULL);

  ensure_pool (self);
  return self->adopted ? self->sim_winrm : NULL;
}
