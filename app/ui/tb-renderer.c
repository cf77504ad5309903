/* tb-renderer.c: draw with cairo where OpenGL is only a software rasteriser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "TrustBridge-renderer"

#include "config.h"

#include <gtk/gtk.h>

#include "tb-renderer.h"

/* Without a DRM device (or NVIDIA's own) no GPU can draw for this process: any OpenGL there
 * is a software rasteriser (llvmpipe), which compiles its shaders on the main thread and
 * draws slower than cairo. With a device, GTK's own choice stands: asking OpenGL which
 * renderer it is would cost a context before the first frame. */
static gboolean
have_gpu_device (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD") || g_str_has_prefix (name, "card"))
      return TRUE;
  return g_file_test ("/dev/nvidiactl", G_FILE_TEST_EXISTS);
}

void
tb_renderer_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  /* GTK reads GSK_RENDERER when it creates the first window's renderer. */
  if (g_getenv ("GSK_RENDERER") == NULL && !have_gpu_device ())
    {
      g_debug ("No GPU device: drawing with cairo");
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
  g_once_init_leave (&done, 1);
}
