/* tb-wide-dialog.h: message dialogs whose body is a preview of a change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* An AdwMessageDialog, transient for @from's window, whose @body (a preview listing names,
 * URLs and thumbprints) gets room: up to 620 px wide (less on a narrow window), wrapped
 * without hyphens. Its height stays within the window, so the buttons stay in view. */
GtkWidget  *tb_wide_message_dialog_new       (GtkWidget  *from,
                                              const char *heading,
                                              const char *body);

G_END_DECLS
