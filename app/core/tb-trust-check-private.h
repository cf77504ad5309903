/* tb-trust-check-private.h: what the report and the checks of both halves share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-trust-check.h"

G_BEGIN_DECLS

/* tb-trust-check.c: a check into @report (taking @detail and @fix), an expiry, and the
 * sentences for a half that was not read. */
void _tb_trust_add (TbTrustReport *report,
                    const char    *id,
                    TbTrustHalf    half,
                    TbTrustStatus  status,
                    char          *detail,
                    char          *fix);
void _tb_trust_add_expiry (TbTrustReport *report,
                           const char    *role,
                           const char    *app_id,
                           const char    *key_id,
                           const char    *thumbprint,
                           GDateTime     *not_after);
char *_tb_trust_pool_unknown (void);
const char *_tb_trust_pool_missing_fix (void);
/* Check @id of @half is unknown: the pool was not read at all. */
void _tb_trust_add_pool_unread   (TbTrustReport *report,
                                  const char    *id,
                                  TbTrustHalf    half);
/* Check @id of the Microsoft 365 half is unknown: the tenant's principals were not read. */
void _tb_trust_add_tenant_unread (TbTrustReport *report,
                                  const char    *id);

/* tb-trust-check-pool.c */
void _tb_trust_check_tenant_realm (TbTrustReport *report,
                                   TbWorkspace   *ws,
                                   const char    *acs_base);
void _tb_trust_check_oauth_server (TbTrustReport *report,
                                   TbPoolState   *state,
                                   const char    *expected);
void _tb_trust_check_partner (TbTrustReport *report,
                              TbPoolState   *state,
                              GPtrArray     *pool_checks);
void _tb_trust_check_service_name (TbTrustReport *report,
                                   TbPoolState   *state,
                                   GPtrArray     *pool_checks);
void _tb_trust_check_pool_certificate (TbTrustReport             *report,
                                       TbWorkspace               *ws,
                                       const TbTrustCheckOptions *options);

/* tb-trust-check-tenant.c */
void _tb_trust_check_credential (TbTrustReport *report,
                                 TbWorkspace   *ws,
                                 const char    *id,
                                 const char    *app_id,
                                 const char    *name,
                                 const char    *context_note,
                                 gboolean       optional);
void _tb_trust_check_exchange_enabled (TbTrustReport *report,
                                       TbWorkspace   *ws);
void _tb_trust_check_spns (TbTrustReport *report,
                           TbWorkspace   *ws);
void _tb_trust_check_next_certificate (TbTrustReport             *report,
                                       TbWorkspace               *ws,
                                       const TbTrustCheckOptions *options);
void _tb_trust_check_unexplained (TbTrustReport             *report,
                                  TbWorkspace               *ws,
                                  const TbTrustCheckOptions *options);

G_END_DECLS
