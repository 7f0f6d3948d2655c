#!/bin/sh
# Boot a Mica image in QEMU with its console on this terminal and return
# the guest's exit status (x86: QEMU's isa-debug-exit reports
# (status<<1)|1; arm64: semihosting makes it QEMU's exit code).
# Usage: tools/qemu-run.sh CMDLINE qemu-system-... ARGS...
set -u
cmdline=$1
shift
if [ -n "$cmdline" ]; then
	set -- "$@" -append "$cmdline"
fi
printf "+" >&2
for a in "$@"; do
	case "$a" in
	*[\ \"\']*) printf " '%s'" "$a" >&2 ;;
	*) printf " %s" "$a" >&2 ;;
	esac
done
echo >&2
"$@"
rc=$?
case "$1" in
*aarch64*)
	# arm64 stops through semihosting SYS_EXIT: QEMU's exit code is the
	# guest's status itself.
	echo "qemu-run: guest exit status $rc" >&2
	exit "$rc" ;;
esac
if [ $((rc & 1)) -eq 1 ]; then
	echo "qemu-run: guest exit status $((rc >> 1))" >&2
	exit $((rc >> 1))
fi
[ "$rc" -eq 0 ] || echo "qemu-run: QEMU exited with $rc (guest did not report a status)" >&2
exit "$rc"
