#!/bin/sh
# Real-Xen tests: Debian's Xen 4.17, fetched as .debs and unpacked under
# build/xen/ (never installed), booted under QEMU (TCG).
# Usage: tests/xen/run.sh [x86_64|arm64]...
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/xen/x86.sh
. tests/xen/arm64.sh

XEN_TIMEOUT=${XEN_TIMEOUT:-60}
out=build/test/xen
mkdir -p "$out"

for a in ${*:-x86_64 arm64}; do
	case "$a" in
	x86_64)
		xen_x86_tests
		xen_x86_domU_tests ;;
	arm64) xen_arm64_tests ;;
	*) fail xen "unknown arch '$a'" ;;
	esac
done
summary
