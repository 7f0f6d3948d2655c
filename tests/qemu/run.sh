#!/bin/sh
# QEMU boot tests: boot real images under TCG and check what the console
# says and the exit status the guest reports. Each boot has a timeout; a
# hang is a failure. Usage: tests/qemu/run.sh [x86_64|arm64]...
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/qemu/tapnet.sh

BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
out=build/test/qemu
mkdir -p "$out"

# boot NAME IMAGE QEMU-ARGS... ; sets $log and $status (guest exit status,
# or "timeout", or "qemu-rc-N" when QEMU exited without a guest status).
# status_of RC [arm64]: $status from QEMU's exit code: "timeout" when it
# was killed; on arm64 the code itself (semihosting exit); on x86 the
# isa-debug-exit value (code = status << 1 | 1).
status_of() {
	if [ "$1" -eq 137 ]; then
		status=timeout
	elif [ "${2:-}" = arm64 ]; then
		status=$1
	elif [ $(($1 & 1)) -eq 1 ]; then
		status=$(($1 >> 1))
	else
		status=qemu-rc-$1
	fi
}

boot() {
	name=$1
	image=$2
	shift 2
	log=$out/$name.log
	timeout -s KILL "$BOOT_TIMEOUT" "$@" -kernel "$image" >"$log" 2>&1 </dev/null
	status_of $?
}

# boot_input NAME IMAGE INPUT QEMU...: like boot, with the guest's serial
# input on stdin; INPUT (printf %b escapes) goes in once the guest said
# "stdincheck: ready for input", and the pipe stays open until it ends.
boot_input() {
	name=$1
	image=$2
	input=$3
	shift 3
	log=$out/$name.log
	: >"$log"
	{
		for _ in $(seq 300); do
			grep -q "stdincheck: ready for input" "$log" && break
			sleep 0.1
		done
		printf '%b' "$input"
		for _ in $(seq 100); do
			grep -qE "stdincheck: (PASS|FAIL)|mica: exit" "$log" && break
			sleep 0.1
		done
	} | timeout -s KILL "$BOOT_TIMEOUT" "$@" -kernel "$image" >"$log" 2>&1
	status_of $? "$input_arch"
}

# Console input (fd 0): apps/stdincheck polls and reads a line typed on
# the serial console (Enter as "\r"), then Ctrl-D as end of file.
stdin_tests() {
	arch=$1
	sq=$2
	if ! make -s ARCH=$arch APP=stdincheck >"$out/build-$arch-stdincheck.log" 2>&1; then
		fail $arch-stdincheck-build "make ARCH=$arch APP=stdincheck failed"
		show_log "$out/build-$arch-stdincheck.log"
		return
	fi
	simg=build/$arch/stdincheck/mica.elf
	[ "$arch" = arm64 ] && simg=build/arm64/stdincheck/Image
	input_arch=$arch
	boot_input $arch-console-input "$simg" 'typed on the console\r\004' $sq
	check $arch-console-input 0 "stdincheck: ok +poll: nothing on fd 0 before input" \
		"stdincheck: ok +poll: fd 0 readable" \
		"stdincheck: read 20 bytes: 'typed on the console'" \
		"stdincheck: ok +read: Ctrl-D is end of file" "^stdincheck: PASS"
}

# check NAME WANT_STATUS PATTERN... : every grep -E pattern must match.
check() {
	name=$1
	want=$2
	shift 2
	if [ "$status" != "$want" ]; then
		fail "$name" "exit status $status, expected $want (log: $log)"
		show_log "$log"
		return
	fi
	for pat in "$@"; do
		case "$pat" in
		!*)
			if grep -qE -- "${pat#!}" "$log"; then
				fail "$name" "console shows /${pat#!}/ (log: $log)"
				show_log "$log"
				return
			fi ;;
		*)
			if ! grep -qE -- "$pat" "$log"; then
				fail "$name" "console lacks /$pat/ (log: $log)"
				show_log "$log"
				return
			fi ;;
		esac
	done
	pass "$name"
}

x86_64_tests() {
	if ! make -s ARCH=x86_64 APP=hello >"$out/build-x86_64.log" 2>&1; then
		fail qemu-x86_64-build "make failed"
		show_log "$out/build-x86_64.log"
		return
	fi
	img=build/x86_64/hello/mica.elf
	q="qemu-system-x86_64 -accel tcg -cpu qemu64 -display none -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04"
	ser="-serial stdio"

	stdin_tests x86_64 "$(echo "$q" | sed 's/-cpu qemu64/-cpu max/') -M pc -m 128M $ser"

	boot x86-hello "$img" $q -M pc -m 128M $ser
	check x86-hello 0 "^hello from Mica: 0 arguments" "heap works: 12345" \
		"wake order: 1 2 \(ok\)" "^mica: exit status 0" "!PANIC|FATAL"

	boot x86-threads-errno "$img" $q -M pc -m 128M $ser
	check x86-threads-errno 0 "thread 1 woke after 20 ms, errno 33" \
		"thread 2 woke after 40 ms, errno 34" "per-thread errno: ok"

	boot x86-argv-status "$img" $q -M pc -m 128M $ser \
		-append '-- one "two words" exit=7'
	check x86-argv-status 7 "hello from Mica: 3 arguments" \
		'argv\[1\] = "one"' 'argv\[2\] = "two words"' \
		'argv\[3\] = "exit=7"' "hello: exiting with status 7"

	boot x86-fault-report "$img" $q -M pc -m 128M $ser -append '-- fault'
	check x86-fault-report 99 \
		"FATAL EXCEPTION #PF page fault \(vector 14, error code 0x2\) in thread 'main'" \
		"rip 0x[0-9a-f]+ <fault_now[.a-z0-9]*\+0x" \
		"NULL pointer dereference" "<main\+0x" "<main_thread\+0x" \
		"stopped after a fatal exception"

	boot x86-stack-overflow "$img" $q -M pc -m 128M $ser -append '-- recurse'
	check x86-stack-overflow 99 "FATAL EXCEPTION #PF" \
		"stack overflow: thread 'main' ran into the guard page" \
		"<recurse\+0x" "the same frame [0-9]+ more times"

	boot x86-oom-main-stack "$img" $q -M pc -m 2M $ser -append 'mainstack=1024'
	check x86-oom-main-stack 99 \
		"PANIC: out of memory: cannot start the app's main thread \(1024 KiB stack; [0-9]+ KiB free" \
		"give the guest more memory"

	boot x86-oom-malloc "$img" $q -M pc -m 2M $ser -append '-- alloc=4096'
	check x86-oom-malloc 3 "malloc\(4096 KiB\) failed: Not enough space"

	boot x86-bad-cmdline "$img" $q -M pc -m 128M $ser -append 'bogus=1 -- x'
	check x86-bad-cmdline 99 \
		"bad command line: unknown option 'bogus' \(known: loglevel quiet" \
		"!hello from Mica"

	boot x86-bad-csum-offload "$img" $q -M pc -m 128M $ser \
		-append 'net.csum_offload=maybe'
	check x86-bad-csum-offload 99 \
		"bad command line: option 'net.csum_offload': 'maybe' is not on or off"

	boot x86-bad-quote "$img" $q -M pc -m 128M $ser -append '-- "open'
	check x86-bad-quote 99 "bad command line: unterminated quote"

	boot x86-q35 "$img" $q -M q35 -m 256M $ser
	check x86-q35 0 "^hello from Mica" "wake order: 1 2 \(ok\)"

	boot x86-debugcon "$img" $q -M pc -m 128M -serial none -debugcon stdio
	check x86-debugcon 0 "console debugcon" "^hello from Mica"

	boot x86-quiet "$img" $q -M pc -m 128M $ser -append 'quiet -- exit=4'
	check x86-quiet 4 "^hello from Mica" "!^Mica |^memory:"

	x86_vcons_tests "$q $ser"
	x86_net_tests "$q $ser"
	x86_virtio_tests "$q $ser"
}

# The network stack (lwIP) and POSIX sockets: apps/sockcheck over loopback
# only (no network device), its refusals, and apps/httpd over virtio-net.
x86_net_tests() {
	nq=$1
	if ! make -s ARCH=x86_64 APP=sockcheck >"$out/build-sockcheck.log" 2>&1; then
		fail x86-sockcheck-build "make APP=sockcheck failed"
		show_log "$out/build-sockcheck.log"
		return
	fi
	nimg=build/x86_64/sockcheck/mica.elf
	# RDRAND for the stack's random seed: qemu64 lacks it, max has it.
	nqmax=$(echo "$nq" | sed 's/-cpu qemu64/-cpu max/')

	boot x86-sockcheck "$nimg" $nqmax -M pc -m 128M
	check x86-sockcheck 0 "net: random seed from RDRAND" \
		"net: no network device: loopback \(127.0.0.1\) only" \
		"sockcheck: ok +bulk transfer over select\(\)" \
		"^sockcheck: PASS" "!sockcheck: FAIL|PANIC|FATAL"

	boot x86-sockcheck-no-entropy "$nimg" $nq -M pc -m 128M
	check x86-sockcheck-no-entropy 99 \
		"mica: net: no entropy source \(no RDRAND, RNDR or virtio-rng\)" \
		"boot with insecure_rng=1" "!sockcheck:"

	boot x86-sockcheck-insecure-rng "$nimg" $nq -M pc -m 128M \
		-append 'insecure_rng=1'
	check x86-sockcheck-insecure-rng 0 \
		"net: WARNING: no entropy source; insecure_rng=1" \
		"^sockcheck: PASS"

	boot x86-net-gw-without-ip "$nimg" $nqmax -M pc -m 128M \
		-append 'gw=10.0.2.2'
	check x86-net-gw-without-ip 99 "mica: net: bad command line: gw= needs ip=" \
		"!sockcheck:"

	boot x86-net-bad-ip "$nimg" $nqmax -M pc -m 128M -append 'ip=10.0.2.300'
	check x86-net-bad-ip 99 \
		"bad command line: option 'ip': '10.0.2.300' is not an IPv4 address" \
		"ip +static IPv4 address"

	# With a network device: a static address, and DHCP with no server.
	nnet="-device virtio-net-pci,netdev=n0,disable-legacy=on"
	boot x86-net-static-ip "$nimg" $nqmax -M pc -m 128M \
		-netdev user,id=n0 $nnet \
		-append 'ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3'
	check x86-net-static-ip 0 \
		"net: virtio-net: 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3 \(static\)" \
		"^sockcheck: PASS"

	boot x86-net-no-dhcp-server "$nimg" $nqmax -M pc -m 128M \
		-netdev hubport,id=n0,hubid=0 $nnet -append 'dhcp_wait=1'
	check x86-net-no-dhcp-server 0 \
		"net: virtio-net: no DHCP lease after 1 s; main starts" \
		"^sockcheck: PASS"

	x86_httpd_test "$nqmax"
}

# apps/httpd on virtio-net, driven by curl: first on QEMU's user network
# (127.0.0.1:18080 forwarded to the guest's port 8080), whose device offers
# no checksum offload; then on a tap device in a private network
# (tests/qemu/tapnet.sh), whose device does, with the offload on and off.
x86_httpd_test() {
	hq=$1
	if [ ! -f drivers/virtio/net.c ]; then
		skip x86-httpd "no virtio-net driver yet (drivers/virtio/net.c)"
		return
	fi
	if ! command -v curl >/dev/null 2>&1 && ! tools/deps.sh nettest; then
		skip x86-httpd "curl missing and could not be installed"
		return
	fi
	if ! make -s ARCH=x86_64 APP=httpd >"$out/build-httpd.log" 2>&1; then
		fail x86-httpd-build "make APP=httpd failed"
		show_log "$out/build-httpd.log"
		return
	fi
	# The user network: lwIP computes and checks every checksum.
	hs_name=x86-httpd
	hs_qrun=""
	hs_crun=""
	hs_addr=127.0.0.1:18080
	hs_netdev="user,id=n0,hostfwd=tcp:127.0.0.1:18080-:8080"
	hs_opts=""
	hs_want="checksum offload: TX not offered, RX not offered"
	hs_extra=""
	hs_stats=httpd_stats_no_offload
	httpd_suite "$hq"
	x86_httpd_csum_tests "$hq"
}

# Each counter named in $2 ("name=0" or "name>0") as /stats ($1) shows it;
# prints what does not hold.
stats_expect() {
	for e in $2; do
		k=${e%%[=>]*}
		v=$(echo "$1" | sed -n "s/.*\"$k\": \([0-9]*\).*/\1/p")
		case "$e" in
		*'>0') [ "${v:-0}" -gt 0 ] || echo "$k is ${v:-missing}" ;;
		*'=0') [ "${v:-x}" = 0 ] || echo "$k is ${v:-missing}" ;;
		esac
	done
}

httpd_stats_no_offload() {
	stats_expect "$1" "tx_offloaded=0 tx_software=0 rx_device=0 \
rx_software=0 rx_bad_csum=0 rx_bad_hdr=0"
}

# Offload on: the device finished the guest's checksums (the client got
# its data through the router, which checks them), and received frames
# were vouched for by the device (the router's own, NEEDS_CSUM) or checked
# by the driver (the client's), none wrong.
httpd_stats_offload() {
	stats_expect "$1" "tx_offloaded>0 rx_device>0 rx_software>0 \
rx_bad_csum=0 rx_bad_hdr=0"
}

# The router's own client: its frames reach the guest with partial
# checksums (NEEDS_CSUM), and the guest's come back unchecked.
httpd_router_fetch() {
	[ "$($hs_qrun curl -s --max-time 20 "http://$hs_addr/bytes/$n" |
		sha256sum)" = "$want_sum" ] ||
		why="/bytes/$n from the router: wrong data"
}

# httpd_suite QEMU: boot httpd and run the whole curl suite. The run is
# described by hs_name (test name), hs_qrun and hs_crun (command prefixes
# that put QEMU and the clients in their network namespaces, or empty),
# hs_addr (the guest's address:port as the client sees it), hs_netdev
# (QEMU -netdev), hs_opts (kernel options), hs_want (a boot log pattern),
# hs_extra (a function run after the checks, may set $why) and hs_stats
# (a function judging /stats: prints what is wrong).
httpd_suite() {
	hq=$1
	url=http://$hs_addr
	log=$out/$hs_name.log
	$hs_qrun timeout -s KILL "$BOOT_TIMEOUT" $hq -M pc -m 128M \
		-netdev "$hs_netdev" \
		-device virtio-net-pci,netdev=n0,disable-legacy=on \
		-kernel build/x86_64/httpd/mica.elf \
		-append "$hs_opts -- idle=3" >"$log" 2>&1 </dev/null &
	hpid=$!
	for _ in $(seq 150); do
		grep -q "^httpd: listening" "$log" && break
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.2
	done
	if ! grep -q "^httpd: listening" "$log"; then
		kill "$hpid" 2>/dev/null
		wait "$hpid" 2>/dev/null
		fail "$hs_name" "httpd did not start (log: $log)"
		show_log "$log"
		skip "$hs_name-close-churn" "$hs_name failed first"
		return
	fi
	why=""
	grep -qE -- "$hs_want" "$log" || why="the boot log lacks /$hs_want/"
	c="$hs_crun curl -s --max-time 20"
	body=$($c "$url/")
	[ -z "$why" ] && case "$body" in
		*"Hello from Mica"*) ;;
		*) why="GET / gave no page" ;;
	esac
	# Two requests on one connection (keep-alive).
	[ -z "$why" ] && ! $c -v "$url/hello.txt" "$url/style.css" 2>&1 |
		grep -q "Re-using existing connection" &&
		why="no keep-alive: curl did not re-use the connection"
	[ -z "$why" ] &&
		[ "$($c -o /dev/null -w '%{http_code}' "$url/nope")" != 404 ] &&
		why="/nope did not give 404"
	# A connection that sends nothing (held open 6 s) while others are
	# served; the server drops it after idle=3 s.
	sleep 6 | $c "telnet://$hs_addr" >/dev/null 2>&1 &
	idle_pid=$!
	sleep 0.5
	# 2 MB checked byte for byte, and 50 clients at once.
	n=2000000
	want_sum=$(yes abcdefghijklmnopqrstuvwxyz | tr -d '\n' | head -c $n |
		sha256sum)
	[ -z "$why" ] && [ "$($c "$url/bytes/$n" | sha256sum)" != "$want_sum" ] &&
		why="/bytes/$n: wrong data"
	if [ -z "$why" ]; then
		pids=""
		for i in $(seq 50); do
			$c -o "$out/$hs_name-par.$i" "$url/index.html" &
			pids="$pids $!"
		done
		wait $pids
		ok=0
		for i in $(seq 50); do
			cmp -s "$out/$hs_name-par.$i" apps/httpd/www/index.html &&
				ok=$((ok + 1))
		done
		rm -f "$out/$hs_name-par".*
		[ "$ok" -eq 50 ] ||
			why="only $ok of 50 concurrent clients got the page"
	fi
	[ -z "$why" ] && [ -n "$hs_extra" ] && $hs_extra
	wait "$idle_pid" 2>/dev/null
	stats=$($c "$url/stats")
	[ -z "$why" ] && ! echo "$stats" | grep -Eq '"idle_timeouts": [1-9]' &&
		why="/stats shows no idle timeout: $stats"
	# No Xen here: no grant table, and so none in use.
	[ -z "$why" ] && ! echo "$stats" | grep -Eq '"grants": \{ "in_use": 0, "table": 0 \}' &&
		why="/stats shows no grants entry: $stats"
	echo "$stats" >"$out/$hs_name.stats"
	churn_skip=""
	churn_why=""
	if [ -z "$why" ]; then
		x86_httpd_churn "$url"
	else
		churn_skip="$hs_name failed first"
	fi
	# The checksum counters, after everything (churn included).
	stats=$($c "$url/stats")
	echo "$stats" >"$out/$hs_name.stats"
	wrong=$($hs_stats "$stats" | tr '\n' ' ')
	[ -z "$why" ] && [ -n "$wrong" ] &&
		why="/stats checksum counters: $wrong(see $out/$hs_name.stats)"
	kill "$hpid" 2>/dev/null
	wait "$hpid" 2>/dev/null
	if [ -n "$why" ]; then
		fail "$hs_name" "$why (log: $log)"
		show_log "$log"
	elif grep -qE "PANIC|FATAL" "$log"; then
		fail "$hs_name" "the guest reported an error (log: $log)"
		show_log "$log"
	else
		pass "$hs_name"
	fi
	if [ -n "$churn_skip" ]; then
		skip "$hs_name-close-churn" "$churn_skip"
	elif [ -n "$churn_why" ]; then
		fail "$hs_name-close-churn" "$churn_why (log: $log)"
		show_log "$out/$hs_name-churn.log"
	else
		pass "$hs_name-close-churn"
	fi
}

# Regression: httpd stopped answering after ~1200 connections it closed
# (a lost virtio-net kick stalled the transmit ring for good, and a SYN
# that met an old connection in TIME-WAIT hung). ~2000 requests with
# "Connection: close" (wrk, installed by tools/deps.sh bench if missing),
# then GET / must still give the page. Sets $churn_why or $churn_skip.
x86_httpd_churn() {
	curl_url=$1
	clog=$out/$hs_name-churn.log
	: >"$clog"
	command -v wrk >/dev/null 2>&1 || tools/deps.sh bench >>"$clog" 2>&1
	if ! command -v wrk >/dev/null 2>&1; then
		churn_skip="wrk missing and could not be installed"
		churn_skip="$churn_skip (tools/deps.sh bench, log: $clog)"
		return
	fi
	$hs_crun timeout 15 wrk -c4 -t1 -d4s -H "Connection: close" \
		"$curl_url/index.html" >>"$clog" 2>&1
	nreq=$(sed -n 's/^ *\([0-9][0-9]*\) requests in .*/\1/p' "$clog")
	code=$($hs_crun curl -s -m 10 -o "$out/$hs_name-churn.body" \
		-w '%{http_code}' "$curl_url/")
	echo "after: GET / gave $code" >>"$clog"
	if [ "${nreq:-0}" -lt 500 ]; then
		churn_why="wrk completed only ${nreq:-0} requests in 4 s"
	elif [ "$code" != 200 ] ||
		! grep -q "Hello from Mica" "$out/$hs_name-churn.body"; then
		churn_why="after $nreq closed connections GET / gave $code"
	fi
	rm -f "$out/$hs_name-churn.body"
}

# httpd on a tap device, whose virtio-net offers checksum offload: the
# whole suite with it on (the boot log must say so), then one boot with
# net.csum_offload=off fetching the 2 MB file. Then sockcheck talking to
# its own address there: lwIP loops those frames back inside the
# interface, unchecksummed, so its check must be off with its generation.
x86_httpd_csum_tests() {
	hq=$1
	: >"$out/tapnet.log"
	if ! tapnet_up "$out/tapnet.log"; then
		for t in x86-httpd-csum x86-httpd-csum-close-churn \
			x86-httpd-csum-off x86-sockcheck-csum-self; do
			skip "$t" "no private tap network: $tapnet_why"
		done
		return
	fi
	hs_name=x86-httpd-csum
	hs_qrun="nsenter -t $tapnet_rpid -n"
	hs_crun="nsenter -t $tapnet_cpid -n"
	hs_addr=$TAPNET_GUEST:8080
	hs_netdev=$TAPNET_NETDEV
	hs_opts=$TAPNET_GUEST_ARGS
	hs_want="virtio-net: .*: checksum offload: TX on, RX on"
	hs_extra=httpd_router_fetch
	hs_stats=httpd_stats_offload
	httpd_suite "$hq"
	x86_httpd_csum_off "$hq"
	boot x86-sockcheck-csum-self build/x86_64/sockcheck/mica.elf \
		nsenter -t "$tapnet_rpid" -n $hq -M pc -m 128M \
		-netdev "$TAPNET_NETDEV" \
		-device virtio-net-pci,netdev=n0,disable-legacy=on \
		-append "$TAPNET_GUEST_ARGS -- addr=$TAPNET_GUEST"
	check x86-sockcheck-csum-self 0 "checksum offload: TX on, RX on" \
		"sockcheck: over $TAPNET_GUEST" \
		"sockcheck: ok +bulk transfer over select\(\)" \
		"^sockcheck: PASS" "!sockcheck: FAIL|PANIC|FATAL"
	tapnet_down
}

x86_httpd_csum_off() {
	hq=$1
	name=x86-httpd-csum-off
	log=$out/$name.log
	url=http://$TAPNET_GUEST:8080
	c="nsenter -t $tapnet_cpid -n curl -s --max-time 20"
	nsenter -t "$tapnet_rpid" -n timeout -s KILL "$BOOT_TIMEOUT" $hq -M pc -m 128M \
		-netdev "$TAPNET_NETDEV" \
		-device virtio-net-pci,netdev=n0,disable-legacy=on \
		-kernel build/x86_64/httpd/mica.elf \
		-append "net.csum_offload=off $TAPNET_GUEST_ARGS" \
		>"$log" 2>&1 </dev/null &
	hpid=$!
	for _ in $(seq 150); do
		grep -q "^httpd: listening" "$log" && break
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.2
	done
	why=""
	n=2000000
	if ! grep -q "^httpd: listening" "$log"; then
		why="httpd did not start"
	elif ! grep -q "checksum offload off (net.csum_offload=off)" "$log"; then
		why="the boot log does not say the offload is off"
	elif [ "$($c "$url/bytes/$n" | sha256sum)" != "$(yes \
		abcdefghijklmnopqrstuvwxyz | tr -d '\n' | head -c $n |
		sha256sum)" ]; then
		why="/bytes/$n: wrong data"
	else
		stats=$($c "$url/stats")
		echo "$stats" >"$out/$name.stats"
		wrong=$(httpd_stats_no_offload "$stats" | tr '\n' ' ')
		[ -n "$wrong" ] && why="/stats checksum counters: $wrong"
	fi
	kill "$hpid" 2>/dev/null
	wait "$hpid" 2>/dev/null
	if [ -n "$why" ]; then
		fail "$name" "$why (log: $log)"
		show_log "$log"
	else
		pass "$name"
	fi
}

# virtio-net on QEMU's user network, driver level (apps/netcheck: an ARP
# exchange with the gateway, no network stack).
x86_virtio_tests() {
	q=$1
	if ! make -s ARCH=x86_64 APP=netcheck >"$out/build-netcheck.log" 2>&1; then
		fail x86-virtio-build "make APP=netcheck failed"
		show_log "$out/build-netcheck.log"
		return
	fi
	img=build/x86_64/netcheck/mica.elf
	net="-netdev user,id=n0 -device virtio-net-pci,netdev=n0"

	boot x86-virtio-net-arp "$img" $q -M pc -m 128M $net,disable-legacy=on
	check x86-virtio-net-arp 0 \
		"virtio: pci [0-9a-f:.]+ \(device 1\) via virtio-pci, DMA identity" \
		"virtio-net: .*MSI-X" "netcheck: PASS ARP reply from 10.0.2.2"

	boot x86-virtio-net-transitional "$img" $q -M q35 -m 128M $net
	check x86-virtio-net-transitional 0 "netcheck: PASS ARP reply"

	boot x86-virtio-net-legacy-refused "$img" $q -M pc -m 128M \
		$net,disable-modern=on
	check x86-virtio-net-legacy-refused 2 \
		"no modern \(virtio 1.x\) interface; legacy devices are not supported" \
		"netcheck: FAIL no network device"

	boot x86-virtio-grant-needs-access-platform "$img" $q -M pc -m 128M \
		$net,disable-legacy=on -append virtio_dma=grant
	check x86-virtio-grant-needs-access-platform 2 \
		"DMA xen-grant \(forced by virtio_dma=grant\)" \
		"grant DMA needs VIRTIO_F_ACCESS_PLATFORM, which the device does not offer; device disabled"

	# microvm (no PCI, no ACPI): QEMU names the virtio-mmio slots on the
	# command line (virtio_mmio.device=512@0xfeb00e00:12 and so on).
	boot x86-microvm-virtio-mmio "$img" $q -M microvm,acpi=off -m 128M \
		-global virtio-mmio.force-legacy=false \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0
	check x86-microvm-virtio-mmio 0 \
		"virtio: mmio 0xfeb[0-9a-f]+ \(device 1\) via virtio-mmio" \
		"ioapic: version 0x[0-9a-f]+, [0-9]+ pins" \
		"virtio-net: mmio 0xfeb[0-9a-f]+: 128/64 queue entries, interrupt line" \
		"netcheck: PASS ARP reply from 10.0.2.2" \
		"netcheck: [1-9][0-9]* device interrupts"

	# No MSI-X (vectors=0): INTx through the I/O APIC, on pc and q35.
	for m in pc q35; do
		boot x86-virtio-net-intx-$m "$img" $q -M $m -m 128M \
			$net,disable-legacy=on,vectors=0
		check x86-virtio-net-intx-$m 0 \
			"virtio-net: pci [0-9a-f:.]+: 128/64 queue entries, INTx" \
			"netcheck: PASS ARP reply from 10.0.2.2" \
			"netcheck: [1-9][0-9]* device interrupts"
	done

	# A slot the command line promises but that stays empty (a backend
	# that never comes): waited for visibly, given up after
	# virtio_mmio.wait, and the boot goes on with the device that is there.
	boot x86-virtio-mmio-late-backend "$img" $q -M microvm,acpi=off \
		-m 128M -global virtio-mmio.force-legacy=false \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0 \
		-append "virtio_mmio.device=512@0xfeb00000:5 virtio_mmio.wait=1"
	check x86-virtio-mmio-late-backend 0 \
		"virtio: mmio 0xfeb00000: no device yet \(backend not ready\?\); waiting up to 1 s" \
		"virtio: mmio 0xfeb00000: still no device after 1 s; going on without it" \
		"virtio: mmio 0xfeb00e00 \(device 1\) via virtio-mmio" \
		"netcheck: PASS ARP reply from 10.0.2.2"

	# Entropy: virtio-rng, the CPU's RDRAND, and nothing.
	if make -s ARCH=x86_64 APP=rngcheck >"$out/build-rngcheck.log" 2>&1; then
		rimg=build/x86_64/rngcheck/mica.elf
		boot x86-virtio-rng "$rimg" $q -M pc -m 128M \
			-device virtio-rng-pci,disable-legacy=on
		check x86-virtio-rng 0 "rngcheck: PASS 64 bytes from virtio-rng"
		qmax=$(echo "$q" | sed 's/-cpu qemu64/-cpu max/')
		boot x86-rdrand "$rimg" $qmax -M pc -m 128M
		check x86-rdrand 0 "rngcheck: PASS 64 bytes from RDRAND"
		boot x86-no-entropy "$rimg" $q -M pc -m 128M
		check x86-no-entropy 2 "rngcheck: FAIL no entropy source"
	else
		fail x86-rngcheck-build "make APP=rngcheck failed"
	fi

	x86_blk_tests "$q"

	boot x86-no-net-device "$img" $q -M pc -m 128M
	check x86-no-net-device 2 "netcheck: FAIL no network device"
}

# check_file NAME FILE PATTERN... : like check (same status), on what the
# guest wrote to FILE through a QEMU chardev instead of the serial log.
check_file() {
	cf_name=$1
	log=$2
	shift 2
	check "$cf_name" "$status" "$@"
}

# vcons_pipe NAME: FIFOs $pipe.in and $pipe.out for a QEMU `-chardev pipe`
# console: "typed input" waits in .in, .out is copied to $pipe.got. Both
# helpers are bounded and end when QEMU (holding both FIFOs) exits;
# $pipe_pids names them for `wait`.
# (stdincheck prints its ready line there; the input goes in after it)
vcons_pipe() {
	pipe=$out/$1-pipe
	rm -f "$pipe.in" "$pipe.out" "$pipe.got"
	mkfifo "$pipe.in" "$pipe.out"
	timeout "$BOOT_TIMEOUT" cat "$pipe.out" >"$pipe.got" &
	pipe_pids=$!
	timeout "$BOOT_TIMEOUT" sh -c "exec 3>'$pipe.in'
		for i in \$(seq 300); do
			grep -q 'stdincheck: ready for input' '$pipe.got' && break
			sleep 0.1
		done
		printf 'typed into virtio\\r\\004' >&3
		sleep 2" &
	pipe_pids="$pipe_pids $!"
}

# virtio-console on virtio-pci: hello's output in the file behind the
# virtconsole, and with console=virtio only there; console=virtio with no
# device; input through a pipe, read by stdincheck; microvm's virtio-mmio.
x86_vcons_tests() {
	cq=$1
	cimg=build/x86_64/hello/mica.elf
	vs="-device virtio-serial-pci,disable-legacy=on -device virtconsole,chardev=vc0"
	vf=$out/x86-vcons.out

	rm -f "$vf"
	boot x86-virtio-console "$cimg" $cq -M pc -m 128M $vs \
		-chardev file,id=vc0,path="$vf"
	check x86-virtio-console 0 \
		"virtio: pci [0-9a-f:.]+ \(device 3\) via virtio-pci, DMA identity" \
		"virtio-console: pci [0-9a-f:.]+ port 0 as a console" \
		"^hello from Mica: 0 arguments" "!PANIC|FATAL|broken"
	check_file x86-virtio-console-output "$vf" \
		"^virtio-console: pci [0-9a-f:.]+ port 0 as a console" \
		"^hello from Mica: 0 arguments" "wake order: 1 2 \(ok\)" \
		"^hello: exiting with status 0" "^mica: exit status 0" \
		"!^Mica |^memory:"

	rm -f "$vf"
	boot x86-virtio-console-only "$cimg" $cq -M pc -m 128M $vs \
		-chardev file,id=vc0,path="$vf" -append 'console=virtio -- exit=6'
	check x86-virtio-console-only 6 \
		"virtio-console: pci [0-9a-f:.]+ port 0 as a console" \
		"console: from now on only on virtio \(console=virtio\)" \
		"!hello from Mica" "!exit status"
	check_file x86-virtio-console-only-output "$vf" \
		"^hello from Mica: 1 argument" "^hello: exiting with status 6" \
		"^mica: exit status 6"

	boot x86-virtio-console-missing "$cimg" $cq -M pc -m 128M \
		-append 'console=virtio'
	check x86-virtio-console-missing 0 \
		"console: console=virtio, but no virtio console was found; output stays on serial" \
		"^hello from Mica: 0 arguments" "^mica: exit status 0"

	boot x86-console-bad-value "$cimg" $cq -M pc -m 128M -append 'console=vga'
	check x86-console-bad-value 99 \
		"bad command line: option 'console': 'vga' is not virtio or all" \
		"!hello from Mica"

	# Input through the virtconsole only (console=virtio), read by
	# apps/stdincheck (an app with the network stack: RDRAND, -cpu max).
	if make -s ARCH=x86_64 APP=stdincheck >/dev/null 2>&1; then
		vcons_pipe x86-vcons
		boot x86-virtio-console-input build/x86_64/stdincheck/mica.elf \
			$(echo "$cq" | sed 's/-cpu qemu64/-cpu max/') -M pc -m 128M $vs \
			-chardev pipe,id=vc0,path="$pipe" -append console=virtio
		wait $pipe_pids
		check x86-virtio-console-input 0 \
			"console: from now on only on virtio \(console=virtio\)" "!broken"
		check_file x86-virtio-console-input-output "$pipe.got" \
			"stdincheck: read 17 bytes: 'typed into virtio'" \
			"stdincheck: ok +read: Ctrl-D is end of file" "^stdincheck: PASS"
	else
		fail x86-virtio-console-input "make APP=stdincheck failed"
	fi

	rm -f "$vf"
	boot x86-microvm-virtio-console "$cimg" $cq -M microvm,acpi=off -m 128M \
		-global virtio-mmio.force-legacy=false \
		-device virtio-serial-device -device virtconsole,chardev=vc0 \
		-chardev file,id=vc0,path="$vf"
	check x86-microvm-virtio-console 0 \
		"virtio-console: mmio 0xfeb[0-9a-f]+ port 0 as a console"
	check_file x86-microvm-virtio-console-output "$vf" \
		"^hello from Mica: 0 arguments" "^mica: exit status 0"
}

# boot_arm64 NAME IMAGE QEMU-ARGS... : like boot, for semihosting, where
# QEMU's exit code is the guest's status itself.
boot_arm64() {
	name=$1
	image=$2
	shift 2
	log=$out/$name.log
	timeout -s KILL "$BOOT_TIMEOUT" "$@" -kernel "$image" >"$log" 2>&1 </dev/null
	status_of $? arm64
}

arm64_tests() {
	if ! make -s ARCH=arm64 APP=hello >"$out/build-arm64.log" 2>&1; then
		fail qemu-arm64-build "make failed"
		show_log "$out/build-arm64.log"
		return
	fi
	img=build/arm64/hello/Image
	q="qemu-system-aarch64 -accel tcg -cpu cortex-a57 -display none -monitor none -no-reboot -serial stdio"
	sh="-semihosting-config enable=on,target=native"

	stdin_tests arm64 "$(echo "$q" | sed 's/-cpu cortex-a57/-cpu max/') -M virt -m 128M $sh"

	boot_arm64 arm64-hello "$img" $q -M virt -m 128M $sh
	check arm64-hello 0 "^hello from Mica: 0 arguments" "heap works: 12345" \
		"wake order: 1 2 \(ok\)" "^mica: exit status 0" \
		"console pl011" "GICv2" "PL031 RTC 2[0-9]{3}-" "!PANIC|FATAL"

	boot_arm64 arm64-threads-errno "$img" $q -M virt -m 128M $sh
	check arm64-threads-errno 0 "thread 1 woke after 20 ms, errno 33" \
		"thread 2 woke after 40 ms, errno 34" "per-thread errno: ok"

	boot_arm64 arm64-argv-status "$img" $q -M virt -m 128M $sh \
		-append '-- one "two words" exit=7'
	check arm64-argv-status 7 "hello from Mica: 3 arguments" \
		'argv\[1\] = "one"' 'argv\[2\] = "two words"' \
		'argv\[3\] = "exit=7"' "hello: exiting with status 7"

	boot_arm64 arm64-fault-report "$img" $q -M virt -m 128M $sh \
		-append '-- fault'
	check arm64-fault-report 99 \
		"FATAL EXCEPTION data abort \(ESR 0x96[0-9a-f]+, EC 0x25\) in thread 'main'" \
		"pc  0x[0-9a-f]+ <fault_now[.a-z0-9]*\+0x" \
		"fault address 0x0+ \(write, translation fault" \
		"NULL pointer dereference" "<main\+0x" "<main_thread\+0x" \
		"stopped after a fatal exception"

	boot_arm64 arm64-stack-overflow "$img" $q -M virt -m 128M $sh \
		-append '-- recurse'
	check arm64-stack-overflow 99 "FATAL EXCEPTION data abort" \
		"stack overflow: thread 'main' ran into the guard page" \
		"<recurse\+0x" "the same frame [0-9]+ more times"

	boot_arm64 arm64-oom-main-stack "$img" $q -M virt -m 3M $sh \
		-append 'mainstack=4096'
	check arm64-oom-main-stack 99 \
		"PANIC: out of memory: cannot start the app's main thread \(4096 KiB stack; [0-9]+ KiB free" \
		"give the guest more memory"

	boot_arm64 arm64-oom-malloc "$img" $q -M virt -m 4M $sh \
		-append '-- alloc=4096'
	check arm64-oom-malloc 3 "malloc\(4096 KiB\) failed: Not enough space"

	boot_arm64 arm64-bad-cmdline "$img" $q -M virt -m 128M $sh \
		-append 'bogus=1 -- x'
	check arm64-bad-cmdline 99 \
		"bad command line: unknown option 'bogus' \(known: loglevel quiet" \
		"!hello from Mica"

	boot_arm64 arm64-bad-quote "$img" $q -M virt -m 128M $sh \
		-append '-- "open'
	check arm64-bad-quote 99 "bad command line: unterminated quote"

	# Refused while reading the device tree, before any console exists:
	# the message goes out through semihosting.
	boot_arm64 arm64-bootargs-too-long "$img" $q -M virt -m 128M $sh \
		-append "$(head -c 2100 /dev/zero | tr '\0' a)"
	check arm64-bootargs-too-long 99 \
		"bad device tree: device tree: /chosen bootargs is 2100 bytes \(max 2048\)"

	boot_arm64 arm64-gicv3 "$img" $q -M virt,gic-version=3 -m 256M $sh
	check arm64-gicv3 0 "GICv3" "wake order: 1 2 \(ok\)"

	# Entered at EL2 (no hypervisor): Mica drops to EL1 itself.
	boot_arm64 arm64-el2-entry "$img" $q -M virt,virtualization=on,gic-version=3 \
		-m 128M $sh -append 'loglevel=2'
	check arm64-el2-entry 0 "entered at EL2 \(dropped to EL1\)" \
		"^hello from Mica" "wake order: 1 2 \(ok\)"

	# No semihosting: the HLT traps and is skipped, PSCI powers off.
	boot_arm64 arm64-no-semihosting "$img" $q -M virt -m 128M \
		-append '-- exit=5'
	check arm64-no-semihosting 0 "hello: exiting with status 5" \
		"^mica: exit status 5" "powering off with PSCI" "!FATAL"

	boot_arm64 arm64-quiet "$img" $q -M virt -m 128M $sh \
		-append 'quiet -- exit=4'
	check arm64-quiet 4 "^hello from Mica" "!^Mica |^memory:"

	arm64_vcons_tests "$q $sh"
	arm64_net_tests "$q $sh"
	arm64_virtio_tests "$q $sh"
}

# The network stack on arm64: apps/sockcheck over loopback, then with a
# virtio-mmio network device (DHCP) and virtio-rng for the random seed
# (cortex-a57 has no RNDR).
arm64_net_tests() {
	aq=$1
	if ! make -s ARCH=arm64 APP=sockcheck >"$out/build-arm64-sockcheck.log" 2>&1; then
		fail arm64-sockcheck-build "make ARCH=arm64 APP=sockcheck failed"
		show_log "$out/build-arm64-sockcheck.log"
		return
	fi
	aimg=build/arm64/sockcheck/Image
	boot_arm64 arm64-sockcheck "$aimg" $aq -M virt -m 128M \
		-append 'insecure_rng=1'
	check arm64-sockcheck 0 "net: no network device: loopback" \
		"^sockcheck: PASS" "!PANIC|FATAL"

	boot_arm64 arm64-sockcheck-virtio "$aimg" $aq -M virt -m 128M \
		-global virtio-mmio.force-legacy=false -device virtio-rng-device \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0
	check arm64-sockcheck-virtio 0 "net: random seed from virtio-rng" \
		"net: virtio-net: 10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3 \(DHCP" \
		"^sockcheck: PASS"
}

# The sector blkcheck wrote at @2, read back from the image on the host.
host_sector_ok() {
	[ "$(dd if="$1" bs=512 skip="$2" count=1 2>/dev/null | head -c 16)" = \
		"$(printf 'mica-blk %06d' "$2")" ]
}

# virtio-blk: blkcheck on a raw image made here, checked from the host.
x86_blk_tests() {
	q=$1
	if ! make -s ARCH=x86_64 APP=blkcheck >"$out/build-blkcheck.log" 2>&1; then
		fail x86-blkcheck-build "make APP=blkcheck failed"
		return
	fi
	bimg=build/x86_64/blkcheck/mica.elf
	disk=$out/x86-disk.img
	rm -f "$disk"
	truncate -s 16M "$disk"
	drv="-drive file=$disk,if=none,id=d0,format=raw"
	boot x86-virtio-blk "$bimg" $q -M pc -m 128M $drv \
		-device virtio-blk-pci,drive=d0,disable-legacy=on
	check x86-virtio-blk 0 "blk: virtio-blk .*32768 sectors \(16 MiB\)" \
		"virtio-blk: pci [0-9a-f:.]+: 32 requests in flight \(indirect descriptors\), MSI-X" \
		"blkcheck: PASS wrote and verified 128 sectors"
	if host_sector_ok "$disk" 0 && host_sector_ok "$disk" 32767 &&
		host_sector_ok "$disk" $(( (32768 - 8) / 15 * 7 ))
	then
		pass x86-virtio-blk-host-verify
	else
		fail x86-virtio-blk-host-verify "the image lacks blkcheck's pattern"
	fi
	boot x86-virtio-blk-readonly "$bimg" $q -M pc -m 128M \
		-drive file="$disk",if=none,id=d0,format=raw,readonly=on \
		-device virtio-blk-pci,drive=d0,disable-legacy=on -append '-- ro'
	check x86-virtio-blk-readonly 0 "read-only" \
		"blkcheck: PASS read-only disk: write refused, read works"
	boot x86-no-blk-device "$bimg" $q -M pc -m 128M
	check x86-no-blk-device 2 "blkcheck: FAIL no block device"
}

# virtio-net over virtio-mmio on the virt machine (polled), driver level.
arm64_virtio_tests() {
	q=$1
	if ! make -s ARCH=arm64 APP=netcheck >"$out/build-arm64-netcheck.log" 2>&1; then
		fail arm64-virtio-build "make ARCH=arm64 APP=netcheck failed"
		show_log "$out/build-arm64-netcheck.log"
		return
	fi
	img=build/arm64/netcheck/Image
	net="-netdev user,id=n0 -device virtio-net-device,netdev=n0"

	boot_arm64 arm64-virtio-mmio-net-arp "$img" $q -M virt -m 128M \
		-global virtio-mmio.force-legacy=false $net
	check arm64-virtio-mmio-net-arp 0 \
		"virtio: mmio 0x[0-9a-f]+ \(device 1\) via virtio-mmio, DMA identity" \
		"virtio-net: mmio 0x[0-9a-f]+: 128/64 queue entries, interrupt line" \
		"netcheck: PASS ARP reply from 10.0.2.2" \
		"netcheck: [1-9][0-9]* device interrupts"
	# The same SPI through a GICv3 distributor (affinity routing).
	boot_arm64 arm64-virtio-mmio-net-gicv3 "$img" $q -M virt,gic-version=3 \
		-m 128M -global virtio-mmio.force-legacy=false $net
	check arm64-virtio-mmio-net-gicv3 0 \
		"GICv3" "virtio-net: mmio 0x[0-9a-f]+: 128/64 queue entries, interrupt line" \
		"netcheck: [1-9][0-9]* device interrupts"

	if make -s ARCH=arm64 APP=rngcheck >"$out/build-arm64-rngcheck.log" 2>&1; then
		rimg=build/arm64/rngcheck/Image
		boot_arm64 arm64-virtio-rng "$rimg" $q -M virt -m 128M \
			-global virtio-mmio.force-legacy=false -device virtio-rng-device
		check arm64-virtio-rng 0 "rngcheck: PASS 64 bytes from virtio-rng"
		qmax=$(echo "$q" | sed 's/-cpu cortex-a57/-cpu max/')
		boot_arm64 arm64-rndr "$rimg" $qmax -M virt -m 128M
		check arm64-rndr 0 "rngcheck: PASS 64 bytes from RNDR"
	else
		fail arm64-rngcheck-build "make ARCH=arm64 APP=rngcheck failed"
	fi

	if make -s ARCH=arm64 APP=blkcheck >"$out/build-arm64-blkcheck.log" 2>&1; then
		disk=$out/arm64-disk.img
		rm -f "$disk"
		truncate -s 8M "$disk"
		boot_arm64 arm64-virtio-blk build/arm64/blkcheck/Image $q -M virt \
			-m 128M -global virtio-mmio.force-legacy=false \
			-drive file="$disk",if=none,id=d0,format=raw \
			-device virtio-blk-device,drive=d0
		check arm64-virtio-blk 0 "blkcheck: PASS wrote and verified" \
			"virtio-blk: mmio 0x[0-9a-f]+: 32 requests in flight \(indirect descriptors\), interrupt line"
		if host_sector_ok "$disk" 16383; then
			pass arm64-virtio-blk-host-verify
		else
			fail arm64-virtio-blk-host-verify "the image lacks blkcheck's pattern"
		fi
	else
		fail arm64-blkcheck-build "make ARCH=arm64 APP=blkcheck failed"
	fi

	boot_arm64 arm64-virtio-mmio-legacy-refused "$img" $q -M virt -m 128M $net
	check arm64-virtio-mmio-legacy-refused 2 \
		"version 1 \(legacy\) is not supported" \
		"netcheck: FAIL no network device"
}

# virtio-console on arm64 virt's virtio-mmio (polled): output, the
# console=virtio switch, and input (dropped) through a pipe.
arm64_vcons_tests() {
	cq=$1
	cimg=build/arm64/hello/Image
	vs="-global virtio-mmio.force-legacy=false -device virtio-serial-device -device virtconsole,chardev=vc0"
	vf=$out/arm64-vcons.out

	rm -f "$vf"
	boot_arm64 arm64-virtio-console "$cimg" $cq -M virt -m 128M $vs \
		-chardev file,id=vc0,path="$vf"
	check arm64-virtio-console 0 \
		"virtio: mmio 0x[0-9a-f]+ \(device 3\) via virtio-mmio, DMA identity" \
		"virtio-console: mmio 0x[0-9a-f]+ port 0 as a console" \
		"^hello from Mica: 0 arguments" "!PANIC|FATAL|broken"
	check_file arm64-virtio-console-output "$vf" \
		"^hello from Mica: 0 arguments" "wake order: 1 2 \(ok\)" \
		"^mica: exit status 0"

	rm -f "$vf"
	boot_arm64 arm64-virtio-console-only "$cimg" $cq -M virt -m 128M $vs \
		-chardev file,id=vc0,path="$vf" -append 'console=virtio -- exit=6'
	check arm64-virtio-console-only 6 \
		"console: from now on only on virtio \(console=virtio\)" \
		"!hello from Mica" "!exit status"
	check_file arm64-virtio-console-only-output "$vf" \
		"^hello from Mica: 1 argument" "^mica: exit status 6"

	if make -s ARCH=arm64 APP=stdincheck >/dev/null 2>&1; then
		vcons_pipe arm64-vcons
		boot_arm64 arm64-virtio-console-input build/arm64/stdincheck/Image \
			$(echo "$cq" | sed 's/-cpu cortex-a57/-cpu max/') -M virt -m 128M $vs \
			-chardev pipe,id=vc0,path="$pipe" -append console=virtio
		wait $pipe_pids
		check arm64-virtio-console-input 0 \
			"console: from now on only on virtio \(console=virtio\)" "!broken"
		check_file arm64-virtio-console-input-output "$pipe.got" \
			"stdincheck: read 17 bytes: 'typed into virtio'" "^stdincheck: PASS"
	else
		fail arm64-virtio-console-input "make ARCH=arm64 APP=stdincheck failed"
	fi
}

arches=${*:-x86_64}
for a in $arches; do
	case "$a" in
	x86_64)
		if command -v qemu-system-x86_64 >/dev/null 2>&1 ||
			tools/deps.sh x86_64; then
			x86_64_tests
		else
			skip qemu-x86_64 "qemu-system-x86_64 missing and could not be installed"
		fi ;;
	arm64)
		if command -v qemu-system-aarch64 >/dev/null 2>&1 ||
			tools/deps.sh arm64; then
			arm64_tests
		else
			skip qemu-arm64 "qemu-system-aarch64 missing and could not be installed"
		fi ;;
	*)
		fail qemu "unknown arch '$a'" ;;
	esac
done
summary
