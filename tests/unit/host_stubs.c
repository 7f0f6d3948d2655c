/*
 * Host versions of what the portable kernel code needs from an arch and
 * from the rest of the kernel: address translation into a malloc'd fake
 * physical memory, a fake clock, malloc'd stacks, a console that records,
 * and a panic() that returns control to the test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mica/arch.h>
#include <mica/console.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/shutdown.h>
#include <mica/time.h>
#include "host.h"
#include "unit.h"

static char *phys_mem;
static size_t phys_size;

void host_phys_init(size_t bytes)
{
	free(phys_mem);
	phys_mem = aligned_alloc(PAGE_SIZE, ALIGN_UP(bytes, PAGE_SIZE));
	if (!phys_mem)
		unit_abort(__FILE__, __LINE__, "no host memory for %zu bytes",
			   bytes);
	phys_size = bytes;
	memset(phys_mem, 0, bytes);
}

void *host_phys_base(void)
{
	return phys_mem;
}

size_t host_phys_size(void)
{
	return phys_size;
}

void host_mem_init(size_t bytes)
{
	struct memmap map;

	host_phys_init(bytes);
	memmap_init(&map);
	memmap_add(&map, PAGE_SIZE, bytes - PAGE_SIZE, MEM_RAM);
	memmap_normalize(&map);
	if (frame_init(&map) < 0)
		unit_abort(__FILE__, __LINE__, "frame_init of %zu bytes failed",
			   bytes);
}

void *phys_to_virt(paddr_t pa)
{
	if (!phys_mem || pa > phys_size)
		unit_abort(__FILE__, __LINE__,
			   "phys_to_virt(%#llx) is outside the fake physical "
			   "memory (%zu bytes)",
			   (unsigned long long)pa, phys_size);
	return phys_mem + pa;
}

paddr_t virt_to_phys(const void *va)
{
	const char *p = va;

	if (!phys_mem || p < phys_mem || p > phys_mem + phys_size)
		unit_abort(__FILE__, __LINE__,
			   "virt_to_phys(%p) is outside the fake physical "
			   "memory",
			   va);
	return (paddr_t)(p - phys_mem);
}

static uint64_t now_ns, step_ns;
unsigned int host_idle_calls;

void fake_clock_set(uint64_t ns)
{
	now_ns = ns;
}

void fake_clock_autostep(uint64_t ns)
{
	step_ns = ns;
}

void fake_clock_advance(uint64_t ns)
{
	now_ns += ns;
}

uint64_t monotonic_ns(void)
{
	uint64_t t = now_ns;

	now_ns += step_ns;
	return t;
}

void arch_idle(uint64_t deadline_ns)
{
	host_idle_calls++;
	if (deadline_ns == UINT64_MAX)
		unit_abort(__FILE__, __LINE__,
			   "arch_idle with no deadline: nothing would ever "
			   "wake the test");
	if (deadline_ns > now_ns)
		now_ns = deadline_ns;
}

void arch_backtrace(void)
{
}

void *stack_alloc(size_t size)
{
	return aligned_alloc(16, ALIGN_UP(size, 16));
}

void stack_free(void *base, size_t size)
{
	(void)size;
	free(base);
}

#define CONSOLE_CAP (64 * 1024)
static char console_buf[CONSOLE_CAP + 1];
static size_t console_len;

void console_write(const char *buf, size_t len)
{
	size_t n = MIN(len, CONSOLE_CAP - console_len);

	memcpy(console_buf + console_len, buf, n);
	console_len += n;
	console_buf[console_len] = '\0';
}

const char *console_text(void)
{
	return console_buf;
}

void console_clear(void)
{
	console_len = 0;
	console_buf[0] = '\0';
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(unit_panic_msg, sizeof(unit_panic_msg), fmt, ap);
	va_end(ap);
	if (unit_panic_armed) {
		unit_panic_armed = 0;
		longjmp(unit_panic_jmp, 1);
	}
	unit_abort(__FILE__, __LINE__, "unexpected panic: %s", unit_panic_msg);
}

void mica_shutdown(int status)
{
	unit_abort(__FILE__, __LINE__, "mica_shutdown(%d) called", status);
}
