#!/bin/sh
# Build the Linux dom0 that the x86_64 domU tier boots under Xen: Debian's
# kernel, and an initramfs with busybox, xenstored, xenconsoled, xl and
# their shared libraries, the Xen kernel modules and tests/xen/dom0/init.
# Everything comes from Debian's .debs, fetched with `apt-get download`
# and unpacked with `dpkg -x` under build/xen/x86_64/dom0/ (never
# installed on the host).
#
# Usage: tests/xen/dom0/build.sh
# Exit status: 0 built (or already built), 3 the packages could not be
# fetched (no network or no Debian mirror), 1 any other failure.
# Progress and errors go to stderr ("xen-dom0: ..."); on success the last
# line on stdout is "VMLINUX INITRAMFS BUSYBOX":
#   VMLINUX    build/xen/x86_64/dom0/vmlinux (the kernel as an ELF: Xen
#              loads it without decompressing, which saves seconds)
#   INITRAMFS  build/xen/x86_64/dom0/initramfs.cpio.gz
#   BUSYBOX    a static busybox the harness runs on the host (its cpio
#              makes the per-run jobs archive; the host has no cpio)
#
# Idempotent: the .debs, the unpacked tree, vmlinux and the initramfs are
# each made once; a stamp over this script, the init and the package list
# makes a second run do no network access and no rebuild. Delete
# build/xen/x86_64/dom0/ to start over.
set -eu
cd "$(dirname "$0")/../../.."

self=tests/xen/dom0/build.sh
dir=build/xen/x86_64/dom0
debs=$dir/debs
root=$dir/root
stage=$dir/initramfs
init=tests/xen/dom0/init
xenver=4.17
xenbin=usr/lib/xen-$xenver/bin
libdirs="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu"
# The dom0 kernel's Xen drivers that Debian builds as modules, in load
# order (xenfs needs xen-privcmd). The rest (event channels' core, xenbus,
# the console, the balloon) are built in (CONFIG_XEN_*=y).
modules="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs/xenfs"
# The Xen tools the init runs; `xenstore` is one binary behind the
# xenstore-* names.
tools="xl xenstored xenconsoled xen-init-dom0"
xenstore_cmds="read write ls rm list exists watch chmod"
# Packages: the kernel (linux-image-amd64 names the real one), Xen's tools
# and every library they link against (checked below: a missing one stops
# the build and names itself), and a static busybox.
pkgs_fixed="xen-utils-$xenver xen-utils-common xenstore-utils busybox-static
libxenmisc$xenver libxenstore4 libxencall1 libxenevtchn1 libxenforeignmemory1
libxengnttab1 libxentoollog1 libxentoolcore1 libxendevicemodel1 libxenhypfs1
libyajl2 libc6 libgcc-s1 liblzma5 libuuid1 libzstd1 zlib1g"

say() { echo "xen-dom0: $*" >&2; }
die() { echo "xen-dom0: error: $*" >&2; exit 1; }
# Exit status 3: the packages could not be fetched (no network, no mirror);
# the harness reports that as a skip, any other failure as a failure.
die_fetch() { echo "xen-dom0: error: $*" >&2; exit 3; }

for t in apt-get apt-cache dpkg readelf xz gzip sha256sum od; do
	command -v "$t" >/dev/null 2>&1 ||
		die "'$t' is not installed on this machine (needed to build the dom0)"
done

stamp_now() {
	{
		cat "$self" "$init"
		cat "$debs/.fetched" 2>/dev/null
	} | sha256sum | cut -d' ' -f1
}

ready() {
	say "ready: $dir/vmlinux $dir/initramfs.cpio.gz $dir/busybox"
	echo "$dir/vmlinux $dir/initramfs.cpio.gz $dir/busybox"
}

if [ -f "$dir/.stamp" ] && [ -f "$dir/vmlinux" ] &&
	[ -f "$dir/initramfs.cpio.gz" ] && [ -x "$dir/busybox" ] &&
	[ "$(cat "$dir/.stamp")" = "$(stamp_now)" ]; then
	ready
	exit 0
fi
mkdir -p "$debs"

# --- fetch -------------------------------------------------------------
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}

download() {
	(cd "$debs" && apt-get download -q "$@" >"../apt-download.log" 2>&1)
}

fetched=yes
for p in $pkgs_fixed; do
	grep -qx "$p" "$debs/.fetched" 2>/dev/null || fetched=no
done
if [ "$fetched" = no ]; then
	kpkg=$(kernel_pkg)
	if [ -z "$kpkg" ]; then
		say "apt-get update (linux-image-amd64 is not in the package lists)"
		apt-get update -q >/dev/null 2>&1 ||
			die_fetch "apt-get update failed: no network or no Debian mirror?"
		kpkg=$(kernel_pkg)
		[ -n "$kpkg" ] ||
			die "linux-image-amd64 names no linux-image-6.x package (apt-cache depends linux-image-amd64)"
	fi
	# shellcheck disable=SC2086
	set -- $kpkg $pkgs_fixed
	say "fetching $# packages ($kpkg, xen-utils-$xenver, its libraries, busybox-static) with apt-get download"
	rm -f "$debs"/*.deb
	if ! download "$@"; then
		say "apt-get download failed; apt-get update and one more try"
		apt-get update -q >/dev/null 2>&1 ||
			die_fetch "apt-get update failed: no network or no Debian mirror? ($(tail -n 1 "$dir/apt-download.log"))"
		kpkg=$(kernel_pkg)
		# shellcheck disable=SC2086
		set -- $kpkg $pkgs_fixed
		download "$@" ||
			die_fetch "apt-get download failed: $(tail -n 1 "$dir/apt-download.log")"
	fi
	for p in "$@"; do
		ls "$debs/${p}_"*.deb >/dev/null 2>&1 ||
			die "package $p was not downloaded (see $dir/apt-download.log)"
	done
	printf '%s\n' "$@" >"$debs/.fetched"
	rm -f "$root/.unpacked" "$dir/vmlinux"
fi
kpkg=$(head -n 1 "$debs/.fetched")
kver=${kpkg#linux-image-}

# --- unpack ------------------------------------------------------------
if [ ! -f "$root/.unpacked" ]; then
	say "unpacking $(wc -l <"$debs/.fetched") packages into $root (dpkg -x)"
	rm -rf "$root"
	mkdir -p "$root"
	for d in "$debs"/*.deb; do
		dpkg -x "$d" "$root" || die "dpkg -x $d failed"
	done
	touch "$root/.unpacked"
fi

# --- vmlinux: the bzImage's payload, decompressed ----------------------
# The x86 boot header gives setup_sects (0x1f1, one byte; 0 means 4),
# and payload_offset / payload_length (0x248 / 0x24c, 32-bit, relative to
# the protected-mode code that starts after the setup sectors).
if [ ! -f "$dir/vmlinux" ]; then
	bz=$root/boot/vmlinuz-$kver
	[ -f "$bz" ] || die "$bz not found in $kpkg"
	say "decompressing $bz to an ELF vmlinux"
	u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
	u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
	[ "$(od -An -c -j 0x202 -N4 "$bz" | tr -d ' ')" = HdrS ] ||
		die "$bz has no x86 boot header (HdrS)"
	ss=$(u8 "$bz" 0x1f1)
	[ "$ss" -eq 0 ] && ss=4
	off=$(( (ss + 1) * 512 + $(u32 "$bz" 0x248) ))
	len=$(u32 "$bz" 0x24c)
	magic=$(od -An -tx1 -j "$off" -N4 "$bz" | tr -d ' ')
	case "$magic" in
	fd377a58) unz="xz -dc --single-stream" ;;
	1f8b*) unz="gzip -dc" ;;
	28b52ffd) unz="zstd -dcq" ;;
	*) die "$bz: unknown payload compression (magic $magic)" ;;
	esac
	tail -c +$((off + 1)) "$bz" | head -c "$len" | $unz >"$dir/vmlinux.tmp" 2>/dev/null || true
	[ "$(od -An -c -N4 "$dir/vmlinux.tmp" | tr -d ' ')" = 177ELF ] ||
		die "decompressing $bz ($unz) gave no ELF"
	mv "$dir/vmlinux.tmp" "$dir/vmlinux"
fi

# --- initramfs -----------------------------------------------------------
say "building initramfs (busybox, xl, xenstored, xenconsoled, libraries, modules)"
bb=$root/bin/busybox
[ -x "$bb" ] || die "$bb not found in busybox-static"
cp "$bb" "$dir/busybox"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/lib/x86_64-linux-gnu" "$stage/lib64" \
	"$stage/lib/modules" "$stage/$xenbin" "$stage/usr/bin" "$stage/etc/xen" \
	"$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/run" \
	"$stage/var/lib/xen" "$stage/var/log/xen/console" "$stage/var/lock" \
	"$stage/jobs"
ln -s ../run "$stage/var/run"
cp "$bb" "$stage/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
done
cp "$init" "$stage/init"
chmod 755 "$stage/init"
cp "$root/etc/xen/xl.conf" "$stage/etc/xen/" 2>/dev/null || true

for t in $tools; do
	[ -f "$root/$xenbin/$t" ] || die "$xenbin/$t not found in xen-utils-$xenver"
	cp "$root/$xenbin/$t" "$stage/$xenbin/$t"
done
[ -f "$root/usr/bin/xenstore" ] || die "usr/bin/xenstore not found in xenstore-utils"
cp "$root/usr/bin/xenstore" "$stage/usr/bin/xenstore"
for c in $xenstore_cmds; do
	ln -s xenstore "$stage/usr/bin/xenstore-$c"
done

# Shared libraries: the closure of DT_NEEDED over the tools, each taken
# from the unpacked packages (never from the host).
find_lib() {
	for d in $libdirs; do
		if [ -e "$root/$d/$1" ]; then
			echo "$root/$d/$1"
			return 0
		fi
	done
	return 1
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
todo=""
for t in $tools; do todo="$todo $stage/$xenbin/$t"; done
todo="$todo $stage/usr/bin/xenstore"
# glibc dlopen()s libgcc_s for pthread_cancel (xl uses it): not NEEDED.
src=$(find_lib libgcc_s.so.1) || die "libgcc_s.so.1 not found in libgcc-s1"
cp -L "$src" "$stage/lib/x86_64-linux-gnu/"
have=" libgcc_s.so.1 "
while [ -n "$todo" ]; do
	# shellcheck disable=SC2086 # a list of paths without spaces
	set -- $todo
	f=$1
	shift
	todo="$*"
	for l in $(needed "$f"); do
		case "$have" in *" $l "*) continue ;; esac
		src=$(find_lib "$l") ||
			die "${f#"$stage"/} needs $l, which no fetched package provides: add its package to pkgs_fixed in $self"
		cp -L "$src" "$stage/lib/x86_64-linux-gnu/$l"
		have="$have$l "
		todo="$todo $stage/lib/x86_64-linux-gnu/$l"
	done
done
interp=$(readelf -l "$stage/$xenbin/xl" |
	sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
[ "$interp" = /lib64/ld-linux-x86-64.so.2 ] ||
	die "xl asks for the interpreter '$interp', expected /lib64/ld-linux-x86-64.so.2"
src=$(find_lib ld-linux-x86-64.so.2) || die "ld-linux-x86-64.so.2 not found in libc6"
cp -L "$src" "$stage/lib64/ld-linux-x86-64.so.2"

for m in $modules; do
	ko=$root/lib/modules/$kver/kernel/drivers/xen/$m.ko
	[ -f "$ko" ] || die "module $m.ko not found in $kpkg"
	cp "$ko" "$stage/lib/modules/"
done

# A newc cpio (owners as they are here: dom0 runs everything as root
# anyway), gzip'd.
bbabs=$(pwd)/$bb
(cd "$stage" && find . | sort | "$bbabs" cpio -o -H newc 2>/dev/null) \
	>"$dir/initramfs.cpio" || die "cpio of $stage failed"
gzip -6 -n -c "$dir/initramfs.cpio" >"$dir/initramfs.cpio.gz"
rm -f "$dir/initramfs.cpio"
say "initramfs: $(du -sk "$stage" | cut -f1) KiB unpacked, $(($(stat -c %s "$dir/initramfs.cpio.gz") / 1024)) KiB gzip'd"
stamp_now >"$dir/.stamp"
ready
