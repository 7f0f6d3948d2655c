#!/bin/sh
# Build the host unit tests into build/host/ and run them.
# Usage: tests/unit/run.sh [name-substring...]   (from anywhere)
#
# Two binaries: `unit` (AddressSanitizer + UBSan) for everything but the
# scheduler, and `unit_sched` (UBSan only: ASan does not follow the
# scheduler's own stack switching). Prints a PASS/FAIL line per test and
# one summary line; exits non-zero if anything failed.
set -eu

cd "$(dirname "$0")/../.."
out=build/host
CC=${CC:-gcc}
JOBS=${JOBS:-2}

if [ ! -e build/include/xen ]; then
	mkdir -p build/include
	ln -sfn /usr/include/xen build/include/xen
fi
if [ ! -e build/include/xen/arch-x86/hvm/start_info.h ]; then
	echo "unit: Xen headers missing: run tools/deps.sh x86_64" >&2
	exit 2
fi

INC="-Iinclude -Iarch/x86/include -Ibuild/include"
CFLAGS="-std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
-U_FORTIFY_SOURCE -D_POSIX_TIMERS=1 $INC"
TFLAGS="-std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
-U_FORTIFY_SOURCE $INC -Itests/unit"
ASAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
UBSAN="-fsanitize=undefined -fno-sanitize-recover=all"

KERNEL_SRCS="kernel/memmap.c kernel/frame.c kernel/heap.c kernel/cmdline.c
kernel/timer.c kernel/time.c kernel/printk.c kernel/symbols.c
kernel/fdt.c kernel/devtree.c arch/x86/start_info.c arch/x86/tsc_freq.c
kernel/xen/grant_refs.c kernel/xen/xs_wire.c kernel/xen/pvclock.c
kernel/xen/hcall_arena.c kernel/xen/hcall_audit.c kernel/xen/vcpu_areas.c
kernel/xen/hcall.c kernel/xen/xen_info.c arch/x86/m2p.c arch/x86/hypercall.c
arch/x86/xen_time.c arch/x86/hypercall_page.S drivers/virtio/virtq.c drivers/virtio/dma.c drivers/virtio/mmio.c
kernel/console_input.c
drivers/virtio/handshake.c drivers/virtio/console.c
drivers/virtio/net_csum.c
$(ls apps/conformance/*.c | grep -v -e /main.c -e /mica_ops.c)"
SCHED_KERNEL_SRCS="kernel/sched.c kernel/memmap.c kernel/frame.c
kernel/heap.c kernel/timer.c kernel/printk.c arch/x86/thread.c
arch/x86/switch.S"
TEST_SRCS=""
for f in tests/unit/test_*.c; do
	[ "$f" = tests/unit/test_sched.c ] || TEST_SRCS="$TEST_SRCS $f"
done
COMMON_SRCS="tests/unit/unit.c tests/unit/host_stubs.c"

echo "unit: building $out/unit and $out/unit_sched"
rm -rf "$out/obj"
mkdir -p "$out/obj"

# compile VARIANT FLAGS SOURCE...: objects to $out/obj/VARIANT/, $JOBS at
# a time; the object list goes to $out/obj/VARIANT.list.
compile() {
	variant=$1
	flags=$2
	shift 2
	: >"$out/obj/$variant.list"
	n=0
	for src in "$@"; do
		obj="$out/obj/$variant/$src.o"
		mkdir -p "$(dirname "$obj")"
		echo "$obj" >>"$out/obj/$variant.list"
		# shellcheck disable=SC2086
		{ $CC $flags -c "$src" -o "$obj" 2>"$obj.err" ||
			echo "$src" >>"$out/obj/failed"; } &
		n=$((n + 1))
		if [ "$n" -ge "$JOBS" ]; then
			wait
			n=0
		fi
	done
	wait
}

# Word splitting of the flag and source lists is intended below.
# shellcheck disable=SC2086
compile asan-k "$CFLAGS $ASAN" $KERNEL_SRCS
# shellcheck disable=SC2086
compile asan-t "$TFLAGS $ASAN" $COMMON_SRCS $TEST_SRCS
# shellcheck disable=SC2086
compile ubsan-k "$CFLAGS $UBSAN" $SCHED_KERNEL_SRCS
# shellcheck disable=SC2086
compile ubsan-t "$TFLAGS $UBSAN" $COMMON_SRCS tests/unit/test_sched.c
if [ -e "$out/obj/failed" ]; then
	find "$out/obj" -name '*.err' -size +0 -exec cat {} +
	echo "unit: compiling failed: $(tr '\n' ' ' <"$out/obj/failed")" >&2
	exit 1
fi
# shellcheck disable=SC2046,SC2086
$CC $ASAN -o "$out/unit" $(cat "$out/obj/asan-k.list" "$out/obj/asan-t.list")
# shellcheck disable=SC2046,SC2086
$CC $UBSAN -o "$out/unit_sched" \
	$(cat "$out/obj/ubsan-k.list" "$out/obj/ubsan-t.list")

# Run both; count their lines; a binary that fails without a FAIL line
# (it crashed outside any test) counts as a failure too.
: >"$out/results"
rm -f "$out"/*.rc
extra=0
for bin in unit unit_sched; do
	rc=0
	{
		"$out/$bin" -n "$@" || echo "$?" >"$out/$bin.rc"
	} | tee -a "$out/results"
	if [ -e "$out/$bin.rc" ]; then
		rc=$(cat "$out/$bin.rc")
		rm -f "$out/$bin.rc"
	fi
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$out/results"; then
		echo "FAIL $bin: exited with status $rc"
		extra=$((extra + 1))
	fi
done
passed=$(grep -c '^PASS ' "$out/results" || true)
failed=$(($(grep -c '^FAIL ' "$out/results" || true) + extra))
skipped=$(grep -c '^SKIP ' "$out/results" || true)
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
