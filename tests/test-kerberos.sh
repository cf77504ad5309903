#!/bin/sh
# test-kerberos.sh CLIENT: real Kerberos, no mocks. Starts an MIT KDC on loopback with a
# throwaway realm TEST.LOCAL in a temporary directory (its own KRB5_CONFIG, KRB5_KDC_PROFILE,
# credential cache and an unprivileged port), creates user@TEST.LOCAL and HTTP/localhost with a
# keytab for the WinRM simulator, then runs the C test CLIENT three times: without a ticket,
# after kinit, and after kinit again driving trust-bridge-cli pool status/apply --auth kerberos
# (host localhost, the simulator's --port and --tls-fingerprint) through the same ticket. Exits 77 (skip) only when the MIT tools are not installed; build-aux/deps.sh
# installs them.
set -eu

client=$1
PATH=$PATH:/usr/sbin:/sbin
for tool in krb5kdc kdb5_util kadmin.local kinit; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool not installed (packages krb5-kdc krb5-admin-server krb5-user)"
    exit 77
  fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/tb-krb.XXXXXX")
kdc_pid=
cleanup () {
  [ -n "$kdc_pid" ] && kill "$kdc_pid" 2>/dev/null && wait "$kdc_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat > "$dir/krb5.conf" <<CONF
[libdefaults]
  default_realm = TEST.LOCAL
  dns_canonicalize_hostname = false
  rdns = false
  dns_lookup_kdc = false
  dns_lookup_realm = false
  udp_preference_limit = 1
[realms]
  TEST.LOCAL = {
    kdc = 127.0.0.1:$port
  }
[domain_realm]
  localhost = TEST.LOCAL
CONF

cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
  kdc_ports = $port
  kdc_tcp_ports = $port
[realms]
  TEST.LOCAL = {
    database_name = $dir/principal
    key_stash_file = $dir/stash
    acl_file = $dir/kadm5.acl
    kdc_ports = $port
    kdc_tcp_ports = $port
  }
[logging]
  kdc = FILE:$dir/kdc.log
  default = FILE:$dir/kdc.log
CONF
: > "$dir/kadm5.acl"

export KRB5_CONFIG="$dir/krb5.conf"
export KRB5_KDC_PROFILE="$dir/kdc.conf"
export KRB5CCNAME="FILE:$dir/ccache"
# The acceptor's replay cache stays out of /var/tmp.
export KRB5RCACHEDIR="$dir"
unset KRB5_KTNAME KRB5_CLIENT_KTNAME

kdb5_util create -s -r TEST.LOCAL -P "master-$(date +%s%N)" >"$dir/setup.log" 2>&1
kadmin.local -r TEST.LOCAL -q "addprinc -randkey user@TEST.LOCAL" >>"$dir/setup.log" 2>&1
kadmin.local -r TEST.LOCAL -q "addprinc -randkey HTTP/localhost@TEST.LOCAL" >>"$dir/setup.log" 2>&1
kadmin.local -r TEST.LOCAL -q "ktadd -k $dir/http.keytab HTTP/localhost@TEST.LOCAL" >>"$dir/setup.log" 2>&1
kadmin.local -r TEST.LOCAL -q "ktadd -k $dir/user.keytab user@TEST.LOCAL" >>"$dir/setup.log" 2>&1

krb5kdc -n -r TEST.LOCAL >>"$dir/kdc.log" 2>&1 &
kdc_pid=$!

# 1. No ticket: the client must say so plainly, without bothering the server.
TB_KRB_MODE=none KRB5CCNAME="FILE:$dir/no-such-ccache" "$client"

# 2. A ticket from the KDC (the user's keys from a keytab, so no password is typed or stored).
tries=0
until kinit -k -t "$dir/user.keytab" user@TEST.LOCAL 2>>"$dir/kinit.log"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ]; then
    echo "kinit failed; KDC log:"; cat "$dir/kdc.log" "$dir/kinit.log"
    exit 1
  fi
  sleep 0.1
done

TB_KRB_MODE=ticket TB_KRB_KEYTAB="$dir/http.keytab" "$client" || {
  status=$?
  echo "KDC log:"; cat "$dir/kdc.log"
  exit $status
}

# 3. The CLI as an admin runs it: pool status and pool apply --auth kerberos through the ticket.
TB_KRB_MODE=cli TB_KRB_KEYTAB="$dir/http.keytab" "$client" || {
  status=$?
  echo "KDC log:"; cat "$dir/kdc.log"
  exit $status
}
