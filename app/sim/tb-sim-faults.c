/* tb-sim-faults.c: faults a test switches on in the simulated Graph service
 *
 * The Graph handler is wrapped: a matching fault answers instead of it, runs before it (the
 * other admin's write) or after it (a dropped or cut reply, a stale write that lands just
 * after ours). Connections are taken over from libsoup to drop or garble them, so the client
 * sees what a flaky network gives: "Connection terminated unexpectedly", "Could not parse
 * HTTP response".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-sim-faults"

#include "config.h"

#include <string.h>

#include "tb-certificate.h"
#include "tb-dl-soup.h"
#include "tb-sim-faults.h"
#include "tb-sim-private.h"

typedef struct
{
  TbSimFaultKind  kind;
  char           *method;
  char           *app_id;          /* lower case */
  guint           nth;
  guint           read_at;
  guint           status;
  JsonObject     *credential;      /* as the service stores it */
  char           *spn;
  guint           seen;
  JsonObject     *snapshot;        /* STALE_WRITER: what it read */
} Fault;

static void
fault_free (Fault *fault)
{
  g_free (fault->method);
  g_free (fault->app_id);
  g_clear_pointer (&fault->credential, json_object_unref);
  g_free (fault->spn);
  g_clear_pointer (&fault->snapshot, json_object_unref);
  g_free (fault);
}

static GPtrArray *
get_faults (TbSim    *self,
            gboolean  create)
{
  if (self->faults == NULL && create)
    self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  return self->faults;
}

/* What Graph stores for a certificate credential added without a keyId or dates. */
static JsonObject *
credential_for (GBytes     *der,
                const char *display_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TbCertificate) cert = tb_certificate_new_from_der (der, &error);
  JsonObject *out;

  if (cert == NULL)
    g_error ("tb_sim_add_fault: not a certificate: %s", error->message);

  out = tb_sim_key_credential_from (cert);
  if (display_name != NULL)
    json_object_set_string_member (out, "displayName", display_name);
  return out;
}

void
tb_sim_add_fault (TbSim            *self,
                  const TbSimFault *spec)
{
  Fault *fault;

  g_return_if_fail (TB_IS_SIM (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (spec->nth >= 1);
  g_return_if_fail (spec->kind != TB_SIM_FAULT_STALE_WRITER ||
                    (spec->read_at >= 1 && spec->read_at <= spec->nth));
  g_return_if_fail ((spec->kind != TB_SIM_FAULT_OTHER_WRITER &&
                     spec->kind != TB_SIM_FAULT_STALE_WRITER) ||
                    (spec->app_id != NULL && (spec->certificate != NULL || spec->spn != NULL)));

  fault = g_new0 (Fault, 1);
  fault->kind = spec->kind;
  fault->method = g_strdup (spec->method);
  fault->app_id = spec->app_id != NULL ? g_ascii_strdown (spec->app_id, -1) : NULL;
  fault->nth = spec->nth;
  fault->read_at = spec->read_at;
  fault->status = spec->status != 0 ? spec->status : 503;
  if (spec->certificate != NULL)
    fault->credential = credential_for (spec->certificate, spec->display_name);
  fault->spn = g_strdup (spec->spn);
  g_ptr_array_add (get_faults (self, TRUE), fault);
}

guint
tb_sim_get_pending_faults (TbSim *self)
{
  GPtrArray *faults;

  g_return_val_if_fail (TB_IS_SIM (self), 0);
  faults = get_faults (self, FALSE);
  return faults != NULL ? faults->len : 0;
}

/* The appId (lower case) of the principal a Graph path names, or NULL. */
static char *
principal_of (TbSim      *self,
              const char *path)
{
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);
  const char *rest;

  if (decoded == NULL || !g_str_has_prefix (decoded, "/graph/v1.0/servicePrincipals"))
    return NULL;
  rest = decoded + strlen ("/graph/v1.0/servicePrincipals");
  if (g_str_has_prefix (rest, "(appId='") && g_str_has_suffix (rest, "')"))
    return g_ascii_strdown (rest + 8, strlen (rest) - 10);
  if (rest[0] == '/' && rest[1] != '\0' && strchr (rest + 1, '/') == NULL)
    {
      g_autofree char *id = g_ascii_strdown (rest + 1, -1);
      JsonObject *sp = tb_sim_lookup_stored (self, id, FALSE);

      if (sp != NULL)
        return g_ascii_strdown (json_object_get_string_member (sp, "appId"), -1);
    }
  return NULL;
}

static JsonObject *
lookup (TbSim      *self,
        const char *app_id)
{
  return tb_sim_lookup_stored (self, app_id, TRUE);
}

/* A collection member replaced by a new array: stored principals never share containers. */
static void
set_with_entry (JsonObject *sp,
                JsonObject *from,
                Fault      *fault)
{
  if (fault->credential != NULL)
    {
      JsonArray *old = json_object_get_array_member (from, "keyCredentials");
      JsonArray *now = json_array_new ();

      for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
        json_array_add_element (now, tb_sim_json_deep_copy (json_array_get_element (old, i)));
      json_array_add_object_element (now, tb_sim_json_object_deep_copy (fault->credential));
      json_object_set_array_member (sp, "keyCredentials", now);
    }
  if (fault->spn != NULL)
    {
      JsonArray *old = json_object_get_array_member (from, "servicePrincipalNames");
      JsonArray *now = json_array_new ();

      for (guint i = 0; old != NULL && i < json_array_get_length (old); i++)
        json_array_add_string_element (now, json_array_get_string_element (old, i));
      json_array_add_string_element (now, fault->spn);
      json_object_set_array_member (sp, "servicePrincipalNames", now);
    }
}

static void
other_writer (TbSim *self,
              Fault *fault)
{
  JsonObject *sp = lookup (self, fault->app_id);

  if (sp != NULL)
    {
      g_autoptr(JsonObject) current = tb_sim_json_object_deep_copy (sp);

      set_with_entry (sp, current, fault);
    }
}

/* Its PATCH carries only the collections it changes, computed from its older read. */
static void
stale_writer (TbSim *self,
              Fault *fault)
{
  JsonObject *sp = lookup (self, fault->app_id);

  if (sp != NULL && fault->snapshot != NULL)
    set_with_entry (sp, fault->snapshot, fault);
}

static void
close_stream (GIOStream *stream)
{
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static void send_raw (SoupServerMessage *msg, const char *text, gsize length);

/* The connection ends before the reply's status line does. (A connection closed before any
 * byte of the reply is sent again by libsoup itself when it was kept alive, so the client
 * would never see that one.) */
static void
drop (SoupServerMessage *msg)
{
  send_raw (msg, "HTTP/1.1 ", 9);
}

/* Writes @text on the taken-over connection and closes it: a reply libsoup cannot finish. */
static void
send_raw (SoupServerMessage *msg,
          const char        *text,
          gsize              length)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  /* A few hundred bytes on loopback: the socket buffer takes them at once. */
  g_output_stream_write_all (out, text, length, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  close_stream (stream);
}

static void
truncate_reply (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize length = g_bytes_get_size (bytes);
  g_autoptr(GString) text = g_string_new (NULL);
  guint status = soup_server_message_get_status (msg);

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  /* The promised length, then half of it: the connection ends inside the body. A reply
   * without a body (204) ends inside a header line instead. */
  if (length > 0)
    {
      g_string_append_printf (text, "Content-Type: application/json\r\n"
                              "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", length);
      g_string_append_len (text, g_bytes_get_data (bytes, NULL), length / 2);
    }
  else
    g_string_append (text, "Cache-Control: no-");
  send_raw (msg, text->str, text->len);
}

static void
garble_reply (SoupServerMessage *msg)
{
  const char *text = "HTTX/1.1 2OO Okay?\r\n\r\n";

  send_raw (msg, text, strlen (text));
}

static void
status_reply (TbSim             *self,
              SoupServerMessage *msg,
              guint              status)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *request_id = tb_sim_new_guid ();
  g_autofree char *date = tb_sim_now_iso ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, status == 504 ? "gatewayTimeout" : "serviceNotAvailable");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, status == 504 ? "The gateway timed out."
                                                  : "The service is temporarily unavailable. "
                                                    "Try again later.");
  json_builder_set_member_name (b, "innerError");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "request-id");
  json_builder_add_string_value (b, request_id);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  /* An outage, not throttling: no Retry-After. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "request-id",
                                request_id);
  tb_sim_respond_json (self, msg, status, root);
  tb_sim_finish (self, msg);
}

/* Every fault matching the request counts it; those whose turn it is move to @due, in order. */
static void
take_due_faults (TbSim      *self,
                 GPtrArray  *faults,
                 const char *method,
                 const char *app_id,
                 GPtrArray  *due)
{
  for (guint i = 0; i < faults->len;)
    {
      Fault *fault = g_ptr_array_index (faults, i);

      if ((fault->method != NULL && !g_str_equal (fault->method, method)) ||
          (fault->app_id != NULL && g_strcmp0 (fault->app_id, app_id) != 0))
        {
          i++;
          continue;
        }

      fault->seen++;
      if (fault->kind == TB_SIM_FAULT_STALE_WRITER && fault->seen == fault->read_at &&
          lookup (self, fault->app_id) != NULL)
        fault->snapshot = tb_sim_json_object_deep_copy (lookup (self, fault->app_id));
      if (fault->seen < fault->nth)
        {
          i++;
          continue;
        }
      g_ptr_array_add (due, g_ptr_array_steal_index (faults, i));
    }
}

/* The faults of @due that act before the request: the other admin's write lands first; an
 * outage or a drop answers in its place (TRUE), and the faults that were to follow the
 * request go back to @faults to wait for the next one. */
static gboolean
fire_faults_before (TbSim             *self,
                    SoupServerMessage *msg,
                    GPtrArray         *faults,
                    GPtrArray         *due)
{
  for (guint i = 0; i < due->len;)
    {
      Fault *fault = g_ptr_array_index (due, i);

      if (fault->kind == TB_SIM_FAULT_OTHER_WRITER)
        {
          other_writer (self, fault);
          g_ptr_array_remove_index (due, i);
        }
      else if (fault->kind == TB_SIM_FAULT_STATUS || fault->kind == TB_SIM_FAULT_DROP)
        {
          fault = g_ptr_array_steal_index (due, i);
          for (guint j = due->len; j > 0; j--)
            {
              Fault *later = g_ptr_array_steal_index (due, j - 1);

              later->seen--;
              g_ptr_array_insert (faults, 0, later);
            }
          self->request_count++;
          if (fault->kind == TB_SIM_FAULT_STATUS)
            status_reply (self, msg, fault->status);
          else
            drop (msg);
          fault_free (fault);
          return TRUE;
        }
      else
        i++;
    }
  return FALSE;
}

/* The faults of @due that act once Graph has answered: a stale write, or a damaged reply. */
static void
fire_faults_after (TbSim             *self,
                   SoupServerMessage *msg,
                   GPtrArray         *due)
{
  for (guint i = 0; i < due->len; i++)
    {
      Fault *fault = g_ptr_array_index (due, i);

      switch (fault->kind)
        {
        case TB_SIM_FAULT_STALE_WRITER:
          stale_writer (self, fault);
          break;
        case TB_SIM_FAULT_DROP_AFTER:
          drop (msg);
          break;
        case TB_SIM_FAULT_TRUNCATE:
          truncate_reply (msg);
          break;
        case TB_SIM_FAULT_GARBLE:
          garble_reply (msg);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

void
tb_sim_faults_graph_handler (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  TbSim *self = user_data;
  GPtrArray *faults = get_faults (self, FALSE);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *app_id = NULL;
  const char *method = soup_server_message_get_method (msg);

  if (faults == NULL || faults->len == 0)
    {
      tb_sim_graph_handler (server, msg, path, query, user_data);
      return;
    }

  app_id = principal_of (self, path);
  after = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  take_due_faults (self, faults, method, app_id, after);
  if (fire_faults_before (self, msg, faults, after))
    return;
  tb_sim_graph_handler (server, msg, path, query, user_data);
  fire_faults_after (self, msg, after);
}
