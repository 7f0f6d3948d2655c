#!/bin/sh
# Build the libFuzzer targets into build/fuzz/ and run each for SECONDS.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 20; from anywhere)
#
# Seeds come from tests/fuzz/corpus/<target>/ (made by mkseeds.c when
# missing); what the fuzzer finds goes to build/fuzz/corpus/<target>/, and
# crashing inputs to build/fuzz/crashes/. Replay one with
#   build/fuzz/fuzz_<target> build/fuzz/crashes/<file>
# Prints "PASS fuzz_<target> (N runs)" or "FAIL fuzz_<target>: crash saved
# to <file>" per target, then one summary line; exits non-zero on a crash.
set -eu

cd "$(dirname "$0")/../.."
secs=${1:-20}
out=build/fuzz
CC=${FUZZ_CC:-clang}
TARGETS="start_info cmdline memmap heap fdt xenstore virtq netcsum"

case "$secs" in
'' | *[!0-9]*)
	echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
	exit 2
	;;
esac

mkdir -p "$out/crashes"

# Can we build a fuzzer at all? If not, install clang and its runtime.
have_fuzzer() {
	cat >"$out/probe.c" <<-EOF
		int LLVMFuzzerTestOneInput(const char *d, unsigned long n);
		int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
		{
			return d && n > 1 << 30;
		}
	EOF
	$CC -fsanitize=fuzzer,address,undefined "$out/probe.c" \
		-o "$out/probe" >/dev/null 2>&1
}
if ! have_fuzzer; then
	tools/deps.sh fuzz || true
	if ! have_fuzzer; then
		for t in $TARGETS; do
			echo "SKIP fuzz_$t: no $CC with libFuzzer" \
				"(tools/deps.sh fuzz failed)"
		done
		echo "0 passed, 0 failed, $(echo "$TARGETS" | wc -w) skipped"
		exit 0
	fi
fi
if [ ! -e build/include/xen ]; then
	mkdir -p build/include
	ln -sfn /usr/include/xen build/include/xen
fi

FLAGS="-std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Werror \
-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
-D_POSIX_TIMERS=1 -Iinclude -Iarch/x86/include -Ibuild/include -Itests/fuzz"

srcs() {
	case $1 in
	start_info) echo arch/x86/start_info.c kernel/memmap.c kernel/printk.c ;;
	cmdline) echo kernel/cmdline.c kernel/printk.c ;;
	memmap) echo kernel/memmap.c ;;
	xenstore) echo kernel/xen/xs_wire.c ;;
	virtq) echo drivers/virtio/virtq.c kernel/heap.c kernel/frame.c kernel/memmap.c kernel/printk.c ;;
	heap) echo kernel/frame.c kernel/memmap.c ;; # heap.c is included
	fdt) echo kernel/fdt.c kernel/devtree.c kernel/memmap.c kernel/printk.c ;;
	netcsum) echo drivers/virtio/net_csum.c ;;
	esac
}

max_len() {
	case $1 in
	start_info | fdt) echo 16384 ;;
	memmap) echo 2200 ;; # mode bytes and 128 wide ranges
	netcsum) echo 2049 ;; # options, header, one receive buffer's frame
	*) echo 4096 ;;
	esac
}

echo "fuzz: building $(for t in $TARGETS; do printf '%s ' "$out/fuzz_$t"; done)"
pids=""
for t in $TARGETS; do
	rm -f "$out/fuzz_$t"
	# shellcheck disable=SC2046,SC2086
	$CC $FLAGS -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" \
		tests/fuzz/fuzz_host.c $(srcs "$t") &
	pids="$pids $!"
done
failed_build=0
for pid in $pids; do
	wait "$pid" || failed_build=1
done
if [ "$failed_build" != 0 ]; then
	echo "fuzz: build failed" >&2
	exit 1
fi

for t in $TARGETS; do
	if ! ls "tests/fuzz/corpus/$t"/* >/dev/null 2>&1; then
		echo "fuzz: no seeds in tests/fuzz/corpus/$t: making them"
		# shellcheck disable=SC2086
		cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ibuild/include \
			-o "$out/mkseeds" tests/fuzz/mkseeds.c
		"$out/mkseeds" tests/fuzz/corpus
		break
	fi
done

passed=0
failed=0
for t in $TARGETS; do
	log="$out/fuzz_$t.log"
	mkdir -p "$out/corpus/$t"
	rc=0
	"$out/fuzz_$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" \
		-artifact_prefix="$out/crashes/fuzz_$t-" -print_final_stats=1 \
		"$out/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -n 1)
	if [ "$rc" = 0 ]; then
		echo "PASS fuzz_$t (${runs:-?} runs)"
		passed=$((passed + 1))
		continue
	fi
	saved=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" |
		tail -n 1)
	echo "FAIL fuzz_$t: crash saved to ${saved:-"(nothing; see $log)"}"
	# The why: the first report lines, and the fuzz_fail message.
	grep -E '^(fuzz: |==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" |
		head -n 5 | sed 's/^/  /'
	failed=$((failed + 1))
done
echo "$passed passed, $failed failed, 0 skipped"
[ "$failed" = 0 ]
