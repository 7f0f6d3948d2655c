# A private network for a guest whose virtio-net device offers checksum
# offload (sourced, POSIX sh). QEMU offers VIRTIO_NET_F_CSUM and
# VIRTIO_NET_F_GUEST_CSUM only when its backend takes virtio-net headers,
# as a tap device does; the user-mode network does not, so it never
# exercises the offload.
#
# Two network namespaces, each held open by a small process of ours (the
# host's own network is not touched, and concurrent runs do not collide):
#
#   guest 10.0.2.15 -- tap mtap0 | router ns  10.0.2.2  | v0 10.0.3.1
#                                | (forwards)           |   veth
#                                  client ns  10.0.3.2  | v1
#
# The router's v0 and the client's v1 have checksum offload turned off
# (ethtool): a frame the guest sends with a partial checksum (the device
# is to finish it) is finished by the router's kernel as it forwards it,
# and the client's kernel checks the result. So a wrong pseudo-header
# sum from the guest shows as lost data at the client, which it would not
# if the client sat on the tap itself (Linux trusts partial checksums that
# arrive from a tap). The client's frames reach the guest fully
# checksummed, which the guest's driver checks itself; the router's own
# (curl run there) arrive with partial checksums (NEEDS_CSUM).
#
#   tapnet_up LOG      set it up (0), or say why not in $tapnet_why (1)
#   tapnet_down        end the holders (their namespaces go with them)
#
# Then "nsenter -t $tapnet_rpid -n CMD" runs CMD in the router namespace
# (QEMU goes there), "nsenter -t $tapnet_cpid -n CMD" in the client's;
# nsenter execs CMD, so $! of one started in the background is CMD's pid.
#
# QEMU: -netdev tap,id=n0,ifname=mtap0,script=no,downscript=no,vhost=off
# and the guest's command line: ip=10.0.2.15/24 gw=10.0.2.2.

TAPNET_GUEST=10.0.2.15
TAPNET_NETDEV="tap,id=n0,ifname=mtap0,script=no,downscript=no,vhost=off"
TAPNET_GUEST_ARGS="ip=10.0.2.15/24 gw=10.0.2.2"
tapnet_rpid=""
tapnet_cpid=""
tapnet_why=""

# Start a namespace holder, which sleeps until the script that made it is
# gone, into $tapnet_pid; wait (up to 5 s) until it is in a namespace of
# its own: before that, nsenter would configure the host's network.
tapnet_holder() {
	TAPNET_PARENT=$$ unshare -n sh -c \
		'while kill -0 "$TAPNET_PARENT" 2>/dev/null; do sleep 1; done' \
		</dev/null >/dev/null 2>&1 &
	tapnet_pid=$!
	host_ns=$(readlink /proc/self/ns/net)
	for _ in $(seq 50); do
		ns=$(readlink "/proc/$tapnet_pid/ns/net" 2>/dev/null) || return 1
		[ "$ns" != "$host_ns" ] && return 0
		sleep 0.1
	done
	return 1
}

tapnet_down() {
	[ -n "$tapnet_rpid" ] && kill "$tapnet_rpid" 2>/dev/null
	[ -n "$tapnet_cpid" ] && kill "$tapnet_cpid" 2>/dev/null
	[ -n "$tapnet_rpid$tapnet_cpid" ] &&
		wait $tapnet_rpid $tapnet_cpid 2>/dev/null
	tapnet_rpid=""
	tapnet_cpid=""
}

tapnet_up() {
	tlog=$1
	for tool in unshare nsenter ip ethtool; do
		if ! command -v $tool >/dev/null 2>&1; then
			tools/deps.sh tapnet >>"$tlog" 2>&1
			break
		fi
	done
	for tool in unshare nsenter ip ethtool; do
		command -v $tool >/dev/null 2>&1 && continue
		tapnet_why="$tool missing (tools/deps.sh tapnet failed, log: $tlog)"
		return 1
	done
	if [ ! -c /dev/net/tun ]; then
		tapnet_why="no /dev/net/tun"
		return 1
	fi
	tapnet_holder && tapnet_rpid=$tapnet_pid &&
		tapnet_holder && tapnet_cpid=$tapnet_pid || {
		kill $tapnet_pid 2>/dev/null
		tapnet_down
		tapnet_why="could not make network namespaces (unshare -n)"
		return 1
	}
	# Each step in the namespace it belongs to; the sysctls are the
	# namespace's own.
	if ! {
		nsenter -t "$tapnet_rpid" -n sh -e -c '
			echo 1 >/proc/sys/net/ipv4/ip_forward
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6
			ip link set lo up
			ip tuntap add dev mtap0 mode tap vnet_hdr
			ip addr add 10.0.2.2/24 dev mtap0
			ip link set mtap0 up
			ip link add v0 type veth peer name v1 netns "$1"
			ip addr add 10.0.3.1/24 dev v0
			ip link set v0 up
			ethtool -K v0 tx off' sh "$tapnet_cpid" &&
		nsenter -t "$tapnet_cpid" -n sh -e -c '
			echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6
			ip link set lo up
			ip addr add 10.0.3.2/24 dev v1
			ip link set v1 up
			ip route add default via 10.0.3.1
			ethtool -K v1 tx off'
	} >>"$tlog" 2>&1; then
		tapnet_down
		tapnet_why="could not set up the namespaces (log: $tlog)"
		return 1
	fi
	return 0
}
