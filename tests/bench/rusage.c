/* rusage.c: CPU time, peak memory and wall time of a command, run N times
 *
 *   bench-rusage N -- PROGRAM [ARG…]
 *
 * Runs PROGRAM N times with its output thrown away and prints one line with the medians of
 * its wall time and CPU time (user + system, children included) in milliseconds, the median of
 * its peak resident set in KiB, and its exit status on the last run:
 *   wall_ms cpu_ms maxrss_kib status
 * Not a test: `build-aux/bench cli` runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        int     n)
{
  qsort (values, (size_t) n, sizeof *values, compare);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double
ms (struct timeval tv)
{
  return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  int runs, status = 0;
  double *wall, *cpu, *rss;

  if (argc < 4 || strcmp (argv[2], "--") != 0 || (runs = atoi (argv[1])) < 1)
    {
      fprintf (stderr, "usage: bench-rusage N -- PROGRAM [ARG…]\n");
      return 2;
    }
  wall = calloc ((size_t) runs, sizeof *wall);
  cpu = calloc ((size_t) runs, sizeof *cpu);
  rss = calloc ((size_t) runs, sizeof *rss);

  for (int i = 0; i < runs; i++)
    {
      struct timespec start, end;
      struct rusage usage;
      pid_t child;

      clock_gettime (CLOCK_MONOTONIC, &start);
      child = fork ();
      if (child < 0)
        return 2;
      if (child == 0)
        {
          int null = open ("/dev/null", O_RDWR);

          dup2 (null, STDOUT_FILENO);
          dup2 (null, STDERR_FILENO);
          execvp (argv[3], argv + 3);
          _exit (127);
        }
      /* wait4 gives this child's own usage, with what it waited for itself. */
      if (wait4 (child, &status, 0, &usage) != child)
        return 2;
      clock_gettime (CLOCK_MONOTONIC, &end);
      wall[i] = (end.tv_sec - start.tv_sec) * 1000.0 + (end.tv_nsec - start.tv_nsec) / 1e6;
      cpu[i] = ms (usage.ru_utime) + ms (usage.ru_stime);
      rss[i] = (double) usage.ru_maxrss;
    }

  printf ("%.1f %.1f %.0f %d\n", median (wall, runs), median (cpu, runs), median (rss, runs),
          WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return 0;
}
