#!/bin/sh
# Fetch Debian's Xen hypervisor packages and unpack them (never install them)
# under build/xen/<arch>/. Idempotent: a second run does no network access.
# Usage: tests/xen/fetch.sh x86_64|arm64
# Prints the path of the unpacked hypervisor binary on its last line.
set -eu
cd "$(dirname "$0")/../.."
arch=$1
ver=4.17
case "$arch" in
x86_64) pkg=xen-hypervisor-$ver-amd64; want=boot/xen-$ver-amd64.gz ;;
arm64) pkg=xen-hypervisor-$ver-arm64:arm64; want=boot/xen-$ver-arm64 ;;
*) echo "fetch: unknown arch $arch" >&2; exit 2 ;;
esac
dir=build/xen/$arch
mkdir -p "$dir/debs" "$dir/root"
if [ ! -f "$dir/root/$want" ]; then
	if [ "$arch" = arm64 ] &&
		! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "fetch: enabling Debian's arm64 package lists (dpkg --add-architecture arm64)" >&2
		dpkg --add-architecture arm64
		apt-get update -q >/dev/null
	fi
	echo "fetch: downloading $pkg (apt-get download, not installed)" >&2
	(cd "$dir/debs" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
		apt-get update -q >/dev/null
		(cd "$dir/debs" && apt-get download -q "$pkg" >/dev/null)
	}
	for d in "$dir"/debs/*.deb; do
		dpkg -x "$d" "$dir/root"
	done
fi
[ -f "$dir/root/$want" ] || { echo "fetch: $want not found in $pkg" >&2; exit 1; }
if [ "$arch" = x86_64 ]; then
	# QEMU's multiboot loader takes the ELF, not the gzip.
	[ -f "$dir/xen.elf" ] || gunzip -c "$dir/root/$want" >"$dir/xen.elf"
	echo "$dir/xen.elf"
else
	echo "$dir/root/$want"
fi
