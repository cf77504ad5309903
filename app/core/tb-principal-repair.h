/* tb-principal-repair.h: what a read-back lost, and putting it back
 *
 * Graph has no ETag or If-Match on service principals and PATCH replaces keyCredentials and
 * servicePrincipalNames whole, so another writer whose PATCH lands just after ours (computed
 * from an older read) silently removes entries. After every write the editor compares the
 * read-back with the last read before the PATCH: every credential and SPN that read held is
 * still there unless the edit removes it, and the edit itself is in place. What is missing is
 * put back from the full value read before (keys included) and reported.
 *
 * Pure functions, no network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-principal-edit.h"

G_BEGIN_DECLS

/* Adds to @lost_credentials (JsonObject, as read in @before) and @lost_names (char *) what
 * @before held, @after lacks and @edit does not remove. Returns whether @edit finds nothing
 * to do on @after (its change is in place); FALSE with @error when it cannot tell. */
gboolean             tb_principal_repair_check       (TbPrincipalEdit     *edit,
                                                      TbServicePrincipal  *before,
                                                      TbServicePrincipal  *after,
                                                      gboolean            *in_place,
                                                      GPtrArray           *lost_credentials,
                                                      GPtrArray           *lost_names,
                                                      GError             **error);

/* @after with @lost_credentials and @lost_names added back: the state to write next. */
TbServicePrincipal  *tb_principal_repair_merge       (TbServicePrincipal  *after,
                                                      GPtrArray           *lost_credentials,
                                                      GPtrArray           *lost_names,
                                                      GError             **error);

/* The PATCH that puts @target in place: @edit computed on @target, plus the whole collections
 * an entry was put back into. NULL without @error when @target needs no write. */
JsonObject          *tb_principal_repair_patch       (TbPrincipalEdit     *edit,
                                                      TbServicePrincipal  *target,
                                                      gboolean             credentials_lost,
                                                      gboolean             names_lost,
                                                      GError             **error);

/* Whether @current differs from @approved in what @edit touches (the credentials for a
 * credential edit, the SPNs for an SPN edit, the enabled state for enabling). */
gboolean             tb_principal_repair_touches     (TbPrincipalEdit     *edit,
                                                      TbServicePrincipal  *approved,
                                                      TbServicePrincipal  *current);

/* "credential <keyId> (<displayName>)" for the admin. */
char                *tb_principal_repair_describe_credential (JsonObject  *credential);

G_END_DECLS
