#!/usr/bin/env bash
# build-aux/bench audit: the credential audit against the simulator's large tenants (10,000 and
# 100,000 principals, 50 ms of latency a request): requests, wall time and the CLI's peak memory,
# then the GUI's longest main-loop stall while the audit runs. Run through build-aux/bench.
set -euo pipefail

builddir=${TB_BUILD_DIR:?run through build-aux/bench}
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data"

"$builddir/tests/audit-bench"
echo
# The GUI under a private X server and a private D-Bus session that starts no services (no
# keyring daemon or prompt competing with the window while it is measured).
session_conf=$(mktemp)
trap 'rm -f "$session_conf"' EXIT
sed -e 's|<standard_session_servicedirs */>||' /usr/share/dbus-1/session.conf > "$session_conf"
GTK_A11Y=none NO_AT_BRIDGE=1 dbus-run-session --config-file="$session_conf" -- \
  xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" "$builddir/tests/audit-stall-bench" \
  2> >(grep -v -e '^#' -e 'DBus.Error' >&2)
