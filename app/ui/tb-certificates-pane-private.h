/* tb-certificates-pane-private.h: what only the tests of tb-certificates-pane reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificates-pane.h"

G_BEGIN_DECLS

/* For tests: selects @certificate in the list, as a click on its row would. */
void           tb_certificates_pane_select           (TbCertificatesPane  *self,
                                                      TbCertificate       *certificate);

G_END_DECLS
