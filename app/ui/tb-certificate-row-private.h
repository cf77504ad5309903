/* tb-certificate-row-private.h: what only the tests of tb-certificate-row reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate-row.h"

G_BEGIN_DECLS

/* For tests. */
GtkButton     *tb_certificate_row_get_remove_button (TbCertificateRow *self);

G_END_DECLS
