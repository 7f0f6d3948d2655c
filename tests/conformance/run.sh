#!/bin/sh
# The conformance tier of `make test`: the ABI conformance suite in every
# environment this machine can run, one PASS/FAIL line per environment and
# Xen version, then "N passed, N failed, N skipped".
# Usage: tests/conformance/run.sh [x86_64|arm64]...
set -u
cd "$(dirname "$0")/../.."
case "$*" in
x86_64|arm64) exec tests/conformance/conformance.sh --tier --arch "$1" ;;
*) exec tests/conformance/conformance.sh --tier ;;
esac
