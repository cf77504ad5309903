/* tb-first-frame.h: run work once a window has painted its first frame
 *
 * Start-up work the first frame does not show (the demo's simulators, pages not visible) waits
 * for it, so the window appears as soon as a bare one would.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*TbFirstFrameFunc) (GtkWidget *window,
                                  gpointer   user_data);

/* Calls @func from an idle of default priority after @window's first painted frame, or at once
 * from an idle when it was painted before; never when @window is destroyed first. */
void tb_window_after_first_frame (GtkWindow        *window,
                                  TbFirstFrameFunc  func,
                                  gpointer          user_data);

G_END_DECLS
