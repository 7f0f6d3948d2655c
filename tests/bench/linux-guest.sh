#!/bin/sh
# The Linux peer for the HTTP benchmark: Debian's kernel and busybox
# (the packages the Xen dom0 tier already fetched and unpacked) with an
# initramfs whose init brings up virtio-net at 10.0.2.15 and serves
# /www with busybox httpd on port 8080.
# Usage: tests/bench/linux-guest.sh WWW_DIR
# Prints "VMLINUX INITRAMFS" on its last line.
set -eu
cd "$(dirname "$0")/../.."
www=$1
dom0=build/xen/x86_64/dom0
out=build/bench/linux
if [ ! -f "$dom0/vmlinux" ]; then
	tests/xen/dom0/build.sh >/dev/null
fi
root=$dom0/root
kver=$(ls "$root/lib/modules" | head -n 1)
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/proc" "$stage/sys" "$stage/dev" "$stage/www" \
	"$stage/lib/modules"
cp "$dom0/busybox" "$stage/bin/busybox"
mods="drivers/virtio/virtio drivers/virtio/virtio_ring
drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
drivers/virtio/virtio_pci net/core/failover drivers/net/net_failover
drivers/net/virtio_net"
for m in $mods; do
	f=$(ls "$root/lib/modules/$kver/kernel/$m.ko"* | head -n 1)
	case "$f" in
	*.xz) xz -dc "$f" >"$stage/lib/modules/$(basename "$m").ko" ;;
	*) cp "$f" "$stage/lib/modules/$(basename "$m").ko" ;;
	esac
done
cp -r "$www"/. "$stage/www/"
cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	virtio_pci failover net_failover virtio_net; do
	insmod /lib/modules/$m.ko
done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
httpd -p 8080 -h /www
echo "linux-guest: serving /www on port 8080"
while :; do sleep 3600; done
INIT
chmod 755 "$stage/init"
(cd "$stage" && find . | sort | "$(pwd)/bin/busybox" cpio -o -H newc 2>/dev/null) |
	gzip -1 >"$out/initramfs.cpio.gz"
echo "$dom0/vmlinux $out/initramfs.cpio.gz"
