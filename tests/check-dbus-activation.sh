#!/bin/sh
# D-Bus activation, as the desktop and the daily check's notification use it: on a private
# session bus whose only service is this build of the app, ActivateAction show-page("overview")
# on its bus name starts it and opens a window; the desktop file says DBusActivatable=true and
# the installed service file names the same bus name. Usage: check-dbus-activation.sh APP SRCDIR
set -eu
app=$1
srcdir=$2
name=io.github.trustbridge.TrustBridge
path=/io/github/trustbridge/TrustBridge

grep -qx 'DBusActivatable=true' "$srcdir/data/$name.desktop.in"
grep -qx "Name=$name" "$srcdir/data/$name.service.in"
grep -qx 'Exec=@bindir@/trust-bridge --gapplication-service' "$srcdir/data/$name.service.in"

dir=$(mktemp -d)
bus_pid=
cleanup () {
  [ -n "$bus_pid" ] && kill "$bus_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
mkdir "$dir/services"
sed "s|@bindir@/trust-bridge|$app|" "$srcdir/data/$name.service.in" \
  > "$dir/services/$name.service"
cat > "$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$dir</listen>
  <servicedir>$dir/services</servicedir>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$dir/bus.conf" --nofork --print-address=3 3>"$dir/address" &
bus_pid=$!
for _ in $(seq 100); do
  [ -s "$dir/address" ] && break
  sleep 0.1
done
DBUS_SESSION_BUS_ADDRESS=$(head -n 1 "$dir/address")
export DBUS_SESSION_BUS_ADDRESS

call () {
  gdbus call --session --timeout 60 --dest "$name" "$@"
}

# Nothing runs yet: the call itself must start the app.
if gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
     --method org.freedesktop.DBus.GetNameOwner "$name" >/dev/null 2>&1; then
  echo "the app was already on the bus" >&2
  exit 1
fi
call --object-path "$path" --method org.freedesktop.Application.ActivateAction \
  show-page '[<"overview">]' '{}'

# The window it opened exports its actions on the bus, as GtkApplication does for each window.
found=no
for _ in $(seq 100); do
  if call --object-path "$path/window/1" --method org.gtk.Actions.List 2>/dev/null \
       >/dev/null; then
    found=yes
    break
  fi
  sleep 0.2
done
call --object-path "$path" --method org.freedesktop.Application.ActivateAction quit '[]' '{}' \
  >/dev/null || true
if [ "$found" != yes ]; then
  echo "show-page through D-Bus activation opened no window" >&2
  exit 1
fi
echo "D-Bus activation opened a window on the Overview"
