/* tb-change.h: one change to the trust, on either half, as the faces report it
 *
 * The Microsoft 365 half (a principal edit, tb-principal-edit.h) and the pool half (the apply
 * script, tb-pool-client.h) report their changes in this one record: which half, what it
 * concerns (the principal's appId, or the pool item's check id), the action, and a translated
 * sentence. The action's nick is its stable name in --json output.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tb-trust-half.h"

G_BEGIN_DECLS

/* Registered as TB_TYPE_CHANGE_ACTION (tb-core-enums.h); the nicks are stable for scripts. */
typedef enum
{
  /* Microsoft 365: what a principal edit does */
  TB_CHANGE_ACTION_NONE,              /* "none": already in place */
  TB_CHANGE_ACTION_ADD_CREDENTIAL,    /* "add-credential" */
  TB_CHANGE_ACTION_REMOVE_CREDENTIAL, /* "remove-credential" */
  TB_CHANGE_ACTION_ENABLE,            /* "enable" */
  TB_CHANGE_ACTION_ADD_SPN,           /* "add-spn" */
  TB_CHANGE_ACTION_REMOVE_SPN,        /* "remove-spn" */
  /* The pool: what the apply script does to an item */
  TB_CHANGE_ACTION_CREATE,            /* "create": New-Cs… */
  TB_CHANGE_ACTION_UPDATE,            /* "update": Set-Cs… */
  TB_CHANGE_ACTION_REPLACE,           /* "replace": Remove-Cs… then New-Cs… */
} TbChangeAction;

typedef struct
{
  TbTrustHalf     half;
  /* Microsoft 365: the principal's appId; the pool: the TB_POOL_CHECK_* item id */
  char           *target;
  TbChangeAction  action;
  char           *detail;            /* a translated sentence */
  /* How it went, once applied (Microsoft 365): requests sent again after a transient failure
   * (outage, dropped connection, cut reply), and the entries another writer removed while
   * this change was written, which were put back (names for the admin; NULL when none). */
  guint           retries;
  GStrv           restored;
} TbChange;

#define TB_TYPE_CHANGE (tb_change_get_type ())
GType       tb_change_get_type       (void) G_GNUC_CONST;
TbChange   *tb_change_new            (TbTrustHalf     half,
                                      const char     *target,
                                      TbChangeAction  action,
                                      const char     *detail);
TbChange   *tb_change_copy           (const TbChange *change);
void        tb_change_free           (TbChange       *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbChange, tb_change_free)
/* The stable name of @action ("add-credential", "create"…): its nick. */
const char *tb_change_action_to_string (TbChangeAction action);
gboolean    tb_change_is_none        (const TbChange *change);
/* Whether another writer removed something while the change was written (put back since):
 * a loss the admin must hear about. */
gboolean    tb_change_had_loss       (const TbChange *change);
/* {"changes":[…]} from a GPtrArray of TbChange, each in its half's shape: Microsoft 365
 * {"app_id","action","detail","retries","restored":[…]}, the pool {"item","action","detail"}. */
JsonNode   *tb_changes_to_json       (GPtrArray      *changes);

G_END_DECLS
