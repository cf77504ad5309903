/* tb-winrm-pins.h: the WinRM listener fingerprints an admin confirmed, remembered per host
 *
 * A fingerprint is public data, not a secret: it lives in the "winrm-pins" setting (a{ss},
 * "host:port" → SHA-256 in upper-case hex) when the app's settings are available, else in
 * memory for the run. Nothing here decides to trust a certificate: a face shows the
 * fingerprint TbWinrmShell reports (TB_WINRM_ERROR_TLS_UNTRUSTED) and remembers it only after
 * the admin confirmed it. The CLI never remembers pins.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TB_TYPE_WINRM_PINS (tb_winrm_pins_get_type ())
G_DECLARE_FINAL_TYPE (TbWinrmPins, tb_winrm_pins, TB, WINRM_PINS, GObject)

/* @settings: the app's settings with a "winrm-pins" key, or NULL to keep pins in memory. */
TbWinrmPins *tb_winrm_pins_new      (GSettings   *settings);
/* The key pins are stored under: lower-case host, ":" and the port (0 means 5986). */
char        *tb_winrm_pins_key      (const char  *host,
                                     guint        port);
/* The remembered fingerprint (64 upper-case hex digits), or NULL. */
char        *tb_winrm_pins_lookup   (TbWinrmPins *self,
                                     const char  *host,
                                     guint        port);
/* Remembers @fingerprint for the host, replacing a previous one. FALSE when it is not a
 * SHA-256 fingerprint (tb_winrm_normalize_fingerprint). */
gboolean     tb_winrm_pins_remember (TbWinrmPins *self,
                                     const char  *host,
                                     guint        port,
                                     const char  *fingerprint);

G_END_DECLS
