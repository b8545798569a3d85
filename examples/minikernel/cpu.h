/* SPDX-License-Identifier: MIT */
/*
 * cpu.h - the raw instructions, never through pv_ops.
 *
 * The native backend is built from these, and the code that must not
 * depend on the ops it is about to rewrite (the poke, the console, the
 * self-test's view of the real hardware) uses them directly.  Shared
 * code includes it as <cpu.h>, through the include path, so that the
 * AArch64 build finds arm64/cpu.h instead.
 */
#ifndef CPU_H
#define CPU_H

#include <stdint.h>

#define X86_EFLAGS_IF 0x200ul
#define X86_CR0_WP    0x10000ul
#define MSR_IA32_APIC_BASE 0x1bu

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline unsigned long raw_save_fl(void)
{
	unsigned long f;

	__asm__ volatile("pushf; pop %0" : "=r"(f) : : "memory");
	return f;
}

static inline unsigned long raw_read_cr0(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void raw_write_cr0(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline unsigned long raw_read_cr3(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void raw_write_cr3(unsigned long v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline unsigned long raw_read_cr2(void)
{
	unsigned long v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t raw_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/*
 * save_fl's format, as shared code reads it: FLAGS_IRQ_MASK is the bit
 * that says whether interrupts are on (here: on when set).  pv.c reports
 * its virtual flag in the same format.
 */
#define FLAGS_IRQ_MASK X86_EFLAGS_IF
#define FLAGS_IRQS_ON  X86_EFLAGS_IF
#define FLAGS_IRQS_OFF 0ul

#define flags_irqs_on(flags) (((flags) & X86_EFLAGS_IF) != 0)

/* The cycle counter timing.c and the apply pass read. */
static inline uint64_t read_cycles(void)
{
	return rdtsc();
}

/* CPUID serialises: the CPU refetches instructions after it. */
static inline void sync_core(void)
{
	uint32_t a = 0, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
