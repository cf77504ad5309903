/* tb-sim.c: the simulator object, its server and its knobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim"

#include "config.h"

#include <string.h>

#include "tb-dl-gnutls.h"
#include "tb-dl-soup.h"
#include "tb-oauth.h"
#include "tb-secret.h"
#include "tb-sim-private.h"

G_DEFINE_FINAL_TYPE (TbSim, tb_sim, G_TYPE_OBJECT)

TbSimReply *
tb_sim_reply_new (guint status)
{
  TbSimReply *reply = g_new0 (TbSimReply, 1);

  reply->status = status;
  reply->headers = g_ptr_array_new_with_free_func (g_free);
  return reply;
}

void
tb_sim_reply_free (TbSimReply *reply)
{
  if (reply == NULL)
    return;
  g_ptr_array_unref (reply->headers);
  g_clear_pointer (&reply->body, json_node_unref);
  g_free (reply);
}

void
tb_sim_reply_add_header (TbSimReply *reply,
                         const char *name,
                         const char *value)
{
  g_ptr_array_add (reply->headers, g_strdup (name));
  g_ptr_array_add (reply->headers, g_strdup (value));
}

/* Secrets (tokens, codes) come from GnuTLS's key-grade generator, base64url without padding. */
char *
tb_sim_random_token (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (n_bytes);
  char *token;

  if (gnutls_rnd (GNUTLS_RND_KEY, buf, n_bytes) < 0)
    g_error ("gnutls_rnd failed");
  token = tb_oauth_base64url (buf, n_bytes);
  tb_secret_wipe (buf, n_bytes);
  return token;
}

JsonNode *
tb_sim_json_deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *copy = tb_sim_json_object_deep_copy (json_node_get_object (node));
      JsonNode *out = json_node_init_object (json_node_alloc (), copy);

      json_object_unref (copy);
      return out;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      JsonArray *copy = json_array_sized_new (json_array_get_length (src));
      JsonNode *out;

      for (guint i = 0; i < json_array_get_length (src); i++)
        json_array_add_element (copy, tb_sim_json_deep_copy (json_array_get_element (src, i)));
      out = json_node_init_array (json_node_alloc (), copy);
      json_array_unref (copy);
      return out;
    }
  return json_node_copy (node);
}

JsonObject *
tb_sim_json_object_deep_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            tb_sim_json_deep_copy (json_object_get_member (object, l->data)));
  return copy;
}

char *
tb_sim_new_guid (void)
{
  guint8 b[16];

  if (gnutls_rnd (GNUTLS_RND_NONCE, b, sizeof b) < 0)
    g_error ("gnutls_rnd failed");
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
tb_sim_now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
}

gboolean
tb_sim_is_guid (const char *s)
{
  if (s == NULL || strlen (s) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (s[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (s[i]))
        return FALSE;
    }
  return TRUE;
}

const char *
tb_sim_resolve_tenant (TbSim      *self,
                       const char *tenant)
{
  if (tenant == NULL)
    return NULL;
  if (g_ascii_strcasecmp (tenant, self->tenant_id) == 0)
    return self->tenant_id;
  for (guint i = 0; self->domains[i] != NULL; i++)
    if (g_ascii_strcasecmp (tenant, self->domains[i]) == 0)
      return self->tenant_id;
  return NULL;
}

void
tb_sim_respond_json (TbSim             *self,
                     SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *body)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (body != NULL)
    text = json_to_string (body, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  if (text != NULL)
    {
      len = strlen (text);
      soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                        SOUP_MEMORY_TAKE, g_steal_pointer (&text), len);
    }
}

void
tb_sim_respond_text (TbSim             *self,
                     SoupServerMessage *msg,
                     guint              status,
                     const char        *content_type,
                     const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

typedef struct
{
  TbSim             *self;
  SoupServerMessage *msg;
  GSource           *source;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *d = data;

  g_object_unref (d->msg);
  g_free (d);
}

static gboolean
delayed_fire (gpointer data)
{
  Delayed *d = data;

  soup_server_message_unpause (d->msg);
  g_ptr_array_remove_fast (d->self->delayed, d->source);
  return G_SOURCE_REMOVE;
}

void
tb_sim_finish (TbSim             *self,
               SoupServerMessage *msg)
{
  Delayed *d;

  if (self->latency_ms == 0)
    return;

  /* The response is complete; holding it back with a timer keeps the main loop free, so
   * the client's own timers and cancellation keep working during the "network" delay. */
  soup_server_message_pause (msg);
  d = g_new0 (Delayed, 1);
  d->self = self;
  d->msg = g_object_ref (msg);
  d->source = g_timeout_source_new (self->latency_ms);
  g_source_set_callback (d->source, delayed_fire, d, delayed_free);
  g_source_attach (d->source, g_main_context_get_thread_default ());
  g_ptr_array_add (self->delayed, d->source);
  g_source_unref (d->source);
}

static void
default_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TbSim *self = user_data;

  self->request_count++;
  tb_sim_respond_text (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
  tb_sim_finish (self, msg);
}

/* Counts the connections requests arrive on: the first request on a socket marks it. The mark
 * lives on the socket object, so a new connection is never mistaken for an old one. */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  TbSim *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || g_object_get_data (G_OBJECT (socket), "tb-sim-counted") != NULL)
    return;
  g_object_set_data (G_OBJECT (socket), "tb-sim-counted", GINT_TO_POINTER (1));
  self->connection_count++;
}

/* Refuses oversized bodies before libsoup reads them into memory. */
static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  if (length > TB_SIM_MAX_BODY ||
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
}

void
tb_sim_index_principal (TbSim      *self,
                        JsonObject *object)
{
  g_hash_table_insert (self->by_id,
                       g_ascii_strdown (json_object_get_string_member (object, "id"), -1),
                       object);
  g_hash_table_insert (self->by_app_id,
                       g_ascii_strdown (json_object_get_string_member (object, "appId"), -1),
                       object);
}

void
tb_sim_unindex_principal (TbSim      *self,
                          JsonObject *object)
{
  g_autofree char *id = g_ascii_strdown (json_object_get_string_member (object, "id"), -1);
  g_autofree char *app_id = g_ascii_strdown (json_object_get_string_member (object, "appId"), -1);

  g_hash_table_remove (self->by_id, id);
  g_hash_table_remove (self->by_app_id, app_id);
}

static void
tb_sim_finalize (GObject *object)
{
  TbSim *self = TB_SIM (object);

  tb_sim_stop (self);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->login_base, g_free);
  g_clear_pointer (&self->graph_base, g_free);
  g_clear_pointer (&self->acs_base, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  g_clear_pointer (&self->domains, g_strfreev);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->user_name, g_free);
  g_clear_pointer (&self->user_oid, g_free);
  g_clear_pointer (&self->org_display_name, g_free);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->by_app_id, g_hash_table_unref);
  g_clear_pointer (&self->principals, g_ptr_array_unref);
  g_clear_pointer (&self->compact, g_free);
  g_clear_pointer (&self->materialized, g_hash_table_unref);
  g_clear_pointer (&self->acs_cert_der, g_bytes_unref);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->refresh_tokens, g_hash_table_unref);
  g_clear_pointer (&self->user_codes, g_hash_table_unref);
  g_clear_pointer (&self->device_codes, g_hash_table_unref);
  g_clear_pointer (&self->auth_codes, g_hash_table_unref);
  g_clear_pointer (&self->skip_tokens, g_hash_table_unref);
  g_clear_pointer (&self->throttle_retry_after, g_free);
  g_queue_clear_full (&self->key_reads, g_free);

  G_OBJECT_CLASS (tb_sim_parent_class)->finalize (object);
}

static void
tb_sim_class_init (TbSimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tb_sim_finalize;
}

static void
tb_sim_init (TbSim *self)
{
  self->principals = g_ptr_array_new_with_free_func (tb_sim_principal_slot_free);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_app_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) tb_sim_access_token_free);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) tb_sim_grant_free);
  self->device_codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) tb_sim_device_code_free);
  self->user_codes = g_hash_table_new (g_str_hash, g_str_equal);
  self->auth_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) tb_sim_auth_code_free);
  self->skip_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->delayed = g_ptr_array_new ();
  g_queue_init (&self->key_reads);
  self->token_lifetime = 3600;
  self->device_interval = 5;
  self->device_lifetime = 900;
}

TbSim *
tb_sim_new (TbSimTenant tenant)
{
  TbSim *self = g_object_new (TB_TYPE_SIM, NULL);

  self->kind = tenant;
  tb_sim_data_populate (self);
  return self;
}

gboolean
tb_sim_start (TbSim   *self,
              GError **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (TB_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  server = soup_server_new ("server-header", "Microsoft-IIS/10.0 (trust-bridge simulator) ", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (on_request_started), self);
  soup_server_add_handler (server, "/login", tb_sim_login_handler, self, NULL);
  soup_server_add_handler (server, "/graph", tb_sim_faults_graph_handler, self, NULL);
  soup_server_add_handler (server, "/acs", tb_sim_acs_handler, self, NULL);
  soup_server_add_handler (server, NULL, default_handler, self, NULL);

  /* Loopback only: the simulator hands out tokens and must not be reachable from the network. */
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_free (self->login_base);
  g_free (self->graph_base);
  g_free (self->acs_base);
  self->login_base = g_strdup_printf ("http://127.0.0.1:%u/login", self->port);
  self->graph_base = g_strdup_printf ("http://127.0.0.1:%u/graph", self->port);
  self->acs_base = g_strdup_printf ("http://127.0.0.1:%u/acs", self->port);
  self->server = g_steal_pointer (&server);

  g_debug ("Simulator for tenant %s listening on 127.0.0.1:%u", self->tenant_id, self->port);
  return TRUE;
}

void
tb_sim_stop (TbSim *self)
{
  g_return_if_fail (TB_IS_SIM (self));

  while (self->delayed != NULL && self->delayed->len > 0)
    {
      GSource *source = g_ptr_array_steal_index_fast (self->delayed, 0);
      g_source_destroy (source);
    }

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

const char *
tb_sim_get_login_base (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return self->login_base;
}

const char *
tb_sim_get_graph_base (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return self->graph_base;
}

const char *
tb_sim_get_acs_base (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return self->acs_base;
}

gboolean
tb_sim_write_endpoints_file (TbSim       *self,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();

  g_return_val_if_fail (TB_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->server != NULL, FALSE);

  g_key_file_set_comment (file, NULL, NULL,
                          " Trust Bridge simulator on loopback; valid while it runs.", NULL);
  g_key_file_set_string (file, "Endpoints", "Login", self->login_base);
  g_key_file_set_string (file, "Endpoints", "Graph", self->graph_base);
  g_key_file_set_string (file, "Endpoints", "Acs", self->acs_base);
  return g_key_file_save_to_file (file, path, error);
}

const char *
tb_sim_get_tenant_id (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return self->tenant_id;
}

const char * const *
tb_sim_get_domains (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return (const char * const *) self->domains;
}

const char *
tb_sim_get_user (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  return self->user;
}

void
tb_sim_set_latency (TbSim *self,
                    guint  milliseconds)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->latency_ms = milliseconds;
}

void
tb_sim_inject_throttling (TbSim      *self,
                          guint       count,
                          const char *retry_after)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->throttle_count = count;
  g_free (self->throttle_retry_after);
  self->throttle_retry_after = g_strdup (retry_after);
}

void
tb_sim_inject_errors (TbSim *self,
                      guint  count,
                      guint  status)
{
  g_return_if_fail (TB_IS_SIM (self));
  g_return_if_fail (count == 0 || (status >= 400 && status < 600));
  self->error_count = count;
  self->error_status = status;
}

void
tb_sim_set_token_lifetime (TbSim *self,
                           guint  seconds)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->token_lifetime = seconds;
}

void
tb_sim_set_device_auto_approve (TbSim *self,
                                guint  polls)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->device_auto_approve = polls;
}

void
tb_sim_set_device_interval (TbSim *self,
                            guint  seconds)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->device_interval = seconds;
}

void
tb_sim_set_device_code_lifetime (TbSim *self,
                                 guint  seconds)
{
  g_return_if_fail (TB_IS_SIM (self));
  self->device_lifetime = seconds;
}

JsonObject *
tb_sim_dup_service_principal (TbSim      *self,
                              const char *app_id)
{
  g_autofree char *key = NULL;
  JsonObject *object;

  g_return_val_if_fail (TB_IS_SIM (self), NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  key = g_ascii_strdown (app_id, -1);
  object = tb_sim_lookup_stored (self, key, TRUE);
  if (object == NULL)
    return NULL;
  return tb_sim_json_object_deep_copy (object);
}

void
tb_sim_put_service_principal (TbSim      *self,
                              JsonObject *object)
{
  g_autofree char *key = NULL;
  JsonObject *stored;
  JsonObject *old;

  g_return_if_fail (TB_IS_SIM (self));
  g_return_if_fail (object != NULL);
  g_return_if_fail (json_object_get_string_member_with_default (object, "appId", NULL) != NULL);

  stored = tb_sim_json_object_deep_copy (object);

  key = g_ascii_strdown (json_object_get_string_member (stored, "appId"), -1);
  old = tb_sim_lookup_stored (self, key, TRUE);
  if (json_object_get_string_member_with_default (stored, "id", NULL) == NULL)
    {
      g_autofree char *id = old != NULL ? g_strdup (json_object_get_string_member (old, "id"))
                                        : tb_sim_new_guid ();
      json_object_set_string_member (stored, "id", id);
    }
  if (!json_object_has_member (stored, "keyCredentials"))
    json_object_set_array_member (stored, "keyCredentials", json_array_new ());
  if (!json_object_has_member (stored, "servicePrincipalNames"))
    json_object_set_array_member (stored, "servicePrincipalNames", json_array_new ());
  if (!json_object_has_member (stored, "accountEnabled"))
    json_object_set_boolean_member (stored, "accountEnabled", TRUE);

  if (old != NULL)
    {
      guint index = 0;
      gboolean found;

      tb_sim_unindex_principal (self, old);
      found = g_ptr_array_find (self->principals, old, &index);
      g_assert (found);
      g_ptr_array_index (self->principals, index) = stored;
      json_object_unref (old);
    }
  else
    g_ptr_array_add (self->principals, stored);
  tb_sim_index_principal (self, stored);
}

gboolean
tb_sim_remove_service_principal (TbSim      *self,
                                 const char *app_id)
{
  g_autofree char *key = NULL;
  JsonObject *object;

  g_return_val_if_fail (TB_IS_SIM (self), FALSE);
  g_return_val_if_fail (app_id != NULL, FALSE);

  key = g_ascii_strdown (app_id, -1);
  object = tb_sim_lookup_stored (self, key, TRUE);
  if (object == NULL)
    return FALSE;
  tb_sim_unindex_principal (self, object);
  g_ptr_array_remove (self->principals, object);
  return TRUE;
}

guint
tb_sim_get_request_count (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), 0);
  return self->request_count;
}

guint
tb_sim_get_write_count (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), 0);
  return self->write_count;
}

guint
tb_sim_get_connection_count (TbSim *self)
{
  g_return_val_if_fail (TB_IS_SIM (self), 0);
  return self->connection_count;
}
