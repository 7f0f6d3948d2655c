/*
 * Where the TSC frequency comes from, in order of trust:
 *  1. a hypervisor's timing leaf 0x40000010 (EAX = TSC kHz);
 *  2. Intel leaf 0x15 (TSC = crystal * EBX / EAX), with the crystal from
 *     ECX, or derived from leaf 0x16's base MHz when ECX is 0;
 *  3. nothing: the caller measures against the PIT.
 * AMD CPUs state none of these. Kept free of hardware access so that the
 * selection is unit-tested with faked CPUID values (TCG offers no Intel).
 */
#include <string.h>
#include <arch/tsc_freq.h>

uint64_t tsc_freq_from_cpuid(const struct tsc_cpuid *c, const char **source)
{
	if (c->hypervisor && c->hv_max_leaf >= 0x40000010 && c->hv_tsc_khz) {
		*source = "hypervisor leaf 0x40000010";
		return (uint64_t)c->hv_tsc_khz * 1000;
	}
	if (strcmp(c->vendor, "GenuineIntel") == 0 && c->max_leaf >= 0x15 &&
	    c->l15_eax && c->l15_ebx) {
		if (c->l15_ecx) {
			*source = "CPUID leaf 0x15";
			return (uint64_t)c->l15_ecx * c->l15_ebx / c->l15_eax;
		}
		if (c->max_leaf >= 0x16 && c->l16_eax) {
			/* No crystal stated: the TSC runs at base frequency. */
			*source = "CPUID leaves 0x15+0x16";
			return (uint64_t)c->l16_eax * 1000000;
		}
	}
	*source = "PIT calibration";
	return 0;
}
