# Real Xen on x86_64 under QEMU (sourced by tests/xen/run.sh).
# Mica boots as Xen's PVH dom0 (no Linux, no toolstack): Xen builds it
# from the multiboot module, it runs, and shuts down; the harness reads
# Xen's serial log. A result needs the guest's status line AND Xen's
# record of a dom0 poweroff; crash, reboot, timeout and a missing line
# are failures, shown with the log.

XEN_X86_QEMU="qemu-system-x86_64 -M pc -accel tcg -cpu qemu64,+svm,+npt -smp 1 -m 512 -display none -monitor none -no-reboot"
XEN_X86_ARGS="console=com1 com1=115200,8n1 dom0=pvh dom0-iommu=none dom0_mem=32M,max:32M dom0_max_vcpus=1 loglvl=all guest_loglvl=all bootscrub=0 noreboot"

# xen_x86_dom0 NAME IMAGE GUEST-CMDLINE: boot; sets $log and $outcome
# (poweroff, crash, reboot, timeout) and $status (from "mica: exit status").
xen_x86_dom0() {
	name=$1
	image=$2
	args=$3
	log=$out/$name.log
	: >"$log"
	$XEN_X86_QEMU -serial "file:$log" -kernel "$XEN_X86" \
		-append "$XEN_X86_ARGS" -initrd "$image $args" \
		</dev/null >"$out/$name.qemu" 2>&1 &
	qpid=$!
	outcome=timeout
	i=0
	while [ $i -lt $((XEN_TIMEOUT * 10)) ]; do
		if grep -aq "Hardware Dom0 halted" "$log"; then
			outcome=poweroff; break
		elif grep -aq "Hardware Dom0 crashed" "$log"; then
			outcome=crash; break
		elif grep -aq "Hardware Dom0 shutdown: rebooting\|Panic on CPU" "$log"; then
			outcome=reboot; break
		elif ! kill -0 "$qpid" 2>/dev/null; then
			outcome=qemu-exited; break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	status=$(sed -n 's/^.*mica: exit status \([0-9]*\).*$/\1/p' "$log" | tail -n 1)
}

# xen_check NAME WANT_OUTCOME WANT_STATUS PATTERN...
xen_check() {
	name=$1
	want_outcome=$2
	want_status=$3
	shift 3
	if [ "$outcome" != "$want_outcome" ]; then
		fail "$name" "Xen reports '$outcome', expected '$want_outcome' (log: $log)"
		show_log "$log" 30
		return
	fi
	if [ "$status" != "$want_status" ]; then
		fail "$name" "guest status '${status:-none}', expected $want_status (log: $log)"
		show_log "$log" 30
		return
	fi
	for pat in "$@"; do
		case "$pat" in
		!*) if grep -aqE -- "${pat#!}" "$log"; then
			fail "$name" "log shows /${pat#!}/ (log: $log)"
			show_log "$log" 30
			return
		fi ;;
		*) if ! grep -aqE -- "$pat" "$log"; then
			fail "$name" "log lacks /$pat/ (log: $log)"
			show_log "$log" 30
			return
		fi ;;
		esac
	done
	pass "$name"
}

xen_x86_tests() {
	if ! XEN_X86=$(tests/xen/fetch.sh x86_64 2>"$out/fetch-x86_64.log" | tail -n 1) ||
		[ ! -f "$XEN_X86" ]; then
		skip xen-x86_64 "could not fetch Debian's xen-hypervisor-4.17-amd64 ($(tail -n 1 "$out/fetch-x86_64.log"))"
		return
	fi
	for app in hello xentest; do
		if ! make -s ARCH=x86_64 APP=$app >"$out/build-$app.log" 2>&1; then
			fail "xen-x86-build-$app" "make failed"
			show_log "$out/build-$app.log"
			return
		fi
	done
	hello=build/x86_64/hello/mica.elf
	xentest=build/x86_64/xentest/mica.elf

	xen_x86_dom0 xen-x86-pvh-dom0-hello "$hello" "hcall=audit -- exit=0"
	xen_check xen-x86-pvh-dom0-hello poweroff 0 \
		"Mica .*\(x86_64, Xen PVH\)" "xen: version 4\.[0-9]+" \
		"wake order: 1 2 \(ok\)" "per-thread errno: ok" \
		"xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 "

	xen_x86_dom0 xen-x86-pvh-dom0-status "$hello" "hcall=audit -- exit=5"
	xen_check xen-x86-pvh-dom0-status poweroff 5 "hello: exiting with status 5"

	xen_x86_dom0 xen-x86-pvh-dom0-xentest "$xentest" "hcall=audit"
	xen_check xen-x86-pvh-dom0-xentest poweroff 0 \
		"xentest: PASS evtchn_loopback" "xentest: PASS virq_timer_sleep" \
		"xentest: PASS arena_discipline" "xentest: [0-9]+ passed, 0 failed" \
		"!xentest: FAIL"

	xen_x86_dom0 xen-x86-pvh-dom0-audit-negative "$xentest" \
		"hcall=audit -- audit-negative"
	xen_check xen-x86-pvh-dom0-audit-negative crash 99 \
		"PANIC: hypercall audit: xen_version sub-op 1 passes its argument at 0x[0-9a-f]+ \(16 bytes\) outside the registered arena" \
		"!the kernel did not stop"

	xen_x86_dom0 xen-x86-pvh-dom0-fault "$hello" "-- fault"
	xen_check xen-x86-pvh-dom0-fault crash 99 \
		"FATAL EXCEPTION #PF" "<fault_now"
}
