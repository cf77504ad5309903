/* tb-sim-login-private.h: what the parts of the identity platform simulator share
 *
 * tb-sim-login.c holds the error replies, scopes, form and client checks and the routing;
 * tb-sim-login-discovery.c the OpenID Connect discovery document; tb-sim-login-device.c the
 * device authorization endpoint and its sign-in page; tb-sim-login-authorize.c the browser
 * flow's authorization endpoint; tb-sim-login-token.c the token endpoint and the tokens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-sim-private.h"

G_BEGIN_DECLS

#define DEVICE_CODE_GRANT "urn:ietf:params:oauth:grant-type:device_code"
#define AUTH_CODE_LIFETIME (10 * 60)   /* seconds, as Microsoft documents */
#define GRAPH_RESOURCE "https://graph.microsoft.com"
#define GRAPH_APP_ID "00000003-0000-0000-c000-000000000000"

/* Scopes as the identity platform reads them: OIDC scopes, and permissions on one resource
 * (Graph), either bare ("Application.Read.All") or as a full URI on the resource. */
typedef struct
{
  TbSimPerm  perms;
  gboolean   openid;
  gboolean   profile;
  gboolean   email;
  gboolean   offline_access;
  GPtrArray *permissions;   /* short names, for the reply's "scope" */
} Scopes;

void        _tb_sim_login_scopes_clear       (Scopes            *s);
gboolean    _tb_sim_login_parse_scopes       (TbSim             *self,
                                              const char        *scope,
                                              Scopes            *out,
                                              char             **bad);

/* Replies with the documented error shape {error, error_description "AADSTS…", …}. */
void        _tb_sim_login_error              (TbSim             *self,
                                              SoupServerMessage *msg,
                                              guint              status,
                                              const char        *error,
                                              guint              aadsts,
                                              const char        *description);
void        _tb_sim_login_invalid_tenant     (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *tenant);
/* These reply with the error themselves and return FALSE. */
gboolean    _tb_sim_login_check_client_id    (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *client_id);
gboolean    _tb_sim_login_check_scopes       (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *scope,
                                              Scopes            *scopes);
GHashTable *_tb_sim_login_read_form          (SoupServerMessage *msg);

/* The endpoints, in the files named above. */
void        _tb_sim_login_handle_discovery   (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *tenant);
void        _tb_sim_login_handle_devicecode  (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *tenant);
void        _tb_sim_login_handle_devicelogin (TbSim             *self,
                                              SoupServerMessage *msg);
void        _tb_sim_login_handle_authorize   (TbSim             *self,
                                              SoupServerMessage *msg,
                                              const char        *tenant,
                                              GHashTable        *query);
void        _tb_sim_login_handle_token       (TbSim             *self,
                                              SoupServerMessage *msg);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scopes, _tb_sim_login_scopes_clear)

G_END_DECLS
