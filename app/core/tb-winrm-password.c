/* tb-winrm-password.c: a WinRM (Basic) password remembered in the keyring, when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-winrm-password"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-dl-secret.h"
#include "tb-secret.h"
#include "tb-winrm-password.h"
#include "tb-winrm-shell.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".WinRM", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static char *
host_key (const char *host,
          guint       port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  if (port == 0 || port == TB_WINRM_DEFAULT_PORT)
    return g_steal_pointer (&lower);
  return g_strdup_printf ("%s:%u", lower, port);
}

void
tb_winrm_password_free (char *password)
{
  tb_secret_free (password);
}

/* A keyring call of this unit begun for @source_tag: a task without a source object. */
static GTask *
task_new (gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/* Ends @task (its reference taken) with @error (taken) when set, else with TRUE. Whether a
 * store or clear failed is in its error, not in what its finish returns: a store returns FALSE
 * only with an error, a clear returns FALSE also when there was nothing to clear. */
static void
return_done (GTask  *task,
             GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_store (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GError *error = NULL;

  secret_password_store_finish (res, &error);
  return_done (user_data, error);
}

void
tb_winrm_password_store_async (const char          *host,
                               guint                port,
                               const char          *user,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  g_autofree char *key = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && user != NULL && password != NULL);

  task = task_new (tb_winrm_password_store_async, cancellable, callback, user_data);
  key = host_key (host, port);
  label = g_strdup_printf (_("Trust Bridge: WinRM password for %s on %s"), user, key);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         on_store, task, "host", key, "user", user, NULL);
}

gboolean
tb_winrm_password_store_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (res, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
tb_winrm_password_lookup_async (const char          *host,
                                guint                port,
                                const char          *user,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  g_autofree char *key = NULL;

  g_return_if_fail (host != NULL && user != NULL);

  task = task_new (tb_winrm_password_lookup_async, cancellable, callback, user_data);
  key = host_key (host, port);
  secret_password_lookup (get_schema (), cancellable, on_lookup, task,
                          "host", key, "user", user, NULL);
}

char *
tb_winrm_password_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  char *password;
  char *copy;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  password = g_task_propagate_pointer (G_TASK (result), error);
  if (password == NULL)
    return NULL;
  /* Handed over as an ordinary string the caller frees with tb_winrm_password_free. */
  copy = g_strdup (password);
  secret_password_free (password);
  return copy;
}

static void
on_clear (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  GError *error = NULL;

  secret_password_clear_finish (res, &error);
  return_done (user_data, error);
}

void
tb_winrm_password_clear_async (const char          *host,
                               guint                port,
                               const char          *user,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  g_autofree char *key = NULL;

  g_return_if_fail (host != NULL && user != NULL);

  task = task_new (tb_winrm_password_clear_async, cancellable, callback, user_data);
  key = host_key (host, port);
  secret_password_clear (get_schema (), cancellable, on_clear, task,
                         "host", key, "user", user, NULL);
}

gboolean
tb_winrm_password_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
