/*
 * Writes the seed corpus: a few small valid inputs per fuzz target, in the
 * formats the targets read. tests/fuzz/run.sh runs it when a target has
 * no seeds in tests/fuzz/corpus/<target>/.
 * Usage: mkseeds DIR   (writes DIR/<target>/seed-N)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <mica/types.h>
#include <xen/arch-x86/hvm/start_info.h>

static const char *dir;

static void save(const char *target, int n, const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/seed-%d", dir, target, n);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* --- start_info: the whole readable memory, start info at offset 8 ---- */
#define SI_AT 8

static unsigned char mem[0x1000];

static struct hvm_start_info *si(void)
{
	return (struct hvm_start_info *)(mem + SI_AT);
}

static void entry(uint64_t at, unsigned int i, uint64_t addr, uint64_t size,
		  uint32_t type)
{
	struct hvm_memmap_table_entry *e = (void *)(mem + at);

	e[i].addr = addr;
	e[i].size = size;
	e[i].type = type;
}

static void start_info_seeds(void)
{
	struct hvm_modlist_entry *m;

	/* 1: version 1, map, command line, two modules. */
	memset(mem, 0, sizeof(mem));
	si()->magic = XEN_HVM_START_MAGIC_VALUE;
	si()->version = 1;
	si()->memmap_paddr = 0x100;
	si()->memmap_entries = 3;
	entry(0x100, 0, 0x0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM);
	entry(0x100, 1, 0xf0000, 0x10000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	entry(0x100, 2, 0x100000, 0x7f00000, XEN_HVM_MEMMAP_TYPE_RAM);
	si()->cmdline_paddr = 0x300;
	strcpy((char *)mem + 0x300, "loglevel=2 -- hello \"big world\"");
	si()->nr_modules = 2;
	si()->modlist_paddr = 0x400;
	m = (void *)(mem + 0x400);
	m[0].paddr = 0x2000000;
	m[0].size = 0x1000;
	m[1].paddr = 0x3000000;
	m[1].size = 0x20;
	si()->rsdp_paddr = 0xe0000;
	save("start_info", 1, mem, 0x500);

	/* 2: version 0: no map; command line ending at the limit. */
	si()->version = 0;
	si()->nr_modules = 0;
	si()->cmdline_paddr = 0x4f0;
	memcpy(mem + 0x4f0, "-- tail arg\0", 12);
	save("start_info", 2, mem, 0x4fc);

	/* 3: overlapping types, unknown types, an empty entry. */
	memset(mem, 0, sizeof(mem));
	si()->magic = XEN_HVM_START_MAGIC_VALUE;
	si()->version = 1;
	si()->memmap_paddr = 0x40;
	si()->memmap_entries = 6;
	entry(0x40, 0, 0x0, 0x10000000, XEN_HVM_MEMMAP_TYPE_RAM);
	entry(0x40, 1, 0x200000, 0x100000, XEN_HVM_MEMMAP_TYPE_ACPI);
	entry(0x40, 2, 0x280000, 0x100000, XEN_HVM_MEMMAP_TYPE_PMEM);
	entry(0x40, 3, 0x800000, 0x1000, 99);
	entry(0x40, 4, 0x900000, 0, XEN_HVM_MEMMAP_TYPE_RESERVED);
	entry(0x40, 5, 0xfffffff000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM);
	save("start_info", 3, mem, 0x200);

	/* 4: the most entries allowed, alternating types. */
	memset(mem, 0, sizeof(mem));
	si()->magic = XEN_HVM_START_MAGIC_VALUE;
	si()->version = 1;
	si()->memmap_paddr = 0x100;
	si()->memmap_entries = 112;
	for (unsigned int i = 0; i < 112; i++)
		entry(0x100, i, 0x100000 + i * 0x3000ULL, 0x2000,
		      i % 3 ? XEN_HVM_MEMMAP_TYPE_RAM
			    : XEN_HVM_MEMMAP_TYPE_NVS);
	save("start_info", 4, mem, 0x100 + 112 * 24);
}

/* --- cmdline: errlen byte, then the line ----------------------------- */
static void cmdline_seeds(void)
{
	static const char *lines[] = {
		"\x80loglevel=2 quiet -- one two",
		"\x80num=0x1F flag -- \"quoted arg\" esc\\ aped \"\"",
		"\x05num=18446744073709551615 num=18446744073709551616",
		"\x80unknown=1 -- x",
		"\x10" "a=\"b c\"d\\\"e -- -- =x",
		"\x80num flag=1",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		save("cmdline", (int)i + 1, lines[i], strlen(lines[i]));
}

/* --- memmap: mode byte, then records ---------------------------------- */
static unsigned char rec[1 + 128 * 17];
static size_t reclen;

static void put(uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		rec[reclen++] = (unsigned char)(v >> (8 * i));
}

static void wide(uint64_t base, uint64_t size, unsigned char type)
{
	put(base, 8);
	put(size, 8);
	put(type, 1);
}

static void compact(uint16_t page, uint16_t pages, unsigned char type)
{
	put(page, 2);
	put(pages, 2);
	put(type, 1);
}

static void memmap_seeds(void)
{
	/* 1: an e820 map, added then normalised. Type index 0 is RAM,
	 * 1 reserved, 2 ACPI, 5 Mica's. */
	reclen = 0;
	put(0, 1);
	wide(0x0, 0x9fc00, 0);
	wide(0x9fc00, 0x400, 1);
	wide(0xf0000, 0x10000, 1);
	wide(0x100000, 0x7ee0000, 0);
	wide(0x7fe0000, 0x20000, 2);
	save("memmap", 1, rec, reclen);

	/* 2: compact, overlapping and adjacent ranges. */
	reclen = 0;
	put(2, 1);
	compact(0, 256, 0);
	compact(16, 16, 1);
	compact(24, 16, 5);
	compact(256, 16, 0);
	compact(300, 0, 3);
	compact(40, 8, 7);
	save("memmap", 2, rec, reclen);

	/* 3: the boot sequence: platform map, then claims (bit 7). */
	reclen = 0;
	put(3, 1);
	compact(0, 160, 0);
	compact(256, 32512, 0);
	compact(240, 16, 1);
	compact(0, 256, 0x80);
	compact(512, 64, 0x80);
	compact(1000, 3, 0x80);
	save("memmap", 3, rec, reclen);

	/* 4: wide claims, one of them wrapping. */
	reclen = 0;
	put(1, 1);
	wide(0x100000, 0x40000000, 0);
	wide(0x1000000, 0x200000, 0x80);
	wide(UINT64_MAX - 0xfff, 0x2000, 0x80);
	save("memmap", 4, rec, reclen);
}

/* --- heap: 4-byte ops: kind, slot, size (16 bits) -------------------- */
static void op(unsigned char kind, unsigned char slot, uint16_t size)
{
	rec[reclen++] = kind;
	rec[reclen++] = slot;
	rec[reclen++] = (unsigned char)size;
	rec[reclen++] = (unsigned char)(size >> 8);
}

static void heap_seeds(void)
{
	/* kind % 4: 0 alloc, 1 free, 2 realloc, 3 memalign (slot bits 5-7:
	 * alignment); bit 7 scales the size by 32; bit 6 with memalign asks
	 * for a bad alignment. */
	reclen = 0;
	op(0, 0, 100);
	op(0, 1, 200);
	op(0, 2, 300);
	op(1, 1, 0);
	op(2, 0, 5000);
	op(3, 3 | 1 << 5, 0);
	op(3, 4 | 3 << 5, 17);
	op(3, 5 | 7 << 5, 4096);
	op(2, 2, 10);
	op(1, 0, 0);
	save("heap", 1, rec, reclen);

	reclen = 0;
	op(0x80, 0, 4000);	/* 128000 bytes: a new arena */
	op(0, 1, 1);
	op(0x80, 2, 65535);	/* 2 MiB */
	op(2, 1, 0);		/* realloc to 0 frees */
	op(0x43, 6, 64);	/* memalign(48): refused */
	op(1, 2, 0);
	save("heap", 2, rec, reclen);
}

/* --- netcsum: options byte, virtio-net header, frame ----------------- */
/* Frames Linux sent with its own checksums (tests/unit/test_net_csum.c). */
static const char *const frames_hex[] = {
	/* UDP, 31 bytes of payload */
	"525400aabbcc361620de232208004500003b1175400040110de2c0a84d01c0a8"
	"4d099c401e610027345a6d69636120636865636b73756d20746573742c206f64"
	"64206c656e67746821",
	/* TCP SYN with options */
	"525400aabbcc361620de232208004500003c369540004006e8cbc0a84d01c0a8"
	"4d099c411f9020dc4b0f00000000a002faf04afc0000020405b40402080aafa3"
	"0f54000000000103030a",
	/* TCP with 23 bytes of payload */
	"525400aabbccbeb7b0f5341a08004500003ffb06400040062457c0a84d01c0a8"
	"4d099c421f90ee5e6e3c000003e95018faf0f2a30000474554202f6f64642048"
	"5454502f312e300d0a0d0a2121",
};

static void netcsum_seed(int n, unsigned char opts, unsigned char flags,
			 uint16_t start, uint16_t off, const char *hex)
{
	size_t len = strlen(hex) / 2;

	reclen = 0;
	rec[reclen++] = opts;
	rec[reclen++] = flags;
	memset(rec + reclen, 0, 11);
	rec[reclen + 5] = (unsigned char)start;
	rec[reclen + 6] = (unsigned char)(start >> 8);
	rec[reclen + 7] = (unsigned char)off;
	rec[reclen + 8] = (unsigned char)(off >> 8);
	reclen += 11;
	for (size_t i = 0; i < len; i++) {
		char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		rec[reclen++] = (unsigned char)strtoul(two, NULL, 16);
	}
	save("netcsum", n, rec, reclen);
}

static void netcsum_seeds(void)
{
	int n = 1;

	for (int i = 0; i < 3; i++) {
		uint16_t field = i == 0 ? 6 : 16;

		netcsum_seed(n++, 1, 0, 0, 0, frames_hex[i]);
		netcsum_seed(n++, 0, 0, 0, 0, frames_hex[i]);
		netcsum_seed(n++, 1, 2, 0, 0, frames_hex[i]);	/* valid */
		netcsum_seed(n++, 1, 1, 34, field, frames_hex[i]);
		netcsum_seed(n++, 1, 1, 14, 2, frames_hex[i]);
	}
	netcsum_seed(n++, 1, 1, 60, 20, frames_hex[0]);	/* outside */
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	dir = argv[1];
	mkdir(dir, 0755);
	start_info_seeds();
	cmdline_seeds();
	memmap_seeds();
	heap_seeds();
	netcsum_seeds();
	return 0;
}
