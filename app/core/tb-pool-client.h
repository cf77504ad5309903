/* tb-pool-client.h: read and apply the pool's OAuth configuration live over WinRM, or export
 * the scripts that do it for the script round trip
 *
 * Status runs the read script (tb-pool-script.h) through TbWinrmShell and parses its state
 * line (tb-pool-state.h). Apply reads first (the "before" state and the changes that will be
 * made), runs the apply script (which prints the state it left), then reads again and checks
 * that the pool now holds what the trust needs; a second apply on a correct pool changes
 * nothing and reports no changes.
 *
 * Changes are reported as the Microsoft 365 side reports them (TbChange, tb-change.h), on
 * the pool half: the target is the check item id they concern.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-change.h"
#include "tb-pool-state.h"
#include "tb-winrm-shell.h"

G_BEGIN_DECLS

#define TB_POOL_CLIENT_ERROR (tb_pool_client_error_quark ())

typedef enum
{
  TB_POOL_CLIENT_ERROR_NO_STATE,       /* the script printed no usable state line */
  TB_POOL_CLIENT_ERROR_INCOMPLETE,     /* the read could not gather what apply must compare */
  TB_POOL_CLIENT_ERROR_SCRIPT_FAILED,  /* the apply script failed (exit code, error records) */
  TB_POOL_CLIENT_ERROR_VERIFY_FAILED,  /* the re-read does not show what apply set */
} TbPoolClientError;

GQuark tb_pool_client_error_quark (void);

/* What the apply script will do to @state for @metadata_url (as tb_pool_script_metadata_url
 * makes it): an array of TbChange, empty when the pool is already right. NULL with
 * TB_POOL_CLIENT_ERROR_INCOMPLETE when @state does not say enough to tell. */
GPtrArray    *tb_pool_plan_changes    (TbPoolState        *state,
                                       const char         *metadata_url,
                                       GError            **error);

/* FALSE with TB_WINRM_ERROR_DOUBLE_HOP or TB_WINRM_ERROR_MODULE_MISSING (translated, naming
 * @host and suggesting the script round trip) when the errors the read script collected show
 * that symptom; TRUE otherwise. The state itself is still worth showing. */
gboolean      tb_pool_client_diagnose (TbPoolState        *state,
                                      const char         *host,
                                      GError            **error);

typedef struct
{
  gboolean     dry_run;
  TbPoolState *before;    /* read before the apply script ran */
  TbPoolState *applied;   /* the state line the apply script printed */
  TbPoolState *after;     /* read again afterwards; for a dry run the same as @applied */
  GPtrArray   *changes;   /* TbChange: made, or for a dry run to be made; empty: none */
} TbPoolApplyResult;

void tb_pool_apply_result_free (TbPoolApplyResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbPoolApplyResult, tb_pool_apply_result_free)

#define TB_TYPE_POOL_CLIENT (tb_pool_client_get_type ())
G_DECLARE_FINAL_TYPE (TbPoolClient, tb_pool_client, TB, POOL_CLIENT, GObject)

/* Parameters as for tb_winrm_shell_new(): @host an FQDN or https URL, @port 0 for 5986,
 * @user/@password for Basic (the password stays in memory only), @pinned_sha256 or NULL for
 * system trust. */
TbPoolClient *tb_pool_client_new           (const char          *host,
                                            guint                port,
                                            TbWinrmAuth          auth,
                                            const char          *user,
                                            const char          *password,
                                            const char          *pinned_sha256);
TbWinrmShell *tb_pool_client_get_shell     (TbPoolClient        *self);

/* Runs the read script. The state may carry cmdlet errors: see tb_pool_client_diagnose(). */
void          tb_pool_client_status_async  (TbPoolClient        *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
TbPoolState  *tb_pool_client_status_finish (TbPoolClient        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Brings the pool to what the trust with @tenant_id on the cloud whose ACS base is @acs_base
 * (tb_cloud_get_acs; NULL: global) needs. @dry_run runs the apply script with DryRun 'yes'
 * (-WhatIf), so nothing changes, and reports what would. Refuses to apply when the read shows
 * the double hop (TB_WINRM_ERROR_DOUBLE_HOP) or is incomplete. */
void               tb_pool_client_apply_async  (TbPoolClient        *self,
                                                const char          *tenant_id,
                                                const char          *acs_base,
                                                gboolean             dry_run,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
TbPoolApplyResult *tb_pool_client_apply_finish (TbPoolClient        *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The script round trip: writes the read script (@tenant_id NULL) or the apply script for
 * @tenant_id/@acs_base to @file, in the form for people (comments kept), replacing it. */
void          tb_pool_export_script_async  (GFile               *file,
                                            const char          *tenant_id,
                                            const char          *acs_base,
                                            gboolean             dry_run,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      tb_pool_export_script_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
