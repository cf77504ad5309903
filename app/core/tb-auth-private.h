/* tb-auth-private.h: what TbAuth's files share, and what the sign-in replies must hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers TbAuth uses for every token and device-code reply (tb-oauth.c) are callable on
 * their own so tests and the fuzz targets can feed them any reply. The rest is TbAuth's
 * instance and the calls its pieces (tb-auth.c, tb-auth-device.c, tb-auth-browser.c,
 * tb-auth-keyring.c) make into each other.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "tb-auth.h"

G_BEGIN_DECLS

typedef struct
{
  const char   *access_token;   /* borrowed from the reply */
  const char   *refresh_token;  /* borrowed; NULL when absent or empty */
  gint64        expires_in;     /* seconds, 1 .. two days (longer claims are clamped) */
  TbAuthAccess  granted;
  char         *account;        /* from the ID token's claims, or NULL */
  char         *tenant_id;      /* "tid" of the ID token when it is a GUID, or NULL */
} TbAuthTokenReply;

/* Checks a successful token reply for @access: a Bearer access token with a positive
 * lifetime and (for write access) the write scope. */
gboolean tb_auth_read_token_reply       (JsonObject        *reply,
                                         TbAuthAccess       access,
                                         TbAuthTokenReply  *out,
                                         GError           **error);
void     tb_auth_token_reply_clear      (TbAuthTokenReply  *reply);

typedef struct
{
  const char *device_code;      /* all borrowed from the reply */
  const char *user_code;
  const char *verification_uri; /* https:// (or loopback http://) */
  const char *message;          /* may be NULL */
  gint64      expires_in;       /* seconds, 1 .. one hour (clamped) */
  guint       interval;         /* seconds, 1 .. 60 (clamped) */
} TbAuthDeviceCodeReply;

gboolean tb_auth_read_device_code_reply (JsonObject             *reply,
                                         TbAuthDeviceCodeReply  *out,
                                         GError                **error);

struct _TbAuth
{
  GObject       parent_instance;

  TbCloud      *cloud;
  SoupSession  *session;        /* or NULL: asked of session_owner when sending */
  GWeakRef      session_owner;
  TbAuthSessionFunc
                session_func;
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

/* tb-auth.c: the protocol */
char       *_tb_auth_scope_for               (TbAuth               *self,
                                              TbAuthAccess          access);
/* Where requests go: the tenant GUID once known, so that "organizations" sign-ins refresh
 * against the tenant that issued the token. @what: "token", "devicecode", "authorize". */
char       *_tb_auth_endpoint_for            (TbAuth               *self,
                                              const char           *what);
GHashTable *_tb_auth_new_form                (void);
/* POST a form to the login service; the reply is the JSON object whatever the status. */
void        _tb_auth_post_form_async         (TbAuth               *self,
                                              const char           *uri,
                                              GHashTable           *form,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
JsonObject *_tb_auth_post_form_finish        (TbAuth               *self,
                                              GAsyncResult         *result,
                                              guint                *status,
                                              GError              **error);
/* The same for a reply that must be 200 OK: any other status becomes the OAuth error the
 * reply names (tb_oauth_set_error). */
JsonObject *_tb_auth_post_form_finish_ok     (TbAuth               *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* A new interactive sign-in starts from the tenant the admin named. */
void        _tb_auth_forget_tenant_id        (TbAuth               *self);
void        _tb_auth_emit_open_uri           (TbAuth               *self,
                                              const char           *uri);
/* An interactive sign-in may be another account: nothing of the previous one may survive. */
gboolean    _tb_auth_accept_sign_in_reply    (TbAuth               *self,
                                              JsonObject           *reply,
                                              TbAuthAccess          access,
                                              GError              **error);

/* tb-auth-keyring.c */
const SecretSchema *tb_auth_secret_schema    (void);
const char *tb_auth_secret_cloud_key         (TbAuth               *self);
void        _tb_auth_store_refresh_token     (TbAuth               *self);
void        _tb_auth_forget_stored_token     (TbAuth               *self);

/* For tests. */
const char   *tb_auth_get_client_id           (TbAuth              *self);

G_END_DECLS
