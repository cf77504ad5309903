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

/* A flat record of the JSON form is a table of its members: reading (tb-pool-state-parse.c) and
 * writing (tb-pool-state.c) both go by the same table, so each member's name and the field it
 * fills are spelt once, in document order. */
typedef enum
{
  TB_POOL_FIELD_STRING, /* char *: null or missing is NULL */
  TB_POOL_FIELD_BOOL,   /* TbPoolBool: null or missing is TB_POOL_BOOL_UNKNOWN */
  TB_POOL_FIELD_DATE,   /* GDateTime *: ISO 8601, UTC when it names no zone */
} TbPoolFieldKind;

typedef struct
{
  const char      *name;   /* the JSON member */
  gsize            offset; /* of the field in the C struct */
  TbPoolFieldKind  kind;
} TbPoolField;

typedef struct
{
  const TbPoolField *fields;
  guint              n_fields;
  gsize              size;      /* of one list element; 0 for members of TbPoolState itself */
  GDestroyNotify     free_func; /* frees one list element; NULL likewise */
} TbPoolRecord;

extern const TbPoolRecord tb_pool_server_record;              /* in TbPoolState */
extern const TbPoolRecord tb_pool_oauth_configuration_record; /* TbPoolOAuthConfiguration */
extern const TbPoolRecord tb_pool_oauth_certificate_record;   /* schema 1 TbPoolCertificate */
extern const TbPoolRecord tb_pool_oauth_server_record;        /* TbPoolOAuthServer */
extern const TbPoolRecord tb_pool_partner_application_record; /* TbPoolPartnerApplication */
extern const TbPoolRecord tb_pool_web_service_record;         /* TbPoolWebService */
extern const TbPoolRecord tb_pool_error_record;               /* TbPoolError */

/* For tests. */
/* "TRUSTBRIDGE-STATE:<Base64 of @json>" without a line end: what the scripts print. */
char        *tb_pool_state_encode_marker_line   (const char   *json);
/* The document's schema number (1 or 2). */
guint        tb_pool_state_get_schema              (TbPoolState *self);

G_END_DECLS
