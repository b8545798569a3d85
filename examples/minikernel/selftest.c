// SPDX-License-Identifier: MIT
/*
 * selftest.c - every op still behaves after its call sites were patched.
 *
 * Each check calls the ops through pv_ops, as the rest of the kernel
 * does (so the checks run through patched sites), and compares with the
 * raw instructions or with what the backend models.
 */
#include <cpu.h>

#include "console.h"
#include "kernel.h"
#include "paravirt.h"
#include "selftest.h"

/* hw: the CPU's FLAGS_IRQ_MASK bit before the check, which pv must not change. */
static const char *irq_state(const struct pv_backend *b, int want, unsigned long hw)
{
	int fl = flags_irqs_on(pv_ops.save_fl());

	if (fl != want)
		return want ? "save_fl: irqs off, want on" : "save_fl: irqs on, want off";
	if (b->irqs_enabled() != want)
		return "irq state differs from what save_fl reports";
	if (b->virtual_if && (raw_save_fl() & FLAGS_IRQ_MASK) != hw)
		return "virtual irq op changed the CPU's interrupt mask";
	return NULL;
}

/* Leaves interrupts disabled, as the kernel runs. */
const char *check_irqflags(const struct pv_backend *b)
{
	unsigned long hw = raw_save_fl() & FLAGS_IRQ_MASK;
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

/* Nothing to observe but that execution goes on past it, with state intact. */
const char *check_io_delay(const struct pv_backend *b)
{
	int irqs = b->irqs_enabled();

	pv_ops.io_delay();
	pv_ops.io_delay();
	return b->irqs_enabled() == irqs ? NULL : "io_delay changed the irq state";
}

const char *check_tlb(const struct pv_backend *b)
{
	(void)b;
	return mm_tlb_selftest();
}

int selftest_run(const struct pv_backend *b)
{
	const char *failed[SELFTEST_MAX];
	unsigned int nfailed = 0;

	for (unsigned int i = 0; i < selftest_nchecks; i++) {
		const struct selftest_check *c = &selftest_checks[i];
		const char *err = c->fn(b);

		if (err) {
			kprintf("selftest: %s: %s\n", c->name, err);
			failed[nfailed++] = c->name;
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
