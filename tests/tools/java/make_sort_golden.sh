#!/bin/sh
# make_sort_golden.sh - regenerates tests/golden/weka/sort/instances_sort.txt
# (the row orders Weka 3.6.14's Instances.sort leaves, sort after sort; read
# by tests/unit/test_weka_sort.c) by running tests/tools/java/WekaInstancesSort.java.
#
# Usage: tests/tools/java/make_sort_golden.sh   (from anywhere; needs java,
# javac and weka.jar; WEKA_JAR overrides /usr/share/java/weka.jar).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
out=$src/tests/golden/weka/sort
weka=${WEKA_JAR:-/usr/share/java/weka.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
javac -nowarn -cp "$weka" -d "$tmp" "$here/WekaInstancesSort.java"
mkdir -p "$out"
{
  echo "# made by tests/tools/java/make_sort_golden.sh:"
  echo "#   java -cp $weka:CLASSES WekaInstancesSort 1 2 3 7 40 300 1000"
  echo "#   java -cp $weka:CLASSES WekaInstancesSort 2 5 64 257 2000"
  echo "# $(java -cp "$weka" weka.core.Version | head -n 1), $(java -version 2>&1 | head -n 1)"
  java -cp "$weka:$tmp" WekaInstancesSort 1 2 3 7 40 300 1000
  java -cp "$weka:$tmp" WekaInstancesSort 2 5 64 257 2000
} > "$out/instances_sort.txt"
