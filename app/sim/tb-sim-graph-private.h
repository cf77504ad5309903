/* tb-sim-graph-private.h: what the parts of the Graph simulator share
 *
 * tb-sim-graph.c holds the errors, injected faults, routing and the HTTP edge;
 * tb-sim-graph-odata.c the OData query options ($select and the serialisation it drives,
 * $filter); tb-sim-graph-principals.c the resources (organization, servicePrincipals GET and
 * PATCH); tb-sim-graph-batch.c JSON $batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-sim-private.h"

G_BEGIN_DECLS

#define ODATA_JSON "application/json;odata.metadata=minimal;odata.streaming=true;" \
                   "IEEE754Compatible=false;charset=utf-8"
#define MAX_BATCH 20
#define MAX_DEPTH 64
#define MAX_TOP 999
#define DEFAULT_TOP 100
#define MAX_KEY_DISPLAY_NAME 90
#define KEY_READ_WINDOW (60 * G_USEC_PER_SEC)

typedef struct
{
  TbSim              *self;
  const char         *method;
  char               *path;        /* after /v1.0, percent-decoded */
  GHashTable         *query;       /* decoded, may be NULL */
  SoupMessageHeaders *headers;
  GBytes             *body;
  TbSimPerm           perms;
  const char         *request_id;
  const char         *client_request_id;
  gboolean            in_batch;
} GraphRequest;

typedef enum
{
  F_EQ, F_NE, F_IN, F_STARTSWITH, F_ANY_EQ, F_AND, F_OR, F_NOT,
} FilterOp;

typedef struct _Filter Filter;
struct _Filter
{
  FilterOp   op;
  char      *property;
  GPtrArray *values;     /* char*; NULL entries for null literal; "true"/"false" for booleans */
  Filter    *left;
  Filter    *right;
};

typedef struct
{
  const char *p;
  char       *error;        /* message for 400 */
  gboolean    unsupported;  /* Request_UnsupportedQuery rather than BadRequest */
  guint       depth;
} Lexer;

/* Properties a servicePrincipal (and a keyCredential) has in v1.0 that $select may name. */
extern const char * const _tb_sim_graph_sp_properties[];
extern const char * const _tb_sim_graph_kc_properties[];

/* tb-sim-graph.c */
TbSimReply *
_tb_sim_graph_error (GraphRequest *req,
                     guint         status,
                     const char   *code,
                     const char   *message);
TbSimReply *
_tb_sim_graph_errorf (GraphRequest *req,
                      guint         status,
                      const char   *code,
                      const char   *format,
                      ...) G_GNUC_PRINTF (4, 5);
TbSimReply *
_tb_sim_graph_insufficient_privileges (GraphRequest *req);
TbSimReply *
_tb_sim_graph_reply_json (guint     status,
                          JsonNode *body);
TbSimReply *
_tb_sim_graph_take_injected (GraphRequest *req);
TbSimReply *
_tb_sim_graph_dispatch (GraphRequest *req);

/* tb-sim-graph-odata.c */
const char *
_tb_sim_graph_canonical_property (const char * const *list,
                                  const char         *name);
gboolean
_tb_sim_graph_parse_select (GraphRequest *req,
                            GPtrArray   **out,
                            TbSimReply  **error);
JsonObject *
_tb_sim_graph_serialize_sp (JsonObject *sp,
                            GPtrArray  *select,
                            gboolean    with_keys);
char *
_tb_sim_graph_context_url (TbSim      *self,
                           GPtrArray  *select,
                           gboolean    entity);
void
_tb_sim_graph_filter_free (Filter *f);
void
_tb_sim_graph_skip_ws (Lexer *lx);
Filter *
_tb_sim_graph_parse_or (Lexer *lx);
gboolean
_tb_sim_graph_filter_matches (Filter     *f,
                              JsonObject *sp);

/* tb-sim-graph-principals.c */
TbSimReply *
_tb_sim_graph_get_organization (GraphRequest *req);
TbSimReply *
_tb_sim_graph_list_service_principals (GraphRequest *req);
TbSimReply *
_tb_sim_graph_get_service_principal (GraphRequest *req,
                                     JsonObject   *sp);
JsonNode *
_tb_sim_graph_parse_json_body (GraphRequest  *req,
                               TbSimReply   **error);
TbSimReply *
_tb_sim_graph_patch_service_principal (GraphRequest *req,
                                       JsonObject   *sp);

/* tb-sim-graph-batch.c */
TbSimReply *
_tb_sim_graph_dispatch_batch (GraphRequest *req);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Filter, _tb_sim_graph_filter_free)

G_END_DECLS
