#!/bin/sh
# Write an xl config for a built Mica image (`make xl-config`).
# Usage: XL_CMDLINE=... tools/xl-config.sh IMAGE NAME TYPE MEMORY_MIB
set -eu
image=$(readlink -f "$1")
name=$2
type=$3
mem=$4
cmdline=${XL_CMDLINE:-}
# xl strings take either quote; Mica's command line groups words with
# double quotes, so such a line is written in single quotes.
case "$cmdline" in
*\"*\'* | *\'*\"*)
	echo "xl-config: CMDLINE has both quote kinds; xl cannot hold it" >&2
	exit 2 ;;
*\"*) q="'" ;;
*) q='"' ;;
esac
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
cmdline = $q$cmdline$q
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "preserve"
CFG
