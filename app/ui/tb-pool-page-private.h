/* tb-pool-page-private.h: what the On-premises Pool page's files share
 *
 * tb-pool-page.c holds the page (helpers, errors, tenant, properties), tb-pool-page-checks.c
 * the checks group (one row per configuration item), tb-pool-page-connection.c the connection
 * form's live read over WinRM (through the core's TbPoolConnection, shared with the CLI),
 * tb-pool-page-actions.c the script round trip and Apply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-pool-client.h"
#include "tb-pool-page.h"

G_BEGIN_DECLS

/* What the results area shows; registered as TB_TYPE_POOL_PAGE_VIEW (tb-ui-enums.h), whose
 * nicks name results_stack's children (tb-pool-page.ui). */
typedef enum
{
  TB_POOL_PAGE_VIEW_EMPTY,    /* nothing read yet */
  TB_POOL_PAGE_VIEW_CONTENT,  /* a pool state and its checks */
} TbPoolPageView;

/* For tests: what the results area shows; the row of an item (TB_POOL_PAGE_ROW_*, an
 * AdwActionRow) and its result; the inline error's message, or NULL when none is shown. */
TbPoolPageView      tb_pool_page_get_view              (TbPoolPage         *self);
GtkWidget          *tb_pool_page_get_row               (TbPoolPage         *self,
                                                        const char         *item);
TbPoolCheckResult   tb_pool_page_get_row_result        (TbPoolPage         *self,
                                                        const char         *item);
const char         *tb_pool_page_get_error             (TbPoolPage         *self);
/* For tests: the pool state shown, or NULL; what "Tenant ID" on this page holds when the
 * Microsoft 365 side has none (must be a GUID). */
TbPoolState        *tb_pool_page_get_pool_state        (TbPoolPage         *self);
void                tb_pool_page_set_typed_tenant_id   (TbPoolPage         *self,
                                                        const char         *tenant_id);

typedef enum /*< skip >*/
{
  RETRY_NONE,
  RETRY_FILE,
  RETRY_CONNECT,
  RETRY_TENANT,
} RetryKind;

struct _TbPoolPage
{
  TbPage                parent_instance;

  GtkFileChooserNative *chooser;
  gboolean              chooser_apply;       /* the chooser saves the apply script */

  TbPoolState          *state;
  GPtrArray            *checks;              /* TbPoolCheck, for the state and tenant shown */
  char                 *source;              /* "trust-bridge-state.json", "fe01.contoso.local" */
  GDateTime            *read_at;
  GStrv                 external_fqdns;

  /* The tenant, from the best source that has it (see tb_pool_page_get_tenant_id). */
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
  TbPoolPageView        view;                /* what results_stack shows (set_view) */
  GtkBox               *content_box;
  AdwPreferencesGroup  *config_group;
  GtkButton            *apply_script_button;  /* its tooltip says why it is disabled */
};

/* tb-pool-page.c */
gboolean    _tb_pool_page_is_cancelled       (const GError *error);
guint       _tb_pool_page_warn_days          (TbPoolPage   *self);
GtkWindow  *_tb_pool_page_parent_window      (TbPoolPage   *self);
/* The ACS base the pool's metadata URL must name (the core's rule, demo included). */
const char *_tb_pool_page_acs_base           (TbPoolPage   *self);
/* Enables the page's commands (the "pool." actions) from its state: the one place that does. */
void        _tb_pool_page_update_actions     (TbPoolPage   *self);
/* The OAuthTokenIssuer certificate of the state shown, when it holds one that could be read. */
TbCertificate *_tb_pool_page_get_oauth_certificate (TbPoolPage *self);
/* Counts nested busy spans; the page is dimmed, never blanked, while any runs. */
void        _tb_pool_page_set_busy           (TbPoolPage   *self,
                                              gboolean      busy);
void        _tb_pool_page_notify_state       (TbPoolPage   *self);
void        _tb_pool_page_clear_error        (TbPoolPage   *self);
/* The inline error next to the action, with what Retry does (@retry_file for RETRY_FILE). */
void        _tb_pool_page_show_error         (TbPoolPage   *self,
                                              const char   *action,
                                              const GError *error,
                                              RetryKind     retry,
                                              GFile        *retry_file);

/* tb-pool-page-checks.c */
void        _tb_pool_page_rebuild_rows       (TbPoolPage   *self);
/* Shows @state (read from @source, a file or host name) and checks it against the tenant. */
void        _tb_pool_page_set_state          (TbPoolPage   *self,
                                              TbPoolState  *state,
                                              const char   *source);
/* Reads a state file; a file that cannot be read leaves the shown state alone. */
void        _tb_pool_page_read_file          (TbPoolPage   *self,
                                              GFile        *file);

/* tb-pool-page-connection.c */
void        _tb_pool_page_connect_live       (TbPoolPage   *self);
/* pool.connect: reads the pool live when the form names a Front End and nothing runs. */
void        _tb_pool_page_connect            (TbPoolPage   *self);
/* In the demo, the form names the demo Front End and its account. */
void        _tb_pool_page_prefill_demo_pool  (TbPoolPage   *self);

/* tb-pool-page-actions.c */
/* pool.export-read-script, pool.export-apply-script, pool.apply */
void        _tb_pool_page_export_read_script      (TbPoolPage *self);
void        _tb_pool_page_export_apply_script     (TbPoolPage *self);
void        _tb_pool_page_apply_changes           (TbPoolPage *self);

G_END_DECLS
