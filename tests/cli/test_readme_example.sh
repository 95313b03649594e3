#!/usr/bin/env bash
# test_readme_example.sh - the README's first command's job on the example
# data kept in the repo: ingest examples/nbaiot-mini (UCI layout with a RAR)
# and check what `baiot info` reports (5 sources, 200 rows, 2 devices).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$BAIOT_SRC"
"$BAIOT_BIN" ingest -q examples/nbaiot-mini -o "$tmp/example.h5"
info=$("$BAIOT_BIN" info "$tmp/example.h5")
fail=0
check() { if ! grep -qE "$1" <<<"$info"; then echo "FAIL: info lacks /$1/"; fail=1; else echo "ok: $1"; fi; }
check '^rows: +200$'
check '^sources: +5$'
check '^devices: +2$'
check 'Provision_PT_737E_Security_Camera +gafgyt +udp +40'
check 'Ecobee_Thermostat +benign +benign +40'
exit $fail
