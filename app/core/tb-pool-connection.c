/* tb-pool-connection.c: how Trust Bridge reaches a Front End
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-pool-connection"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-pool-connection-private.h"
#include "tb-pool-state.h"
#include "tb-secret.h"
#include "tb-winrm-password.h"

G_DEFINE_QUARK (tb-pool-connection-error-quark, tb_pool_connection_error)

struct _TbPoolConnection
{
  char        *host;
  guint        port;
  TbWinrmAuth  auth;
  char        *user;
  char        *password;
  char        *pin;
  char        *display;
  gboolean     demo;
};

void
tb_pool_connection_free (TbPoolConnection *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self->user);
  tb_secret_clear (&self->password);
  g_free (self->pin);
  g_free (self->display);
  g_free (self);
}

gboolean
tb_pool_connection_parse_port (const char  *text,
                               guint       *port,
                               GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint64 value = 0;

  if (*trimmed != '\0' && !g_ascii_string_to_unsigned (trimmed, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_BAD_PORT,
                   _("“%s” is not a port number (1–65535)."), trimmed);
      return FALSE;
    }
  *port = (guint) value;
  return TRUE;
}

TbPoolConnection *
tb_pool_connection_new (TbContext   *context,
                        const char  *host,
                        guint        port,
                        const char  *auth_name,
                        const char  *user,
                        const char  *fingerprint,
                        GError     **error)
{
  g_autoptr(TbPoolConnection) self = g_new0 (TbPoolConnection, 1);
  g_autofree char *name = g_strstrip (g_strdup (host != NULL ? host : ""));
  const char *demo_host = NULL, *demo_fingerprint = NULL;
  guint demo_port = 0;

  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  if (*name == '\0')
    {
      g_set_error_literal (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_NO_HOST,
                           _("Give the Front End’s FQDN."));
      return NULL;
    }
  if (port > 65535)
    {
      g_set_error (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_BAD_PORT,
                   _("%u is not a port number (1–65535)."), port);
      return NULL;
    }
  self->auth = TB_WINRM_AUTH_KERBEROS;
  if (auth_name != NULL && !tb_winrm_auth_from_string (auth_name, &self->auth))
    {
      g_set_error (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_BAD_AUTH,
                   _("Unknown authentication “%s”; use kerberos or basic."), auth_name);
      return NULL;
    }
  if (fingerprint != NULL)
    {
      self->pin = tb_winrm_normalize_fingerprint (fingerprint);
      if (self->pin == NULL)
        {
          g_set_error_literal (error, TB_POOL_CONNECTION_ERROR,
                               TB_POOL_CONNECTION_ERROR_BAD_FINGERPRINT,
                               _("A listener fingerprint is a SHA-256 fingerprint: 64 "
                                 "hexadecimal digits, colons allowed."));
          return NULL;
        }
    }
  if (self->auth == TB_WINRM_AUTH_KERBEROS && user != NULL && *user != '\0')
    {
      g_set_error_literal (error, TB_POOL_CONNECTION_ERROR,
                           TB_POOL_CONNECTION_ERROR_USER_WITH_KERBEROS,
                           _("A user name is for Basic authentication; Kerberos uses the ticket "
                             "from kinit."));
      return NULL;
    }
  if (self->auth == TB_WINRM_AUTH_BASIC && (user == NULL || *user == '\0'))
    {
      g_set_error_literal (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_NO_USER,
                           _("Basic authentication needs the name of a local account on the "
                             "Front End."));
      return NULL;
    }

  self->host = g_steal_pointer (&name);
  self->port = port != 0 ? port : TB_WINRM_DEFAULT_PORT;
  self->user = self->auth == TB_WINRM_AUTH_BASIC ? g_strdup (user) : NULL;
  self->display = g_strdup (self->host);

  /* The pin: the one given; the demo Front End's, which needs no confirmation; or one the
   * admin confirmed before. */
  if (self->pin == NULL)
    {
      if (tb_context_get_demo_pool (context, &demo_host, &demo_port, NULL, NULL,
                                    &demo_fingerprint) &&
          g_ascii_strcasecmp (self->host, demo_host) == 0 && self->port == demo_port)
        self->pin = g_strdup (demo_fingerprint);
      else
        self->pin = tb_winrm_pins_lookup (tb_context_get_winrm_pins (context), self->host,
                                          self->port);
    }
  return g_steal_pointer (&self);
}

static TbPoolConnection *
new_demo (TbContext  *context,
          const char *display_host)
{
  TbPoolConnection *self;
  const char *host, *user, *password, *fingerprint;
  guint port;

  if (!tb_context_get_demo_pool (context, &host, &port, &user, &password, &fingerprint))
    return NULL;

  self = g_new0 (TbPoolConnection, 1);
  self->host = g_strdup (host);
  self->port = port;
  self->auth = TB_WINRM_AUTH_BASIC;
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  self->pin = g_strdup (fingerprint);
  self->demo = TRUE;
  self->display = g_strdup (display_host != NULL
                              ? display_host
                              : tb_context_get_demo_pool_server_fqdn (context));
  return self;
}

TbPoolConnection *
tb_pool_connection_new_demo (TbContext   *context,
                             const char  *display_host,
                             GError     **error)
{
  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);

  if (!tb_context_get_demo_pool (context, NULL, NULL, NULL, NULL, NULL) &&
      !tb_context_start_demo (context, error))
    return NULL;
  return new_demo (context, display_host);
}

TbPoolConnection *
tb_pool_connection_dup_demo (TbContext *context)
{
  g_return_val_if_fail (TB_IS_CONTEXT (context), NULL);
  return new_demo (context, NULL);
}

const char *
tb_pool_connection_get_host (TbPoolConnection *self)
{
  return self->host;
}

guint
tb_pool_connection_get_port (TbPoolConnection *self)
{
  return self->port;
}

TbWinrmAuth
tb_pool_connection_get_auth (TbPoolConnection *self)
{
  return self->auth;
}

const char *
tb_pool_connection_get_user (TbPoolConnection *self)
{
  return self->user;
}

const char *
tb_pool_connection_get_display (TbPoolConnection *self)
{
  return self->display;
}

gboolean
tb_pool_connection_get_demo (TbPoolConnection *self)
{
  return self->demo;
}

const char *
tb_pool_connection_get_pin (TbPoolConnection *self)
{
  return self->pin;
}

const char *
tb_pool_connection_get_password (TbPoolConnection *self)
{
  return self->password;
}

gboolean
tb_pool_connection_needs_password (TbPoolConnection *self)
{
  return self->auth == TB_WINRM_AUTH_BASIC && self->password == NULL;
}

void
tb_pool_connection_set_password (TbPoolConnection *self,
                                 const char       *password)
{
  tb_secret_clear (&self->password);
  self->password = password != NULL && *password != '\0' ? g_strdup (password) : NULL;
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbPoolConnection *self = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password = tb_winrm_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (password != NULL)
    {
      tb_pool_connection_set_password (self, password);
      tb_winrm_password_free (password);
    }
  g_task_return_boolean (task, self->password != NULL);
}

void
tb_pool_connection_lookup_password_async (TbPoolConnection   *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_pool_connection_lookup_password_async);
  /* The caller keeps @self alive until the callback, as with any _async on a struct. */
  g_task_set_task_data (task, self, NULL);
  if (self->auth != TB_WINRM_AUTH_BASIC)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  tb_winrm_password_lookup_async (self->host, self->port, self->user, cancellable,
                                  on_password_found, task);
}

gboolean
tb_pool_connection_lookup_password_finish (TbPoolConnection *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_password_remembered (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = GPOINTER_TO_INT (g_task_get_task_data (task))
                  ? tb_winrm_password_store_finish (result, &error)
                  : tb_winrm_password_clear_finish (result, &error);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tb_pool_connection_remember_password_async (TbPoolConnection   *self,
                                            gboolean            remember,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tb_pool_connection_remember_password_async);
  g_task_set_task_data (task, GINT_TO_POINTER (remember != FALSE), NULL);
  if (self->auth != TB_WINRM_AUTH_BASIC || self->password == NULL || *self->password == '\0')
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  /* The keyring calls copy what they are given: @self may go before they finish. */
  if (remember)
    tb_winrm_password_store_async (self->host, self->port, self->user, self->password,
                                   cancellable, on_password_remembered, task);
  else
    tb_winrm_password_clear_async (self->host, self->port, self->user, cancellable,
                                   on_password_remembered, task);
}

gboolean
tb_pool_connection_remember_password_finish (TbPoolConnection *self,
                                             GAsyncResult     *result,
                                             GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

TbPoolClient *
tb_pool_connection_new_client (TbPoolConnection *self,
                               GError          **error)
{
  if (tb_pool_connection_needs_password (self))
    {
      g_set_error (error, TB_POOL_CONNECTION_ERROR, TB_POOL_CONNECTION_ERROR_NO_PASSWORD,
                   _("The password for %s on %s is missing."), self->user, self->display);
      return NULL;
    }
  return tb_pool_client_new (self->host, self->port, self->auth, self->user, self->password,
                             self->pin);
}

const char *
tb_pool_connection_get_acs_base (TbContext *context)
{
  if (tb_context_get_demo (context))
    return TB_POOL_DEFAULT_ACS_BASE;
  return tb_cloud_get_acs (tb_context_get_cloud (context));
}
