/* tb-overview-pane-private.h: what only the tests of tb-overview-pane reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-overview-pane.h"

G_BEGIN_DECLS

/* For tests. */
/* Check ids are the trust check's (TB_TRUST_CHECK_*). Unknown ids give TB_CHECK_UNKNOWN and no
 * detail. */
TbCheckStatus  tb_overview_pane_get_check       (TbOverviewPane     *self,
                                                 const char         *id,
                                                 const char        **detail);
/* The fix a row shows for @id, or NULL when the check is ok or not there. */
const char    *tb_overview_pane_get_fix         (TbOverviewPane     *self,
                                                 const char         *id);
/* The row of @id (an AdwActionRow leading to the page that fixes it), or NULL. */
GtkWidget     *tb_overview_pane_get_row         (TbOverviewPane     *self,
                                                 const char         *id);
/* The check ids in display order, NULL-terminated. */
GStrv          tb_overview_pane_dup_check_ids   (TbOverviewPane     *self);
/* Every check ok: the page says the trust is established. */
gboolean       tb_overview_pane_get_established (TbOverviewPane     *self);
/* The pool came from a state file and its half is not right yet: pending until the state
 * file comes back from the Front End. */
gboolean       tb_overview_pane_get_pool_pending (TbOverviewPane    *self);

G_END_DECLS
