/* tb-oauth.h: the pure parts of OAuth 2.0 sign-in, usable without a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PKCE (RFC 7636), unverified ID token claims, and the mapping of the sign-in service's error
 * replies (OAuth error codes and AADSTS numbers) to TB_AUTH_ERROR. TbAuth's flows use these;
 * none of them touches the network.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-auth.h"

G_BEGIN_DECLS

/* Base64url without padding (RFC 4648 §5), as PKCE and JWTs use it. */
char       *tb_oauth_base64url             (const guint8  *data,
                                            gsize          len);
/* @bytes (at most 64) from the key-grade random generator, base64url-encoded. */
char       *tb_oauth_random_base64url      (gsize          bytes);
/* The S256 code challenge of @verifier: base64url (SHA-256 (verifier)). */
char       *tb_oauth_pkce_challenge        (const char    *verifier);
/* The claims (payload) of a JWT, unverified: good for showing who signed in, never for
 * deciding access. NULL when @jwt is not three dot-separated parts with a JSON object in the
 * middle one. */
JsonObject *tb_oauth_decode_jwt_claims     (const char    *jwt);
gboolean    tb_oauth_is_guid               (const char    *text);
/* Compares two secrets in time that depends only on their lengths; NULL never equals. */
gboolean    tb_oauth_constant_time_equal   (const char    *a,
                                            const char    *b);

/* The first line of error_description (or the error code). */
char       *tb_oauth_describe_error        (JsonObject    *reply);
/* Whether the reply names AADSTS@code, in error_codes or in its description. */
gboolean    tb_oauth_reply_has_error_code  (JsonObject    *reply,
                                            gint64         code);
/* Consent is missing or was declined (consent_required, interaction_required, AADSTS65001,
 * AADSTS65004). */
gboolean    tb_oauth_is_consent_error      (JsonObject    *reply);
/* Maps an error reply of the sign-in service, received with HTTP @status, to a translated
 * TB_AUTH_ERROR. */
void        tb_oauth_set_error             (JsonObject    *reply,
                                            guint          status,
                                            GError       **error);

G_END_DECLS
