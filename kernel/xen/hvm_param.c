/* HVM parameters of our own domain (PVH and arm64 guests): where the
 * toolstack put the xenstore and console rings, and so on. */
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/xen.h>

int xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	size_t mark = hcall_mark();
	struct xen_hvm_param *p = hcall_alloc(sizeof(*p));
	long rc;

	p->domid = DOMID_SELF;
	p->index = index;
	rc = HYPERVISOR_hvm_op(HVMOP_get_param, p);
	*value = p->value;
	hcall_release(mark);
	return (int)rc;
}
