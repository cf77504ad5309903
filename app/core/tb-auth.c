/* tb-auth.c: signing in to the Microsoft identity platform as a public desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The object, its token cache and the refresh every client shares. The sign-in flows live in
 * tb-auth-device.c and tb-auth-browser.c, the keyring in tb-auth-keyring.c, the pure OAuth
 * helpers in tb-oauth.c; tb-auth-private.h holds what they share.
 */
#define G_LOG_DOMAIN "TrustBridge-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tb-auth.h"
#include "tb-auth-private.h"
#include "tb-core-enums.h"
#include "tb-dl-soup.h"
#include "tb-http.h"
#include "tb-json.h"
#include "tb-oauth.h"
#include "tb-secret.h"

/* Refresh this long before the service says a token expires, so a request started with it
 * does not die half-way. */
#define REFRESH_MARGIN_USEC (5 * 60 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (TbAuth, tb_auth, G_TYPE_OBJECT)
G_DEFINE_QUARK (tb-auth-error-quark, tb_auth_error)

enum {
  PROP_0,
  PROP_CLOUD,
  PROP_CLIENT_ID,
  PROP_TENANT,
  PROP_ACCOUNT,
  PROP_TENANT_ID,
  PROP_SIGNED_IN,
  PROP_ACCESS,
  N_PROPS
};

enum {
  OPEN_URI,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void fail_waiting (TbAuth *self, const GError *error);

/* GObject */

static void
tb_auth_finalize (GObject *object)
{
  TbAuth *self = TB_AUTH (object);
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was stopped."));
  fail_waiting (self, error);

  tb_secret_clear (&self->refresh_token);
  tb_secret_clear (&self->access_token[0]);
  tb_secret_clear (&self->access_token[1]);
  g_clear_object (&self->cloud);
  g_clear_object (&self->session);
  g_weak_ref_clear (&self->session_owner);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->tenant, g_free);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->tenant_id, g_free);

  G_OBJECT_CLASS (tb_auth_parent_class)->finalize (object);
}

static void
tb_auth_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TbAuth *self = TB_AUTH (object);

  switch (prop_id)
    {
    case PROP_CLOUD:
      g_value_set_object (value, self->cloud);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_TENANT:
      g_value_set_string (value, self->tenant);
      break;
    case PROP_ACCOUNT:
      g_value_set_string (value, self->account);
      break;
    case PROP_TENANT_ID:
      g_value_set_string (value, self->tenant_id);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->signed_in);
      break;
    case PROP_ACCESS:
      g_value_set_enum (value, self->access);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tb_auth_class_init (TbAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_auth_finalize;
  object_class->get_property = tb_auth_get_property;

  properties[PROP_CLOUD] =
    g_param_spec_object ("cloud", NULL, NULL, TB_TYPE_CLOUD,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TENANT] =
    g_param_spec_string ("tenant", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TENANT_ID] =
    g_param_spec_string ("tenant-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCESS] =
    g_param_spec_enum ("access", NULL, NULL, TB_TYPE_AUTH_ACCESS, TB_AUTH_ACCESS_READ,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TbAuth::open-uri:
   * @uri: the sign-in page to show in the system browser
   */
  signals[OPEN_URI] =
    g_signal_new ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tb_auth_init (TbAuth *self)
{
  g_queue_init (&self->waiting);
  g_weak_ref_init (&self->session_owner, NULL);
}

static TbAuth *
auth_new (TbCloud    *cloud,
          const char *client_id,
          const char *tenant)
{
  TbAuth *self = g_object_new (TB_TYPE_AUTH, NULL);

  self->cloud = g_object_ref (cloud);
  self->client_id = g_strdup (client_id && *client_id ? client_id : TB_AUTH_DEFAULT_CLIENT_ID);
  self->tenant = g_strdup (tenant && *tenant ? tenant : "organizations");
  self->access = TB_AUTH_ACCESS_READ;
  return self;
}

TbAuth *
tb_auth_new (TbCloud     *cloud,
             SoupSession *session,
             const char  *client_id,
             const char  *tenant)
{
  TbAuth *self;

  g_return_val_if_fail (TB_IS_CLOUD (cloud), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = auth_new (cloud, client_id, tenant);
  self->session = g_object_ref (session);
  return self;
}

TbAuth *
tb_auth_new_deferred (TbCloud           *cloud,
                      GObject           *owner,
                      TbAuthSessionFunc  session_func,
                      const char        *client_id,
                      const char        *tenant)
{
  TbAuth *self;

  g_return_val_if_fail (TB_IS_CLOUD (cloud), NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);
  g_return_val_if_fail (session_func != NULL, NULL);

  self = auth_new (cloud, client_id, tenant);
  g_weak_ref_set (&self->session_owner, owner);
  self->session_func = session_func;
  return self;
}

/* The session to send with, a reference: the one given, else the owner's (NULL once the
 * owner is gone; the reference keeps the session should the owner go while it sends). */
static SoupSession *
get_session (TbAuth *self)
{
  g_autoptr(GObject) owner = NULL;

  if (self->session != NULL)
    return g_object_ref (self->session);
  owner = g_weak_ref_get (&self->session_owner);
  return owner != NULL ? g_object_ref (self->session_func (owner)) : NULL;
}

TbCloud *
tb_auth_get_cloud (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), NULL);
  return self->cloud;
}

const char *
tb_auth_get_client_id (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), NULL);
  return self->client_id;
}

const char *
tb_auth_get_tenant (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), NULL);
  return self->tenant;
}

const char *
tb_auth_get_account (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), NULL);
  return self->account;
}

const char *
tb_auth_get_tenant_id (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), NULL);
  return self->tenant_id;
}

gboolean
tb_auth_get_signed_in (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), FALSE);
  return self->signed_in;
}

TbAuthAccess
tb_auth_get_access (TbAuth *self)
{
  g_return_val_if_fail (TB_IS_AUTH (self), TB_AUTH_ACCESS_READ);
  return self->access;
}

void
tb_device_code_prompt_free (TbDeviceCodePrompt *prompt)
{
  if (prompt == NULL)
    return;
  g_free (prompt->user_code);
  g_free (prompt->verification_uri);
  g_free (prompt->message);
  g_free (prompt);
}

/* Protocol helpers */

char *
_tb_auth_scope_for (TbAuth       *self,
           TbAuthAccess  access)
{
  g_autofree char *graph = NULL;

  graph = tb_cloud_graph_scope (self->cloud, access == TB_AUTH_ACCESS_WRITE
                                             ? "Application.ReadWrite.All"
                                             : "Application.Read.All");
  return g_strdup_printf ("%s offline_access openid profile", graph);
}

/* Where token requests go: the tenant GUID once known, so that "organizations" sign-ins
 * refresh against the tenant that issued the token. */
char *
_tb_auth_endpoint_for (TbAuth     *self,
              const char *what)
{
  g_autofree char *path = g_strdup_printf ("oauth2/v2.0/%s", what);

  return tb_cloud_login_uri (self->cloud, self->tenant_id ? self->tenant_id : self->tenant, path);
}

GHashTable *
_tb_auth_new_form (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* POST a form to the login service; the reply is the JSON object whatever the status. */

typedef struct
{
  guint status;
} PostData;

static void
on_post (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = tb_http_send_and_read_get_message (result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *reply;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, tb_http_send_error_new (error, TB_AUTH_ERROR,
                                                         TB_AUTH_ERROR_SERVER,
                                                         _("Cannot reach the sign-in service: "
                                                           "%s"), error->message));
      return;
    }

  status = soup_message_get_status (msg);
  *(guint *) g_task_get_task_data (task) = status;

  reply = tb_http_parse_json_object (body, TB_HTTP_MAX_LOGIN_REPLY, &error);
  if (reply == NULL)
    {
      g_debug ("Sign-in reply with status %u is not JSON: %s", status, error->message);
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                               _("The sign-in service sent an unexpected reply (HTTP status %u)."),
                               status);
      return;
    }

  g_task_return_pointer (task, reply, (GDestroyNotify) json_object_unref);
}

void
_tb_auth_post_form_async (TbAuth              *self,
                 const char          *uri,
                 GHashTable          *form,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupSession) session = NULL;

  g_task_set_source_tag (task, _tb_auth_post_form_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);

  msg = tb_http_new_form_post (uri, form);
  if (msg == NULL)
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                               _("The sign-in address is not valid."));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  session = get_session (self);
  if (session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Signing in was stopped."));
      return;
    }

  tb_http_send_and_read_async (session, msg, TB_HTTP_MAX_LOGIN_REPLY, G_PRIORITY_DEFAULT,
                               cancellable, on_post, g_steal_pointer (&task));
}

JsonObject *
_tb_auth_post_form_finish (TbAuth        *self,
                  GAsyncResult  *result,
                  guint         *status,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (status != NULL)
    *status = *(guint *) g_task_get_task_data (G_TASK (result));

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
_tb_auth_post_form_finish_ok (TbAuth        *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(JsonObject) reply = NULL;
  guint status = 0;

  reply = _tb_auth_post_form_finish (self, result, &status, error);
  if (reply == NULL)
    return NULL;
  if (status != SOUP_STATUS_OK)
    {
      tb_oauth_set_error (reply, status, error);
      return NULL;
    }
  return g_steal_pointer (&reply);
}

static void
set_signed_in (TbAuth   *self,
               gboolean  signed_in)
{
  if (self->signed_in != signed_in)
    {
      self->signed_in = signed_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    }
}

static void
set_string_prop (TbAuth      *self,
                 char       **field,
                 const char  *value,
                 guint        prop)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

void
_tb_auth_forget_tenant_id (TbAuth *self)
{
  set_string_prop (self, &self->tenant_id, NULL, PROP_TENANT_ID);
}

void
_tb_auth_emit_open_uri (TbAuth     *self,
                        const char *uri)
{
  g_signal_emit (self, signals[OPEN_URI], 0, uri);
}

/* Takes the tokens of a successful reply. Returns FALSE with @error when the reply is not a
 * usable token reply. */
static gboolean
accept_token_reply (TbAuth        *self,
                    JsonObject    *reply,
                    TbAuthAccess   access,
                    GError       **error)
{
  TbAuthTokenReply parsed;
  TbAuthAccess granted;
  gint64 expires_in;

  if (!tb_auth_read_token_reply (reply, access, &parsed, error))
    return FALSE;
  granted = parsed.granted;
  expires_in = parsed.expires_in;

  tb_secret_clear (&self->access_token[granted]);
  self->access_token[granted] = g_strdup (parsed.access_token);
  /* Five minutes before expiry; for tokens that live less than ten minutes, half-way, so a
   * short-lived token is still handed out once it has just been refreshed. */
  self->refresh_at[granted] = g_get_real_time ()
                              + MAX (expires_in * G_USEC_PER_SEC - REFRESH_MARGIN_USEC,
                                     expires_in * G_USEC_PER_SEC / 2);

  if (parsed.refresh_token != NULL && g_strcmp0 (parsed.refresh_token, self->refresh_token) != 0)
    {
      tb_secret_clear (&self->refresh_token);
      self->refresh_token = g_strdup (parsed.refresh_token);
    }

  if (parsed.account != NULL)
    set_string_prop (self, &self->account, parsed.account, PROP_ACCOUNT);
  if (parsed.tenant_id != NULL)
    set_string_prop (self, &self->tenant_id, parsed.tenant_id, PROP_TENANT_ID);
  tb_auth_token_reply_clear (&parsed);

  if (granted > self->access)
    {
      self->access = granted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
    }

  set_signed_in (self, TRUE);
  if (parsed.refresh_token != NULL)
    _tb_auth_store_refresh_token (self);

  return TRUE;
}

static const char *
cached_token (TbAuth       *self,
              TbAuthAccess  access)
{
  gint64 now = g_get_real_time ();

  /* A write token serves reads too. */
  for (int level = access; level <= TB_AUTH_ACCESS_WRITE; level++)
    {
      if (self->access_token[level] != NULL
          && self->refresh_at[level] > now)
        return self->access_token[level];
    }

  return NULL;
}

/* The access tokens and the write access they carried; replies still on their way belong
 * to nobody once the generation has moved on. */
static void
forget_access_tokens (TbAuth *self)
{
  self->generation++;
  tb_secret_clear (&self->access_token[0]);
  tb_secret_clear (&self->access_token[1]);
  self->refresh_at[0] = self->refresh_at[1] = 0;
  if (self->access != TB_AUTH_ACCESS_READ)
    {
      self->access = TB_AUTH_ACCESS_READ;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
    }
}

static void
forget_tokens (TbAuth *self)
{
  tb_secret_clear (&self->refresh_token);
  forget_access_tokens (self);
  set_string_prop (self, &self->account, NULL, PROP_ACCOUNT);
  _tb_auth_forget_tenant_id (self);
  set_signed_in (self, FALSE);
}

/* An interactive sign-in may be another account: nothing of the previous one may survive. */
gboolean
_tb_auth_accept_sign_in_reply (TbAuth        *self,
                      JsonObject    *reply,
                      TbAuthAccess   access,
                      GError       **error)
{
  forget_access_tokens (self);

  return accept_token_reply (self, reply, access, error);
}

/* Tokens for clients: cache, one refresh at a time, waiters queued */

typedef struct
{
  TbAuthAccess  access;
  GSource      *cancel_source;
} TokenData;

static void
token_data_free (TokenData *td)
{
  if (td->cancel_source != NULL)
    {
      g_source_destroy (td->cancel_source);
      g_source_unref (td->cancel_source);
    }
  g_free (td);
}

/* A waiter that gives up leaves the queue at once; the shared refresh goes on for the others. */
static gboolean
on_token_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  GList *link = g_queue_find (&self->waiting, task);

  if (link != NULL)
    {
      g_queue_delete_link (&self->waiting, link);
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }

  return G_SOURCE_REMOVE;
}

static void start_refresh (TbAuth *self, TbAuthAccess access);

static void
fail_waiting (TbAuth       *self,
              const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
}

/* Hands out cached tokens to waiters that can use them; starts the next refresh if some
 * waiter still needs one. */
static void
serve_waiting (TbAuth *self)
{
  GList *l = self->waiting.head;

  while (l != NULL)
    {
      GList *next = l->next;
      GTask *task = l->data;
      TokenData *td = g_task_get_task_data (task);
      const char *token = cached_token (self, td->access);

      if (g_task_return_error_if_cancelled (task))
        {
          g_queue_delete_link (&self->waiting, l);
          g_object_unref (task);
        }
      else if (token != NULL)
        {
          g_queue_delete_link (&self->waiting, l);
          g_task_return_pointer (task, g_strdup (token), g_free);
          g_object_unref (task);
        }
      l = next;
    }

  if (!self->refreshing && self->waiting.head != NULL)
    {
      TokenData *td = g_task_get_task_data (self->waiting.head->data);

      start_refresh (self, td->access);
    }
}

/* Waiters for @access (and for read when @access is write) share the outcome. */
static void
fail_waiting_for (TbAuth       *self,
                  TbAuthAccess  access,
                  const GError *error)
{
  GList *l = self->waiting.head;

  while (l != NULL)
    {
      GList *next = l->next;
      GTask *task = l->data;
      TokenData *td = g_task_get_task_data (task);

      if (td->access == access)
        {
          g_queue_delete_link (&self->waiting, l);
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
      l = next;
    }
}

typedef struct
{
  TbAuth       *self;
  TbAuthAccess  access;
  guint         generation;
} RefreshData;

static void
on_refresh (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshData *rd = user_data;
  g_autoptr(TbAuth) self = rd->self;
  TbAuthAccess access = rd->access;
  guint generation = rd->generation;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_free (rd);
  self->refreshing = FALSE;

  reply = _tb_auth_post_form_finish (self, result, &status, &error);

  if (generation != self->generation)
    {
      /* Signed out or in again meanwhile: this reply belongs to nobody. */
      serve_waiting (self);
      return;
    }

  if (reply != NULL && status == SOUP_STATUS_OK)
    {
      if (accept_token_reply (self, reply, access, &error))
        {
          serve_waiting (self);
          return;
        }
    }
  else if (reply != NULL)
    {
      const char *code = tb_json_get_string (reply, "error");
      g_autofree char *description = tb_oauth_describe_error (reply);

      if (access == TB_AUTH_ACCESS_WRITE && tb_oauth_is_consent_error (reply))
        {
          /* The refresh token still works for reading; only write needs a new sign-in. */
          g_debug ("Write access not consented: %s", description);
          error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("Write access (Application.ReadWrite.All) has not been granted. "
                                 "Sign in with write access to make changes."));
        }
      else if (g_strcmp0 (code, "invalid_grant") == 0 || tb_oauth_is_consent_error (reply))
        {
          g_debug ("Refresh token refused: %s", description);
          forget_tokens (self);
          _tb_auth_forget_stored_token (self);
          error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("Your sign-in has expired or was revoked. Sign in again."));
        }
      else
        tb_oauth_set_error (reply, status, &error);
    }

  g_assert (error != NULL);
  fail_waiting_for (self, access, error);
  if (!self->signed_in)
    fail_waiting (self, error);
  serve_waiting (self);
}

static void
start_refresh (TbAuth       *self,
               TbAuthAccess  access)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *uri = NULL;
  RefreshData *rd;

  if (self->refresh_token == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                           _("You are not signed in to Microsoft 365. Sign in first."));
      fail_waiting (self, error);
      return;
    }

  form = _tb_auth_new_form ();
  g_hash_table_insert (form, "grant_type", g_strdup ("refresh_token"));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "refresh_token", g_strdup (self->refresh_token));
  g_hash_table_insert (form, "scope", _tb_auth_scope_for (self, access));
  uri = _tb_auth_endpoint_for (self, "token");

  rd = g_new0 (RefreshData, 1);
  rd->self = g_object_ref (self);
  rd->access = access;
  rd->generation = self->generation;
  self->refreshing = TRUE;

  /* Not cancellable by any one caller: others may be waiting for the same refresh. */
  _tb_auth_post_form_async (self, uri, form, NULL, on_refresh, rd);
}

void
tb_auth_get_token_async (TbAuth              *self,
                         TbAuthAccess         access,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TokenData *td;
  const char *token;

  g_return_if_fail (TB_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_auth_get_token_async);
  td = g_new0 (TokenData, 1);
  td->access = access;
  g_task_set_task_data (task, td, (GDestroyNotify) token_data_free);

  token = cached_token (self, access);
  if (token != NULL)
    {
      g_task_return_pointer (task, g_strdup (token), g_free);
      return;
    }

  if (self->refresh_token == NULL)
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("You are not signed in to Microsoft 365. Sign in first."));
      return;
    }

  if (cancellable != NULL)
    {
      td->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (td->cancel_source, G_SOURCE_FUNC (on_token_cancelled), task, NULL);
      g_source_attach (td->cancel_source, g_task_get_context (task));
    }

  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  if (!self->refreshing)
    start_refresh (self, access);
}

char *
tb_auth_get_token_finish (TbAuth        *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tb_auth_get_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tb_auth_invalidate_token (TbAuth     *self,
                          const char *token)
{
  g_return_if_fail (TB_IS_AUTH (self));

  for (guint level = 0; level < G_N_ELEMENTS (self->access_token); level++)
    {
      if (token == NULL || g_strcmp0 (self->access_token[level], token) == 0)
        {
          tb_secret_clear (&self->access_token[level]);
          self->refresh_at[level] = 0;
        }
    }
}

void
tb_auth_sign_out (TbAuth *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TB_IS_AUTH (self));

  forget_tokens (self);
  _tb_auth_forget_stored_token (self);

  error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                       _("You signed out of Microsoft 365."));
  fail_waiting (self, error);
}
