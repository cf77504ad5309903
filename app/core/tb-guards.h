/* tb-guards.h: what Trust Bridge refuses to write, for the GUI and the CLI alike
 *
 * Two rules an admin relies on before a write reaches Microsoft 365:
 *
 * - Service principal names on Microsoft's first-party principals are Microsoft's, except the
 *   "<appId>/<host>" names an admin added for an on-premises pool. Only those may be removed:
 *   the bare appId, URLs ("https://outlook.office365.com/"), wildcard hosts (*.lync.com) and
 *   any name under a Microsoft-owned domain are managed by Microsoft.
 * - A certificate uploaded as a key credential must be usable: an expired one or an RSA key
 *   under 2048 bits (which Skype for Business Server refuses) is refused, one that is not
 *   valid yet is allowed with a warning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tb-certificate.h"

G_BEGIN_DECLS

#define TB_GUARD_ERROR (tb_guard_error_quark ())

typedef enum
{
  TB_GUARD_ERROR_MICROSOFT_SPN,      /* a name Microsoft manages */
  TB_GUARD_ERROR_EXPIRED,            /* the certificate has expired */
  TB_GUARD_ERROR_WEAK_KEY,           /* RSA under TB_CERTIFICATE_MIN_RSA_BITS */
} TbGuardError;

GQuark    tb_guard_error_quark             (void);

/* Whether @spn on the principal @app_id is one Microsoft manages (never offered for removal). */
gboolean  tb_spn_is_microsoft_managed      (const char     *app_id,
                                            const char     *spn);
/* TRUE when @spn may be removed; else FALSE with TB_GUARD_ERROR_MICROSOFT_SPN saying why. */
gboolean  tb_spn_check_removable           (const char     *app_id,
                                            const char     *spn,
                                            GError        **error);

/* TRUE when @cert may be uploaded as a key credential at @now (NULL: the current time);
 * FALSE with TB_GUARD_ERROR_EXPIRED or _WEAK_KEY. *@warning (may be NULL) receives a
 * translated warning for a certificate that is not valid yet, else NULL. */
gboolean  tb_certificate_check_upload      (TbCertificate  *cert,
                                            GDateTime      *now,
                                            char          **warning,
                                            GError        **error);

G_END_DECLS
