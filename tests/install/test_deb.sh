#!/usr/bin/env bash
# test_deb.sh BUILD_DIR - the Debian package of cmake/install.cmake (CPack):
# `cpack -G DEB` into a temporary folder; the package's control fields
# (name, version, Depends from dpkg-shlibdeps plus PLplot's cairo driver),
# its files (program, libbaiot.so.0, headers, pkg-config, CMake package, man
# pages, completions, all under /usr), apt accepting it (a simulated
# install: every dependency resolvable), and the program run from the
# unpacked tree.  The real `apt install ./baiot_*.deb` and `baiot demo` from
# it run in .ci/run (they change the machine).
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
(cd "$build" && cpack -G DEB -B "$tmp/pkg" > "$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$tmp"/pkg/baiot_*.deb)
[ -f "$deb" ] || fail "no baiot_*.deb"
echo "ok: $(basename "$deb") ($(du -k "$deb" | cut -f1) kB)"
[ "$(dpkg-deb -f "$deb" Package)" = baiot ] || fail "Package: $(dpkg-deb -f "$deb" Package)"
version=$("$BAIOT_BIN" --version | awk '{print $2}')
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version: $(dpkg-deb -f "$deb" Version), want $version"
deps=$(dpkg-deb -f "$deb" Depends)
for d in libhdf5 libopenblas libpcap libplplot plplot-driver-cairo libc6; do
  grep -q "$d" <<< "$deps" || fail "Depends lacks $d: $deps"
done
echo "ok: Depends: $deps"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/baiot ./usr/include/baiot/baiot.h ./usr/share/man/man1/baiot.1 \
         ./usr/share/man/man1/baiot-demo.1 ./usr/share/bash-completion/completions/baiot \
         ./usr/share/zsh/vendor-completions/_baiot; do
  grep -qx -- "$f" <<< "$files" || fail "the package lacks $f"
done
for f in 'libbaiot\.so\.0$' 'pkgconfig/baiot\.pc$' 'cmake/baiot/baiotConfig\.cmake$'; do
  grep -q -- "$f" <<< "$files" || fail "the package lacks */$f"
done
grep -v '^\./usr/' <<< "$files" | grep -v '^\./$' | grep . && fail "files outside /usr"
echo "ok: $(grep -vc '/$' <<< "$files") files, all under /usr"
apt-get install --simulate -qq "$deb" > "$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install --simulate"; }
echo "ok: apt accepts it (simulated install)"
dpkg-deb -x "$deb" "$tmp/root"
lib=$(dirname "$(find "$tmp/root" -name libbaiot.so.0 | head -1)")
LD_LIBRARY_PATH=$lib "$tmp/root/usr/bin/baiot" --version | grep -q "^baiot $version" || fail "the packaged baiot does not run"
echo "ok: the packaged baiot runs"
echo "PASS: deb"
