#!/usr/bin/env bash
# The layers hold (see app/meson.build): a file that crosses one does not compile.
#
#   check-layers.sh BUILDDIR CLI GUI NAME compiles|fails TARGET [NAME compiles|fails TARGET]…
#
# Builds each probe TARGET (tests/layers/NAME.c with one layer's include directories and
# dependencies) with ninja; "fails" probes must fail because the header they include is not
# found, the "compiles" control must build. Then no layer source may have a folder above the
# layers on its include path, and trust-bridge-cli must not need GTK or libadwaita. Neither
# executable may need libsoup, GnuTLS, libsecret or Kerberos: the program loads them when it
# first calls them (app/core/tb-dl.h), so that none is loaded before the window's first frame.
set -uo pipefail

builddir=$1
cli=$2
gui=$3
shift 3
failures=0

# Counts a failure: says MESSAGE, then DETAILS (the output that shows it) when given.
fail ()
{
  echo "FAIL: $1"
  if [ -n "${2:-}" ]; then echo "$2"; fi
  failures=$((failures + 1))
}

while [ "$#" -ge 3 ]; do
  name=$1 expect=$2 target=$3
  shift 3
  rm -f "$builddir/$target"
  out=$(ninja -C "$builddir" "$target" 2>&1)
  status=$?
  if [ "$expect" = compiles ]; then
    if [ "$status" -ne 0 ]; then
      fail "$name should compile:" "$out"
    else
      echo "ok: $name compiles"
    fi
  elif [ "$status" -eq 0 ]; then
    fail "$name compiled: the layer does not hold"
  else
    # The header the probe itself includes must be the one not found: one found, but missing
    # something it includes in turn (adwaita.h, say), would mean the layer reached it.
    missing=$(grep -m1 -Eo \
      "tests/layers/$name\.c:[0-9]+:[0-9]+: fatal error: [^ ]+: No such file or directory" \
      <<< "$out")
    if [ -z "$missing" ]; then
      fail "$name failed for another reason than its own header not being found:" "$out"
    else
      echo "ok: $name does not compile (${missing#*fatal error: })"
    fi
  fi
done

# The probes only stand for the layers if the layers' own targets have no wider include path:
# no folder above the layers (app/, the source or build root) may be on it, or "sim/tb-sim.h"
# and "app/sim/tb-sim.h" would compile in app/core although the probes above do not.
srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
wide=$(python3 - "$builddir" "$srcdir" <<'EOF'
import json, os, shlex, sys
builddir, srcdir = (os.path.realpath(d) for d in sys.argv[1:3])
above = {srcdir, os.path.join(srcdir, 'app'), builddir, os.path.join(builddir, 'app')}
with open(os.path.join(builddir, 'compile_commands.json')) as f:
    commands = json.load(f)
for c in commands:
    if not c['output'].startswith(('app/', 'tests/layers/')):
        continue
    for arg in shlex.split(c['command']):
        if arg.startswith('-I') and \
           os.path.realpath(os.path.join(c['directory'], arg[2:])) in above:
            print(c['file'], arg)
EOF
)
if [ -n "$wide" ]; then
  fail "layer sources compile with a folder above the layers on the include path:" "$wide"
else
  echo "ok: the layers' include paths hold no folder above the layers"
fi

needed=$(readelf -d "$cli" | grep NEEDED)
if grep -Eq 'libgtk|libadwaita' <<< "$needed"; then
  fail "$cli needs GTK:" "$needed"
else
  echo "ok: trust-bridge-cli needs neither GTK nor libadwaita"
fi

for program in "$cli" "$gui"; do
  needed=$(readelf -d "$program" | grep NEEDED)
  if grep -Eq 'libsoup|libgnutls|libsecret|libkrb5|libgssapi' <<< "$needed"; then
    fail "$program is linked with a library it should load on first use:" "$needed"
  else
    echo "ok: $(basename "$program") loads libsoup, GnuTLS, libsecret and Kerberos on first use"
  fi
done

[ "$failures" -eq 0 ]
