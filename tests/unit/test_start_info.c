/*
 * arch/x86/start_info.c: the PVH start info, built in fake physical memory
 * whose end is the readable limit (ASan catches any read past it).
 */
#include <string.h>
#include <mica/types.h> /* before Xen's header: it needs stdint */
#include <xen/arch-x86/hvm/start_info.h>
#include <arch/start_info.h>
#include "host.h"
#include "unit.h"

#define WIN 0x10000ULL
#define SI 0x1000ULL
#define MEMMAP 0x2000ULL
#define MODLIST 0x3000ULL
#define CMDLINE 0x4000ULL

static struct boot_info bi;
static char err[200];

static void *phys(uint64_t pa)
{
	return (char *)host_phys_base() + pa;
}

static struct hvm_start_info *si(void)
{
	return phys(SI);
}

static struct hvm_memmap_table_entry *mm(void)
{
	return phys(MEMMAP);
}

static struct hvm_modlist_entry *mods(void)
{
	return phys(MODLIST);
}

static void set_entry(unsigned int i, uint64_t addr, uint64_t size,
		      uint32_t type)
{
	mm()[i].addr = addr;
	mm()[i].size = size;
	mm()[i].type = type;
}

/* A good version-1 start info: three map entries, a command line, two
 * modules. Tests then break one thing. */
static void setup(void)
{
	host_phys_init(WIN);
	si()->magic = XEN_HVM_START_MAGIC_VALUE;
	si()->version = 1;
	si()->memmap_paddr = MEMMAP;
	si()->memmap_entries = 3;
	set_entry(0, 0x100000, 0x7f00000, XEN_HVM_MEMMAP_TYPE_RAM);
	set_entry(1, 0x0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_RAM);
	set_entry(2, 0xf0000, 0x10000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	si()->cmdline_paddr = CMDLINE;
	strcpy(phys(CMDLINE), "loglevel=2 -- hello");
	si()->nr_modules = 2;
	si()->modlist_paddr = MODLIST;
	mods()[0].paddr = 0x2000000;
	mods()[0].size = 0x1234;
	mods()[1].paddr = 0x3000000;
	mods()[1].size = 0;
	si()->rsdp_paddr = 0xe0000;
	memset(&bi, 0x5a, sizeof(bi));
	err[0] = '\0';
}

static int parse(void)
{
	return pvh_parse_start_info(SI, WIN, &bi, err, sizeof(err));
}

#define CHECK_REJECTS(text)                                                    \
	do {                                                                   \
		CHECK_EQ(parse(), -1);                                         \
		CHECK_CONTAINS(err, text);                                     \
	} while (0)

TEST(pvh_valid_start_info)
{
	setup();
	REQUIRE(parse() == 0);
	CHECK_STR(bi.protocol, "PVH");
	REQUIRE(bi.memmap.count == 3);
	CHECK_EQ(bi.memmap.r[0].base, 0);
	CHECK_EQ(bi.memmap.r[0].size, 0x9fc00);
	CHECK_EQ(bi.memmap.r[0].type, MEM_RAM);
	CHECK_EQ(bi.memmap.r[1].base, 0xf0000);
	CHECK_EQ(bi.memmap.r[1].type, MEM_RESERVED);
	CHECK_EQ(bi.memmap.r[2].base, 0x100000);
	CHECK_EQ(bi.memmap.r[2].size, 0x7f00000);
	CHECK_STR(bi.cmdline, "loglevel=2 -- hello");
	CHECK_EQ(bi.cmdline_len, 19);
	REQUIRE(bi.nr_modules == 2);
	CHECK_EQ(bi.modules[0].base, 0x2000000);
	CHECK_EQ(bi.modules[0].size, 0x1234);
	CHECK_EQ(bi.modules[1].base, 0x3000000);
	CHECK_EQ(bi.rsdp, 0xe0000);
}

TEST(pvh_bad_magic)
{
	setup();
	si()->magic = 0x336ec577;
	CHECK_REJECTS("magic is 0x336ec577, expected 0x336ec578");
	si()->magic = 0;
	CHECK_REJECTS("not a PVH boot");
}

TEST(pvh_start_info_address)
{
	setup();
	CHECK_EQ(pvh_parse_start_info(0, WIN, &bi, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "start info address 0x0 is not a readable");
	CHECK_EQ(pvh_parse_start_info(SI + 2, WIN, &bi, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "0x1002 is not a readable, aligned");
	/* The structure would end past the limit. */
	CHECK_EQ(pvh_parse_start_info(WIN - 8, WIN, &bi, err, sizeof(err)),
		 -1);
	CHECK_EQ(pvh_parse_start_info(WIN, WIN, &bi, err, sizeof(err)), -1);
	CHECK_EQ(pvh_parse_start_info(UINT64_MAX - 3, WIN, &bi, err,
				      sizeof(err)),
		 -1);
	CHECK_EQ(pvh_parse_start_info(UINT64_MAX & ~3ULL, UINT64_MAX, &bi, err,
				      sizeof(err)),
		 -1);
	/* Exactly at the end is fine. */
	memcpy(phys(WIN - sizeof(struct hvm_start_info)), si(),
	       sizeof(struct hvm_start_info));
	CHECK_EQ(pvh_parse_start_info(WIN - sizeof(struct hvm_start_info), WIN,
				      &bi, err, sizeof(err)),
		 0);
}

TEST(pvh_memmap_address)
{
	setup();
	si()->memmap_paddr = MEMMAP + 4;
	CHECK_REJECTS("memory map at 0x2004 (72 bytes) is not a readable");
	si()->memmap_paddr = 0;
	CHECK_REJECTS("memory map at 0x0");
	/* Three entries starting 48 bytes before the limit. */
	si()->memmap_paddr = WIN - 48;
	CHECK_REJECTS("is not a readable, aligned address");
	si()->memmap_paddr = UINT64_MAX - 7;
	CHECK_REJECTS("is not a readable, aligned address");
	si()->memmap_paddr = WIN;
	CHECK_REJECTS("is not a readable, aligned address");
	/* Ending exactly at the limit is fine. */
	memcpy(phys(WIN - 72), mm(), 72);
	si()->memmap_paddr = WIN - 72;
	CHECK_EQ(parse(), 0);
}

TEST(pvh_too_many_memmap_entries)
{
	setup();
	for (unsigned int i = 0; i < 113; i++)
		set_entry(i, 0x100000 + i * 0x2000ULL, 0x1000, 1 + i % 2);
	si()->memmap_entries = 113;
	CHECK_REJECTS("113 memory map entries (max 112)");
	si()->memmap_entries = 0xffffffff;
	CHECK_REJECTS("4294967295 memory map entries");
	si()->memmap_entries = 112;
	CHECK_EQ(parse(), 0);
	CHECK_EQ(bi.memmap.count, 112);
}

TEST(pvh_memmap_entry_past_phys_limit)
{
	setup();
	set_entry(1, (1ULL << 52) - 0x1000, 0x2000, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_REJECTS("memory map entry 1 (base 0xffffffffff000) runs past");
	set_entry(1, UINT64_MAX - 0xfff, 0x2000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	CHECK_REJECTS("runs past the physical address limit");
	set_entry(1, 0x1000, UINT64_MAX, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_REJECTS("runs past the physical address limit");
	/* Up to the limit exactly is fine. */
	set_entry(1, (1ULL << 52) - 0x1000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM);
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.memmap.r[bi.memmap.count - 1].base +
			 bi.memmap.r[bi.memmap.count - 1].size,
		 1ULL << 52);
}

TEST(pvh_memmap_without_ram)
{
	setup();
	set_entry(0, 0x100000, 0x1000000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	set_entry(1, 0x0, 0x9fc00, XEN_HVM_MEMMAP_TYPE_ACPI);
	set_entry(2, 0x2000000, 0, XEN_HVM_MEMMAP_TYPE_RAM); /* empty */
	CHECK_REJECTS("memory map has no RAM");
	/* RAM that is entirely covered by reservations is no RAM either. */
	set_entry(2, 0x200000, 0x1000, XEN_HVM_MEMMAP_TYPE_RAM);
	CHECK_REJECTS("memory map has no RAM");
}

TEST(pvh_memmap_reserved_wins)
{
	setup();
	si()->memmap_entries = 6;
	set_entry(0, 0x0, 0x1000000, XEN_HVM_MEMMAP_TYPE_RAM);
	set_entry(1, 0x200000, 0x100000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	set_entry(2, 0x400000, 0x100000, XEN_HVM_MEMMAP_TYPE_DISABLED);
	set_entry(3, 0x600000, 0x100000, XEN_HVM_MEMMAP_TYPE_PMEM);
	set_entry(4, 0x800000, 0x100000, 99); /* unknown type */
	set_entry(5, 0xa00000, 0x100000, XEN_HVM_MEMMAP_TYPE_NVS);
	REQUIRE(parse() == 0);
	CHECK_EQ(memmap_ram_bytes(&bi.memmap), 0x1000000 - 5 * 0x100000);
	for (unsigned int i = 0; i < bi.memmap.count; i++) {
		const struct mem_region *r = &bi.memmap.r[i];

		if (r->type != MEM_RAM)
			continue;
		for (uint64_t x = 0x200000; x <= 0xa00000; x += 0x200000)
			CHECK(r->base + r->size <= x ||
			      r->base >= x + 0x100000);
	}
	CHECK_EQ(bi.memmap.count, 11);
	CHECK_EQ(bi.memmap.r[3].type, MEM_RESERVED); /* 0x400000, disabled */
	CHECK_EQ(bi.memmap.r[9].type, MEM_NVS);
}

TEST(pvh_version0_has_no_memmap)
{
	setup();
	si()->version = 0;
	/* Version 0 has no such fields: whatever is there is ignored. */
	si()->memmap_paddr = 0xdeadbeef;
	si()->memmap_entries = 1000;
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.memmap.count, 0);
	CHECK_STR(bi.cmdline, "loglevel=2 -- hello");
	CHECK_EQ(bi.nr_modules, 2);
	/* Version 1 that says "no map" is the same. */
	setup();
	si()->memmap_paddr = 0;
	si()->memmap_entries = 0;
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.memmap.count, 0);
}

TEST(pvh_cmdline_absent)
{
	setup();
	si()->cmdline_paddr = 0;
	REQUIRE(parse() == 0);
	CHECK_STR(bi.cmdline, "");
	CHECK_EQ(bi.cmdline_len, 0);
}

TEST(pvh_cmdline_unterminated)
{
	setup();
	/* No NUL from here to the end of readable memory. */
	memset(phys(CMDLINE), 'x', WIN - CMDLINE);
	CHECK_REJECTS("command line at 0x4000 is not NUL-terminated");
	si()->cmdline_paddr = WIN;
	CHECK_REJECTS("command line address 0x10000 is not readable");
	si()->cmdline_paddr = UINT64_MAX;
	CHECK_REJECTS("is not readable");
}

TEST(pvh_cmdline_at_end_of_limit)
{
	setup();
	memcpy(phys(WIN - 4), "abc", 4);
	si()->cmdline_paddr = WIN - 4;
	REQUIRE(parse() == 0);
	CHECK_STR(bi.cmdline, "abc");
	CHECK_EQ(bi.cmdline_len, 3);
	/* The last readable byte is the NUL. */
	((char *)phys(WIN - 1))[0] = '\0';
	si()->cmdline_paddr = WIN - 1;
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.cmdline_len, 0);
	/* ...or not: the parser must stop at the limit. */
	memcpy(phys(WIN - 4), "abcd", 4);
	si()->cmdline_paddr = WIN - 4;
	CHECK_REJECTS("not NUL-terminated");
}

TEST(pvh_cmdline_length_limit)
{
	char *s;

	setup();
	s = phys(CMDLINE);
	memset(s, 'y', CMDLINE_MAX);
	s[CMDLINE_MAX] = '\0';
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.cmdline_len, CMDLINE_MAX);
	CHECK_EQ(strlen(bi.cmdline), CMDLINE_MAX);
	s[CMDLINE_MAX] = 'y';
	s[CMDLINE_MAX + 1] = '\0';
	CHECK_REJECTS("not NUL-terminated within 2048 bytes");
}

TEST(pvh_modules)
{
	setup();
	si()->nr_modules = 17;
	CHECK_REJECTS("17 modules (max 16)");
	si()->nr_modules = 0xffffffff;
	CHECK_REJECTS("modules (max 16)");
	si()->nr_modules = 16;
	for (unsigned int i = 0; i < 16; i++) {
		mods()[i].paddr = 0x1000000 + i * 0x10000ULL;
		mods()[i].size = 0x100;
	}
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.nr_modules, 16);
	CHECK_EQ(bi.modules[15].base, 0x10f0000);
	/* None: the list address is not looked at. */
	si()->nr_modules = 0;
	si()->modlist_paddr = 3;
	REQUIRE(parse() == 0);
	CHECK_EQ(bi.nr_modules, 0);
}

TEST(pvh_modlist_address)
{
	setup();
	si()->modlist_paddr = MODLIST + 4;
	CHECK_REJECTS("module list at 0x3004 is not a readable, aligned");
	si()->modlist_paddr = 0;
	CHECK_REJECTS("module list at 0x0");
	si()->modlist_paddr = WIN - 32; /* room for one of the two */
	CHECK_REJECTS("module list at 0xffe0");
	si()->modlist_paddr = UINT64_MAX - 7;
	CHECK_REJECTS("module list at 0xfffffffffffffff8");
}

TEST(pvh_module_past_phys_limit)
{
	setup();
	mods()[1].paddr = (1ULL << 52) - 0x10;
	mods()[1].size = 0x20;
	CHECK_REJECTS("module 1 at 0xffffffffffff0 runs past");
	mods()[1].paddr = UINT64_MAX - 0xf;
	mods()[1].size = 0x20;
	CHECK_REJECTS("runs past the physical address limit");
	mods()[1].size = 0x10;
	CHECK_REJECTS("runs past the physical address limit");
}

TEST(pvh_error_fits_small_buffer)
{
	char small[20];

	setup();
	si()->magic = 1;
	memset(small, '#', sizeof(small));
	CHECK_EQ(pvh_parse_start_info(SI, WIN, &bi, small, 16), -1);
	CHECK_EQ(strlen(small), 15);
	CHECK_EQ(small[16], '#');
}
