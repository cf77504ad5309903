/* tb-sim-winrm.h: a Skype for Business Front End's WinRM listener, on 127.0.0.1
 *
 * An HTTPS SoupServer (certificate and key made with GnuTLS at start-up) speaking the
 * WS-Management remote shell protocol as Windows does: Create, Command, Receive, Signal,
 * Delete, with Basic authentication for a local account and, given a keytab, Negotiate through
 * GSSAPI. It holds a pool state (the schema-1 document of tb-pool-state.h) and "runs" the
 * generated read and apply scripts by decoding -EncodedCommand and reading their parameter
 * block, which is all a real Front End would see. Other scripts go through a tiny PowerShell
 * stand-in (Write-Output, Write-Error, exit, Get-Cs*); anything else fails as PowerShell does.
 *
 * Output arrives the unpleasant way: Base64 chunks split at odd byte counts (inside UTF-8
 * sequences too) and spread over several Receive replies, CLIXML progress noise on stderr,
 * Receive timeouts and faults on demand.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TB_TYPE_SIM_WINRM (tb_sim_winrm_get_type ())
G_DECLARE_FINAL_TYPE (TbSimWinrm, tb_sim_winrm, TB, SIM_WINRM, GObject)

typedef enum
{
  TB_SIM_WINRM_FAULT_NONE,
  TB_SIM_WINRM_FAULT_UNAUTHORIZED,      /* 401 whatever the credentials */
  TB_SIM_WINRM_FAULT_SHELL_DISABLED,    /* Create: remote shells disabled by policy */
  TB_SIM_WINRM_FAULT_TOO_MANY_SHELLS,   /* Create: 2150859173 */
  TB_SIM_WINRM_FAULT_COMMAND_TOO_LONG,  /* Command: 2147942606 */
  TB_SIM_WINRM_FAULT_SHELL_NOT_FOUND,   /* Receive: 2150858843 */
  TB_SIM_WINRM_FAULT_ENDLESS_REPLY,     /* 200 with a chunked body that never ends */
} TbSimWinrmFault;

TbSimWinrm *tb_sim_winrm_new                  (void);

/* Enables Basic for this local account. */
void        tb_sim_winrm_set_basic_account    (TbSimWinrm       *self,
                                               const char       *user,
                                               const char       *password);

/* Listens with TLS on 127.0.0.1, on an ephemeral port (or @port when not 0). */
gboolean    tb_sim_winrm_start                (TbSimWinrm       *self,
                                               guint             port,
                                               GError          **error);
void        tb_sim_winrm_stop                 (TbSimWinrm       *self);
guint       tb_sim_winrm_get_port             (TbSimWinrm       *self);
/* SHA-256 of the listener certificate's DER, upper-case hex: what an admin would pin. */
const char *tb_sim_winrm_get_fingerprint      (TbSimWinrm       *self);
/* The Front End's name the demo pool reports ("fe01.contoso.local"). */
const char *tb_sim_winrm_get_server_fqdn      (TbSimWinrm       *self);

/* Pool state (schema 1). The demo pool's trust is broken in the seams between the halves:
 * microsoft.sts points at another tenant's metadata, the OAuth certificate was just renewed
 * (its earlier ones, tb_sim_demo_pool_history, are listed as previous and are all the demo
 * tenant holds), and its second external web services FQDN is not an SPN in the demo tenant. */
void        tb_sim_winrm_load_demo_pool       (TbSimWinrm       *self);
/* The demo pools model the renewal of the OAuth certificate: a store (Cert:\LocalMachine\My)
 * with one good candidate and three that do not qualify, and the OAuthTokenIssuer entries the
 * read script reports as schema 2 (current, staged, previous). The renewal script stages
 * (-Roll) and removes (-Previous); a staged certificate becomes current at its effective date
 * on the simulator's clock. A state given with tb_sim_winrm_set_pool_state has no such model.
 * This one's certificate expires within the default warning threshold: renewal is due. */
#define TB_SIM_WINRM_RENEWAL_DUE_DAYS 20
void        tb_sim_winrm_load_demo_pool_renewal_due (TbSimWinrm *self);
/* The clock the Front End follows; NULL for the real one. Tests move it instead of sleeping. */
void        tb_sim_winrm_set_now              (TbSimWinrm       *self,
                                               GDateTime        *now);
/* Points the pool's microsoft.sts at @tenant_id's metadata on Microsoft's ACS, as
 * Set-CsOAuthServer -MetadataUrl would; the roll model is kept. */
void        tb_sim_winrm_set_metadata_tenant (TbSimWinrm *self,
                                              const char *tenant_id);
JsonObject *tb_sim_winrm_dup_pool_state       (TbSimWinrm       *self);

/* What the server saw. */
guint       tb_sim_winrm_get_open_shells      (TbSimWinrm       *self);
guint       tb_sim_winrm_get_commands_run     (TbSimWinrm       *self);
guint       tb_sim_winrm_get_pool_changes     (TbSimWinrm       *self);
/* Authenticated requests that arrived with an empty body. */
guint       tb_sim_winrm_get_empty_requests   (TbSimWinrm       *self);
/* Requests authenticated with a Negotiate token (not by an already authenticated connection). */
guint       tb_sim_winrm_get_negotiate_logons (TbSimWinrm       *self);
/* "user@REALM" or the Basic user of the last authenticated request. */
const char *tb_sim_winrm_get_last_principal   (TbSimWinrm       *self);
/* The script or command line of the last Command. */
const char *tb_sim_winrm_get_last_command     (TbSimWinrm       *self);

G_END_DECLS
