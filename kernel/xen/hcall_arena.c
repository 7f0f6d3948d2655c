/*
 * The hypercall arena: a few page-aligned, physically contiguous pages
 * (in BSS, so it exists before the page allocator) whose virtual and
 * physical addresses are known. Short-lived buffers come from the bottom
 * like a stack (mark/release); permanent slots come from the top.
 * One vCPU today, so one arena.
 */
#include <string.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>

#define ARENA_BYTES (HCALL_ARENA_PAGES * PAGE_SIZE)

static uint8_t arena[ARENA_BYTES] __attribute__((aligned(PAGE_SIZE)));
static size_t bottom;		/* first free byte for short-lived buffers */
static size_t top = ARENA_BYTES; /* start of the permanent slots */

void hcall_arena_init(void)
{
	bottom = 0;
	top = ARENA_BYTES;
}

void *hcall_alloc(size_t size)
{
	size_t start = ALIGN_UP(bottom, 16);

	if (size > top || start > top - size)
		return NULL;
	bottom = start + size;
	memset(arena + start, 0, size);
	return arena + start;
}

size_t hcall_mark(void)
{
	return bottom;
}

void hcall_release(size_t mark)
{
	if (mark <= bottom)
		bottom = mark;
}

void *hcall_alloc_permanent(size_t size, size_t align)
{
	size_t start;

	if (size > top)
		panic("hypercall arena: no room for a %zu-byte permanent slot",
		      size);
	start = ALIGN_DOWN(top - size, align ? align : 16);
	if (start < bottom)
		panic("hypercall arena: no room for a %zu-byte permanent slot",
		      size);
	top = start;
	memset(arena + start, 0, size);
	return arena + start;
}

/*
 * Offer the arena to the hypervisor (the registered-buffer proposal: a
 * vCPU op taking virtual address, physical address and size). No
 * released Xen defines that op or a feature bit for it, and Mica never
 * probes with an op number Xen has not defined, so the check below is
 * false on every Xen today and the arena stays unregistered: the
 * discipline (every buffer in the arena) holds anyway.
 */
#define XENFEAT_registered_hypercall_buffers_proposed (-1)

bool hcall_arena_register(void)
{
	if (XENFEAT_registered_hypercall_buffers_proposed < 0) {
		pr_info("xen: hypercall arena %zu KiB at va %p pa %#llx: "
			"unregistered (no Xen offers registration yet)\n",
			hcall_arena_size() / 1024, hcall_arena_vaddr(),
			(unsigned long long)hcall_arena_paddr());
		return false;
	}
	return true;
}

bool hcall_in_arena(const void *p, size_t size)
{
	uintptr_t a = (uintptr_t)p, base = (uintptr_t)arena;

	return a >= base && size <= ARENA_BYTES && a - base <= ARENA_BYTES - size;
}

paddr_t hcall_arena_paddr(void)
{
	return virt_to_phys(arena);
}

void *hcall_arena_vaddr(void)
{
	return arena;
}

size_t hcall_arena_size(void)
{
	return ARENA_BYTES;
}
