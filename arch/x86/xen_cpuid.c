/*
 * Finding Xen: its CPUID leaves sit at 0x40000000 + n * 0x100 (a viridian
 * interface may come first) with the signature "XenVMMXenVMM". Leaf
 * base+2 gives the hypercall-page MSR, which Mica does not need.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/xen.h>

uint32_t xen_cpuid_base(void)
{
	if (!(cpuid(1, 0).ecx & (1U << 31)))
		return 0; /* no hypervisor at all */
	for (uint32_t base = 0x40000000; base < 0x40010000; base += 0x100) {
		struct cpuid_regs r = cpuid(base, 0);
		char sig[13];

		memcpy(sig, &r.ebx, 4);
		memcpy(sig + 4, &r.ecx, 4);
		memcpy(sig + 8, &r.edx, 4);
		sig[12] = '\0';
		if (strcmp(sig, "XenVMMXenVMM") == 0 && r.eax - base >= 2)
			return base;
	}
	return 0;
}
