/* tb-overview-page-private.h: what only the tests of tb-overview-page reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-overview-page.h"

G_BEGIN_DECLS

/* For tests. */
/* Check ids are the trust check's (TB_TRUST_CHECK_*). Unknown ids give TB_CHECK_UNKNOWN and no
 * detail. */
TbCheckStatus  tb_overview_page_get_check       (TbOverviewPage     *self,
                                                 const char         *id,
                                                 const char        **detail);
/* The fix a row shows for @id, or NULL when the check is ok or not there. */
const char    *tb_overview_page_get_fix         (TbOverviewPage     *self,
                                                 const char         *id);
/* The row of @id (an AdwActionRow leading to the page that fixes it), or NULL. */
GtkWidget     *tb_overview_page_get_row         (TbOverviewPage     *self,
                                                 const char         *id);
/* The check ids in display order, NULL-terminated. */
GStrv          tb_overview_page_dup_check_ids   (TbOverviewPage     *self);
/* Every check ok: the page says the trust is established. */
gboolean       tb_overview_page_get_established (TbOverviewPage     *self);
/* The pool came from a state file and its half is not right yet: pending until the state
 * file comes back from the Front End. */
gboolean       tb_overview_page_get_pool_pending (TbOverviewPage    *self);

G_END_DECLS
