/*
 * Device interrupts on x86: MSI/MSI-X messages aimed at our local APIC,
 * one vector each from 0x30-0xef. The message address names the APIC
 * (0xfee00000 | apic id << 12); the data is the vector, edge, fixed.
 * Wired lines (PCI INTx, microvm's virtio-mmio) come through the I/O
 * APIC, level-triggered and possibly shared: a vector per pin, every
 * handler on the pin called, and the EOI only after them, once the
 * devices have dropped the line (else it fires again at once). A device
 * on the pin that no handler serves would keep it asserted; Mica does not
 * detect that (QEMU's devices raise INTx only once a driver enables it).
 */
#include <mica/irq.h>
#include <mica/sched_hooks.h>
#include <arch/x86.h>

#define VEC_FIRST 0x30
#define VEC_LAST 0xef

#define MAX_LINES 8
#define PER_LINE 4

static struct {
	irq_handler_t fn;
	void *arg;
	bool eoi_after;
} handlers[256];

static struct line {
	unsigned int pin, vector, n;
	struct {
		irq_handler_t fn;
		void *arg;
	} h[PER_LINE];
} lines[MAX_LINES];
static unsigned int nlines;
static unsigned long dispatched;

unsigned long irq_device_count(void)
{
	return dispatched;
}

int ioapic_route(unsigned int pin, unsigned int vector, bool level,
		 bool active_low);

static int free_vector(void)
{
	for (unsigned int v = VEC_FIRST; v <= VEC_LAST; v++)
		if (!handlers[v].fn)
			return (int)v;
	return -1;
}

int arch_irq_alloc_msi(irq_handler_t fn, void *arg, uint64_t *addr,
		       uint32_t *data)
{
	int v = free_vector();

	if (v < 0)
		return -1;
	handlers[v].fn = fn;
	handlers[v].arg = arg;
	*addr = 0xfee00000ULL | ((uint64_t)lapic_id() << 12);
	*data = (uint32_t)v;
	sched_wake_sources++;
	return 0;
}

bool irq_dispatch(unsigned int vector)
{
	if (vector >= 256 || !handlers[vector].fn)
		return false;
	dispatched++;
	if (!handlers[vector].eoi_after)
		lapic_eoi();
	handlers[vector].fn(handlers[vector].arg);
	if (handlers[vector].eoi_after)
		lapic_eoi();
	return true;
}

static void line_dispatch(void *arg)
{
	struct line *l = arg;

	for (unsigned int i = 0; i < l->n; i++)
		l->h[i].fn(l->h[i].arg);
}

/*
 * I/O APIC pin @line, level-triggered, active high: what QEMU's PCI
 * interrupt links (pc: PIIX PIRQs on ISA lines 5, 9, 10, 11; q35: the
 * same through the ICH9) and microvm's virtio-mmio lines are. Handlers
 * of devices sharing the pin are chained.
 */
int arch_irq_attach_line(unsigned int line, irq_handler_t fn, void *arg)
{
	struct line *l = NULL;
	int v;

	for (unsigned int i = 0; i < nlines; i++)
		if (lines[i].pin == line)
			l = &lines[i];
	if (!l) {
		v = free_vector();
		if (nlines == MAX_LINES || v < 0 ||
		    ioapic_route(line, (unsigned int)v, true, false) < 0)
			return -1;
		l = &lines[nlines++];
		l->pin = line;
		l->vector = (unsigned int)v;
		handlers[v].fn = line_dispatch;
		handlers[v].arg = l;
		handlers[v].eoi_after = true;
		sched_wake_sources++;
	}
	if (l->n == PER_LINE)
		return -1;
	l->h[l->n].fn = fn;
	l->h[l->n].arg = arg;
	l->n++;
	return 0;
}
