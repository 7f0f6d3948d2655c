#!/bin/sh
# `make bench` part 3: Mica's httpd against a Linux guest (Debian's
# kernel, busybox httpd) on the same QEMU (TCG, virtio-net, user-network
# backend), alternately in one run: requests/s and p99 latency under wrk
# for the same small file, and bulk TCP throughput (curl, 4 MiB). Figures
# and ratios, no assertions. ROUNDS (default 3) rounds of each.
set -eu
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-3}
out=build/bench/http
mkdir -p "$out"

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

# serve NAME: boot the guest NAME in the background, wait for its port.
serve() {
	if [ "$1" = mica ]; then
		$q -serial "file:$out/mica.log" \
			-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:8080 \
			-device virtio-net-pci,netdev=n0,disable-legacy=on \
			-device virtio-rng-pci,disable-legacy=on \
			-kernel build/x86_64/httpd/mica.elf >/dev/null 2>&1 &
	else
		$q -serial "file:$out/linux.log" \
			-netdev user,id=n0,hostfwd=tcp:127.0.0.1:$port-:8080 \
			-device virtio-net-pci,netdev=n0 \
			-kernel "$vmlinux" -initrd "$initrd" \
			-append "console=ttyS0 quiet" >/dev/null 2>&1 &
	fi
	qpid=$!
	for _ in $(seq 120); do
		curl -m 2 -s -o /dev/null "http://127.0.0.1:$port/index.html" &&
			return 0
		sleep 0.5
	done
	echo "bench: $1 never served on port $port" >&2
	return 1
}

measure() {
	name=$1
	serve "$name" || { kill "$qpid" 2>/dev/null; return; }
	timeout 30 wrk -c10 -t1 -d5s --latency \
		"http://127.0.0.1:$port/index.html" >"$out/wrk-$name.txt" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *//p' "$out/wrk-$name.txt")
	p99=$(sed -n 's/^ *99% *//p' "$out/wrk-$name.txt")
	# busybox httpd closes every connection: the like-for-like figure
	# asks Mica to do the same.
	timeout 30 wrk -c10 -t1 -d5s --latency -H "Connection: close" \
		"http://127.0.0.1:$port/index.html" >"$out/wrk-$name-close.txt" 2>&1
	rpsc=$(sed -n 's/^Requests\/sec: *//p' "$out/wrk-$name-close.txt")
	if [ "$name" = mica ]; then
		url="http://127.0.0.1:$port/bytes/4194304"
	else
		url="http://127.0.0.1:$port/big.bin"
	fi
	bps=$(curl -m 60 -s -o /dev/null -w '%{speed_download}' "$url")
	echo "$rps $p99 $bps ${rpsc:-0}" >>"$out/$name.txt"
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null || true
}

: >"$out/mica.txt"
: >"$out/linux.txt"
echo "bench: $rounds rounds each of Mica httpd and Linux busybox httpd (wrk -c10 -d5s, then 4 MiB)"
for _ in $(seq "$rounds"); do
	measure mica
	measure linux
	printf '.'
done
echo
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
for g in mica linux; do
	eval "${g}_rps=\$(cut -d' ' -f1 \"$out/$g.txt\" | median)"
	eval "${g}_bps=\$(cut -d' ' -f3 \"$out/$g.txt\" | median)"
	eval "${g}_rpsc=\$(cut -d' ' -f4 \"$out/$g.txt\" | median)"
	eval "${g}_p99=\$(cut -d' ' -f2 \"$out/$g.txt\" | tr '\n' ' ')"
done
printf '%-22s %11s %22s %15s %10s\n' "guest (median of $rounds)" "requests/s" "p99 latency (each run)" "req/s, close" "bulk MB/s"
printf '%-22s %11s %22s %15s %10.2f\n' "mica httpd" "$mica_rps" "$mica_p99" "$mica_rpsc" "$(echo "$mica_bps" | awk '{print $1/1e6}')"
printf '%-22s %11s %22s %15s %10.2f\n' "linux busybox httpd" "$linux_rps" "$linux_p99" "$linux_rpsc" "$(echo "$linux_bps" | awk '{print $1/1e6}')"
awk -v m="$mica_rps" -v l="$linux_rps" -v mc="$mica_rpsc" -v lc="$linux_rpsc" -v mb="$mica_bps" -v lb="$linux_bps" 'BEGIN {
	printf "ratios mica/linux: requests/s %.2f (goal: 4); with Connection: close on both %.2f; bulk throughput %.2f\n", m / l, (lc > 0 ? mc / lc : 0), mb / lb }'
