/* tb-application.h: the GUI application: actions, command line, windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-context.h"

G_BEGIN_DECLS

#define TB_TYPE_APPLICATION (tb_application_get_type ())
G_DECLARE_FINAL_TYPE (TbApplication, tb_application, TB, APPLICATION, AdwApplication)

TbApplication *tb_application_new         (void);
/* Before anything is allocated: how the GUI process keeps the memory its frames use. */
void           tb_application_tune_allocator (void);

G_END_DECLS
