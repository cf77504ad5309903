#!/usr/bin/env bash
# The Debian package, as an admin gets it: built from this tree by build-aux/package (which fails
# on a lintian error or warning), installed with apt-get install ./….deb, and its programs, man
# pages, completion, desktop file, icon and schema used from the installed system.
#   test-package.sh SOURCE_ROOT WORKDIR [--skip REASON]
# Installing needs root (CI runs as root): otherwise the test is skipped (exit 77). A package
# that was not installed before the test is purged after it.
set -u

root=$1
work=$2
if [ "${3:-}" = "--skip" ]; then
  echo "skipped: ${4:-}"
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "skipped: installing the package needs root; build-aux/package builds and checks it"
  exit 77
fi

app_id=io.github.trustbridge.TrustBridge
failures=0
fail ()
{
  echo "FAIL: $*"
  failures=$((failures + 1))
}

installed_before=0
if dpkg-query -W -f='${Status}' trust-bridge 2>/dev/null | grep -q '^install ok installed$'; then
  installed_before=1
fi

# One build of the whole project: the test build's results cannot be reused, the suite has just
# run the tests, so nocheck.
log="$work.log"
mkdir -p "$(dirname "$log")"
DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" nice -n 10 "$root/build-aux/package" "$work" \
  > "$log" 2>&1
status=$?
deb=$(tail -n 1 "$log")
if [ "$status" -ne 0 ] || [ ! -f "$deb" ]; then
  tail -n 80 "$log"
  echo "FAIL: build-aux/package exited with $status (the build or lintian failed; log: $log)"
  exit 1
fi
version=$(dpkg-deb -f "$deb" Version)
# The libraries the programs load on first use are not in their ELF headers, so not in
# ${shlibs:Depends}: the package must name them itself.
depends=$(dpkg-deb -f "$deb" Depends)
for package in libgnutls30 libgssapi-krb5-2 libkrb5-3 libsecret-1-0 libsoup-3.0-0; do
  grep -Eq "(^|, )$package( |,|$)" <<< "$depends" || fail "the package does not depend on $package: $depends"
done

# Wait for a dpkg lock another apt-get holds rather than fail.
apt_get=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q)
if ! "${apt_get[@]}" install --no-install-recommends --reinstall "$deb"; then
  echo "FAIL: apt-get install $deb"
  exit 1
fi
if [ "$installed_before" = 0 ]; then
  trap '"${apt_get[@]}" purge trust-bridge >/dev/null' EXIT
fi

# Run as an admin would: the installed system only, no build tree settings.
unset GSETTINGS_SCHEMA_DIR TB_BUILD_DIR G_TEST_SRCDIR G_TEST_BUILDDIR
export LC_ALL=C.UTF-8 LANGUAGE= GSETTINGS_BACKEND=memory
cd /

for program in trust-bridge trust-bridge-cli; do
  [ "$(command -v "$program")" = "/usr/bin/$program" ] || fail "$program is not /usr/bin/$program"
done
out=$(trust-bridge-cli --version) || fail "trust-bridge-cli --version exited with $?"
[ "$out" = "trust-bridge-cli $version" ] || fail "trust-bridge-cli --version printed \"$out\""
out=$(trust-bridge --version) || fail "trust-bridge --version exited with $?"
[ "$out" = "trust-bridge $version" ] || fail "trust-bridge --version printed \"$out\""
out=$(trust-bridge-cli --demo tenant resolve contoso.com 2>&1) ||
  fail "trust-bridge-cli --demo tenant resolve contoso.com exited with $?: $out"
grep -Eq '^Tenant ID: +[0-9a-f]{8}-' <<< "$out" || fail "no tenant ID in: $out"
grep -q 'the metadata names this tenant' <<< "$out" || fail "the realm check failed: $out"

# Man pages, found by man.
for page in trust-bridge trust-bridge-cli; do
  path=$(man -w "$page" 2>/dev/null) || fail "man finds no page for $page"
  out=$(MANWIDTH=80 MANPAGER=cat PAGER=cat man "$page" 2>&1) || fail "man $page failed: $out"
  grep -q "^NAME" <<< "$out" || fail "man $page shows no NAME section"
done

# Completion, loaded on demand by bash-completion as on Tab in an interactive shell.
out=$(bash -c '
  . /usr/share/bash-completion/bash_completion
  __load_completion trust-bridge-cli || exit 3
  COMP_WORDS=(trust-bridge-cli pool "")
  COMP_CWORD=2
  _trust_bridge_cli
  echo "${COMPREPLY[*]}"' 2>&1) || fail "bash-completion does not load trust-bridge-cli's: $out"
grep -qw status <<< "$out" || fail "\"trust-bridge-cli pool <Tab>\" offers \"$out\""

# The menu entry, its icon, the metainfo, and the schema compiled by the package's triggers.
desktop=/usr/share/applications/$app_id.desktop
if [ -f "$desktop" ]; then
  out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ] ||
    fail "the installed desktop file is not valid: $out"
else
  fail "no $desktop"
fi
[ -f "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" ] || fail "the app icon is missing"
[ -f "/usr/share/metainfo/$app_id.metainfo.xml" ] || fail "the metainfo is missing"
if command -v gsettings >/dev/null; then
  gsettings list-keys "$app_id" | grep -qx tenant-domain ||
    fail "GSettings does not know the installed schema"
else
  grep -aq "$app_id" /usr/share/glib-2.0/schemas/gschemas.compiled ||
    fail "the installed schema was not compiled"
fi

# A catalogue for each language the project lists.
while read -r language; do
  [ -f "/usr/share/locale/$language/LC_MESSAGES/trust-bridge.mo" ] ||
    fail "the $language translation is not installed"
done < <(sed 's/#.*//' "$root/po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$')

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: $deb installs and works"
