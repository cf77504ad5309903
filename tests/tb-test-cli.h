/* tb-test-cli.h: trust-bridge-cli run as a child process, the way admins and scripts run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a run printed and how it ended. */
typedef struct
{
  char *out;
  char *err;
  int   status;     /* the exit status: a run killed by a signal fails the test */
} TbTestRun;

void        tb_test_run_clear      (TbTestRun   *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TbTestRun, tb_test_run_clear)

/* How the CLI is started: the program, arguments that precede every run's own (such as
 * `--endpoints FILE` or `--demo`) and changes to the environment it inherits. */
typedef struct _TbTestCli TbTestCli;

/* The build tree's trust-bridge-cli, or @program (a path below G_TEST_BUILDDIR). */
TbTestCli  *tb_test_cli_new        (const char  *program);
void        tb_test_cli_free       (TbTestCli   *cli);
void        tb_test_cli_add_args   (TbTestCli   *cli,
                                    const char  *first,
                                    ...) G_GNUC_NULL_TERMINATED;
/* Sets @name to @value in the child's environment, for the runs to come; a NULL @value
 * unsets it. */
void        tb_test_cli_setenv     (TbTestCli   *cli,
                                    const char  *name,
                                    const char  *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbTestCli, tb_test_cli_free)

/* Runs @cli (NULL: the build tree's trust-bridge-cli as it is) with the given arguments and
 * fills @run. The child has no controlling terminal and an empty stdin, so it can never wait
 * for a prompt; this process's main context is served meanwhile, so simulators it holds
 * answer. */
void        tb_test_cli_run        (TbTestCli   *cli,
                                    TbTestRun   *run,
                                    const char  *first,
                                    ...) G_GNUC_NULL_TERMINATED;
void        tb_test_cli_runv       (TbTestCli          *cli,
                                    TbTestRun          *run,
                                    const char * const *args);

/* The build tree's trust-bridge-cli against the services named in the file @endpoints
 * (`--endpoints`), as an admin hands it a sovereign cloud's. */
TbTestCli  *tb_test_cli_new_for_endpoints (const char *endpoints);

/* The root object of the JSON document @text (a test failure if it is anything else). */
JsonObject *tb_test_parse_object   (const char  *text);

/* The build tree's trust-bridge-cli. */
char       *tb_test_cli_dup_path   (void);

G_END_DECLS
