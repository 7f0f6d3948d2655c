# Shared helpers for Mica's test scripts (sourced, POSIX sh).
# Every test ends in exactly one verdict line: PASS, FAIL or SKIP, and a
# script ends with "N passed, N failed, N skipped".

n_pass=0
n_fail=0
n_skip=0

pass() { n_pass=$((n_pass + 1)); echo "PASS $1"; }
fail() { n_fail=$((n_fail + 1)); echo "FAIL $1: $2"; }
skip() { n_skip=$((n_skip + 1)); echo "SKIP $1: $2"; }

summary() {
	echo "$n_pass passed, $n_fail failed, $n_skip skipped"
	[ "$n_fail" -eq 0 ]
}

# Indent a log file's last lines under a failure, so the reason is visible.
show_log() {
	echo "    --- last lines of $1 ---"
	tail -n "${2:-25}" "$1" | sed 's/^/    | /'
}

# log_wait PATTERN TENTHS: wait up to TENTHS tenths of a second for
# /PATTERN/ in $log; false on timeout.
log_wait() {
	lw=0
	while [ $lw -lt "$2" ]; do
		grep -aq -- "$1" "$log" && return 0
		sleep 0.1
		lw=$((lw + 1))
	done
	return 1
}

# xen_serial_dump TRIES: Xen's domain dump (debug key 'q') through its
# serial console on fd 3, the output in $log. First move the serial input
# to Xen: each CTRL-a three times moves it on (dom0 or DOM1, DOM2 if any,
# ..., then Xen), at most TRIES times. False if the dump did not come.
xen_serial_dump() {
	xd=0
	while [ $xd -lt "$1" ] && ! grep -aq "Serial input to Xen" "$log"; do
		printf '\001\001\001' >&3
		log_wait "Serial input to " 10
		sleep 0.2
		xd=$((xd + 1))
	done
	printf 'q' >&3
	log_wait "pause_count=[0-9]* pause_flags" 30
}
