/*
 * Parse and validate the PVH `struct hvm_start_info` (Xen public header
 * arch-x86/hvm/start_info.h). It comes from the VMM (QEMU, Xen, a
 * Firecracker build): every field is checked before it is used, and a bad
 * one ends the boot with a message that names it.
 */
#include <string.h>
#include <mica/types.h> /* before Xen's header: it needs stdint */
#include <xen/arch-x86/hvm/start_info.h>
#include <mica/mm.h>
#include <mica/printk.h>
#include <arch/start_info.h>

/* Physical addresses above this cannot exist (x86-64: 52 bits). */
#define PHYS_LIMIT (1ULL << 52)

static int fail(char *err, size_t len, const char *fmt, uint64_t a,
		uint64_t b)
{
	mica_snprintf(err, len, fmt, (unsigned long long)a,
		      (unsigned long long)b);
	return -1;
}

/* Is [pa, pa+len) inside what the boot page tables let us read? */
static bool readable(paddr_t pa, uint64_t len, uint64_t limit)
{
	return pa != 0 && pa + len >= pa && pa + len <= limit;
}

static int parse_memmap(const struct hvm_start_info *si, uint64_t limit,
			struct boot_info *bi, char *err, size_t errlen)
{
	const struct hvm_memmap_table_entry *e;
	uint64_t bytes = (uint64_t)si->memmap_entries * sizeof(*e);

	if (si->memmap_entries > (uint32_t)MEMMAP_MAX - 16)
		return fail(err, errlen,
			    "start info: %llu memory map entries (max %llu)",
			    si->memmap_entries, (uint64_t)MEMMAP_MAX - 16);
	if (!readable(si->memmap_paddr, bytes, limit) ||
	    si->memmap_paddr % 8)
		return fail(err, errlen,
			    "start info: memory map at 0x%llx (%llu bytes) is "
			    "not a readable, aligned address",
			    si->memmap_paddr, bytes);
	e = phys_to_virt(si->memmap_paddr);
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint32_t type = e[i].type;

		if (e[i].addr + e[i].size < e[i].addr ||
		    e[i].addr + e[i].size > PHYS_LIMIT)
			return fail(err, errlen,
				    "start info: memory map entry %llu "
				    "(base 0x%llx) runs past the physical "
				    "address limit",
				    i, e[i].addr);
		if (type < XEN_HVM_MEMMAP_TYPE_RAM ||
		    type > XEN_HVM_MEMMAP_TYPE_UNUSABLE)
			type = MEM_RESERVED; /* disabled, pmem, unknown */
		memmap_add(&bi->memmap, e[i].addr, e[i].size, type);
	}
	memmap_normalize(&bi->memmap);
	if (memmap_ram_bytes(&bi->memmap) == 0)
		return fail(err, errlen, "start info: memory map has no RAM",
			    0, 0);
	return 0;
}

static int parse_cmdline(const struct hvm_start_info *si, uint64_t limit,
			 struct boot_info *bi, char *err, size_t errlen)
{
	const char *s;
	size_t n;

	bi->cmdline[0] = '\0';
	bi->cmdline_len = 0;
	if (si->cmdline_paddr == 0)
		return 0;
	if (!readable(si->cmdline_paddr, 1, limit))
		return fail(err, errlen,
			    "start info: command line address 0x%llx is not "
			    "readable",
			    si->cmdline_paddr, 0);
	s = phys_to_virt(si->cmdline_paddr);
	/* Never read past the readable limit looking for the NUL. */
	n = (size_t)MIN((uint64_t)CMDLINE_MAX + 1,
			limit - si->cmdline_paddr);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			memcpy(bi->cmdline, s, i + 1);
			bi->cmdline_len = i;
			return 0;
		}
	}
	return fail(err, errlen,
		    "start info: command line at 0x%llx is not NUL-terminated "
		    "within %llu bytes",
		    si->cmdline_paddr, CMDLINE_MAX);
}

static int parse_modules(const struct hvm_start_info *si, uint64_t limit,
			 struct boot_info *bi, char *err, size_t errlen)
{
	const struct hvm_modlist_entry *m;

	bi->nr_modules = 0;
	if (si->nr_modules == 0)
		return 0;
	if (si->nr_modules > (uint32_t)BOOT_MODULES_MAX)
		return fail(err, errlen, "start info: %llu modules (max %llu)",
			    si->nr_modules, (uint64_t)BOOT_MODULES_MAX);
	if (!readable(si->modlist_paddr, si->nr_modules * sizeof(*m),
		      limit) ||
	    si->modlist_paddr % 8)
		return fail(err, errlen,
			    "start info: module list at 0x%llx is not a "
			    "readable, aligned address",
			    si->modlist_paddr, 0);
	m = phys_to_virt(si->modlist_paddr);
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		if (m[i].paddr + m[i].size < m[i].paddr ||
		    m[i].paddr + m[i].size > PHYS_LIMIT)
			return fail(err, errlen,
				    "start info: module %llu at 0x%llx runs "
				    "past the physical address limit",
				    i, m[i].paddr);
		bi->modules[i].base = m[i].paddr;
		bi->modules[i].size = m[i].size;
		bi->nr_modules++;
	}
	return 0;
}

int pvh_parse_start_info(paddr_t pa, uint64_t limit, struct boot_info *bi,
			 char *err, size_t errlen)
{
	const struct hvm_start_info *si;
	int rc;

	memmap_init(&bi->memmap);
	bi->protocol = "PVH";
	if (!readable(pa, sizeof(*si), limit) || pa % 8)
		return fail(err, errlen,
			    "start info address 0x%llx is not a readable, "
			    "aligned address (%%ebx at entry)",
			    pa, 0);
	si = phys_to_virt(pa);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return fail(err, errlen,
			    "start info magic is 0x%llx, expected 0x%llx: not "
			    "a PVH boot?",
			    si->magic, XEN_HVM_START_MAGIC_VALUE);
	if (si->version >= 1 && si->memmap_entries) {
		rc = parse_memmap(si, limit, bi, err, errlen);
		if (rc)
			return rc;
	}
	bi->rsdp = si->rsdp_paddr;
	rc = parse_cmdline(si, limit, bi, err, errlen);
	if (rc)
		return rc;
	return parse_modules(si, limit, bi, err, errlen);
}
