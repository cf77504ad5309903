/* tb-pool-pane-private.h: what the On-premises Pool page's files share
 *
 * tb-pool-pane.c holds the page (helpers, errors, tenant, properties), tb-pool-pane-checks.c
 * the checks group (one row per configuration item), tb-pool-pane-connection.c the connection
 * form's live read over WinRM (through the core's TbPoolConnection, shared with the CLI),
 * tb-pool-pane-actions.c the script round trip and Apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-pool-client.h"
#include "tb-pool-pane.h"

G_BEGIN_DECLS

/* What the results area shows; registered as TB_TYPE_POOL_PANE_VIEW (tb-ui-enums.h). */
typedef enum
{
  TB_POOL_PANE_VIEW_EMPTY,    /* nothing read yet */
  TB_POOL_PANE_VIEW_CONTENT,  /* a pool state and its checks */
} TbPoolPaneView;

/* For tests: what the results area shows; the row of an item (TB_POOL_PANE_ROW_*, an
 * AdwActionRow) and its result; the inline error's message, or NULL when none is shown. */
TbPoolPaneView      tb_pool_pane_get_view              (TbPoolPane         *self);
GtkWidget          *tb_pool_pane_get_row               (TbPoolPane         *self,
                                                        const char         *item);
TbPoolCheckResult   tb_pool_pane_get_row_result        (TbPoolPane         *self,
                                                        const char         *item);
const char         *tb_pool_pane_get_error             (TbPoolPane         *self);

typedef enum /*< skip >*/
{
  RETRY_NONE,
  RETRY_FILE,
  RETRY_CONNECT,
  RETRY_TENANT,
} RetryKind;

struct _TbPoolPane
{
  TbPage                parent_instance;

  GtkFileChooserNative *chooser;
  gboolean              chooser_apply;       /* the chooser saves the apply script */

  TbPoolState          *state;
  GPtrArray            *checks;              /* TbPoolCheck, for the state and tenant shown */
  char                 *source;              /* "trust-bridge-state.json", "fe01.contoso.local" */
  GDateTime            *read_at;
  GStrv                 external_fqdns;

  /* The tenant, from the best source that has it (see tb_pool_pane_get_tenant_id). */
  char                 *tenant_id;
  char                 *tenant_source;       /* a translated phrase for the tenant row */
  char                 *resolved_query;      /* domain the resolved ID belongs to */
  char                 *resolved_tenant_id;
  GCancellable         *tenant_cancellable;
  char                 *tenant_problem;      /* why the tenant cannot be used, or NULL */

  RetryKind             retry_kind;          /* what the inline error's Retry does */
  GFile                *retry_file;

  /* The connection of the last successful live read; NULL when the state came from a file. */
  TbPoolClient         *client;

  GHashTable           *rows;                /* item → AdwActionRow (owned by config_group) */
  GHashTable           *results;             /* item → TbPoolCheckResult */
  GList                *shown_rows;

  GtkWidget            *scroller;
  AdwPreferencesGroup  *connection_group;
  AdwEntryRow          *fqdn_row;
  AdwEntryRow          *port_row;
  AdwComboRow          *auth_row;
  AdwActionRow         *principal_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  AdwActionRow         *tenant_known_row;
  AdwEntryRow          *tenant_entry_row;
  GtkBox               *error_box;
  GtkStack             *results_stack;
  GtkBox               *content_box;
  AdwPreferencesGroup  *config_group;
  GtkButton            *apply_script_button;  /* its tooltip says why it is disabled */
};

/* tb-pool-pane.c */
gboolean    _tb_pool_pane_is_cancelled       (const GError *error);
guint       _tb_pool_pane_warn_days          (TbPoolPane   *self);
GtkWindow  *_tb_pool_pane_parent_window      (TbPoolPane   *self);
/* The ACS base the pool's metadata URL must name (the core's rule, demo included). */
const char *_tb_pool_pane_acs_base           (TbPoolPane   *self);
/* Enables the page's commands (the "pool." actions) from its state: the one place that does. */
void        _tb_pool_pane_update_actions     (TbPoolPane   *self);
/* The OAuthTokenIssuer certificate of the state shown, when it holds one that could be read. */
TbCertificate *_tb_pool_pane_get_oauth_certificate (TbPoolPane *self);
/* Counts nested busy spans; the page is dimmed, never blanked, while any runs. */
void        _tb_pool_pane_set_busy           (TbPoolPane   *self,
                                              gboolean      busy);
void        _tb_pool_pane_notify_state       (TbPoolPane   *self);
void        _tb_pool_pane_clear_error        (TbPoolPane   *self);
/* The inline error next to the action, with what Retry does (@retry_file for RETRY_FILE). */
void        _tb_pool_pane_show_error         (TbPoolPane   *self,
                                              const char   *action,
                                              const GError *error,
                                              RetryKind     retry,
                                              GFile        *retry_file);

/* tb-pool-pane-checks.c */
void        _tb_pool_pane_rebuild_rows       (TbPoolPane   *self);
/* Shows @state (read from @source, a file or host name) and checks it against the tenant. */
void        _tb_pool_pane_set_state          (TbPoolPane   *self,
                                              TbPoolState  *state,
                                              const char   *source);
/* Reads a state file; a file that cannot be read leaves the shown state alone. */
void        _tb_pool_pane_read_file          (TbPoolPane   *self,
                                              GFile        *file);

/* tb-pool-pane-connection.c */
void        _tb_pool_pane_connect_live       (TbPoolPane   *self);
/* pool.connect: reads the pool live when the form names a Front End and nothing runs. */
void        _tb_pool_pane_connect            (TbPoolPane   *self);
/* In the demo, the form names the demo Front End and its account. */
void        _tb_pool_pane_prefill_demo_pool  (TbPoolPane   *self);

/* tb-pool-pane-actions.c */
/* pool.export-read-script, pool.export-apply-script, pool.apply */
void        _tb_pool_pane_export_read_script      (TbPoolPane *self);
void        _tb_pool_pane_export_apply_script     (TbPoolPane *self);
void        _tb_pool_pane_apply_changes           (TbPoolPane *self);
void        _tb_pool_pane_destroy_chooser         (TbPoolPane *self);

G_END_DECLS
