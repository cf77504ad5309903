#!/bin/sh
# Verifies the daily check's systemd user units with systemd-analyze, the service pointing at
# the trust-bridge-cli just built (the installed path does not exist before install):
#   check-systemd-units.sh SERVICE.in TIMER CLI
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bindir=$(dirname "$3")
sed "s|@bindir@|$bindir|g" "$1" > "$dir/trust-bridge-check.service"
cp "$2" "$dir/trust-bridge-check.timer"
grep -q "^ExecStart=$3 trust check --notify\$" "$dir/trust-bridge-check.service"
systemd-analyze verify --man=no "$dir/trust-bridge-check.timer" "$dir/trust-bridge-check.service"
