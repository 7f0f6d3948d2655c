/* The checked hypercall wrappers: audit the buffers, then trap. */
#include <mica/xen/hcall.h>
#include <mica/xen/xen.h>

long HYPERVISOR_xen_version(int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_xen_version, (unsigned long)cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_xen_version, (unsigned long)cmd,
			      (uintptr_t)arg, 0, 0, 0);
}

long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_memory_op, cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0,
			      0, 0);
}

long HYPERVISOR_hvm_op(unsigned int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_hvm_op, cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_hvm_op, cmd, (uintptr_t)arg, 0, 0,
			      0);
}

long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_event_channel_op, (unsigned long)cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_event_channel_op,
			      (unsigned long)cmd, (uintptr_t)arg, 0, 0, 0);
}

long HYPERVISOR_sched_op(int cmd, void *arg)
{
	hcall_audit(__HYPERVISOR_sched_op, (unsigned long)cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_sched_op, (unsigned long)cmd,
			      (uintptr_t)arg, 0, 0, 0);
}

long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	hcall_audit(__HYPERVISOR_vcpu_op, (unsigned long)cmd, arg, 0);
	return arch_hypercall(__HYPERVISOR_vcpu_op, (unsigned long)cmd, vcpu,
			      (uintptr_t)arg, 0, 0);
}

long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
			       unsigned int count)
{
	hcall_audit(__HYPERVISOR_grant_table_op, cmd, uop, count);
	return arch_hypercall(__HYPERVISOR_grant_table_op, cmd,
			      (uintptr_t)uop, count, 0, 0);
}

long HYPERVISOR_console_io(int cmd, unsigned int count, char *buf)
{
	hcall_audit(__HYPERVISOR_console_io, (unsigned long)cmd, buf, count);
	return arch_hypercall(__HYPERVISOR_console_io, (unsigned long)cmd,
			      count, (uintptr_t)buf, 0, 0);
}
