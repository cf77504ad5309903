/* tb-principal-row.h: one service principal in the Service Principals page's list
 *
 * Name, appId, the credential count with the worst status, and the enabled switch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-profile.h"
#include "tb-service-principal.h"

G_BEGIN_DECLS

#define TB_TYPE_PRINCIPAL_ROW (tb_principal_row_get_type ())
G_DECLARE_FINAL_TYPE (TbPrincipalRow, tb_principal_row, TB, PRINCIPAL_ROW, AdwActionRow)

/* @principal is NULL when the tenant lacks it (@read) or was not read yet. Emits
 * "enable-requested" when the admin turns a disabled principal's switch on; the switch keeps
 * showing what the tenant holds until the page is read again. */
GtkWidget  *tb_principal_row_new        (const TbProfileTarget *target,
                                         TbServicePrincipal    *principal,
                                         const char            *name,
                                         gboolean               read,
                                         GDateTime             *now,
                                         guint                  warn_days);
const char *tb_principal_row_get_app_id (TbPrincipalRow        *self);
/* The enabled switch, or NULL when the principal was not read. */
GtkSwitch  *tb_principal_row_get_switch (TbPrincipalRow        *self);

G_END_DECLS
