/* tb-test-util.h: helpers the test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tb-auth.h"
#include "tb-context.h"
#include "tb-demo.h"
#include "tb-graph-client.h"
#include "tb-profile.h"
#include "tb-sim.h"
#include "tb-sim-winrm.h"
#include "tb-test-certs.h"
#include "tb-test-cli.h"

G_BEGIN_DECLS

/* The first-party applications a trust is made with (tb-profile.h), as the tests name them:
 * Skype for Business Online and Exchange Online. */
#define SKYPE TB_APP_ID_SKYPE_ONLINE
#define EXO   TB_APP_ID_EXCHANGE_ONLINE

/* Runs everything ready in the thread-default main context, without blocking. */
void        tb_test_iterate_pending (void);
/* Serves the thread-default main context for @milliseconds, whether or not anything comes. */
void        tb_test_iterate_for     (guint milliseconds);

/* A GAsyncReadyCallback that keeps @result in *@user_data (a GAsyncResult **), or, with a NULL
 * @user_data, for tb_test_wait_result() (one call at a time). */
void          tb_test_store_result (GObject       *source,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
/* Serves the main context until the kept result arrives, and hands it over. */
GAsyncResult *tb_test_wait_result  (void);
/* Serves the main context until *@result is set, and returns it (*@result keeps it); the
 * test fails after 40 s, naming @what. */
GAsyncResult *tb_test_wait_for     (GAsyncResult **result,
                                    const char    *what);

typedef gboolean (*TbTestCondition) (gpointer data);

/* Serves the main context until @done (@data) holds, then runs what is ready; the test fails
 * after @seconds. @done may take a pointer to the type of @data. */
void        tb_test_wait_until_func (TbTestCondition  done,
                                     gpointer         data,
                                     guint            seconds);
#define tb_test_wait_until(done, data, seconds) \
  tb_test_wait_until_func ((TbTestCondition) (done), (data), (seconds))

/* TB_TEST_PAUSE=SECONDS keeps the windows up this long (serving the main context), for a
 * screenshot; without it, returns at once. */
void        tb_test_pause_for_screenshot (void);

/* The default demo for @context (attached on first use) started in the caller's thread, or the
 * one announced before, waited for: what `--demo` does. */
gboolean    tb_test_start_demo    (TbContext  *context,
                                   GError    **error);
/* Announces the default demo for @context as the app does before its first frame. */
TbDemo     *tb_test_prepare_demo  (TbContext  *context);
/* The simulators of @context's demo, NULL before it started. */
TbSim      *tb_test_get_sim       (TbContext  *context);
TbSimWinrm *tb_test_get_sim_winrm (TbContext  *context);

/* Starts @sim with a device code sign-in approved at once and polled every second (the person
 * at the browser is quick, the test short). */
void        tb_test_sim_start         (TbSim      *sim);
/* Starts @sim that way, as the tenant of a test that runs the CLI, and returns the build
 * tree's trust-bridge-cli pointed at it by a new file naming its endpoints; the file's path
 * goes to @endpoints (for tb_test_cli_new_for_endpoints(), should the test want another). */
TbTestCli  *tb_test_cli_start_tenant  (TbSim      *sim,
                                       char      **endpoints);
/* Frees @cli, stops @sim, asserts it is freed, and removes and frees @endpoints. */
void        tb_test_cli_stop_tenant   (TbTestCli  *cli,
                                       TbSim      *sim,
                                       char       *endpoints);

/* Signs @auth in by the device code flow for @access, as the app does; the simulator approves
 * it at once (tb_test_sim_start() set it up so). */
void           tb_test_sign_in          (TbAuth        *auth,
                                         TbAuthAccess   access);
/* A Graph client for @sim's tenant (started), signed in for @access; its auth in @auth. */
TbGraphClient *tb_test_graph_client_new (TbSim         *sim,
                                         TbAuthAccess   access,
                                         TbAuth       **auth);

/* A simulated Front End that takes @user and @password over Basic, not yet started. */
TbSimWinrm *tb_test_sim_winrm_new     (const char *user,
                                       const char *password);
/* Starts @sim on a free loopback port. */
void        tb_test_sim_winrm_start   (TbSimWinrm *sim);
/* Stops @sim and asserts it is freed. */
void        tb_test_sim_winrm_stop    (TbSimWinrm *sim);

/* The pool a test's simulated Front End holds. */
typedef enum
{
  TB_TEST_WINRM_POOL_BARE,              /* the simulator's own, as tb_sim_winrm_new() makes it */
  TB_TEST_WINRM_POOL_DEMO,              /* the demo's (tb_sim_winrm_load_demo_pool()) */
  TB_TEST_WINRM_POOL_DEMO_RENEWAL_DUE,  /* the demo's, its certificate due for renewal */
} TbTestWinrmPool;

/* What a test's simulated Front End is: the account it takes over Basic (each test its own
 * password, so a leak shows where it came from) and the pool it holds. */
typedef struct
{
  const char      *user;
  const char      *password;
  TbTestWinrmPool  pool;
} TbTestWinrmSpec;

/* A simulated Front End started on a free loopback port; as a g_test_add() fixture, one for
 * each test case, stopped (and asserted freed) after it. */
typedef struct
{
  TbSimWinrm *sim;
  const char *user;   /* the account it takes, from the spec */
  char       *port;   /* its port as text, as the CLI takes it */
} TbTestWinrm;

/* The CLI options after the host (--host or --pool-host and "localhost") that reach @w
 * (a TbTestWinrm *) over Basic as its user, with its certificate pinned. */
#define TB_TEST_WINRM_CLI_OPTIONS(w) \
  "--port", (w)->port, "--auth", "basic", "--user", (w)->user, \
  "--tls-fingerprint", tb_sim_winrm_get_fingerprint ((w)->sim)

/* Fixture setup and teardown; the test data is the TbTestWinrmSpec. */
void        tb_test_winrm_setup       (TbTestWinrm   *f,
                                       gconstpointer  spec);
void        tb_test_winrm_teardown    (TbTestWinrm   *f,
                                       gconstpointer  spec);
/* Adds test case @func (TbTestWinrm *f, gconstpointer spec) at @path, with a Front End as
 * @spec (a const TbTestWinrmSpec *) says. */
#define tb_test_add_winrm(path, spec, func) \
  g_test_add ((path), TbTestWinrm, (spec), tb_test_winrm_setup, (func), tb_test_winrm_teardown)

/* What @sim holds on the service principal of @app_id: the array @member, whether a credential
 * holds @der or has @key_id, whether @spn is among its names, whether it is enabled. */
JsonArray  *tb_test_sim_dup_array     (TbSim      *sim,
                                       const char *app_id,
                                       const char *member);
gboolean    tb_test_sim_has_key       (TbSim      *sim,
                                       const char *app_id,
                                       GBytes     *der);
gboolean    tb_test_sim_has_key_id    (TbSim      *sim,
                                       const char *app_id,
                                       const char *key_id);
gboolean    tb_test_sim_has_spn       (TbSim      *sim,
                                       const char *app_id,
                                       const char *spn);
gboolean    tb_test_sim_is_enabled    (TbSim      *sim,
                                       const char *app_id);
/* The keyId of the credential holding @der, or NULL. */
char       *tb_test_sim_dup_key_id    (TbSim      *sim,
                                       const char *app_id,
                                       GBytes     *der);
/* How many credentials hold the certificate whose SHA-1 thumbprint is @thumbprint (hex, any
 * case); keys Graph left out count as none. */
guint       tb_test_sim_count_thumbprint (TbSim      *sim,
                                          const char *app_id,
                                          const char *thumbprint);

G_END_DECLS
