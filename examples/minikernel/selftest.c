// SPDX-License-Identifier: MIT
/*
 * selftest.c - every op still behaves after its call sites were patched.
 *
 * Each check calls the ops through pv_ops, as the rest of the kernel
 * does (so the checks run through patched sites), and compares with the
 * raw instructions or with what the backend models.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"
#include "paravirt.h"

typedef const char *(*check_fn)(const struct pv_backend *b);

static const char *irq_state(const struct pv_backend *b, int want, unsigned long hw_if)
{
	int fl = (pv_ops.save_fl() & X86_EFLAGS_IF) != 0;

	if (fl != want)
		return want ? "save_fl: IF clear, irqs enabled" : "save_fl: IF set, irqs disabled";
	if (b->irqs_enabled() != want)
		return "irq state differs from what save_fl reports";
	if (b->virtual_if && (raw_save_fl() & X86_EFLAGS_IF) != hw_if)
		return "virtual irq op changed RFLAGS.IF";
	return NULL;
}

/* Leaves interrupts disabled, as the kernel runs. */
static const char *check_irqflags(const struct pv_backend *b)
{
	unsigned long hw = raw_save_fl() & X86_EFLAGS_IF;
	unsigned long on, off;
	const char *err;

	pv_ops.irq_enable();
	if ((err = irq_state(b, 1, hw)))
		return err;
	on = pv_ops.save_fl();
	pv_ops.irq_disable();
	if ((err = irq_state(b, 0, hw)))
		return err;
	off = pv_ops.save_fl();
	pv_ops.restore_fl(on);
	if ((err = irq_state(b, 1, hw)))
		return err;
	pv_ops.restore_fl(off);
	return irq_state(b, 0, hw);
}

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

/* Nothing to observe but that execution goes on past it, with state intact. */
static const char *check_io_delay(const struct pv_backend *b)
{
	int irqs = b->irqs_enabled();

	pv_ops.io_delay();
	pv_ops.io_delay();
	return b->irqs_enabled() == irqs ? NULL : "io_delay changed the irq state";
}

static const char *check_tlb(const struct pv_backend *b)
{
	(void)b;
	return mm_tlb_selftest();
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

static const struct {
	const char *name;
	check_fn fn;
} checks[] = {
	{ "irqflags", check_irqflags },
	{ "cr0", check_cr0 },
	{ "cr3", check_cr3 },
	{ "msr", check_msr },
	{ "io_delay", check_io_delay },
	{ "flush_tlb", check_tlb },
	{ "write_gdt_entry", check_gdt_entry },
	{ "reapply", paravirt_check_reapply },
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

int selftest_run(const struct pv_backend *b)
{
	const char *failed[NCHECKS];
	unsigned int nfailed = 0;

	for (unsigned int i = 0; i < NCHECKS; i++) {
		const char *err = checks[i].fn(b);

		if (err) {
			kprintf("selftest: %s: %s\n", checks[i].name, err);
			failed[nfailed++] = checks[i].name;
		}
	}
	if (!nfailed) {
		kprintf("selftest: PASS\n");
		return 1;
	}
	kprintf("selftest: FAIL (");
	for (unsigned int i = 0; i < nfailed; i++)
		kprintf("%s%s", i ? ", " : "", failed[i]);
	kprintf(")\n");
	return 0;
}
