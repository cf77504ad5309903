/* tb-auth-device.c: signing in with a device code (RFC 8628)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-auth-device"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tb-auth-private.h"
#include "tb-http.h"
#include "tb-oauth.h"
#include "tb-secret.h"

#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

/* Device code flow */

typedef struct
{
  TbAuthAccess      access;
  TbDeviceCodeFunc  prompt_func;
  gpointer          prompt_data;
  char             *device_code;
  guint             interval;
  gint64            expires_at;     /* monotonic */
  GSource          *wait_source;
  GSource          *cancel_source;
} DeviceData;

static void
device_data_free (DeviceData *dd)
{
  tb_secret_clear (&dd->device_code);
  if (dd->wait_source != NULL)
    {
      g_source_destroy (dd->wait_source);
      g_source_unref (dd->wait_source);
    }
  if (dd->cancel_source != NULL)
    {
      g_source_destroy (dd->cancel_source);
      g_source_unref (dd->cancel_source);
    }
  g_free (dd);
}

static void device_poll (GTask *task);

static void
device_stop_waiting (DeviceData *dd)
{
  if (dd->wait_source != NULL)
    {
      g_source_destroy (dd->wait_source);
      g_clear_pointer (&dd->wait_source, g_source_unref);
    }
  if (dd->cancel_source != NULL)
    {
      g_source_destroy (dd->cancel_source);
      g_clear_pointer (&dd->cancel_source, g_source_unref);
    }
}

static gboolean
on_device_wait_done (gpointer user_data)
{
  GTask *task = user_data;
  DeviceData *dd = g_task_get_task_data (task);

  device_stop_waiting (dd);
  device_poll (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_device_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  DeviceData *dd = g_task_get_task_data (task);

  device_stop_waiting (dd);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Waits dd->interval seconds, or less when the code expires sooner, then polls. Holds the
 * task's reference while waiting. */
static void
device_wait (GTask *task)
{
  DeviceData *dd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  dd->wait_source = g_timeout_source_new (dd->interval * 1000);
  g_source_set_callback (dd->wait_source, on_device_wait_done, task, NULL);
  g_source_attach (dd->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      dd->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (dd->cancel_source, G_SOURCE_FUNC (on_device_cancelled), task, NULL);
      g_source_attach (dd->cancel_source, g_task_get_context (task));
    }
}

static void
on_device_poll (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;   /* the reference device_wait held */
  TbAuth *self = g_task_get_source_object (task);
  DeviceData *dd = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;
  guint status = 0;

  reply = _tb_auth_post_form_finish (self, result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      if (_tb_auth_accept_sign_in_reply (self, reply, dd->access, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  code = tb_json_get_string (reply, "error");
  if (g_strcmp0 (code, "authorization_pending") == 0 || g_strcmp0 (code, "slow_down") == 0)
    {
      /* RFC 8628 §3.5: slow_down raises the interval by 5 seconds for this and all later
       * polls. */
      if (g_strcmp0 (code, "slow_down") == 0)
        dd->interval += 5;

      if (g_get_monotonic_time () >= dd->expires_at)
        {
          g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_EXPIRED,
                                   _("The sign-in code expired before it was used. Start "
                                     "signing in again."));
          g_object_unref (task);
          return;
        }

      device_wait (task);
      return;
    }

  tb_oauth_set_error (reply, status, &error);
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
device_poll (GTask *task)
{
  TbAuth *self = g_task_get_source_object (task);
  DeviceData *dd = g_task_get_task_data (task);
  g_autoptr(GHashTable) form = _tb_auth_new_form ();
  g_autofree char *uri = _tb_auth_endpoint_for (self, "token");

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (form, "grant_type", g_strdup (DEVICE_CODE_GRANT));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "device_code", g_strdup (dd->device_code));

  _tb_auth_post_form_async (self, uri, form, g_task_get_cancellable (task), on_device_poll, task);
}

static void
on_device_code (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  DeviceData *dd = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TbDeviceCodePrompt) prompt = NULL;
  const char *device_code;
  const char *user_code;
  const char *verification_uri;
  TbAuthDeviceCodeReply parsed;

  reply = _tb_auth_post_form_finish_ok (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!tb_auth_read_device_code_reply (reply, &parsed, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  device_code = parsed.device_code;
  user_code = parsed.user_code;
  verification_uri = parsed.verification_uri;

  dd->device_code = g_strdup (device_code);
  dd->interval = parsed.interval;
  dd->expires_at = g_get_monotonic_time () + parsed.expires_in * G_USEC_PER_SEC;

  prompt = g_new0 (TbDeviceCodePrompt, 1);
  prompt->user_code = g_strdup (user_code);
  prompt->verification_uri = g_strdup (verification_uri);
  prompt->message = g_strdup (parsed.message);
  if (prompt->message == NULL)
    prompt->message = g_strdup_printf (_("To sign in, open %s and enter the code %s."),
                                       verification_uri, user_code);
  prompt->expires_at = dd->expires_at;
  prompt->interval = dd->interval;

  if (dd->prompt_func != NULL)
    dd->prompt_func (prompt, dd->prompt_data);

  device_wait (g_steal_pointer (&task));
}

void
tb_auth_sign_in_device_code_async (TbAuth              *self,
                                   TbAuthAccess         access,
                                   TbDeviceCodeFunc     prompt_func,
                                   gpointer             prompt_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = _tb_auth_new_form ();
  g_autofree char *uri = NULL;
  DeviceData *dd;

  g_return_if_fail (TB_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_auth_sign_in_device_code_async);
  dd = g_new0 (DeviceData, 1);
  dd->access = access;
  dd->prompt_func = prompt_func;
  dd->prompt_data = prompt_data;
  g_task_set_task_data (task, dd, (GDestroyNotify) device_data_free);

  /* A new interactive sign-in starts from the tenant the admin named. */
  _tb_auth_forget_tenant_id (self);

  uri = _tb_auth_endpoint_for (self, "devicecode");
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "scope", _tb_auth_scope_for (self, access));

  _tb_auth_post_form_async (self, uri, form, cancellable, on_device_code, g_steal_pointer (&task));
}

gboolean
tb_auth_sign_in_device_code_finish (TbAuth        *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == tb_auth_sign_in_device_code_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
