/*
 * virtio 1.x devices (modern only). A transport (PCI, MMIO) finds a
 * device, fills in a struct virtio_dev and calls virtio_probe(); drivers
 * negotiate features, set up their queues through the transport, and do
 * all DMA through the device's dma_ctx (identity or Xen grants).
 */
#ifndef MICA_VIRTIO_H
#define MICA_VIRTIO_H

#include <mica/dma.h>
#include <mica/irq.h>
#include <mica/virtq.h>

#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4

#define VIRTIO_F_RING_INDIRECT_DESC 28
#define VIRTIO_F_RING_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

struct virtio_dev;

struct virtio_transport {
	const char *name;
	uint64_t (*get_features)(struct virtio_dev *d);
	void (*set_features)(struct virtio_dev *d, uint64_t f);
	uint8_t (*get_status)(struct virtio_dev *d);
	void (*set_status)(struct virtio_dev *d, uint8_t s);
	/* Largest size of queue @index, 0 if there is no such queue. */
	uint16_t (*queue_max)(struct virtio_dev *d, uint16_t index);
	int (*queue_enable)(struct virtio_dev *d, struct virtq *q,
			    dma_addr_t desc, dma_addr_t avail, dma_addr_t used);
	void (*notify)(struct virtq *q);
	void (*read_config)(struct virtio_dev *d, size_t off, void *buf,
			    size_t len);
	/* One interrupt for every queue; -1: none, the driver polls. */
	int (*setup_irq)(struct virtio_dev *d, irq_handler_t fn, void *arg);
	/* After the queues are enabled: did every queue take the vector? */
	bool (*irq_ok)(struct virtio_dev *d);
	/* For the boot log: "MSI-X", "INTx", ... */
	const char *(*irq_name)(struct virtio_dev *d);
};

struct virtio_dev {
	const struct virtio_transport *t;
	void *tp;		/* the transport's own data */
	uint16_t id;
	uint64_t features;	/* negotiated */
	struct dma_ctx dma;
	char name[32];
};

/* Reset, acknowledge, and agree on features: @wanted ∩ offered, plus
 * VERSION_1 (and ACCESS_PLATFORM for grant DMA), which the device must
 * offer or it is refused with a message. Returns 0 or -1. */
int virtio_negotiate(struct virtio_dev *d, uint64_t wanted);
/* Allocate, map and enable queue @index with up to @want entries. */
int virtio_setup_queue(struct virtio_dev *d, struct virtq *q, uint16_t index,
		       uint16_t want);
void virtio_driver_ok(struct virtio_dev *d);
void virtio_fail(struct virtio_dev *d, const char *why);
/* Choose the DMA backend (and say why), then hand @d to its driver. */
void virtio_probe(struct virtio_dev *d);

/* Transports. */
/* A virtio-mmio slot; @irq: its wired interrupt (0: none, polled);
 * @grant_domid >= 0: DMA through grants to that backend domain;
 * @expected: the configuration promises a device there (command line,
 * a Xen guest's device tree), so an empty slot is waited for. */
struct virtio_mmio_slot {
	paddr_t base;
	size_t size;
	unsigned int irq;
	int grant_domid;
	bool expected;
};
void virtio_mmio_probe(const struct virtio_mmio_slot *slot);
int virtio_mmio_cmdline_add(const char *spec, char *err, size_t errlen);
void virtio_mmio_probe_cmdline(void);

/* Drivers. */
int virtio_net_probe(struct virtio_dev *d);
int virtio_rng_probe(struct virtio_dev *d);
int virtio_blk_probe(struct virtio_dev *d);
int virtio_console_probe(struct virtio_dev *d);

#endif
