/*
 * Issuing hypercalls without a hypercall page: the instruction is chosen
 * once at boot. HVM/PVH guests use VMCALL on Intel and VMMCALL on AMD
 * (and Hygon); a 64-bit PV guest uses SYSCALL. Number in RAX, arguments
 * in RDI, RSI, RDX, R10, R8; result in RAX. Every argument register is
 * declared clobbered: debug builds of Xen scribble on them on return.
 */
#include <string.h>
#include <mica/xen/hcall.h>
#include <arch/hypercall.h>

static enum hcall_insn insn = HCALL_VMCALL;
extern char hypercall_page[];

enum hcall_insn hcall_insn_for(const char *vendor, bool pv)
{
	if (pv)
		return HCALL_SYSCALL;
	if (strcmp(vendor, "AuthenticAMD") == 0 ||
	    strcmp(vendor, "HygonGenuine") == 0)
		return HCALL_VMMCALL;
	return HCALL_VMCALL;
}

const char *hcall_insn_name(enum hcall_insn i)
{
	return i == HCALL_VMMCALL   ? "vmmcall"
	       : i == HCALL_SYSCALL ? "syscall"
	       : i == HCALL_PAGE    ? "the hypercall page"
				    : "vmcall";
}

void hcall_set_insn(enum hcall_insn i)
{
	insn = i;
}

#define HCALL(instr)                                                           \
	__asm__ volatile(instr                                                 \
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3),            \
			   "+r"(r10), "+r"(r8)                                 \
			 : "a"((unsigned long)op)                              \
			 : "memory", "rcx", "r11")

long arch_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;

	switch (insn) {
	case HCALL_PAGE: {
		/* Each 32-byte stub loads the number itself, traps, returns. */
		unsigned long target = (uintptr_t)hypercall_page + op * 32;

		__asm__ volatile("call *%%rax"
				 : "+a"(target), "+D"(a1), "+S"(a2), "+d"(a3),
				   "+r"(r10), "+r"(r8)
				 :
				 : "memory", "rcx", "r11");
		ret = (long)target;
		break;
	}
	case HCALL_VMMCALL:
		HCALL("vmmcall");
		break;
	case HCALL_SYSCALL:
		HCALL("syscall");
		break;
	default:
		HCALL("vmcall");
		break;
	}
	return ret;
}
