#!/bin/sh
# Turn the conformance runs' TSV files into JUnit XML and a Markdown table.
# Usage: tests/conformance/report.sh DIR RUN...
#   DIR/RUN.tsv        test<TAB>status<TAB>why, one line per test
#   DIR/RUN.verdicts   each domain's "Test result" (CRASH: none)
# Writes DIR/conformance.xml (a testsuite per run) and DIR/results.md (a
# row per test, a column per run; the reasons of everything but SUCCESS
# below it).
set -eu
dir=$1
shift
[ $# -gt 0 ] || { echo "report: no runs" >&2; exit 0; }

for run in "$@"; do
	awk -F '\t' -v run="$run" '{ print run "\t" $0 }' "$dir/$run.tsv"
done >"$dir/all.tsv"

# JUnit: SKIP is <skipped>, FAILURE <failure>, ERROR and CRASH <error>.
awk -F '\t' -v runs="$*" '
function esc(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
	return s
}
{
	n[$1]++; line[$1, n[$1]] = $0
	if ($3 == "SKIP") s[$1]++
	else if ($3 == "FAILURE") f[$1]++
	else if ($3 != "SUCCESS") e[$1]++
	total++
	if ($3 == "SKIP") ts++; else if ($3 == "FAILURE") tf++
	else if ($3 != "SUCCESS") te++
}
END {
	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	printf "<testsuites name=\"mica-conformance\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n", total, tf, te, ts
	k = split(runs, r, " ")
	for (i = 1; i <= k; i++) {
		run = r[i]
		printf "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n", run, n[run], f[run], e[run], s[run]
		for (j = 1; j <= n[run]; j++) {
			split(line[run, j], x, "\t")
			printf "    <testcase classname=\"conformance.%s\" name=\"%s\"", run, esc(x[2])
			if (x[3] == "SUCCESS") { print "/>"; continue }
			print ">"
			tag = x[3] == "SKIP" ? "skipped" : x[3] == "FAILURE" ? "failure" : "error"
			printf "      <%s message=\"%s: %s\"/>\n", tag, x[3], esc(x[4])
			print "    </testcase>"
		}
		print "  </testsuite>"
	}
	print "</testsuites>"
}' "$dir/all.tsv" >"$dir/conformance.xml"

# Markdown: a column per run ("x86_64-pvh-dom0-4.17" -> "PVH dom0<br>4.17").
awk -F '\t' -v runs="$*" '
function head(run,   p) {
	split(run, p, "-")
	if (p[1] == "arm64")
		return "arm64 " p[2] " " p[3]
	return toupper(p[2]) " " p[3] " " p[4]
}
{
	if (!(($2) in seen)) { seen[$2] = 1; order[++nt] = $2 }
	st[$1, $2] = $3
	if ($3 != "SUCCESS") {
		key = $3 "\t" $2 "\t" $4
		if (!(key in why)) { why[key] = $1; wk[++nw] = key } else why[key] = why[key] ", " $1
	}
}
END {
	k = split(runs, r, " ")
	printf "| test |"
	for (i = 1; i <= k; i++) printf " %s |", head(r[i])
	printf "\n| --- |"
	for (i = 1; i <= k; i++) printf " --- |"
	print ""
	for (t = 1; t <= nt; t++) {
		printf "| %s |", order[t]
		for (i = 1; i <= k; i++) {
			c = st[r[i], order[t]]
			printf " %s |", c == "" ? "-" : c == "SUCCESS" ? "ok" : c
		}
		print ""
	}
	print ""
	print "ok: SUCCESS; -: not run there (a once-per-domain test where the"
	print "environment has one domain). Everything but SUCCESS, and why:"
	print ""
	for (s = 0; s < 4; s++) {
		want = s == 0 ? "CRASH" : s == 1 ? "FAILURE" : s == 2 ? "ERROR" : "SKIP"
		for (i = 1; i <= nw; i++) {
			split(wk[i], x, "\t")
			if (x[1] == want)
				printf "- %s %s (%s): %s\n", x[1], x[2], why[wk[i]], x[3]
		}
	}
}' "$dir/all.tsv" >"$dir/results.md"
