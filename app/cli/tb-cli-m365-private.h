/* tb-cli-m365-private.h: what the Microsoft 365 commands share (tb-cli-m365.c,
 * tb-cli-principals.c, tb-cli-establish.c, trust renew in tb-cli-renew.c, and audit)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate.h"
#include "tb-cli.h"
#include "tb-principal-edit.h"

G_BEGIN_DECLS

/* TB_CLI_EXIT_CHECK_FAILED when a change did not verify, else TB_CLI_EXIT_ERROR. */
int            _tb_cli_m365_exit_status      (const GError    *error);
/* --tenant applies to sign-in; the demo serves its own tenant. */
void           _tb_cli_m365_apply_tenant     (TbCliInvocation *inv,
                                              const char      *tenant);
/* FALSE after an error message when --tenant is no domain or GUID. */
gboolean       _tb_cli_m365_check_tenant     (const char      *tenant);
/* The certificates in @path (a bundle may hold several); NULL after an error message. */
GPtrArray     *_tb_cli_m365_load_certificates (const char *path);
/* The one certificate in @path; NULL after an error message. */
TbCertificate *_tb_cli_m365_load_certificate (const char      *path);
/* The upload guard (tb-guards.h); FALSE after an error message. */
gboolean       _tb_cli_m365_check_upload     (TbCertificate   *cert);
/* The changes, as JSON with --json, else one line each. */
void           _tb_cli_m365_print_changes    (TbCliInvocation *inv,
                                              GPtrArray       *changes);
/* Names on stderr what another writer removed and was put back; TRUE when there was any. */
gboolean       _tb_cli_m365_report_losses    (GPtrArray       *changes);
/* @edit applied through the safe write path, or with @dry_run only previewed; the change, or
 * NULL with @error. */
TbChange      *_tb_cli_m365_run_edit         (TbCliInvocation  *inv,
                                              TbPrincipalEdit  *edit,
                                              gboolean          dry_run,
                                              GError          **error);

G_END_DECLS
