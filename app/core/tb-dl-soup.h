/* tb-dl-soup.h: libsoup, loaded on first use (tb-dl.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Include this instead of the library's header in a file that calls the library: every
 * function the program calls is listed here. One missing fails the executables' link.
 * SOUP_METHOD_GET and its kin read the library's variables: the code writes "GET", "POST".
 */
#pragma once

#include <libsoup/soup.h>

#include "tb-dl.h"

#define TB_SOUP(symbol) TB_DL_FUNC (TB_DL_SOUP, symbol)

#define soup_auth_authenticate TB_SOUP (soup_auth_authenticate)
#define soup_auth_basic_get_type TB_SOUP (soup_auth_basic_get_type)
#define soup_auth_digest_get_type TB_SOUP (soup_auth_digest_get_type)
#define soup_auth_get_scheme_name TB_SOUP (soup_auth_get_scheme_name)
#define soup_auth_negotiate_get_type TB_SOUP (soup_auth_negotiate_get_type)
#define soup_date_time_new_from_http_string TB_SOUP (soup_date_time_new_from_http_string)
#define soup_form_decode TB_SOUP (soup_form_decode)
#define soup_form_encode TB_SOUP (soup_form_encode)
#define soup_form_encode_hash TB_SOUP (soup_form_encode_hash)
#define soup_logger_new TB_SOUP (soup_logger_new)
#define soup_logger_set_max_body_size TB_SOUP (soup_logger_set_max_body_size)
#define soup_logger_set_printer TB_SOUP (soup_logger_set_printer)
#define soup_message_add_flags TB_SOUP (soup_message_add_flags)
#define soup_message_body_append TB_SOUP (soup_message_body_append)
#define soup_message_body_flatten TB_SOUP (soup_message_body_flatten)
#define soup_message_get_request_headers TB_SOUP (soup_message_get_request_headers)
#define soup_message_get_response_headers TB_SOUP (soup_message_get_response_headers)
#define soup_message_get_status TB_SOUP (soup_message_get_status)
#define soup_message_get_type TB_SOUP (soup_message_get_type)
#define soup_message_headers_append TB_SOUP (soup_message_headers_append)
#define soup_message_headers_get_content_length TB_SOUP (soup_message_headers_get_content_length)
#define soup_message_headers_get_content_type TB_SOUP (soup_message_headers_get_content_type)
#define soup_message_headers_get_encoding TB_SOUP (soup_message_headers_get_encoding)
#define soup_message_headers_get_one TB_SOUP (soup_message_headers_get_one)
#define soup_message_headers_new TB_SOUP (soup_message_headers_new)
#define soup_message_headers_replace TB_SOUP (soup_message_headers_replace)
#define soup_message_headers_set_content_type TB_SOUP (soup_message_headers_set_content_type)
#define soup_message_headers_set_encoding TB_SOUP (soup_message_headers_set_encoding)
#define soup_message_headers_unref TB_SOUP (soup_message_headers_unref)
#define soup_message_new TB_SOUP (soup_message_new)
#define soup_message_new_from_encoded_form TB_SOUP (soup_message_new_from_encoded_form)
#define soup_message_set_request_body_from_bytes TB_SOUP (soup_message_set_request_body_from_bytes)
#define soup_server_add_early_handler TB_SOUP (soup_server_add_early_handler)
#define soup_server_add_handler TB_SOUP (soup_server_add_handler)
#define soup_server_disconnect TB_SOUP (soup_server_disconnect)
#define soup_server_get_uris TB_SOUP (soup_server_get_uris)
#define soup_server_listen_local TB_SOUP (soup_server_listen_local)
#define soup_server_message_get_method TB_SOUP (soup_server_message_get_method)
#define soup_server_message_get_request_body TB_SOUP (soup_server_message_get_request_body)
#define soup_server_message_get_request_headers TB_SOUP (soup_server_message_get_request_headers)
#define soup_server_message_get_response_body TB_SOUP (soup_server_message_get_response_body)
#define soup_server_message_get_response_headers TB_SOUP (soup_server_message_get_response_headers)
#define soup_server_message_get_socket TB_SOUP (soup_server_message_get_socket)
#define soup_server_message_get_status TB_SOUP (soup_server_message_get_status)
#define soup_server_message_pause TB_SOUP (soup_server_message_pause)
#define soup_server_message_set_redirect TB_SOUP (soup_server_message_set_redirect)
#define soup_server_message_set_response TB_SOUP (soup_server_message_set_response)
#define soup_server_message_set_status TB_SOUP (soup_server_message_set_status)
#define soup_server_message_steal_connection TB_SOUP (soup_server_message_steal_connection)
#define soup_server_message_unpause TB_SOUP (soup_server_message_unpause)
#define soup_server_new TB_SOUP (soup_server_new)
#define soup_server_remove_handler TB_SOUP (soup_server_remove_handler)
#define soup_session_add_feature TB_SOUP (soup_session_add_feature)
#define soup_session_add_feature_by_type TB_SOUP (soup_session_add_feature_by_type)
#define soup_session_error_quark TB_SOUP (soup_session_error_quark)
#define soup_session_feature_get_type TB_SOUP (soup_session_feature_get_type)
#define soup_session_get_async_result_message TB_SOUP (soup_session_get_async_result_message)
#define soup_session_get_type TB_SOUP (soup_session_get_type)
#define soup_session_new_with_options TB_SOUP (soup_session_new_with_options)
#define soup_session_remove_feature_by_type TB_SOUP (soup_session_remove_feature_by_type)
#define soup_session_send_async TB_SOUP (soup_session_send_async)
#define soup_session_send_finish TB_SOUP (soup_session_send_finish)
#define soup_session_set_proxy_resolver TB_SOUP (soup_session_set_proxy_resolver)
#define soup_session_set_tls_database TB_SOUP (soup_session_set_tls_database)
#define soup_status_get_phrase TB_SOUP (soup_status_get_phrase)

/* The header's type checks and casts (G_DECLARE_*) and its g_autoptr() cleanups are inline
 * functions calling the library directly; those the program uses go through the above. */
#define SOUP_IS_MESSAGE(obj) G_TYPE_CHECK_INSTANCE_TYPE ((obj), SOUP_TYPE_MESSAGE)
#define SOUP_IS_SESSION(obj) G_TYPE_CHECK_INSTANCE_TYPE ((obj), SOUP_TYPE_SESSION)
#define SOUP_SESSION(obj) G_TYPE_CHECK_INSTANCE_CAST ((obj), SOUP_TYPE_SESSION, SoupSession)
#define SOUP_SESSION_FEATURE(obj) \
  G_TYPE_CHECK_INSTANCE_CAST ((obj), SOUP_TYPE_SESSION_FEATURE, SoupSessionFeature)

static inline void
tb_dl_soup_message_headers_cleanup (SoupMessageHeaders **headers)
{
  if (*headers != NULL)
    soup_message_headers_unref (*headers);
}
#define glib_autoptr_cleanup_SoupMessageHeaders tb_dl_soup_message_headers_cleanup
