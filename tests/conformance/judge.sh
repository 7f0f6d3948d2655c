#!/bin/sh
# Judge one conformance run for the test tier: every domain printed its
# verdict last, and every test is SUCCESS or SKIP unless it is a known
# hypervisor finding (tests/conformance/known-findings: "RUN TEST STATUS"
# per line), which must still show that status.
# Usage: tests/conformance/judge.sh DIR RUN; exit 0 if it passes, else 1
# with the reasons in DIR/RUN.judge.
set -u
dir=$1
run=$2
known=$(dirname "$0")/known-findings
: >"$dir/$run.judge"
awk -F '\t' -v run="$run" -v known="$known" '
BEGIN {
	while ((getline l < known) > 0) {
		if (l ~ /^[[:space:]]*(#|$)/) continue
		split(l, f, /[ \t]+/)
		if (f[1] == run) { k[f[2]] = f[3]; seen[f[2]] = 0 }
	}
}
$2 == "SUCCESS" || $2 == "SKIP" { if ($1 in k) seen[$1] = -1; next }
$1 in k && k[$1] == $2 { seen[$1] = 1; next }
{ printf "%s %s (%s); ", $1, $2, $3; bad = 1 }
END {
	for (t in k)
		if (seen[t] != 1)
			printf "known finding %s %s no longer shows (update %s); ", t, k[t], known
	exit bad
}' "$dir/$run.tsv" >>"$dir/$run.judge"
rc=$?
if [ ! -s "$dir/$run.tsv" ]; then
	echo "no results" >>"$dir/$run.judge"
	rc=1
fi
[ -s "$dir/$run.judge" ] && rc=1
exit $rc
