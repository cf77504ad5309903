/* tb-principals-page-private.h: what tb-principals-page.c and tb-principals-page-writes.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-graph-client.h"
#include "tb-principal-detail.h"
#include "tb-principals-page.h"
#include "tb-profile.h"

G_BEGIN_DECLS

/* What the page shows; registered as TB_TYPE_PRINCIPALS_PAGE_STATE (tb-ui-enums.h), whose
 * nicks name the stack's children (tb-principals-page.ui). */
typedef enum
{
  TB_PRINCIPALS_PAGE_STATE_SIGNED_OUT,  /* nothing read yet, and not signed in */
  TB_PRINCIPALS_PAGE_STATE_CONTENT,     /* the principals (once read, also after signing out) */
} TbPrincipalsPageState;

/* For tests: what the page shows and parts of the detail view. */
TbPrincipalsPageState  tb_principals_page_get_state     (TbPrincipalsPage   *self);
TbCredentialTimeline  *tb_principals_page_get_timeline  (TbPrincipalsPage   *self);
/* The list row of @app_id (an AdwActionRow), its enabled switch, and the detail's SPN entry. */
GtkWidget             *tb_principals_page_get_row       (TbPrincipalsPage   *self,
                                                         const char         *app_id);
GtkSwitch             *tb_principals_page_get_row_switch (TbPrincipalsPage  *self,
                                                          const char        *app_id);
GtkEditable           *tb_principals_page_get_spn_entry (TbPrincipalsPage   *self);
/* The whole detail's label text, newline-separated (what the admin reads). */
char                  *tb_principals_page_dup_detail_text (TbPrincipalsPage *self);
/* The inline error's message, or NULL when none is shown. */
const char            *tb_principals_page_get_error     (TbPrincipalsPage   *self);
/* The organization's display name from the workspace's snapshot, or NULL. */
const char            *tb_principals_page_get_organization_name (TbPrincipalsPage *self);
/* TRUE once the tenant was read for this sign-in; then a NULL tb_principals_page_get_principal
 * means the principal is missing from the tenant. */
gboolean               tb_principals_page_has_snapshot  (TbPrincipalsPage   *self);

struct _TbPrincipalsPage
{
  TbPage                parent_instance;

  /* What was read is the workspace's snapshot (TbPage): the page holds none of its own. */
  gboolean              read_once;
  char                 *selected;

  GHashTable           *rows;                /* appId → TbPrincipalRow (owned by the list) */
  TbPrincipalDetail    *detail;              /* the chosen principal's, when it was read */

  GtkStack             *stack;
  TbPrincipalsPageState state;               /* what stack shows (set_state) */
  AdwLeaflet           *leaflet;
  GtkWidget            *back_button;
  AdwPreferencesGroup  *targets_group;
  AdwPreferencesGroup  *audit_group;
  GtkBox               *detail_box;
  GtkBox               *error_box;           /* the inline error's slot (TbPage) */
  GtkScrolledWindow    *detail_scroller;
};

TbProfile     *_tb_principals_page_get_profile         (TbPrincipalsPage *self);
guint          _tb_principals_page_warn_days           (TbPrincipalsPage *self);
/* The principal's display name as read, else the profile's, else the appId. */
const char    *_tb_principals_page_target_name         (TbPrincipalsPage *self,
                                                        const char       *app_id);
/* Counts nested busy spans; the page is dimmed, never blanked, while any runs. */
void           _tb_principals_page_set_busy            (TbPrincipalsPage *self,
                                                        gboolean          busy);
/* The inline error above the detail, whose Retry reads the tenant again; NULL @error clears
 * it. */
void           _tb_principals_page_set_error           (TbPrincipalsPage *self,
                                                        const char       *action,
                                                        const GError     *error);
/* The certificate selected in the workspace (the Certificates page), or NULL. */
TbCertificate *_tb_principals_page_current_certificate (TbPrincipalsPage *self);
void           _tb_principals_page_rebuild             (TbPrincipalsPage *self);
/* Reads the tenant again (one $batch), or rebuilds when signed out. */
void           _tb_principals_page_start_refresh       (TbPrincipalsPage *self);

G_END_DECLS
