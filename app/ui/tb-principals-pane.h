/* tb-principals-pane.h: the profile's service principals, their names and key credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificates-pane.h"
#include "tb-context.h"
#include "tb-page.h"
#include "tb-credential-timeline.h"
#include "tb-service-principal.h"

#include "tb-organization.h"

G_BEGIN_DECLS

#define TB_TYPE_PRINCIPALS_PANE (tb_principals_pane_get_type ())
G_DECLARE_FINAL_TYPE (TbPrincipalsPane, tb_principals_pane, TB, PRINCIPALS_PANE, TbPage)

GtkWidget          *tb_principals_pane_new             (TbContext          *context);
void                tb_principals_pane_set_context     (TbPrincipalsPane   *self,
                                                        TbContext          *context);
/* Reads everything the pane shows in one $batch. Needs a signed-in account. */
void                tb_principals_pane_refresh         (TbPrincipalsPane   *self);
/* TRUE while reading or writing. */
gboolean            tb_principals_pane_get_loading     (TbPrincipalsPane   *self);
/* The organization's display name from the workspace's snapshot, or NULL. */
const char         *tb_principals_pane_get_organization_name (TbPrincipalsPane *self);
/* TRUE once the tenant was read for this sign-in; then a NULL tb_principals_pane_get_principal
 * means the principal is missing from the tenant. The page puts what it reads into its
 * workspace (tb_workspace_take_snapshot): others read it there. */
gboolean            tb_principals_pane_has_snapshot    (TbPrincipalsPane   *self);

/* The principal shown on the right; NULL selects none. */
void                tb_principals_pane_select          (TbPrincipalsPane   *self,
                                                        const char         *app_id);
const char         *tb_principals_pane_get_selected    (TbPrincipalsPane   *self);
/* The principal as last read, or NULL when missing from the tenant (or not read yet). */
TbServicePrincipal *tb_principals_pane_get_principal   (TbPrincipalsPane   *self,
                                                        const char         *app_id);
/* Starts the add flow for @certificate on the selected principal: write access, preview
 * dialog, write, refresh. */
void                tb_principals_pane_add_certificate (TbPrincipalsPane   *self,
                                                        TbCertificate      *certificate);
/* Starts the remove flow (confirmation dialog) for one credential of the selected principal. */
void                tb_principals_pane_remove_credential (TbPrincipalsPane *self,
                                                          const char       *key_id);
/* Adds "<appId>/<fqdn>" to the selected principal (no dialog: nothing is lost). */
void                tb_principals_pane_add_spn         (TbPrincipalsPane   *self,
                                                        const char         *fqdn);
/* Removes a whole SPN from the selected principal, after a confirmation dialog. */
void                tb_principals_pane_remove_spn      (TbPrincipalsPane   *self,
                                                        const char         *spn);
/* Turns accountEnabled on for @app_id (what the list's switch does). */
void                tb_principals_pane_enable          (TbPrincipalsPane   *self,
                                                        const char         *app_id);

G_END_DECLS
