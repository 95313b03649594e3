#!/bin/sh
# bench/checked_reads.sh - the cost of checked store reads (docs/STORE.md,
# "Checked reads"; figures in docs/PERFORMANCE.md): for each store given,
# bench_store_read (every column read, checked and unchecked, interleaved)
# and `baiot rank STORE` with and without --no-verify, interleaved, RUNS
# times each (default 5); prints medians, the thread count and the load.
# Usage: bench/checked_reads.sh [--runs N] STORE...   (run from the source root, after a build)
runs=5
if [ "$1" = "--runs" ]; then runs=$2; shift 2; fi
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for store in "$@"; do
    echo "== $store ($(build/baiot info "$store" | awk '/^rows:/ {print $2}') rows), threads ${OMP_NUM_THREADS:-$(nproc)}, load $(cut -d' ' -f1-3 /proc/loadavg)"
    build/bench_store_read "$store" --runs "$runs" || exit 1
    : > /tmp/cr.$$.on; : > /tmp/cr.$$.off
    i=0
    while [ $i -lt "$runs" ]; do
        for mode in on off; do
            flag=; [ $mode = off ] && flag=--no-verify
            t0=$(date +%s.%N)
            build/baiot rank "$store" $flag > /dev/null || exit 1
            t1=$(date +%s.%N)
            echo "$t1 - $t0" | bc >> /tmp/cr.$$.$mode
        done
        i=$((i + 1))
    done
    echo "rank checked:   median $(median < /tmp/cr.$$.on) s of $runs ($(sort -n /tmp/cr.$$.on | tr '\n' ' '))"
    echo "rank unchecked: median $(median < /tmp/cr.$$.off) s of $runs ($(sort -n /tmp/cr.$$.off | tr '\n' ' '))"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -f /tmp/cr.$$.on /tmp/cr.$$.off
done
