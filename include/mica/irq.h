/* Device interrupts. Handlers run in interrupt context, which in Mica is
 * only ever the idle loop: they may wake threads, never block. */
#ifndef MICA_IRQ_H
#define MICA_IRQ_H

#include <mica/types.h>

typedef void (*irq_handler_t)(void *arg);

/* An MSI/MSI-X interrupt: returns 0 and the message address and data to
 * program into the device, or -1 (none left / not supported here). */
int arch_irq_alloc_msi(irq_handler_t fn, void *arg, uint64_t *addr,
		       uint32_t *data);

/* Device interrupts (MSI, MSI-X, wired lines) handled since boot. */
unsigned long irq_device_count(void);

/* A wired interrupt line as the platform names it (arm: a GIC SPI's
 * interrupt ID from the device tree), level-triggered, routed to us:
 * returns 0, or -1 where the arch cannot take it (x86 without an I/O
 * APIC, as under Xen PVH: such devices are polled). */
int arch_irq_attach_line(unsigned int line, irq_handler_t fn, void *arg);

#endif
