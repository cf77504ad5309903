#!/usr/bin/env python3
"""trust-bridge-cli cert inspect --json must agree with `openssl x509` on every certificate of
the system CA bundle: serial, dates, thumbprints, key, subject and issuer names, Base64 DER,
self-signed flag and status. Skips (exit 77) when there is no bundle or no openssl."""
import base64
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

cli = sys.argv[1]
bundles = [b for b in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")
           if os.path.exists(b)]
if not bundles or not shutil.which("openssl"):
    print("no CA bundle or no openssl here: skipped")
    sys.exit(77)
bundle = bundles[0]

out = subprocess.run([cli, "--json", "cert", "inspect", bundle], capture_output=True, check=False)
if out.returncode != 0:
    print(out.stderr.decode(errors="replace"))
    sys.exit(f"cert inspect exited {out.returncode} on {bundle}")
ours = json.loads(out.stdout)

pems = re.findall(rb"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", open(bundle, "rb").read(), re.S)
if len(pems) != len(ours):
    sys.exit(f"bundle has {len(pems)} certificates, cert inspect listed {len(ours)}")

MEMBERS = {"file", "index", "subject", "issuer", "serial", "not_before", "not_after", "sha1",
           "sha256", "key_algorithm", "key_bits", "self_signed", "status", "base64"}
ALGOS = {"rsaEncryption": "RSA", "id-ecPublicKey": "EC", "ED25519": "Ed25519", "ED448": "Ed448",
         "dsaEncryption": "DSA", "rsassaPss": "RSA-PSS"}


def openssl(pem, *args):
    return subprocess.run(["openssl", "x509", "-noout", *args], input=pem, capture_output=True,
                          check=True).stdout.decode("utf-8", errors="replace")


def iso(openssl_date):
    d = datetime.datetime.strptime(openssl_date.strip(), "%b %d %H:%M:%S %Y GMT")
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def rdn_values(dn):
    """Attribute values of an RFC 4514 string, in order, unescaped: names of attributes are
    spelt differently by OpenSSL and GnuTLS (emailAddress/EMAIL, OIDs), values are not."""
    values, cur, i = [], "", 0
    in_value = False
    while i < len(dn):
        c = dn[i]
        if c == "\\" and i + 1 < len(dn):
            nxt = dn[i + 1:i + 3]
            if re.fullmatch(r"[0-9A-Fa-f]{2}", nxt):
                # hex escapes: collect bytes then decode as UTF-8
                raw = bytearray()
                while i < len(dn) and dn[i] == "\\" and re.fullmatch(r"[0-9A-Fa-f]{2}", dn[i + 1:i + 3] or ""):
                    raw.append(int(dn[i + 1:i + 3], 16))
                    i += 3
                cur += raw.decode("utf-8", errors="replace")
                continue
            cur += dn[i + 1]
            i += 2
            continue
        if c == "=" and not in_value:
            in_value, cur = True, ""
        elif c in ",+" and in_value:
            values.append(cur.strip())
            in_value, cur = False, ""
        elif in_value:
            cur += c
        i += 1
    if in_value:
        values.append(cur.strip())
    return values


failures = []
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
for i, (pem, cert) in enumerate(zip(pems, ours)):
    def check(name, expected, got):
        if expected != got:
            failures.append(f"certificate {i} ({cert.get('subject')}): {name}: openssl says {expected!r}, we say {got!r}")

    if set(cert) != MEMBERS:
        failures.append(f"certificate {i}: members {sorted(cert)}")
        continue
    check("file", bundle, cert["file"])
    check("index", i, cert["index"])
    fields = openssl(pem, "-serial", "-startdate", "-enddate")
    serial = re.search(r"serial=(\w+)", fields).group(1).upper()
    check("serial", serial, cert["serial"])
    not_before = iso(re.search(r"notBefore=(.*)", fields).group(1))
    not_after = iso(re.search(r"notAfter=(.*)", fields).group(1))
    check("not_before", not_before, cert["not_before"])
    check("not_after", not_after, cert["not_after"])
    sha1 = re.search(r"=([0-9A-F:]+)", openssl(pem, "-fingerprint", "-sha1")).group(1).replace(":", "")
    sha256 = re.search(r"=([0-9A-F:]+)", openssl(pem, "-fingerprint", "-sha256")).group(1).replace(":", "")
    check("sha1", sha1, cert["sha1"])
    check("sha256", sha256, cert["sha256"])
    der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem, capture_output=True,
                         check=True).stdout
    check("base64", base64.b64encode(der).decode(), cert["base64"])
    text = openssl(pem, "-text", "-certopt", "no_sigdump,no_pubkey,no_extensions,no_signame")
    full = openssl(pem, "-text")
    algo = re.search(r"Public Key Algorithm: (\S+)", full).group(1)
    check("key_algorithm", ALGOS.get(algo, algo), cert["key_algorithm"])
    bits = re.search(r"Public-Key: \((\d+) bit\)", full)
    if bits:
        check("key_bits", int(bits.group(1)), cert["key_bits"])
    names = openssl(pem, "-subject", "-issuer", "-nameopt", "RFC2253,-esc_msb,utf8")
    subject = re.search(r"^subject=(.*)$", names, re.M).group(1)
    issuer = re.search(r"^issuer=(.*)$", names, re.M).group(1)
    check("subject values", rdn_values(subject), rdn_values(cert["subject"]))
    check("issuer values", rdn_values(issuer), rdn_values(cert["issuer"]))
    # Every root in a CA bundle is self-issued; OpenSSL calls them self-signed.
    check("self_signed", subject == issuer, cert["self_signed"])
    if not_after < now:
        expected_status = {"expired"}
    elif not_before > now:
        expected_status = {"not-yet-valid"}
    else:
        expected_status = {"valid", "expiring"}
    if cert["status"] not in expected_status:
        failures.append(f"certificate {i}: status {cert['status']} with dates {not_before}..{not_after}")

for f in failures:
    print(f)
print(f"{len(ours)} certificates compared with openssl, {len(failures)} differences")
sys.exit(1 if failures else 0)
