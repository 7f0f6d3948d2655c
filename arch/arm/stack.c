/* Thread stacks: frames from the allocator with the lowest page unmapped,
 * so an overflow faults instead of corrupting the neighbour. */
#include <mica/arch.h>
#include <mica/mm.h>
#include <arch/arm64.h>

void *stack_alloc(size_t size)
{
	size_t pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE + 1;
	paddr_t pa = frame_alloc(pages, 1);

	if (pa == FRAME_NONE)
		return NULL;
	paging_set_present((uintptr_t)phys_to_virt(pa), false);
	return (char *)phys_to_virt(pa) + PAGE_SIZE;
}

void stack_free(void *base, size_t size)
{
	char *guard = (char *)base - PAGE_SIZE;

	paging_set_present((uintptr_t)guard, true);
	frame_free(virt_to_phys(guard),
		   ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE + 1);
}
