/* first-frame.c: milliseconds from exec to a program's first painted top-level window
 *
 *   first-frame [--timeout MS] -- PROGRAM [ARG…]
 *
 * An X client on $DISPLAY (a private Xvfb without window manager or compositor, so what a
 * window paints is what the screen shows): it notes the time, starts PROGRAM, waits for a
 * top-level window to be mapped, then samples three rows across that window until most of
 * the sampled pixels differ in colour from the root background taken before the start (a
 * mapped window not yet painted does not count). It prints the
 * elapsed milliseconds and the CPU milliseconds PROGRAM used until then (all its threads; far
 * steadier than wall time on a busy machine, for profiling), ends PROGRAM with SIGTERM and
 * exits 0; 1 when PROGRAM exited first or
 * nothing was painted in time. Not a test: `build-aux/bench startup` runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#define MAX_WINDOWS 16

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* user + system CPU time of a running process, all threads, from /proc/PID/stat */
static double
cpu_ms (pid_t pid)
{
  char path[64], buf[1024];
  unsigned long utime = 0, stime = 0;
  const char *p;
  FILE *f;
  size_t n;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if ((f = fopen (path, "r")) == NULL)
    return -1;
  n = fread (buf, 1, sizeof buf - 1, f);
  fclose (f);
  buf[n] = '\0';
  /* Fields after the parenthesised command name; utime and stime are the 14th and 15th. */
  if ((p = strrchr (buf, ')')) == NULL ||
      sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return -1;
  return (utime + stime) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static int
ignore_errors (Display     *display,
               XErrorEvent *event)
{
  /* A window may go away between its MapNotify and our sample: not an error for us. */
  return 0;
}

/* TRUE when at least half of the pixels sampled on three rows differ in colour from the
 * background. Colour only: a window with an alpha channel (GTK's, where the X server offers
 * one) reads as opaque black (0xff000000) from the moment it is mapped until it is painted,
 * which the black root (0x000000) must not take for a painted frame. */
static int
painted (Display       *display,
         Window         window,
         unsigned long  background)
{
  XWindowAttributes attrs;
  unsigned long differ = 0, total = 0;
  unsigned long colour;

  if (!XGetWindowAttributes (display, window, &attrs) || attrs.map_state != IsViewable ||
      attrs.width < 4 || attrs.height < 4)
    return 0;
  colour = attrs.visual->red_mask | attrs.visual->green_mask | attrs.visual->blue_mask;

  for (int i = 1; i <= 3; i++)
    {
      XImage *row = XGetImage (display, window, 0, attrs.height * i / 4, (unsigned) attrs.width,
                               1, AllPlanes, ZPixmap);

      if (row == NULL)
        return 0;
      for (int x = 0; x < attrs.width; x++, total++)
        differ += (XGetPixel (row, x, 0) & colour) != (background & colour);
      XDestroyImage (row);
    }
  return differ * 2 >= total;
}

int
main (int   argc,
      char *argv[])
{
  Display *display;
  Window root;
  Window windows[MAX_WINDOWS];
  int n_windows = 0;
  unsigned long background;
  XImage *corner;
  double timeout_ms = 30000, start;
  pid_t child;
  int argi = 1;
  int status = 1;

  if (argi + 1 < argc && strcmp (argv[argi], "--timeout") == 0)
    {
      timeout_ms = atof (argv[argi + 1]);
      argi += 2;
    }
  if (argi < argc && strcmp (argv[argi], "--") == 0)
    argi++;
  if (argi >= argc)
    {
      fprintf (stderr, "usage: first-frame [--timeout MS] -- PROGRAM [ARG…]\n");
      return 2;
    }

  /* A busy X server may turn a connection away for a moment: try for a few seconds. */
  for (int i = 0; i < 50 && (display = XOpenDisplay (NULL)) == NULL; i++)
    usleep (100 * 1000);
  if (display == NULL)
    {
      fprintf (stderr, "first-frame: cannot open display %s\n", getenv ("DISPLAY"));
      return 2;
    }
  XSetErrorHandler (ignore_errors);
  root = DefaultRootWindow (display);
  corner = XGetImage (display, root, 0, 0, 1, 1, AllPlanes, ZPixmap);
  if (corner == NULL)
    return 2;
  background = XGetPixel (corner, 0, 0);
  XDestroyImage (corner);
  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);

  start = now_ms ();
  child = fork ();
  if (child < 0)
    return 2;
  if (child == 0)
    {
      close (ConnectionNumber (display));
      execvp (argv[argi], argv + argi);
      fprintf (stderr, "first-frame: %s: %s\n", argv[argi], strerror (errno));
      _exit (127);
    }

  for (;;)
    {
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
      int child_status;

      while (XPending (display))
        {
          XEvent event;

          XNextEvent (display, &event);
          if (event.type == MapNotify && event.xmap.event == root &&
              !event.xmap.override_redirect && n_windows < MAX_WINDOWS)
            windows[n_windows++] = event.xmap.window;
        }

      for (int i = 0; i < n_windows; i++)
        if (painted (display, windows[i], background))
          {
            double elapsed = now_ms () - start;

            printf ("%.1f %.0f\n", elapsed, cpu_ms (child));
            status = 0;
            goto out;
          }

      if (waitpid (child, &child_status, WNOHANG) == child)
        {
          fprintf (stderr, "first-frame: %s exited before painting a window\n", argv[argi]);
          return 1;
        }
      if (now_ms () - start > timeout_ms)
        {
          fprintf (stderr, "first-frame: %s painted nothing in %.0f ms\n", argv[argi],
                   timeout_ms);
          break;
        }
      /* Sampling costs the X server a little; 1 ms steps keep that small beside a start-up. */
      poll (&pfd, 1, n_windows > 0 ? 1 : 5);
    }

out:
  kill (child, SIGTERM);
  waitpid (child, NULL, 0);
  XCloseDisplay (display);
  return status;
}
