#!/bin/sh
# test-keyring.sh PROGRAM [ARGS…]: the real Secret Service, no mocks. Gives PROGRAM (tests/test-keyring.c)
# a D-Bus session of its own, a throwaway HOME/XDG_DATA_HOME/XDG_RUNTIME_DIR in a temporary
# directory, and Debian's gnome-keyring-daemon (secrets component only) unlocked with a
# throwaway password, which creates the "login" keyring there and makes it the default
# collection. Nothing touches the keyring of the person or CI user running the tests.
# Exits 77 (skip) only when the tools are missing or the daemon cannot start here, and says why;
# build-aux/deps.sh installs gnome-keyring and dbus.
set -eu

program=$1
shift

if [ "${TB_KEYRING_INNER:-}" != 1 ]; then
  for tool in gnome-keyring-daemon dbus-run-session dbus-send; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool not installed (packages gnome-keyring dbus)"
      exit 77
    fi
  done

  dir=$(mktemp -d "${TMPDIR:-/tmp}/tb-keyring.XXXXXX")
  trap 'rm -rf "$dir"' EXIT INT TERM
  mkdir -p "$dir/home/.local/share" "$dir/home/.config" "$dir/home/.cache" "$dir/run"
  chmod 700 "$dir/run"

  # The session bus daemon inherits this environment, so a daemon it would activate on its
  # own (org.freedesktop.secrets.service) also lives in the temporary HOME.
  export HOME="$dir/home"
  export XDG_DATA_HOME="$dir/home/.local/share"
  export XDG_CONFIG_HOME="$dir/home/.config"
  export XDG_CACHE_HOME="$dir/home/.cache"
  export XDG_RUNTIME_DIR="$dir/run"
  export TB_KEYRING_HOME="$dir/home"
  export TB_KEYRING_INNER=1
  unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY

  # dbus-run-session ends the bus when the script below returns; gnome-keyring-daemon exits
  # when its bus goes away.
  status=0
  dbus-run-session -- sh "$0" "$program" "$@" 2>"$dir/session.log" || status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    grep -v 'Failed to set fd limit' "$dir/session.log" >&2 || true
  fi
  exit "$status"
fi

# Inside the private session.
name_has_owner () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
    | grep -q 'boolean true'
}

if name_has_owner; then
  echo "Bail out! org.freedesktop.secrets already owned on a brand new bus"
  exit 1
fi

# A throwaway password on stdin: unlocking with it creates the "login" keyring, unlocked, and
# makes it the default collection, as PAM does at a desktop login.
log="$TB_KEYRING_HOME/../daemon.log"
if ! out=$(printf '%s' "throwaway-$$-$(date +%s%N)" \
             | gnome-keyring-daemon --unlock --components=secrets --daemonize 2>"$log"); then
  echo "SKIP: gnome-keyring-daemon --unlock --daemonize failed:"
  sed 's/^/  /' "$log"
  exit 77
fi
# It prints the variables a client needs (GNOME_KEYRING_CONTROL…), when it prints any.
for assignment in $out; do
  case $assignment in
    GNOME_KEYRING_CONTROL=*|SSH_AUTH_SOCK=*) export "${assignment?}" ;;
  esac
done

tries=0
until name_has_owner; do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    echo "SKIP: gnome-keyring-daemon started but never took org.freedesktop.secrets:"
    sed 's/^/  /' "$log"
    exit 77
  fi
  sleep 0.1
done

if [ ! -f "$XDG_DATA_HOME/keyrings/login.keyring" ]; then
  echo "Bail out! the daemon answers but created no login keyring in $XDG_DATA_HOME/keyrings"
  ls -la "$XDG_DATA_HOME/keyrings" 2>&1 || true
  sed 's/^/  /' "$log"
  exit 1
fi

exec "$program" "$@"
