#!/bin/sh
# `make bench` on Xen (tests/bench/run.sh runs it after the bare-QEMU
# part): in ONE boot of Debian's Xen 4.17 with the Linux dom0 of the domU
# test tier (QEMU, TCG), boot alternately, RUNS times each:
#   mica hello as a PVH domU and as a PV domU (the image the tests boot),
#   the minimal PVH domU (xen-min-pvh.S: one line to port 0xe9, shutdown),
#   the minimal PV domU (xen-min-pv.S: one line to the console ring,
#   shutdown),
# and time each from its unpause to its first line, in Xen's clock:
#   - dom0 (xen-dom0.sh) creates the guest paused (`xl create -p`), then
#     xen-bootmark puts a mark in Xen's log (debug key 'G') and unpauses
#     it at once: the start;
#   - PVH: the guest's first port-0xe9 line, "(dN) [time] ...";
#   - PV: the console ring is not in Xen's log, so xen-bootmark marks
#     Xen's log again the moment it reads the first line from the guest's
#     console pty: the time includes the relay (ring, event, xenconsoled,
#     pty) and waiting for dom0 to get the CPU.
# Xen runs with console_timestamps=boot (microseconds) and the credit
# scheduler with sched_ratelimit_us=0, so that dom0, woken by the console
# event, preempts the guest at once (under the default credit2 it did not:
# even the minimal PV guest's line reached dom0 8-10 ms late).
# Figures only, no assertions. Env: XEN_RUNS (default 6; 0 skips this).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/xen/x86.sh
out=build/bench/xen
mkdir -p "$out"
runs=${XEN_RUNS:-6}
[ "$runs" -gt 0 ] || exit 0
# Memory (MiB) each guest gets: the least each boots hello in. Mica as
# PVH boots in 2 MiB (under 600 KiB usable: hello's two threads need a smaller
# main stack); as PV it needs 4, as the probe run below shows.
mem_mica_pvh=2
mem_mica_pv=4
mem_min=2

say() { echo "bench-xen: $*"; }

if ! xen_x86_domU_prepare >"$out/prepare.log" 2>&1; then
	say "skipped: $(grep '^SKIP\|^FAIL' "$out/prepare.log" | tail -n 1)"
	exit 0
fi
# The minimal PVH image links like the bare-QEMU one (pvh-min.ld).
for m in "pvh pvh-min" "pv xen-min-pv"; do
	# shellcheck disable=SC2086 # two words
	set -- $m
	gcc -c -Ibuild/include -o "$out/xen-min-$1.o" "tests/bench/xen-min-$1.S" &&
		ld -nostdlib -z max-page-size=16 -T "tests/bench/$2.ld" \
			-o "$out/xen-min-$1.elf" "$out/xen-min-$1.o" || exit 1
done
if ! gcc -static -O2 -Wall -o "$out/xen-bootmark" tests/bench/xen-bootmark.c \
	>"$out/bootmark-build.log" 2>&1; then
	say "skipped: cannot build the static dom0 helper: $(head -n 1 "$out/bootmark-build.log")"
	exit 0
fi

XEN_X86_DOMU_ARGS="$XEN_X86_DOMU_ARGS console_timestamps=boot sched=credit sched_ratelimit_us=0"
xen_x86_domU_begin
XL_MEMORY=$mem_mica_pvh xen_x86_domU_cfg bench-mica-pvh "$hello" "mainstack=64 -- exit=0"
XL_MEMORY=$mem_mica_pv XL_TYPE=pv xen_x86_domU_cfg bench-mica-pv "$hello" "-- exit=0"
XL_MEMORY=$mem_min xen_x86_domU_cfg bench-min-pvh "$out/xen-min-pvh.elf" ""
XL_MEMORY=$mem_min XL_TYPE=pv xen_x86_domU_cfg bench-min-pv "$out/xen-min-pv.elf" ""
XL_MEMORY=2 XL_TYPE=pv xen_x86_domU_cfg bench-mica-pv-2m "$hello" "-- exit=0"
cp "$out/xen-bootmark" tests/bench/xen-dom0.sh "$du_dir/jobs/"
guests=""
for _ in $(seq "$runs"); do
	guests="$guests bench-mica-pvh bench-mica-pv bench-min-pvh bench-min-pv"
done
# shellcheck disable=SC2086 # a list of names
xen_x86_domU_dom0_run $((runs * 4 * 6 + 10)) sh /jobs/xen-dom0.sh 15 $guests bench-mica-pv-2m
say "one Xen + Linux dom0 boot: $runs runs each of 4 guests, alternated, and a probe"
xen_x86_domU_run >"$out/run.log" 2>&1
say "dom0 ready after ${du_ready:-?} s, all in $du_secs s ($du_end); serial log $du_serial"

# One line per run: NAME MS BOOT_US REASON USABLE_KIB. MS: unpause mark to
# the first "(dN)" line (PVH) or to the second mark (PV); BOOT_US: Mica's
# "boot: N us from entry to app start".
tr -d '\r' <"$du_serial" | awk '
	function ts(line) {	# "(XEN) [   12.345678] ..." -> seconds
		sub(/^[^[]*\[ */, "", line); sub(/\].*/, "", line); return line + 0
	}
	/^=== bench .* run [0-9]+ domid [0-9]+$/ {
		name = $3; dom = "(d" $NF ")"; m1 = m2 = first = boot = usable = ""; inrun = 1; next
	}
	!inrun { next }
	/^\(XEN\) \[ *[0-9.]+\] .G. pressed/ {
		if (m1 == "") m1 = ts($0); else if (m2 == "") m2 = ts($0); next
	}
	index($0, dom " [") == 1 && first == "" { first = ts($0) }
	/boot: [0-9]+ us from entry to app start/ {
		boot = $0; sub(/.*boot: /, "", boot); sub(/ us.*/, "", boot)
	}
	/memory: [0-9]+ KiB usable/ {
		usable = $0; sub(/.*memory: /, "", usable); sub(/ KiB.*/, "", usable)
	}
	/^=== bench .* end reason=/ {
		reason = $NF; sub(/reason=/, "", reason)
		end = (name ~ /pvh/) ? first : m2
		ms = (m1 != "" && end != "") ? sprintf("%.3f", (end - m1) * 1000) : "-"
		print name, ms, (boot == "" ? "-" : boot), reason, (usable == "" ? "-" : usable)
		inrun = 0
	}' >"$out/runs.txt"

stats() { # FORMAT: min median max of the numbers on stdin
	sort -n | awk -v f="$1" '{v[NR] = $1} END {
		if (NR == 0) { printf "- - -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf f " " f " " f, v[1], m, v[NR] }'
}
col() { # NAME FIELD: that field of the good (poweroff) runs of NAME
	awk -v n="$1" -v f="$2" '$1 == n && $4 == "poweroff" && $f != "-" {print $f}' "$out/runs.txt"
}
median() { col "$1" "$2" | stats "${3:-%.0f}" | awk '{print $2}'; }

printf '%-42s %7s %5s %7s %7s %7s %10s\n' "unpause -> first line (ms, Xen clock)" memory ok min median max "boot (us)"
for g in "bench-mica-pvh mica hello, PVH, port 0xe9 line" \
	"bench-mica-pv mica hello, PV, console ring via dom0" \
	"bench-min-pvh minimal PVH ($(stat -c %s "$out/xen-min-pvh.elf") bytes), port 0xe9" \
	"bench-min-pv minimal PV ($(stat -c %s "$out/xen-min-pv.elf") bytes), ring via dom0"; do
	# shellcheck disable=SC2086 # a name, then its label
	set -- $g
	name=$1
	shift
	mem=$(sed -n 's/^memory = //p' "$du_dir/jobs/$name.cfg")
	ok=$(col "$name" 2 | wc -l)
	boot=$(median "$name" 3)
	# shellcheck disable=SC2046,SC2183 # stats prints three numbers
	printf '%-42s %3s MiB %2s/%-2s %7s %7s %7s %10s\n' "$*" "$mem" "$ok" "$runs" \
		$(col "$name" 2 | stats %.2f) "$boot"
done
mp=$(median bench-mica-pvh 2 %.3f)
mv=$(median bench-mica-pv 2 %.3f)
np=$(median bench-min-pvh 2 %.3f)
nv=$(median bench-min-pv 2 %.3f)
awk -v mp="$mp" -v mv="$mv" -v np="$np" -v nv="$nv" 'BEGIN {
	r = "ratios of medians:"
	if (mp > 0 && np > 0) r = r sprintf(" mica-PVH/minimal-PVH %.1f;", mp / np)
	if (mv > 0 && np > 0) r = r sprintf(" mica-PV/minimal-PVH %.1f;", mv / np)
	if (mv > 0 && nv > 0) r = r sprintf(" mica-PV/minimal-PV %.1f", mv / nv)
	print r }'
printf 'mica usable memory: PVH %s KiB of %s MiB, PV %s KiB of %s MiB\n' \
	"$(median bench-mica-pvh 5)" "$mem_mica_pvh" "$(median bench-mica-pv 5)" "$mem_mica_pv"
probe=$(tr -d '\r' <"$du_serial" |
	sed -n '/^=== bench bench-mica-pv-2m /,/^=== bench bench-mica-pv-2m end/p')
if echo "$probe" | grep -q 'end reason=poweroff'; then
	echo "mica PV with memory = 2: boots"
else
	echo "mica PV with memory = 2: $(echo "$probe" | grep -m1 'error: panic:\|error:' |
		sed 's/^xl: //; s/^xc: error: panic: //')"
fi
bad=$(awk '$4 != "poweroff" || $2 == "-"' "$out/runs.txt" | grep -vc '^bench-mica-pv-2m ')
[ "$bad" -eq 0 ] || say "$bad runs did not end in poweroff with both marks: see $out/runs.txt and $du_serial"
