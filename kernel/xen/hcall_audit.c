/*
 * The arena audit: for each hypercall, the list of guest buffers it names
 * (the argument itself and any handle inside it), each checked against
 * the arena. Knowing where the nested handles are is per op and sub-op;
 * an op or sub-op not described here is refused in audit mode rather
 * than passed unchecked.
 */
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xen.h>
#include <xen/callback.h>

bool hcall_audit_mode;
bool hcall_want_page;
static struct hcall_stats stats;

struct handle {
	const char *what;
	const void *p;
	size_t size;
};

#define MAX_HANDLES 4

const char *hcall_op_name(unsigned int op)
{
	switch (op) {
	case __HYPERVISOR_memory_op: return "memory_op";
	case __HYPERVISOR_xen_version: return "xen_version";
	case __HYPERVISOR_console_io: return "console_io";
	case __HYPERVISOR_grant_table_op: return "grant_table_op";
	case __HYPERVISOR_vcpu_op: return "vcpu_op";
	case __HYPERVISOR_sched_op: return "sched_op";
	case __HYPERVISOR_event_channel_op: return "event_channel_op";
	case __HYPERVISOR_hvm_op: return "hvm_op";
	case __HYPERVISOR_set_trap_table: return "set_trap_table";
	case __HYPERVISOR_callback_op: return "callback_op";
	case __HYPERVISOR_mmu_update: return "mmu_update";
	case __HYPERVISOR_update_va_mapping: return "update_va_mapping";
	default: return "unknown";
	}
}

static size_t version_arg_size(unsigned long cmd)
{
	switch (cmd) {
	case XENVER_version:
	case XENVER_pagesize:
		return 0;
	case XENVER_extraversion: return sizeof(xen_extraversion_t);
	case XENVER_compile_info: return sizeof(xen_compile_info_t);
	case XENVER_capabilities: return sizeof(xen_capabilities_info_t);
	case XENVER_changeset: return sizeof(xen_changeset_info_t);
	case XENVER_platform_parameters:
		return sizeof(xen_platform_parameters_t);
	case XENVER_get_features: return sizeof(xen_feature_info_t);
	case XENVER_guest_handle: return sizeof(xen_domain_handle_t);
	case XENVER_commandline: return sizeof(xen_commandline_t);
	default: return SIZE_MAX;
	}
}

static size_t memory_handles(unsigned long cmd, const void *arg,
			     struct handle *h)
{
	switch (cmd) {
	case XENMEM_memory_map:
	case XENMEM_machine_memory_map: {
		const struct xen_memory_map *m = arg;

		h[0] = (struct handle){ "xen_memory_map", m, sizeof(*m) };
		if (!hcall_in_arena(m, sizeof(*m)))
			return 1;
		h[1] = (struct handle){ "memory map buffer",
					m->buffer.p,
					(size_t)m->nr_entries * 20 };
		return 2;
	}
	case XENMEM_add_to_physmap:
		h[0] = (struct handle){ "xen_add_to_physmap", arg,
					sizeof(struct xen_add_to_physmap) };
		return 1;
	case XENMEM_machphys_mapping:
		h[0] = (struct handle){ "xen_machphys_mapping", arg,
					sizeof(struct xen_machphys_mapping) };
		return 1;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		h[0] = (struct handle){ "domid", arg, sizeof(domid_t) };
		return 1;
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap: {
		const struct xen_memory_reservation *r = arg;

		h[0] = (struct handle){ "xen_memory_reservation", r,
					sizeof(*r) };
		if (!hcall_in_arena(r, sizeof(*r)))
			return 1;
		h[1] = (struct handle){ "extent list", r->extent_start.p,
					r->nr_extents * sizeof(xen_pfn_t) };
		return 2;
	}
	default:
		return SIZE_MAX;
	}
}

static size_t evtchn_arg_size(unsigned long cmd)
{
	switch (cmd) {
	case EVTCHNOP_bind_interdomain: return sizeof(evtchn_bind_interdomain_t);
	case EVTCHNOP_bind_virq: return sizeof(evtchn_bind_virq_t);
	case EVTCHNOP_close: return sizeof(evtchn_close_t);
	case EVTCHNOP_send: return sizeof(evtchn_send_t);
	case EVTCHNOP_status: return sizeof(evtchn_status_t);
	case EVTCHNOP_alloc_unbound: return sizeof(evtchn_alloc_unbound_t);
	case EVTCHNOP_bind_ipi: return sizeof(evtchn_bind_ipi_t);
	case EVTCHNOP_bind_vcpu: return sizeof(evtchn_bind_vcpu_t);
	case EVTCHNOP_unmask: return sizeof(evtchn_unmask_t);
	case EVTCHNOP_reset: return sizeof(evtchn_reset_t);
	default: return SIZE_MAX;
	}
}

static size_t sched_handles(unsigned long cmd, const void *arg,
			    struct handle *h)
{
	switch (cmd) {
	case SCHEDOP_yield:
	case SCHEDOP_block:
		return 0;
	case SCHEDOP_shutdown:
		h[0] = (struct handle){ "sched_shutdown", arg,
					sizeof(struct sched_shutdown) };
		return 1;
	case SCHEDOP_shutdown_code:
		h[0] = (struct handle){ "sched_shutdown", arg,
					sizeof(struct sched_shutdown) };
		return 1;
	case SCHEDOP_poll: {
		const struct sched_poll *p = arg;

		h[0] = (struct handle){ "sched_poll", p, sizeof(*p) };
		if (!hcall_in_arena(p, sizeof(*p)))
			return 1;
		h[1] = (struct handle){ "poll ports", p->ports.p,
					p->nr_ports * sizeof(evtchn_port_t) };
		return 2;
	}
	default:
		return SIZE_MAX;
	}
}

static size_t vcpu_handles(unsigned long cmd, const void *arg,
			   struct handle *h)
{
	const struct vcpu_register_runstate_memory_area *r = arg;

	switch (cmd) {
	case VCPUOP_register_runstate_memory_area:
		h[0] = (struct handle){ "area registration", r, sizeof(*r) };
		if (!hcall_in_arena(r, sizeof(*r)))
			return 1;
		h[1] = (struct handle){ "runstate area", r->addr.v,
					sizeof(struct vcpu_runstate_info) };
		return 2;
	case VCPUOP_register_vcpu_time_memory_area:
		h[0] = (struct handle){ "area registration", r, sizeof(*r) };
		if (!hcall_in_arena(r, sizeof(*r)))
			return 1;
		h[1] = (struct handle){ "vcpu time area", r->addr.v,
					sizeof(struct vcpu_time_info) };
		return 2;
	case VCPUOP_register_runstate_phys_area:
	case VCPUOP_register_vcpu_time_phys_area:
		/* The area is named by a frame number (guest or machine),
		 * which the audit cannot map back: the registration itself
		 * is checked; xen_register_vcpu_areas() only ever names
		 * permanent arena slots. */
		h[0] = (struct handle){ "area registration", r, sizeof(*r) };
		return 1;
	default:
		return SIZE_MAX;
	}
}

static size_t vcpu_arg_size(unsigned long cmd)
{
	switch (cmd) {
	case VCPUOP_is_up:
	case VCPUOP_stop_singleshot_timer:
	case VCPUOP_stop_periodic_timer:
		return 0;
	case VCPUOP_get_runstate_info: return sizeof(struct vcpu_runstate_info);
	case VCPUOP_set_periodic_timer:
		return sizeof(struct vcpu_set_periodic_timer);
	case VCPUOP_set_singleshot_timer:
		return sizeof(struct vcpu_set_singleshot_timer);
	case VCPUOP_register_vcpu_info:
		return sizeof(struct vcpu_register_vcpu_info);
	default: return SIZE_MAX;
	}
}

static size_t grant_handles(unsigned long cmd, const void *arg,
			    unsigned long count, struct handle *h)
{
	size_t each;

	switch (cmd) {
	case GNTTABOP_setup_table: {
		const struct gnttab_setup_table *s = arg;

		h[0] = (struct handle){ "gnttab_setup_table", s, sizeof(*s) };
		if (!hcall_in_arena(s, sizeof(*s)))
			return 1;
		h[1] = (struct handle){ "frame list", s->frame_list.p,
					s->nr_frames * sizeof(xen_pfn_t) };
		return 2;
	}
	case GNTTABOP_map_grant_ref: each = sizeof(struct gnttab_map_grant_ref); break;
	case GNTTABOP_unmap_grant_ref: each = sizeof(struct gnttab_unmap_grant_ref); break;
	case GNTTABOP_copy: each = sizeof(struct gnttab_copy); break;
	case GNTTABOP_query_size: each = sizeof(struct gnttab_query_size); break;
	case GNTTABOP_set_version: each = sizeof(struct gnttab_set_version); break;
	case GNTTABOP_get_version: each = sizeof(struct gnttab_get_version); break;
	default: return SIZE_MAX;
	}
	h[0] = (struct handle){ "grant op array", arg, each * count };
	return 1;
}

static size_t handles_of(unsigned int op, unsigned long cmd, const void *arg,
			 unsigned long count, struct handle *h)
{
	size_t size;

	switch (op) {
	case __HYPERVISOR_xen_version:
		size = version_arg_size(cmd);
		break;
	case __HYPERVISOR_memory_op:
		return memory_handles(cmd, arg, h);
	case __HYPERVISOR_hvm_op:
		if (cmd == HVMOP_get_param || cmd == HVMOP_set_param)
			size = sizeof(struct xen_hvm_param);
		else if (cmd == HVMOP_set_evtchn_upcall_vector)
			size = sizeof(struct xen_hvm_evtchn_upcall_vector);
		else
			return SIZE_MAX;
		break;
	case __HYPERVISOR_event_channel_op:
		size = evtchn_arg_size(cmd);
		break;
	case __HYPERVISOR_sched_op:
		return sched_handles(cmd, arg, h);
	case __HYPERVISOR_vcpu_op:
		size = vcpu_arg_size(cmd);
		if (size == SIZE_MAX)
			return vcpu_handles(cmd, arg, h);
		break;
	case __HYPERVISOR_grant_table_op:
		return grant_handles(cmd, arg, count, h);
	case __HYPERVISOR_console_io:
		h[0] = (struct handle){ "console buffer", arg, count };
		return 1;
	case __HYPERVISOR_update_va_mapping:
		return 0; /* all in registers */
	case __HYPERVISOR_callback_op:
		if (cmd == CALLBACKOP_register)
			size = sizeof(struct callback_register);
		else if (cmd == CALLBACKOP_unregister)
			size = sizeof(struct callback_unregister);
		else
			return SIZE_MAX;
		break;
	case __HYPERVISOR_mmu_update:
		h[0] = (struct handle){ "mmu_update array", arg,
					count * sizeof(struct mmu_update) };
		return 1;
	case __HYPERVISOR_set_trap_table: {
		const trap_info_t *t = arg;
		size_t n = 0;

		/* The table ends at an entry whose address is 0. */
		while (n < 256 && hcall_in_arena(&t[n], sizeof(*t)) &&
		       t[n].address)
			n++;
		h[0] = (struct handle){ "trap table", arg,
					(n + 1) * sizeof(*t) };
		return 1;
	}
	default:
		return SIZE_MAX;
	}
	if (size == SIZE_MAX)
		return SIZE_MAX;
	if (size == 0)
		return 0;
	h[0] = (struct handle){ "argument", arg, size };
	return 1;
}

void hcall_audit(unsigned int op, unsigned long cmd, const void *arg,
		 unsigned long count)
{
	struct handle h[MAX_HANDLES];
	size_t n = handles_of(op, cmd, arg, count, h);

	stats.calls++;
	if (n == SIZE_MAX) {
		stats.outside++;
		if (hcall_audit_mode)
			panic("hypercall audit: %s sub-op %lu is not described "
			      "to the audit; refusing to pass it unchecked",
			      hcall_op_name(op), cmd);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (h[i].size == 0 || hcall_in_arena(h[i].p, h[i].size))
			continue;
		stats.outside++;
		if (hcall_audit_mode)
			panic("hypercall audit: %s sub-op %lu passes its %s at "
			      "%p (%zu bytes) outside the registered arena",
			      hcall_op_name(op), cmd, h[i].what, h[i].p,
			      h[i].size);
	}
}

void hcall_note_arch_exception(void)
{
	stats.arch_exceptions++;
}

void hcall_get_stats(struct hcall_stats *st)
{
	*st = stats;
}

long hcall_raw(unsigned int op, unsigned long a1, unsigned long a2,
	       unsigned long a3, unsigned long a4, unsigned long a5)
{
	stats.raw++;
	return arch_hypercall(op, a1, a2, a3, a4, a5);
}
