/*
 * RDRAND as an entropy source, when CPUID.1:ECX bit 30 says the CPU has
 * it. RDRAND may fail transiently (carry clear): retry a few times, as
 * Intel's guidance says, then report failure rather than return zeros.
 */
#include <string.h>
#include <mica/entropy.h>
#include <arch/cpu.h>

static int rdrand_read(void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t v = 0;
		uint8_t ok = 0;
		size_t n = len < 8 ? len : 8;

		for (int tries = 0; tries < 10 && !ok; tries++)
			__asm__ volatile("rdrand %0; setc %1"
					 : "=r"(v), "=qm"(ok));
		if (!ok)
			return -1;
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
	return 0;
}

static struct entropy_source rdrand = { .name = "RDRAND",
					.read = rdrand_read };

void rdrand_init(void)
{
	if (cpuid(1, 0).ecx & (1U << 30))
		entropy_register(&rdrand);
}
