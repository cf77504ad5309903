/* tb-sim-faults.h: faults a test switches on in the simulated Graph service
 *
 * Each fault fires once, on the nth Graph request that matches it (by method and principal),
 * so tests are deterministic: no timers, no races. Like Graph, the simulator has no ETag or
 * If-Match on service principals and PATCH replaces collections whole, so the other writers
 * below lose entries exactly as a second admin's tool would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-sim.h"

G_BEGIN_DECLS

typedef enum
{
  TB_SIM_FAULT_STATUS,        /* answer @status (503, 504) without Retry-After; nothing runs */
  TB_SIM_FAULT_DROP,          /* drop the connection inside the status line; nothing runs */
  TB_SIM_FAULT_DROP_AFTER,    /* run the request (a write is applied), then drop as above */
  TB_SIM_FAULT_TRUNCATE,      /* run the request, send its reply cut short, close */
  TB_SIM_FAULT_GARBLE,        /* run the request, answer with something that is not HTTP */
  TB_SIM_FAULT_OTHER_WRITER,  /* another admin adds the entry, just before the request runs */
  TB_SIM_FAULT_STALE_WRITER,  /* another admin read the principal just before matching
                               * request @read_at and PATCHes what it read plus the entry
                               * just after this request ran */
} TbSimFaultKind;

typedef struct
{
  TbSimFaultKind  kind;
  const char     *method;        /* "GET", "PATCH", "POST" ($batch); NULL: any */
  const char     *app_id;        /* requests on this principal (appId or object path); NULL: any */
  guint           nth;           /* fires on the nth matching request from now (1: the next) */
  guint           read_at;       /* STALE_WRITER: 1 ≤ read_at ≤ nth */
  guint           status;        /* STATUS */
  /* Writers: the entry they add, a certificate (DER) as a credential and/or an SPN. */
  GBytes         *certificate;
  const char     *display_name;
  const char     *spn;
} TbSimFault;

void   tb_sim_add_fault          (TbSim            *self,
                                  const TbSimFault *fault);
/* Faults that have not fired yet. */
guint  tb_sim_get_pending_faults (TbSim            *self);

G_END_DECLS
