/* tb-pool-connection.h: how Trust Bridge reaches a Front End, shared by the CLI and the pool page
 *
 * One place validates what the admin entered (host, port, Kerberos or Basic, user, pinned
 * listener fingerprint), picks the pin (given, the demo's, or a remembered one), looks up a
 * remembered Basic password, wires the demo Front End, and names the ACS base the pool's
 * metadata URL must use. Faces only ask for what is missing (a password) and show errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-context.h"
#include "tb-pool-client.h"

G_BEGIN_DECLS

#define TB_POOL_CONNECTION_ERROR (tb_pool_connection_error_quark ())

typedef enum
{
  TB_POOL_CONNECTION_ERROR_NO_HOST,
  TB_POOL_CONNECTION_ERROR_BAD_PORT,
  TB_POOL_CONNECTION_ERROR_BAD_AUTH,
  TB_POOL_CONNECTION_ERROR_NO_USER,
  TB_POOL_CONNECTION_ERROR_USER_WITH_KERBEROS,
  TB_POOL_CONNECTION_ERROR_BAD_FINGERPRINT,
  TB_POOL_CONNECTION_ERROR_NO_PASSWORD,
} TbPoolConnectionError;

GQuark tb_pool_connection_error_quark (void);

typedef struct _TbPoolConnection TbPoolConnection;

/* A port as an admin types it: empty (or blanks) is 0, the WinRM HTTPS default; else a
 * decimal number from 1 to 65535. TB_POOL_CONNECTION_ERROR_BAD_PORT otherwise. */
gboolean          tb_pool_connection_parse_port   (const char  *text,
                                                   guint       *port,
                                                   GError     **error);

/* Validates the entries (@port 0: the WinRM HTTPS default; @auth_name NULL: Kerberos;
 * @fingerprint NULL: the demo's or a remembered pin, if any). Nothing is contacted. */
TbPoolConnection *tb_pool_connection_new          (TbContext   *context,
                                                   const char  *host,
                                                   guint        port,
                                                   const char  *auth_name,
                                                   const char  *user,
                                                   const char  *fingerprint,
                                                   GError     **error);
/* The demo Front End (starting the demo when it is not running): Basic with its account and
 * password, pinned to its listener. @display_host names it in messages (NULL: its own FQDN). */
TbPoolConnection *tb_pool_connection_new_demo     (TbContext   *context,
                                                   const char  *display_host,
                                                   GError     **error);
/* The demo Front End's connection when this context runs the demo (nothing is started): what
 * the GUI's connection form shows prefilled; NULL without the demo. */
TbPoolConnection *tb_pool_connection_dup_demo     (TbContext   *context);
void              tb_pool_connection_free         (TbPoolConnection *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPoolConnection, tb_pool_connection_free)

const char       *tb_pool_connection_get_host     (TbPoolConnection *self);
guint             tb_pool_connection_get_port     (TbPoolConnection *self);
TbWinrmAuth       tb_pool_connection_get_auth     (TbPoolConnection *self);
const char       *tb_pool_connection_get_user     (TbPoolConnection *self);
/* The name to show: the FQDN the admin gave, or the demo Front End's. */
const char       *tb_pool_connection_get_display  (TbPoolConnection *self);
/* The Basic password set, or NULL: for a password field only, never for a log. */
const char       *tb_pool_connection_get_password (TbPoolConnection *self);
/* Basic without a password yet. */
gboolean          tb_pool_connection_needs_password (TbPoolConnection *self);
/* Kept in memory only, wiped on free. */
void              tb_pool_connection_set_password (TbPoolConnection *self,
                                                   const char       *password);
/* The password remembered in the keyring for this host, port and user; TRUE when one was
 * found and set. */
void              tb_pool_connection_lookup_password_async  (TbPoolConnection   *self,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
gboolean          tb_pool_connection_lookup_password_finish (TbPoolConnection   *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
/* After a read that worked: keeps the Basic password in the keyring when @remember, else
 * forgets any remembered for this host, port and user. Nothing to do for Kerberos or without a
 * password. The keyring is the only place a password is written to. */
void              tb_pool_connection_remember_password_async  (TbPoolConnection   *self,
                                                               gboolean            remember,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
gboolean          tb_pool_connection_remember_password_finish (TbPoolConnection   *self,
                                                               GAsyncResult       *result,
                                                               GError            **error);
/* A client for this connection; TB_POOL_CONNECTION_ERROR_NO_PASSWORD while one is needed. */
TbPoolClient     *tb_pool_connection_new_client   (TbPoolConnection *self,
                                                   GError          **error);

/* The ACS base the pool's metadata URL must name: the context's cloud, except in demo, whose
 * simulator serves ACS on a loopback address no Front End could reach: the demo pool stands
 * for a real one, which uses the global cloud's. */
const char       *tb_pool_connection_get_acs_base (TbContext *context);

G_END_DECLS
