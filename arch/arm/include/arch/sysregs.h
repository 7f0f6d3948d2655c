/*
 * AArch64 system register values Mica uses (Arm ARM, DDI 0487: D13 for
 * the registers, D8 for the VMSAv8-64 translation table format). Usable
 * from assembly and C.
 */
#ifndef ARCH_ARM_SYSREGS_H
#define ARCH_ARM_SYSREGS_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* SCTLR_EL1: bits that are RES1 in Armv8.0, then the ones we set. */
#define SCTLR_RES1 UL(0x30d00800)
#define SCTLR_M (UL(1) << 0)		/* stage 1 translation */
#define SCTLR_C (UL(1) << 2)		/* data caches */
#define SCTLR_SA (UL(1) << 3)		/* SP alignment check at EL1 */
#define SCTLR_SA0 (UL(1) << 4)
#define SCTLR_I (UL(1) << 12)		/* instruction cache */
#define SCTLR_NTWI (UL(1) << 16)
#define SCTLR_NTWE (UL(1) << 18)
#define SCTLR_WXN (UL(1) << 19)		/* writable implies XN */
#define SCTLR_MMU_OFF SCTLR_RES1
#define SCTLR_MMU_ON                                                           \
	(SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I |     \
	 SCTLR_NTWI | SCTLR_NTWE)

/* MAIR_EL1 attribute indexes. */
#define MT_DEVICE_nGnRnE 0
#define MT_DEVICE_nGnRE 1
#define MT_NORMAL 2
#define MT_NORMAL_NC 3
#define MAIR_VALUE                                                             \
	((UL(0x00) << (8 * MT_DEVICE_nGnRnE)) |                                \
	 (UL(0x04) << (8 * MT_DEVICE_nGnRE)) |                                 \
	 (UL(0xff) << (8 * MT_NORMAL)) | (UL(0x44) << (8 * MT_NORMAL_NC)))

/*
 * TCR_EL1: TTBR0 only (EPD1), 48-bit virtual addresses (T0SZ 16, four
 * levels of 4 KiB tables), table walks write-back cacheable and inner
 * shareable. IPS (physical size) is filled in from ID_AA64MMFR0_EL1.
 */
#define TCR_T0SZ_48 UL(16)
#define TCR_IRGN0_WBWA (UL(1) << 8)
#define TCR_ORGN0_WBWA (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_TG0_4K (UL(0) << 14)
#define TCR_EPD1 (UL(1) << 23)
#define TCR_IPS_SHIFT 32
#define TCR_VALUE                                                              \
	(TCR_T0SZ_48 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |       \
	 TCR_TG0_4K | TCR_EPD1)

/* Translation table descriptors (4 KiB granule). */
#define PTE_VALID (UL(1) << 0)
#define PTE_TABLE (UL(3) << 0)		/* levels 0-2: next-level table */
#define PTE_PAGE (UL(3) << 0)		/* level 3: 4 KiB page */
#define PTE_BLOCK (UL(1) << 0)		/* levels 1-2: 1 GiB/2 MiB */
#define PTE_ATTR(idx) (UL(idx) << 2)
#define PTE_RDONLY (UL(1) << 7)		/* AP[2] */
#define PTE_SH_INNER (UL(3) << 8)
#define PTE_AF (UL(1) << 10)		/* access flag: no fault */
#define PTE_NG (UL(1) << 11)		/* not global: tagged with the ASID */
#define PTE_PXN (UL(1) << 53)
#define PTE_UXN (UL(1) << 54)
#define PTE_XN (PTE_PXN | PTE_UXN)
#define PTE_ADDR_MASK UL(0x0000fffffffff000)

#define PTE_NORMAL (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG)
#define PTE_DEVICE (PTE_ATTR(MT_DEVICE_nGnRE) | PTE_AF | PTE_NG | PTE_XN)

/* CPACR_EL1.FPEN: FP/SIMD instructions do not trap at EL1 or EL0. */
#define CPACR_FPEN (UL(3) << 20)

/* SPSR value for an exception return to EL1h with D, A, I, F masked. */
#define SPSR_EL1H_MASKED UL(0x3c5)

/* HCR_EL2.RW: EL1 runs AArch64 (used only to leave EL2 at boot). */
#define HCR_RW (UL(1) << 31)

/* GICv3 CPU interface registers, by encoding (older assemblers lack the
 * names). */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2 S3_4_C12_C9_5

/* The boot stacks (head.S), each with an unmapped guard page below. */
#define BOOT_STACK_SIZE (32 * 1024)
#define EXC_STACK_SIZE (16 * 1024)

#endif
