/* tb-sim-private.h: state shared by the simulator's parts (login, Graph, ACS, data)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tb-certificate.h"
#include "tb-sim.h"

G_BEGIN_DECLS

/* Microsoft's own tenant: the owner of every first-party application. */
#define TB_SIM_MICROSOFT_TENANT "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

#define TB_SIM_MAX_BODY      (4 * 1024 * 1024)
#define TB_SIM_MAX_KEYS      600
#define TB_SIM_KEYS_PER_MIN  150

typedef enum
{
  TB_SIM_PERM_NONE  = 0,
  TB_SIM_PERM_READ  = 1 << 0,   /* Application.Read.All */
  TB_SIM_PERM_WRITE = 1 << 1,   /* Application.ReadWrite.All */
} TbSimPerm;

typedef struct
{
  TbSimPerm  perms;
  char      *scope;        /* as reported in the token reply */
  gint64     expires_at;   /* monotonic µs */
} TbSimAccessToken;

typedef struct
{
  char      *client_id;
  char      *scope;        /* the consented request, space separated */
} TbSimGrant;

typedef enum
{
  TB_SIM_DEVICE_PENDING,
  TB_SIM_DEVICE_APPROVED,
  TB_SIM_DEVICE_DECLINED,
  TB_SIM_DEVICE_REDEEMED,
} TbSimDeviceState;

typedef struct
{
  char             *device_code;
  char             *user_code;
  char             *client_id;
  char             *scope;
  char             *tenant;
  gint64            expires_at;     /* monotonic µs */
  gint64            last_poll;      /* monotonic µs, 0 before the first */
  guint             interval;       /* seconds; grows by 5 with every slow_down */
  guint             polls;
  TbSimDeviceState  state;
} TbSimDeviceCode;

typedef struct
{
  char   *client_id;
  char   *redirect_uri;
  char   *challenge;
  char   *scope;
  gint64  expires_at;
} TbSimAuthCode;

/* One of the demo tenant's line-of-business principals as long as no request has read or
 * written it by key: its GUIDs (lower case), everything else follows from its index
 * (tb_sim_data_build_compact). Once kept, it is stored as JSON like any other. */
typedef struct
{
  char     id[37];
  char     app_id[37];
  gboolean kept;
} TbSimCompact;

#define TB_SIM_DEMO_LOB_PRINCIPALS 1500

/* A slot of TbSim.principals holds a JsonObject, or compact principal i as an odd value
 * (a JsonObject's address is always even). */
#define TB_SIM_COMPACT_SLOT(i)        GUINT_TO_POINTER (((i) << 1) | 1)
#define TB_SIM_SLOT_IS_COMPACT(slot)  ((GPOINTER_TO_SIZE (slot) & 1) != 0)
#define TB_SIM_SLOT_COMPACT_INDEX(slot) ((guint) (GPOINTER_TO_SIZE (slot) >> 1))

struct _TbSim
{
  GObject       parent_instance;

  TbSimTenant   kind;
  SoupServer   *server;
  guint         port;
  char         *login_base;
  char         *graph_base;
  char         *acs_base;

  char         *tenant_id;
  GStrv         domains;
  char         *user;
  char         *user_name;
  char         *user_oid;
  char         *org_display_name;

  /* Service principals in creation order, and indexes by id and appId (lower case) of
   * those held as JSON; compact ones are found through tb_sim_lookup_stored. */
  GPtrArray    *principals;          /* JsonObject or TB_SIM_COMPACT_SLOT */
  GHashTable   *by_id;               /* char* → JsonObject (borrowed) */
  GHashTable   *by_app_id;           /* char* → JsonObject (borrowed) */
  TbSimCompact *compact;
  guint         n_compact;

  GBytes       *acs_cert_der;

  /* Identity platform state: opaque random strings → records. */
  GHashTable   *access_tokens;       /* → TbSimAccessToken */
  GHashTable   *refresh_tokens;      /* → TbSimGrant */
  GHashTable   *device_codes;        /* device_code → TbSimDeviceCode */
  GHashTable   *user_codes;          /* user_code → TbSimDeviceCode (borrowed) */
  GHashTable   *auth_codes;          /* → TbSimAuthCode */
  GHashTable   *skip_tokens;         /* → offset as GUINT_TO_POINTER (offset + 1) */

  /* Knobs */
  guint         latency_ms;
  guint         throttle_count;
  char         *throttle_retry_after;
  guint         error_count;
  guint         error_status;
  guint         token_lifetime;
  guint         device_auto_approve;
  guint         device_interval;
  guint         device_lifetime;

  /* $select=keyCredentials reads in the last minute (monotonic µs). */
  GQueue        key_reads;

  guint         request_count;
  guint         connection_count;
  guint         write_count;

  GPtrArray    *delayed;             /* GSource* of paused messages */
  GPtrArray    *faults;              /* tb-sim-faults.c's, in the order added; NULL for none */

  /* Large tenants (tb-sim-population.c): principals made up from their index after the
   * stored ones; those read or written by key are kept here by index + 1. */
  guint         generated;
  guint         generated_microsoft;
  GHashTable   *materialized;        /* GUINT_TO_POINTER (index + 1) → JsonObject */
  gboolean      owner_filter_refused;
};

/* A Graph reply before it becomes HTTP or a $batch item. */
typedef struct
{
  guint        status;
  GPtrArray   *headers;   /* alternating name, value */
  JsonNode    *body;      /* NULL for none */
} TbSimReply;

TbSimReply *tb_sim_reply_new              (guint           status);
void        tb_sim_reply_free             (TbSimReply     *reply);
void        tb_sim_reply_add_header       (TbSimReply     *reply,
                                           const char     *name,
                                           const char     *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbSimReply, tb_sim_reply_free)

/* tb-sim.c */
/* json_node_copy() shares objects and arrays; stored principals must never be shared. */
JsonNode   *tb_sim_json_deep_copy         (JsonNode          *node);
JsonObject *tb_sim_json_object_deep_copy  (JsonObject        *object);
/* A keyCredential as Graph shows a certificate uploaded without the optional members; the
 * second asserts @der is a certificate. */
JsonObject *tb_sim_key_credential_from    (TbCertificate     *cert);
JsonObject *tb_sim_key_credential_for     (GBytes            *der);
char       *tb_sim_random_token           (gsize           n_bytes);
char       *tb_sim_new_guid               (void);
char       *tb_sim_now_iso                (void);
void        tb_sim_respond_json           (TbSim             *self,
                                           SoupServerMessage *msg,
                                           guint              status,
                                           JsonNode          *body);
void        tb_sim_respond_text           (TbSim             *self,
                                           SoupServerMessage *msg,
                                           guint              status,
                                           const char        *content_type,
                                           const char        *text);
/* Sends the response once the configured latency has passed, without blocking. */
void        tb_sim_finish                 (TbSim             *self,
                                           SoupServerMessage *msg);
gboolean    tb_sim_is_guid                (const char        *s);
/* Tenant GUID for a GUID or one of its domains (case-insensitive); NULL if unknown. */
const char *tb_sim_resolve_tenant         (TbSim             *self,
                                           const char        *tenant);
void        tb_sim_index_principal        (TbSim             *self,
                                           JsonObject        *object);
void        tb_sim_unindex_principal      (TbSim             *self,
                                           JsonObject        *object);

/* tb-sim-data.c */
void        tb_sim_data_populate          (TbSim             *self);
/* Compact principal @i as JSON, new each call. */
JsonObject *tb_sim_data_build_compact     (TbSim             *self,
                                           guint              i);
GBytes     *tb_sim_data_make_certificate  (const char        *common_name,
                                           gint64             not_before,
                                           gint64             not_after);
void        tb_sim_acs_handler            (SoupServer        *server,
                                           SoupServerMessage *msg,
                                           const char        *path,
                                           GHashTable        *query,
                                           gpointer           user_data);

/* tb-sim-population.c */
/* The free function of TbSim.principals' slots. */
void        tb_sim_principal_slot_free    (gpointer           slot);
/* By lower-case id or appId among stored principals, compact ones included (then kept as
 * JSON from now on); NULL if none. Borrowed. */
JsonObject *tb_sim_lookup_stored          (TbSim             *self,
                                           const char        *key,
                                           gboolean           by_app_id);
/* Whether a stored principal other than @sp has @name among its servicePrincipalNames. */
gboolean    tb_sim_spn_taken_elsewhere    (TbSim             *self,
                                           JsonObject        *sp,
                                           const char        *name);
/* Stored principals, then generated ones: the listing order. */
guint       tb_sim_population_size        (TbSim             *self);
/* A new reference; generated principals are built for the call unless kept. */
JsonObject *tb_sim_population_get         (TbSim             *self,
                                           guint              index);
/* By lower-case id or appId, stored or generated (then kept from now on); NULL if none. */
JsonObject *tb_sim_population_lookup      (TbSim             *self,
                                           const char        *key,
                                           gboolean           by_app_id);

/* tb-sim-login.c */
void        tb_sim_login_handler          (SoupServer        *server,
                                           SoupServerMessage *msg,
                                           const char        *path,
                                           GHashTable        *query,
                                           gpointer           user_data);
void        tb_sim_access_token_free      (TbSimAccessToken  *token);
void        tb_sim_grant_free             (TbSimGrant        *grant);
void        tb_sim_device_code_free       (TbSimDeviceCode   *code);
void        tb_sim_auth_code_free         (TbSimAuthCode     *code);

/* tb-sim-faults.c: tb_sim_graph_handler behind the faults a test switched on */
void        tb_sim_faults_graph_handler   (SoupServer        *server,
                                           SoupServerMessage *msg,
                                           const char        *path,
                                           GHashTable        *query,
                                           gpointer           user_data);

/* tb-sim-graph.c */
void        tb_sim_graph_handler          (SoupServer        *server,
                                           SoupServerMessage *msg,
                                           const char        *path,
                                           GHashTable        *query,
                                           gpointer           user_data);

/* For tests. */
guint       tb_sim_get_request_count      (TbSim        *self);     /* HTTP requests served */
/* TCP connections the server accepted that carried at least one request */
guint       tb_sim_get_connection_count   (TbSim        *self);
/* The account that "signs in" on the consent page. */
const char *tb_sim_get_user               (TbSim        *self);
/* PATCH/POST that changed state */
guint       tb_sim_get_write_count        (TbSim        *self);
/* The next @count Graph requests get @status (500, 503…) with a Graph error body. */
void        tb_sim_inject_errors          (TbSim        *self,
                                           guint         count,
                                           guint         status);
/* The next @count Graph requests (batch items count one each) get 429 with @retry_after
 * ("2", "0.25"; NULL for no header). */
void        tb_sim_inject_throttling      (TbSim        *self,
                                           guint         count,
                                           const char   *retry_after);
gboolean    tb_sim_remove_service_principal (TbSim      *self,
                                           const char   *app_id);
/* How long a device code stays valid (default 900 s); after it expired_token. */
void        tb_sim_set_device_code_lifetime (TbSim      *self,
                                           guint         seconds);
void        tb_sim_set_latency            (TbSim        *self,
                                           guint         milliseconds);
/* Refuse $filter on appOwnerOrganizationId with 400 Request_UnsupportedQuery, as some tenants'
 * directories do. */
void        tb_sim_set_owner_filter_refused (TbSim      *self,
                                           gboolean      refused);
/* Access tokens expire this many seconds after issue (default 3600). */
void        tb_sim_set_token_lifetime     (TbSim        *self,
                                           guint         seconds);
/* Writes a GKeyFile [Endpoints] Login=/Graph=/Acs= for the faces' --endpoints option. */
gboolean    tb_sim_write_endpoints_file   (TbSim        *self,
                                           const char   *path,
                                           GError      **error);

G_END_DECLS
