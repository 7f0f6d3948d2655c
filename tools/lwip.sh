#!/bin/sh
# Fetch lwIP's source from Debian (source package `lwip`, bookworm's 2.1.3)
# and unpack it for the build. Usage: tools/lwip.sh DIR   (e.g. build/lwip)
#
#   DIR/download/   the files `apt-get source --download-only` fetched
#   DIR/src/        the upstream (orig) tarball unpacked
#   DIR/apt/        a private apt configuration: the host's own apt sources
#                   and lists are only read, never changed
#   DIR/.stamp      tarball checksum + this script: unchanged means done
#
# The deb-src entry is derived from the host's apt sources (deb822 files in
# /etc/apt/sources.list.d/, or one-line entries), so no mirror is named here.
# Once the tarball is in DIR/download, nothing touches the network again.
set -eu

dir=${1:?usage: tools/lwip.sh DIR}
suite=bookworm
want_version=2.1.3
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

die() { echo "lwip: $*" >&2; exit 1; }

find_tarball() {
	ls "$dir"/download/lwip_"$want_version"*.orig.tar.* 2>/dev/null | head -n 1
}

stamp_of() {
	printf '%s\n' "$(sha256sum "$1" | cut -c1-64)" \
		"$(sha256sum "$script" | cut -c1-64)" | sha256sum | cut -c1-64
}

tarball=$(find_tarball)
if [ -n "$tarball" ] && [ -f "$dir/.stamp" ] &&
	[ "$(cat "$dir/.stamp")" = "$(stamp_of "$tarball")" ] &&
	[ -f "$dir/src/src/core/init.c" ]; then
	touch "$dir/.stamp" # newer than this script: make stops asking
	exit 0
fi

# Print the host's apt source entries for $suite as deb822 deb-src stanzas.
# deb822 stanzas (blank-line separated) are copied with Types: deb-src;
# one-line `deb URI SUITE COMPONENTS` entries are rewritten to deb822.
derive_sources() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
		BEGIN { RS = ""; ORS = "\n\n" }
		{
			n = split($0, line, "\n"); types = ""; suites = ""
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^Types:/) types = line[i]
				if (line[i] ~ /^Suites:/) suites = line[i]
			}
			if (types !~ /[ \t]deb([ \t]|$)/) next
			if ((suites " ") !~ ("[ \t]" suite "[ \t]")) next
			out = ""
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^#/) continue
				if (line[i] ~ /^Types:/) line[i] = "Types: deb-src"
				out = out line[i] "\n"
			}
			printf "%s\n", out
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
		$1 == "deb" {
			i = 2
			opts = ""
			if ($2 ~ /^\[/) {
				while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ }
				opts = opts " " $i; i++
			}
			if ($(i + 1) != suite) next
			comps = ""
			for (j = i + 2; j <= NF; j++) comps = comps " " $j
			print "Types: deb-src"
			print "URIs: " $i
			print "Suites: " suite
			print "Components:" comps
			if (opts ~ /signed-by=/) {
				sub(/.*signed-by=/, "", opts); sub(/[] ].*/, "", opts)
				print "Signed-By: " opts
			}
			print ""
		}' "$f"
	done
}

fetch() {
	apt_dir=$dir/apt
	rm -rf "$apt_dir" "$dir/download"
	mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" \
		"$apt_dir/cache/archives/partial" "$dir/download"
	: >"$apt_dir/sources.list"
	derive_sources >"$apt_dir/sources.list.d/mica-src.sources"
	[ -s "$apt_dir/sources.list.d/mica-src.sources" ] ||
		die "no '$suite' entry of type deb in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list: cannot derive a deb-src source for lwIP"
	set -- -q -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/sources.list.d" \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache"
	# As root apt hands downloads to its _apt user, who cannot write
	# into a root-owned build tree; downloading as root is what a
	# plain `apt-get source` would end up doing anyway.
	if [ "$(id -u)" = 0 ]; then
		set -- "$@" -o APT::Sandbox::User=root
	fi
	echo "lwip: apt-get update (deb-src $suite, private lists in $apt_dir)"
	apt-get "$@" update >"$apt_dir/update.log" 2>&1 || {
		tail -n 15 "$apt_dir/update.log" >&2
		die "apt-get update failed (log: $apt_dir/update.log)"
	}
	echo "lwip: apt-get source --download-only lwip"
	(cd "$dir/download" && apt-get "$@" source --download-only lwip) \
		>"$apt_dir/source.log" 2>&1 || {
		tail -n 15 "$apt_dir/source.log" >&2
		die "apt-get source lwip failed (log: $apt_dir/source.log)"
	}
}

if [ -z "$tarball" ]; then
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: lwIP comes from Debian's source package 'lwip'"
	fetch
	tarball=$(find_tarball)
	[ -n "$tarball" ] ||
		die "apt-get fetched no lwip_${want_version}*.orig.tar.* (got: $(ls "$dir/download" | tr '\n' ' ')); Mica's port is written for lwIP $want_version"
fi

echo "lwip: unpacking $(basename "$tarball") into $dir/src"
rm -rf "$dir/src" "$dir/.stamp"
mkdir -p "$dir/src"
tar -xf "$tarball" -C "$dir/src" --strip-components=1 ||
	die "cannot unpack $tarball"
[ -f "$dir/src/src/core/init.c" ] ||
	die "$tarball does not look like lwIP (no src/core/init.c)"
grep -Eq "define LWIP_VERSION_MINOR +1\s*$" "$dir/src/src/include/lwip/init.h" ||
	die "$tarball is not lwIP 2.1.x"
stamp_of "$tarball" >"$dir/.stamp"
echo "lwip: ready ($(basename "$tarball"))"
