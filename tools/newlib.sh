#!/bin/sh
# Build newlib for one Mica target from Debian's newlib-source tarball.
# Usage: tools/newlib.sh ARCH PREFIX
# The result (PREFIX/<triple>/{include,lib}) is cached: a stamp records the
# tarball, this script and the flags; an unchanged stamp means no rebuild.
set -eu

arch=$1
prefix=$2
tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "newlib: no tarball in /usr/src/newlib (package newlib-source)" >&2; exit 1; }

# Flags shared by every target: small code, no unwind tables, one section
# per function so the final link keeps only what is used.
common="-O2 -g -ffunction-sections -fdata-sections -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables"
case "$arch" in
x86_64)
	triple=x86_64-elf
	tools=""
	cflags="$common -mno-red-zone -mcmodel=small"
	;;
arm64)
	triple=aarch64-elf
	tools=aarch64-linux-gnu-
	cflags="$common -mstrict-align"
	;;
*) echo "newlib: unknown ARCH '$arch'" >&2; exit 2 ;;
esac

# Options: no syscalls of newlib's own (lib/ supplies them); the full
# printf family with long long and C99 formats but without floating point
# (%f/%e/%g cost ~27 KiB and would double hello's image); no locking (Mica
# threads are cooperative); a lite exit path.
opts="--disable-newlib-supplied-syscalls 
  --disable-newlib-multithread --enable-lite-exit
 --disable-newlib-fvwrite-in-streamio --disable-newlib-wide-orient
 --enable-newlib-global-atexit --disable-nls --disable-multilib
 --enable-newlib-io-long-long --enable-newlib-io-c99-formats --disable-newlib-io-float"

stamp_want=$(printf '%s\n' "$(sha256sum "$tarball" | cut -c1-64)" \
	"$(sha256sum "$0" | cut -c1-64)" "$cflags" "$opts" | sha256sum | cut -c1-64)
stamp="$prefix/.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_want" ] &&
	[ -f "$prefix/$triple/lib/libc.a" ]; then
	exit 0
fi

work="$prefix.work"
rm -rf "$work" "$prefix"
mkdir -p "$work/src" "$work/obj"
echo "newlib: building $(basename "$tarball") for $arch (about a minute; log: $work/build.log)"
tar -xf "$tarball" -C "$work/src" --strip-components=1
cd "$work/obj"
# shellcheck disable=SC2086
"$work/src/configure" --target="$triple" --prefix="$prefix" $opts \
	CC_FOR_TARGET="${tools}gcc" AR_FOR_TARGET="${tools}ar" \
	AS_FOR_TARGET="${tools}as" LD_FOR_TARGET="${tools}ld" \
	NM_FOR_TARGET="${tools}nm" RANLIB_FOR_TARGET="${tools}ranlib" \
	OBJDUMP_FOR_TARGET="${tools}objdump" \
	CFLAGS_FOR_TARGET="$cflags" >"$work/build.log" 2>&1 ||
	{ echo "newlib: configure failed, see $work/build.log" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" all-target-newlib >>"$work/build.log" 2>&1 ||
	{ echo "newlib: build failed, see $work/build.log" >&2; tail -20 "$work/build.log" >&2; exit 1; }
echo "newlib: installing into $prefix"
make install-target-newlib >>"$work/build.log" 2>&1 ||
	{ echo "newlib: install failed, see $work/build.log" >&2; exit 1; }
echo "$stamp_want" >"$stamp"
rm -rf "$work/src" "$work/obj"
echo "newlib: done ($arch)"
