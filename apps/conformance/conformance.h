/*
 * The ABI conformance suite: a catalogue of small tests a Xen developer
 * runs against a hypervisor build. Each test names what it checks, why,
 * the ABI source it follows, and what it expects in each environment;
 * expectations are keyed to XENVER_version and XENFEAT bits.
 *
 * The catalogue never touches the kernel directly: hypercalls and the
 * guest services it needs (events, grants, xenstore, clocks) come
 * through struct conf_ops, which the guest fills from Mica's kernel
 * (mica_ops.c) and the host unit test fills with a lying shim.
 *
 * Output follows XTF's contract: one line per test,
 *   conformance: NAME: SUCCESS|SKIP|ERROR|FAILURE [(why)]
 * statuses escalate SUCCESS < SKIP < ERROR < FAILURE, and the last line
 * is the single "Test result: WORST".
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#include <stdarg.h>
#include <mica/types.h>
#include <mica/xen/xen.h>
#include <xen/errno.h>

enum conf_status { CONF_SUCCESS, CONF_SKIP, CONF_ERROR, CONF_FAILURE };

/* Environments: one bit per kind of guest. */
#define ENV_PVH_DOM0 (1U << 0)
#define ENV_PVH_DOMU (1U << 1)
#define ENV_PV_DOM0 (1U << 2)
#define ENV_PV_DOMU (1U << 3)
#define ENV_ARM_DOM0LESS (1U << 4)
#define ENV_PVH (ENV_PVH_DOM0 | ENV_PVH_DOMU)
#define ENV_PV (ENV_PV_DOM0 | ENV_PV_DOMU)
#define ENV_X86 (ENV_PVH | ENV_PV)
#define ENV_DOM0 (ENV_PVH_DOM0 | ENV_PV_DOM0)
#define ENV_DOMU (ENV_PVH_DOMU | ENV_PV_DOMU)
#define ENV_XL ENV_DOMU			/* created by a toolstack */
#define ENV_AUTO (ENV_PVH | ENV_ARM_DOM0LESS) /* auto-translated */
#define ENV_ALL 0x1fU

/* Names from newer public headers than the 4.17 ones Mica builds with. */
#ifndef XENFEAT_not_direct_mapped
#define XENFEAT_not_direct_mapped 16
#endif
#ifndef XENFEAT_direct_mapped
#define XENFEAT_direct_mapped 17
#endif
#define CONF_XENFEAT_runstate_phys_area 18
#define CONF_XENFEAT_vcpu_time_phys_area 19
#define CONF_VCPUOP_register_runstate_phys_area 14
/* 64-bit PV's fixed hypervisor hole and M2P (arch-x86/xen-x86_64.h). */
#define CONF_X86_64_VIRT_START 0xffff800000000000ULL
#define CONF_X86_64_M2P_START 0xffff800000000000ULL
/* An id no domain has: below DOMID_FIRST_RESERVED, far above any boot. */
#define CONF_NO_DOMID 0x7fefU

struct conf_env {
	unsigned int kind;	/* one ENV_* bit */
	uint32_t version;	/* XENVER_version: major << 16 | minor */
	uint32_t features;	/* XENVER_get_features, submap 0 */
	bool features_ok;	/* that call succeeded */
	uint16_t domid;		/* ours (alloc_unbound + status) */
	bool domid_ok;
};

struct conf_ops {
	/* The checked hypercall wrappers (buffers in the arena, audited). */
	long (*xen_version)(int cmd, void *arg);
	long (*memory_op)(unsigned int cmd, void *arg);
	long (*event_channel_op)(int cmd, void *arg);
	long (*grant_table_op)(unsigned int cmd, void *uop,
			       unsigned int count);
	long (*sched_op)(int cmd, void *arg);
	long (*vcpu_op)(int cmd, unsigned int vcpu, void *arg);
	long (*console_io)(int cmd, unsigned int count, char *buf);
	/* The one deliberate path around the arena check (negative tests). */
	long (*raw)(unsigned int op, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5);

	/* Output: one line, without its newline. */
	void (*print)(const char *line);
	/* Clocks: the monotonic clock, and Xen's system time (the clock of
	 * SCHEDOP_poll and VCPUOP_set_singleshot_timer timeouts). */
	uint64_t (*now_ns)(void);
	uint64_t (*xen_time_ns)(void);
	void (*sleep_ns)(uint64_t ns);

	/* Event channels (2-level; the kernel owns shared_info). A port
	 * Mica has no handler for stays masked. */
	void (*ev_watch)(unsigned int port);	/* count deliveries, unmask */
	void (*ev_unwatch)(unsigned int port);	/* stop counting, mask */
	unsigned int (*ev_count)(unsigned int port);
	/* Wait until @port was delivered @n times; false on timeout. */
	bool (*ev_wait)(unsigned int port, unsigned int n, uint64_t timeout_ns);
	bool (*ev_pending)(unsigned int port);	/* shared_info's bit */
	bool (*ev_masked)(unsigned int port);
	void (*ev_mask)(unsigned int port);	/* the guest's own mask write */
	void (*ev_clear)(unsigned int port);	/* clear the pending bit */
	/* Events delivered to any port, ever (the kernel's count). */
	unsigned long (*ev_delivered)(void);
	/* SCHEDOP_block with event delivery on for the call; NULL where
	 * the guest cannot take events inside the call. */
	long (*block_with_events)(void);
	/* Arm a CPU timer interrupt @ns ahead, as a wake-up that is not an
	 * event (arm's virtual timer); NULL or false: there is none. */
	bool (*wake_timer)(uint64_t ns);

	/* Grants, through the kernel's v1 table. */
	int64_t (*grant)(uint16_t domid, void *page, bool readonly);
	int (*end_grant)(uint32_t ref);		/* -1: still mapped */
	unsigned int (*grant_frames)(void);	/* frames the kernel set up */
	uint64_t (*frame_of)(const void *va);	/* the frame Xen wants */
	uint64_t (*foreign_addr)(uint32_t pages); /* host_addr for maps */
	void *(*foreign_ptr)(uint64_t addr);	/* where to read a mapping */
	/* The guest frame shared_info sits at (auto-translated guests). */
	uint64_t (*shared_info_gfn)(void);

	/* vCPU areas the kernel registered at boot (NULL: none). */
	void *(*vcpu_info_slot)(void);
	struct vcpu_runstate_info *(*runstate)(void);

	/* xenstore (NULL read: no xenstore); -errno on failure. */
	int (*xs_read)(uint32_t tx, const char *path, char *buf, size_t size);
	int (*xs_write)(uint32_t tx, const char *path, const char *value);
	int (*xs_rm)(uint32_t tx, const char *path);
	int (*xs_tx_start)(uint32_t *tx);
	int (*xs_tx_end)(uint32_t tx, bool abort);
	/* Watch @path; wait for @n events in all (the registration fires
	 * one); returns the events seen before the timeout. */
	int (*xs_watch_start)(const char *path);
	unsigned int (*xs_watch_wait)(unsigned int n, uint64_t timeout_ns);
	void (*xs_watch_stop)(void);

	/* The hypercall counters (checked calls, outside, raw). */
	void (*hcall_stats)(unsigned long *calls, unsigned long *outside,
			    unsigned long *raw);
};

struct conf_ctx;

struct conf_test {
	const char *name;
	const char *category;
	const char *checks;	/* what it checks */
	const char *why;	/* why that matters */
	const char *source;	/* the ABI source it follows */
	const char *expect;	/* the expected result per environment */
	unsigned int runs_on;	/* ENV_* where it runs; SKIP elsewhere */
	const char *skip_why;	/* why it cannot run elsewhere */
	bool dedicated;		/* once per domain: runs only when named */
	void (*run)(struct conf_ctx *c);
};

struct conf_ctx {
	const struct conf_ops *ops;
	const struct conf_env *env;
	const struct conf_test *test;
	enum conf_status status;
	char why[240];
	unsigned long raw_calls;	/* this test's deliberate raw calls */
	int shutdown_after;		/* a reason for the caller, or -1 */
};

/* --- what a test body uses ------------------------------------------- */
/* FAILURE (the hypervisor is wrong) unless @ok; the first reason stays. */
bool conf_check(struct conf_ctx *c, bool ok, const char *fmt, ...)
	__printf(3, 4);
/* ERROR: the test itself could not do its work. */
void conf_error(struct conf_ctx *c, const char *fmt, ...) __printf(2, 3);
/* SKIP: what the test needs is absent here. */
void conf_skip(struct conf_ctx *c, const char *fmt, ...) __printf(2, 3);
/* A remark shown with a SUCCESS (the first one only). */
void conf_note(struct conf_ctx *c, const char *fmt, ...) __printf(2, 3);
/* A short-lived arena buffer (zeroed); NULL and ERROR when full. */
void *conf_buf(struct conf_ctx *c, size_t size);
/* The one raw path: counted, for negative tests only. */
long conf_raw(struct conf_ctx *c, unsigned int op, unsigned long a1,
	      unsigned long a2, unsigned long a3, unsigned long a4,
	      unsigned long a5);
/* An address no guest maps: page 0 (Mica leaves it unmapped). */
#define CONF_BAD_PTR 0x10UL

static inline bool conf_env_in(const struct conf_ctx *c, unsigned int envs)
{
	return (c->env->kind & envs) != 0;
}

static inline bool conf_version_ge(const struct conf_ctx *c,
				   unsigned int major, unsigned int minor)
{
	return c->env->version >= (major << 16 | minor);
}

static inline bool conf_feature(const struct conf_ctx *c, unsigned int bit)
{
	return bit < 32 && (c->env->features & (1U << bit));
}

/* "-ENOSYS" for -38, "0" for 0, a number otherwise. */
const char *conf_errname(long rc);
const char *conf_gntst(int16_t st);

/* Event channel helpers shared by several test groups. */
int conf_alloc_unbound(struct conf_ctx *c, uint16_t remote,
		       unsigned int *port);
int conf_bind_interdomain(struct conf_ctx *c, uint16_t remote,
			  unsigned int remote_port, unsigned int *port);
int conf_evtchn_status(struct conf_ctx *c, uint16_t dom, unsigned int port,
		       evtchn_status_t *out);
long conf_evtchn_port_op(struct conf_ctx *c, int cmd, unsigned int port);
void conf_close(struct conf_ctx *c, unsigned int port);
/* A loopback pair: @a unbound, offered to ourselves; @b bound to it. */
bool conf_loopback(struct conf_ctx *c, unsigned int *a, unsigned int *b);
/* grant_util.c: GNTTABOP_set_version / get_version (DOMID_SELF). */
long conf_gnttab_set_version(struct conf_ctx *c, uint32_t want,
			     uint32_t *now);
long conf_gnttab_get_version(struct conf_ctx *c, uint32_t *now);

/* --- the catalogue ---------------------------------------------------- */
struct conf_group {
	const struct conf_test *tests;
	size_t count;
};

extern const struct conf_test conf_tests_version[];
extern const size_t conf_tests_version_count;
extern const struct conf_test conf_tests_memory[];
extern const size_t conf_tests_memory_count;
extern const struct conf_test conf_tests_evtchn[];
extern const size_t conf_tests_evtchn_count;
extern const struct conf_test conf_tests_grant[];
extern const size_t conf_tests_grant_count;
extern const struct conf_test conf_tests_sched[];
extern const size_t conf_tests_sched_count;
extern const struct conf_test conf_tests_console[];
extern const size_t conf_tests_console_count;
extern const struct conf_test conf_tests_xenstore[];
extern const size_t conf_tests_xenstore_count;
extern const struct conf_test conf_tests_negative[];
extern const size_t conf_tests_negative_count;
extern const struct conf_test conf_tests_domain[];
extern const size_t conf_tests_domain_count;
extern const struct conf_test conf_tests_audit[];
extern const size_t conf_tests_audit_count;
/* Deliberate raw calls the suite made so far (for the audit test). */
unsigned long conf_raw_total(void);

/* Every test, in run order (the arena audit last); NULL past the end. */
const struct conf_test *conf_test_at(size_t i);
const struct conf_test *conf_test_find(const char *name);
const char *conf_env_name(unsigned int kind);
const char *conf_status_name(enum conf_status st);

/* --- the runner --------------------------------------------------------- */
/* Fill @env: version, features and our domid through @ops. */
void conf_probe_env(const struct conf_ops *ops, struct conf_env *env);
/* Run the catalogue (or only the test named @only) and print each line
 * and the verdict; returns the verdict. A dedicated test that ends its
 * domain sets *@after to the shutdown reason it wants, else -1. */
enum conf_status conf_run(const struct conf_ops *ops,
			  const struct conf_env *env, const char *only,
			  int *after);
/* A dedicated test asked to end the domain with @reason after its
 * verdict: do it; if Xen returns, report FAILURE (a second verdict). */
enum conf_status conf_shutdown(const struct conf_ops *ops, const char *name,
			       int reason);
/* Print the catalogue: name, category, environments, expectations. */
void conf_list(const struct conf_ops *ops);
/* The exit status XTF's runner uses: 0, 3, 4, 5. */
int conf_exit_code(enum conf_status st);

#endif
