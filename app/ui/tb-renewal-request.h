/* tb-renewal-request.h: "Request from CA…": the script asking the enterprise CA for a new
 * OAuthTokenIssuer certificate, saved for the Front End's console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tb-pool-state.h"

G_BEGIN_DECLS

/* The exported request script for @ca ("server\CA name") and @domains (names separated by
 * commas or spaces); NULL with the reason when either is not usable. */
char      *tb_renewal_request_build_script (const char  *ca,
                                            const char  *domains,
                                            GError     **error);
/* Presents the dialog asking for the CA, the domain names proposed from @state; "Save
 * Script…" is enabled once both are usable. Returns the dialog (owned by GTK). */
GtkWidget *tb_renewal_request_present      (GtkWindow   *parent,
                                            TbPoolState *state);

G_END_DECLS
