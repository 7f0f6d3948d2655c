/*
 * From the PVH entry (boot.S) to start_kernel: descriptor tables first so
 * any fault is reported, then the consoles, the FPU, and the validated
 * start info.
 */
#include <mica/bootinfo.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <arch/platform.h>
#include <arch/pv.h>
#include <arch/start_info.h>
#include <arch/x86.h>
#include <arch/xen.h>

bool uart16550_probe(void);
bool debugcon_probe(void);
void xen_pvh_memmap(struct boot_info *bi);

/* The boot page tables map the first 4 GiB. */
#define BOOT_MAPPED_LIMIT (4ULL << 30)

static struct boot_info boot_info;

/* The start info's flags (SIF_INITDOMAIN for a Xen dom0), read before
 * the full validation; a bad address reads as no flags. */
static uint32_t start_flags(uint32_t pa)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)pa;

	if (pa == 0 || pa % 4 || pa > BOOT_MAPPED_LIMIT - sizeof(*si) ||
	    si->magic != XEN_HVM_START_MAGIC_VALUE)
		return 0;
	return si->flags;
}

void arch_pvh_entry(uint32_t start_info_pa)
{
	char err[200];

	gdt_idt_init();
	boot_info.entry_tsc = boot_entry_tsc;
	if (xen_cpuid_base()) {
		boot_info.platform = "Xen";
		xen_pvh_early(&boot_info, start_flags(start_info_pa));
	} else {
		boot_info.platform = "bare";
		uart16550_probe();
		debugcon_probe();
	}
	fpu_init();

	if (pvh_parse_start_info(start_info_pa, BOOT_MAPPED_LIMIT, &boot_info,
				 err, sizeof(err)) < 0) {
		printk("mica: bad boot information: %s\n", err);
		mica_shutdown(MICA_EXIT_PANIC);
	}
	if (boot_info.memmap.count == 0 && platform == &xen_pvh_platform)
		xen_pvh_memmap(&boot_info);
	if (boot_info.memmap.count == 0) {
		printk("mica: no memory map (hvm_start_info version 0 or no "
		       "entries) and no other source on bare hardware\n");
		mica_shutdown(MICA_EXIT_PANIC);
	}
	/* The first MiB holds firmware data and the start info. */
	memmap_reserve(&boot_info.memmap, 0, 0x100000);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		memmap_reserve(&boot_info.memmap, boot_info.modules[i].base,
			       boot_info.modules[i].size);
	memmap_reserve(&boot_info.memmap, (uintptr_t)_text,
		       (uintptr_t)_end - (uintptr_t)_text);
	start_kernel(&boot_info);
}

void arch_mm_init(struct boot_info *bi)
{
	if (!x86_is_pv) /* PV: Xen's tables, extended in xen_pv_mm.c */
		paging_init(bi);
}

static void bare_time_init(void)
{
	lapic_init();
	tsc_init();
	rtc_init();
}

const struct x86_platform bare_platform = {
	.name = "bare",
	.time_init = bare_time_init,
	.monotonic_ns = tsc_monotonic_ns,
	.idle = lapic_idle,
	.shutdown = bare_shutdown,
};

const char *arch_name(void)
{
	return "x86_64";
}
