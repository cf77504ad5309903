/* tb-principals-pane-private.h: what tb-principals-pane.c and tb-principals-pane-writes.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-graph-client.h"
#include "tb-principal-detail.h"
#include "tb-principals-pane.h"
#include "tb-profile.h"

G_BEGIN_DECLS

/* What the page shows; registered as TB_TYPE_PRINCIPALS_PANE_STATE (tb-ui-enums.h). */
typedef enum
{
  TB_PRINCIPALS_PANE_STATE_SIGNED_OUT,  /* nothing read yet, and not signed in */
  TB_PRINCIPALS_PANE_STATE_CONTENT,     /* the principals (once read, also after signing out) */
} TbPrincipalsPaneState;

/* For tests: what the page shows and parts of the detail view. */
TbPrincipalsPaneState  tb_principals_pane_get_state     (TbPrincipalsPane   *self);
TbCredentialTimeline  *tb_principals_pane_get_timeline  (TbPrincipalsPane   *self);
/* The list row of @app_id (an AdwActionRow), its enabled switch, and the detail's SPN entry. */
GtkWidget             *tb_principals_pane_get_row       (TbPrincipalsPane   *self,
                                                         const char         *app_id);
GtkSwitch             *tb_principals_pane_get_row_switch (TbPrincipalsPane  *self,
                                                          const char        *app_id);
GtkEditable           *tb_principals_pane_get_spn_entry (TbPrincipalsPane   *self);
/* The whole detail's label text, newline-separated (what the admin reads). */
char                  *tb_principals_pane_dup_detail_text (TbPrincipalsPane *self);
/* The inline error's message, or NULL when none is shown. */
const char            *tb_principals_pane_get_error     (TbPrincipalsPane   *self);

struct _TbPrincipalsPane
{
  TbPage                parent_instance;

  /* What was read is the workspace's snapshot (TbPage): the pane holds none of its own. */
  gboolean              read_once;
  char                 *selected;

  GHashTable           *rows;                /* appId → TbPrincipalRow (owned by the list) */
  TbPrincipalDetail    *detail;              /* the chosen principal's, when it was read */

  GtkStack             *stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *back_button;
  AdwPreferencesGroup  *targets_group;
  AdwPreferencesGroup  *audit_group;
  GtkBox               *detail_box;
  GtkBox               *error_box;           /* the inline error's slot (TbPage) */
  GtkScrolledWindow    *detail_scroller;
};

TbProfile     *_tb_principals_pane_get_profile         (TbPrincipalsPane *self);
guint          _tb_principals_pane_warn_days           (TbPrincipalsPane *self);
/* The principal's display name as read, else the profile's, else the appId. */
const char    *_tb_principals_pane_target_name         (TbPrincipalsPane *self,
                                                        const char       *app_id);
/* Counts nested busy spans; the page is dimmed, never blanked, while any runs. */
void           _tb_principals_pane_set_busy            (TbPrincipalsPane *self,
                                                        gboolean          busy);
/* The inline error above the detail, whose Retry reads the tenant again; NULL @error clears
 * it. */
void           _tb_principals_pane_set_error           (TbPrincipalsPane *self,
                                                        const char       *action,
                                                        const GError     *error);
/* The certificate selected in the workspace (the Certificates page), or NULL. */
TbCertificate *_tb_principals_pane_current_certificate (TbPrincipalsPane *self);
void           _tb_principals_pane_rebuild             (TbPrincipalsPane *self);
/* Reads the tenant again (one $batch), or rebuilds when signed out. */
void           _tb_principals_pane_start_refresh       (TbPrincipalsPane *self);

G_END_DECLS
