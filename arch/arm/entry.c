/*
 * From head.S to start_kernel: read the device tree the loader passed in
 * x0 (memory, command line, devices, Xen), bring up the console, reserve
 * the image and the blob, and join the common boot path.
 */
#include <mica/bootinfo.h>
#include <mica/console.h>
#include <mica/devtree.h>
#include <mica/fdt.h>
#include <mica/mm.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/shutdown.h>
#include <arch/arm64.h>

void xen_console_io_register(void);

/* The boot map (head.S) covers 0-4 GiB; the blob must lie in its RAM part. */
#define BOOT_MAP_RAM_START (1ULL << 30)
#define BOOT_MAP_END (4ULL << 30)

static struct boot_info boot_info;
static unsigned int boot_el;
static paddr_t boot_dtb;
struct dt_machine dt_machine;

/* No console yet: say it through semihosting (QEMU), the only channel
 * left, and stop. */
static void __noreturn early_fail(const char *what, const char *err)
{
	char msg[400];

	mica_snprintf(msg, sizeof(msg), "mica: %s: %s\n", what, err);
	printk("%s", msg);
	semihosting_write(msg);
	mica_shutdown(MICA_EXIT_PANIC);
}

void arch_arm_entry(paddr_t dtb, uint64_t entry_count, unsigned int entry_el)
{
	struct fdt fdt;
	char err[300];
	size_t avail = 0;

	timer_early(entry_count);
	boot_el = entry_el;
	boot_dtb = dtb;
	if (dtb >= BOOT_MAP_RAM_START && dtb < BOOT_MAP_END)
		avail = (size_t)MIN(BOOT_MAP_END - dtb, (uint64_t)FDT_MAX_SIZE);
	if (!avail) {
		mica_snprintf(err, sizeof(err),
			      "x0 = %#llx is not in RAM between 1 and 4 GiB",
			      (unsigned long long)dtb);
		early_fail("no device tree", err);
	}
	if (fdt_open(&fdt, phys_to_virt(dtb), avail, err, sizeof(err)) < 0 ||
	    dt_read_machine(&fdt, dtb, &boot_info, &dt_machine, err,
			    sizeof(err)) < 0)
		early_fail("bad device tree", err);

	boot_info.protocol = "arm64 Image";
	boot_info.entry_tsc = entry_count;
	if (dt_machine.xen) {
		boot_info.platform = "Xen";
		platform = &xen_arm_platform;
		xen_arm_early();
	} else {
		boot_info.platform = "bare";
	}
	/* Under Xen the vpl011 is the console (CONSOLEIO_write output
	 * shows only with guest_loglvl=all); Xen makes lines of it itself,
	 * so no "\r" there. */
	if (!pl011_init(&dt_machine, !dt_machine.xen) && dt_machine.xen)
		xen_console_io_register();

	memmap_reserve(&boot_info.memmap, (uintptr_t)_text,
		       (uintptr_t)_end - (uintptr_t)_text);
	start_kernel(&boot_info);
}

void arch_mm_init(struct boot_info *bi)
{
	pr_debug("boot: entered at EL%u%s, DTB at %#llx\n", boot_el,
		 boot_el == 2 ? " (dropped to EL1)" : "",
		 (unsigned long long)boot_dtb);
	paging_init(bi);
}

const char *arch_name(void)
{
	return "arm64";
}
