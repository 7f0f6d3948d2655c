#!/bin/sh
# Make the .ksyms section (assembly) from `nm -n` output of the first link
# pass: every function in [_text, _etext), sorted, plus an end marker.
# Usage: tools/mksyms.sh NM ELF > ksyms.S   (ELF "-" makes an empty table)
set -eu
nm=$1
elf=$2

emit() {
	awk '
	$3 == "_text" { base = $1 }
	$3 == "_etext" { etext = $1 }
	($2 == "t" || $2 == "T" || $2 == "W" || $2 == "w") && $1 != "" {
		addr[n] = $1; name[n] = $3; n++
	}
	function hex(h,   i, v, c) {
		v = 0
		for (i = 1; i <= length(h); i++) {
			c = index("0123456789abcdef", substr(tolower(h), i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	END {
		if (base == "") { base = "0"; etext = "0" }
		b = hex(base); e = hex(etext)
		print "\t.section .ksyms, \"a\""
		print "\t.balign 8"
		print "\t.global ksym_table"
		print "ksym_table:"
		printf "\t.quad 0x%s\n", base
		print "\t.long ksym_count"
		print "\t.long 0"
		print "\t.quad ksym_entries"
		print "\t.quad ksym_names"
		print "ksym_entries:"
		count = 0; off = 0; last = -1
		for (i = 0; i < n; i++) {
			a = hex(addr[i])
			if (a < b || a >= e || a == last) continue
			if (name[i] ~ /^\.L/ || name[i] == "_text") continue
			printf "\t.long %d, %d\n", a - b, off
			names[count] = name[i]
			off += length(name[i]) + 1
			last = a; count++
		}
		printf "\t.long %d, %d\n", e - b, off
		count++
		printf "\t.set ksym_count, %d\n", count
		print "ksym_names:"
		for (i = 0; i < count - 1; i++)
			printf "\t.asciz \"%s\"\n", names[i]
		print "\t.asciz \"\""
	}'
}

if [ "$elf" = "-" ]; then
	printf '' | emit
else
	"$nm" -n --defined-only "$elf" | emit
fi
