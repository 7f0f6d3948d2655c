#ifndef ARCH_X86_TSC_FREQ_H
#define ARCH_X86_TSC_FREQ_H

#include <mica/types.h>

/* The CPUID leaves that can state the TSC frequency, as read (or faked). */
struct tsc_cpuid {
	char vendor[13];		/* leaf 0 */
	uint32_t max_leaf;
	bool hypervisor;		/* leaf 1 ECX bit 31 */
	uint32_t hv_max_leaf;		/* leaf 0x40000000 EAX */
	uint32_t hv_tsc_khz;		/* leaf 0x40000010 EAX */
	uint32_t l15_eax, l15_ebx, l15_ecx;	/* TSC/crystal ratio */
	uint32_t l16_eax;		/* base frequency, MHz */
};

/*
 * The TSC frequency the CPU states, in Hz, and where it came from; 0 when
 * it states none (then we calibrate against the PIT).
 */
uint64_t tsc_freq_from_cpuid(const struct tsc_cpuid *c, const char **source);
void tsc_cpuid_read(struct tsc_cpuid *c);

#endif
