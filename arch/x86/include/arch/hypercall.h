#ifndef ARCH_X86_HYPERCALL_H
#define ARCH_X86_HYPERCALL_H

#include <mica/types.h>

enum hcall_insn { HCALL_VMCALL, HCALL_VMMCALL, HCALL_SYSCALL, HCALL_PAGE };

/* Pure selection, unit-tested with faked vendor strings. */
enum hcall_insn hcall_insn_for(const char *vendor, bool pv);
const char *hcall_insn_name(enum hcall_insn i);
void hcall_set_insn(enum hcall_insn i);

#endif
