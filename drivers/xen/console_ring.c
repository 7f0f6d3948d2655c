/*
 * The PV console: text goes into the shared "out" ring that xenconsoled
 * (in the backend domain) drains, with an event after each write; what
 * the backend puts in the "in" ring is input, taken when a reader polls. The
 * backend's index is checked; a full ring is waited on for a bounded
 * time, then output is dropped and counted rather than hanging the
 * kernel (this runs in panic paths too).
 */
#include <mica/console.h>
#include <mica/printk.h>
#include <mica/time.h>
#include <mica/xen/events.h>
#include <mica/xen/xen.h>
#include <xen/io/console.h>

#define FULL_WAIT_NS (200 * NSEC_PER_MSEC)

static struct xencons_interface *ring;
static unsigned int port;
static unsigned long dropped;
static bool broken;		/* the backend's out_cons is impossible */
static bool in_broken;		/* its in_prod is */

static void ring_write(struct console *con, const char *buf, size_t len)
{
	size_t done = 0;
	uint64_t give_up = 0;

	(void)con;
	while (done < len && !broken) {
		XENCONS_RING_IDX cons = __atomic_load_n(&ring->out_cons,
							__ATOMIC_ACQUIRE);
		XENCONS_RING_IDX prod = ring->out_prod;

		if (prod - cons > sizeof(ring->out)) {
			broken = true; /* impossible index from the backend */
			break;
		}
		while (done < len && prod - cons < sizeof(ring->out)) {
			ring->out[MASK_XENCONS_IDX(prod, ring->out)] = buf[done++];
			prod++;
		}
		__atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
		evtchn_send(port);
		if (done < len) {
			uint64_t now = monotonic_ns();

			if (!give_up)
				give_up = now + FULL_WAIT_NS;
			else if (now > give_up)
				break;
		}
	}
	dropped += len - done;
}

/* Input: bytes between in_cons and the backend's in_prod (bounded by the
 * ring's size, or the ring is treated as broken), then the backend is
 * told there is room again. */
static size_t ring_read(struct console *con, char *buf, size_t len)
{
	XENCONS_RING_IDX cons, prod;
	size_t n = 0;

	(void)con;
	if (in_broken)
		return 0;
	cons = ring->in_cons;
	prod = __atomic_load_n(&ring->in_prod, __ATOMIC_ACQUIRE);
	if (prod - cons > sizeof(ring->in)) {
		in_broken = true; /* input only: output goes on */
		return 0;
	}
	while (n < len && cons != prod)
		buf[n++] = ring->in[MASK_XENCONS_IDX(cons++, ring->in)];
	if (n) {
		__atomic_store_n(&ring->in_cons, cons, __ATOMIC_RELEASE);
		evtchn_send(port);
	}
	return n;
}

static struct console ring_console = { .name = "xen-console-ring",
				       .write = ring_write,
				       .read = ring_read };

void xen_console_ring_register(void *page, unsigned int evtchn)
{
	ring = page;
	port = evtchn;
	console_register(&ring_console);
}

unsigned long xen_console_ring_dropped(void)
{
	return dropped;
}
