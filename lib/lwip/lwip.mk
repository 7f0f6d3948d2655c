# The network stack, for apps whose app.mk says NET := y (included by the
# Makefile, which then links $(EXTRA_OBJS) too).
#
#   lwIP 2.1.3    Debian's source package, fetched once by tools/lwip.sh
#                 into build/lwip/src; core, IPv4, DHCP, DNS, Ethernet/ARP,
#                 netconn and socket APIs, the tcpip thread
#   lib/lwip/     the port (sys_arch, lwipopts.h), the netdev glue, POSIX
#                 socket calls on lwIP's (they include lwIP's headers)
#   lib/net/      the descriptor table and POSIX pieces that need no lwIP
#                 (they include include/posix/, like apps)
#
# All of it is kernel code (-mgeneral-regs-only: lwIP uses no floating
# point). CONFIG_NET turns on the hooks in kernel/main.c, kernel/options.c
# and lib/syscalls.c; apps get the POSIX socket headers.

LWIP_DIR := build/lwip
LWIP_STAMP := $(LWIP_DIR)/.stamp
LWIP_SRC := $(LWIP_DIR)/src/src
LWIP_FILES := \
	core/def.c core/dns.c core/inet_chksum.c core/init.c core/ip.c \
	core/mem.c core/memp.c core/netif.c core/pbuf.c core/stats.c \
	core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c \
	core/udp.c \
	core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
	core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	api/api_lib.c api/api_msg.c api/err.c api/netbuf.c api/netdb.c \
	api/sockets.c api/tcpip.c \
	netif/ethernet.c

# lwIP checks that an fd_set holds every socket (lwipopts.h explains).
LWIP_CFLAGS := -Ilib/lwip -I$(LWIP_SRC)/include -DFD_SETSIZE=128

NET_PORT_SRCS := $(wildcard lib/lwip/*.c)
NET_POSIX_SRCS := $(wildcard lib/net/*.c)
KERNEL_SRCS += $(NET_PORT_SRCS) $(NET_POSIX_SRCS)
KERNEL_CFLAGS += -DCONFIG_NET=1
APP_CFLAGS += -DCONFIG_NET=1 -Iinclude/posix

NET_PORT_OBJS := $(patsubst %,$(OBJ)/%.o,$(NET_PORT_SRCS))
NET_POSIX_OBJS := $(patsubst %,$(OBJ)/%.o,$(NET_POSIX_SRCS))
LWIP_OBJS := $(patsubst %,$(OBJ)/lwip/%.o,$(LWIP_FILES))
EXTRA_OBJS += $(LWIP_OBJS)

$(NET_PORT_OBJS): KERNEL_CFLAGS += $(LWIP_CFLAGS)
$(NET_PORT_OBJS): | $(LWIP_STAMP)
$(NET_POSIX_OBJS): KERNEL_CFLAGS += -Iinclude/posix

$(LWIP_STAMP): tools/lwip.sh
	$(Q)tools/lwip.sh $(LWIP_DIR)

# The unpacked sources appear with the stamp.
$(addprefix $(LWIP_SRC)/,$(LWIP_FILES)): $(LWIP_STAMP) ;

$(OBJ)/lwip/%.c.o: $(LWIP_SRC)/%.c $(NEWLIB)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC      lwip/$*.c"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(LWIP_CFLAGS) -c $< -o $@

# `make run` of a networked app: QEMU's user network with the guest's port
# 8080 on the host's 127.0.0.1:8080 (NET_HOSTFWD), and a virtio-rng device
# for the stack's random seed (QEMU's default CPUs have no RDRAND/RNDR).
NET_HOSTFWD ?= tcp:127.0.0.1:8080-:8080
ifeq ($(ARCH),x86_64)
QEMU_DEVICES += -netdev user,id=n0,hostfwd=$(NET_HOSTFWD) \
	-device virtio-net-pci,netdev=n0,disable-legacy=on \
	-device virtio-rng-pci,disable-legacy=on
else
QEMU_DEVICES += -global virtio-mmio.force-legacy=false \
	-netdev user,id=n0,hostfwd=$(NET_HOSTFWD) \
	-device virtio-net-device,netdev=n0 -device virtio-rng-device
endif
