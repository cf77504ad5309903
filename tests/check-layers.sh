#!/usr/bin/env bash
# The layers hold (see app/meson.build): a file that crosses one does not compile.
#
#   check-layers.sh BUILDDIR CLI NAME compiles|fails TARGET [NAME compiles|fails TARGET]…
#
# Builds each probe TARGET (tests/layers/NAME.c with one layer's include directories and
# dependencies) with ninja; "fails" probes must fail because the header is not found, the
# "compiles" control must build. Then trust-bridge-cli must not need GTK or libadwaita.
set -uo pipefail

builddir=$1
cli=$2
shift 2
failures=0

while [ "$#" -ge 3 ]; do
  name=$1 expect=$2 target=$3
  shift 3
  rm -f "$builddir/$target"
  out=$(ninja -C "$builddir" "$target" 2>&1)
  status=$?
  if [ "$expect" = compiles ]; then
    if [ "$status" -ne 0 ]; then
      echo "FAIL: $name should compile:"
      echo "$out"
      failures=$((failures + 1))
    else
      echo "ok: $name compiles"
    fi
  elif [ "$status" -eq 0 ]; then
    echo "FAIL: $name compiled: the layer does not hold"
    failures=$((failures + 1))
  elif ! grep -q 'No such file or directory' <<< "$out"; then
    echo "FAIL: $name failed for another reason than a missing header:"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "ok: $name does not compile ($(grep -m1 -o '[^ ]*: No such file or directory' <<< "$out"))"
  fi
done

needed=$(readelf -d "$cli" | grep NEEDED)
if grep -Eq 'libgtk|libadwaita' <<< "$needed"; then
  echo "FAIL: $cli needs GTK:"
  echo "$needed"
  failures=$((failures + 1))
else
  echo "ok: trust-bridge-cli needs neither GTK nor libadwaita"
fi

[ "$failures" -eq 0 ]
