#!/bin/sh
# The dom0 half of `make bench` on Xen: the harness ships it in the jobs
# archive and the dom0 init runs it with @run (busybox sh, Linux dom0).
#
#   xen-dom0.sh LIMIT NAME...
#
# Boots /jobs/NAME.cfg for each NAME in turn (a name may repeat): `xl
# create -p -F` builds the domain and leaves it paused; once xenconsoled
# has its console pty, xen-bootmark marks Xen's log and unpauses it, marks
# again at its first console line, and reads the console until the
# domain is gone. LIMIT: seconds a guest may live before it is destroyed.
# Printed for each run, in order with Xen's own lines on the console:
#   === bench NAME run K domid N
#   bootmark: ...                  (xen-bootmark's report, dom0 clock)
#   xl: ...                        (only when something went wrong)
#   console: ...                   (the guest's console, xenconsoled's log)
#   === bench NAME end reason=R    (poweroff, reboot, crash, timeout, error)
limit=$1
shift
k=0
for name in "$@"; do
	k=$((k + 1))
	out=/tmp/bench-xl.out
	log=/var/log/xen/console/guest-$name.log
	rm -f "$out" "$log"
	xl create -p -F "/jobs/$name.cfg" </dev/null >"$out" 2>&1 &
	xlpid=$!
	domid=""
	tty=""
	i=0
	while [ $i -lt $((limit * 20)) ] && kill -0 "$xlpid" 2>/dev/null; do
		[ -n "$domid" ] || domid=$(sed -n \
			's/^Waiting for domain .* (domid \([0-9]*\)) to die.*$/\1/p' "$out")
		[ -n "$domid" ] &&
			tty=$(xenstore-read "/local/domain/$domid/console/tty" 2>/dev/null)
		[ -n "$tty" ] && break
		sleep 0.05
		i=$((i + 1))
	done
	reason=""
	if [ -z "$tty" ]; then
		echo "=== bench $name run $k: no paused domain with a console pty"
		reason=error
	else
		echo "=== bench $name run $k domid $domid"
		/jobs/xen-bootmark "$domid" "$tty" "$limit" ||
			echo "=== bench $name: xen-bootmark failed"
		# xl destroys the domain once it has shut down; give it 5 s.
		i=0
		while kill -0 "$xlpid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		if kill -0 "$xlpid" 2>/dev/null; then
			reason=timeout
			xl destroy "$domid" >>"$out" 2>&1
		fi
	fi
	if xl domid "$name" >/dev/null 2>&1; then
		xl destroy "$name" >>"$out" 2>&1
	fi
	wait "$xlpid" 2>/dev/null
	code=$(sed -n 's/^Domain [0-9]* has shut down, reason code \([0-9]*\) .*$/\1/p' "$out" | head -n 1)
	case "$reason$code" in
	timeout* | error*) ;;
	0) reason=poweroff ;;
	1) reason=reboot ;;
	3) reason=crash ;;
	*) reason=error ;;
	esac
	[ "$reason" = poweroff ] || awk '{print "xl: " $0}' "$out"
	sleep 0.2 # xenconsoled's last writes to the log
	[ -f "$log" ] && awk '{print "console: " $0}' "$log"
	echo "=== bench $name end reason=$reason"
done
