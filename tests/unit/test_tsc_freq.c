/* arch/x86/tsc_freq.c: choosing the TSC frequency from faked CPUID. */
#include <string.h>
#include <arch/tsc_freq.h>
#include "unit.h"

static struct tsc_cpuid cpu(const char *vendor, uint32_t max_leaf)
{
	struct tsc_cpuid c;

	memset(&c, 0, sizeof(c));
	strcpy(c.vendor, vendor);
	c.max_leaf = max_leaf;
	return c;
}

TEST(tsc_intel_leaf15_with_crystal)
{
	struct tsc_cpuid c = cpu("GenuineIntel", 0x16);
	const char *src = NULL;

	/* 24 MHz crystal * 176 / 2 = 2.112 GHz */
	c.l15_eax = 2;
	c.l15_ebx = 176;
	c.l15_ecx = 24000000;
	c.l16_eax = 2100; /* ignored: the crystal is stated */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 2112000000ULL);
	CHECK_STR(src, "CPUID leaf 0x15");
	/* Large values do not overflow. */
	c.l15_eax = 1;
	c.l15_ebx = 0xffffffff;
	c.l15_ecx = 0xffffffff;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0xfffffffe00000001ULL);
}

TEST(tsc_intel_leaf15_without_crystal_uses_16)
{
	struct tsc_cpuid c = cpu("GenuineIntel", 0x16);
	const char *src = NULL;

	c.l15_eax = 2;
	c.l15_ebx = 200;
	c.l16_eax = 3000;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 3000000000ULL);
	CHECK_STR(src, "CPUID leaves 0x15+0x16");
	/* No leaf 0x16 (max leaf 0x15, stale value): PIT. */
	c.max_leaf = 0x15;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
	CHECK_STR(src, "PIT calibration");
	/* Leaf 0x16 present but empty: PIT. */
	c.max_leaf = 0x16;
	c.l16_eax = 0;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
}

TEST(tsc_intel_leaf15_incomplete)
{
	struct tsc_cpuid c = cpu("GenuineIntel", 0x16);
	const char *src = NULL;

	c.l15_ecx = 24000000;
	c.l16_eax = 2000;
	c.l15_ebx = 100; /* EAX 0: no ratio */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
	c.l15_eax = 2;
	c.l15_ebx = 0; /* EBX 0: no ratio */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
	/* Leaf 0x15 beyond the max leaf: its values are not looked at. */
	c.l15_ebx = 100;
	c.max_leaf = 0x14;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
	CHECK_STR(src, "PIT calibration");
}

TEST(tsc_amd_has_no_leaves)
{
	struct tsc_cpuid c = cpu("AuthenticAMD", 0x10);
	const char *src = NULL;

	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
	CHECK_STR(src, "PIT calibration");
	/* Even values that look like Intel's leaves are not trusted. */
	c.max_leaf = 0x16;
	c.l15_eax = 2;
	c.l15_ebx = 100;
	c.l15_ecx = 25000000;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 0);
}

TEST(tsc_hypervisor_leaf_preferred)
{
	struct tsc_cpuid c = cpu("GenuineIntel", 0x16);
	const char *src = NULL;

	c.l15_eax = 2;
	c.l15_ebx = 176;
	c.l15_ecx = 24000000;
	c.hypervisor = true;
	c.hv_max_leaf = 0x40000010;
	c.hv_tsc_khz = 2500000;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 2500000000ULL);
	CHECK_STR(src, "hypervisor leaf 0x40000010");
	/* On AMD too. */
	c = cpu("AuthenticAMD", 0xd);
	c.hypervisor = true;
	c.hv_max_leaf = 0x40000011;
	c.hv_tsc_khz = 1800000;
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 1800000000ULL);
}

TEST(tsc_hypervisor_leaf_needs_all_parts)
{
	struct tsc_cpuid c = cpu("GenuineIntel", 0x15);
	const char *src = NULL;

	c.l15_eax = 1;
	c.l15_ebx = 100;
	c.l15_ecx = 20000000;
	c.hv_max_leaf = 0x40000010;
	c.hv_tsc_khz = 2500000;
	/* Not a hypervisor: leaf 0x40000010 means nothing. */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 2000000000ULL);
	CHECK_STR(src, "CPUID leaf 0x15");
	c.hypervisor = true;
	c.hv_max_leaf = 0x4000000f; /* leaf not offered */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 2000000000ULL);
	c.hv_max_leaf = 0x40000010;
	c.hv_tsc_khz = 0; /* offered but empty */
	CHECK_EQ(tsc_freq_from_cpuid(&c, &src), 2000000000ULL);
}
