/* tb-auth-private.h: what the sign-in replies must hold, read without signing in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readers TbAuth uses for every token and device-code reply, callable on their own so
 * tests and the fuzz targets can feed them any reply.
 */
#pragma once

#include <json-glib/json-glib.h>

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

G_END_DECLS
