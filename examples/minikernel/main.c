// SPDX-License-Identifier: MIT
/*
 * main.c - the boot sequence, from boot.S's jump to C to QEMU's exit.
 *
 * No op is called before paravirt_select() has filled pv_ops; the only
 * ones called before the sites are patched are the timing loops, which
 * need the unpatched numbers.
 */
#include "console.h"
#include "cpu.h"
#include "kernel.h"
#include "paravirt.h"
#include "pvh.h"

void kmain(uint32_t start_info) __attribute__((noreturn));

static const char *boot_cmdline(const struct hvm_start_info *si)
{
	if (si->magic != HVM_START_MAGIC) {
		kprintf("boot: bad start_info magic %#x\n", si->magic);
		qemu_exit(0);
	}
	/* Physical address; the identity map makes it usable as is. */
	return si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "";
}

void kmain(uint32_t start_info)
{
	const char *cmdline;
	const struct pv_backend *b;
	struct timing before, after;

	serial_init();
	traps_init();
	cmdline = boot_cmdline((const struct hvm_start_info *)(uintptr_t)start_info);
	kprintf("minikernel: PVH boot, cmdline \"%s\"\n", cmdline);

	b = paravirt_select(cmdline);
	if (!b) {
		kprintf("pvops: unknown backend, want pvops=native or pvops=pv\n");
		qemu_exit(0);
	}
	kprintf("pvops: backend %s\n", b->name);

	timing_measure(&before);
	paravirt_patch(b);
	timing_measure(&after);
	timing_print(&before, &after);

	kprintf("cpu: IA32_APIC_BASE %#lx\n", (unsigned long)pv_ops.read_msr(MSR_IA32_APIC_BASE));
	qemu_exit(selftest_run(b));
}
