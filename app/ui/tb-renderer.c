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
  /* GTK reads GSK_RENDERER when it creates each window's renderer. */
  if (g_getenv ("GSK_RENDERER") == NULL && !have_gpu_device ())
    {
      g_debug ("No GPU device: drawing with cairo");
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
    }
  /* Drawing with cairo, whoever chose it, OpenGL is not set up either: GDK 4.8 loads Mesa and
   * makes a GLX context when it opens the display, whichever renderer draws, which cost a bare
   * libadwaita window a third of its start-up here (about 37 ms of 122). GDK reads GDK_DEBUG
   * once, in gtk_init (). */
  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") == 0)
    {
      const char *flags = g_getenv ("GDK_DEBUG");
      g_autofree char *with_gl_disabled = flags != NULL && *flags != '\0'
                                            ? g_strconcat (flags, ":gl-disable", NULL)
                                            : g_strdup ("gl-disable");

      g_setenv ("GDK_DEBUG", with_gl_disabled, TRUE);
    }
  g_once_init_leave (&done, 1);
}
