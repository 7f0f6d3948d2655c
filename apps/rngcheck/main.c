/*
 * rngcheck: the entropy layer. Reads two 32-byte samples from whatever
 * source the kernel found (virtio-rng, RDRAND, RNDR), and checks they are
 * neither constant nor equal. Exit 0 on success, 1 on a bad sample, 2
 * when there is no entropy source at all.
 */
#include <stdio.h>
#include <string.h>
#include <mica/entropy.h>

int main(void)
{
	uint8_t a[32], b[32], zero[32] = { 0 };

	if (!entropy_source_name() || entropy_read(a, sizeof(a)) < 0 ||
	    entropy_read(b, sizeof(b)) < 0) {
		puts("rngcheck: FAIL no entropy source");
		return 2;
	}
	if (memcmp(a, b, sizeof(a)) == 0 || memcmp(a, zero, sizeof(a)) == 0) {
		printf("rngcheck: FAIL %s gave a constant sample\n",
		       entropy_source_name());
		return 1;
	}
	printf("rngcheck: PASS 64 bytes from %s, first %02x%02x%02x%02x\n",
	       entropy_source_name(), a[0], a[1], a[2], a[3]);
	return 0;
}
