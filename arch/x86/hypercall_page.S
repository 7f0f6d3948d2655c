/*
 * Room for Xen's hypercall page, used only with `hypercall=page` (PVH).
 * It sits in the text segment so it is executable, but takes no room in
 * the image (the loader zero-fills it); Xen fills it through the MSR its
 * CPUID leaf names.
 */
	.section .xen_hypercall_page, "ax", @nobits
	.balign 16	/* the link script puts it on a page boundary */
	.global hypercall_page
hypercall_page:
	.skip 4096
	.section .note.GNU-stack, "", @progbits
