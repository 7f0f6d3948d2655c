/*
 * What the host stubs (host_stubs.c) offer tests: fake physical memory,
 * a fake monotonic clock, and the captured console output.
 */
#ifndef MICA_UNIT_HOST_H
#define MICA_UNIT_HOST_H

#include <mica/memmap.h>
#include <mica/types.h>

/*
 * Fake physical memory: @bytes of page-aligned, zeroed host memory that
 * phys_to_virt() maps physical address 0 to. Any translation outside it
 * fails the test. Replaces an earlier window.
 */
void host_phys_init(size_t bytes);
void *host_phys_base(void);
size_t host_phys_size(void);

/*
 * A window of @bytes whose RAM is [PAGE_SIZE, @bytes), handed to the frame
 * allocator: enough for the heap and the scheduler.
 */
void host_mem_init(size_t bytes);

/* The monotonic clock (starts at 0). arch_idle() advances it. */
void fake_clock_set(uint64_t ns);
void fake_clock_advance(uint64_t ns);
/* Every monotonic_ns() call after this moves the clock on by @ns (0:
 * off), so that code spinning on the clock ends. */
void fake_clock_autostep(uint64_t ns);
extern unsigned int host_idle_calls;

/* Everything written to the console since the last console_clear(). */
const char *console_text(void);
void console_clear(void);

/* The grant table simulated in test_grant_dma.c: the page behind @ref if
 * @domid may reach it (for writing if @write), else NULL. */
char *grant_sim_page(uint64_t ref, uint16_t domid, bool write);

#endif
