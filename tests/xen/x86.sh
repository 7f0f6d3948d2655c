# Real Xen on x86_64 under QEMU (sourced by tests/xen/run.sh). Two tiers:
# Mica as Xen's dom0 (xen_x86_tests), and Mica as PVH and PV domUs that a
# Linux dom0 creates with xl (xen_x86_domU_tests, further down).
#
# dom0 tier: Mica boots as Xen's PVH or PV dom0 (no Linux, no toolstack): Xen
# builds it from the multiboot module, it runs, and shuts down; the harness
# reads Xen's serial log. A result needs the guest's status line AND Xen's
# record of a dom0 poweroff; crash, reboot, timeout and a missing line
# are failures, shown with the log.

XEN_X86_QEMU="qemu-system-x86_64 -M pc -accel tcg -cpu qemu64,+svm,+npt -smp 1 -m 512 -display none -monitor none -no-reboot"
XEN_X86_ARGS="console=com1 com1=115200,8n1 dom0_mem=32M,max:32M dom0_max_vcpus=1 loglvl=all guest_loglvl=all bootscrub=0 noreboot"
# Mica as a PVH dom0 (the default) or, with XEN_DOM0_MODE=pv, a PV dom0.
XEN_PVH_ARGS="dom0=pvh dom0-iommu=none"

# xen_x86_dom0 NAME IMAGE GUEST-CMDLINE: boot; sets $log and $outcome
# (poweroff, crash, reboot, timeout) and $status (from "mica: exit status").
# With $XEN_DOM0_INPUT set, that text (printf %b escapes) is typed on the
# serial line, where Xen hands it to dom0, once the log shows
# "stdincheck: ready for input".
xen_x86_dom0() {
	name=$1
	image=$2
	args=$3
	log=$out/$name.log
	: >"$log"
	if [ -n "${XEN_DOM0_INPUT:-}" ]; then
		{
			for _ in $(seq $((XEN_TIMEOUT * 10))); do
				grep -aq "stdincheck: ready for input" "$log" && break
				sleep 0.1
			done
			printf '%b' "$XEN_DOM0_INPUT"
			for _ in $(seq $((XEN_TIMEOUT * 10))); do
				grep -aq "Hardware Dom0" "$log" && break
				sleep 0.1
			done
		} | $XEN_X86_QEMU -serial stdio -kernel "$XEN_X86" \
			-append "$XEN_X86_ARGS $([ "${XEN_DOM0_MODE:-pvh}" = pvh ] && echo "$XEN_PVH_ARGS")" \
			-initrd "$image $args" >"$log" 2>"$out/$name.qemu" &
	else
		$XEN_X86_QEMU -serial "file:$log" -kernel "$XEN_X86" \
			-append "$XEN_X86_ARGS $([ "${XEN_DOM0_MODE:-pvh}" = pvh ] && echo "$XEN_PVH_ARGS")" \
			-initrd "$image $args" \
			</dev/null >"$out/$name.qemu" 2>&1 &
	fi
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
	for app in hello xentest stdincheck; do
		if ! make -s ARCH=x86_64 APP=$app >"$out/build-$app.log" 2>&1; then
			fail "xen-x86-build-$app" "make failed"
			show_log "$out/build-$app.log"
			return
		fi
	done
	hello=build/x86_64/hello/mica.elf
	xentest=build/x86_64/xentest/mica.elf
	stdincheck=build/x86_64/stdincheck/mica.elf

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

	xen_x86_dom0 xen-x86-pvh-dom0-hypercall-page "$xentest" \
		"hcall=audit hypercall=page"
	xen_check xen-x86-pvh-dom0-hypercall-page poweroff 0 \
		"hypercalls through the hypercall page" \
		"xentest: [0-9]+ passed, 0 failed"

	xen_x86_dom0 xen-x86-pvh-dom0-fault "$hello" "-- fault"
	xen_check xen-x86-pvh-dom0-fault crash 99 \
		"FATAL EXCEPTION #PF" "<fault_now"

	# Console input as dom0: typed on Xen's serial line, read with
	# CONSOLEIO_read (no RDRAND here: the stack runs on insecure_rng).
	XEN_DOM0_INPUT='typed at xen\r\004'
	xen_x86_dom0 xen-x86-pvh-dom0-console-input "$stdincheck" \
		"hcall=audit insecure_rng=1 -- wait=15"
	XEN_DOM0_INPUT=
	xen_check xen-x86-pvh-dom0-console-input poweroff 0 \
		"stdincheck: ok +poll: nothing on fd 0 before input" \
		"stdincheck: read 12 bytes: 'typed at xen'" \
		"stdincheck: ok +read: Ctrl-D is end of file" "stdincheck: PASS"

	# The same image as a classic PV dom0.
	XEN_DOM0_MODE=pv
	xen_x86_dom0 xen-x86-pv-dom0-hello "$hello" "hcall=audit -- exit=0"
	xen_check xen-x86-pv-dom0-hello poweroff 0 \
		"Mica .*\(x86_64, Xen PV\)" \
		"M2P at 0x[0-9a-f]+ from XENMEM_machphys_mapping" \
		"wake order: 1 2 \(ok\)" "per-thread errno: ok" \
		"xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 "

	xen_x86_dom0 xen-x86-pv-dom0-xentest "$xentest" "hcall=audit"
	xen_check xen-x86-pv-dom0-xentest poweroff 0 \
		"xentest: PASS evtchn_loopback" "xentest: PASS virq_timer_sleep" \
		"xentest: PASS arena_discipline" "xentest: [0-9]+ passed, 0 failed"

	xen_x86_dom0 xen-x86-pv-dom0-fault "$hello" "-- fault"
	xen_check xen-x86-pv-dom0-fault crash 99 \
		"FATAL EXCEPTION #PF" "NULL pointer dereference" "<fault_now"
	XEN_DOM0_MODE=pvh
}

# --- domU tier: Debian's Xen + a Linux dom0 + xl ------------------------
# One boot of Xen with a Linux dom0 (tests/xen/dom0/: Debian's kernel, an
# initramfs with xenstored, xenconsoled and xl) runs every guest of a job
# set one after another with `xl create -F`. The jobs travel in a small
# uncompressed cpio put in front of the dom0 initramfs (the kernel unpacks
# both), so guests change without rebuilding the dom0. The dom0's init
# (tests/xen/dom0/init, whose header documents the job list) prints a
# block per guest on Xen's serial log:
#   === guest NAME begin ... === guest NAME end reason=R
# with, in between, the guest's port-0xe9 lines as Xen shows them
# ("(dN) ..."), xl's output ("xl: ..."), and the guest's PV console as
# xenconsoled logged it ("console: ..."). A guest passes only with both
# its result lines and the shutdown reason xl reports.
#
#   xen_x86_domU_prepare        fetch Xen, build the dom0 and the apps
#       (sets XEN_X86, XEN_DOM0_*, $hello, $xentest); returns 1 after
#       printing a SKIP or FAIL line
#   xen_x86_domU_begin                          start an empty job set
#   xen_x86_domU_job NAME IMAGE CMDLINE [AFTER COMMAND...]
#       add a guest NAME booting IMAGE with CMDLINE, of type $XL_TYPE
#       (pvh, the default, or pv) and $XL_MEMORY MiB (default 32);
#       COMMAND (optional) runs in dom0 AFTER seconds into the guest's
#       life, with $NAME and $DOMID set (e.g. xenstore-write, xl shutdown
#       $DOMID); quote $DOMID ('$DOMID' or \$DOMID) so that it reaches
#       dom0 unexpanded.
#       $XL_EXTRA, if set, is appended to the guest's xl config.
#   xen_x86_domU_cfg NAME IMAGE CMDLINE         the same guest's files
#       (jobs/NAME.cfg, jobs/NAME.elf) without a job line
#   xen_x86_domU_dom0_run SECONDS COMMAND       a job line that runs
#       COMMAND in dom0 (the init's @run); SECONDS, its expected length,
#       goes into the limit on the whole boot
#   xen_x86_domU_run                            boot once, run every job
#   xen_x86_domU_result NAME    sets $log ($out/NAME.log, the
#       guest's block), $outcome (the reason: poweroff, reboot, crash,
#       timeout, error, ...) and $status, for xen_check.

XEN_X86_DOMU_QEMU="qemu-system-x86_64 -M pc -accel tcg -cpu qemu64,+svm,+npt -smp 1 -m 2048 -display none -monitor none -no-reboot"
XEN_X86_DOMU_ARGS="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 loglvl=all guest_loglvl=all bootscrub=0 noreboot"
XEN_X86_DOM0_CMDLINE="console=hvc0 loglevel=4"
# Seconds: the limit on one guest's life (the dom0 destroys it after that:
# reason timeout), and on the whole boot besides the guests.
XEN_DOMU_GUEST_TIMEOUT=${XEN_DOMU_GUEST_TIMEOUT:-20}
XEN_DOMU_BOOT_TIMEOUT=${XEN_DOMU_BOOT_TIMEOUT:-60}

xen_x86_domU_begin() {
	du_dir=$out/domU-jobs
	rm -rf "$du_dir"
	mkdir -p "$du_dir/jobs"
	echo "@timeout $XEN_DOMU_GUEST_TIMEOUT" >"$du_dir/jobs/list"
	du_names=""
	du_serial=""
	du_extra=0
}

xen_x86_domU_cfg() {
	du_name=$1
	du_image=$2
	du_args=$3
	# xl config strings: double-quoted unless the command line has double
	# quotes (Mica's own grouping), then single-quoted.
	case "$du_args" in
	*\"*\'* | *\'*\"*)
		echo "xen_x86_domU_job: $du_name: a command line with both quote kinds is not supported" >&2
		return 1 ;;
	*\"*) du_q="'" ;;
	*) du_q='"' ;;
	esac
	cp "$du_image" "$du_dir/jobs/$du_name.elf"
	{
		echo "name = \"$du_name\""
		echo "type = \"${XL_TYPE:-pvh}\""
		echo "kernel = \"/jobs/$du_name.elf\""
		echo "cmdline = $du_q$du_args$du_q"
		echo "memory = ${XL_MEMORY:-32}"
		echo "vcpus = 1"
		echo 'on_poweroff = "destroy"'
		echo 'on_reboot = "destroy"'
		echo 'on_crash = "destroy"'
		if [ -n "${XL_EXTRA:-}" ]; then printf '%s\n' "$XL_EXTRA"; fi
	} >"$du_dir/jobs/$du_name.cfg"
	# A log left by an earlier run must not count for this one.
	rm -f "$out/$du_name.log"
}

xen_x86_domU_job() {
	xen_x86_domU_cfg "$1" "$2" "$3" || return 1
	shift 3
	echo "$du_name $du_name.cfg $*" >>"$du_dir/jobs/list"
	du_names="$du_names $du_name"
}

xen_x86_domU_dom0_run() {
	du_extra=$((du_extra + $1))
	shift
	echo "@run $*" >>"$du_dir/jobs/list"
}

xen_x86_domU_run() {
	du_serial=$out/xen-x86-domU.serial.log
	du_initrd=$out/xen-x86-domU.initrd
	(cd "$du_dir" && find . | sort | "$XEN_DOM0_BUSYBOX" cpio -o -H newc 2>/dev/null) \
		>"$out/xen-x86-domU.jobs.cpio"
	# The uncompressed cpio first: after a gzip'd one the kernel ignores it.
	cat "$out/xen-x86-domU.jobs.cpio" "$XEN_DOM0_INITRAMFS" >"$du_initrd"
	: >"$du_serial"
	n=0
	for _ in $du_names; do n=$((n + 1)); done
	limit=$(( (XEN_DOMU_BOOT_TIMEOUT + du_extra + n * (XEN_DOMU_GUEST_TIMEOUT + 3)) * 10 ))
	du_start=$(date +%s.%N)
	$XEN_X86_DOMU_QEMU -serial "file:$du_serial" -kernel "$XEN_X86" \
		-append "$XEN_X86_DOMU_ARGS" \
		-initrd "$XEN_DOM0_VMLINUX $XEN_X86_DOM0_CMDLINE,$du_initrd" \
		</dev/null >"$out/xen-x86-domU.qemu" 2>&1 &
	qpid=$!
	du_end="timeout after $((limit / 10)) s"
	du_ready=""
	i=0
	while [ $i -lt $limit ]; do
		if [ -z "$du_ready" ] && grep -aq "^=== dom0 ready" "$du_serial"; then
			du_ready=$(echo "$(date +%s.%N) $du_start" | awk '{printf "%.1f", $1 - $2}')
		fi
		if grep -aq "^=== all done" "$du_serial"; then
			du_end="done"; break
		elif grep -aq "Hardware Dom0 crashed\|Hardware Dom0 shutdown: rebooting\|Panic on CPU" "$du_serial"; then
			du_end="Xen or dom0 died: $(grep -a -m1 "Hardware Dom0\|Panic on CPU" "$du_serial" | tr -d '\r')"
			break
		elif ! kill -0 "$qpid" 2>/dev/null; then
			du_end="QEMU exited: $(tail -n 1 "$out/xen-x86-domU.qemu")"; break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	du_secs=$(echo "$(date +%s.%N) $du_start" | awk '{printf "%.1f", $1 - $2}')
	du_dom0=$(tr -d '\r' <"$du_serial" | sed -n 's/^=== dom0 error: //p' | head -n 1)
	echo "    xen-x86-domU: one boot, $n guests: dom0 ready after ${du_ready:-?} s, all in $du_secs s ($du_end); serial log $du_serial"
	# A guest's log: its block, less the context dumps Xen logs for every
	# xl-created HVM/PVH domain ("HVM dN save: ...", "HVMN restore: ...").
	for du_name in $du_names; do
		tr -d '\r' <"$du_serial" |
			sed -n "/^=== guest $du_name begin\$/,/^=== guest $du_name end /p" |
			grep -av '^(XEN) HVM[0-9]* restore: \|^(XEN) HVM d[0-9v]* save: ' \
			>"$out/$du_name.log"
	done
}

xen_x86_domU_result() {
	log=$out/$1.log
	outcome=$(sed -n "s/^=== guest $1 end reason=\([^ ]*\).*\$/\1/p" "$log" | head -n 1)
	if [ -z "$outcome" ]; then
		if [ -n "$du_dom0" ]; then
			outcome="dom0 error: $du_dom0"
		elif [ -s "$log" ]; then
			outcome="no end line (boot: $du_end)"
		else
			outcome="never started (boot: $du_end)"
		fi
		[ -s "$log" ] || log=$du_serial
	fi
	status=$(sed -n 's/^.*mica: exit status \([0-9]*\).*$/\1/p' "$log" | tail -n 1)
}

xen_x86_domU_prepare() {
	if ! XEN_X86=$(tests/xen/fetch.sh x86_64 2>"$out/fetch-x86_64.log" | tail -n 1) ||
		[ ! -f "$XEN_X86" ]; then
		skip xen-x86_64-domU "could not fetch Debian's xen-hypervisor-4.17-amd64 ($(tail -n 1 "$out/fetch-x86_64.log"))"
		return 1
	fi
	# Its progress lines show (the first build takes a while); its last
	# output line names the three files.
	{
		tests/xen/dom0/build.sh 2>&1 >"$out/dom0-build.out"
		echo $? >"$out/dom0-build.rc"
	} | tee "$out/dom0-build.log" | sed 's/^/    /'
	rc=$(cat "$out/dom0-build.rc" 2>/dev/null)
	if [ "${rc:-1}" -eq 3 ]; then
		skip xen-x86_64-domU "could not fetch the Linux dom0's packages ($(tail -n 1 "$out/dom0-build.log"))"
		return 1
	elif [ "${rc:-1}" -ne 0 ]; then
		fail xen-x86_64-domU-dom0 "tests/xen/dom0/build.sh failed (its output is above and in $out/dom0-build.log)"
		return 1
	fi
	# shellcheck disable=SC2046 # three paths, none with spaces
	set -- $(tail -n 1 "$out/dom0-build.out")
	XEN_DOM0_VMLINUX=$1
	XEN_DOM0_INITRAMFS=$2
	XEN_DOM0_BUSYBOX=$(pwd)/$3
	for app in hello xentest stdincheck; do
		if ! make -s ARCH=x86_64 APP=$app >"$out/build-$app.log" 2>&1; then
			fail "xen-x86-build-$app" "make failed"
			show_log "$out/build-$app.log"
			return 1
		fi
	done
	hello=build/x86_64/hello/mica.elf
	xentest=build/x86_64/xentest/mica.elf
	stdincheck=build/x86_64/stdincheck/mica.elf
}

# dom0 commands for the control tests (run with sh -c, $DOMID set by the
# init): wait until xentest has set its watch (it writes "waiting" just
# before), give it a second to block, then act.
XS_WAITING='until [ "$(xenstore-read /local/domain/$DOMID/data/mica-watch 2>/dev/null)" = waiting ]; do sleep 0.2; done; sleep 1'
XS_WRITE="$XS_WAITING; xenstore-write /local/domain/\$DOMID/data/mica-watch from-dom0"
XL_SHUTDOWN="$XS_WAITING; xl shutdown \$DOMID"
# The dom0 side of xentest's `peer` test (tests/xen/dom0/peer.c): once the
# guest has published its port and grant, map, write, signal, wait.
XS_PEER='i=0; while ! xenstore-read /local/domain/$DOMID/data/peer-gref >/dev/null 2>&1; do sleep 0.2; i=$((i+1)); [ $i -gt 150 ] && exit 1; done; /jobs/mica-peer $DOMID $(xenstore-read /local/domain/$DOMID/data/peer-port) $(xenstore-read /local/domain/$DOMID/data/peer-gref) && xenstore-write /local/domain/$DOMID/data/peer-result ok'
XL_REBOOT="$XS_WAITING; xl reboot \$DOMID"
# Typing into the guest's console: its pty (xenconsoled's other end),
# once stdincheck has had time to say it is ready.
CONSOLE_TYPE='sleep 3; printf "typed into xen\r\004" >"$(xenstore-read /local/domain/$DOMID/console/tty)"'

xen_x86_domU_tests() {
	xen_x86_domU_prepare || return

	xen_x86_domU_begin
	# xentest also talks to dom0 (an event each way, a grant dom0 maps)
	# through mica-peer, a static Linux program run in the dom0.
	xt_args="hcall=audit"
	xt_cmd=""
	if gcc -static -O2 -o "$du_dir/jobs/mica-peer" tests/xen/dom0/peer.c \
		>"$out/mica-peer.log" 2>&1; then
		xt_args="hcall=audit -- peer"
		xt_cmd="1 $XS_PEER"
	else
		skip xen-x86-domU-peer "cannot build tests/xen/dom0/peer.c statically (libc6-dev's libc.a?)"
	fi
	xen_x86_domU_job xen-x86-pvh-domU-hello "$hello" "hcall=audit -- exit=0"
	xen_x86_domU_job xen-x86-pvh-domU-status "$hello" "hcall=audit -- exit=5"
	# shellcheck disable=SC2086 # xt_cmd is AFTER then the command words
	xen_x86_domU_job xen-x86-pvh-domU-xentest "$xentest" "$xt_args" $xt_cmd
	xen_x86_domU_job xen-x86-pvh-domU-fault "$hello" "-- fault"
	XL_TYPE=pv xen_x86_domU_job xen-x86-pv-domU-hello "$hello" "hcall=audit -- exit=0"
	# shellcheck disable=SC2086
	XL_TYPE=pv xen_x86_domU_job xen-x86-pv-domU-xentest "$xentest" "$xt_args" $xt_cmd
	# xenstore watch on a key dom0 writes; the toolstack's shutdown and
	# reboot requests (xentest waits for the write, 30 s at most, so the
	# guest is alive when xl asks).
	xen_x86_domU_job xen-x86-pvh-domU-xs-watch "$xentest" \
		"hcall=audit -- xs-watch" 1 "$XS_WRITE"
	XL_TYPE=pv xen_x86_domU_job xen-x86-pv-domU-xs-watch "$xentest" \
		"hcall=audit -- xs-watch" 1 "$XS_WRITE"
	xen_x86_domU_job xen-x86-pvh-domU-xl-shutdown "$xentest" \
		"hcall=audit -- xs-watch" 1 "$XL_SHUTDOWN"
	XL_TYPE=pv xen_x86_domU_job xen-x86-pv-domU-xl-shutdown "$xentest" \
		"hcall=audit -- xs-watch" 1 "$XL_SHUTDOWN"
	xen_x86_domU_job xen-x86-pvh-domU-xl-reboot "$xentest" \
		"hcall=audit -- xs-watch" 1 "$XL_REBOOT"
	# Console input through the PV console ring (xenconsoled's pty);
	# the guest has no RDRAND here, so the stack runs on insecure_rng.
	xen_x86_domU_job xen-x86-pvh-domU-console-input "$stdincheck" \
		"hcall=audit insecure_rng=1 -- wait=15" 1 "$CONSOLE_TYPE"
	xen_x86_domU_run

	xen_x86_domU_result xen-x86-pvh-domU-hello
	xen_check xen-x86-pvh-domU-hello poweroff 0 \
		"Mica .*\(x86_64, Xen PVH\)" "xen: version 4\.[0-9]+" \
		"!initial domain" \
		"wake order: 1 2 \(ok\)" "per-thread errno: ok" \
		"xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 "

	# The same guest's PV console ring, as xenconsoled logged it.
	xen_check xen-x86-pvh-domU-console-ring poweroff 0 \
		"^console: hello from Mica" "^console: mica: exit status 0"

	xen_x86_domU_result xen-x86-pvh-domU-status
	xen_check xen-x86-pvh-domU-status poweroff 5 "hello: exiting with status 5"

	xen_x86_domU_result xen-x86-pvh-domU-xentest
	xen_check xen-x86-pvh-domU-xentest poweroff 0 \
		"xentest: PASS evtchn_loopback" "xentest: PASS virq_timer_sleep" \
		"xentest: PASS arena_discipline" "xentest: [0-9]+ passed, 0 failed" \
		"xentest: PASS grant_dma_readonly_enforced" \
		"!xentest: FAIL"
	[ -n "$xt_cmd" ] && xen_check xen-x86-pvh-domU-peer poweroff 0 \
		"PASS interdomain_event_from_dom0" "PASS grant_written_by_dom0" \
		"PASS interdomain_event_to_dom0" "PASS grant_end_after_peer_unmap"

	xen_x86_domU_result xen-x86-pvh-domU-fault
	xen_check xen-x86-pvh-domU-fault crash 99 \
		"FATAL EXCEPTION #PF" "<fault_now"

	# The same image as a classic PV domU. Xen writes a PV guest's
	# shared_info wall clock when it sets up its vCPU, so it is checked.
	xen_x86_domU_result xen-x86-pv-domU-hello
	xen_check xen-x86-pv-domU-hello poweroff 0 \
		"Mica .*\(x86_64, Xen PV\)" "!initial domain" \
		"wake order: 1 2 \(ok\)" "per-thread errno: ok" \
		"xen: hypercalls: [1-9][0-9]*, outside registered buffers: 0 "

	xen_x86_domU_result xen-x86-pv-domU-xentest
	xen_check xen-x86-pv-domU-xentest poweroff 0 \
		"xentest: PASS evtchn_loopback" "xentest: PASS virq_timer_sleep" \
		"xentest: PASS wallclock" "xentest: PASS grant_map_self" \
		"xentest: PASS arena_discipline" "xentest: [0-9]+ passed, 0 failed" \
		"!xentest: FAIL"
	[ -n "$xt_cmd" ] && xen_check xen-x86-pv-domU-peer poweroff 0 \
		"PASS interdomain_event_from_dom0" "PASS grant_written_by_dom0" \
		"PASS interdomain_event_to_dom0" "PASS grant_end_after_peer_unmap"

	xen_x86_domU_result xen-x86-pvh-domU-console-input
	xen_check xen-x86-pvh-domU-console-input poweroff 0 \
		"=== guest xen-x86-pvh-domU-console-input cmd rc=0" \
		"stdincheck: ok +poll: nothing on fd 0 before input" \
		"stdincheck: read 14 bytes: 'typed into xen'" \
		"stdincheck: ok +read: Ctrl-D is end of file" "stdincheck: PASS"

	for t in pvh pv; do
		xen_x86_domU_result xen-x86-$t-domU-xs-watch
		xen_check xen-x86-$t-domU-xs-watch poweroff 0 \
			"xentest: waiting for dom0 to write data/mica-watch" \
			"=== guest xen-x86-$t-domU-xs-watch cmd rc=0" \
			"xentest: PASS xenstore_watch" \
			"xentest: [0-9]+ passed, 0 failed" "!xentest: FAIL"

		# xl shutdown while xentest waits: the control thread ends the
		# guest with status 0 before xentest's own summary.
		xen_x86_domU_result xen-x86-$t-domU-xl-shutdown
		xen_check xen-x86-$t-domU-xl-shutdown poweroff 0 \
			"=== guest xen-x86-$t-domU-xl-shutdown cmd rc=0" \
			"mica: the toolstack asks for poweroff" \
			"!xentest: [0-9]+ passed"
	done

	# xl reboot: the same path with reason reboot (the init's on_reboot
	# is "destroy", so xl reports the reason and ends).
	xen_x86_domU_result xen-x86-pvh-domU-xl-reboot
	xen_check xen-x86-pvh-domU-xl-reboot reboot 0 \
		"=== guest xen-x86-pvh-domU-xl-reboot cmd rc=0" \
		"mica: the toolstack asks for reboot" "!xentest: [0-9]+ passed"
}
