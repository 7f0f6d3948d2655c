#!/bin/sh
# `make bench ARCH=arm64` (tests/bench/run.sh runs it): Mica hello as a
# Xen 4.17 dom0less domU on qemu-system-aarch64 (TCG), the exact Image the
# tests boot, against the least a domU can do (xen-min-arm64.S: one line
# to the vpl011's data register, then SCHEDOP_shutdown), booted
# alternately, RUNS times each, with the same Xen, device tree (but for
# the module) and domU memory. Each run is one QEMU: from its start to
# the guest's verdict line in Xen's log (Mica: "mica: exit status 0";
# the reference: its one line); Xen then idles, and stopclock stops QEMU.
# Then the least domU memory Xen accepts, and whether hello boots there.
# Figures only, no assertions.
# Env: RUNS (default 10), BENCH_KIB (domU memory, default 65536).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/xen/arm64.sh
out=build/bench/arm64
mkdir -p "$out"
runs=${RUNS:-10}
kib=${BENCH_KIB:-65536}

say() { echo "bench-arm64: $*"; }

if ! XEN_ARM=$(tests/xen/fetch.sh arm64 2>"$out/fetch.log" | tail -n 1) ||
	[ ! -f "$XEN_ARM" ]; then
	say "skipped: could not fetch Xen ($(tail -n 1 "$out/fetch.log"))"
	exit 0
fi
make -s ARCH=arm64 APP=hello >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }
gcc -O2 -Wall -o "$out/stopclock" tests/bench/stopclock.c || exit 1
aarch64-linux-gnu-gcc -c -o "$out/xen-min-arm64.o" tests/bench/xen-min-arm64.S &&
	aarch64-linux-gnu-ld -nostdlib -T tests/bench/xen-min-arm64.ld \
		-o "$out/xen-min-arm64.elf" "$out/xen-min-arm64.o" &&
	aarch64-linux-gnu-objcopy -O binary "$out/xen-min-arm64.elf" \
		"$out/xen-min-arm64.Image" || exit 1

mica=build/arm64/hello/Image
ref=$out/xen-min-arm64.Image
if ! xen_arm64_dtb bench-mica "$mica" "$kib" "-- exit=0" 2>"$out/dtc.log" ||
	! xen_arm64_dtb bench-ref "$ref" "$kib" "" 2>>"$out/dtc.log"; then
	say "device tree failed: $(head -n 1 "$out/dtc.log")"
	exit 1
fi

# boot NAME IMAGE MARKER...: one QEMU run; prints the markers' times.
boot() {
	n=$1
	img=$2
	shift 2
	# shellcheck disable=SC2086 # the QEMU command line is words
	"$out/stopclock" 30 "$@" "!Panic on CPU" -- $XEN_ARM_QEMU -serial stdio \
		-kernel "$XEN_ARM" -dtb "$out/$n.dtb" \
		-device loader,file="$img",addr=$XEN_ARM_LOAD,force-raw=on
}

: >"$out/mica.txt"
: >"$out/ref.txt"
say "$runs boots each of Xen + $mica and Xen + the reference, alternated, $kib KiB domUs"
for i in $(seq "$runs"); do
	# Times: Xen's dom0less line, the guest's first line, its verdict.
	boot bench-mica "$mica" "Xen dom0less mode detected" "DOM1: Mica " \
		"DOM1: mica: exit status 0" 2>"$out/mica-$i.log" >>"$out/mica.txt"
	boot bench-ref "$ref" "Xen dom0less mode detected" \
		"DOM1: hello from the reference" "DOM1: hello from the reference" \
		2>"$out/ref-$i.log" >>"$out/ref.txt"
	printf '.'
done
echo
# Each line: xen first verdict panic, in ms (-1: never). A good run has a
# verdict and no panic; Mica's own boot time comes from its log.
good() { awk '$3 >= 0 && $4 < 0' "$1"; }
stats() { # FIELD: min median max of that field of the good runs on stdin
	awk -v f="$1" '{ print $f }' | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { printf "- - -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f", v[1], m, v[NR] }'
}
med() { stats "$2" <"$1" | awk '{ print $2 }'; }
good "$out/mica.txt" >"$out/mica.good"
good "$out/ref.txt" >"$out/ref.good"
cat "$out"/mica-*.log | tr -d '\r' |
	sed -n 's/.*DOM1: boot: \([0-9]*\) us from entry to app start.*/\1/p' \
		>"$out/internal.txt"
size=$(stat -c %s "$mica")
rsize=$(stat -c %s "$ref")
bss=$(aarch64-linux-gnu-size -A build/arm64/hello/mica.dbg.elf |
	awk '$1 == ".bss" { print $2 }')

printf '%-46s %5s %8s %8s %8s\n' "QEMU start -> verdict line (ms), Xen dom0less" ok min median max
# shellcheck disable=SC2046,SC2183 # stats prints three numbers
printf '%-46s %2s/%-2s %8s %8s %8s\n' "mica hello ($size bytes)" \
	"$(wc -l <"$out/mica.good")" "$runs" $(stats 3 <"$out/mica.good")
# shellcheck disable=SC2046,SC2183
printf '%-46s %2s/%-2s %8s %8s %8s\n' "reference Image ($rsize bytes)" \
	"$(wc -l <"$out/ref.good")" "$runs" $(stats 3 <"$out/ref.good")
# shellcheck disable=SC2046,SC2183
printf '%-46s %2s/%-2s %8s %8s %8s\n' "  mica: QEMU start -> its first line" \
	"$(wc -l <"$out/mica.good")" "$runs" $(stats 2 <"$out/mica.good")
# shellcheck disable=SC2046,SC2183
printf '%-46s %2s/%-2s %8s %8s %8s\n' "  both: QEMU start -> Xen's dom0less line" \
	"$(cat "$out/mica.good" "$out/ref.good" | wc -l)" "$((runs * 2))" \
	$(cat "$out/mica.good" "$out/ref.good" | stats 1)
awk -v m="$(med "$out/mica.good" 3)" -v r="$(med "$out/ref.good" 3)" 'BEGIN {
	if (r > 0) printf "ratio mica/reference (median): %.2f; difference %.1f ms\n", m / r, m - r }'
echo "(hello's verdict follows its thread test, whose second thread sleeps 40 ms)"
awk -v s="$size" -v b="${bss:-0}" 'BEGIN {
	printf "image size: %d bytes = %.1f KiB (BSS %d KiB more, not in the file)\n", s, s / 1024, b / 1024 }'
echo "mica's own time, entry to app start (generic timer, median): $(sort -n "$out/internal.txt" |
	awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }') us"

# The least memory: Xen puts the DTB (padded to 2 MiB) at the top of a
# small domain's RAM, strictly above the kernel's end rounded up to 2 MiB
# (or below the kernel, where 512 KiB is too little): 4 MiB is one page
# short. Step up a page at a time from 4096 KiB to the first size Xen
# builds the domain in, then see what hello does there.
k=4096
found=
while [ $k -le 4160 ]; do
	xen_arm64_dtb bench-mem-$k "$mica" $k "-- exit=0" 2>>"$out/dtc.log" || break
	r=$(boot bench-mem-$k "$mica" "DOM1: Mica " "DOM1: mica: exit status" \
		2>"$out/mem-$k.log")
	why=$(grep -a -A1 "Panic on CPU" "$out/mem-$k.log" | tail -n 1 | tr -d '\r' |
		sed 's/^(XEN) //')
	if [ -z "$why" ]; then
		found=$k
		break
	fi
	echo "memory = $k KiB: Xen panics: $why"
	k=$((k + 4))
done
if [ -z "$found" ]; then
	echo "memory: Xen built no domain from 4096 to 4160 KiB: see $out/mem-*.log"
	exit 0
fi
log=$out/mem-$k.log
usable=$(tr -d '\r' <"$log" | sed -n 's/.*DOM1: memory: \([0-9]*\) KiB usable.*/\1/p')
st=$(tr -d '\r' <"$log" | sed -n 's/.*DOM1: mica: exit status \([0-9]*\).*/\1/p')
if [ -n "$st" ]; then
	echo "memory = $k KiB: Xen builds the domain; hello boots (exit status $st, ${usable:-?} KiB usable, verdict at $(echo "$r" | awk '{ print $2 }') ms)"
else
	echo "memory = $k KiB: Xen builds the domain; hello does not reach its verdict (image $size bytes + BSS ${bss:-?} bytes, mainstack 256 KiB): see $log"
fi
