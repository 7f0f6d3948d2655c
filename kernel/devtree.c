/*
 * Reading the machine from a device tree: memory nodes, /memreserve/
 * entries, /reserved-memory, /chosen (bootargs, initrd, stdout-path), and
 * the devices Mica drives (UART, GIC, generic timer, PL031 RTC, PSCI,
 * Xen's /hypervisor node). Bindings: Linux's Documentation/devicetree.
 *
 * Only addresses that reach the CPU unchanged are used: a device counts
 * if every bus between it and the root maps 1:1 (an empty "ranges").
 */
#include <stdarg.h>
#include <string.h>
#include <mica/devtree.h>
#include <mica/printk.h>

#define MAX_UARTS 4

struct uart_candidate {
	int node;
	struct dt_region reg;
	bool sbsa;
};

struct walk {
	const struct fdt *f;
	struct boot_info *bi;
	struct dt_machine *m;
	char *err;
	size_t errlen;
	int gic_node, timer_node, xen_node;
	int virtio_node[DT_VIRTIO_MAX];
	struct uart_candidate uarts[MAX_UARTS];
	unsigned int nuarts;
};

static int __printf(2, 3) fail(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mica_vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint32_t cells(const struct fdt *f, int node, const char *prop,
		      uint32_t dflt)
{
	uint32_t v;

	return fdt_prop_u32(f, node, prop, &v) ? v : dflt;
}

static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? fdt_be64(p) : n == 1 ? fdt_be32(p) : 0;
}

/*
 * Entry @idx of @node's "reg", laid out by the parent's #address-cells
 * and #size-cells. Returns 1 when found, 0 when the node has fewer
 * entries, -1 (with @err) when the entry is malformed or wraps.
 */
static int reg_entry(struct walk *w, int node, int parent, unsigned int idx,
		     struct dt_region *out)
{
	uint32_t ac = cells(w->f, parent, "#address-cells", 2);
	uint32_t sc = cells(w->f, parent, "#size-cells", 1);
	uint32_t len, each;
	const uint8_t *p = fdt_prop(w->f, node, "reg", &len);

	if (!p)
		return 0;
	if (ac < 1 || ac > 2 || sc > 2)
		return fail(w, "device tree: node '%s': #address-cells or "
			    "#size-cells of its parent is not 1 or 2",
			    fdt_name(w->f, node));
	each = 4 * (ac + sc);
	if (len % each)
		return fail(w, "device tree: node '%s': reg is not a whole "
			    "number of (address, size) entries",
			    fdt_name(w->f, node));
	if ((uint64_t)(idx + 1) * each > len)
		return 0;
	out->base = read_cells(p + idx * each, ac);
	out->size = read_cells(p + idx * each + 4 * ac, sc);
	if (out->base + out->size < out->base ||
	    out->base + out->size > DT_PHYS_LIMIT)
		return fail(w, "device tree: node '%s': reg runs past the "
			    "48-bit physical address space",
			    fdt_name(w->f, node));
	return 1;
}

static int add_regs(struct walk *w, int node, int parent, uint32_t type)
{
	struct dt_region r;
	int rc;

	for (unsigned int i = 0; (rc = reg_entry(w, node, parent, i, &r)) > 0;
	     i++) {
		if (r.size && memmap_add(&w->bi->memmap, r.base, r.size,
					 type) < 0)
			return fail(w, "device tree: too many memory ranges "
				    "(at node '%s')",
				    fdt_name(w->f, node));
	}
	return rc;
}

static void add_uart(struct walk *w, int node, const struct dt_region *r,
		     bool sbsa)
{
	if (w->nuarts < MAX_UARTS)
		w->uarts[w->nuarts++] =
			(struct uart_candidate){ node, *r, sbsa };
}

/* One node whose parent maps 1:1 to the CPU. */
/* The node whose `phandle` is @ph, or -1. */
static int node_by_phandle(const struct fdt *f, uint32_t ph)
{
	int depth = 0;

	for (int n = fdt_next_node(f, -1, &depth); n >= 0;
	     n = fdt_next_node(f, n, &depth)) {
		uint32_t v;

		if (fdt_prop_u32(f, n, "phandle", &v) && v == ph)
			return n;
	}
	return -1;
}

/*
 * A virtio,mmio slot, and whether its DMA goes through Xen grants: the
 * Linux binding is `iommus = <&grant_dma_node DOMID>` with the node
 * compatible "xen,grant-dma" and #iommu-cells = <1>.
 */
static int add_virtio(struct walk *w, int node, int parent)
{
	struct dt_machine *m = w->m;
	const uint8_t *io;
	uint32_t len;
	unsigned int i = m->n_virtio;

	if (i >= DT_VIRTIO_MAX)
		return 0;
	if (reg_entry(w, node, parent, 0, &m->virtio[i].reg) < 1)
		return 0;
	m->virtio[i].grant_domid = -1;
	io = fdt_prop(w->f, node, "iommus", &len);
	if (io && len == 8) {
		int gd = node_by_phandle(w->f, fdt_be32(io));

		if (gd >= 0 && fdt_compatible(w->f, gd, "xen,grant-dma"))
			m->virtio[i].grant_domid = (int)(fdt_be32(io + 4) & 0x7fff);
	}
	w->virtio_node[i] = node;
	m->n_virtio++;
	return 0;
}

static int visit(struct walk *w, int node, int parent, int depth)
{
	const struct fdt *f = w->f;
	const char *type = fdt_prop_str(f, node, "device_type");
	struct dt_region r = { 0, 0 };
	bool v2;

	if (type && strcmp(type, "memory") == 0 && fdt_enabled(f, node))
		return add_regs(w, node, parent, MEM_RAM);
	if (depth == 2 && strcmp(fdt_name(f, parent), "reserved-memory") == 0)
		return add_regs(w, node, parent, MEM_RESERVED);
	if (!fdt_enabled(f, node))
		return 0;
	if (fdt_compatible(f, node, "arm,pl011") ||
	    fdt_compatible(f, node, "arm,sbsa-uart")) {
		if (reg_entry(w, node, parent, 0, &r) < 0)
			return -1;
		if (r.size)
			add_uart(w, node, &r,
				 !fdt_compatible(f, node, "arm,pl011"));
		return 0;
	}
	v2 = fdt_compatible(f, node, "arm,cortex-a15-gic") ||
	     fdt_compatible(f, node, "arm,gic-400") ||
	     fdt_compatible(f, node, "arm,cortex-a9-gic") ||
	     fdt_compatible(f, node, "arm,cortex-a7-gic");
	if ((v2 || fdt_compatible(f, node, "arm,gic-v3")) &&
	    !w->m->gic_version) {
		struct dt_region *second = v2 ? &w->m->gic_cpu
					      : &w->m->gic_redist;

		if (reg_entry(w, node, parent, 0, &w->m->gic_dist) < 1 ||
		    reg_entry(w, node, parent, 1, second) < 1)
			return fail(w, "device tree: interrupt controller '%s' "
				    "lacks its two register regions",
				    fdt_name(f, node));
		w->m->gic_version = v2 ? 2 : 3;
		w->gic_node = node;
		return 0;
	}
	if (fdt_compatible(f, node, "arm,armv8-timer") ||
	    fdt_compatible(f, node, "arm,armv7-timer")) {
		w->timer_node = node;
		return 0;
	}
	if (fdt_compatible(f, node, "virtio,mmio"))
		return add_virtio(w, node, parent);
	if (fdt_compatible(f, node, "arm,pl031") && !w->m->rtc.size)
		return reg_entry(w, node, parent, 0, &w->m->rtc) < 0 ? -1 : 0;
	if (depth == 1 && fdt_compatible(f, node, "xen,xen")) {
		w->xen_node = node;
		w->m->xen = true;
		if (reg_entry(w, node, parent, 0, &w->m->xen_gnttab) < 0)
			return -1;
		return 0;
	}
	if (fdt_compatible(f, node, "arm,psci-1.0") ||
	    fdt_compatible(f, node, "arm,psci-0.2")) {
		const char *method = fdt_prop_str(f, node, "method");

		if (method && strcmp(method, "hvc") == 0)
			w->m->psci = DT_PSCI_HVC;
		else if (method && strcmp(method, "smc") == 0)
			w->m->psci = DT_PSCI_SMC;
	}
	return 0;
}

/* Interrupt @idx of @node as a GIC interrupt ID; 0 when absent. */
static int irq_of(struct walk *w, int node, unsigned int idx,
		  unsigned int *intid)
{
	uint32_t n = cells(w->f, w->gic_node, "#interrupt-cells", 3), len;
	const uint8_t *p = fdt_prop(w->f, node, "interrupts", &len);
	uint32_t type, num;

	*intid = 0;
	if (!p)
		return 0;
	if (n != 3 && n != 4)
		return fail(w, "device tree: interrupt controller has "
			    "#interrupt-cells not 3 (needed by '%s')",
			    fdt_name(w->f, node));
	if ((uint64_t)(idx + 1) * n * 4 > len)
		return 0;
	type = fdt_be32(p + idx * n * 4);
	num = fdt_be32(p + idx * n * 4 + 4);
	if (type == 1 && num < 16)
		*intid = 16 + num;	/* PPI */
	else if (type == 0 && num < 988)
		*intid = 32 + num;	/* SPI */
	else
		return fail(w, "device tree: node '%s' names an interrupt "
			    "that is neither a PPI nor an SPI",
			    fdt_name(w->f, node));
	return 0;
}

static int read_chosen(struct walk *w)
{
	int chosen = fdt_path(w->f, "/chosen");
	uint32_t len, n;
	const char *args = fdt_prop(w->f, chosen, "bootargs", &len);
	const char *nul;

	w->bi->cmdline[0] = '\0';
	w->bi->cmdline_len = 0;
	if (!args || len == 0)
		return 0;
	nul = memchr(args, '\0', len);
	if (!nul)
		return fail(w, "device tree: /chosen bootargs is not "
			    "NUL-terminated");
	n = (uint32_t)(nul - args);
	if (n > CMDLINE_MAX)
		return fail(w, "device tree: /chosen bootargs is %u bytes "
			    "(max %d)",
			    n, CMDLINE_MAX);
	memcpy(w->bi->cmdline, args, n + 1);
	w->bi->cmdline_len = n;
	return 0;
}

/* linux,initrd-start/-end (one or two cells each): kept as module 0. */
static void read_initrd(struct walk *w)
{
	int chosen = fdt_path(w->f, "/chosen");
	uint32_t ls, le;
	const uint8_t *s = fdt_prop(w->f, chosen, "linux,initrd-start", &ls);
	const uint8_t *e = fdt_prop(w->f, chosen, "linux,initrd-end", &le);
	uint64_t start, end;

	if (!s || !e || (ls != 4 && ls != 8) || (le != 4 && le != 8))
		return;
	start = read_cells(s, ls / 4);
	end = read_cells(e, le / 4);
	if (end <= start || end > DT_PHYS_LIMIT)
		return;
	w->bi->modules[0].base = start;
	w->bi->modules[0].size = end - start;
	w->bi->nr_modules = 1;
}

/* The UART /chosen stdout-path names ("/path" or an alias, ":opts"
 * after), else the first one found. */
static void pick_uart(struct walk *w)
{
	int chosen = fdt_path(w->f, "/chosen"), node = -1;
	const char *sp = fdt_prop_str(w->f, chosen, "stdout-path");
	char path[128];
	size_t n;

	if (!w->nuarts)
		return;
	if (sp) {
		n = strcspn(sp, ":");
		if (n < sizeof(path)) {
			memcpy(path, sp, n);
			path[n] = '\0';
			if (path[0] != '/') {
				sp = fdt_prop_str(w->f,
						  fdt_path(w->f, "/aliases"),
						  path);
				n = sp ? strlen(sp) : sizeof(path);
				if (n < sizeof(path))
					memcpy(path, sp, n + 1);
			}
			if (n < sizeof(path))
				node = fdt_path(w->f, path);
		}
	}
	w->m->uart = w->uarts[0].reg;
	w->m->uart_sbsa = w->uarts[0].sbsa;
	for (unsigned int i = 0; i < w->nuarts; i++) {
		if (w->uarts[i].node == node) {
			w->m->uart = w->uarts[i].reg;
			w->m->uart_sbsa = w->uarts[i].sbsa;
		}
	}
}

static int walk_tree(struct walk *w)
{
	int parents[FDT_MAX_DEPTH + 1];
	bool ident[FDT_MAX_DEPTH + 1];
	int depth = 0;

	for (int node = w->f->root; node >= 0;
	     node = fdt_next_node(w->f, node, &depth)) {
		uint32_t len;

		if (depth < 0 || depth > FDT_MAX_DEPTH)
			break; /* cannot happen in a checked tree */
		parents[depth] = node;
		/* Children of this node reach the CPU 1:1 if it is the root,
		 * or if it does and its "ranges" is empty. */
		ident[depth] = depth == 0 ||
			       (ident[depth - 1] &&
				fdt_prop(w->f, node, "ranges", &len) &&
				len == 0);
		if (depth > 0 && ident[depth - 1] &&
		    visit(w, node, parents[depth - 1], depth) < 0)
			return -1;
	}
	return 0;
}

int dt_read_machine(const struct fdt *f, paddr_t blob_pa, struct boot_info *bi,
		    struct dt_machine *m, char *err, size_t errlen)
{
	struct walk w = { .f = f, .bi = bi, .m = m, .err = err,
			  .errlen = errlen, .gic_node = -1, .timer_node = -1,
			  .xen_node = -1 };
	uint64_t addr, size;

	memset(m, 0, sizeof(*m));
	memmap_init(&bi->memmap);
	bi->nr_modules = 0;
	if (walk_tree(&w) < 0)
		return -1;
	for (unsigned int i = 0; i < f->nr_rsv; i++) {
		fdt_rsv(f, i, &addr, &size);
		if (addr + size < addr || addr + size > DT_PHYS_LIMIT ||
		    memmap_add(&bi->memmap, addr, size, MEM_RESERVED) < 0)
			return fail(&w, "device tree: /memreserve/ entry %u "
				    "runs past the 48-bit physical address "
				    "space or is one too many",
				    i);
	}
	memmap_normalize(&bi->memmap);
	if (memmap_ram_bytes(&bi->memmap) == 0)
		return fail(&w, "device tree: no memory node with usable "
			    "RAM");
	if (read_chosen(&w) < 0)
		return -1;
	read_initrd(&w);
	/* The blob itself: Xen puts it near the top of a small guest's RAM,
	 * where the frame allocator would otherwise hand it out. */
	memmap_reserve(&bi->memmap, blob_pa, f->size);
	if (bi->nr_modules)
		memmap_reserve(&bi->memmap, bi->modules[0].base,
			       bi->modules[0].size);
	pick_uart(&w);
	if (irq_of(&w, w.timer_node, 2, &m->timer_irq) < 0 ||
	    irq_of(&w, w.xen_node, 0, &m->xen_irq) < 0)
		return -1;
	for (unsigned int i = 0; i < m->n_virtio; i++)
		if (irq_of(&w, w.virtio_node[i], 0, &m->virtio[i].irq) < 0)
			return -1;
	if (w.timer_node >= 0)
		fdt_prop_u32(f, w.timer_node, "clock-frequency",
			     &m->timer_freq);
	if (!m->timer_irq)
		m->timer_irq = 27; /* the architected virtual timer PPI */
	if (m->xen && !m->xen_irq)
		return fail(&w, "device tree: Xen's /hypervisor node has no "
			    "event channel interrupt");
	return 0;
}
