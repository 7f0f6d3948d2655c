#!/bin/sh
# Write an xl config for a built Mica image (`make xl-config`).
# Usage: tools/xl-config.sh IMAGE NAME TYPE MEMORY_MIB CMDLINE
set -eu
image=$(readlink -f "$1")
name=$2
type=$3
mem=$4
cmdline=$5
case "$type" in
pvh|pv) ;;
*) echo "xl-config: TYPE must be pvh or pv, not '$type'" >&2; exit 2 ;;
esac
cat <<CFG
# xl config for Mica app '$name' ($type guest). Start it with:
#   xl create -c $(dirname "$image")/mica.cfg
# The same image boots as type "pvh" or "pv"; its exit status is printed
# on the console as "mica: exit status N", and it powers off.
name = "mica-$name"
type = "$type"
kernel = "$image"
memory = $mem
vcpus = 1
cmdline = "$cmdline"
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "preserve"
CFG
