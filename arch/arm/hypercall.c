/*
 * Xen hypercalls on arm64 (Xen's public arch-arm.h): HVC with the
 * immediate 0xEA1, the number in x16, arguments in x0-x4, the result in
 * x0. Every argument register and x16 is declared clobbered: debug
 * builds of Xen scribble on them on return.
 */
#include <mica/xen/hcall.h>

long arch_hypercall(unsigned int op, unsigned long a1, unsigned long a2,
		    unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long x0 __asm__("x0") = a1;
	register unsigned long x1 __asm__("x1") = a2;
	register unsigned long x2 __asm__("x2") = a3;
	register unsigned long x3 __asm__("x3") = a4;
	register unsigned long x4 __asm__("x4") = a5;
	register unsigned long x16 __asm__("x16") = op;

	__asm__ volatile("hvc #0xea1"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x16)
			 :
			 : "memory");
	return (long)x0;
}
