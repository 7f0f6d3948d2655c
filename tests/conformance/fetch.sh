#!/bin/sh
# Fetch Debian's Xen hypervisor of one version and unpack it (never
# install it). 4.17 is Debian 12's (tests/xen/fetch.sh does it); 4.20 is
# Debian 13's, fetched with a private apt configuration under
# build/xen-4.20/apt/: a trixie entry derived from the host's own bookworm
# entry (same URI, same keyring), its own lists and cache. The host's apt
# state is only read, never changed. Idempotent: a second run does no
# network access.
# Usage: tests/conformance/fetch.sh 4.17|4.20 x86_64|arm64
# Prints the path of the hypervisor binary on its last line (x86_64: the
# ELF QEMU's multiboot loader takes).
set -eu
cd "$(dirname "$0")/../.."
ver=$1
arch=$2

if [ "$ver" = 4.17 ]; then
	exec tests/xen/fetch.sh "$arch"
fi
[ "$ver" = 4.20 ] || { echo "fetch: no source for Xen $ver (4.17 or 4.20)" >&2; exit 2; }
suite=trixie
case "$arch" in
x86_64) pkg=xen-hypervisor-$ver-amd64; want=boot/xen-$ver-amd64.gz; debarch=amd64 ;;
arm64) pkg=xen-hypervisor-$ver-arm64; want=boot/xen-$ver-arm64; debarch=arm64 ;;
*) echo "fetch: unknown arch $arch" >&2; exit 2 ;;
esac
top=build/xen-$ver
dir=$top/$arch
apt_dir=$(pwd)/$top/apt

# The host's deb entries for bookworm as deb822 stanzas for $suite.
derive_sources() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
		BEGIN { RS = ""; ORS = "\n\n" }
		{
			n = split($0, line, "\n"); ok = 0; deb = 0
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^Types:/ && line[i] ~ /[ \t]deb([ \t]|$)/) deb = 1
				if (line[i] ~ /^Suites:/ && line[i] ~ /[ \t]bookworm([ \t]|$)/) ok = 1
			}
			if (!deb || !ok) next
			out = ""
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^#/) continue
				if (line[i] ~ /^Types:/) line[i] = "Types: deb"
				if (line[i] ~ /^Suites:/) line[i] = "Suites: " suite
				out = out line[i] "\n"
			}
			printf "%s\n", out
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
		$1 == "deb" {
			i = 2; kr = ""
			if ($2 ~ /^\[/) {
				while (i <= NF && $i !~ /\]$/) {
					if ($i ~ /signed-by=/) kr = $i; i++
				}
				if ($i ~ /signed-by=/) kr = $i
				i++
			}
			if ($(i + 1) != "bookworm") next
			print "Types: deb"; print "URIs: " $i; print "Suites: " suite
			print "Components: main"
			if (kr != "") { sub(/.*signed-by=/, "", kr); sub(/\].*/, "", kr); print "Signed-By: " kr }
			print ""
		}' "$f"
	done
}

if [ ! -f "$dir/root/$want" ]; then
	mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" \
		"$apt_dir/cache/archives/partial" "$dir/debs" "$dir/root"
	: >"$apt_dir/sources.list"
	derive_sources >"$apt_dir/sources.list.d/mica-$suite.sources"
	[ -s "$apt_dir/sources.list.d/mica-$suite.sources" ] || {
		echo "fetch: no bookworm deb entry in the host's apt sources to derive a $suite one from" >&2
		exit 1
	}
	set -- -q -o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/sources.list.d" \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" \
		-o APT::Architectures::=amd64 -o APT::Architectures::=arm64
	[ "$(id -u)" != 0 ] || set -- "$@" -o APT::Sandbox::User=root
	if [ ! -f "$apt_dir/lists/.stamp-$debarch" ]; then
		echo "fetch: apt-get update ($suite, private lists in $apt_dir)" >&2
		apt-get "$@" update >"$apt_dir/update.log" 2>&1 || {
			tail -n 5 "$apt_dir/update.log" >&2
			exit 1
		}
		touch "$apt_dir/lists/.stamp-$debarch"
	fi
	echo "fetch: downloading $pkg:$debarch from $suite (apt-get download, not installed)" >&2
	(cd "$dir/debs" && apt-get "$@" download "$pkg:$debarch") \
		>"$apt_dir/download-$arch.log" 2>&1 || {
		tail -n 5 "$apt_dir/download-$arch.log" >&2
		exit 1
	}
	for d in "$dir"/debs/*.deb; do
		dpkg -x "$d" "$dir/root"
	done
fi
[ -f "$dir/root/$want" ] || { echo "fetch: $want not found in $pkg" >&2; exit 1; }
if [ "$arch" = x86_64 ]; then
	[ -f "$dir/xen.elf" ] || gunzip -c "$dir/root/$want" >"$dir/xen.elf"
	echo "$dir/xen.elf"
else
	echo "$dir/root/$want"
fi
