/*
 * Probing a virtio device: choosing the DMA layer's backend for it, then
 * handing it to the driver for its device type. The handshake every
 * driver goes through is in handshake.c.
 */
#include <mica/printk.h>
#include <mica/virtio.h>

/* `virtio_dma=`: -1 not given, -2 identity, else grants to that domid. */
int virtio_dma_force_grant_domid = -1;

/*
 * The Linux rule for grant DMA: the option forces it (or identity); a
 * transport may have found a xen,grant-dma binding for the device (it
 * sets d->dma before probing); otherwise identity.
 */
static void choose_dma(struct virtio_dev *d)
{
	if (virtio_dma_force_grant_domid >= 0) {
		d->dma.ops = &dma_grant_ops;
		d->dma.backend_domid = (uint16_t)virtio_dma_force_grant_domid;
		d->dma.why = "forced by virtio_dma=grant";
	} else if (virtio_dma_force_grant_domid == -2) {
		d->dma.ops = &dma_identity_ops;
		d->dma.why = "forced by virtio_dma=identity";
	} else if (!d->dma.ops) {
		d->dma.ops = &dma_identity_ops;
		d->dma.why = "no grant-dma binding";
	}
}

void virtio_probe(struct virtio_dev *d)
{
	choose_dma(d);
	pr_info("virtio: %s (device %u) via %s, DMA %s (%s)\n", d->name, d->id,
		d->t->name, d->dma.ops->name, d->dma.why);
	switch (d->id) {
	case VIRTIO_ID_NET:
		virtio_net_probe(d);
		break;
	case VIRTIO_ID_BLOCK:
		virtio_blk_probe(d);
		break;
	case VIRTIO_ID_CONSOLE:
		virtio_console_probe(d);
		break;
	case VIRTIO_ID_RNG:
		virtio_rng_probe(d);
		break;
	default:
		pr_info("virtio: %s: no driver for device type %u\n", d->name,
			d->id);
	}
}
