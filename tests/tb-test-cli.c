/* tb-test-cli.c: trust-bridge-cli run as a child process, the way admins and scripts run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include "tb-test-cli.h"

struct _TbTestCli
{
  char      *program;
  GPtrArray *args;
  GPtrArray *env;        /* name, value (NULL: unset) pairs */
};

void
tb_test_run_clear (TbTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

char *
tb_test_cli_dup_path (void)
{
  /* G_TEST_BUILDDIR is the build tree's tests/ folder; the executables are built in app/. */
  return g_test_build_filename (G_TEST_BUILT, "..", "app", "trust-bridge-cli", NULL);
}

TbTestCli *
tb_test_cli_new (const char *program)
{
  TbTestCli *cli = g_new0 (TbTestCli, 1);

  cli->program = program != NULL ? g_test_build_filename (G_TEST_BUILT, program, NULL)
                                 : tb_test_cli_dup_path ();
  cli->args = g_ptr_array_new_with_free_func (g_free);
  cli->env = g_ptr_array_new_with_free_func (g_free);
  return cli;
}

TbTestCli *
tb_test_cli_new_for_endpoints (const char *endpoints)
{
  TbTestCli *cli = tb_test_cli_new (NULL);

  tb_test_cli_add_args (cli, "--endpoints", endpoints, NULL);
  return cli;
}

void
tb_test_cli_free (TbTestCli *cli)
{
  g_free (cli->program);
  g_ptr_array_unref (cli->args);
  g_ptr_array_unref (cli->env);
  g_free (cli);
}

void
tb_test_cli_add_args (TbTestCli  *cli,
                      const char *first,
                      ...)
{
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (cli->args, g_strdup (arg));
  va_end (args);
}

void
tb_test_cli_setenv (TbTestCli  *cli,
                    const char *name,
                    const char *value)
{
  for (guint i = 0; i < cli->env->len; i += 2)
    if (g_str_equal (g_ptr_array_index (cli->env, i), name))
      {
        g_free (g_ptr_array_index (cli->env, i + 1));
        g_ptr_array_index (cli->env, i + 1) = g_strdup (value);
        return;
      }
  g_ptr_array_add (cli->env, g_strdup (name));
  g_ptr_array_add (cli->env, g_strdup (value));
}

/* No controlling terminal in the child: a prompt cannot be shown, whatever runs the tests. */
static void
detach_tty (gpointer user_data)
{
  setsid ();
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

void
tb_test_cli_runv (TbTestCli          *cli,
                  TbTestRun          *run,
                  const char * const *args)
{
  g_autoptr(TbTestCli) plain = cli == NULL ? tb_test_cli_new (NULL) : NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (cli == NULL)
    cli = plain;
  g_ptr_array_add (argv, cli->program);
  for (guint i = 0; i < cli->args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (cli->args, i));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        G_SUBPROCESS_FLAGS_STDIN_PIPE);
  for (guint i = 0; i < cli->env->len; i += 2)
    {
      const char *name = g_ptr_array_index (cli->env, i);
      const char *value = g_ptr_array_index (cli->env, i + 1);

      if (value != NULL)
        g_subprocess_launcher_setenv (launcher, name, value, TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, name);
    }
  g_subprocess_launcher_set_child_setup (launcher, detach_tty, NULL, NULL);
  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (child, NULL, NULL, on_communicated, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  memset (run, 0, sizeof *run);
  g_subprocess_communicate_utf8_finish (child, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  /* Never a crash: the process exits, it is not killed by a signal. */
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
  if (g_test_verbose ())
    g_printerr ("exit %d\nstdout:\n%s\nstderr:\n%s\n", run->status, run->out, run->err);
}

void
tb_test_cli_run (TbTestCli  *cli,
                 TbTestRun  *run,
                 const char *first,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  tb_test_cli_runv (cli, run, (const char * const *) args->pdata);
}

JsonObject *
tb_test_parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}
