/* Kernel options given on the command line before `--`. */
#include <mica/cmdline.h>
#include <mica/console.h>
#include <mica/options.h>
#include <string.h>
#include <mica/netdev.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <mica/xen/hcall.h>

struct kernel_config kernel_config = {
	.main_stack_kib = 256,
};

static int set_loglevel(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n > 2) {
		mica_snprintf(err, len, "'%s' is not 0, 1 or 2", v ? v : "");
		return -1;
	}
	log_level = (int)n;
	return 0;
}

static int set_quiet(const char *v, char *err, size_t len)
{
	if (v) {
		mica_snprintf(err, len, "takes no value");
		return -1;
	}
	log_level = 0;
	return 0;
}

bool shutdown_quiet;

static int set_quiet_exit(const char *v, char *err, size_t len)
{
	if (v) {
		mica_snprintf(err, len, "takes no value");
		return -1;
	}
	shutdown_quiet = true;
	return 0;
}

static int set_main_stack(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n < 16 || n > 1024 * 1024) {
		mica_snprintf(err, len, "'%s' is not a size in KiB (16 to "
			      "1048576)", v ? v : "");
		return -1;
	}
	kernel_config.main_stack_kib = (unsigned int)n;
	return 0;
}

static int set_hcall(const char *v, char *err, size_t len)
{
	if (v && strcmp(v, "audit") == 0) {
		hcall_audit_mode = true;
		return 0;
	}
	if (v && strcmp(v, "direct") == 0) {
		hcall_audit_mode = false;
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not audit or direct", v ? v : "");
	return -1;
}

static int set_hypercall(const char *v, char *err, size_t len)
{
	if (v && strcmp(v, "page") == 0) {
		hcall_want_page = true;
		return 0;
	}
	if (v && strcmp(v, "direct") == 0) {
		hcall_want_page = false;
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not page or direct", v ? v : "");
	return -1;
}

/* console=virtio: the virtio console alone once probed; all: every
 * console (the default). */
static int set_console(const char *v, char *err, size_t len)
{
	if (v && strcmp(v, "virtio") == 0) {
		console_want_only("virtio");
		return 0;
	}
	if (v && strcmp(v, "all") == 0) {
		console_want_only(NULL);
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not virtio or all", v ? v : "");
	return -1;
}

#ifdef CONFIG_NET
struct net_config net_config = {
	.dhcp_wait_s = 10,
};

/* A dotted quad of four decimal numbers 0-255, nothing else. */
static int parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t addr = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int n = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || n > 255)
			return -1;
		addr = addr << 8 | n;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*out = addr;
	return 0;
}

static uint32_t prefix_mask(unsigned int bits)
{
	return bits ? ~0u << (32 - bits) : 0;
}

static bool is_netmask(uint32_t m)
{
	return (m | (m - 1)) == ~0u || m == 0; /* ones, then only zeros */
}

static int bad_addr(const char *v, char *err, size_t len)
{
	mica_snprintf(err, len, "'%s' is not an IPv4 address (a.b.c.d)",
		      v ? v : "");
	return -1;
}

/* ip=A.B.C.D or ip=A.B.C.D/PREFIX: a static address (turns DHCP off). */
static int set_ip(const char *v, char *err, size_t len)
{
	char addr[16];
	const char *slash = v ? strchr(v, '/') : NULL;
	size_t n = slash ? (size_t)(slash - v) : (v ? strlen(v) : 0);
	uint64_t bits;
	uint32_t ip;

	if (!v || n >= sizeof(addr))
		return bad_addr(v, err, len);
	memcpy(addr, v, n);
	addr[n] = '\0';
	if (parse_ipv4(addr, &ip) < 0)
		return bad_addr(v, err, len);
	if (ip == 0 || ip == ~0u || (ip >> 24) == 127 || (ip >> 28) == 14) {
		mica_snprintf(err, len, "'%s' is not usable as this host's "
			      "address (zero, broadcast, loopback or "
			      "multicast)", addr);
		return -1;
	}
	if (slash) {
		if (parse_u64(slash + 1, &bits) < 0 || bits < 1 || bits > 30) {
			mica_snprintf(err, len, "'%s': the prefix length "
				      "after / must be 1 to 30", v);
			return -1;
		}
		net_config.netmask = prefix_mask((unsigned int)bits);
		net_config.have_netmask = true;
	}
	net_config.ip = ip;
	net_config.have_ip = true;
	return 0;
}

static int set_netmask(const char *v, char *err, size_t len)
{
	uint32_t m;

	if (!v || parse_ipv4(v, &m) < 0)
		return bad_addr(v, err, len);
	if (!is_netmask(m) || m == 0 || m == ~0u) {
		mica_snprintf(err, len, "'%s' is not a netmask (ones then "
			      "zeros, like 255.255.255.0)", v);
		return -1;
	}
	net_config.netmask = m;
	net_config.have_netmask = true;
	return 0;
}

static int set_gw(const char *v, char *err, size_t len)
{
	if (!v || parse_ipv4(v, &net_config.gw) < 0)
		return bad_addr(v, err, len);
	net_config.have_gw = true;
	return 0;
}

static int set_dns(const char *v, char *err, size_t len)
{
	if (!v || parse_ipv4(v, &net_config.dns) < 0 || net_config.dns == 0)
		return bad_addr(v, err, len);
	net_config.have_dns = true;
	return 0;
}

static int set_dhcp_wait(const char *v, char *err, size_t len)
{
	uint64_t n;

	if (parse_u64(v, &n) < 0 || n > 600) {
		mica_snprintf(err, len, "'%s' is not a number of seconds "
			      "(0 to 600)", v ? v : "");
		return -1;
	}
	net_config.dhcp_wait_s = (unsigned int)n;
	return 0;
}

static int set_insecure_rng(const char *v, char *err, size_t len)
{
	if (!v || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)) {
		mica_snprintf(err, len, "'%s' is not 0 or 1", v ? v : "");
		return -1;
	}
	net_config.insecure_rng = v[0] == '1';
	return 0;
}
#endif

extern int virtio_dma_force_grant_domid;

static int set_virtio_dma(const char *v, char *err, size_t len)
{
	uint64_t domid = 0;

	if (v && strcmp(v, "identity") == 0) {
		virtio_dma_force_grant_domid = -2;
		return 0;
	}
	if (v && (strcmp(v, "grant") == 0 ||
		  (strncmp(v, "grant:", 6) == 0 &&
		   parse_u64(v + 6, &domid) == 0 && domid < 0x7ff0))) {
		virtio_dma_force_grant_domid = (int)domid;
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not identity, grant or grant:DOMID",
		      v ? v : "");
	return -1;
}

int virtio_mmio_cmdline_add(const char *spec, char *err, size_t errlen);
int virtio_mmio_set_wait(const char *v, char *err, size_t len);

static int set_csum_offload(const char *v, char *err, size_t len)
{
	if (v && (strcmp(v, "on") == 0 || strcmp(v, "off") == 0)) {
		netdev_csum_offload = v[1] == 'n';
		return 0;
	}
	mica_snprintf(err, len, "'%s' is not on or off", v ? v : "");
	return -1;
}

const struct kernel_option kernel_options[] = {
	{ "loglevel", "0 errors only, 1 boot summary (default), 2 verbose",
	  set_loglevel },
	{ "quiet", "same as loglevel=0", set_quiet },
	{ "quiet_exit", "no lines after the app's own at exit (status, "
			"hypercall summary)",
	  set_quiet_exit },
	{ "console", "virtio: once probed, the virtio console is the only "
		     "one; all: every console (default)",
	  set_console },
	{ "mainstack", "stack of the app's main thread in KiB (default 256)",
	  set_main_stack },
	{ "hcall", "audit: stop on any hypercall buffer outside the arena",
	  set_hcall },
	{ "hypercall", "page: call Xen through its hypercall page (PVH; "
		       "default direct)",
	  set_hypercall },
	{ "virtio_dma", "identity, or grant[:DOMID] (Xen grant DMA to that "
			"backend, default 0)",
	  set_virtio_dma },
	{ "virtio_mmio.device", "SIZE@BASE[:IRQ]: a virtio-mmio slot (QEMU "
				"microvm writes these)",
	  virtio_mmio_cmdline_add },
	{ "virtio_mmio.wait", "seconds to wait for a device promised in a "
			      "virtio-mmio slot that reads empty (default 5)",
	  virtio_mmio_set_wait },
	{ "net.csum_offload", "on (default): TCP/UDP checksums by the network "
			      "device where it offers to; off: in software",
	  set_csum_offload },
#ifdef CONFIG_NET
	{ "ip", "static IPv4 address a.b.c.d[/prefix] (default: DHCP)",
	  set_ip },
	{ "netmask", "netmask with ip= (default 255.255.255.0)", set_netmask },
	{ "gw", "default gateway with ip=", set_gw },
	{ "dns", "DNS server (with DHCP: used when the lease names none)",
	  set_dns },
	{ "dhcp_wait", "seconds to wait for a DHCP lease before main "
		       "(default 10, 0: do not wait)",
	  set_dhcp_wait },
	{ "insecure_rng", "1: run the network stack without a hardware "
			  "random source (predictable; tests only)",
	  set_insecure_rng },
#endif
};
const size_t kernel_options_count =
	sizeof(kernel_options) / sizeof(kernel_options[0]);
