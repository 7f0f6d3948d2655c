/* Shared by the libFuzzer targets: host stubs and invariant checks. */
#ifndef MICA_FUZZ_H
#define MICA_FUZZ_H

#include <mica/memmap.h>
#include <mica/types.h>

/* Stop with a message: libFuzzer saves the input that got here. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						     noreturn));
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail("%s:%d: assertion failed: %s", __FILE__,     \
				  __LINE__, #cond);                            \
	} while (0)

/* Fake physical memory: phys_to_virt(pa) is @base + pa; a translation at
 * or past @size aborts (every use reads at least one byte). */
void fuzz_phys_set(void *base, size_t size);

/* Sorted, disjoint, no empty range, adjacent ranges of one type merged. */
void fuzz_check_normalised(const struct memmap *m);

/*
 * @out is memmap_normalize() of the @n ranges in @in (in that order): each
 * byte has the type of the highest-ranked range covering it (RAM lowest,
 * then MEM_MICA, then every other type; the first of equal rank), and
 * holes stay holes. When @out is full, its tail may be cut off.
 */
void fuzz_check_normalised_from(const struct memmap *out,
				const struct mem_region *in, unsigned int n);

#endif
