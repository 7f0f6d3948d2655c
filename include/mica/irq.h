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

#endif
