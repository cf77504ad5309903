/* tb-auth-keyring.c: the refresh token in the Secret Service, stored, forgotten and restored
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-auth-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-auth-private.h"
#include "tb-dl-secret.h"
#include "tb-secret.h"

/* Secrets */

const SecretSchema *
tb_auth_secret_schema (void)
{
  static const SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    {
      { "cloud", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "tenant", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* Custom clouds are keyed by their login address: a refresh token must never be offered to
 * a different login service that happens to share the name "custom". */
const char *
tb_auth_secret_cloud_key (TbAuth *self)
{
  return tb_cloud_is_custom (self->cloud) ? tb_cloud_get_login (self->cloud)
                                          : tb_cloud_get_name (self->cloud);
}

/* Keyring writes (store = clear then store; forget = clear) run one at a time, in the order
 * asked, for every TbAuth of the process: a sign-out that follows a sign-in before its store
 * finished must not be overtaken by that store, or the token outlives the sign-out. */
typedef struct
{
  char *refresh_token;   /* NULL: forget */
  char *cloud;
  char *tenant;
  char *account;
  char *client_id;
} StoreData;

static GQueue   keyring_ops = G_QUEUE_INIT;
static gboolean keyring_busy;

static void
store_data_free (StoreData *sd)
{
  tb_secret_clear (&sd->refresh_token);
  g_free (sd->cloud);
  g_free (sd->tenant);
  g_free (sd->account);
  g_free (sd->client_id);
  g_free (sd);
}

static void keyring_run_next (void);

static void
keyring_op_done (StoreData *sd)
{
  store_data_free (sd);
  keyring_busy = FALSE;
  keyring_run_next ();
}

static void
on_store (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_debug ("Refresh token kept in memory only: %s", error->message);
  else
    g_debug ("Refresh token stored with libsecret");
  keyring_op_done (user_data);
}

static void
on_store_clear (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  StoreData *sd = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      /* No Secret Service: the token stays in memory, which is all we promise. */
      if (sd->refresh_token != NULL)
        g_debug ("Refresh token kept in memory only: %s", error->message);
      else
        g_debug ("Could not remove the stored refresh token: %s", error->message);
      keyring_op_done (sd);
      return;
    }
  if (sd->refresh_token == NULL)
    {
      keyring_op_done (sd);
      return;
    }

  label = g_strdup_printf (_("Trust Bridge sign-in for %s"), sd->account ? sd->account : sd->tenant);
  secret_password_store (tb_auth_secret_schema (), SECRET_COLLECTION_DEFAULT, label, sd->refresh_token,
                         NULL, on_store, sd,
                         "cloud", sd->cloud,
                         "tenant", sd->tenant,
                         "account", sd->account ? sd->account : "",
                         "client-id", sd->client_id,
                         NULL);
}

static void
keyring_run_next (void)
{
  StoreData *sd;

  if (keyring_busy || (sd = g_queue_pop_head (&keyring_ops)) == NULL)
    return;

  keyring_busy = TRUE;
  /* One stored token per cloud/tenant/client: drop the previous one (maybe another account). */
  secret_password_clear (tb_auth_secret_schema (), NULL, on_store_clear, sd,
                         "cloud", sd->cloud,
                         "tenant", sd->tenant,
                         "client-id", sd->client_id,
                         NULL);
}

static void
keyring_push (TbAuth *self,
              char   *refresh_token)
{
  StoreData *sd = g_new0 (StoreData, 1);

  sd->refresh_token = refresh_token;
  sd->cloud = g_strdup (tb_auth_secret_cloud_key (self));
  sd->tenant = g_strdup (self->tenant);
  sd->account = g_strdup (self->account);
  sd->client_id = g_strdup (self->client_id);

  /* Every operation starts by clearing its cloud/tenant/client, so one still waiting for the
   * same key is superseded. */
  for (GList *l = keyring_ops.head; l != NULL;)
    {
      StoreData *queued = l->data;
      GList *next = l->next;

      if (g_str_equal (queued->cloud, sd->cloud) && g_str_equal (queued->tenant, sd->tenant)
          && g_str_equal (queued->client_id, sd->client_id))
        {
          store_data_free (queued);
          g_queue_delete_link (&keyring_ops, l);
        }
      l = next;
    }

  g_queue_push_tail (&keyring_ops, sd);
  keyring_run_next ();
}

void
_tb_auth_store_refresh_token (TbAuth *self)
{
  if (self->refresh_token == NULL)
    return;

  keyring_push (self, g_strdup (self->refresh_token));
}

void
_tb_auth_forget_stored_token (TbAuth *self)
{
  keyring_push (self, NULL);
}

/* Restore from libsecret */

static void
on_restore_refresh (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  tb_autosecret char *token = NULL;

  token = tb_auth_get_token_finish (TB_AUTH (source), result, &error);
  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_restore_lookup (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  char *stored;

  stored = secret_password_lookup_finish (result, &error);
  if (stored == NULL)
    {
      if (error != NULL)
        g_debug ("No stored sign-in (Secret Service unavailable): %s", error->message);
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("You are not signed in to Microsoft 365. Sign in first."));
      return;
    }

  if (self->refresh_token == NULL)
    self->refresh_token = g_strdup (stored);
  secret_password_free (stored);

  /* A refresh proves the token still works and tells who it belongs to. */
  /* Not g_task_get_cancellable (task) among the arguments: their order of evaluation is
   * unspecified, and g_steal_pointer (&task) may come first. */
  tb_auth_get_token_async (self, TB_AUTH_ACCESS_READ, cancellable,
                           on_restore_refresh, g_steal_pointer (&task));
}

void
tb_auth_restore_async (TbAuth              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TB_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_auth_restore_async);

  if (self->refresh_token != NULL)
    {
      tb_auth_get_token_async (self, TB_AUTH_ACCESS_READ, cancellable, on_restore_refresh,
                               g_steal_pointer (&task));
      return;
    }

  secret_password_lookup (tb_auth_secret_schema (), cancellable, on_restore_lookup, g_steal_pointer (&task),
                          "cloud", tb_auth_secret_cloud_key (self),
                          "tenant", self->tenant,
                          "client-id", self->client_id,
                          NULL);
}

gboolean
tb_auth_restore_finish (TbAuth        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_auth_restore_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
