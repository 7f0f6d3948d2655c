/*
 * Areas Xen keeps writing after the registering call: the runstate area
 * and the vcpu time area. Both live in permanent slots of the hypercall
 * arena. Xen 4.18 added registration by physical address (XENFEAT bits
 * 18 and 19; VCPUOP 14 and 15, not in 4.17's headers): preferred when
 * advertised, since a physical address stays valid whatever the guest
 * does to its page tables; otherwise the older virtual-address ops.
 */
#include <mica/mm.h>
#include <mica/printk.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xen.h>

/* vcpu_info in a permanent arena slot: Xen writes it after the call.
 * @to_frame turns the slot's address into what Xen wants (a guest frame
 * on PVH, a machine frame on PV) shifted left by PAGE_SHIFT. */
void xen_register_vcpu_info(paddr_t (*to_frame)(const void *va))
{
	size_t mark = hcall_mark();
	struct vcpu_register_vcpu_info *r = hcall_alloc(sizeof(*r));
	struct vcpu_info *slot =
		hcall_alloc_permanent(sizeof(struct vcpu_info), 64);
	paddr_t pa = to_frame(slot);
	long rc;

	r->mfn = pa >> PAGE_SHIFT;
	r->offset = (uint32_t)(pa & (PAGE_SIZE - 1));
	rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, r);
	if (rc == 0) {
		xen_vcpu_info = slot;
	} else {
		printk("xen: VCPUOP_register_vcpu_info failed (%ld); using "
		       "shared_info's slot\n",
		       rc);
		xen_vcpu_info = &xen_shared_info->vcpu_info[0];
	}
	hcall_release(mark);
}

enum area_method xen_area_method(uint32_t features, unsigned int phys_bit)
{
	return (features & (1U << phys_bit)) ? AREA_BY_PHYS : AREA_BY_VIRT;
}

static int register_area(paddr_t (*to_frame)(const void *va),
			 unsigned int phys_bit, int phys_op, int virt_op,
			 size_t size, void **out, const char *what)
{
	size_t mark = hcall_mark();
	/* Both registration structs are one union of pointer forms. */
	struct vcpu_register_runstate_memory_area *r = hcall_alloc(sizeof(*r));
	void *slot = hcall_alloc_permanent(size, 64);
	enum area_method m = xen_area_method(xen_features[0], phys_bit);
	long rc;

	if (m == AREA_BY_PHYS) {
		/* A guest frame, or a machine frame on x86 PV. */
		r->addr.p = to_frame(slot);
		rc = HYPERVISOR_vcpu_op(phys_op, 0, r);
		if (rc < 0) {
			/* Advertised but refused (seen: arm64 Xen 4.20):
			 * fall back to the virtual-address op. */
			printk("xen: %s area by physical address refused "
			       "(%ld); trying by virtual address\n",
			       what, rc);
			m = AREA_BY_VIRT;
		}
	}
	if (m == AREA_BY_VIRT) {
		r->addr.v = slot;
		rc = HYPERVISOR_vcpu_op(virt_op, 0, r);
	}
	hcall_release(mark);
	pr_debug("xen: %s area registered by %s address: %ld\n", what,
		 m == AREA_BY_PHYS ? "physical" : "virtual", rc);
	if (rc == 0)
		*out = slot;
	return (int)rc;
}

int xen_register_vcpu_areas(paddr_t (*to_frame)(const void *va))
{
	int rc = register_area(to_frame, XENFEAT_runstate_phys_area,
			       VCPUOP_register_runstate_phys_area,
			       VCPUOP_register_runstate_memory_area,
			       sizeof(struct vcpu_runstate_info),
			       (void **)&xen_runstate, "runstate");

	if (rc < 0)
		printk("xen: runstate area not registered (%d)\n", rc);
	return rc;
}

struct vcpu_runstate_info *xen_runstate;
