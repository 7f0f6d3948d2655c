/*
 * RNDR (FEAT_RNG) as an entropy source, when ID_AA64ISAR0_EL1.RNDR
 * (bits 63:60) says the CPU has it. A read sets NZCV.Z on failure:
 * retry a few times, then report failure rather than return zeros.
 */
#include <string.h>
#include <mica/entropy.h>

static int rndr_read(void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t v = 0, nzcv = 0;
		size_t n = len < 8 ? len : 8;
		int tries = 0;

		do {
			/* RNDR is s3_3_c2_c4_0; older assemblers lack the name. */
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv"
					 : "=r"(v), "=r"(nzcv));
		} while ((nzcv & (1ULL << 30)) && ++tries < 10);
		if (nzcv & (1ULL << 30))
			return -1;
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	return 0;
}

static struct entropy_source rndr = { .name = "RNDR", .read = rndr_read };

void rndr_init(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if ((isar0 >> 60) & 0xf)
		entropy_register(&rndr);
}
