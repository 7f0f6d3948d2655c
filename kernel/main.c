/*
 * start_kernel: the one path every architecture and boot protocol joins.
 * Options, memory, clocks, threads, the C library, then the app's main.
 */
#include <mica/arch.h>
#include <mica/bootinfo.h>
#include <mica/console.h>
#include <mica/heap.h>
#include <mica/mm.h>
#ifdef CONFIG_NET
#include <mica/net.h>
#endif
#include <mica/options.h>
#include <mica/panic.h>
#include <mica/printk.h>
#include <mica/sched.h>
#include <mica/shutdown.h>
#include <mica/time.h>

#ifndef MICA_VERSION
#define MICA_VERSION "dev"
#endif

void libc_init(void);
int libc_start_main(int argc, char **argv, size_t stack_size);
extern const char mica_app_name[];

static struct cmdline cmdline;

static void parse_options(struct boot_info *bi)
{
	char err[400];

	if (cmdline_parse(&cmdline, bi->cmdline, bi->cmdline_len, err,
			  sizeof(err)) < 0 ||
	    cmdline_apply(&cmdline, kernel_options, kernel_options_count, err,
			  sizeof(err)) < 0) {
		printk("mica: bad command line: %s\n", err);
		printk("mica: command line was: \"%s\"\n", bi->cmdline);
		printk("mica: options:\n");
		for (size_t i = 0; i < kernel_options_count; i++)
			printk("  %-10s %s\n", kernel_options[i].key,
			       kernel_options[i].help);
		mica_shutdown(MICA_EXIT_PANIC);
	}
}

static void print_memmap(const struct memmap *map)
{
	for (unsigned int i = 0; i < map->count; i++)
		pr_debug("  [%#012llx-%#012llx) %s\n",
			 (unsigned long long)map->r[i].base,
			 (unsigned long long)(map->r[i].base + map->r[i].size),
			 memmap_type_name(map->r[i].type));
}

static void memory_init(struct boot_info *bi)
{
	print_memmap(&bi->memmap);
	if (frame_init(&bi->memmap) < 0)
		panic("out of memory: no RAM range can hold the page "
		      "allocator's bitmap (RAM: %llu KiB); give the guest more "
		      "memory",
		      (unsigned long long)(memmap_ram_bytes(&bi->memmap) >> 10));
	arch_mm_init(bi);
	pr_info("memory: %zu KiB usable, %zu KiB free\n",
		frame_total_count() * (PAGE_SIZE / 1024),
		frame_free_count() * (PAGE_SIZE / 1024));
}

void start_kernel(struct boot_info *bi)
{
	char cons[64];
	int rc;

	parse_options(bi);
	console_describe(cons, sizeof(cons));
	pr_info("Mica %s (%s, %s %s), app '%s', console %s\n", MICA_VERSION,
		arch_name(), bi->platform, bi->protocol, mica_app_name, cons);
	memory_init(bi);
	arch_time_init();
	sched_init();
	libc_init();
	arch_late_init();
	arch_probe_devices();
	console_choose();
#ifdef CONFIG_NET
	/* The app links the network stack: start it now that the drivers
	 * have registered their devices, and wait for addresses. */
	net_init();
#endif

	pr_info("boot: %llu us from entry to app start\n",
		(unsigned long long)(monotonic_ns() / 1000));
	rc = libc_start_main(cmdline.argc, cmdline.argv,
			     (size_t)kernel_config.main_stack_kib * 1024);
	if (rc < 0)
		panic("out of memory: cannot start the app's main thread "
		      "(%u KiB stack; %zu KiB free of %zu KiB); give the guest "
		      "more memory or lower mainstack=",
		      kernel_config.main_stack_kib,
		      frame_free_count() * (PAGE_SIZE / 1024),
		      frame_total_count() * (PAGE_SIZE / 1024));
	/* The boot thread has nothing more to do; the app exits the machine. */
	for (;;)
		thread_block();
}
