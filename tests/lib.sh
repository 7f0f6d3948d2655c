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
