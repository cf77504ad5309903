/* tb-renderer.h: draw with cairo where OpenGL is only a software rasteriser
 *
 * GTK 4.8 draws with OpenGL whenever the display offers it, also when that OpenGL is Mesa's
 * llvmpipe or softpipe (a virtual machine or remote desktop without a GPU, Xvfb). There the
 * first use of each kind of drawing (a shadow, a rounded clip, a gradient, text in a new
 * colour…) compiles a shader to machine code with LLVM on the main thread: 30 to 150 ms during
 * which the window can neither paint nor answer input. Cairo draws the same widgets on the CPU
 * without that cost, so it is the better choice there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Once per process, before gtk_init (): picks the cairo renderer when the machine has no GPU
 * device, so any OpenGL would be a software rasteriser (a GSK_RENDERER the user set is left
 * alone). Drawing with cairo, it keeps GDK from setting up OpenGL at all
 * (GDK_DEBUG=gl-disable); what the app starts inherits both. Called later (before the first
 * window is realized) it still picks the renderer. */
void tb_renderer_init (void);

G_END_DECLS
