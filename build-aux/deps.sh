# Shared by build-aux/run and build-aux/test: install the Debian packages Trust Bridge needs.
# Sourced, not executed. Only packages that Debian 12 ships are named here.

TB_BUILD_PACKAGES=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libgnutls28-dev libsecret-1-dev libkrb5-dev
  desktop-file-utils appstream bash-completion
)

# build-aux/package: the Debian package's build tools and lintian (man-db: the build-time
# man page check).
TB_PACKAGE_PACKAGES=(
  debhelper dpkg-dev fakeroot lintian man-db
)

# build-aux/fuzz: clang with libFuzzer and the sanitizer runtimes (Debian 12: clang 14).
TB_FUZZ_PACKAGES=(clang libclang-rt-14-dev llvm)

TB_TEST_PACKAGES=(
  xvfb xauth dbus dbus-x11 libglib2.0-bin openssl ca-certificates gnutls-bin
  krb5-kdc krb5-admin-server krb5-user
  gnome-keyring
  python3-prometheus-client
  "${TB_PACKAGE_PACKAGES[@]}"
  locales-all
  "${TB_FUZZ_PACKAGES[@]}"
  at-spi2-core gir1.2-atspi-2.0 python3-gi
)

# Only build-aux/bench needs these: Microsoft's az, which `build-aux/bench cli` compares
# trust-bridge-cli with.
TB_BENCH_PACKAGES=(
  azure-cli
)

tb_missing_packages ()
{
  local pkg missing=()
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$pkg")
    fi
  done
  printf '%s\n' "${missing[@]}"
}

tb_install_packages ()
{
  local missing
  mapfile -t missing < <(tb_missing_packages "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ -z "${missing[0]}" ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Trust Bridge needs these packages and sudo is missing: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Debian's meson runs under /usr/bin/python3; a python3 from a version manager first on PATH
# would not have the mesonbuild module.
tb_meson ()
{
  if [ -x /usr/bin/meson ]; then /usr/bin/meson "$@"; else meson "$@"; fi
}
