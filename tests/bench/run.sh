#!/bin/sh
# `make bench`: boot time and size of the exact image the tests boot,
# against the smallest possible PVH image on the same console, measured
# alternately in the same run, on bare QEMU; then the same under Xen as
# PVH and PV domUs (tests/bench/xen.sh); for arm64, tests/bench/arm64.sh.
# Figures, not assertions.
# Usage: tests/bench/run.sh [ARCH] (env RUNS, default 10: bare QEMU boots
# of each; XEN_RUNS, default 6: Xen runs of each guest, 0 skips Xen)
set -eu
cd "$(dirname "$0")/../.."
arch=${1:-x86_64}
runs=${RUNS:-10}
out=build/bench
mkdir -p "$out"

# arm64: Mica under Xen dom0less against a minimal domU (tests/bench/arm64.sh).
[ "$arch" != arm64 ] || exec tests/bench/arm64.sh
if [ "$arch" != x86_64 ]; then
	echo "bench: ARCH=$arch is not supported (x86_64 and arm64)"
	exit 0
fi

make -s ARCH=x86_64 APP=hello >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }
gcc -O2 -Wall -o "$out/bootclock" tests/bench/bootclock.c
gcc -c -Ibuild/include -o "$out/pvh-min.o" tests/bench/pvh-min.S
ld -nostdlib -z max-page-size=16 -T tests/bench/pvh-min.ld \
	-o "$out/pvh-min.elf" "$out/pvh-min.o"

mica=build/x86_64/hello/mica.elf
ref=$out/pvh-min.elf
q="qemu-system-x86_64 -M pc -accel tcg -cpu qemu64 -m 128M -display none -monitor none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04"

: >"$out/mica.txt"
: >"$out/ref.txt"
: >"$out/internal.txt"
echo "bench: $runs boots each of $mica and the reference, alternated"
for i in $(seq "$runs"); do
	r=$("$out/bootclock" "hello from Mica" 30 $q -kernel "$mica" 2>"$out/mica-$i.log")
	echo "$r" | sed 's/.*first_ms=\([0-9.-]*\).*/\1/' >>"$out/mica.txt"
	sed -n 's/^boot: \([0-9]*\) us from entry to app start.*/\1/p' \
		"$out/mica-$i.log" >>"$out/internal.txt"
	r=$("$out/bootclock" "hello from the reference" 30 $q -kernel "$ref" 2>"$out/ref-$i.log")
	echo "$r" | sed 's/.*first_ms=\([0-9.-]*\).*/\1/' >>"$out/ref.txt"
	printf '.'
done
echo

stats() { # min median max of a file of numbers
	sort -n "$1" | awk '{v[NR] = $1} END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f", v[1], m, v[NR] }'
}
set -- $(stats "$out/mica.txt")
mmin=$1 mmed=$2 mmax=$3
set -- $(stats "$out/ref.txt")
rmin=$1 rmed=$2 rmax=$3
size=$(stat -c %s "$mica")
rsize=$(stat -c %s "$ref")
imed=$(stats "$out/internal.txt" | awk '{print $2}')

printf '%-34s %10s %10s %10s\n' "QEMU start -> first line (ms)" min median max
printf '%-34s %10s %10s %10s\n' "mica hello ($size bytes)" "$mmin" "$mmed" "$mmax"
printf '%-34s %10s %10s %10s\n' "reference PVH image ($rsize bytes)" "$rmin" "$rmed" "$rmax"
awk -v m="$mmed" -v r="$rmed" 'BEGIN {
	printf "ratio mica/reference (median): %.3f; difference %.1f ms\n", m / r, m - r }'
awk -v s="$size" 'BEGIN { printf "image size: %d bytes = %.1f KiB (goal: under 64 KiB)\n", s, s / 1024 }'
echo "mica's own time, entry to app start (TSC, median): ${imed} us"

echo
tests/bench/xen.sh

echo
# HTTP: Mica's httpd against a Linux guest on the same QEMU (HTTP_ROUNDS=0
# skips it).
if [ "${HTTP_ROUNDS:-3}" != 0 ]; then
	ROUNDS=${HTTP_ROUNDS:-3} tests/bench/http.sh
fi
