/* tb-auth.c: signing in to the Microsoft identity platform as a public desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <libsecret/secret.h>

#include "tb-auth.h"
#include "tb-auth-private.h"
#include "tb-http.h"
#include "tb-json.h"

/* Refresh this long before the service says a token expires, so a request started with it
 * does not die half-way. */
#define REFRESH_MARGIN_USEC (5 * 60 * G_USEC_PER_SEC)
#define MAX_ID_TOKEN (64 * 1024)
/* Upper bounds for lifetimes a reply claims, in seconds (see accept_token_reply). */
#define MAX_TOKEN_LIFETIME_S (2 * 24 * 60 * 60)
#define MAX_DEVICE_CODE_LIFETIME_S (60 * 60)
#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"

struct _TbAuth
{
  GObject       parent_instance;

  TbCloud      *cloud;
  SoupSession  *session;
  char         *client_id;
  char         *tenant;

  char         *account;
  char         *tenant_id;
  TbAuthAccess  access;
  gboolean      signed_in;

  /* Secrets: memory only (and libsecret for the refresh token). */
  char         *refresh_token;
  char         *access_token[2];   /* by TbAuthAccess */
  gint64        refresh_at[2];     /* real time, microseconds */

  /* get_token callers waiting for the one refresh in flight. */
  GQueue        waiting;
  gboolean      refreshing;
  /* Bumped by sign-out and sign-in so a late refresh reply cannot resurrect old tokens. */
  guint         generation;
};

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

/* Secrets */

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static const SecretSchema *
get_schema (void)
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
static const char *
secret_cloud_key (TbAuth *self)
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
  clear_secret (&sd->refresh_token);
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
store_cb (GObject      *source,
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
store_clear_cb (GObject      *source,
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
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, sd->refresh_token,
                         NULL, store_cb, sd,
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
  secret_password_clear (get_schema (), NULL, store_clear_cb, sd,
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
  sd->cloud = g_strdup (secret_cloud_key (self));
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

static void
store_refresh_token (TbAuth *self)
{
  if (self->refresh_token == NULL)
    return;

  keyring_push (self, g_strdup (self->refresh_token));
}

static void
forget_stored_token (TbAuth *self)
{
  keyring_push (self, NULL);
}

/* Random and PKCE helpers */

static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return text;
}

static char *
random_base64url (gsize bytes)
{
  guint8 buffer[64];
  char *text;

  g_assert (bytes <= sizeof buffer);
  if (gnutls_rnd (GNUTLS_RND_KEY, buffer, bytes) < 0)
    g_error ("gnutls_rnd failed");
  text = base64url (buffer, bytes);
  explicit_bzero (buffer, sizeof buffer);

  return text;
}

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);

  return base64url (digest, len);
}

/* Claims of a JWT, unverified: good for showing who signed in, never for deciding access. */
static JsonObject *
decode_jwt_claims (const char *jwt)
{
  g_autoptr(GString) b64 = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *start;
  const char *end;
  guchar *decoded;
  gsize len;

  if (jwt == NULL || strlen (jwt) > MAX_ID_TOKEN)
    return NULL;
  start = strchr (jwt, '.');
  if (start == NULL)
    return NULL;
  start++;
  end = strchr (start, '.');
  if (end == NULL)
    return NULL;

  b64 = g_string_new_len (start, end - start);
  for (gsize i = 0; i < b64->len; i++)
    {
      if (b64->str[i] == '-')
        b64->str[i] = '+';
      else if (b64->str[i] == '_')
        b64->str[i] = '/';
      else if (!g_ascii_isalnum (b64->str[i]) && b64->str[i] != '+' && b64->str[i] != '/')
        return NULL;
    }
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');

  decoded = g_base64_decode (b64->str, &len);
  bytes = g_bytes_new_take (decoded, len);

  return tb_http_parse_json_object (bytes, MAX_ID_TOKEN, NULL);
}

static gboolean
is_guid (const char *text)
{
  static const char pattern[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (text == NULL || strlen (text) != strlen (pattern))
    return FALSE;
  for (gsize i = 0; pattern[i]; i++)
    {
      if (pattern[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* GObject */

static void
tb_auth_finalize (GObject *object)
{
  TbAuth *self = TB_AUTH (object);
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was stopped."));
  fail_waiting (self, error);

  clear_secret (&self->refresh_token);
  clear_secret (&self->access_token[0]);
  clear_secret (&self->access_token[1]);
  g_clear_object (&self->cloud);
  g_clear_object (&self->session);
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
      g_value_set_int (value, self->access);
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
    g_param_spec_int ("access", NULL, NULL, TB_AUTH_ACCESS_READ, TB_AUTH_ACCESS_WRITE,
                      TB_AUTH_ACCESS_READ,
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

  self = g_object_new (TB_TYPE_AUTH, NULL);
  self->cloud = g_object_ref (cloud);
  self->session = g_object_ref (session);
  self->client_id = g_strdup (client_id && *client_id ? client_id : TB_AUTH_DEFAULT_CLIENT_ID);
  self->tenant = g_strdup (tenant && *tenant ? tenant : "organizations");
  self->access = TB_AUTH_ACCESS_READ;

  return self;
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

static char *
scope_for (TbAuth       *self,
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
static char *
endpoint_for (TbAuth     *self,
              const char *what)
{
  g_autofree char *path = g_strdup_printf ("oauth2/v2.0/%s", what);

  return tb_cloud_login_uri (self->cloud, self->tenant_id ? self->tenant_id : self->tenant, path);
}

static GHashTable *
new_form (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* The first line of error_description: the service's own words without trace IDs. */
static char *
describe_oauth_error (JsonObject *reply)
{
  const char *description = tb_json_get_string (reply, "error_description");
  const char *error = tb_json_get_string (reply, "error");
  g_autofree char *text = NULL;
  char *cut;

  if (description == NULL || *description == '\0')
    return g_strdup (error ? error : _("unknown error"));

  text = g_strndup (description, 500);
  if ((cut = strpbrk (text, "\r\n")) != NULL)
    *cut = '\0';
  g_strstrip (text);

  return g_steal_pointer (&text);
}

static gboolean
reply_has_error_code (JsonObject *reply,
                      gint64      code)
{
  JsonNode *node = json_object_get_member (reply, "error_codes");
  const char *description = tb_json_get_string (reply, "error_description");
  g_autofree char *needle = g_strdup_printf ("AADSTS%" G_GINT64_FORMAT ":", code);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_INT64
              && json_node_get_int (item) == code)
            return TRUE;
        }
    }

  return description != NULL && strstr (description, needle) != NULL;
}

/* AADSTS65001 consent missing, 65004 declined consent, 70011 invalid scope for this app. */
static gboolean
is_consent_error (JsonObject *reply)
{
  const char *error = tb_json_get_string (reply, "error");

  return g_strcmp0 (error, "consent_required") == 0
         || g_strcmp0 (error, "interaction_required") == 0
         || reply_has_error_code (reply, 65001)
         || reply_has_error_code (reply, 65004);
}

/* Maps an OAuth error reply to a translated GError. */
static void
set_oauth_error (JsonObject  *reply,
                 guint        status,
                 GError     **error)
{
  const char *code = tb_json_get_string (reply, "error");
  g_autofree char *description = describe_oauth_error (reply);

  g_debug ("Token endpoint said %u %s: %s", status, code ? code : "(no error code)", description);

  if (code == NULL)
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                 _("The sign-in service answered with HTTP status %u and no explanation."), status);
  else if (g_str_equal (code, "authorization_declined") || g_str_equal (code, "access_denied"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_DECLINED,
                 _("The sign-in was declined: %s"), description);
  else if (g_str_equal (code, "expired_token"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_EXPIRED,
                 _("The sign-in code expired before it was used. Start signing in again."));
  else if (g_str_equal (code, "bad_verification_code"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                 _("The sign-in service does not recognise the device code: %s"), description);
  else if (g_str_equal (code, "invalid_tenant") || reply_has_error_code (reply, 90002))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_INVALID_TENANT,
                 _("The tenant is not known to this cloud’s sign-in service: %s"), description);
  else if (is_consent_error (reply))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                 _("These permissions have not been granted yet. Sign in again to consent: %s"),
                 description);
  else if (g_str_equal (code, "invalid_grant"))
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_INVALID_GRANT,
                 _("The sign-in service refused the grant: %s"), description);
  else
    g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                 _("The sign-in service refused the request: %s"), description);
}

/* POST a form to the login service; the reply is the JSON object whatever the status. */

typedef struct
{
  guint status;
} PostData;

static void
post_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "msg");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *reply;
  guint status;

  body = tb_http_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (error, TB_HTTP_ERROR, TB_HTTP_ERROR_TOO_LARGE))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                                 _("Cannot reach the sign-in service: %s"), error->message);
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

static void
post_form_async (TbAuth              *self,
                 const char          *uri,
                 GHashTable          *form,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;

  g_task_set_source_tag (task, post_form_async);
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
  g_object_set_data_full (G_OBJECT (task), "msg", g_object_ref (msg), g_object_unref);

  tb_http_send_and_read_async (self->session, msg, TB_HTTP_MAX_LOGIN_REPLY, G_PRIORITY_DEFAULT,
                               cancellable, post_cb, g_steal_pointer (&task));
}

static JsonObject *
post_form_finish (TbAuth        *self,
                  GAsyncResult  *result,
                  guint         *status,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (status != NULL)
    *status = *(guint *) g_task_get_task_data (G_TASK (result));

  return g_task_propagate_pointer (G_TASK (result), error);
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
tb_auth_token_reply_clear (TbAuthTokenReply *reply)
{
  g_clear_pointer (&reply->account, g_free);
  g_clear_pointer (&reply->tenant_id, g_free);
}

gboolean
tb_auth_read_token_reply (JsonObject        *reply,
                          TbAuthAccess       access,
                          TbAuthTokenReply  *out,
                          GError           **error)
{
  const char *access_token = tb_json_get_string (reply, "access_token");
  const char *refresh_token = tb_json_get_string (reply, "refresh_token");
  const char *id_token = tb_json_get_string (reply, "id_token");
  const char *scope = tb_json_get_string (reply, "scope");
  const char *token_type = tb_json_get_string (reply, "token_type");
  gint64 expires_in = -1;
  TbAuthAccess granted = access;

  memset (out, 0, sizeof *out);

  /* A number from the wire: bounded before it is multiplied into microseconds. Entra access
   * tokens live at most a day or so; a longer claim only means an earlier refresh. */
  if (!tb_json_get_int_clamped (reply, "expires_in", G_MININT32, MAX_TOKEN_LIFETIME_S,
                                &expires_in))
    expires_in = -1;

  if (access_token == NULL || *access_token == '\0' || expires_in <= 0
      || (token_type != NULL && g_ascii_strcasecmp (token_type, "Bearer") != 0))
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                   _("The sign-in service’s reply holds no usable access token."));
      return FALSE;
    }

  /* The service may grant less than asked (or more, when write was consented before). */
  if (scope != NULL)
    granted = strstr (scope, "Application.ReadWrite.All") != NULL ? TB_AUTH_ACCESS_WRITE
                                                                   : TB_AUTH_ACCESS_READ;
  if (access == TB_AUTH_ACCESS_WRITE && granted != TB_AUTH_ACCESS_WRITE)
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                   _("Write access (Application.ReadWrite.All) was not granted. Sign in again "
                     "with an account that may consent to it."));
      return FALSE;
    }

  out->access_token = access_token;
  out->refresh_token = refresh_token != NULL && *refresh_token != '\0' ? refresh_token : NULL;
  out->expires_in = expires_in;
  out->granted = granted;

  if (id_token != NULL)
    {
      g_autoptr(JsonObject) claims = decode_jwt_claims (id_token);
      const char *account = NULL;
      const char *tid;

      if (claims != NULL)
        {
          const char *names[] = { "preferred_username", "upn", "email", "unique_name", "name" };

          for (guint i = 0; i < G_N_ELEMENTS (names) && account == NULL; i++)
            account = tb_json_get_string (claims, names[i]);
          out->account = g_strdup (account);

          /* Used only to address the tenant's token endpoint, which checks it anyway. */
          tid = tb_json_get_string (claims, "tid");
          if (is_guid (tid))
            out->tenant_id = g_strdup (tid);
        }
      else
        g_debug ("The ID token's claims could not be read");
    }

  return TRUE;
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

  clear_secret (&self->access_token[granted]);
  self->access_token[granted] = g_strdup (parsed.access_token);
  /* Five minutes before expiry; for tokens that live less than ten minutes, half-way, so a
   * short-lived token is still handed out once it has just been refreshed. */
  self->refresh_at[granted] = g_get_real_time ()
                              + MAX (expires_in * G_USEC_PER_SEC - REFRESH_MARGIN_USEC,
                                     expires_in * G_USEC_PER_SEC / 2);

  if (parsed.refresh_token != NULL && g_strcmp0 (parsed.refresh_token, self->refresh_token) != 0)
    {
      clear_secret (&self->refresh_token);
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
    store_refresh_token (self);

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

static void
forget_tokens (TbAuth *self)
{
  self->generation++;
  clear_secret (&self->refresh_token);
  clear_secret (&self->access_token[0]);
  clear_secret (&self->access_token[1]);
  self->refresh_at[0] = self->refresh_at[1] = 0;
  if (self->access != TB_AUTH_ACCESS_READ)
    {
      self->access = TB_AUTH_ACCESS_READ;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
    }
  set_string_prop (self, &self->account, NULL, PROP_ACCOUNT);
  set_string_prop (self, &self->tenant_id, NULL, PROP_TENANT_ID);
  set_signed_in (self, FALSE);
}

/* An interactive sign-in may be another account: nothing of the previous one may survive. */
static gboolean
accept_sign_in_reply (TbAuth        *self,
                      JsonObject    *reply,
                      TbAuthAccess   access,
                      GError       **error)
{
  self->generation++;
  clear_secret (&self->access_token[0]);
  clear_secret (&self->access_token[1]);
  self->refresh_at[0] = self->refresh_at[1] = 0;
  if (self->access != TB_AUTH_ACCESS_READ)
    {
      self->access = TB_AUTH_ACCESS_READ;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS]);
    }

  return accept_token_reply (self, reply, access, error);
}

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
  clear_secret (&dd->device_code);
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
device_wait_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  DeviceData *dd = g_task_get_task_data (task);

  device_stop_waiting (dd);
  device_poll (task);

  return G_SOURCE_REMOVE;
}

static gboolean
device_cancelled_cb (GCancellable *cancellable,
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
  g_source_set_callback (dd->wait_source, device_wait_done_cb, task, NULL);
  g_source_attach (dd->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      dd->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (dd->cancel_source, G_SOURCE_FUNC (device_cancelled_cb), task, NULL);
      g_source_attach (dd->cancel_source, g_task_get_context (task));
    }
}

static void
device_poll_cb (GObject      *source,
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

  reply = post_form_finish (self, result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      if (accept_sign_in_reply (self, reply, dd->access, &error))
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

  set_oauth_error (reply, status, &error);
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
device_poll (GTask *task)
{
  TbAuth *self = g_task_get_source_object (task);
  DeviceData *dd = g_task_get_task_data (task);
  g_autoptr(GHashTable) form = new_form ();
  g_autofree char *uri = endpoint_for (self, "token");

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (form, "grant_type", g_strdup (DEVICE_CODE_GRANT));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "device_code", g_strdup (dd->device_code));

  post_form_async (self, uri, form, g_task_get_cancellable (task), device_poll_cb, task);
}

gboolean
tb_auth_read_device_code_reply (JsonObject             *reply,
                                TbAuthDeviceCodeReply  *out,
                                GError                **error)
{
  const char *verification_uri;
  gint64 expires_in = -1;
  gint64 interval = 5;

  memset (out, 0, sizeof *out);

  /* v1.0 endpoints spell it verification_url. */
  verification_uri = tb_json_get_string (reply, "verification_uri");
  if (verification_uri == NULL)
    verification_uri = tb_json_get_string (reply, "verification_url");
  /* Numbers from the wire, bounded before any arithmetic: a device code lives 15 minutes. */
  if (!tb_json_get_int_clamped (reply, "expires_in", G_MININT32, MAX_DEVICE_CODE_LIFETIME_S,
                                &expires_in))
    expires_in = -1;
  if (!tb_json_get_int_clamped (reply, "interval", G_MININT32, G_MAXINT32, &interval))
    interval = 5;

  out->device_code = tb_json_get_string (reply, "device_code");
  out->user_code = tb_json_get_string (reply, "user_code");
  out->verification_uri = verification_uri;
  out->message = tb_json_get_string (reply, "message");
  out->expires_in = expires_in;
  /* RFC 8628: 5 seconds when absent; bounded so a bad reply cannot stall or hammer. */
  out->interval = CLAMP (interval, 1, 60);

  if (out->device_code == NULL || out->user_code == NULL || verification_uri == NULL ||
      expires_in <= 0 || !tb_cloud_check_url (verification_uri, NULL))
    {
      g_set_error (error, TB_AUTH_ERROR, TB_AUTH_ERROR_BAD_REPLY,
                   _("The sign-in service’s device code reply is incomplete."));
      return FALSE;
    }

  return TRUE;
}

static void
device_code_cb (GObject      *source,
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
  guint status = 0;

  reply = post_form_finish (self, result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      set_oauth_error (reply, status, &error);
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
  g_autoptr(GHashTable) form = new_form ();
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
  set_string_prop (self, &self->tenant_id, NULL, PROP_TENANT_ID);

  uri = endpoint_for (self, "devicecode");
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "scope", scope_for (self, access));

  post_form_async (self, uri, form, cancellable, device_code_cb, g_steal_pointer (&task));
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

/* Authorization code + PKCE through the browser */

typedef struct
{
  TbAuthAccess  access;
  SoupServer   *server;
  char         *verifier;
  char         *state;
  char         *redirect_uri;
  GSource      *cancel_source;
  gboolean      got_reply;
} BrowserData;

static gboolean
disconnect_server_cb (gpointer user_data);

static void
browser_data_free (BrowserData *bd)
{
  if (bd->server != NULL)
    {
      /* The handler's data is this task: nothing may reach it any more. */
      soup_server_remove_handler (bd->server, NULL);
      if (bd->got_reply)
        /* The browser may still be receiving its page; let it, briefly. */
        g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 5, disconnect_server_cb,
                                    g_object_ref (bd->server), g_object_unref);
      else
        soup_server_disconnect (bd->server);
    }
  g_clear_object (&bd->server);
  clear_secret (&bd->verifier);
  clear_secret (&bd->state);
  g_free (bd->redirect_uri);
  if (bd->cancel_source != NULL)
    {
      g_source_destroy (bd->cancel_source);
      g_source_unref (bd->cancel_source);
    }
  g_free (bd);
}

static void
browser_stop_listening (BrowserData *bd)
{
  if (bd->cancel_source != NULL)
    {
      g_source_destroy (bd->cancel_source);
      g_clear_pointer (&bd->cancel_source, g_source_unref);
    }
}

static gboolean
disconnect_server_cb (gpointer user_data)
{
  SoupServer *server = user_data;

  soup_server_disconnect (server);
  return G_SOURCE_REMOVE;
}

static void
reply_finished_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  SoupServer *server = user_data;

  /* The browser has its page: close the listener from a fresh main loop iteration, not from
   * inside the server's own callback. */
  g_idle_add_full (G_PRIORITY_DEFAULT, disconnect_server_cb, g_object_ref (server),
                   g_object_unref);
}

static void
answer_page (SoupServerMessage *msg,
             SoupServer        *server,
             gboolean           ok)
{
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                          "</head><body><h1>%s</h1><p>%s</p></body></html>",
                          "Trust Bridge",
                          ok ? _("Signed in") : _("Sign-in failed"),
                          ok ? _("You can close this window and return to Trust Bridge.")
                             : _("Return to Trust Bridge for details. You can close this "
                                 "window."));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
  g_signal_connect_object (msg, "finished", G_CALLBACK (reply_finished_cb), server, 0);
}

static gboolean
constant_time_equal (const char *a,
                     const char *b)
{
  gsize la, lb;
  guint8 diff;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;
  for (gsize i = 0; i < la && i < lb; i++)
    diff |= (guint8) (a[i] ^ b[i]);

  return diff == 0;
}

static void
browser_token_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  BrowserData *bd = g_task_get_task_data (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  reply = post_form_finish (self, result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      set_oauth_error (reply, status, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (accept_sign_in_reply (self, reply, bd->access, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
loopback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GTask *task = user_data;
  TbAuth *self = g_task_get_source_object (task);
  BrowserData *bd = g_task_get_task_data (task);
  const char *code;
  const char *state;
  const char *oauth_error;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *uri = NULL;

  /* Favicons and the like: not ours. Only the redirect counts, and only once. */
  if (bd->got_reply || g_strcmp0 (path, "/") != 0
      || g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0
      || query == NULL
      || (!g_hash_table_contains (query, "code") && !g_hash_table_contains (query, "error")))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  bd->got_reply = TRUE;
  browser_stop_listening (bd);

  code = g_hash_table_lookup (query, "code");
  state = g_hash_table_lookup (query, "state");
  oauth_error = g_hash_table_lookup (query, "error");

  if (!constant_time_equal (state, bd->state))
    {
      answer_page (msg, server, FALSE);
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_STATE_MISMATCH,
                               _("The browser returned from a different sign-in attempt. "
                                 "Sign in again."));
      g_object_unref (task);
      return;
    }

  if (oauth_error != NULL || code == NULL || *code == '\0')
    {
      g_autoptr(JsonObject) reply = json_object_new ();
      g_autoptr(GError) error = NULL;
      const char *description = g_hash_table_lookup (query, "error_description");

      json_object_set_string_member (reply, "error", oauth_error ? oauth_error : "invalid_request");
      if (description != NULL)
        json_object_set_string_member (reply, "error_description", description);
      answer_page (msg, server, FALSE);
      set_oauth_error (reply, 400, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  answer_page (msg, server, TRUE);

  form = new_form ();
  g_hash_table_insert (form, "grant_type", g_strdup ("authorization_code"));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "code", g_strdup (code));
  g_hash_table_insert (form, "redirect_uri", g_strdup (bd->redirect_uri));
  g_hash_table_insert (form, "code_verifier", g_strdup (bd->verifier));
  g_hash_table_insert (form, "scope", scope_for (self, bd->access));
  uri = endpoint_for (self, "token");

  post_form_async (self, uri, form, g_task_get_cancellable (task), browser_token_cb, task);
}

static gboolean
browser_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  BrowserData *bd = g_task_get_task_data (task);

  browser_stop_listening (bd);
  bd->got_reply = TRUE;
  soup_server_disconnect (bd->server);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Signing in was cancelled."));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

void
tb_auth_sign_in_browser_async (TbAuth              *self,
                               TbAuthAccess         access,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *authorize = NULL;
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  BrowserData *bd;
  int port;

  g_return_if_fail (TB_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tb_auth_sign_in_browser_async);
  bd = g_new0 (BrowserData, 1);
  bd->access = access;
  g_task_set_task_data (task, bd, (GDestroyNotify) browser_data_free);

  /* 32 random bytes give the 43-character verifier RFC 7636 recommends. */
  bd->verifier = random_base64url (32);
  bd->state = random_base64url (16);
  challenge = pkce_challenge (bd->verifier);

  bd->server = soup_server_new ("server-header", NULL, NULL);
  if (!soup_server_listen_local (bd->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                               _("Cannot listen on this computer for the browser’s answer: %s"),
                               error->message);
      return;
    }
  uris = soup_server_get_uris (bd->server);
  port = uris ? g_uri_get_port (uris->data) : -1;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (port <= 0)
    {
      g_task_return_new_error (task, TB_AUTH_ERROR, TB_AUTH_ERROR_SERVER,
                               _("Cannot listen on this computer for the browser’s answer."));
      return;
    }

  /* Microsoft matches loopback redirect URIs without the port, so an ephemeral one works. */
  bd->redirect_uri = g_strdup_printf ("http://localhost:%d/", port);

  /* The listener holds a task reference until it is answered or cancelled. */
  soup_server_add_handler (bd->server, NULL, loopback_handler, g_object_ref (task), NULL);
  if (cancellable != NULL)
    {
      bd->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (bd->cancel_source, G_SOURCE_FUNC (browser_cancelled_cb), task, NULL);
      g_source_attach (bd->cancel_source, g_task_get_context (task));
    }

  set_string_prop (self, &self->tenant_id, NULL, PROP_TENANT_ID);
  scope = scope_for (self, access);
  query = soup_form_encode ("client_id", self->client_id,
                            "response_type", "code",
                            "redirect_uri", bd->redirect_uri,
                            "response_mode", "query",
                            "scope", scope,
                            "state", bd->state,
                            "code_challenge", challenge,
                            "code_challenge_method", "S256",
                            "prompt", "select_account",
                            NULL);
  authorize = endpoint_for (self, "authorize");
  uri = g_strdup_printf ("%s?%s", authorize, query);

  g_signal_emit (self, signals[OPEN_URI], 0, uri);
}

gboolean
tb_auth_sign_in_browser_finish (TbAuth        *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == tb_auth_sign_in_browser_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
token_cancelled_cb (GCancellable *cancellable,
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
refresh_cb (GObject      *source,
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

  reply = post_form_finish (self, result, &status, &error);

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
      g_autofree char *description = describe_oauth_error (reply);

      if (access == TB_AUTH_ACCESS_WRITE && is_consent_error (reply))
        {
          /* The refresh token still works for reading; only write needs a new sign-in. */
          g_debug ("Write access not consented: %s", description);
          error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("Write access (Application.ReadWrite.All) has not been granted. "
                                 "Sign in with write access to make changes."));
        }
      else if (g_strcmp0 (code, "invalid_grant") == 0 || is_consent_error (reply))
        {
          g_debug ("Refresh token refused: %s", description);
          forget_tokens (self);
          forget_stored_token (self);
          error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                               _("Your sign-in has expired or was revoked. Sign in again."));
        }
      else
        set_oauth_error (reply, status, &error);
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

  form = new_form ();
  g_hash_table_insert (form, "grant_type", g_strdup ("refresh_token"));
  g_hash_table_insert (form, "client_id", g_strdup (self->client_id));
  g_hash_table_insert (form, "refresh_token", g_strdup (self->refresh_token));
  g_hash_table_insert (form, "scope", scope_for (self, access));
  uri = endpoint_for (self, "token");

  rd = g_new0 (RefreshData, 1);
  rd->self = g_object_ref (self);
  rd->access = access;
  rd->generation = self->generation;
  self->refreshing = TRUE;

  /* Not cancellable by any one caller: others may be waiting for the same refresh. */
  post_form_async (self, uri, form, NULL, refresh_cb, rd);
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
      g_source_set_callback (td->cancel_source, G_SOURCE_FUNC (token_cancelled_cb), task, NULL);
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
          clear_secret (&self->access_token[level]);
          self->refresh_at[level] = 0;
        }
    }
}

/* Restore from libsecret */

static void
restore_refresh_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = tb_auth_get_token_finish (TB_AUTH (source), result, &error);
  if (token == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
  if (token != NULL)
    explicit_bzero (token, strlen (token));
}

static void
restore_lookup_cb (GObject      *source,
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
                           restore_refresh_cb, g_steal_pointer (&task));
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
      tb_auth_get_token_async (self, TB_AUTH_ACCESS_READ, cancellable, restore_refresh_cb,
                               g_steal_pointer (&task));
      return;
    }

  secret_password_lookup (get_schema (), cancellable, restore_lookup_cb, g_steal_pointer (&task),
                          "cloud", secret_cloud_key (self),
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

void
tb_auth_sign_out (TbAuth *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TB_IS_AUTH (self));

  forget_tokens (self);
  forget_stored_token (self);

  error = g_error_new (TB_AUTH_ERROR, TB_AUTH_ERROR_NOT_SIGNED_IN,
                       _("You signed out of Microsoft 365."));
  fail_waiting (self, error);
}
