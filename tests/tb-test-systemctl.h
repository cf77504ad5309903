/* tb-test-systemctl.h: a `systemctl --user` stand-in first on PATH, for the daily check's timer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Puts a systemctl stand-in in a new temporary folder and that folder first on PATH; returns
 * the folder. The stand-in answers as the user's systemd would: it refuses calls without
 * --user, says the unit cannot be found unless the file "installed" is in the folder, keeps
 * the unit enabled as the file "enabled" (is-enabled, enable --now, disable --now) and
 * appends each call's arguments to the file "calls". */
char       *tb_test_systemctl_install (void);
/* Removes the folder and what is in it, and frees @dir. */
void        tb_test_systemctl_remove  (char *dir);

G_END_DECLS
