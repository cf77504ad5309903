/* tb-http.h: the one way core services talk HTTP (session, bounded reads, redacted logging)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tb-json.h"

G_BEGIN_DECLS

/* Login, discovery and ACS replies are small; anything bigger is not what we asked for. */
#define TB_HTTP_MAX_LOGIN_REPLY (1024 * 1024)

#define TB_HTTP_ERROR (tb_http_error_quark ())

typedef enum
{
  TB_HTTP_ERROR_TOO_LARGE,     /* the reply is bigger than the caller allows */
  TB_HTTP_ERROR_STATUS,        /* an HTTP error status without a body we understand */
  TB_HTTP_ERROR_BAD_JSON,      /* not JSON, or not the JSON object expected */
} TbHttpError;

GQuark       tb_http_error_quark        (void);

/* A session with the app's user agent and a timeout. TLS uses the system trust, always.
 * With TB_DEBUG containing "http", traffic is logged (log domain "TrustBridge-http",
 * level message): header and request lines redacted by tb_http_redact(), bodies by
 * tb_http_redact_body(). */
SoupSession *tb_http_session_new        (void);

/* Replaces secrets in one line of HTTP log text: Authorization/Cookie header values, and the
 * values of access_token, refresh_token, id_token, code, code_verifier, device_code, password,
 * client_secret, assertion (form or query parameters, JSON members) and JSON "key" members
 * (keyCredential certificates). Unterminated values are redacted to the end of the text. */
char        *tb_http_redact             (const char    *text);
/* Redacts a whole request or reply body by its structure. JSON is parsed and the values of
 * secret members replaced wherever they sit (access_token, refresh_token, id_token,
 * code_verifier, device_code, password, client_secret, assertion, client_assertion,
 * secretText), "code" and "proof" at the top of a document (OAuth), and "key" inside
 * keyCredential(s) — so Graph's error.code stays visible; the result is pretty-printed.
 * A form body (application/x-www-form-urlencoded) keeps its text with the values of secret
 * parameters (code, refresh_token, password…) replaced. Anything else, or what does not
 * parse, is replaced whole by a note of its size. */
char        *tb_http_redact_body        (const char    *body,
                                         gsize          len);

/* Sends @msg and reads at most @max_size bytes of the reply body; a longer body fails with
 * TB_HTTP_ERROR_TOO_LARGE without reading the rest. Like soup_session_send_and_read_async,
 * it succeeds whatever the status: check soup_message_get_status() yourself. */
void         tb_http_send_and_read_async  (SoupSession         *session,
                                           SoupMessage         *msg,
                                           gsize                max_size,
                                           int                  io_priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GBytes      *tb_http_send_and_read_finish (SoupSession         *session,
                                           GAsyncResult        *result,
                                           GError             **error);
/* The message @result answers (as soup_session_get_async_result_message() does for libsoup's
 * own calls): for its status and headers in the callback. */
SoupMessage *tb_http_send_and_read_get_message (GAsyncResult *result);

/* The error of a failed tb_http_send_and_read_finish() as a caller reports it: cancellation
 * and an oversized reply as they are (a copy of @error), anything else as a new error in
 * @domain/@code with the message @format makes (which may quote @error's). */
GError      *tb_http_send_error_new       (const GError        *error,
                                           GQuark               domain,
                                           int                  code,
                                           const char          *format,
                                           ...) G_GNUC_PRINTF (4, 5);

/* Parses @body as a JSON object (refusing more than @max_size bytes and deep nesting).
 * Returns a new reference or NULL with TB_HTTP_ERROR_BAD_JSON / TOO_LARGE. */
JsonObject  *tb_http_parse_json_object  (GBytes        *body,
                                         gsize          max_size,
                                         GError       **error);

/* A POST of application/x-www-form-urlencoded @form (owned strings, escaped here). */
SoupMessage *tb_http_new_form_post      (const char    *uri,
                                         GHashTable    *form);


G_END_DECLS
