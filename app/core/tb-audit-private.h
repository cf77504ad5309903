/* tb-audit-private.h: what the audit's files share: a finding's fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-audit.h"

G_BEGIN_DECLS

struct _TbAuditFinding
{
  GObject              parent_instance;

  char                *app_id;
  char                *object_id;
  char                *display_name;
  TbAuditKind          kind;
  char                *key_id;
  char                *credential_name;
  char                *sha1;
  GDateTime           *start;
  GDateTime           *end;
  TbCertificateStatus  status;
  TbAuditOrigin        classified;
  char                *note;
};

/* For tests. */
guint       tb_audit_get_pages           (TbAudit *self);

G_END_DECLS
