/* tb-cli.h: the trust-bridge-cli command dispatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tb-context.h"
#include "tb-pool-client.h"

G_BEGIN_DECLS

/* Exit statuses, the contract for scripts. */
enum
{
  TB_CLI_EXIT_OK = 0,
  TB_CLI_EXIT_CHECK_FAILED = 1,
  TB_CLI_EXIT_ERROR = 2,
};

typedef struct
{
  TbContext *context;
  gboolean   json;
  /* --demo: the commands talk to the built-in simulators (a TbDemo of app/sim the context keeps). */
  gboolean   demo;
  /* What is left of the command line after the command words and global options. */
  char     **args;
  /* Owns @args once tb_cli_parse_options() has run. */
  char     **owned_args;
} TbCliInvocation;

int  tb_cli_run           (int                argc,
                           char             **argv);

int  tb_cli_cert_inspect  (TbCliInvocation   *inv);
int  tb_cli_pool_script_read  (TbCliInvocation *inv);
int  tb_cli_pool_script_apply (TbCliInvocation *inv);
int  tb_cli_pool_import       (TbCliInvocation *inv);
int  tb_cli_tenant_resolve    (TbCliInvocation *inv);
int  tb_cli_principals_show   (TbCliInvocation *inv);
int  tb_cli_principals_enable (TbCliInvocation *inv);
int  tb_cli_credentials_add   (TbCliInvocation *inv);
int  tb_cli_credentials_remove (TbCliInvocation *inv);
int  tb_cli_spn_add           (TbCliInvocation *inv);
int  tb_cli_spn_remove        (TbCliInvocation *inv);
int  tb_cli_trust_establish   (TbCliInvocation *inv);
int  tb_cli_pool_status       (TbCliInvocation *inv);
int  tb_cli_pool_apply        (TbCliInvocation *inv);
int  tb_cli_trust_check       (TbCliInvocation *inv);

/* A token for @access: cached, restored from the keyring, or a device code sign-in (the
 * message on stderr). */
gboolean tb_cli_sign_in       (TbCliInvocation  *inv,
                               TbAuthAccess      access,
                               GError          **error);
/* The same without asking anyone: a cached token or one refreshed from the keyring; else
 * TB_AUTH_ERROR_NOT_SIGNED_IN (or the refresh's error). */
gboolean tb_cli_sign_in_cached (TbCliInvocation  *inv,
                                TbAuthAccess      access,
                                GError          **error);

/* How to reach a Front End over WinRM, as the pool and trust commands take it: the host
 * (--host, or --pool-host), --port, --auth, --user and --tls-fingerprint. */
typedef struct
{
  char *host;
  int   port;
  char *auth;
  char *user;
  char *fingerprint;
} TbCliPoolConnection;

/* Its options, inside a command's GOptionEntry table; @host_option names the host's. */
#define TB_CLI_POOL_CONNECTION_ENTRIES(c, host_option) \
  { host_option, 0, 0, G_OPTION_ARG_STRING, &(c)->host, NULL, NULL }, \
  { "port", 0, 0, G_OPTION_ARG_INT, &(c)->port, NULL, NULL }, \
  { "auth", 0, 0, G_OPTION_ARG_STRING, &(c)->auth, NULL, NULL }, \
  { "user", 0, 0, G_OPTION_ARG_STRING, &(c)->user, NULL, NULL }, \
  { "tls-fingerprint", 0, 0, G_OPTION_ARG_STRING, &(c)->fingerprint, NULL, NULL }

void     tb_cli_pool_connection_clear       (TbCliPoolConnection       *c);
/* Whether any option besides the host was given. */
gboolean tb_cli_pool_connection_has_options (const TbCliPoolConnection *c);

/* A client for the Front End @c names (or the demo's with --demo, which also sets *@tenant to
 * the demo tenant when it is NULL): the password comes from TRUST_BRIDGE_PASSWORD or a prompt.
 * NULL after an error message. */
struct _TbPoolClient;
struct _TbPoolClient *tb_cli_pool_connect (TbCliInvocation           *inv,
                                           const TbCliPoolConnection *c,
                                           char                     **tenant,
                                           char                     **display);

/* What pool apply did (or would do, dry run) on @server, for people. */
void tb_cli_pool_print_changes (TbPoolApplyResult *applied,
                                const char        *server);

/* trust check's pieces, shared with trust establish (tb-cli-trust.c). */
struct _TbWorkspace;
struct _TbTrustReport;

/* Where both trust commands read the pool from: --pool-host with how to reach it, or
 * --pool-state. */
typedef struct
{
  TbCliPoolConnection  connection;
  char                *state_path;
} TbCliPoolSource;

/* Its options, inside a command's GOptionEntry table. */
#define TB_CLI_POOL_SOURCE_ENTRIES(source) \
  TB_CLI_POOL_CONNECTION_ENTRIES (&(source)->connection, "pool-host"), \
  { "pool-state", 0, 0, G_OPTION_ARG_FILENAME, &(source)->state_path, NULL, NULL }

void     tb_cli_pool_source_clear (TbCliPoolSource       *source);
/* FALSE, after an error message, when both --pool-host and --pool-state were given, or
 * connection options without --pool-host (outside --demo). */
gboolean tb_cli_pool_source_check (TbCliInvocation       *inv,
                                   TbCliPoolSource       *source);
/* The pool from --pool-state or --pool-host (or the demo Front End) into @ws; FALSE after an
 * error message. *@client_out receives the live client, when there is one. */
gboolean tb_cli_trust_read_pool   (TbCliInvocation       *inv,
                                   TbCliPoolSource       *source,
                                   struct _TbWorkspace   *ws,
                                   struct _TbPoolClient **client_out);
/* The tenant snapshot and ACS metadata into @ws; FALSE after an error message. */
gboolean tb_cli_trust_read_tenant (TbCliInvocation       *inv,
                                   gboolean               may_prompt,
                                   struct _TbWorkspace   *ws);
/* tb_trust_check with the context's settings; NULL after an error message. */
struct _TbTrustReport *tb_cli_trust_compute (TbCliInvocation     *inv,
                                             struct _TbWorkspace *ws);
/* The report for people, grouped by half. */
void     tb_cli_trust_print       (struct _TbTrustReport *report,
                                   struct _TbWorkspace   *ws);

int  tb_cli_audit             (TbCliInvocation *inv);

/* tb-cli-m365.c: sign-in for a read (--tenant applied; cached token, keyring or a device
 * code on stderr), and a Graph error on stderr with its code and request-id. */
gboolean tb_cli_m365_sign_in      (TbCliInvocation  *inv,
                                   const char       *tenant,
                                   GError          **error);
void     tb_cli_m365_report_error (const GError     *error);

/* Parses the command's own options out of inv->args (strictly: an unknown option is an error,
 * reported on stderr); inv->args then holds the remaining arguments. */
gboolean tb_cli_parse_options (TbCliInvocation    *inv,
                               const GOptionEntry *entries);

/* "trust-bridge-cli: <message>" on stderr. */
void tb_cli_error         (const char        *format,
                           ...) G_GNUC_PRINTF (1, 2);

/* Every command waits for its async calls the same way: pass tb_cli_store_result with the
 * address of a NULL GAsyncResult pointer as the callback and its data, then
 * tb_cli_wait_for() runs the main context until the result is there and returns it (the
 * caller owns it). The demo simulators serve requests from this same context, so a command
 * must never block it. */
void          tb_cli_store_result (GObject       *source,
                                   GAsyncResult  *result,
                                   gpointer       user_data);
GAsyncResult *tb_cli_wait_for     (GAsyncResult **slot);

/* @root as pretty-printed JSON on stdout (--json). */
void          tb_cli_print_json   (JsonNode      *root);

G_END_DECLS
