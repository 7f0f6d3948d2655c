/*
 * kernel/fdt.c and kernel/devtree.c: device trees shaped like the ones
 * QEMU's virt machine and Xen's dom0less builder hand a guest, built here
 * by a small writer, then broken one way at a time. Every blob is copied
 * into a heap buffer of exactly the readable size, so ASan catches any
 * read past it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <mica/devtree.h>
#include <mica/fdt.h>
#include "unit.h"

/* --- a minimal DTB writer ----------------------------------------------- */

struct dtb {
	uint8_t st[16384];	/* structure block */
	uint32_t st_len;
	char strs[4096];	/* strings block */
	uint32_t str_len;
	uint64_t rsv[8][2];
	unsigned int nrsv;
	uint8_t out[32768];	/* the finished blob */
	uint32_t size;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static void w32(struct dtb *d, uint32_t v)
{
	put32(d->st + d->st_len, v);
	d->st_len += 4;
}

static void wbytes(struct dtb *d, const void *p, uint32_t len)
{
	if (len)
		memcpy(d->st + d->st_len, p, len);
	d->st_len += len;
	while (d->st_len % 4)
		d->st[d->st_len++] = 0;
}

static void begin(struct dtb *d, const char *name)
{
	w32(d, 1);
	wbytes(d, name, (uint32_t)strlen(name) + 1);
}

static void end(struct dtb *d)
{
	w32(d, 2);
}

static uint32_t str_off(struct dtb *d, const char *name)
{
	for (uint32_t o = 0; o < d->str_len; o += (uint32_t)strlen(d->strs + o) + 1)
		if (strcmp(d->strs + o, name) == 0)
			return o;
	strcpy(d->strs + d->str_len, name);
	d->str_len += (uint32_t)strlen(name) + 1;
	return d->str_len - (uint32_t)strlen(name) - 1;
}

static void prop(struct dtb *d, const char *name, const void *val, uint32_t len)
{
	w32(d, 3);
	w32(d, len);
	w32(d, str_off(d, name));
	wbytes(d, val, len);
}

/* String literals, embedded NULs (string lists) included. */
#define PROP_STR(d, name, lit) prop((d), (name), (lit), sizeof(lit))

static void prop_cells(struct dtb *d, const char *name, int n, ...)
{
	uint8_t buf[64];
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		put32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	prop(d, name, buf, (uint32_t)(4 * n));
}

static void finish(struct dtb *d)
{
	uint32_t rsv = 40, st, str;

	st = rsv + 16 * (d->nrsv + 1);
	w32(d, 9); /* FDT_END */
	str = st + d->st_len;
	d->size = str + d->str_len;
	memset(d->out, 0, sizeof(d->out));
	put32(d->out, FDT_MAGIC);
	put32(d->out + 4, d->size);
	put32(d->out + 8, st);
	put32(d->out + 12, str);
	put32(d->out + 16, rsv);
	put32(d->out + 20, 17);
	put32(d->out + 24, 16);
	put32(d->out + 32, d->str_len);
	put32(d->out + 36, d->st_len);
	for (unsigned int i = 0; i < d->nrsv; i++) {
		put64(d->out + rsv + 16 * i, d->rsv[i][0]);
		put64(d->out + rsv + 16 * i + 8, d->rsv[i][1]);
	}
	memcpy(d->out + st, d->st, d->st_len);
	memcpy(d->out + str, d->strs, d->str_len);
}

static struct dtb *new_dtb(void)
{
	struct dtb *d = calloc(1, sizeof(*d));

	REQUIRE(d);
	return d;
}

/* QEMU 7.2 `-M virt -cpu cortex-a57 -m 128M`, trimmed to what matters. */
static struct dtb *qemu_virt(const char *bootargs)
{
	struct dtb *d = new_dtb();

	begin(d, "");
	prop_cells(d, "#address-cells", 1, 2);
	prop_cells(d, "#size-cells", 1, 2);
	PROP_STR(d, "compatible", "linux,dummy-virt");
	begin(d, "psci");
	PROP_STR(d, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
	PROP_STR(d, "method", "hvc");
	end(d);
	begin(d, "memory@40000000");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 4, 0, 0x40000000, 0, 0x8000000);
	end(d);
	begin(d, "pl031@9010000");
	PROP_STR(d, "compatible", "arm,pl031\0arm,primecell");
	prop_cells(d, "reg", 4, 0, 0x9010000, 0, 0x1000);
	end(d);
	begin(d, "pl011@9000000");
	PROP_STR(d, "compatible", "arm,pl011\0arm,primecell");
	prop_cells(d, "reg", 4, 0, 0x9000000, 0, 0x1000);
	end(d);
	begin(d, "intc@8000000");
	prop_cells(d, "#interrupt-cells", 1, 3);
	PROP_STR(d, "compatible", "arm,cortex-a15-gic");
	prop_cells(d, "reg", 8, 0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0,
		   0x10000);
	end(d);
	begin(d, "timer");
	PROP_STR(d, "compatible", "arm,armv8-timer\0arm,armv7-timer");
	prop_cells(d, "interrupts", 12, 1, 13, 0x104, 1, 14, 0x104, 1, 11,
		   0x104, 1, 10, 0x104);
	end(d);
	begin(d, "chosen");
	if (bootargs)
		prop(d, "bootargs", bootargs, (uint32_t)strlen(bootargs) + 1);
	PROP_STR(d, "stdout-path", "/pl011@9000000");
	end(d);
	end(d);
	finish(d);
	return d;
}

/* Xen 4.17 dom0less domU with xen,enhanced = "no-xenstore" and vpl011. */
static struct dtb *xen_domu(void)
{
	struct dtb *d = new_dtb();

	begin(d, "");
	prop_cells(d, "#address-cells", 1, 2);
	prop_cells(d, "#size-cells", 1, 2);
	PROP_STR(d, "compatible", "xen,arm-virt\0xen,xenvm");
	begin(d, "hypervisor");
	PROP_STR(d, "compatible", "xen,xen-4.17\0xen,xen");
	prop_cells(d, "reg", 4, 0, 0x38000000, 0, 0x1000000);
	prop_cells(d, "interrupts", 3, 1, 15, 0xf08);
	end(d);
	begin(d, "memory@40000000");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 4, 0, 0x40000000, 0, 0x4000000);
	end(d);
	begin(d, "interrupt-controller@3001000");
	PROP_STR(d, "compatible", "arm,gic-v3");
	prop_cells(d, "#interrupt-cells", 1, 3);
	prop_cells(d, "reg", 8, 0, 0x3001000, 0, 0x10000, 0, 0x3020000, 0,
		   0x20000);
	end(d);
	begin(d, "timer");
	PROP_STR(d, "compatible", "arm,armv8-timer");
	prop_cells(d, "interrupts", 12, 1, 13, 0xf08, 1, 14, 0xf08, 1, 11,
		   0xf08, 1, 10, 0xf08);
	end(d);
	begin(d, "sbsa-uart@22000000");
	PROP_STR(d, "compatible", "arm,sbsa-uart");
	prop_cells(d, "reg", 4, 0, 0x22000000, 0, 0x1000);
	end(d);
	begin(d, "aliases");
	PROP_STR(d, "serial0", "/sbsa-uart@22000000");
	end(d);
	begin(d, "chosen");
	PROP_STR(d, "bootargs", "hcall=audit -- exit=0");
	PROP_STR(d, "stdout-path", "serial0:115200n8");
	end(d);
	end(d);
	finish(d);
	return d;
}

/* --- running the parser on a copy of exactly the readable size ---------- */

static struct fdt f;
static struct boot_info bi;
static struct dt_machine m;
static char err[300];
static uint8_t *copy;

static int open_n(const struct dtb *d, size_t avail)
{
	free(copy);
	copy = malloc(avail ? avail : 1);
	REQUIRE(copy);
	memcpy(copy, d->out, MIN(avail, sizeof(d->out)));
	err[0] = '\0';
	return fdt_open(&f, copy, avail, err, sizeof(err));
}

static int open_dtb(const struct dtb *d)
{
	return open_n(d, d->size);
}

/* Open and read the machine, the way the arm64 entry does. */
static int read_all(const struct dtb *d, paddr_t pa)
{
	if (open_dtb(d) < 0)
		return -1;
	return dt_read_machine(&f, pa, &bi, &m, err, sizeof(err));
}

static const struct mem_region *region_at(uint64_t addr)
{
	for (unsigned int i = 0; i < bi.memmap.count; i++)
		if (bi.memmap.r[i].base <= addr &&
		    addr - bi.memmap.r[i].base < bi.memmap.r[i].size)
			return &bi.memmap.r[i];
	return NULL;
}

#define CHECK_FAILS(expr, text)                                                \
	do {                                                                   \
		CHECK_EQ((expr), -1);                                          \
		CHECK_CONTAINS(err, (text));                                   \
	} while (0)

/* --- the reader ---------------------------------------------------------- */

TEST(fdt_qemu_virt_nodes)
{
	struct dtb *d = qemu_virt("x");
	int chosen, mem, n, depth = 0, count = 0;

	REQUIRE(open_dtb(d) == 0);
	CHECK_EQ(f.size, d->size);
	CHECK_STR(fdt_name(&f, f.root), "");
	chosen = fdt_path(&f, "/chosen");
	REQUIRE(chosen >= 0);
	CHECK_STR(fdt_name(&f, chosen), "chosen");
	mem = fdt_path(&f, "/memory");
	CHECK_STR(fdt_name(&f, mem), "memory@40000000");
	CHECK_EQ(fdt_path(&f, "/memory@40000000"), mem);
	CHECK_EQ(fdt_path(&f, "/memory@4"), -1);
	CHECK_EQ(fdt_path(&f, "/nonesuch"), -1);
	CHECK_EQ(fdt_path(&f, "chosen"), -1);
	CHECK_EQ(fdt_path(&f, "/"), f.root);
	CHECK(fdt_compatible(&f, fdt_path(&f, "/pl011"), "arm,primecell"));
	CHECK(!fdt_compatible(&f, fdt_path(&f, "/pl011"), "arm,pl01"));
	CHECK_STR(fdt_prop_str(&f, fdt_path(&f, "/psci"), "method"), "hvc");
	CHECK(fdt_prop_str(&f, f.root, "nonesuch") == NULL);
	CHECK(fdt_prop(&f, -1, "reg", NULL) == NULL);
	n = fdt_first_child(&f, f.root);
	CHECK_STR(fdt_name(&f, n), "psci");
	CHECK_STR(fdt_name(&f, fdt_next_sibling(&f, n)), "memory@40000000");
	CHECK_EQ(fdt_next_sibling(&f, chosen), -1);
	for (n = f.root; n >= 0; n = fdt_next_node(&f, n, &depth))
		count++;
	CHECK_EQ(count, 8);
	free(d);
}

TEST(fdt_qemu_virt_machine)
{
	struct dtb *d = qemu_virt("loglevel=2 -- \"two words\"");
	const struct mem_region *r;

	REQUIRE(read_all(d, 0x44000000) == 0);
	CHECK_STR(bi.cmdline, "loglevel=2 -- \"two words\"");
	CHECK_EQ(bi.cmdline_len, strlen(bi.cmdline));
	CHECK_EQ(m.uart.base, 0x9000000);
	CHECK_EQ(m.uart.size, 0x1000);
	CHECK(!m.uart_sbsa);
	CHECK_EQ(m.gic_version, 2);
	CHECK_EQ(m.gic_dist.base, 0x8000000);
	CHECK_EQ(m.gic_cpu.base, 0x8010000);
	CHECK_EQ(m.timer_irq, 27);
	CHECK_EQ(m.timer_freq, 0);
	CHECK_EQ(m.rtc.base, 0x9010000);
	CHECK(!m.xen);
	CHECK_EQ(m.psci, DT_PSCI_HVC);
	r = region_at(0x40000000);
	REQUIRE(r);
	CHECK_EQ(r->type, MEM_RAM);
	r = region_at(0x44000000);
	REQUIRE(r);
	CHECK_EQ(r->type, MEM_MICA); /* the blob itself */
	CHECK_EQ(r->size, ALIGN_UP(d->size, 1));
	CHECK_EQ(memmap_ram_bytes(&bi.memmap), 0x8000000 - d->size);
	free(d);
}

TEST(fdt_xen_domu_machine)
{
	struct dtb *d = xen_domu();
	const struct mem_region *r;
	uint64_t top = 0x40000000 + 0x4000000 - 0x200000;

	/* Xen puts a small guest's DTB 2 MiB under the top of its RAM. */
	REQUIRE(read_all(d, top) == 0);
	CHECK(m.xen);
	CHECK_EQ(m.xen_irq, 31);
	CHECK_EQ(m.xen_gnttab.base, 0x38000000);
	CHECK_EQ(m.xen_gnttab.size, 0x1000000);
	CHECK_EQ(m.gic_version, 3);
	CHECK_EQ(m.gic_dist.base, 0x3001000);
	CHECK_EQ(m.gic_redist.base, 0x3020000);
	CHECK_EQ(m.gic_redist.size, 0x20000);
	CHECK_EQ(m.uart.base, 0x22000000);
	CHECK(m.uart_sbsa);
	CHECK_EQ(m.timer_irq, 27);
	CHECK_EQ(m.rtc.size, 0);
	CHECK_EQ(m.psci, DT_PSCI_NONE);
	CHECK_STR(bi.cmdline, "hcall=audit -- exit=0");
	r = region_at(top);
	REQUIRE(r);
	CHECK_EQ(r->type, MEM_MICA);
	CHECK(region_at(top + d->size) && region_at(top + d->size)->type == MEM_RAM);
	free(d);
}

TEST(fdt_stdout_path_picks_the_uart)
{
	struct dtb *d = new_dtb();

	begin(d, "");
	prop_cells(d, "#address-cells", 1, 1);
	prop_cells(d, "#size-cells", 1, 1);
	begin(d, "memory@0");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 2, 0x80000000, 0x1000000);
	end(d);
	begin(d, "serial@1000");
	PROP_STR(d, "compatible", "arm,pl011");
	prop_cells(d, "reg", 2, 0x1000, 0x1000);
	end(d);
	begin(d, "serial@2000");
	PROP_STR(d, "compatible", "arm,pl011");
	prop_cells(d, "reg", 2, 0x2000, 0x1000);
	end(d);
	begin(d, "aliases");
	PROP_STR(d, "serial1", "/serial@2000");
	end(d);
	begin(d, "chosen");
	PROP_STR(d, "stdout-path", "serial1:115200n8");
	end(d);
	end(d);
	finish(d);
	REQUIRE(read_all(d, 0x80100000) == 0);
	CHECK_EQ(m.uart.base, 0x2000);
	CHECK_EQ(bi.cmdline_len, 0);
	CHECK_STR(bi.cmdline, "");
	free(d);
}

TEST(fdt_buses_status_and_reservations)
{
	struct dtb *d = new_dtb();

	d->rsv[0][0] = 0x40100000;
	d->rsv[0][1] = 0x3000;
	d->nrsv = 1;
	begin(d, "");
	prop_cells(d, "#address-cells", 1, 2);
	prop_cells(d, "#size-cells", 1, 2);
	w32(d, 4); /* FDT_NOP: skipped everywhere */
	begin(d, "memory@40000000");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 8, 0, 0x40000000, 0, 0x1000000, 0x2, 0, 0,
		   0x1000000);
	end(d);
	begin(d, "reserved-memory");
	prop_cells(d, "#address-cells", 1, 2);
	prop_cells(d, "#size-cells", 1, 2);
	prop(d, "ranges", NULL, 0);
	begin(d, "fw@40200000");
	prop_cells(d, "reg", 4, 0, 0x40200000, 0, 0x10000);
	end(d);
	end(d);
	/* A bus that translates addresses: its UART must not be used. */
	begin(d, "bus");
	prop_cells(d, "#address-cells", 1, 1);
	prop_cells(d, "#size-cells", 1, 1);
	prop_cells(d, "ranges", 3, 0, 0x10000000, 0x100000);
	begin(d, "serial@0");
	PROP_STR(d, "compatible", "arm,pl011");
	prop_cells(d, "reg", 2, 0, 0x1000);
	end(d);
	end(d);
	/* A 1:1 bus: its RTC counts. A disabled UART does not. */
	begin(d, "soc");
	prop_cells(d, "#address-cells", 1, 1);
	prop_cells(d, "#size-cells", 1, 1);
	prop(d, "ranges", NULL, 0);
	begin(d, "rtc@9010000");
	PROP_STR(d, "compatible", "arm,pl031");
	prop_cells(d, "reg", 2, 0x9010000, 0x1000);
	end(d);
	begin(d, "serial@9000000");
	PROP_STR(d, "compatible", "arm,pl011");
	PROP_STR(d, "status", "disabled");
	prop_cells(d, "reg", 2, 0x9000000, 0x1000);
	end(d);
	end(d);
	begin(d, "chosen");
	prop_cells(d, "linux,initrd-start", 1, 0x40800000);
	prop_cells(d, "linux,initrd-end", 1, 0x40900000);
	end(d);
	end(d);
	finish(d);
	REQUIRE(read_all(d, 0x40c00000) == 0);
	CHECK_EQ(m.uart.size, 0);
	CHECK_EQ(m.rtc.base, 0x9010000);
	CHECK_EQ(region_at(0x40101000)->type, MEM_RESERVED);
	CHECK_EQ(region_at(0x40200000)->type, MEM_RESERVED);
	CHECK_EQ(region_at(0x40850000)->type, MEM_MICA);
	CHECK_EQ(bi.nr_modules, 1);
	CHECK_EQ(bi.modules[0].base, 0x40800000);
	CHECK_EQ(bi.modules[0].size, 0x100000);
	CHECK_EQ(region_at(0x200000000)->type, MEM_RAM);
	CHECK_EQ(memmap_ram_bytes(&bi.memmap),
		 0x2000000 - 0x3000 - 0x10000 - 0x100000 - d->size);
	free(d);
}

/* --- hostile blobs ------------------------------------------------------- */

static void set32(struct dtb *d, uint32_t off, uint32_t v)
{
	put32(d->out + off, v);
}

static uint32_t hdr(const struct dtb *d, uint32_t off)
{
	return fdt_be32(d->out + off);
}

TEST(fdt_hostile_header)
{
	struct dtb *d = qemu_virt("x");
	uint32_t size = d->size;

	CHECK_FAILS(open_n(d, 39), "smaller than its header");
	CHECK_FAILS(open_n(d, size - 1), "totalsize runs past readable");
	set32(d, 0, 0xedfe0dd0);
	CHECK_FAILS(open_dtb(d), "bad magic");
	set32(d, 0, FDT_MAGIC);
	set32(d, 4, 39);
	CHECK_FAILS(open_dtb(d), "totalsize out of range");
	set32(d, 4, FDT_MAX_SIZE + 1);
	CHECK_FAILS(open_n(d, FDT_MAX_SIZE + 4), "totalsize out of range");
	set32(d, 4, size);
	set32(d, 20, 16);
	CHECK_FAILS(open_dtb(d), "version");
	set32(d, 20, 17);
	set32(d, 24, 18);
	CHECK_FAILS(open_dtb(d), "version");
	set32(d, 24, 16);
	REQUIRE(open_dtb(d) == 0);
	free(d);
}

TEST(fdt_hostile_blocks)
{
	struct dtb *d = qemu_virt("x");
	uint32_t st = hdr(d, 8), st_size = hdr(d, 36);
	uint32_t str = hdr(d, 12), str_size = hdr(d, 32);

	set32(d, 8, st + 2);
	CHECK_FAILS(open_dtb(d), "structure block outside");
	set32(d, 8, 0xfffffff0);
	CHECK_FAILS(open_dtb(d), "structure block outside");
	set32(d, 8, 8);
	CHECK_FAILS(open_dtb(d), "structure block outside");
	set32(d, 8, st);
	set32(d, 36, d->size - st + 4);
	CHECK_FAILS(open_dtb(d), "structure block outside");
	set32(d, 36, 0xfffffffc);
	CHECK_FAILS(open_dtb(d), "structure block outside");
	set32(d, 36, st_size);
	set32(d, 32, str_size + 1);
	CHECK_FAILS(open_dtb(d), "strings block outside");
	set32(d, 12, 0xffffffff);
	CHECK_FAILS(open_dtb(d), "strings block outside");
	set32(d, 12, str);
	set32(d, 32, str_size);
	set32(d, 16, 44);
	CHECK_FAILS(open_dtb(d), "reservation block outside");
	set32(d, 16, d->size + 8);
	CHECK_FAILS(open_dtb(d), "reservation block outside");
	/* Reservation entries all the way to the end: no terminator. */
	set32(d, 16, (d->size - 8) & ~7U);
	CHECK_FAILS(open_dtb(d), "no terminating entry");
	set32(d, 16, 40);
	REQUIRE(open_dtb(d) == 0);
	free(d);
}

TEST(fdt_hostile_reservations)
{
	struct dtb *d = qemu_virt("x");

	d->nrsv = 8;
	for (unsigned int i = 0; i < 8; i++) {
		d->rsv[i][0] = 0xfffffffffffff000ULL;
		d->rsv[i][1] = 0x2000;
	}
	d->st_len -= 4; /* finish() adds FDT_END again */
	finish(d);
	CHECK_FAILS(read_all(d, 0x44000000), "/memreserve/ entry 0 runs past");
	free(d);

	/* 65 entries: the reader refuses rather than loop over them. */
	d = qemu_virt("x");
	{
		uint8_t *big = calloc(1, d->size + 65 * 16);

		REQUIRE(big);
		memcpy(big, d->out, 40);
		for (unsigned int i = 0; i < 65; i++)
			put64(big + 40 + 16 * i, 0x1000 * (i + 1));
		put32(big + 4, d->size + 65 * 16);
		memcpy(d->out, big, d->size + 65 * 16 < sizeof(d->out)
					    ? d->size + 65 * 16
					    : sizeof(d->out));
		d->size += 65 * 16;
		free(big);
	}
	CHECK_FAILS(open_dtb(d), "more than 64 memory reservations");
	free(d);
}

/* A structure block of raw words after a valid root BEGIN_NODE. */
static struct dtb *raw_struct(const uint32_t *words, unsigned int n,
			      bool add_end)
{
	struct dtb *d = new_dtb();

	for (unsigned int i = 0; i < n; i++)
		w32(d, words[i]);
	str_off(d, "reg");
	str_off(d, "compatible");
	finish(d);
	if (!add_end) {
		/* Drop the FDT_END finish() appended. */
		set32(d, 36, hdr(d, 36) - 4);
	}
	return d;
}

TEST(fdt_hostile_tokens)
{
	static const uint32_t end_outside[] = { 1, 0, 2, 2 };
	static const uint32_t end_open[] = { 1, 0, 1, 0x61000000 };
	static const uint32_t unknown[] = { 1, 0, 7, 2 };
	static const uint32_t second_root[] = { 1, 0, 2, 1, 0, 2 };
	static const uint32_t prop_outside[] = { 3, 0, 0, 1, 0, 2 };
	static const uint32_t prop_after_child[] = { 1, 0, 1, 0x61000000, 2,
						     3, 0, 0, 2 };
	static const uint32_t prop_len[] = { 1, 0, 3, 0x7ffffff0, 0, 2 };
	static const uint32_t prop_name[] = { 1, 0, 3, 0, 0x1000, 2 };
	static const uint32_t prop_cut[] = { 1, 0, 3 };
	static const uint32_t no_root[] = { 4, 4 };
	struct dtb *d;

	d = raw_struct(end_outside, 4, true);
	CHECK_FAILS(open_dtb(d), "FDT_END_NODE outside any node");
	free(d);
	d = raw_struct(end_open, 4, true);
	CHECK_FAILS(open_dtb(d), "FDT_END inside an open node");
	free(d);
	d = raw_struct(end_open, 4, false);
	CHECK_FAILS(open_dtb(d), "structure block ends without FDT_END");
	free(d);
	d = raw_struct(unknown, 4, true);
	CHECK_FAILS(open_dtb(d), "unknown token");
	free(d);
	d = raw_struct(second_root, 6, true);
	CHECK_FAILS(open_dtb(d), "a second root node");
	free(d);
	d = raw_struct(prop_outside, 6, true);
	CHECK_FAILS(open_dtb(d), "property outside any node");
	free(d);
	d = raw_struct(prop_after_child, 9, true);
	CHECK_FAILS(open_dtb(d), "property after a subnode");
	free(d);
	d = raw_struct(prop_len, 6, true);
	CHECK_FAILS(open_dtb(d), "property value runs past");
	free(d);
	d = raw_struct(prop_name, 6, true);
	CHECK_FAILS(open_dtb(d), "property name outside the strings block");
	free(d);
	d = raw_struct(prop_cut, 3, false);
	CHECK_FAILS(open_dtb(d), "property header runs past");
	free(d);
	d = raw_struct(no_root, 2, true);
	CHECK_FAILS(open_dtb(d), "no root node");
	free(d);
}

TEST(fdt_hostile_names)
{
	static const uint32_t name_cut[] = { 1, 0x61626364 };
	struct dtb *d = raw_struct(name_cut, 2, false);

	/* The block ends inside the node name: no NUL to be found. */
	CHECK_FAILS(open_dtb(d), "node name runs past");
	free(d);

	/* A strings block whose last name has no NUL. */
	d = qemu_virt("x");
	set32(d, 32, hdr(d, 32) - 1);
	CHECK_FAILS(open_dtb(d), "property name outside the strings block");
	free(d);
}

TEST(fdt_hostile_depth)
{
	struct dtb *d = new_dtb();

	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		begin(d, i ? "n" : "");
	for (int i = 0; i < FDT_MAX_DEPTH; i++)
		end(d);
	str_off(d, "x");
	finish(d);
	CHECK_EQ(open_dtb(d), 0);
	free(d);

	d = new_dtb();
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		begin(d, i ? "n" : "");
	for (int i = 0; i <= FDT_MAX_DEPTH; i++)
		end(d);
	str_off(d, "x");
	finish(d);
	CHECK_FAILS(open_dtb(d), "nested deeper than 16");
	free(d);
}

/* A root with one memory node whose reg is @reg. */
static struct dtb *with_memory(uint32_t ac, uint32_t sc, const uint32_t *reg,
			       int nreg)
{
	struct dtb *d = new_dtb();
	uint8_t buf[4096];

	begin(d, "");
	prop_cells(d, "#address-cells", 1, ac);
	prop_cells(d, "#size-cells", 1, sc);
	begin(d, "memory");
	PROP_STR(d, "device_type", "memory");
	for (int i = 0; i < nreg; i++)
		put32(buf + 4 * i, reg[i]);
	prop(d, "reg", buf, (uint32_t)(4 * nreg));
	end(d);
	end(d);
	finish(d);
	return d;
}

TEST(fdt_hostile_memory_nodes)
{
	static const uint32_t wraps[] = { 0xffffffff, 0xfffff000, 0, 0x2000 };
	static const uint32_t past48[] = { 0xffff, 0, 0x2, 0 };
	static const uint32_t ragged[] = { 0, 0x40000000, 0 };
	static const uint32_t three[] = { 0, 0, 0x40000000, 0, 0x1000 };
	static const uint32_t zero[] = { 0, 0x40000000, 0, 0 };
	struct dtb *d;

	d = with_memory(2, 2, wraps, 4);
	CHECK_FAILS(read_all(d, 0), "reg runs past the 48-bit");
	free(d);
	d = with_memory(2, 2, past48, 4);
	CHECK_FAILS(read_all(d, 0), "reg runs past the 48-bit");
	free(d);
	d = with_memory(2, 2, ragged, 3);
	CHECK_FAILS(read_all(d, 0), "not a whole number");
	free(d);
	d = with_memory(3, 2, three, 5);
	CHECK_FAILS(read_all(d, 0), "#address-cells or #size-cells");
	free(d);
	d = with_memory(2, 2, zero, 4);
	CHECK_FAILS(read_all(d, 0), "no memory node with usable RAM");
	free(d);
	d = with_memory(2, 2, zero, 0);
	CHECK_FAILS(read_all(d, 0), "no memory node with usable RAM");
	free(d);
}

TEST(fdt_hostile_too_many_ranges)
{
	uint32_t reg[2 * (MEMMAP_MAX + 1)];
	struct dtb *d;

	for (int i = 0; i <= MEMMAP_MAX; i++) {
		reg[2 * i] = 0x40000000 + 0x2000 * (uint32_t)i;
		reg[2 * i + 1] = 0x1000;
	}
	d = with_memory(1, 1, reg, 2 * (MEMMAP_MAX + 1));
	CHECK_FAILS(read_all(d, 0), "too many memory ranges");
	free(d);
}

TEST(fdt_hostile_bootargs)
{
	char *long_args = malloc(CMDLINE_MAX + 2);
	struct dtb *d;

	REQUIRE(long_args);
	memset(long_args, 'a', CMDLINE_MAX + 1);
	long_args[CMDLINE_MAX + 1] = '\0';
	d = qemu_virt(long_args);
	CHECK_FAILS(read_all(d, 0x44000000), "bootargs is 2049 bytes (max 2048)");
	free(d);
	long_args[CMDLINE_MAX] = '\0';
	d = qemu_virt(long_args);
	CHECK_EQ(read_all(d, 0x44000000), 0);
	CHECK_EQ(bi.cmdline_len, CMDLINE_MAX);
	free(d);
	free(long_args);

	/* bootargs = "abc" with no NUL (3 bytes). */
	d = new_dtb();
	begin(d, "");
	begin(d, "memory");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 3, 0, 0x40000000, 0x1000000);
	end(d);
	begin(d, "chosen");
	prop(d, "bootargs", "abc", 3);
	end(d);
	end(d);
	finish(d);
	CHECK_FAILS(read_all(d, 0x40800000), "bootargs is not NUL-terminated");
	free(d);
}

TEST(fdt_hostile_devices)
{
	struct dtb *d;

	/* Xen node without its event interrupt. */
	d = new_dtb();
	begin(d, "");
	begin(d, "memory");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 3, 0, 0x40000000, 0x1000000);
	end(d);
	begin(d, "hypervisor");
	PROP_STR(d, "compatible", "xen,xen");
	end(d);
	begin(d, "timer");
	PROP_STR(d, "compatible", "arm,armv8-timer");
	prop_cells(d, "interrupts", 9, 1, 13, 0, 1, 14, 0, 2, 11, 0);
	end(d);
	end(d);
	finish(d);
	CHECK_FAILS(read_all(d, 0x40800000),
		    "neither a PPI nor an SPI");
	free(d);

	d = new_dtb();
	begin(d, "");
	begin(d, "memory");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 3, 0, 0x40000000, 0x1000000);
	end(d);
	begin(d, "hypervisor");
	PROP_STR(d, "compatible", "xen,xen");
	end(d);
	begin(d, "intc");
	PROP_STR(d, "compatible", "arm,gic-v3");
	prop_cells(d, "reg", 3, 0, 0x8000000, 0x10000);
	end(d);
	end(d);
	finish(d);
	CHECK_FAILS(read_all(d, 0x40800000), "lacks its two register regions");
	free(d);

	d = new_dtb();
	begin(d, "");
	begin(d, "memory");
	PROP_STR(d, "device_type", "memory");
	prop_cells(d, "reg", 3, 0, 0x40000000, 0x1000000);
	end(d);
	begin(d, "hypervisor");
	PROP_STR(d, "compatible", "xen,xen");
	end(d);
	end(d);
	finish(d);
	CHECK_FAILS(read_all(d, 0x40800000), "no event channel interrupt");
	free(d);
}

/*
 * Every single-byte change of a good blob (to a few telling values) and
 * every truncation: the reader must accept or refuse, never read past
 * the buffer (ASan) or loop (the test's timeout).
 */
TEST(fdt_mutations_never_read_out_of_bounds)
{
	static const uint8_t vals[] = { 0x00, 0xff, 0x01, 0x02, 0x03, 0x09,
					0x80, 0x7f };
	struct dtb *good = xen_domu();
	struct dtb *d = new_dtb();
	unsigned int accepted = 0, refused = 0;

	for (uint32_t i = 0; i < good->size; i++) {
		for (size_t v = 0; v < sizeof(vals); v++) {
			memcpy(d->out, good->out, good->size);
			d->size = good->size;
			d->out[i] = vals[v];
			if (read_all(d, 0x43e00000) == 0)
				accepted++;
			else
				refused++;
		}
	}
	for (uint32_t n = 0; n < good->size; n++) {
		memcpy(d->out, good->out, good->size);
		if (open_n(d, n) == 0)
			accepted++;
	}
	CHECK(accepted > 0);
	CHECK(refused > 0);
	free(good);
	free(d);
}
