/*
 * pvh_parse_start_info on hostile input. The input is the whole readable
 * physical memory: a copy of exactly its size (ASan sees any read past it),
 * with the hvm_start_info at offset SI_AT; its memmap, command line and
 * module list addresses point into the input or anywhere else.
 *
 * Checked on success: the map is normalised and has exactly the types the
 * input entries give it (unknown types reserved, nothing past 2^52), the
 * command line is the NUL-terminated string at its address, the modules
 * are the input's. On failure: a non-empty, terminated message.
 */
#include <stdlib.h>
#include <string.h>
#include <mica/types.h> /* before Xen's header: it needs stdint */
#include <xen/arch-x86/hvm/start_info.h>
#include <arch/start_info.h>
#include "fuzz.h"

#define SI_AT 8
#define PHYS_LIMIT (1ULL << 52)
#define ERRLEN 200

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_memmap(const struct hvm_start_info *si, const char *mem,
			 const struct boot_info *bi)
{
	struct mem_region in[MEMMAP_MAX];
	const struct hvm_memmap_table_entry *e;
	unsigned int n = 0;

	if (si->version < 1 || si->memmap_entries == 0) {
		FUZZ_ASSERT(bi->memmap.count == 0);
		return;
	}
	FUZZ_ASSERT(si->memmap_entries <= MEMMAP_MAX - 16);
	e = (const void *)(mem + si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint32_t t = e[i].type;

		FUZZ_ASSERT(e[i].addr + e[i].size >= e[i].addr);
		FUZZ_ASSERT(e[i].addr + e[i].size <= PHYS_LIMIT);
		if (e[i].size == 0)
			continue;
		in[n++] = (struct mem_region){
			e[i].addr, e[i].size,
			t >= XEN_HVM_MEMMAP_TYPE_RAM &&
					t <= XEN_HVM_MEMMAP_TYPE_UNUSABLE
				? t
				: MEM_RESERVED
		};
	}
	fuzz_check_normalised_from(&bi->memmap, in, n);
	FUZZ_ASSERT(memmap_ram_bytes(&bi->memmap) > 0);
	for (unsigned int i = 0; i < bi->memmap.count; i++)
		FUZZ_ASSERT(bi->memmap.r[i].base + bi->memmap.r[i].size <=
			    PHYS_LIMIT);
}

static void check_ok(const struct hvm_start_info *si, const char *mem,
		     size_t size, const struct boot_info *bi)
{
	FUZZ_ASSERT(si->magic == XEN_HVM_START_MAGIC_VALUE);
	FUZZ_ASSERT(strcmp(bi->protocol, "PVH") == 0);
	FUZZ_ASSERT(bi->rsdp == si->rsdp_paddr);
	check_memmap(si, mem, bi);

	FUZZ_ASSERT(bi->cmdline_len <= CMDLINE_MAX);
	FUZZ_ASSERT(bi->cmdline[bi->cmdline_len] == '\0');
	FUZZ_ASSERT(strlen(bi->cmdline) == bi->cmdline_len);
	if (si->cmdline_paddr == 0) {
		FUZZ_ASSERT(bi->cmdline_len == 0);
	} else {
		FUZZ_ASSERT(si->cmdline_paddr < size);
		FUZZ_ASSERT(size - si->cmdline_paddr > bi->cmdline_len);
		FUZZ_ASSERT(memcmp(mem + si->cmdline_paddr, bi->cmdline,
				   bi->cmdline_len + 1) == 0);
	}

	FUZZ_ASSERT(bi->nr_modules == si->nr_modules);
	FUZZ_ASSERT(bi->nr_modules <= BOOT_MODULES_MAX);
	if (bi->nr_modules) {
		const struct hvm_modlist_entry *m =
			(const void *)(mem + si->modlist_paddr);

		FUZZ_ASSERT(si->modlist_paddr % 8 == 0);
		FUZZ_ASSERT(si->modlist_paddr + bi->nr_modules * sizeof(*m) <=
			    size);
		for (unsigned int i = 0; i < bi->nr_modules; i++) {
			FUZZ_ASSERT(bi->modules[i].base == m[i].paddr);
			FUZZ_ASSERT(bi->modules[i].size == m[i].size);
			FUZZ_ASSERT(m[i].paddr + m[i].size >= m[i].paddr);
			FUZZ_ASSERT(m[i].paddr + m[i].size <= PHYS_LIMIT);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	char *mem, *err;
	int rc;

	/* Exactly @size bytes (at least one, for a valid pointer). */
	mem = malloc(size ? size : 1);
	err = malloc(ERRLEN);
	if (!mem || !err)
		abort();
	memcpy(mem, data, size);
	memset(err, 0x7f, ERRLEN);
	memset(&bi, 0xa5, sizeof(bi));
	fuzz_phys_set(mem, size);

	rc = pvh_parse_start_info(SI_AT, size, &bi, err, ERRLEN);
	if (rc == 0) {
		check_ok((const void *)(mem + SI_AT), mem, size, &bi);
	} else {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(memchr(err, '\0', ERRLEN) != NULL);
		FUZZ_ASSERT(err[0] != '\0');
	}
	/* The parser only reads. */
	FUZZ_ASSERT(memcmp(mem, data, size) == 0);
	fuzz_phys_set(NULL, 0);
	free(err);
	free(mem);
	return 0;
}
