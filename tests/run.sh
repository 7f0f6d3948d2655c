#!/bin/sh
# The test entry point behind `make test`, `make test-unit`, `make test-qemu`.
# Usage: tests/run.sh all|unit|qemu|fuzz [ARCH]
# Runs each tier, shows its output, and ends with one line that adds up
# every tier: "N passed, N failed, N skipped". With ARCH only that
# architecture's boot tests run; without it, every arch this machine can.
set -u
cd "$(dirname "$0")/.."

what=${1:-all}
arch=${2:-}
all_arches="x86_64 arm64"
arches=${arch:-$all_arches}
logdir=build/test
mkdir -p "$logdir"

tp=0
tf=0
ts=0
skipped=""

# tier NAME COMMAND...: run, stream output, add up its summary line.
tier() {
	name=$1
	shift
	echo "=== $name"
	start=$(date +%s)
	"$@" 2>&1 | tee "$logdir/$name.out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' \
		"$logdir/$name.out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $name: the tier printed no summary line (crashed?)"
		tf=$((tf + 1))
		return
	fi
	set -- $line
	tp=$((tp + $1))
	tf=$((tf + $3))
	ts=$((ts + $5))
	grep '^SKIP ' "$logdir/$name.out" >>"$logdir/skips.txt"
	echo "=== $name: $line ($(($(date +%s) - start)) s)"
}

: >"$logdir/skips.txt"
case "$what" in
all)
	tier unit tests/unit/run.sh
	tier fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-5}"
	tier qemu tests/qemu/run.sh $arches
	tier xen tests/xen/run.sh $arches
	tier conformance tests/conformance/run.sh $arches
	;;
unit) tier unit tests/unit/run.sh ;;
qemu) tier qemu tests/qemu/run.sh $arches ;;
fuzz) tier fuzz tests/fuzz/run.sh "${FUZZ_SECONDS:-20}" ;;
xen) tier xen tests/xen/run.sh $arches ;;
*) echo "usage: tests/run.sh all|unit|qemu|fuzz|xen [ARCH]" >&2; exit 2 ;;
esac

if [ -s "$logdir/skips.txt" ]; then
	echo "=== skipped, and why:"
	sed 's/^SKIP /  /' "$logdir/skips.txt"
fi
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
