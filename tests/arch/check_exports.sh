#!/usr/bin/env bash
# check_exports.sh LIBBAIOT_SO [LIBBAIOT_A] - the shared library exports
# only the public API: every defined dynamic symbol starts with baiot_ (the
# library is built with -fvisibility=hidden; include/baiot/*.h opens
# default visibility with BAIOT_BEGIN_DECLS).  With the static library,
# also every external symbol of its objects (internal ones included) is
# baiot_-prefixed, so linking libbaiot.a clashes with no other library
# (libpcap's pcap_*, a JSON library's json_*).  Lists offenders.
# Run by ctest as arch_exports.
set -euo pipefail
lib=$1
# (a sanitizer build adds its own markers, __odr_asan.* etc.: not ours)
syms=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^$' | grep -v '^__\(odr_asan\|asan\|ubsan\|sancov\)' | sort)
bad=$(echo "$syms" | grep -v '^baiot_' || true)
n=$(echo "$syms" | grep -c '^baiot_' || true)
echo "$lib: $n exported symbols, all baiot_*: $([ -z "$bad" ] && echo yes || echo no)"
if [ -n "$bad" ]; then
    echo "exported without the baiot_ prefix:"; echo "$bad" | sed 's/^/  /'
    exit 1
fi
[ "$n" -gt 0 ]
if [ -n "${2:-}" ]; then
    bad=$(nm -g --defined-only "$2" 2>/dev/null | awk 'NF==3 && $2 ~ /[TDBRCV]/ {print $3}' | grep -v '^baiot_' |
          grep -v '^__\(odr_asan\|asan\|ubsan\|sancov\)' | sort -u || true)
    echo "$2: external symbols without the baiot_ prefix: $(echo -n "$bad" | grep -c . || true)"
    if [ -n "$bad" ]; then echo "$bad" | sed 's/^/  /'; exit 1; fi
fi
