// SPDX-License-Identifier: MIT
/*
 * timing.c - cycles per call of a few ops, before and after patching.
 *
 * The loops call through pv_ops like any other kernel code, so the same
 * instructions are timed twice: as indirect calls, then as whatever the
 * applier made of them.  Best of several runs, to keep the first run's
 * cache misses (and, under TCG, its translation) out of the number.
 * The counter is cpu.h's read_cycles(): the TSC, or on AArch64 the PMU
 * cycle counter.  Under TCG both count host time spent emulating.
 */
#include <cpu.h>

#include "console.h"
#include "kernel.h"
#include "paravirt.h"

#define RUNS 5

static void loop_save_fl(unsigned int n)
{
	while (n--)
		pv_ops.save_fl();
}

/* Enable first: the kernel runs with interrupts off and so does each pair. */
static void loop_irq_pair(unsigned int n)
{
	while (n--) {
		pv_ops.irq_enable();
		pv_ops.irq_disable();
	}
}

/* The architecture's six-argument op (pv_ops.h): every argument register. */
static void loop_args6(unsigned int n)
{
	uint64_t table[2];

	while (n--)
		PV_OPS_ARGS6(table, n);
}

static void loop_io_delay(unsigned int n)
{
	while (n--)
		pv_ops.io_delay();
}

/* Tenths of a cycle per call: best run over n calls. */
static uint32_t measure(void (*loop)(unsigned int), unsigned int n)
{
	uint64_t best = ~0ull;

	for (int r = 0; r < RUNS; r++) {
		uint64_t t = read_cycles();

		loop(n);
		t = read_cycles() - t;
		if (t < best)
			best = t;
	}
	return (uint32_t)(best * 10 / n);
}

void timing_measure(struct timing *t)
{
	t->save_fl = measure(loop_save_fl, 10000);
	t->irq_pair = measure(loop_irq_pair, 10000);
	t->args6 = measure(loop_args6, 10000);
	/* Device I/O leaves translated code in QEMU: fewer calls. */
	t->io_delay = measure(loop_io_delay, 1000);
}

static void print_one(const char *name, uint32_t before, uint32_t after)
{
	kprintf("timing: %s: %u.%u -> %u.%u cycles/call\n", name,
		before / 10, before % 10, after / 10, after % 10);
}

void timing_print(const struct timing *before, const struct timing *after)
{
	print_one("save_fl", before->save_fl, after->save_fl);
	print_one("irq_enable+irq_disable", before->irq_pair, after->irq_pair);
	print_one(PV_OPS_ARGS6_NAME, before->args6, after->args6);
	print_one("io_delay", before->io_delay, after->io_delay);
}
