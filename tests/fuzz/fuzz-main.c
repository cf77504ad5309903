/* fuzz-main.c: runs a fuzz target over files without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-TARGET FILE|DIRECTORY…
 *
 * Every file (directories: every file inside, in name order) goes once through the target's
 * LLVMFuzzerTestOneInput, as libFuzzer would replay it. A crash, a sanitizer report or a GLib
 * critical ends the run with a failure; the name of the input is printed first.
 */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"

int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static int
run_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;
  guint8 *copy;

  if (!g_file_get_contents (path, &data, &size, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* An exact-size copy, so a read past the end is one AddressSanitizer sees. */
  copy = g_memdup2 (data, size);
  printf ("input %s (%" G_GSIZE_FORMAT " bytes)\n", path, size);
  fflush (stdout);
  LLVMFuzzerTestOneInput (copy, size);
  g_free (copy);

  return 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static int
run_path (const char *path,
          guint      *count)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;
  int failed = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      (*count)++;
      return run_file (path);
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_printerr ("Cannot open %s\n", path);
      return 1;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    failed |= run_path (g_ptr_array_index (names, i), count);

  return failed;
}

/* Open file descriptors: a target that leaks a socket per input fails here, long before a
 * fuzzing run dies of EMFILE. */
static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

int
main (int    argc,
      char **argv)
{
  guint count = 0;
  guint fds_before, fds_after;
  int failed = 0;

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE|DIRECTORY…\n", argv[0]);
      return 2;
    }
  fds_before = count_fds ();
  for (int i = 1; i < argc; i++)
    failed |= run_path (argv[i], &count);
  fds_after = count_fds ();

  printf ("%u inputs run, %u file descriptors open before, %u after\n", count, fds_before,
          fds_after);
  if (fds_after > fds_before + 16 + count / 8)
    {
      g_printerr ("File descriptors leak: %u before, %u after %u inputs\n", fds_before,
                  fds_after, count);
      failed = 1;
    }
  return failed || count == 0 ? 1 : 0;
}
