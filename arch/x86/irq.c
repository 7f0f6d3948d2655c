/*
 * Device interrupts on x86: MSI/MSI-X messages aimed at our local APIC,
 * one vector each from 0x30-0xef. The message address names the APIC
 * (0xfee00000 | apic id << 12); the data is the vector, edge, fixed.
 */
#include <mica/irq.h>
#include <mica/sched_hooks.h>
#include <arch/x86.h>

#define VEC_FIRST 0x30
#define VEC_LAST 0xef

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[256];

int arch_irq_alloc_msi(irq_handler_t fn, void *arg, uint64_t *addr,
		       uint32_t *data)
{
	for (unsigned int v = VEC_FIRST; v <= VEC_LAST; v++) {
		if (handlers[v].fn)
			continue;
		handlers[v].fn = fn;
		handlers[v].arg = arg;
		*addr = 0xfee00000ULL | ((uint64_t)lapic_id() << 12);
		*data = v;
		sched_wake_sources++;
		return 0;
	}
	return -1;
}

bool irq_dispatch(unsigned int vector)
{
	if (vector >= 256 || !handlers[vector].fn)
		return false;
	lapic_eoi();
	handlers[vector].fn(handlers[vector].arg);
	return true;
}

/* Wired lines would need an IOAPIC driver, which Mica does not have
 * (microvm's virtio-mmio slots are polled). */
int arch_irq_attach_line(unsigned int line, irq_handler_t fn, void *arg)
{
	(void)line;
	(void)fn;
	(void)arg;
	return -1;
}
