#!/usr/bin/env bash
# Regenerates tests/golden/weka/rank/: Weka 3.6.14's OneRAttributeEval +
# Ranker on the example ARFF files of Debian's weka package (copied in
# tests/data/weka), with the default options (-F 10 -S 1 -B 6) and a few
# others.  Needs `apt-get install weka` (Java); the tests themselves don't.
#   java -cp /usr/share/java/weka.jar weka.attributeSelection.OneRAttributeEval \
#        -s weka.attributeSelection.Ranker -i FILE.arff -F folds -S seed -B 6
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
out=$here/tests/golden/weka/rank
jar=${WEKA_JAR:-/usr/share/java/weka.jar}
mkdir -p "$out"
run() { # file folds seed
  local f=$1 folds=$2 seed=$3 name
  name=$(basename "$f" .arff)
  java -cp "$jar" weka.attributeSelection.OneRAttributeEval -s weka.attributeSelection.Ranker \
       -i "$f" -F "$folds" -S "$seed" -B 6 > "$out/$name.F$folds.S$seed.txt"
}
for f in "$here"/tests/data/weka/*.arff; do
  run "$f" 10 1
done
for f in iris labor soybean vote diabetes credit-g; do
  run "$here/tests/data/weka/$f.arff" 5 2
  run "$here/tests/data/weka/$f.arff" 10 42
done
{
  echo "Made by tests/tools/weka/make_rank_golden.sh with:"
  java -version 2>&1 | sed 's/^/    /'
  echo "    weka: $(dpkg-query -W -f='${Version}' weka 2>/dev/null || echo unknown) ($jar)"
} > "$out/VERSION.txt"

# The real Provision_PT_737E gafgyt tcp+udp rows (from ../shared, never
# committed): the class is the 11-class label (gafgyt_tcp / gafgyt_udp),
# the ARFF is baiot's export of the ingested zips.  Weka takes ~2.5 min.
shared=${BAIOT_SHARED:-$here/../shared}
baiot=${BAIOT_BIN:-$here/build/baiot}
if [ -d "$shared/data/nbaiot/real" ] && [ -x "$baiot" ]; then
  tmp=$(mktemp -d)
  "$baiot" ingest -q "$shared"/data/nbaiot/real/Provision_PT_737E_Security_Camera.gafgyt.*.zip -o "$tmp/real.h5"
  "$baiot" export "$tmp/real.h5" --arff --task 11class -o "$tmp/real.arff"
  java -Xmx8g -cp "$jar" weka.attributeSelection.OneRAttributeEval -s weka.attributeSelection.Ranker \
       -i "$tmp/real.arff" > "$out/real_pt737e_gafgyt_tcp_udp.11class.txt"
  # and Weka's OneR with its 10-fold cross-validation (-i: per-class figures), ~50 s
  java -Xmx8g -cp "$jar" weka.classifiers.rules.OneR -t "$tmp/real.arff" -i \
       > "$here/tests/golden/weka/eval/real_pt737e_gafgyt_tcp_udp.11class.OneR.txt"
  rm -rf "$tmp"
fi
