# Real Xen on arm64 under QEMU (sourced by tests/xen/run.sh, after x86.sh,
# whose xen_check it shares).
#
# Mica boots as a dom0less domU of Debian's Xen 4.17: no dom0, no
# toolstack. Xen builds the domain from the host device tree: QEMU's own
# (dumped once), plus under /chosen Xen's command line and a "xen,domain"
# node (vpl011 console, xen,enhanced = "no-xenstore" for the /hypervisor
# node) whose kernel module is the raw Image QEMU's loader put in RAM.
#
# A result needs the guest's "mica: exit status N" line (the vpl011's
# output shows in Xen's log as "(XEN) DOM1: ...") AND Xen's own record of
# the shutdown. Xen 4.17 prints nothing when a domU shuts down, so the
# harness switches the serial input to Xen (CTRL-a three times, until Xen
# says so) and presses 'q': in the dump, the domain's vCPU must be paused
# (pause_count=1 pause_flags=0: SCHEDOP_shutdown paused it), not blocked
# in WFI or running. Then QEMU is killed by its PID.

XEN_ARM_QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -accel tcg -cpu cortex-a57 -m 1G -smp 1 -display none -monitor none -no-reboot"
XEN_ARM_ARGS="console=dtuart bootscrub=0 loglvl=all guest_loglvl=all"
XEN_ARM_LOAD=0x4a000000 # QEMU's DTB sits at 0x48000000; clear of it

# xen_arm64_dtb NAME IMAGE DOMU-KIB BOOTARGS: write $out/NAME.dtb.
xen_arm64_dtb() {
	base=$out/arm64-virt.dts
	if [ ! -s "$base" ]; then
		$XEN_ARM_QEMU -machine dumpdtb="$out/arm64-virt.dtb" \
			>"$out/arm64-dumpdtb.log" 2>&1 &&
			dtc -q -I dtb -O dts -o "$base" "$out/arm64-virt.dtb" ||
			return 1
	fi
	# The bootargs go inside a DTS string: escape \ and ".
	args=$(printf '%s' "$4" | sed 's/[\\"]/\\&/g')
	{
		cat "$base"
		cat <<-EOF
		/ {
			chosen {
				#address-cells = <2>;
				#size-cells = <2>;
				xen,xen-bootargs = "$XEN_ARM_ARGS";
				domU1 {
					compatible = "xen,domain";
					#address-cells = <2>;
					#size-cells = <2>;
					memory = <0 $3>;
					cpus = <1>;
					vpl011;
					xen,enhanced = "no-xenstore";
					module@4a000000 {
						compatible = "multiboot,kernel", "multiboot,module";
						reg = <0 $XEN_ARM_LOAD 0 $(stat -c %s "$2")>;
						bootargs = "$args";
					};
				};
			};
		};
		EOF
	} >"$out/$1.dts"
	dtc -q -I dts -O dtb -o "$out/$1.dtb" "$out/$1.dts"
}

# Wait up to @2 tenths of a second for /@1/ in $log; false on timeout.
xen_arm64_wait() {
	j=0
	while [ $j -lt "$2" ]; do
		grep -aq -- "$1" "$log" && return 0
		sleep 0.1
		j=$((j + 1))
	done
	return 1
}

# Ask Xen (debug key 'q' on its serial console, fd 3) what became of
# domain 1; prints shutdown, running or unknown.
xen_arm64_domain_state() {
	k=0
	while [ $k -lt 3 ] && ! grep -aq "Serial input to Xen" "$log"; do
		printf '\001\001\001' >&3
		xen_arm64_wait "Serial input to Xen" 10
		k=$((k + 1))
	done
	printf 'q' >&3
	if ! xen_arm64_wait "pause_count=[0-9]* pause_flags" 30; then
		echo unknown
		return
	fi
	sleep 0.2
	# The vCPU lines of domain 1's section of the dump.
	awk '/VCPU information and callbacks for domain 1:/ { on = 1 }
	     on && /General information for domain/ { on = 0 }
	     on && /pause_count=/ { print }' "$log" | tail -n 1 |
		sed -n -e 's/.*pause_count=[1-9][0-9]* pause_flags=0.*/shutdown/p' \
			-e 's/.*pause_count=0 .*/running/p'
}

# xen_arm64_domu NAME IMAGE DOMU-KIB BOOTARGS: boot; sets $log, $outcome
# (shutdown, running, unknown, timeout, qemu-exited, setup-failed) and
# $status (from "mica: exit status").
xen_arm64_domu() {
	name=$1
	log=$out/$name.log
	: >"$log"
	status=
	outcome=setup-failed
	xen_arm64_dtb "$name" "$2" "$3" "$4" 2>"$out/$name.dtc" || return
	fifo=$out/$name.in
	rm -f "$fifo"
	mkfifo "$fifo" || return
	$XEN_ARM_QEMU -serial stdio -kernel "$XEN_ARM" -dtb "$out/$name.dtb" \
		-device loader,file="$2",addr=$XEN_ARM_LOAD,force-raw=on \
		<"$fifo" >"$log" 2>"$out/$name.qemu" &
	qpid=$!
	exec 3>"$fifo"
	outcome=timeout
	i=0
	while [ $i -lt $((XEN_TIMEOUT * 10)) ]; do
		if grep -aq "mica: exit status" "$log"; then
			outcome=exited
			break
		elif grep -aq "Panic on CPU" "$log"; then
			outcome=xen-panic
			break
		elif ! kill -0 "$qpid" 2>/dev/null; then
			outcome=qemu-exited
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ "$outcome" = exited ]; then
		# The guest prints its hypercall count, then shuts down.
		xen_arm64_wait "xen: hypercalls: " 20
		sleep 0.3
		outcome=$(xen_arm64_domain_state)
		[ -n "$outcome" ] || outcome=unknown
	fi
	exec 3>&-
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	rm -f "$fifo"
	status=$(sed -n 's/^.*mica: exit status \([0-9]*\).*$/\1/p' "$log" |
		tail -n 1)
}

xen_arm64_tests() {
	if ! XEN_ARM=$(tests/xen/fetch.sh arm64 2>"$out/fetch-arm64.log" | tail -n 1) ||
		[ ! -f "$XEN_ARM" ]; then
		skip xen-arm64 "could not fetch Debian's xen-hypervisor-4.17-arm64 ($(tail -n 1 "$out/fetch-arm64.log"))"
		return
	fi
	if ! command -v dtc >/dev/null 2>&1 && ! tools/deps.sh arm64 >/dev/null; then
		skip xen-arm64 "dtc (device-tree-compiler) missing"
		return
	fi
	for app in hello xentest; do
		if ! make -s ARCH=arm64 APP=$app >"$out/build-arm64-$app.log" 2>&1; then
			fail "xen-arm64-build-$app" "make failed"
			show_log "$out/build-arm64-$app.log"
			return
		fi
	done
	hello=build/arm64/hello/Image
	xentest=build/arm64/xentest/Image

	xen_arm64_domu xen-arm64-domu-hello "$hello" 65536 \
		"hcall=audit loglevel=2 -- exit=0"
	xen_check xen-arm64-domu-hello shutdown 0 \
		"Xen dom0less mode detected" \
		"DOM1: Mica .*\(arm64, Xen arm64 Image\).*console sbsa-uart" \
		"xen: version 4\.[0-9]+" "xen: event channel upcalls on interrupt 31" \
		"wake order: 1 2 \(ok\)" "per-thread errno: ok" \
		"DTB at 0x43e00000" "\[0x0043e00000-0x0043e0[0-9a-f]+\) mica" \
		"xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 " \
		"!SCHEDOP_shutdown returned"

	xen_arm64_domu xen-arm64-domu-status "$hello" 65536 \
		"hcall=audit -- exit=5"
	xen_check xen-arm64-domu-status shutdown 5 "hello: exiting with status 5"

	# A small domain: Xen puts the DTB 2 MiB under the top of its RAM,
	# where Mica must not hand it out.
	xen_arm64_domu xen-arm64-domu-small "$hello" 8192 "loglevel=2"
	xen_check xen-arm64-domu-small shutdown 0 "DTB at 0x40600000" \
		"\[0x0040600000-0x00406[0-9a-f]+\) mica" "wake order: 1 2 \(ok\)"

	# On arm, Xen has no singleshot or periodic timer for guests: Mica
	# sleeps on the generic timer, and xentest skips virq_timer_sleep.
	xen_arm64_domu xen-arm64-domu-xentest "$xentest" 65536 "hcall=audit"
	xen_check xen-arm64-domu-xentest shutdown 0 \
		"xentest: PASS xen_version" "xentest: PASS evtchn_loopback" \
		"xentest: PASS grant_map_self" "xentest: PASS runstate_area" \
		"xentest: PASS arena_discipline" \
		"xentest: SKIP virq_timer_sleep" \
		"xentest: [0-9]+ passed, 0 failed" "!xentest: FAIL"

	xen_arm64_domu xen-arm64-domu-audit-negative "$xentest" 65536 \
		"hcall=audit -- audit-negative"
	xen_check xen-arm64-domu-audit-negative shutdown 99 \
		"PANIC: hypercall audit: xen_version sub-op 1 passes its argument at 0x[0-9a-f]+ \(16 bytes\) outside the registered arena" \
		"!the kernel did not stop"

	xen_arm64_domu xen-arm64-domu-fault "$hello" 65536 "-- fault"
	xen_check xen-arm64-domu-fault shutdown 99 \
		"FATAL EXCEPTION data abort" "NULL pointer dereference" \
		"<fault_now"
}
