#!/usr/bin/env bash
# build-aux/bench startup [--runs N]: time from exec to the first painted window of
# trust-bridge and trust-bridge --demo beside a bare libadwaita window (tests/bench/yardstick.c:
# an AdwApplicationWindow with a header bar and a status page), run in turn under one private
# Xvfb and D-Bus session, N rounds (default 11) after one warm-up round. Prints the medians and
# the ratios; exits 1 when a ratio is over its budget (1.15x, 1.25x with --demo).
# Called by build-aux/bench, which builds first and sets TB_BUILD_DIR.
set -euo pipefail

builddir=${TB_BUILD_DIR:?run build-aux/bench startup}
runs=11
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) echo "build-aux/bench startup: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$runs" -ge 1 ] 2>/dev/null || { echo "build-aux/bench startup: --runs needs a number" >&2; exit 2; }

first_frame="$builddir/tests/bench/bench-first-frame"
yardstick="$builddir/tests/bench/bench-yardstick"
app="$builddir/app/trust-bridge"

work=$(mktemp -d "${TMPDIR:-/tmp}/trust-bridge-bench.XXXXXX")
xvfb_pid=
cleanup ()
{
  [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# One private X server for every run, black root (-br) so a painted window stands out; no window
# manager and no compositor, so the screen shows exactly what a program painted.
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp -br 3>"$work/display" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  sleep 0.05
done
[ -s "$work/display" ] || { echo "build-aux/bench startup: Xvfb did not start" >&2; exit 2; }
export DISPLAY=":$(head -n1 "$work/display")"

# The same throwaway session for both programs: HOME, settings in memory, a private bus.
mkdir -p "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data"
eval "$(dbus-launch --sh-syntax)"
# The same renderer for both programs. Without a GPU device the app draws with cairo (its
# window picks it, app/ui/tb-renderer.c), so the bare window must too, or the ratio would
# compare cairo with OpenGL on a software rasteriser rather than the two programs.
if [ -z "${GSK_RENDERER:-}" ] && ! ls /dev/dri/card* /dev/dri/renderD* /dev/nvidiactl >/dev/null 2>&1; then
  export GSK_RENDERER=cairo
fi
echo "Renderer: ${GSK_RENDERER:-the default of GTK, a GPU device being present}" >&2

names=(yardstick app demo)
declare -A cmd=(
  [yardstick]="$yardstick"
  [app]="$app"
  [demo]="$app --demo"
)
# Drawing with cairo the app also keeps GDK from setting up OpenGL (GDK_DEBUG=gl-disable),
# which a bare window does not do by itself. The budget compares with the bare window as GTK
# runs it; the same window without OpenGL is timed too, for a like-for-like ratio.
if [ "${GSK_RENDERER:-}" = cairo ]; then
  names+=(bare)
  cmd[bare]="env GDK_DEBUG=gl-disable $yardstick"
fi
n_names=${#names[@]}

measure ()
{
  # shellcheck disable=SC2086 # the command is words on purpose
  "$first_frame" --timeout 60000 -- ${cmd[$1]} 2>>"$work/errors"
}

echo "Start-up: $runs rounds (plus one warm-up) of ${names[*]}" >&2
for round in $(seq 0 "$runs"); do
  # Rotate the order every round, so no program always runs right after the same other one.
  for k in $(seq 0 $(( n_names - 1 ))); do
    name=${names[$(( (round + k) % n_names ))]}
    if ! ms=$(measure "$name"); then
      echo "build-aux/bench startup: $name did not paint a window:" >&2
      cat "$work/errors" >&2
      exit 2
    fi
    [ "$round" -gt 0 ] && echo "$ms" >>"$work/$name"
  done
  printf '.' >&2
done
echo >&2

/usr/bin/python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
def medians(name):
    with open(f"{work}/{name}") as f:
        rows = [line.split() for line in f if line.strip()]
    return (statistics.median(float(r[0]) for r in rows),
            statistics.median(float(r[1]) for r in rows))
y, ycpu = medians("yardstick")
print(f"{'':40} {'wall':>8}     {'ratio':>5}   {'CPU':>6}")
print(f"{'bare AdwApplicationWindow (yardstick)':40} {y:8.1f} ms         {ycpu:6.0f} ms")
over = False
for label, name, budget in [("trust-bridge", "app", 1.15), ("trust-bridge --demo", "demo", 1.25)]:
    m, cpu = medians(name)
    ratio = m / y
    verdict = "ok" if ratio <= budget else "OVER BUDGET"
    over |= ratio > budget
    print(f"{label:40} {m:8.1f} ms  {ratio:5.2f}x  {cpu:6.0f} ms  budget {budget:.2f}x  {verdict}")
if os.path.exists(f"{work}/bare"):
    b, bcpu = medians("bare")
    print(f"{'bare window without OpenGL set up':40} {b:8.1f} ms  {b / y:5.2f}x  {bcpu:6.0f} ms  "
          "(not budgeted)")
    for label, name in [("trust-bridge", "app"), ("trust-bridge --demo", "demo")]:
        m, _ = medians(name)
        print(f"{label + ' against it':40} {'':8}     {m / b:5.2f}x")
print("wall: exec to the first painted window, median; CPU: the program's CPU time until then")
sys.exit(1 if over else 0)
PY
