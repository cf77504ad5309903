/* tb-credential-timeline-private.h: what only the tests of tb-credential-timeline reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-credential-timeline.h"

G_BEGIN_DECLS

/* For tests: the bars drawn, the state of a bar, the name drawn beside it and the
 * description read out for the whole drawing. */
guint       tb_credential_timeline_get_n_bars       (TbCredentialTimeline *self);
gboolean    tb_credential_timeline_get_bar_rect     (TbCredentialTimeline *self,
                                                     guint                 index,
                                                     graphene_rect_t      *rect);
gboolean    tb_credential_timeline_get_bar_highlighted (TbCredentialTimeline *self,
                                                        guint                 index);
TbCertificateStatus tb_credential_timeline_get_bar_status (TbCredentialTimeline *self,
                                                           guint                 index);
/* The name beside bar @index: the common name, with the end date (then the keyId) where two
 * credentials share it. */
const char *tb_credential_timeline_get_bar_label    (TbCredentialTimeline *self,
                                                     guint                 index);
const char *tb_credential_timeline_get_description  (TbCredentialTimeline *self);
/* Fixes "today"; NULL follows the clock. */
void        tb_credential_timeline_set_now          (TbCredentialTimeline *self,
                                                     GDateTime            *now);

G_END_DECLS
