/* tb-sim-winrm-private.h: what the parts of the simulated Front End share
 *
 * tb-sim-winrm.c holds the object, its certificates, the pool state and the roll model;
 * tb-sim-winrm-run.c runs the command lines it is sent (the pool scripts, a little
 * PowerShell, cmd.exe); tb-sim-winrm-server.c speaks WS-Management over HTTPS (SOAP,
 * authentication, the listener).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gssapi/gssapi.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tb-sim-winrm.h"

G_BEGIN_DECLS

#define MACHINE "FE01"
#define DEMO_FQDN "fe01.contoso.local"
#define PROGRESS_NOISE \
  "#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">" \
  "<Obj S=\"progress\" RefId=\"0\"><TN RefId=\"0\"><T>System.Management.Automation.PSCustomObject" \
  "</T><T>System.Object</T></TN><MS><I64 N=\"SourceId\">1</I64><PR N=\"Record\"><AV>Preparing " \
  "modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR>" \
  "<SD> </SD></PR></MS></Obj></Objs>"
#define DOUBLE_HOP_MESSAGE \
  "Cannot open database \"xds\" requested by the login. The login failed. Login failed for " \
  "user 'NT AUTHORITY\\ANONYMOUS LOGON'."

/* Byte counts of successive Base64 chunks: small and odd, so that chunks end inside UTF-8
 * sequences and CRLF pairs, as a real server's 'split anywhere' does. */
static const guint chunk_sizes[] = { 1, 5, 3, 57, 11, 2, 400, 7, 1024 };

typedef struct
{
  char    *id;
  GBytes  *out;
  GBytes  *err;
  gsize    out_pos;
  gsize    err_pos;
  guint    chunk;
  int      exit_code;
  guint    timeouts_left;
} Command;

typedef struct
{
  char       *id;
  char       *owner;
  GHashTable *commands;   /* id → Command */
} Shell;

struct _TbSimWinrm
{
  GObject          parent_instance;

  SoupServer      *server;
  guint            port;
  char            *fingerprint;
  GTlsCertificate *tls_certificate;

  char            *basic_user;
  char            *basic_password;
  gboolean         negotiate;
  gss_cred_id_t    acceptor;

  GHashTable      *shells;        /* id → Shell */
  guint            max_shells;
  guint            receive_timeouts;
  TbSimWinrmFault  fault;
  guint            fault_count;
  guint64          endless_bytes;
  gboolean         double_hop;
  char            *module;
  JsonObject      *pool;
  /* The roll model (NULL when the pool state was set whole): Cert:\LocalMachine\My and the
   * OAuthTokenIssuer entries of the Central Management Store, and the clock they follow. */
  JsonArray       *store;
  JsonArray       *oauth;
  GDateTime       *now;

  guint            commands_run;
  guint            pool_changes;
  guint            empty_requests;
  guint            negotiate_logons;
  char            *last_principal;
  char            *last_command;
};

/* tb-sim-winrm.c: certificates, the pool state, the roll model */
char       *_tb_sim_winrm_gss_message        (OM_uint32        major,
                                              OM_uint32        minor);
gboolean    _tb_sim_winrm_make_certificate   (const char      *common_name,
                                              const char      *dns_name,
                                              gboolean         rsa,
                                              char           **pem,
                                              GBytes         **der,
                                              GError         **error);
/* TRUE (and one fewer left) when @fault is injected. */
gboolean    _tb_sim_winrm_take_fault         (TbSimWinrm      *self,
                                              TbSimWinrmFault  fault);
/* The Front End's clock (tb_sim_winrm_set_now), a new reference. */
GDateTime  *_tb_sim_winrm_sim_now            (TbSimWinrm      *self);
void        _tb_sim_winrm_set_date_member    (JsonObject      *object,
                                              const char      *name,
                                              GDateTime       *when);
GDateTime  *_tb_sim_winrm_member_date        (JsonObject      *object,
                                              const char      *name);
JsonObject *_tb_sim_winrm_store_find         (TbSimWinrm      *self,
                                              const char      *thumbprint);
GPtrArray  *_tb_sim_winrm_oauth_roles        (TbSimWinrm      *self,
                                              GPtrArray      **roles_out);
JsonObject *_tb_sim_winrm_dup_current_state  (TbSimWinrm      *self);

/* tb-sim-winrm-run.c: running a command line (powershell.exe and its scripts, cmd.exe) */
void        _tb_sim_winrm_run_command_line   (TbSimWinrm      *self,
                                              Command         *command,
                                              const char      *line);

/* For tests. */
/* Enables Negotiate (Kerberos through SPNEGO) with the keys of @keytab, or of KRB5_KTNAME /
 * the default keytab when NULL. The service principal is HTTP/<name the client used>. */
gboolean    tb_sim_winrm_enable_negotiate     (TbSimWinrm       *self,
                                               const char       *keytab,
                                               GError          **error);
/* Bytes of endless reply (TB_SIM_WINRM_FAULT_ENDLESS_REPLY) the client has taken so far. */
guint64     tb_sim_winrm_get_endless_bytes    (TbSimWinrm       *self);
/* The next @count requests the fault applies to get it. */
void        tb_sim_winrm_inject_fault         (TbSimWinrm       *self,
                                               TbSimWinrmFault   fault,
                                               guint             count);
/* An admin running @script in the Skype for Business Management Shell at the Front End's own
 * console: the script round trip, with no WinRM involved. The same runner as remote commands;
 * returns what the script prints on stdout and sets @exit_code. */
char       *tb_sim_winrm_run_at_console      (TbSimWinrm  *self,
                                              const char  *script,
                                              int         *exit_code);
/* Cmdlets fail as they do when the session cannot reach a remote store (no delegation). */
void        tb_sim_winrm_set_double_hop       (TbSimWinrm       *self,
                                               gboolean          double_hop);
/* Per-user shell quota (Windows' MaxShellsPerUser; default 5). */
void        tb_sim_winrm_set_max_shells       (TbSimWinrm       *self,
                                               guint             max_shells);
/* The module the server has: "SkypeForBusiness" (default), "Lync", or NULL for none. */
void        tb_sim_winrm_set_module           (TbSimWinrm       *self,
                                               const char       *module);
void        tb_sim_winrm_set_pool_state       (TbSimWinrm       *self,
                                               JsonObject       *state);
/* Each command answers its first @count Receives with the 2150858793 timeout fault. */
void        tb_sim_winrm_set_receive_timeouts (TbSimWinrm       *self,
                                               guint             count);

G_END_DECLS
