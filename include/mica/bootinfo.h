/* What the arch entry code learned from the boot protocol, handed to
 * start_kernel. Everything in it has been validated. */
#ifndef MICA_BOOTINFO_H
#define MICA_BOOTINFO_H

#include <mica/cmdline.h>
#include <mica/memmap.h>

#define BOOT_MODULES_MAX 16

struct boot_module {
	paddr_t base;
	uint64_t size;
};

struct boot_info {
	const char *protocol;		/* "PVH", "arm64 Image", ... */
	const char *platform;		/* "bare", "Xen" */
	struct memmap memmap;		/* normalised */
	char cmdline[CMDLINE_MAX + 1];
	size_t cmdline_len;
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	paddr_t rsdp;
	uint64_t entry_tsc;		/* cycle counter at entry, if known */
};

void start_kernel(struct boot_info *bi) __attribute__((noreturn));

#endif
