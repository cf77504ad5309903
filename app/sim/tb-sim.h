/* tb-sim.h: a local stand-in for Microsoft's login, Graph and ACS services
 *
 * A SoupServer on 127.0.0.1 (random port) that behaves like the documented services,
 * unpleasant parts included. The faces start it for --demo and the tests start it for
 * integration; product code only ever sees its base URLs, as it would see any cloud's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TB_TYPE_SIM (tb_sim_get_type ())
G_DECLARE_FINAL_TYPE (TbSim, tb_sim, TB, SIM, GObject)

typedef enum
{
  TB_SIM_TENANT_EMPTY,     /* organization and the well-known first-party principals, no keys */
  TB_SIM_TENANT_DEMO,      /* Contoso demo: a broken trust (see tb-sim-data.c), 1,500 others */
} TbSimTenant;

TbSim      *tb_sim_new                    (TbSimTenant   tenant);

/* One of the demo pool's earlier OAuthTokenIssuer certificates (EC P-256, public DER only),
 * newest first; NULL past the last. Made once per process, dates relative to the first call
 * (seconds since the epoch): the demo tenant holds them on Skype for Business Online, the demo
 * Front End lists them as previous. */
typedef struct
{
  const char *common_name;
  GBytes     *der;
  gint64      not_before;
  gint64      not_after;
  gint64      effective;   /* when the pool started using it */
} TbSimDemoCertificate;

const TbSimDemoCertificate *tb_sim_demo_pool_history (guint index);
/* Listens on 127.0.0.1 on an ephemeral port, in the thread-default main context. */
gboolean    tb_sim_start                  (TbSim        *self,
                                           GError      **error);
void        tb_sim_stop                   (TbSim        *self);

/* "http://127.0.0.1:PORT/login", ".../graph", ".../acs": what a custom endpoints file holds. */
const char *tb_sim_get_login_base         (TbSim        *self);
const char *tb_sim_get_graph_base         (TbSim        *self);
const char *tb_sim_get_acs_base           (TbSim        *self);

/* The tenant it serves: GUID and its verified domains (first one is the initial domain). */
const char *tb_sim_get_tenant_id          (TbSim        *self);
const char * const *tb_sim_get_domains    (TbSim        *self);

/* Behaviour knobs (all default off/0). */
/* Device codes are approved without a visit to the verification page after this many polls
 * (0 = never; the demo uses 1 so the CLI demo needs no browser). */
void        tb_sim_set_device_auto_approve (TbSim       *self,
                                           guint         polls);
/* The polling interval the device code reply asks for (default 5 s, as Microsoft); tests use 1. */
void        tb_sim_set_device_interval    (TbSim        *self,
                                           guint         seconds);

/* A large tenant: @total service principals (the stored ones included) of which
 * @microsoft_owned are Microsoft's first-party ones, made up on demand rather than held in
 * memory; and credentials planted for the audit on a few first-party principals (a key of
 * the pool on Skype for Business Online, documented ones on SharePoint Online and Cloud
 * Voicemail, unexplained keys and secrets on Microsoft Graph, Office 365 Management APIs and
 * Windows Azure Service Management API) and on one of the tenant's own apps. Call once,
 * before tb_sim_start. */
void        tb_sim_set_population         (TbSim        *self,
                                           guint         total,
                                           guint         microsoft_owned);

/* What the server holds, for tests that check the service side as an admin would in the
 * Entra portal. */
JsonObject *tb_sim_dup_service_principal  (TbSim        *self,
                                           const char   *app_id);   /* full, keys included */
void        tb_sim_put_service_principal  (TbSim        *self,
                                           JsonObject   *object);   /* add or replace by appId */

G_END_DECLS
