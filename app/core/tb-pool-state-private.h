/* tb-pool-state-private.h: the pool state instance, shared by its model, parser and checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-pool-state.h"

G_BEGIN_DECLS

struct _TbPoolState
{
  GObject parent_instance;

  char *server_fqdn;
  char *server_product;
  char *server_module;

  GPtrArray *oauth_servers;          /* NULL = unknown */
  GPtrArray *partner_applications;
  GPtrArray *web_services;
  GPtrArray *errors;

  TbPoolPresence oauth_configuration_presence;
  TbPoolOAuthConfiguration oauth_configuration;
  TbPoolPresence oauth_certificate_presence;
  TbPoolCertificate oauth_certificate;

  /* Schema 2 */
  guint      schema;
  GPtrArray *oauth_certificates;     /* NULL = unknown */
  GPtrArray *candidates;
};

/* For tests. */
/* "TRUSTBRIDGE-STATE:<Base64 of @json>" without a line end: what the scripts print. */
char        *tb_pool_state_encode_marker_line   (const char   *json);
/* The document's schema number (1 or 2). */
guint        tb_pool_state_get_schema              (TbPoolState *self);

G_END_DECLS
