#!/usr/bin/env bash
# Regenerates tests/golden/weka/em/: Weka 3.6.14's EM clusterer with
# classes-to-clusters evaluation on the example ARFF files (tests/data/weka),
# -N 3 and -N -1 (k chosen by cross-validation), seed 100, 100 iterations:
#   java -cp weka.jar weka.clusterers.EM -t FILE.arff -N K -S 100 -I 100 -c last
# -> NAME.N3.txt / NAME.Nauto.txt (Weka's own text), and the model at full
# precision from WekaEmGolden.java (EM built through the API on the same
# data with the class removed) -> NAME.N3.tsv / NAME.Nauto.tsv.
# Needs `apt-get install weka` (Java); the tests themselves don't.
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
out=$here/tests/golden/weka/em
jar=${WEKA_JAR:-/usr/share/java/weka.jar}
mkdir -p "$out"
cls=$(mktemp -d)
trap 'rm -rf "$cls"' EXIT
javac -cp "$jar" -d "$cls" "$here/tests/tools/weka/WekaEmGolden.java"
run() { # arff name k
  local f=$1 name=$2 k=$3 tag
  tag=N$k; [ "$k" = -1 ] && tag=Nauto
  java -cp "$jar" weka.clusterers.EM -t "$f" -N "$k" -S 100 -I 100 -c last > "$out/$name.$tag.txt"
  java -cp "$jar:$cls" WekaEmGolden "$f" "$k" 100 100 class > "$out/$name.$tag.tsv"
}
for name in ${EM_FILES-iris diabetes glass weather.numeric labor segment-challenge soybean}; do
  for k in 3 -1; do
    run "$here/tests/data/weka/$name.arff" "$name" "$k"
  done
done

# Divergences found by the differential tester (tests/differential/, see
# docs/WEKA_COMPAT.md): small generated or hand-made files, NAME:K each.
for spec in ${EM_DIFF_FILES-em-missing-class:2 em-nominal-width:3 em-nominal-width:-1 em-empty-cluster:3 \
    em-neartol:3 em-offset:3 em-cancel:4 em-strictmath:3 em-cvk:-1}; do
  run "$here/tests/data/weka/${spec%%:*}.arff" "${spec%%:*}" "${spec##*:}"
done

# A file where Weka's own result depends on the JVM's Math.exp / Math.log
# (docs/WEKA_COMPAT.md): also run with StrictMath's (HotSpot's intrinsics
# off) -> NAME.N3.strictmath-txt / -tsv.
if [ "${EM_UNSTABLE-1}" = 1 ]; then
  f=$here/tests/data/weka/em-jvm-unstable.arff
  run "$f" em-jvm-unstable 3
  strict="-XX:+UnlockDiagnosticVMOptions -XX:-UseLibmIntrinsic"
  java $strict -cp "$jar" weka.clusterers.EM -t "$f" -N 3 -S 100 -I 100 -c last > "$out/em-jvm-unstable.N3.strictmath-txt"
  java $strict -cp "$jar:$cls" WekaEmGolden "$f" 3 100 100 class > "$out/em-jvm-unstable.N3.strictmath-tsv"
fi

# The real Provision_PT_737E gafgyt tcp+udp rows (from ../shared, never
# committed): a 2,000-row random subsample (tests/tools/weka/subsample_arff.py,
# seed 1) of baiot's ARFF export with the 11-class label as the class; only
# Weka's model text and figures are kept.
shared=${BAIOT_SHARED:-$here/../shared}
baiot=${BAIOT_BIN:-$here/build/baiot}
if [ -d "$shared/data/nbaiot/real" ] && [ -x "$baiot" ]; then
  tmp=$(mktemp -d)
  "$baiot" ingest -q "$shared"/data/nbaiot/real/Provision_PT_737E_Security_Camera.gafgyt.*.zip -o "$tmp/real.h5"
  "$baiot" export "$tmp/real.h5" --arff --task 11class --columns "${EM_REAL_COLUMNS:-$(seq -s, 1 12 115)}" -o "$tmp/real.arff"
  python3 "$here/tests/tools/weka/subsample_arff.py" "$tmp/real.arff" 2000 1 > "$tmp/real2000.arff"
  for k in 3 -1; do
    run "$tmp/real2000.arff" real_pt737e_2000 "$k"
  done
  rm -rf "$tmp"
else
  echo "skip: no $shared/data/nbaiot/real or no $baiot: the real-data golden files are not made" >&2
fi
{
  echo "Made by tests/tools/weka/make_em_golden.sh with:"
  java -version 2>&1 | sed 's/^/    /'
  echo "    weka: $(dpkg-query -W -f='${Version}' weka 2>/dev/null || echo unknown) ($jar)"
} > "$out/VERSION.txt"
