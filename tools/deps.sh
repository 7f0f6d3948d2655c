#!/bin/sh
# Install the Debian packages Mica needs, only those missing, and say which.
# Usage: tools/deps.sh [host|x86_64|arm64|fuzz|nettest|tapnet|bench|all]...
# Called by the Makefile's `deps` target; safe to run again (no network when
# everything is present).
set -eu

want=""
add() { want="$want $*"; }

for what in "${@:-x86_64}"; do
	case "$what" in
	host) add make gcc libc6-dev ;;
	x86_64) add make gcc libc6-dev libxen-dev newlib-source qemu-system-x86 \
		binutils texinfo bison flex ;;
	arm64) add make gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
		libxen-dev newlib-source qemu-system-arm device-tree-compiler \
		texinfo bison flex ;;
	fuzz) add clang libclang-rt-14-dev ;;
	bench) add wrk curl ;;
	nettest) add curl ;;	# the httpd boot test's client
	# the offload tests' private network (tests/qemu/tapnet.sh)
	tapnet) add iproute2 ethtool util-linux ;;
	all) add make gcc libc6-dev libxen-dev newlib-source qemu-system-x86 \
		binutils texinfo bison flex clang libclang-rt-14-dev ;;
	*) echo "deps: unknown component '$what'" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
stamp=/var/lib/apt/periodic/mica-update-stamp
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +360 2>/dev/null)" ]; then
	echo "deps: apt-get update"
	apt-get update -q >/dev/null
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: installed:$missing"
