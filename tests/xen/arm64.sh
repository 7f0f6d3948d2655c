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
#
# The pair test boots two domUs in one Xen (node order gives domids 1 and
# 2) joined by a static event channel; both need their status line and
# both vCPUs paused.

XEN_ARM_QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -accel tcg -cpu cortex-a57 -m 1G -smp 1 -display none -monitor none -no-reboot"
XEN_ARM_ARGS="console=dtuart bootscrub=0 loglvl=all guest_loglvl=all"
# Words added to Xen's command line (the pair test: xsm=dummy).
XEN_ARM_EXTRA=
XEN_ARM_LOAD=0x4a000000 # QEMU's DTB sits at 0x48000000; clear of it
XEN_ARM_LOAD2=0x4c000000 # a second domU's image (under 32 MiB each)

# xen_arm64_node N ADDR IMAGE KIB BOOTARGS [PORT]: the "xen,domain" node of
# domUN, its kernel loaded at ADDR. With PORT, a static event channel
# (node ecN): local port PORT, the other end the other domU's ec node.
xen_arm64_node() {
	# The bootargs go inside a DTS string: escape \ and ".
	args=$(printf '%s' "$5" | sed 's/[\\"]/\\&/g')
	cat <<-EOF
	domU$1 {
		compatible = "xen,domain";
		#address-cells = <2>;
		#size-cells = <2>;
		memory = <0 $4>;
		cpus = <1>;
		vpl011;
		xen,enhanced = "no-xenstore";
		module@${2#0x} {
			compatible = "multiboot,kernel", "multiboot,module";
			reg = <0 $2 0 $(stat -c %s "$3")>;
			bootargs = "$args";
		};
	EOF
	[ -z "${6:-}" ] || cat <<-EOF
		ec$1: evtchn@$6 {
			compatible = "xen,evtchn-v1";
			xen,evtchn = <$6 &ec$((3 - $1))>;
		};
	EOF
	echo "};"
}

# xen_arm64_dtb NAME IMAGE DOMU-KIB BOOTARGS [IMAGE2 KIB2 BOOTARGS2 PORT1
# PORT2]: write $out/NAME.dtb: QEMU's own tree (dumped once) with Xen's
# command line and one domU, or two joined by a static event channel.
xen_arm64_dtb() {
	base=$out/arm64-virt.dts
	if [ ! -s "$base" ]; then
		$XEN_ARM_QEMU -machine dumpdtb="$out/arm64-virt.dtb" \
			>"$out/arm64-dumpdtb.log" 2>&1 &&
			dtc -q -I dtb -O dts -o "$base" "$out/arm64-virt.dtb" ||
			return 1
	fi
	{
		cat "$base"
		cat <<-EOF
		/ {
		chosen {
			#address-cells = <2>;
			#size-cells = <2>;
			xen,xen-bootargs = "$XEN_ARM_ARGS${XEN_ARM_EXTRA:+ $XEN_ARM_EXTRA}";
		EOF
		if [ $# -gt 4 ]; then
			xen_arm64_node 1 $XEN_ARM_LOAD "$2" "$3" "$4" "$8"
			xen_arm64_node 2 $XEN_ARM_LOAD2 "$5" "$6" "$7" "$9"
		else
			xen_arm64_node 1 $XEN_ARM_LOAD "$2" "$3" "$4"
		fi
		echo "}; };"
	} >"$out/$1.dts"
	dtc -q -I dts -O dtb -o "$out/$1.dtb" "$out/$1.dts"
}

# Ask Xen for its domain dump (debug key 'q' on its serial console, fd 3):
# first switch the serial input to Xen (CTRL-a three times moves it on:
# DOM1, DOM2 if any, then Xen). False if the dump did not come.
xen_arm64_dump() {
	xen_serial_dump 4 || return 1
	sleep 0.2
}

# What the dump says of domain @1's vCPU: shutdown (paused by
# SCHEDOP_shutdown), running, or nothing.
xen_arm64_domain_state() {
	awk -v d="VCPU information and callbacks for domain $1:" '
	     index($0, d) { on = 1; next }
	     on && /General information for domain/ { on = 0 }
	     on && /pause_count=/ { print }' "$log" | tail -n 1 |
		sed -n -e 's/.*pause_count=[1-9][0-9]* pause_flags=0.*/shutdown/p' \
			-e 's/.*pause_count=0 .*/running/p'
}

# xen_arm64_boot NAME DOMAINS IMAGE [IMAGE2]: boot $out/NAME.dtb with the
# images at the load slots. Sets $log, $outcome (for each domain in turn:
# shutdown, running or unknown; or once: timeout, qemu-exited, xen-panic,
# setup-failed) and $status (each domain's "mica: exit status").
xen_arm64_boot() {
	name=$1
	ndom=$2
	log=$out/$name.log
	: >"$log"
	status=
	outcome=setup-failed
	fifo=$out/$name.in
	rm -f "$fifo"
	mkfifo "$fifo" || return
	second=
	[ "$ndom" -lt 2 ] ||
		second="-device loader,file=$4,addr=$XEN_ARM_LOAD2,force-raw=on"
	# shellcheck disable=SC2086 # $second: two words or none
	$XEN_ARM_QEMU -serial stdio -kernel "$XEN_ARM" -dtb "$out/$name.dtb" \
		-device loader,file="$3",addr=$XEN_ARM_LOAD,force-raw=on $second \
		<"$fifo" >"$log" 2>"$out/$name.qemu" &
	qpid=$!
	exec 3>"$fifo"
	outcome=timeout
	i=0
	while [ $i -lt $((XEN_TIMEOUT * 10)) ]; do
		n=$(grep -ac "DOM[0-9]*: mica: exit status" "$log")
		if [ "$n" -ge "$ndom" ]; then
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
		# Each guest prints its hypercall count, then shuts down.
		for d in $(seq "$ndom"); do
			log_wait "DOM$d: xen: hypercalls: " 20
		done
		sleep 0.3
		outcome=
		xen_arm64_dump
		for d in $(seq "$ndom"); do
			st=$(xen_arm64_domain_state "$d")
			outcome="$outcome ${st:-unknown}"
		done
		outcome=${outcome# }
	fi
	exec 3>&-
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	rm -f "$fifo"
	for d in $(seq "$ndom"); do
		st=$(sed -n "s/^.*DOM$d: mica: exit status \([0-9]*\).*\$/\1/p" \
			"$log" | tail -n 1)
		status="$status ${st:-none}"
	done
	status=${status# }
	[ "$status" != none ] || status=
}

# xen_arm64_domu NAME IMAGE DOMU-KIB BOOTARGS: one domU, booted alone.
xen_arm64_domu() {
	log=$out/$1.log
	: >"$log"
	status=
	outcome=setup-failed
	xen_arm64_dtb "$1" "$2" "$3" "$4" 2>"$out/$1.dtc" || return
	xen_arm64_boot "$1" 1 "$2"
}

# Two xentest domUs in one boot, no xenstore, no dom0: Xen binds a static
# event channel between them before they run (port 10 in domain 1, 20 in
# domain 2; domids follow the node order). Domain 1 grants domain 2 a
# page, its first grant since boot, so ref 8 (the first after the
# reserved entries); domain 2 maps it (retrying until it is granted:
# Xen tends to run domain 2 first) and writes into it; events go both
# ways. Debian's Xen boots XSM in SILO mode, which forbids grants and
# channels between two domUs: xsm=dummy.
xen_arm64_pair() {
	name=xen-arm64-domu-pair
	log=$out/$name.log
	outcome=setup-failed
	status=
	XEN_ARM_EXTRA=xsm=dummy
	xen_arm64_dtb "$name" \
		"$xentest" 65536 "hcall=audit -- pair=grant,port=10,peer=2,gref=8" \
		"$xentest" 65536 "hcall=audit -- pair=map,port=20,peer=1,gref=8" \
		10 20 2>"$out/$name.dtc" &&
		xen_arm64_boot "$name" 2 "$xentest" "$xentest"
	XEN_ARM_EXTRA=
	xen_check "$name" "shutdown shutdown" "0 0" \
		"WARNING: SILO mode is not enabled" \
		"DOM1: xentest: pair: port 10 state interdomain, remote domain 2 port 20" \
		"DOM2: xentest: pair: port 20 state interdomain, remote domain 1 port 10" \
		"DOM1: xentest: PASS pair_port_bound_at_boot" \
		"DOM2: xentest: PASS pair_port_bound_at_boot" \
		"DOM1: xentest: PASS pair_grant_at_known_ref" \
		"DOM2: xentest: PASS pair_map_peer_grant" \
		"DOM2: xentest: PASS pair_mapping_reads_peer_page" \
		"DOM2: xentest: PASS pair_unmap" \
		"DOM1: xentest: PASS pair_event_from_peer" \
		"DOM2: xentest: PASS pair_event_from_peer" \
		"DOM1: xentest: PASS pair_event_to_peer" \
		"DOM2: xentest: PASS pair_event_to_peer" \
		"DOM1: xentest: PASS pair_grant_written_by_peer" \
		"DOM1: xentest: PASS pair_grant_end_access" \
		"DOM1: xentest: [0-9]+ passed, 0 failed" \
		"DOM2: xentest: [0-9]+ passed, 0 failed" \
		"DOM1: xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 " \
		"DOM2: xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 " \
		"!xentest: FAIL"
	grep -a "DOM[12]: xentest: pair: \(waiting\|mapped\|port .* at start\)" \
		"$log" | sed 's/^(XEN) /    /'
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

	xen_arm64_pair

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
