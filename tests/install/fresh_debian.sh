#!/usr/bin/env bash
# fresh_debian.sh DEB [ROOT] - the .deb on a fresh Debian, by hand (it needs
# root, debootstrap and the Debian mirror, and takes minutes, so CI does not
# run it; .ci/run installs the package on the CI machine instead): makes a
# minimal Debian bookworm in ROOT (default /tmp/baiot-fresh-debian) with
# debootstrap --variant=minbase, copies DEB in, `apt install ./baiot_*.deb`
# there (dependencies from the mirror), then `baiot demo` in an empty
# folder inside it, and checks the report and the man page.
set -euo pipefail
deb=$(realpath "$1")
root=${2:-/tmp/baiot-fresh-debian}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" -eq 0 ] || { echo "fresh_debian.sh: needs root (chroot)"; exit 2; }
command -v debootstrap > /dev/null || { echo "fresh_debian.sh: apt-get install debootstrap"; exit 2; }
if [ ! -x "$root/usr/bin/apt-get" ]; then
  debootstrap --variant=minbase bookworm "$root" "$mirror"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "/tmp/$(basename "$deb")"
chroot "$root" sh -c 'rm -rf /tmp/demo && mkdir /tmp/demo && cd /tmp/demo && baiot demo -q && test -s baiot-demo/report.md && ls /usr/share/man/man1/baiot-demo.1*'
echo "fresh Debian: apt install ./$(basename "$deb") and baiot demo: ok"
