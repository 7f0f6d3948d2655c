/*
 * Stopping bare QEMU. Semihosting SYS_EXIT makes QEMU exit with our
 * status (-semihosting-config enable=on). Without semihosting the HLT
 * traps and comes back (see traps.c): then PSCI SYSTEM_OFF, which powers
 * off but cannot carry the status; then halt for good, saying so.
 */
#include <mica/printk.h>
#include <arch/arm64.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008U

void semihosting_write(const char *s)
{
	semihosting_call(SYS_WRITE0, s);
}

void halt_forever(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

/* PSCI 0.2+: function ID in x0, through the conduit the DT names. */
void psci_system_off(enum dt_psci method)
{
	register unsigned long x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (method == DT_PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3",
				 "memory");
	else if (method == DT_PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3",
				 "memory");
}

void bare_shutdown(int status)
{
	/* A64 SYS_EXIT takes a block: reason, then the exit code. */
	static uint64_t block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(status & 0xff);
	semihosting_call(SYS_EXIT, block);
	if (dt_machine.psci != DT_PSCI_NONE) {
		printk("mica: no semihosting; powering off with PSCI (the exit "
		       "status is not carried)\n");
		psci_system_off(dt_machine.psci);
	}
	printk("mica: no way to power off found; halted\n");
	halt_forever();
}
