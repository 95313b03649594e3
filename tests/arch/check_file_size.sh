#!/usr/bin/env bash
# check_file_size.sh SOURCE_DIR [LIMIT] - no .c file of the library or the
# CLI (kernels/, io/, engine/, hpc/) is longer than LIMIT lines (1,200 by
# default): one concept per file (docs/ARCHITECTURE.md).  Lists the five
# largest.  Run by ctest as arch_file_size.
set -euo pipefail
src=$1; limit=${2:-1200}
cd "$src"
# (one listing, kept in a variable: `sort | head` under pipefail would fail
# on sort's SIGPIPE once the listing outgrows a pipe's buffer)
sizes=$(find kernels io engine hpc -name '*.c' -print0 | xargs -0 wc -l | grep -v ' total$' | sort -rn)
over=$(awk -v l="$limit" '$1 > l {print}' <<<"$sizes")
echo "largest .c files:"; sed -n 1,5p <<<"$sizes"
if [ -n "$over" ]; then echo "over $limit lines:"; echo "$over"; exit 1; fi
echo "no .c file over $limit lines"
