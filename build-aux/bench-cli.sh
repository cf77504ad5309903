#!/usr/bin/env bash
# build-aux/bench cli [--runs N]: what trust-bridge-cli costs, medians over N runs (default 11):
#   trust-bridge-cli --demo --json principals show   CPU time and peak memory (budget 20 MiB)
#   trust-bridge-cli --help                          wall time (budget 50 ms)
# and, when Debian's azure-cli is installed, az's `ad sp show` for comparison (CPU budget:
# trust-bridge-cli at most 0.1x az). az cannot be pointed at the loopback simulator (its
# sign-in insists on an https authority it can discover), so what is measured of az is its
# own start-up for the same command failing offline without a sign-in: less than az does for
# a real answer, which makes the ratio shown an upper bound. Exits 1 when a budget is missed.
# Called by build-aux/bench, which builds first and sets TB_BUILD_DIR.
set -euo pipefail

builddir=${TB_BUILD_DIR:?run build-aux/bench cli}
runs=11
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    *) echo "build-aux/bench cli: unknown option $1" >&2; exit 2 ;;
  esac
done

cli="$builddir/app/trust-bridge-cli"
rusage="$builddir/tests/bench/bench-rusage"
work=$(mktemp -d "${TMPDIR:-/tmp}/trust-bridge-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/az"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data"

# One warm-up each, so every figure is taken with the files in the page cache.
"$rusage" 1 -- "$cli" --demo --json principals show >/dev/null
read -r show_wall show_cpu show_rss show_status < <("$rusage" "$runs" -- "$cli" --demo --json principals show)
read -r help_wall help_cpu help_rss help_status < <("$rusage" "$runs" -- "$cli" --help)

az_line=
if command -v az >/dev/null; then
  # A private, empty configuration: no sign-in, no telemetry, nothing written to HOME.
  export AZURE_CONFIG_DIR="$work/az" AZURE_CORE_COLLECT_TELEMETRY=no AZURE_CORE_NO_COLOR=1
  "$rusage" 1 -- az ad sp show --id 00000004-0000-0ff1-ce00-000000000000 >/dev/null
  az_line=$("$rusage" "$runs" -- az ad sp show --id 00000004-0000-0ff1-ce00-000000000000)
fi

/usr/bin/python3 - "$runs" "$show_wall" "$show_cpu" "$show_rss" "$show_status" \
  "$help_wall" "$help_status" "$az_line" <<'PY'
import sys
runs, show_wall, show_cpu, show_rss, show_status, help_wall, help_status, az = sys.argv[1:]
show_wall, show_cpu, help_wall = float(show_wall), float(show_cpu), float(help_wall)
show_mib = int(show_rss) / 1024
over = False
def verdict(ok):
    global over
    over |= not ok
    return "ok" if ok else "OVER BUDGET"
print(f"medians of {runs} runs")
print(f"trust-bridge-cli --demo --json principals show   (exit {show_status})")
print(f"  CPU time {show_cpu:8.1f} ms   wall {show_wall:7.1f} ms")
print(f"  peak memory {show_mib:5.1f} MiB   budget 20 MiB  {verdict(show_mib <= 20 and show_status == '0')}")
print(f"trust-bridge-cli --help   (exit {help_status})")
print(f"  wall {help_wall:7.1f} ms   budget 50 ms  {verdict(help_wall < 50 and help_status == '0')}")
if az:
    az_wall, az_cpu, az_rss, az_status = az.split()
    az_cpu = float(az_cpu)
    ratio = show_cpu / az_cpu
    print(f"az ad sp show --id 00000004-…   (exit {az_status}: offline, not signed in; "
          f"its start-up only)")
    print(f"  CPU time {az_cpu:8.1f} ms   wall {float(az_wall):7.1f} ms   "
          f"peak memory {int(az_rss) / 1024:5.1f} MiB")
    print(f"  trust-bridge-cli / az CPU {ratio:5.2f}x   budget 0.10x  {verdict(ratio <= 0.10)}")
else:
    print("az: not installed (Debian's azure-cli); no comparison")
sys.exit(1 if over else 0)
PY
