/*
 * From the PVH entry (boot.S) to start_kernel: descriptor tables first so
 * any fault is reported, then the consoles, the FPU, and the validated
 * start info.
 */
#include <mica/bootinfo.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <arch/start_info.h>
#include <arch/x86.h>

bool uart16550_probe(void);
bool debugcon_probe(void);

/* The boot page tables map the first 4 GiB. */
#define BOOT_MAPPED_LIMIT (4ULL << 30)

static struct boot_info boot_info;

void arch_pvh_entry(uint32_t start_info_pa)
{
	char err[200];

	gdt_idt_init();
	uart16550_probe();
	debugcon_probe();
	fpu_init();

	boot_info.entry_tsc = boot_entry_tsc;
	boot_info.platform = "bare";
	if (pvh_parse_start_info(start_info_pa, BOOT_MAPPED_LIMIT, &boot_info,
				 err, sizeof(err)) < 0) {
		printk("mica: bad boot information: %s\n", err);
		mica_shutdown(MICA_EXIT_PANIC);
	}
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
	paging_init(bi);
}

void arch_time_init(void)
{
	lapic_init();
	tsc_init();
	rtc_init();
}

const char *arch_name(void)
{
	return "x86_64";
}
