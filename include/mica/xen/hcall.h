/*
 * Hypercalls in the registered-buffer model. Every buffer a hypercall
 * names (its argument structure, and any handle inside it) must lie in
 * the per-vCPU hypercall arena: allocate it with hcall_alloc() inside a
 * hcall_mark()/hcall_release() scope. The wrappers check that (and count
 * calls) before they trap into Xen; in audit mode (`hcall=audit`) a
 * buffer outside the arena stops the kernel with the op's name.
 *
 * See docs/hypercall-arena.md for the model and the registration
 * interface.
 */
#ifndef MICA_XEN_HCALL_H
#define MICA_XEN_HCALL_H

#include <mica/types.h>

/* --- the arena --------------------------------------------------------- */
#define HCALL_ARENA_PAGES 4

void hcall_arena_init(void);
/* Short-lived buffer (16-byte aligned, zeroed); NULL when full. */
void *hcall_alloc(size_t size);
size_t hcall_mark(void);
void hcall_release(size_t mark);
/* A slot Xen keeps using after the call (vcpu_info, time areas): taken
 * from the top of the arena and never given back. Panics when full. */
void *hcall_alloc_permanent(size_t size, size_t align);
bool hcall_in_arena(const void *p, size_t size);
/* Offer the arena to Xen where it can take it; says in the boot log
 * whether it did (see docs/hypercall-arena.md). */
bool hcall_arena_register(void);
paddr_t hcall_arena_paddr(void);
void *hcall_arena_vaddr(void);
size_t hcall_arena_size(void);

/* --- audit ------------------------------------------------------------- */
struct hcall_stats {
	unsigned long calls;		/* through the checked wrappers */
	unsigned long outside;		/* handles found outside the arena */
	unsigned long raw;		/* deliberate unchecked calls */
	unsigned long arch_exceptions;	/* PV frames Xen writes (docs/) */
};
extern bool hcall_audit_mode;
/* `hypercall=page`: use Xen's hypercall page where the arch can. */
extern bool hcall_want_page;
void hcall_get_stats(struct hcall_stats *st);
/* A PV exception or event frame Xen wrote on our stack (docs/). */
void hcall_note_arch_exception(void);
/* Check every buffer op @op / @cmd names; counts the call. */
void hcall_audit(unsigned int op, unsigned long cmd, const void *arg,
		 unsigned long count);
const char *hcall_op_name(unsigned int op);

/* --- raw entry (arch) -------------------------------------------------- */
long arch_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);
/* The one deliberate path around the arena check (negative ABI tests):
 * counted apart, never used by the kernel itself. */
long hcall_raw(unsigned int op, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5);

/* --- checked wrappers -------------------------------------------------- */
long HYPERVISOR_xen_version(int cmd, void *arg);
long HYPERVISOR_memory_op(unsigned int cmd, void *arg);
long HYPERVISOR_hvm_op(unsigned int cmd, void *arg);
long HYPERVISOR_event_channel_op(int cmd, void *arg);
long HYPERVISOR_sched_op(int cmd, void *arg);
long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg);
long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
			       unsigned int count);
long HYPERVISOR_console_io(int cmd, unsigned int count, char *buf);

#endif
