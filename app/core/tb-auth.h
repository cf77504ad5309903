/* tb-auth.h: signing in to the Microsoft identity platform as a public desktop client
 *
 * Hands out access tokens to the Graph client. Tokens live in memory only; the refresh token
 * goes to libsecret when a Secret Service answers, else it stays in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tb-cloud.h"

G_BEGIN_DECLS

#define TB_AUTH_DEFAULT_CLIENT_ID "14d82eec-204b-4c2f-b7e8-296a70dab67e"

#define TB_AUTH_ERROR (tb_auth_error_quark ())

typedef enum
{
  TB_AUTH_ERROR_NOT_SIGNED_IN,       /* no usable token: sign in (again) */
  TB_AUTH_ERROR_DECLINED,            /* authorization_declined / access_denied */
  TB_AUTH_ERROR_EXPIRED,             /* expired_token: the device code timed out */
  TB_AUTH_ERROR_INVALID_GRANT,       /* refresh token refused */
  TB_AUTH_ERROR_INVALID_TENANT,      /* AADSTS90002 and friends */
  TB_AUTH_ERROR_STATE_MISMATCH,      /* the browser came back with another state */
  TB_AUTH_ERROR_SERVER,              /* any other error reply, with its description */
  TB_AUTH_ERROR_BAD_REPLY,           /* not the JSON the protocol promises */
} TbAuthError;

GQuark tb_auth_error_quark (void);

typedef enum
{
  TB_AUTH_ACCESS_READ,               /* Application.Read.All */
  TB_AUTH_ACCESS_WRITE,              /* Application.ReadWrite.All */
} TbAuthAccess;

typedef struct
{
  char   *user_code;
  char   *verification_uri;
  char   *message;                   /* the service's own sentence, in its language */
  gint64  expires_at;                /* monotonic microseconds */
  guint   interval;                  /* seconds */
} TbDeviceCodePrompt;

void tb_device_code_prompt_free (TbDeviceCodePrompt *prompt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbDeviceCodePrompt, tb_device_code_prompt_free)

/* Called on the main context once the code is known, so the face can show it. */
typedef void (*TbDeviceCodeFunc) (const TbDeviceCodePrompt *prompt,
                                  gpointer                  user_data);

#define TB_TYPE_AUTH (tb_auth_get_type ())
G_DECLARE_FINAL_TYPE (TbAuth, tb_auth, TB, AUTH, GObject)

/* How a TbAuth made by tb_auth_new_deferred() gets its HTTP session from @owner. */
typedef SoupSession *(*TbAuthSessionFunc) (gpointer owner);

/* @tenant: tenant ID or domain; "organizations" when unknown. */
TbAuth       *tb_auth_new                     (TbCloud             *cloud,
                                               SoupSession         *session,
                                               const char          *client_id,
                                               const char          *tenant);
/* The same, asking @owner's @session_func for the session each time it sends a request, so
 * that nothing of HTTP is set up (nor libsoup loaded) before a sign-in needs it. Holds @owner
 * weakly: once @owner is gone, requests fail. */
TbAuth       *tb_auth_new_deferred            (TbCloud             *cloud,
                                               GObject             *owner,
                                               TbAuthSessionFunc    session_func,
                                               const char          *client_id,
                                               const char          *tenant);
TbCloud      *tb_auth_get_cloud               (TbAuth              *self);
const char   *tb_auth_get_tenant              (TbAuth              *self);
/* After sign-in, from the ID token / token reply: user principal name and tenant GUID. */
const char   *tb_auth_get_account             (TbAuth              *self);
const char   *tb_auth_get_tenant_id           (TbAuth              *self);
gboolean      tb_auth_get_signed_in           (TbAuth              *self);
/* The highest access granted so far. */
TbAuthAccess  tb_auth_get_access              (TbAuth              *self);

/* Device code flow (RFC 8628): polls with interval, honours slow_down (+5 s). */
void          tb_auth_sign_in_device_code_async  (TbAuth           *self,
                                                  TbAuthAccess      access,
                                                  TbDeviceCodeFunc  prompt_func,
                                                  gpointer          prompt_data,
                                                  GCancellable     *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer          user_data);
gboolean      tb_auth_sign_in_device_code_finish (TbAuth           *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

/* Authorization code + PKCE (S256) through the system browser and a one-shot loopback
 * listener on 127.0.0.1. The "open-uri" signal (const char *uri) asks the face to open the
 * browser; the GUI connects gtk_show_uri, the CLI prints the address. */
void          tb_auth_sign_in_browser_async   (TbAuth              *self,
                                               TbAuthAccess         access,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      tb_auth_sign_in_browser_finish  (TbAuth              *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A valid access token for @access: cached, or refreshed when it would expire within five
 * minutes. Concurrent callers share one refresh. TB_AUTH_ERROR_NOT_SIGNED_IN when only an
 * interactive sign-in can help (e.g. write access never granted). */
void          tb_auth_get_token_async         (TbAuth              *self,
                                               TbAuthAccess         access,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char         *tb_auth_get_token_finish        (TbAuth              *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The Graph client calls this after a 401 so the next get_token refreshes. */
void          tb_auth_invalidate_token        (TbAuth              *self,
                                               const char          *token);

/* Tries a refresh token kept in libsecret for this cloud/tenant/client. */
void          tb_auth_restore_async           (TbAuth              *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      tb_auth_restore_finish          (TbAuth              *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* Forgets every token and removes the stored refresh token. */
void          tb_auth_sign_out                (TbAuth              *self);

G_END_DECLS
