#!/bin/sh
# `make bench` part 3: HTTP figures, no assertions. ROUNDS (default 3)
# rounds of each guest, alternated within each comparison:
#
# 1. (ROUNDS=0 skips it) Mica's httpd against a Linux guest (Debian's kernel, busybox httpd)
#    on the same QEMU (TCG, virtio-net, user-network backend): requests/s
#    and p99 latency under wrk for the same small file, and bulk TCP
#    throughput (curl, 4 MiB).
# 2. Mica's httpd with virtio-net checksum offload on and off
#    (net.csum_offload=off), on a tap device in a private network
#    (tests/qemu/tapnet.sh: QEMU's user network offers no offload), the
#    clients on the host side of the tap: the same figures, and QEMU's
#    CPU time (user: the guest; system: mostly the host's network stack)
#    per MiB sent while the guest serves 64 MiB (with a window of 16
#    segments the transfer itself is bound by round trips, not by the
#    guest's CPU). CSUM_ROUNDS (default ROUNDS) rounds; 0 skips it.
#
# Every QEMU this script starts is killed when it ends, however it ends.
set -eu
cd "$(dirname "$0")/../.."
. tests/qemu/tapnet.sh
rounds=${ROUNDS:-3}
csum_rounds=${CSUM_ROUNDS:-$rounds}
out=build/bench/http
mkdir -p "$out"

# The QEMU running now, if any: stop it (TERM, KILL after 5 s) on any
# exit, including set -e's when a guest stops answering.
qpid=""
cleanup() {
	if [ -n "$qpid" ] && kill "$qpid" 2>/dev/null; then
		for _ in $(seq 50); do
			kill -0 "$qpid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
		echo "bench: stopped QEMU (pid $qpid)" >&2
	fi
	tapnet_down || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null 2>&1 || tools/deps.sh bench
command -v curl >/dev/null 2>&1 || tools/deps.sh nettest
make -s ARCH=x86_64 APP=httpd >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; exit 1; }
www=$out/www
mkdir -p "$www"
cp apps/httpd/www/index.html "$www/index.html"
head -c 4194304 /dev/zero | tr '\0' 'x' >"$www/big.bin"
set -- $(tests/bench/linux-guest.sh "$www" | tail -n 1)
vmlinux=$1
initrd=$2

q="qemu-system-x86_64 -M pc -accel tcg -cpu qemu64 -m 256M -display none -monitor none -no-reboot"
port=18090
mica_dev="-device virtio-net-pci,netdev=n0,disable-legacy=on -device virtio-rng-pci,disable-legacy=on"

# serve NAME: boot the guest NAME in the background (its pid in $qpid),
# set $base (its URL) and $run (the prefix that puts a client in its
# network), and wait for it to serve.
serve() {
	base=http://127.0.0.1:$port
	run=""
	case "$1" in
	mica)
		$q -serial "file:$out/mica.log" \
			-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:8080 \
			$mica_dev -kernel build/x86_64/httpd/mica.elf \
			>/dev/null 2>&1 &
		;;
	linux)
		$q -serial "file:$out/linux.log" \
			-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:8080 \
			-device virtio-net-pci,netdev=n0 \
			-kernel "$vmlinux" -initrd "$initrd" \
			-append "console=ttyS0 quiet" >/dev/null 2>&1 &
		;;
	csum-on | csum-off)
		opt=""
		[ "$1" = csum-off ] && opt=net.csum_offload=off
		base=http://$TAPNET_GUEST:8080
		run="nsenter -t $tapnet_rpid -n"
		# nsenter becomes QEMU: $! is QEMU's pid.
		$run $q -serial "file:$out/$1.log" \
			-netdev "$TAPNET_NETDEV" $mica_dev \
			-kernel build/x86_64/httpd/mica.elf \
			-append "$opt $TAPNET_GUEST_ARGS" >/dev/null 2>&1 &
		;;
	esac
	qpid=$!
	for _ in $(seq 120); do
		$run curl -m 2 -s -o /dev/null "$base/index.html" && return 0
		sleep 0.5
	done
	echo "bench: $1 never served at $base" >&2
	return 1
}

# QEMU's CPU time so far in milliseconds: user (mostly the emulated
# guest: TCG runs it in user mode) and system (mostly the host's own
# network stack, which runs in QEMU's writes to the tap).
qemu_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" \
		'{ print $14 * 1000 / hz, $15 * 1000 / hz }' "/proc/$qpid/stat"
}

stop() {
	kill "$qpid" 2>/dev/null || true
	wait "$qpid" 2>/dev/null || true
	qpid=""
}

# measure NAME: one round; appends "req/s p99 bytes/s req/s-close" to
# $out/NAME.txt (for the tap guests also "bytes/s user-ms/MiB sys-ms/MiB"
# of QEMU over 64 MiB).
# A guest that stops answering ends the script (set -e), and the trap
# stops its QEMU.
measure() {
	name=$1
	serve "$name" || { stop; return; }
	$run timeout 30 wrk -c10 -t1 -d5s --latency \
		"$base/index.html" >"$out/wrk-$name.txt" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *//p' "$out/wrk-$name.txt")
	p99=$(sed -n 's/^ *99% *//p' "$out/wrk-$name.txt")
	if [ "$name" = linux ]; then
		url="$base/big.bin"
	else
		url="$base/bytes/4194304"
	fi
	bps=$($run curl -m 60 -s -o /dev/null -w '%{speed_download}' "$url")
	more=""
	if [ -n "$run" ]; then
		c0=$(qemu_cpu_ms)
		big=$($run curl -m 120 -s -o /dev/null -w '%{speed_download}' \
			"$base/bytes/67108864")
		c1=$(qemu_cpu_ms)
		more="$big $(echo "$c0 $c1" |
			awk '{ print ($3 - $1) / 64, ($4 - $2) / 64 }')"
	fi
	# After the bulk downloads: tens of thousands of closed connections
	# leave QEMU's user network busy for seconds (a download right
	# after them ran at a sixth of its speed).
	# busybox httpd closes every connection: the like-for-like figure
	# asks Mica to do the same.
	$run timeout 30 wrk -c10 -t1 -d5s --latency -H "Connection: close" \
		"$base/index.html" >"$out/wrk-$name-close.txt" 2>&1
	rpsc=$(sed -n 's/^Requests\/sec: *//p' "$out/wrk-$name-close.txt")
	echo "$rps $p99 $bps ${rpsc:-0} $more" >>"$out/$name.txt"
	stop
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# summarise NAME...: medians into ${NAME}_rps, _bps, _rpsc; p99s listed.
summarise() {
	for g in "$@"; do
		v=$(echo "$g" | tr - _)
		eval "${v}_rps=\$(cut -d' ' -f1 \"$out/$g.txt\" | median)"
		eval "${v}_bps=\$(cut -d' ' -f3 \"$out/$g.txt\" | median)"
		eval "${v}_rpsc=\$(cut -d' ' -f4 \"$out/$g.txt\" | median)"
		eval "${v}_p99=\$(cut -d' ' -f2 \"$out/$g.txt\" | tr '\n' ' ')"
	done
}

row() { # LABEL REQ/S P99S REQ/S-CLOSE BYTES/S
	printf '%-22s %11s %22s %15s %10.2f\n' "$1" "$2" "$3" "$4" \
		"$(echo "$5" | awk '{print $1/1e6}')"
}

header() {
	printf '%-22s %11s %22s %15s %10s\n' "$1" "requests/s" \
		"p99 latency (each run)" "req/s, close" "bulk MB/s"
}

if [ "$rounds" != 0 ]; then
	: >"$out/mica.txt"
	: >"$out/linux.txt"
	echo "bench: $rounds rounds each of Mica httpd and Linux busybox httpd (wrk -c10 -d5s, then 4 MiB)"
	for _ in $(seq "$rounds"); do
		measure mica
		measure linux
		printf '.'
	done
	echo
	summarise mica linux
	header "guest (median of $rounds)"
	row "mica httpd" "$mica_rps" "$mica_p99" "$mica_rpsc" "$mica_bps"
	row "linux busybox httpd" "$linux_rps" "$linux_p99" "$linux_rpsc" "$linux_bps"
	awk -v m="$mica_rps" -v l="$linux_rps" -v mc="$mica_rpsc" -v lc="$linux_rpsc" -v mb="$mica_bps" -v lb="$linux_bps" 'BEGIN {
		printf "ratios mica/linux: requests/s %.2f (goal: 4); with Connection: close on both %.2f; bulk throughput %.2f\n", m / l, (lc > 0 ? mc / lc : 0), mb / lb }'
fi

[ "$csum_rounds" != 0 ] || exit 0
echo
if ! tapnet_up "$out/tapnet.log"; then
	echo "bench: checksum offload comparison skipped: no private tap network: $tapnet_why"
	exit 0
fi
: >"$out/csum-on.txt"
: >"$out/csum-off.txt"
echo "bench: $csum_rounds rounds each of Mica httpd with checksum offload on and off (tap network, same figures)"
for _ in $(seq "$csum_rounds"); do
	measure csum-on
	measure csum-off
	printf '.'
done
echo
summarise csum-on csum-off
header "mica (median of $csum_rounds)"
row "checksum offload on" "$csum_on_rps" "$csum_on_p99" "$csum_on_rpsc" \
	"$csum_on_bps"
row "checksum offload off" "$csum_off_rps" "$csum_off_p99" \
	"$csum_off_rpsc" "$csum_off_bps"
for g in csum-on csum-off; do
	v=$(echo "$g" | tr - _)
	eval "${v}_big=\$(cut -d' ' -f5 \"$out/$g.txt\" | median)"
	eval "${v}_cpu=\$(cut -d' ' -f6 \"$out/$g.txt\" | median)"
	eval "${v}_sys=\$(cut -d' ' -f7 \"$out/$g.txt\" | median)"
done
printf '%-22s %10s %34s\n' "64 MiB (median)" "MB/s" \
	"QEMU ms per MiB: user (guest), sys"
printf '%-22s %10.2f %26.2f %7.2f\n' "checksum offload on" \
	"$(echo "$csum_on_big" | awk '{print $1/1e6}')" "$csum_on_cpu" \
	"$csum_on_sys"
printf '%-22s %10.2f %26.2f %7.2f\n' "checksum offload off" \
	"$(echo "$csum_off_big" | awk '{print $1/1e6}')" "$csum_off_cpu" \
	"$csum_off_sys"
awk -v n="$csum_on_rps" -v f="$csum_off_rps" -v nc="$csum_on_rpsc" -v fc="$csum_off_rpsc" -v nb="$csum_on_bps" -v fb="$csum_off_bps" 'BEGIN {
	printf "ratios on/off: requests/s %.2f; with Connection: close %.2f; bulk throughput %.2f\n", n / f, (fc > 0 ? nc / fc : 0), nb / fb }'
awk -v n="$csum_on_cpu" -v f="$csum_off_cpu" 'BEGIN {
	printf "QEMU user CPU (the guest) per MiB sent, on/off: %.2f\n", (f > 0 ? n / f : 0) }'
