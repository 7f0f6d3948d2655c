/*
 * Host tests of Mica's Xen code that needs no hypervisor: M2P/P2M
 * lookups (with an injected v_start and max_mfn), the hypercall arena and
 * its audit, hypercall instruction selection from faked CPU vendors, the
 * XENFEAT-keyed choice of vcpu area registration, the PV clock, grant
 * ref runs, and the xenstore ring and reply parsers fed hostile input.
 */
#include <errno.h>
#include <string.h>
#include <mica/xen/grant.h>
#include <mica/xen/hcall.h>
#include <mica/xen/platform.h>
#include <mica/xen/vcpu_areas.h>
#include <mica/xen/xenstore.h>
#include <mica/xen/xen.h>
#include <xen/io/xs_wire.h>
#include <arch/hypercall.h>
#include <arch/pv.h>
#include "unit.h"

/* --- M2P located with XENMEM_machphys_mapping -------------------------- */

TEST(m2p_uses_machphys_mapping_answer)
{
	static uint64_t fake_m2p[16] = { [3] = 0x42, [15] = 0x99 };
	struct m2p_map m;
	uint64_t pfn = 0;

	/* Another v_start than the header's, as a future Xen might say. */
	m2p_setup(&m, 0, (uintptr_t)fake_m2p, 15, 0xffff800000000000ULL);
	CHECK_EQ((uintptr_t)m.table, (uintptr_t)fake_m2p);
	CHECK_STR(m.source, "XENMEM_machphys_mapping");
	CHECK_EQ(m2p_lookup(&m, 3, &pfn), 0);
	CHECK_EQ(pfn, 0x42);
	CHECK_EQ(m2p_lookup(&m, 15, &pfn), 0);
	CHECK_EQ(pfn, 0x99);
	/* Past max_mfn: refused, pfn untouched. */
	pfn = 7;
	CHECK_EQ(m2p_lookup(&m, 16, &pfn), -1);
	CHECK_EQ(pfn, 7);
	CHECK_EQ(m2p_lookup(&m, UINT64_MAX, &pfn), -1);
}

TEST(m2p_falls_back_to_header_constant_only_on_failure)
{
	struct m2p_map m;

	m2p_setup(&m, -38 /* -ENOSYS */, 0x1234000, 99, 0xffff800000000000ULL);
	CHECK_EQ((uintptr_t)m.table, 0xffff800000000000ULL);
	CHECK_CONTAINS(m.source, "HYPERVISOR_VIRT_START");
}

TEST(p2m_bounds)
{
	static const uint64_t mfns[4] = { 10, 11, 12, 13 };
	struct p2m_map p = { mfns, 4 };
	uint64_t mfn = 0;

	CHECK_EQ(p2m_lookup(&p, 3, &mfn), 0);
	CHECK_EQ(mfn, 13);
	CHECK_EQ(p2m_lookup(&p, 4, &mfn), -1);
}

/* --- hypercall instruction and area registration choice --------------- */

TEST(hcall_insn_from_vendor)
{
	CHECK_EQ(hcall_insn_for("GenuineIntel", false), HCALL_VMCALL);
	CHECK_EQ(hcall_insn_for("AuthenticAMD", false), HCALL_VMMCALL);
	CHECK_EQ(hcall_insn_for("HygonGenuine", false), HCALL_VMMCALL);
	CHECK_EQ(hcall_insn_for("CentaurHauls", false), HCALL_VMCALL);
	CHECK_EQ(hcall_insn_for("AuthenticAMD", true), HCALL_SYSCALL);
	CHECK_EQ(hcall_insn_for("GenuineIntel", true), HCALL_SYSCALL);
	CHECK_STR(hcall_insn_name(HCALL_VMMCALL), "vmmcall");
}

TEST(vcpu_area_registration_keyed_to_xenfeat)
{
	uint32_t xen417 = 0x12b05; /* what Debian's 4.17 reports */

	CHECK_EQ(xen_area_method(xen417, XENFEAT_runstate_phys_area),
		 AREA_BY_VIRT);
	CHECK_EQ(xen_area_method(xen417 | (1U << 18),
				 XENFEAT_runstate_phys_area),
		 AREA_BY_PHYS);
	CHECK_EQ(xen_area_method(1U << 18, XENFEAT_vcpu_time_phys_area),
		 AREA_BY_VIRT);
	CHECK_EQ(xen_area_method(1U << 19, XENFEAT_vcpu_time_phys_area),
		 AREA_BY_PHYS);
}

/* --- the arena and the audit ------------------------------------------- */

TEST(arena_alloc_release_permanent)
{
	size_t mark;
	char *a, *b, *perm;

	hcall_arena_init();
	mark = hcall_mark();
	a = hcall_alloc(100);
	b = hcall_alloc(1);
	REQUIRE(a && b);
	CHECK(hcall_in_arena(a, 100));
	CHECK_EQ((uintptr_t)a % 16, 0);
	CHECK_EQ((uintptr_t)b % 16, 0);
	CHECK(b >= a + 100);
	hcall_release(mark);
	CHECK_EQ((uintptr_t)hcall_alloc(8), (uintptr_t)a); /* reused */
	perm = hcall_alloc_permanent(64, 64);
	CHECK(hcall_in_arena(perm, 64));
	CHECK_EQ((uintptr_t)perm % 64, 0);
	/* Short-lived buffers never reach into the permanent slots. */
	CHECK(hcall_alloc(hcall_arena_size()) == NULL);
	CHECK(!hcall_in_arena(perm + 64 - 8, 16) ||
	      perm + 64 <= (char *)hcall_arena_vaddr() + hcall_arena_size());
	CHECK(!hcall_in_arena((char *)hcall_arena_vaddr() - 1, 2));
	CHECK(!hcall_in_arena((char *)hcall_arena_vaddr() +
				      hcall_arena_size() - 4,
			      8));
}

TEST(audit_counts_and_panics_on_stack_buffer)
{
	char on_stack[32];
	struct hcall_stats st;
	void *in;

	hcall_arena_init();
	hcall_audit_mode = false;
	in = hcall_alloc(sizeof(xen_extraversion_t));
	hcall_audit(__HYPERVISOR_xen_version, XENVER_extraversion, in, 0);
	hcall_audit(__HYPERVISOR_xen_version, XENVER_extraversion, on_stack,
		    0);
	hcall_get_stats(&st);
	CHECK_EQ(st.calls, 2);
	CHECK_EQ(st.outside, 1);
	hcall_audit_mode = true;
	EXPECT_PANIC(hcall_audit(__HYPERVISOR_xen_version,
				 XENVER_extraversion, on_stack, 0),
		     "xen_version sub-op 1 passes its argument");
	hcall_audit_mode = false;
}

TEST(audit_checks_nested_handles)
{
	struct xen_memory_map *mm;
	static uint8_t outside[64];
	struct hcall_stats before, after;

	hcall_arena_init();
	hcall_audit_mode = false;
	mm = hcall_alloc(sizeof(*mm));
	mm->nr_entries = 2;
	set_xen_guest_handle(mm->buffer, outside); /* nested, not in arena */
	hcall_get_stats(&before);
	hcall_audit(__HYPERVISOR_memory_op, XENMEM_memory_map, mm, 0);
	hcall_get_stats(&after);
	CHECK_EQ(after.outside - before.outside, 1);
	set_xen_guest_handle(mm->buffer, hcall_alloc(40));
	hcall_audit(__HYPERVISOR_memory_op, XENMEM_memory_map, mm, 0);
	hcall_get_stats(&before);
	CHECK_EQ(before.outside, after.outside);
	/* Unknown sub-ops are refused in audit mode, not passed. */
	hcall_audit_mode = true;
	EXPECT_PANIC(hcall_audit(__HYPERVISOR_memory_op, 9999, mm, 0),
		     "not described to the audit");
	hcall_audit_mode = false;
}

/* --- PV clock --------------------------------------------------------- */

TEST(pvclock_math)
{
	struct vcpu_time_info t = { 0 };

	/* 2 GHz TSC: ns = tsc / 2 = (tsc << -1) * 2^32/2^32 */
	t.tsc_timestamp = 1000;
	t.system_time = 5000;
	t.tsc_to_system_mul = 0x80000000u; /* 0.5 */
	t.tsc_shift = 0;
	CHECK_EQ(pvclock_ns(&t, 3000), 5000 + 1000);
	CHECK_EQ(pvclock_tsc_hz(&t), 2000000000ULL);
	t.tsc_shift = 1; /* delta doubled first: 1 ns per tick */
	CHECK_EQ(pvclock_ns(&t, 3000), 5000 + 2000);
	CHECK_EQ(pvclock_tsc_hz(&t), 1000000000ULL);
	t.tsc_shift = -1;
	CHECK_EQ(pvclock_ns(&t, 3000), 5000 + 500);
	t.tsc_to_system_mul = 0;
	CHECK_EQ(pvclock_tsc_hz(&t), 0);
}

/* --- grant ref runs ---------------------------------------------------- */

TEST(gref_runs)
{
	static uint64_t bits[2];
	struct gref_pool p;
	int64_t a, b, c;

	gref_pool_init(&p, bits, 128, 8);
	CHECK_EQ(p.nfree, 120);
	a = gref_alloc_run(&p, 3);
	CHECK_EQ(a, 8); /* reserved refs are never handed out */
	b = gref_alloc_run(&p, 60);
	CHECK_EQ(b, 11);
	gref_free_run(&p, 8, 3);
	c = gref_alloc_run(&p, 4); /* the 3-ref hole is too small */
	CHECK_EQ(c, 71);
	CHECK_EQ(gref_alloc_run(&p, 3), 8);
	CHECK_EQ(gref_alloc_run(&p, 200), -1);
	CHECK_EQ(gref_alloc_run(&p, 0), -1);
	CHECK_EQ(gref_alloc_run(&p, 53), 75);
	CHECK_EQ(p.nfree, 0);
	CHECK_EQ(gref_alloc_run(&p, 1), -1);
	gref_free_run(&p, 127, 5); /* clipped at the end */
	CHECK_EQ(p.nfree, 1);
}

/* --- xenstore wire ---------------------------------------------------- */

TEST(xs_ring_roundtrip_and_wrap)
{
	static struct xenstore_domain_interface ring;
	char buf[700], out[700];

	memset(&ring, 0, sizeof(ring));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)i;
	ring.req_cons = ring.req_prod = 900; /* near the wrap */
	CHECK_EQ(xs_ring_write(&ring, buf, 700), 700);
	CHECK_EQ(ring.req_prod, 1600);
	CHECK_EQ(memcmp(ring.req + 900, buf, 124), 0);
	CHECK_EQ(memcmp(ring.req, buf + 124, 576), 0);
	/* Full: only what fits goes in. */
	CHECK_EQ(xs_ring_write(&ring, buf, 700), 1024 - 700);
	/* Replies: the backend wrote 700 bytes across the wrap. */
	memcpy(ring.rsp + 1000, buf, 24);
	memcpy(ring.rsp, buf + 24, 676);
	ring.rsp_cons = 1000;
	ring.rsp_prod = 1700;
	CHECK_EQ(xs_ring_read(&ring, out, sizeof(out)), 700);
	CHECK_EQ(memcmp(out, buf, 700), 0);
	CHECK_EQ(ring.rsp_cons, 1700);
}

TEST(xs_ring_hostile_indices)
{
	static struct xenstore_domain_interface ring;
	char out[16];

	memset(&ring, 0, sizeof(ring));
	ring.rsp_cons = 0;
	ring.rsp_prod = 5000; /* more than a ring's worth */
	CHECK_EQ(xs_ring_read(&ring, out, sizeof(out)), -EIO);
	ring.req_prod = 10;
	ring.req_cons = 2000; /* consumer ahead of producer */
	CHECK_EQ(xs_ring_write(&ring, "x", 1), -EIO);
}

TEST(xs_reply_parsers)
{
	char ev[] = "backend/vif\0token-1"; /* sizeof includes final NUL */
	char bad1[] = "only-one-string";
	char bad2[] = "a\0b\0c";
	char *path, *token;

	CHECK_EQ(xs_parse_watch_event(ev, sizeof(ev), &path, &token), 0);
	CHECK_STR(path, "backend/vif");
	CHECK_STR(token, "token-1");
	CHECK_EQ(xs_parse_watch_event(bad1, sizeof(bad1), &path, &token),
		 -EIO);
	CHECK_EQ(xs_parse_watch_event(bad2, sizeof(bad2), &path, &token),
		 -EIO);
	CHECK_EQ(xs_parse_watch_event(ev, 3, &path, &token), -EIO);
	CHECK_EQ(xs_count_names("a\0bc\0", 5), 2);
	CHECK_EQ(xs_count_names("", 0), 0);
	CHECK_EQ(xs_count_names("abc", 3), -EIO);
	CHECK_EQ(xs_count_names("a\0\0b\0", 5), -EIO);
	CHECK_EQ(xs_error_errno("ENOENT", 7), ENOENT);
	CHECK_EQ(xs_error_errno("EAGAIN", 6), EAGAIN);
	CHECK_EQ(xs_error_errno("ENOENTX", 8), EINVAL);
	CHECK_EQ(xs_error_errno("", 0), EINVAL);
	CHECK_EQ(xs_check_header(XS_READ, 10), 0);
	CHECK_EQ(xs_check_header(XS_READ, XENSTORE_PAYLOAD_MAX + 1), -EIO);
	CHECK_EQ(xs_check_header(12345, 1), -EIO);
}
