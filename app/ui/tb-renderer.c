/* tb-renderer.c: draw with cairo where OpenGL is only a software rasteriser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

#include "tb-renderer.h"

/* Whether @renderer (a GL_RENDERER string, NULL for no OpenGL) names a software rasteriser. */
static gboolean
is_software (const char *renderer)
{
  static const char * const software[] = {
    "llvmpipe", "softpipe", "Software Rasterizer", "SWR", "swrast",
  };

  if (renderer == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Without a DRM device (or NVIDIA's own) no GPU can draw for this process: any OpenGL there
 * is software, and asking would load it for nothing. */
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

/* The GL_RENDERER of the display's OpenGL, or NULL when GTK cannot use OpenGL there. */
static char *
query_gl_renderer (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *renderer;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("No OpenGL: %s", error ? error->message : "unknown reason");
      return NULL;
    }
  gdk_gl_context_make_current (context);
  renderer = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return renderer;
}

static gboolean
software_only (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *renderer = NULL;

  if (display == NULL)
    return FALSE;
  if (!have_gpu_device ())
    {
      g_debug ("No GPU device: drawing with cairo");
      return TRUE;
    }
  renderer = query_gl_renderer (display);
  g_debug ("OpenGL renderer: %s", renderer ? renderer : "none");
  return is_software (renderer);
}

void
tb_renderer_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  /* GTK reads GSK_RENDERER when it creates the first window's renderer. */
  if (g_getenv ("GSK_RENDERER") == NULL && software_only ())
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_once_init_leave (&done, 1);
}
