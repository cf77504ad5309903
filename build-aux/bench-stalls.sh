#!/usr/bin/env bash
# build-aux/bench stalls: the longest main-loop stall of the demo's operations (sign-in and
# read, refresh, pool read over WinRM, Establish Trust, a 1 MiB PEM bundle), driven through the
# window's own actions and buttons by tests/bench/stalls.c under a private Xvfb and D-Bus
# session. Exits 1 when one is over the 20 ms budget.
# Called by build-aux/bench, which builds first and sets TB_BUILD_DIR.
set -euo pipefail

builddir=${TB_BUILD_DIR:?run build-aux/bench stalls}
work=$(mktemp -d "${TMPDIR:-/tmp}/trust-bridge-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" TMPDIR="$work"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data"
export NO_AT_BRIDGE=1 GTK_A11Y=none

dbus-run-session -- xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" \
  "$builddir/tests/bench/bench-stalls"
