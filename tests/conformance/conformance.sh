#!/bin/sh
# The ABI conformance run (`make conformance`): builds apps/conformance,
# boots it under real Xen in every environment this machine can run, and
# reports as XTF's runner does.
#
# Usage: tests/conformance/conformance.sh [--tier] [--list] [--arch A]
#            [--mode pvh|pv] [--xen 4.17|4.20] [--test NAME]
#
# Environments (a column each in the results):
#   x86_64-pvh-dom0, x86_64-pv-dom0   Mica as Xen's dom0, Xen 4.17 and 4.20
#   x86_64-pvh-domU, x86_64-pv-domU   xl domUs of a Linux dom0, Xen 4.17
#                                     (the dom0's tools are 4.17's)
#   arm64-dom0less                    dom0less domUs, Xen 4.17 and 4.20
# The shared domain runs the whole catalogue; the once-per-domain tests
# (shutdown_*, gnttab_v2_switch) get domains of their own: in the same
# boot for xl domUs and dom0less, a boot each for dom0.
#
# Writes build/conformance/: conformance.xml (JUnit), results.md (one
# column per environment and version), and per run ENV-VERSION.tsv
# (test, status, why) and ENV-VERSION.console (the guest's lines).
# Exit status (XTF): 0 SUCCESS, 3 SKIP, 4 ERROR, 5 FAILURE, 6 CRASH (a run
# without its "Test result" line last), the worst over every run; 2 for a
# usage error. With --tier it prints a PASS/FAIL line per run instead,
# judged against the expectations (known hypervisor findings listed in
# tests/conformance/known-findings), ends with "N passed, N failed, N
# skipped" and exits 0 or 1. --list prints the catalogue (a bare-QEMU
# boot, no Xen).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/xen/x86.sh
. tests/conformance/arm64.sh

tier=0
list=0
want_arch=
want_mode=
want_xen=
only=
while [ $# -gt 0 ]; do
	case "$1" in
	--tier) tier=1 ;;
	--list) list=1 ;;
	--arch) want_arch=${2:?}; shift ;;
	--mode) want_mode=${2:?}; shift ;;
	--xen) want_xen=${2:?}; shift ;;
	--test) only=${2:?}; shift ;;
	*) echo "usage: $0 [--tier] [--list] [--arch x86_64|arm64] [--mode pvh|pv] [--xen 4.17|4.20] [--test NAME]" >&2
		exit 2 ;;
	esac
	shift
done
case "$want_arch" in ""|x86_64|arm64) ;; *) echo "conformance: ARCH is x86_64 or arm64" >&2; exit 2 ;; esac
case "$want_mode" in ""|pvh|pv) ;; *) echo "conformance: MODE is pvh or pv" >&2; exit 2 ;; esac
case "$want_xen" in ""|4.17|4.20) ;; *) echo "conformance: XEN is 4.17 or 4.20" >&2; exit 2 ;; esac

top=build/conformance
out=$top/logs	# the tests/xen helpers write here
mkdir -p "$out"
XEN_TIMEOUT=${XEN_TIMEOUT:-90}
DEDICATED="shutdown_reboot shutdown_crash shutdown_code_sticky gnttab_v2_switch"
CMDLINE="hcall=audit quiet_exit"

say() { [ "$tier" = 1 ] || echo "conformance: $*"; }

# Boots run one at a time (this script never starts two QEMUs at once);
# these mark where one begins and ends.
qemu_lock() { :; }
qemu_unlock() { :; }

build() {
	if ! make -s ARCH="$1" APP=conformance >"$top/build-$1.log" 2>&1; then
		fail "conformance-build-$1" "make ARCH=$1 APP=conformance failed"
		show_log "$top/build-$1.log"
		return 1
	fi
}

if [ "$list" = 1 ]; then
	build x86_64 || exit 1
	qemu_lock
	qemu-system-x86_64 -M pc -accel tcg -cpu qemu64 -m 64M -display none \
		-monitor none -serial stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel build/x86_64/conformance/mica.elf \
		-append "quiet quiet_exit -- --list" </dev/null | tr -d '\r'
	qemu_unlock
	exit 0
fi

# Is ARCH MODE VERSION (MODE empty for arm64) among those asked for?
wanted() {
	[ -z "$want_arch" ] || [ "$want_arch" = "$1" ] || return 1
	[ -z "$want_mode" ] || [ "$want_mode" = "$2" ] || return 1
	[ -z "$want_xen" ] || [ "$want_xen" = "$3" ]
}

# The tests each domain runs, "-" for the shared run (the catalogue).
domain_tests() {
	if [ -n "$only" ]; then
		echo "$only"
	else
		echo "- $DEDICATED"
	fi
}

runs=""		# ENV-VERSION of every run, in order
worst=0		# XTF exit code

# Which end Xen or the toolstack must report for a test run alone.
end_for() {
	case "$1" in
	shutdown_reboot|shutdown_code_sticky) echo reboot ;;
	shutdown_crash) echo crash ;;
	*) echo poweroff ;;
	esac
}

code_of() {
	case "$1" in
	SUCCESS) echo 0 ;; SKIP) echo 3 ;; ERROR) echo 4 ;; FAILURE) echo 5 ;; *) echo 6 ;;
	esac
}

# record RUN CONSOLE END WANT_END [NAME]: judge one domain's output and
# add its test lines to $top/RUN.tsv. The verdict is the last line's
# (none: CRASH). A domain whose end is not the wanted one fails; for a
# test run alone (NAME: the shutdown tests) that replaces its own line.
record() {
	run=$1 console=$2 end=$3 want=$4 name=${5:-}
	tab=$(printf '\t')
	last=$(grep -v '^[[:space:]]*$' "$console" | tail -n 1)
	verdict=$(printf '%s\n' "$last" | sed -n 's/^Test result: \(SUCCESS\|SKIP\|ERROR\|FAILURE\)$/\1/p')
	[ -n "$verdict" ] || verdict=CRASH
	sed -n 's/^conformance: \([a-z0-9_]*\): \(SUCCESS\|SKIP\|ERROR\|FAILURE\)\( (\(.*\))\)\{0,1\}$/\1\t\2\t\4/p' \
		"$console" >"$top/tmp.tsv"
	if [ "$verdict" = CRASH ] || [ "$end" != "$want" ]; then
		if [ -n "$name" ]; then
			grep -v "^$name$tab" "$top/tmp.tsv" >"$top/tmp2.tsv"
			mv "$top/tmp2.tsv" "$top/tmp.tsv"
		fi
		if [ "$verdict" = CRASH ]; then
			why="no 'Test result' line last (the domain ended: $end)"
			[ -s "$console" ] || why="no output (the domain ended: $end)"
			printf '%s\tCRASH\t%s\n' "${name:-(run)}" "$why"
		else
			verdict=FAILURE
			printf '%s\tFAILURE\tthe domain ended with %s, expected %s\n' \
				"${name:-(domain end)}" "$end" "$want"
		fi >>"$top/tmp.tsv"
	fi
	cat "$top/tmp.tsv" >>"$top/$run.tsv"
	rm -f "$top/tmp.tsv"
	c=$(code_of "$verdict")
	[ "$c" -gt "$worst" ] && worst=$c
	echo "$verdict" >>"$top/$run.verdicts"
	if [ -z "$name" ] && [ "$verdict" != CRASH ] &&
		! grep -q "outside the arena: 0," "$console"; then
		printf '(audit)\tFAILURE\tno "outside the arena: 0" line\n' >>"$top/$run.tsv"
	fi
}

new_run() {
	rm -f "$top/$1.tsv" "$top/$1.verdicts" "$top/$1.console"
	: >"$top/$1.tsv"
	runs="$runs $1"
}

# --- x86_64: Mica as dom0 ----------------------------------------------
# One Xen boot per domain: the shared run, then each once-per-domain
# test (a dom0's shutdown ends the machine; a boot takes 1-2 s here).
x86_dom0() { # MODE VERSION
	mode=$1 ver=$2 run=x86_64-$1-dom0-$2
	if ! XEN_X86=$(tests/conformance/fetch.sh "$ver" x86_64 2>"$top/fetch-$ver-x86_64.log" | tail -n 1) ||
		[ ! -f "$XEN_X86" ]; then
		skip "conformance-$run" "cannot fetch Xen $ver for x86_64 ($(tail -n 1 "$top/fetch-$ver-x86_64.log"))"
		return
	fi
	new_run "$run"
	say "$run: booting (Xen $ver, Mica as $mode dom0, $(domain_tests | wc -w) boot(s))"
	for t in $(domain_tests); do
		[ "$t" = - ] && t=
		job=conf-$run${t:+-$t}
		XEN_DOM0_MODE=$mode
		qemu_lock
		xen_x86_dom0 "$job" build/x86_64/conformance/mica.elf \
			"$CMDLINE${t:+ -- $t}"
		qemu_unlock
		# shellcheck disable=SC2034 # read by tests/xen/x86.sh
		XEN_DOM0_MODE=pvh
		cp "$log" "$top/$job.xen.log"
		# dom0 writes Xen's console raw; Xen's own lines start "(XEN)".
		tr -d '\r' <"$log" | awk '/^Mica / { on = 1 } on && !/^\(XEN\)/' \
			>"$top/$job.console"
		cat "$top/$job.console" >>"$top/$run.console"
		record "$run" "$top/$job.console" "$outcome" "$(end_for "$t")" "$t"
	done
}

# --- x86_64: xl domUs of a Linux dom0 (Xen 4.17) -------------------------
x86_domU() { # MODES
	modes=$1
	xen_x86_domU_prepare || return
	xen_x86_domU_begin
	for m in $modes; do
		new_run "x86_64-$m-domU-4.17"
		for t in $(domain_tests); do
			[ "$t" = - ] && t=
			XL_TYPE=$m xen_x86_domU_job "conf-$m${t:+-$t}" \
				build/x86_64/conformance/mica.elf "$CMDLINE${t:+ -- $t}"
		done
	done
	say "x86_64 domUs: booting Xen 4.17 with a Linux dom0 ($(echo "$du_names" | wc -w) guests)"
	qemu_lock
	xen_x86_domU_run
	qemu_unlock
	cp "$du_serial" "$top/x86_64-domU-4.17.xen.log"
	for m in $modes; do
		run=x86_64-$m-domU-4.17
		for t in $(domain_tests); do
			[ "$t" = - ] && t=
			job=conf-$m${t:+-$t}
			xen_x86_domU_result "$job"
			sed -n 's/^console: //p' "$log" | tr -d '\r' >"$top/$job.console"
			cat "$top/$job.console" >>"$top/$run.console"
			record "$run" "$top/$job.console" "$outcome" "$(end_for "$t")" "$t"
		done
	done
}

# --- arm64: dom0less domUs ------------------------------------------------
arm64_run() { # VERSION
	ver=$1 run=arm64-dom0less-$1
	if ! XEN_ARM=$(tests/conformance/fetch.sh "$ver" arm64 2>"$top/fetch-$ver-arm64.log" | tail -n 1) ||
		[ ! -f "$XEN_ARM" ]; then
		skip "conformance-$run" "cannot fetch Xen $ver for arm64 ($(tail -n 1 "$top/fetch-$ver-arm64.log"))"
		return
	fi
	new_run "$run"
	# shellcheck disable=SC2046 # one word per domain
	set -- $(domain_tests)
	[ "$1" = - ] && { shift; set -- "" "$@"; }
	say "$run: booting (Xen $ver, $# dom0less domain(s))"
	qemu_lock
	conf_arm64_boot "conf-$run" build/arm64/conformance/Image "$CMDLINE" "$@"
	qemu_unlock
	cp "$log" "$top/$run.xen.log"
	d=0
	for t in "$@"; do
		d=$((d + 1))
		conf_arm64_console "$d" >"$top/$run.d$d.console"
		cat "$top/$run.d$d.console" >>"$top/$run.console"
		# No toolstack reads a dom0less domain's reason: the vCPU is
		# paused after any SCHEDOP_shutdown.
		e=$(conf_arm64_state "$d")
		case "$e" in
		shutdown) e=$(end_for "$t") ;;
		"") e="unknown (boot: $outcome)" ;;
		esac
		record "$run" "$top/$run.d$d.console" "$e" "$(end_for "$t")" "$t"
	done
}

# --- run what this machine can -------------------------------------------
have() { command -v "$1" >/dev/null 2>&1; }

x86_ok=1
arm_ok=1
if [ -z "$want_arch" ] || [ "$want_arch" = x86_64 ]; then
	have qemu-system-x86_64 || tools/deps.sh x86_64 >/dev/null 2>&1 || true
	if ! have qemu-system-x86_64; then
		skip conformance-x86_64 "qemu-system-x86_64 missing"
		x86_ok=0
	elif ! build x86_64; then
		x86_ok=0
	fi
else
	x86_ok=0
fi
if { [ -z "$want_arch" ] || [ "$want_arch" = arm64 ]; } && [ -z "$want_mode" ]; then
	have qemu-system-aarch64 && have dtc || tools/deps.sh arm64 >/dev/null 2>&1 || true
	if ! have qemu-system-aarch64 || ! have dtc; then
		skip conformance-arm64 "qemu-system-aarch64 or dtc missing"
		arm_ok=0
	elif ! build arm64; then
		arm_ok=0
	fi
else
	arm_ok=0
fi

if [ "$x86_ok" = 1 ]; then
	for ver in 4.17 4.20; do
		for mode in pvh pv; do
			wanted x86_64 "$mode" "$ver" && x86_dom0 "$mode" "$ver"
		done
	done
	modes=
	for mode in pvh pv; do
		wanted x86_64 "$mode" 4.17 && modes="$modes $mode"
	done
	[ -n "$modes" ] && x86_domU "$modes"
fi
if [ "$arm_ok" = 1 ]; then
	for ver in 4.17 4.20; do
		wanted arm64 "" "$ver" && arm64_run "$ver"
	done
fi

# shellcheck disable=SC2086 # a word per run
tests/conformance/report.sh "$top" $runs
if [ "$tier" = 1 ]; then
	for run in $runs; do
		if tests/conformance/judge.sh "$top" "$run"; then
			pass "conformance-$run"
		else
			fail "conformance-$run" "$(cat "$top/$run.judge")"
		fi
	done
	summary
	exit $?
fi
for run in $runs; do
	echo "conformance: $run: $(tr '\n' ' ' <"$top/$run.verdicts")($(cut -f2 "$top/$run.tsv" | sort | uniq -c | awk '{ printf "%s%d %s", n++ ? ", " : "", $1, $2 }'))"
done
echo "conformance: results in $top/results.md and $top/conformance.xml"
echo "conformance: exit status $worst"
exit "$worst"
