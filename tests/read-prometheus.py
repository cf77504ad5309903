#!/usr/bin/python3
# Reads trust check --format prometheus output with the Prometheus client library's parser
# and prints what it understood as JSON: {"status": {check: code}, "expiry": {thumbprint:
# seconds}, "tenant": …}. Any line the parser rejects fails the test.
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()

out = {"status": {}, "expiry": {}, "counts": {}, "tenant": None}
families = {f.name: f for f in text_string_to_metric_families(text)}
for name in ("trust_bridge_check_status", "trust_bridge_checks",
             "trust_bridge_certificate_expiry_timestamp_seconds"):
    if name not in families:
        sys.exit("missing metric family " + name)
    if families[name].type != "gauge":
        sys.exit(name + " is not a gauge")

for sample in families["trust_bridge_check_status"].samples:
    check = sample.labels["check"]
    if check in out["status"]:
        sys.exit("check twice: " + check)
    out["status"][check] = int(sample.value)
    out["tenant"] = sample.labels["tenant"]
for sample in families["trust_bridge_checks"].samples:
    out["counts"][sample.labels["status"]] = int(sample.value)
for sample in families["trust_bridge_certificate_expiry_timestamp_seconds"].samples:
    if sample.labels["role"] == "pool":
        out["expiry"][sample.labels["thumbprint"]] = int(sample.value)

print(json.dumps(out))
