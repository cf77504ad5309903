/* tb-principals-page.h: the profile's service principals, their names and key credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tb-certificates-page.h"
#include "tb-context.h"
#include "tb-page.h"
#include "tb-credential-timeline.h"
#include "tb-service-principal.h"

#include "tb-organization.h"

G_BEGIN_DECLS

#define TB_TYPE_PRINCIPALS_PAGE (tb_principals_page_get_type ())
G_DECLARE_FINAL_TYPE (TbPrincipalsPage, tb_principals_page, TB, PRINCIPALS_PAGE, TbPage)

GtkWidget          *tb_principals_page_new             (TbContext          *context);
void                tb_principals_page_set_context     (TbPrincipalsPage   *self,
                                                        TbContext          *context);
/* Reads everything the page shows in one $batch. Needs a signed-in account. */
void                tb_principals_page_refresh         (TbPrincipalsPage   *self);
/* TRUE while reading or writing. */
gboolean            tb_principals_page_get_loading     (TbPrincipalsPage   *self);
/* The page puts what it reads into its workspace (tb_workspace_take_snapshot): others read it
 * there. */

/* The principal shown on the right; NULL selects none. */
void                tb_principals_page_select          (TbPrincipalsPage   *self,
                                                        const char         *app_id);
const char         *tb_principals_page_get_selected    (TbPrincipalsPage   *self);
/* The principal as last read, or NULL when missing from the tenant (or not read yet). */
TbServicePrincipal *tb_principals_page_get_principal   (TbPrincipalsPage   *self,
                                                        const char         *app_id);
/* Starts the add flow for @certificate on the selected principal: write access, preview
 * dialog, write, refresh. */
void                tb_principals_page_add_certificate (TbPrincipalsPage   *self,
                                                        TbCertificate      *certificate);
/* Starts the remove flow (confirmation dialog) for one credential of the selected principal. */
void                tb_principals_page_remove_credential (TbPrincipalsPage *self,
                                                          const char       *key_id);
/* Adds "<appId>/<fqdn>" to the selected principal (no dialog: nothing is lost). */
void                tb_principals_page_add_spn         (TbPrincipalsPage   *self,
                                                        const char         *fqdn);
/* Removes a whole SPN from the selected principal, after a confirmation dialog. */
void                tb_principals_page_remove_spn      (TbPrincipalsPage   *self,
                                                        const char         *spn);
/* Turns accountEnabled on for @app_id (what the list's switch does). */
void                tb_principals_page_enable          (TbPrincipalsPage   *self,
                                                        const char         *app_id);

G_END_DECLS
