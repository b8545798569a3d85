// SPDX-License-Identifier: MIT
/*
 * traps.c - report any exception on the console and fail the boot.
 *
 * A patching bug shows up as an undefined instruction, a permission
 * fault or a branch into the weeds at a rewritten site.  Without a vector
 * table the CPU would loop through address 0 forever, and a test would
 * see a timeout; here it prints where it happened and exits with the
 * failure status.  Device interrupts stay out without any masking here:
 * nothing programs the GIC, whose distributor is off after reset, so the
 * native irq self-test can really unmask PSTATE.I.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"

extern const char vectors[];

void trap_report(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far, uint64_t spsr)
	__attribute__((noreturn));

static const char *const kinds[4] = { "sync", "irq", "fiq", "serror" };
static const char *const sources[4] = { "EL1t", "EL1h", "EL0 (AArch64)", "EL0 (AArch32)" };

void trap_report(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far, uint64_t spsr)
{
	kprintf("trap: vector %lu %s from %s esr %#lx (EC %#lx) elr %#lx far %#lx spsr %#lx\n",
		(unsigned long)vector, kinds[vector & 3], sources[vector >> 2 & 3],
		(unsigned long)esr, (unsigned long)(esr >> 26 & 0x3f), (unsigned long)elr,
		(unsigned long)far, (unsigned long)spsr);
	qemu_exit(0);
}

void traps_init(void)
{
	write_sysreg((uintptr_t)vectors, vbar_el1);
}
