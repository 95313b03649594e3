#!/usr/bin/env bash
# bench/store_layout.sh - measures the store's chunk length and filter
# choices on the real Provision_PT_737E tcp+udp CSVs: ingest time, size on
# disk, and the time to load 10 and 115 columns back (baiot export of the
# view to /dev/null is not used: h5py reads the columns, as a client would).
# Usage: bench/store_layout.sh [BUILD_DIR]   (needs ../shared; 3 runs each, median)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
baiot=$build/baiot
shared=${BAIOT_SHARED:-$here/../shared}
real=$shared/data/nbaiot/real
[ -d "$real" ] || { echo "skip: $real absent"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/csv"
unzip -q -o "$real/Provision_PT_737E_Security_Camera.gafgyt.tcp.zip" -d "$tmp/u1"
unzip -q -o "$real/Provision_PT_737E_Security_Camera.gafgyt.udp.zip" -d "$tmp/u2"
mv "$tmp/u1/tcp.csv" "$tmp/csv/5.gafgyt.tcp.csv"
mv "$tmp/u2/udp.csv" "$tmp/csv/5.gafgyt.udp.csv"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "%-10s %-9s %10s %10s %12s %12s\n" chunk_rows deflate ingest_s size_MB load10_s load115_s
for chunk in 16384 65536 262144; do
  for level in 0 1 4; do
    ti=(); t10=(); t115=()
    for run in 1 2 3; do
      s=$(date +%s.%N)
      "$baiot" ingest -q --force --chunk-rows "$chunk" --compress "$level" "$tmp/csv" -o "$tmp/s.h5"
      e=$(date +%s.%N); ti+=("$(echo "$e - $s" | bc)")
      sync
      read -r a b < <(/usr/bin/python3 - "$tmp/s.h5" <<'PY'
import sys, time, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["feature_names"]]
t = time.perf_counter(); [f["features"][n][...] for n in names[:10]]; a = time.perf_counter() - t
t = time.perf_counter(); [f["features"][n][...] for n in names]; b = time.perf_counter() - t
print(a, b)
PY
)
      t10+=("$a"); t115+=("$b")
    done
    size=$(stat -c %s "$tmp/s.h5")
    printf "%-10s %-9s %10.3f %10.1f %12.4f %12.4f\n" "$chunk" "$level" \
      "$(printf '%s\n' "${ti[@]}" | median)" "$(echo "$size/1000000" | bc -l)" \
      "$(printf '%s\n' "${t10[@]}" | median)" "$(printf '%s\n' "${t115[@]}" | median)"
  done
done
