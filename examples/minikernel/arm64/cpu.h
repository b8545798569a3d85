/* SPDX-License-Identifier: MIT */
/*
 * cpu.h - the raw AArch64 instructions, never through pv_ops (the x86
 * kernel's is ../cpu.h; shared code includes whichever comes first on
 * the include path, this one for the AArch64 build).
 *
 * The native backend is built from these, and the code that must not
 * depend on the ops it is about to rewrite (the poke, the console, the
 * self-test's view of the real hardware) uses them directly.
 */
#ifndef CPU_H
#define CPU_H

#include <stdint.h>

#define DAIF_I      (1ul << 7)      /* PSTATE.I: IRQs masked */
#define SCTLR_M     (1ul << 0)      /* stage 1 translation on */
#define SCTLR_C     (1ul << 2)      /* data caches on */
#define SCTLR_SA    (1ul << 3)      /* SP alignment checked */
#define SCTLR_I     (1ul << 12)     /* instruction cache on */
#define SCTLR_WXN   (1ul << 19)     /* writable means never executable */
#define PAR_F       (1ul << 0)      /* AT: the translation faulted */

#define read_sysreg(reg) ({                                             \
	uint64_t v_;                                                    \
	__asm__ volatile("mrs %0, " #reg : "=r"(v_) : : "memory");      \
	v_;                                                             \
})

/* Takes effect for the instructions after the isb. */
#define write_sysreg(v, reg) __asm__ volatile("msr " #reg ", %0\n\tisb" \
					      : : "r"((uint64_t)(v)) : "memory")

/*
 * save_fl's format, as shared code reads it: DAIF, with FLAGS_IRQ_MASK
 * the bit that says whether interrupts are on (here: on when clear).
 * pv.c reports its virtual flag in the same format.
 */
#define FLAGS_IRQ_MASK DAIF_I
#define FLAGS_IRQS_ON  0ul
#define FLAGS_IRQS_OFF DAIF_I
#define flags_irqs_on(flags) (((flags) & DAIF_I) == 0)

static inline unsigned long raw_save_fl(void)
{
	return read_sysreg(daif);
}

static inline unsigned long raw_read_sctlr(void)
{
	return read_sysreg(sctlr_el1);
}

static inline void raw_write_sctlr(unsigned long v)
{
	write_sysreg(v, sctlr_el1);
}

static inline unsigned long raw_read_ttbr0(void)
{
	return read_sysreg(ttbr0_el1);
}

static inline void raw_write_ttbr0(unsigned long v)
{
	write_sysreg(v, ttbr0_el1);
}

static inline uint64_t raw_read_midr(void)
{
	return read_sysreg(midr_el1);
}

/* Asks the MMU whether an EL1 write to addr would fault (AT S1E1W, PAR_EL1.F). */
static inline int raw_write_faults(const void *addr)
{
	uint64_t par;

	__asm__ volatile("at s1e1w, %1\n\tisb\n\tmrs %0, par_el1"
			 : "=r"(par) : "r"(addr) : "memory");
	return (par & PAR_F) != 0;
}

/*
 * The PMU cycle counter, which boot.S starts: what timing.c and the apply
 * pass read.  The isb keeps it from being read early.
 */
static inline uint64_t read_cycles(void)
{
	__asm__ volatile("isb" : : : "memory");
	return read_sysreg(pmccntr_el0);
}

/* A context synchronization event: the CPU refetches instructions after it. */
static inline void sync_core(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf\n\twfi");
}

#endif
