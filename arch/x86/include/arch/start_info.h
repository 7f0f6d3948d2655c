#ifndef ARCH_X86_START_INFO_H
#define ARCH_X86_START_INFO_H

#include <mica/bootinfo.h>

/*
 * Validate the hvm_start_info at physical @pa and fill @bi (memory map,
 * command line copy, modules). Only [0, @limit) may be read. Returns 0, or
 * -1 with the reason in @err. A version-0 structure, or one with no memory
 * map, leaves bi->memmap empty: the caller must find the map elsewhere.
 */
int pvh_parse_start_info(paddr_t pa, uint64_t limit, struct boot_info *bi,
			 char *err, size_t errlen);

#endif
