# arm64 dom0less boots for the conformance suite (sourced by
# tests/conformance/conformance.sh): one Xen boot, several "xen,domain"
# nodes, each the same Image with its own command line (the shared run,
# or one once-per-domain test). Xen builds them in order: domUd is
# domain d, its vpl011 lines show in Xen's log as "(XEN) DOMd: ...".
# At the end the harness switches the serial input to Xen (CTRL-a three
# times per step) and presses 'q': each domain's vCPU must be paused
# (SCHEDOP_shutdown), not running. No toolstack is there to read the
# reason of a dom0less domain's shutdown.

CONF_ARM_QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -accel tcg -cpu cortex-a57 -m 1G -smp 1 -display none -monitor none -no-reboot"
# conswitch=ax: serial input stays with Xen, so every domain's vpl011
# lines carry their "DOMd:" prefix (Xen 4.20 gives the input, and raw
# output, to the first domU otherwise) and the dump key needs no switch.
CONF_ARM_XEN_ARGS="console=dtuart conswitch=ax bootscrub=0 loglvl=all guest_loglvl=all"
CONF_ARM_KIB=32768

conf_arm64_addr() { printf '0x%x' $((0x4a000000 + ($1 - 1) * 0x800000)); }

# conf_arm64_dtb NAME IMAGE CMDLINE TEST...: $out/NAME.dtb, a domain per
# TEST ("" is the shared run).
conf_arm64_dtb() {
	dname=$1 image=$2 cmd=$3
	shift 3
	base=$out/conf-arm64-virt.dts
	if [ ! -s "$base" ]; then
		$CONF_ARM_QEMU -machine dumpdtb="$out/conf-arm64-virt.dtb" \
			>"$out/conf-arm64-dumpdtb.log" 2>&1 &&
			dtc -q -I dtb -O dts -o "$base" "$out/conf-arm64-virt.dtb" ||
			return 1
	fi
	{
		cat "$base"
		echo "/ { chosen {"
		echo "	#address-cells = <2>;"
		echo "	#size-cells = <2>;"
		echo "	xen,xen-bootargs = \"$CONF_ARM_XEN_ARGS\";"
		d=0
		for t in "$@"; do
			d=$((d + 1))
			addr=$(conf_arm64_addr $d)
			cat <<-EOF
			domU$d {
				compatible = "xen,domain";
				#address-cells = <2>;
				#size-cells = <2>;
				memory = <0 $CONF_ARM_KIB>;
				cpus = <1>;
				vpl011;
				xen,enhanced = "no-xenstore";
				module@${addr#0x} {
					compatible = "multiboot,kernel", "multiboot,module";
					reg = <0 $addr 0 $(stat -c %s "$image")>;
					bootargs = "$cmd${t:+ -- $t}";
				};
			};
			EOF
		done
		echo "}; };"
	} >"$out/$dname.dts"
	dtc -q -I dts -O dtb -o "$out/$dname.dtb" "$out/$dname.dts"
}

# The lines domain @1 wrote to its vpl011. Xen flushes a line that fills
# its 128-byte buffer as 126 characters and a newline: such a line goes
# on in the next one.
conf_arm64_console() {
	tr -d '\r' <"$log" | sed -n "s/^(XEN) DOM$1: //p" |
		awk '{ acc = acc $0 } length($0) != 126 { print acc; acc = "" }
		     END { if (acc != "") print acc }'
}

# What Xen's 'q' dump says of domain @1's vCPU: shutdown or running.
conf_arm64_state() {
	awk -v d="VCPU information and callbacks for domain $1:" '
	     index($0, d) { on = 1; next }
	     on && /General information for domain/ { on = 0 }
	     on && /pause_count=/ { print }' "$log" | tail -n 1 |
		sed -n -e 's/.*pause_count=[1-9][0-9]* pause_flags=0.*/shutdown/p' \
			-e 's/.*pause_count=0 .*/running/p'
}

# conf_arm64_boot NAME IMAGE CMDLINE TEST...: boot, wait for every
# domain's verdict line, dump the domains. Sets $log and $outcome
# (finished, timeout, xen-panic, qemu-exited, setup-failed).
conf_arm64_boot() {
	bname=$1 bimage=$2 bcmd=$3
	shift 3
	log=$out/$bname.log
	: >"$log"
	outcome=setup-failed
	conf_arm64_dtb "$bname" "$bimage" "$bcmd" "$@" 2>"$out/$bname.dtc" || return
	set -- $(seq 1 $#)
	loaders=""
	for d in "$@"; do
		loaders="$loaders -device loader,file=$bimage,addr=$(conf_arm64_addr "$d"),force-raw=on"
	done
	fifo=$out/$bname.in
	rm -f "$fifo"
	mkfifo "$fifo" || return
	# shellcheck disable=SC2086 # the loader options are words
	$CONF_ARM_QEMU -serial stdio -kernel "$XEN_ARM" -dtb "$out/$bname.dtb" \
		$loaders <"$fifo" >"$log" 2>"$out/$bname.qemu" &
	qpid=$!
	exec 3>"$fifo"
	outcome=timeout
	i=0
	while [ $i -lt $((XEN_TIMEOUT * 10)) ]; do
		n=0
		for d in "$@"; do
			grep -aq "^(XEN) DOM$d: Test result: " "$log" && n=$((n + 1))
		done
		if [ $n -eq $# ]; then
			outcome=finished
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
	if [ "$outcome" = finished ]; then
		sleep 0.5
		xen_serial_dump $(($# + 2))
		sleep 0.5
	fi
	exec 3>&-
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	rm -f "$fifo"
}
