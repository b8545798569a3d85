// SPDX-License-Identifier: MIT
/*
 * checks.c - the self-test's checks of the x86-only ops, and the order
 * every check runs in (selftest.h).
 *
 * Like selftest.c's, each check calls the ops through pv_ops, so through
 * patched sites, and compares with the raw instructions.
 */
#include "cpu.h"
#include "kernel.h"
#include "paravirt.h"
#include "selftest.h"

static const char *check_cr0(const struct pv_backend *b)
{
	unsigned long cr0 = raw_read_cr0(), cleared;

	(void)b;
	if (pv_ops.read_cr0() != cr0)
		return "read_cr0 differs from CR0";
	pv_ops.write_cr0(cr0 & ~X86_CR0_WP);
	cleared = raw_read_cr0();
	pv_ops.write_cr0(cr0);
	if (cleared != (cr0 & ~X86_CR0_WP))
		return "write_cr0 did not clear WP";
	if (raw_read_cr0() != cr0)
		return "write_cr0 did not restore CR0";
	return NULL;
}

static const char *check_cr3(const struct pv_backend *b)
{
	unsigned long cr3 = raw_read_cr3();

	(void)b;
	if (pv_ops.read_cr3() != cr3)
		return "read_cr3 differs from CR3";
	pv_ops.write_cr3(cr3);
	if (raw_read_cr3() != cr3)
		return "write_cr3 changed CR3";
	return NULL;
}

/* IA32_APIC_BASE: 0xfee00000 after reset, bit 8 set on the boot CPU. */
static const char *check_msr(const struct pv_backend *b)
{
	uint64_t v = pv_ops.read_msr(MSR_IA32_APIC_BASE);

	(void)b;
	if (v != raw_rdmsr(MSR_IA32_APIC_BASE))
		return "read_msr differs from rdmsr";
	if ((v & ~0xfffull) != 0xfee00000 || !(v & 0x100))
		return "read_msr: implausible IA32_APIC_BASE";
	return NULL;
}

/* Six arguments: every argument register must reach the op intact. */
static const char *check_gdt_entry(const struct pv_backend *b)
{
	uint64_t gdt[4] = { 0 };
	uint64_t code = pv_ops.write_gdt_entry(gdt, 1, 0, 0xfffff, 0x9a, 0xa);
	uint64_t data = pv_ops.write_gdt_entry(gdt, 2, 0x12345678, 0x9abcd, 0x92, 0xc);

	(void)b;
	if (code != 0x00af9a000000ffffull || data != 0x12c992345678abcdull)
		return "write_gdt_entry: wrong descriptor";
	if (gdt[0] || gdt[1] != code || gdt[2] != data || gdt[3])
		return "write_gdt_entry: wrong slot";
	return NULL;
}

const struct selftest_check selftest_checks[] = {
	{ "irqflags", check_irqflags },
	{ "cr0", check_cr0 },
	{ "cr3", check_cr3 },
	{ "msr", check_msr },
	{ "io_delay", check_io_delay },
	{ "flush_tlb", check_tlb },
	{ "write_gdt_entry", check_gdt_entry },
	{ "reapply", paravirt_check_reapply },
};
SELFTEST_NCHECKS(selftest_checks);
