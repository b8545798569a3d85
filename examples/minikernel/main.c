// SPDX-License-Identifier: MIT
/*
 * main.c - the boot sequence, from the architecture's entry (boot.S) to
 * QEMU's exit; the same for x86 and AArch64.
 *
 * boot_info is the 32-bit physical address the boot loader handed over:
 * PVH's start_info on x86, the device tree on AArch64; <bootparam.h>, the
 * architecture's, reads the command line from it.  Each boot.S calls
 * kmain() on the kernel's stack, .bss clear, interrupts masked.
 *
 * No op is called before paravirt_select() has filled pv_ops; the only
 * ones called before the sites are patched are the timing loops, which
 * need the unpatched numbers.
 */
#include <bootparam.h>

#include "console.h"
#include "kernel.h"
#include "paravirt.h"

void kmain(uint32_t boot_info) __attribute__((noreturn));

void kmain(uint32_t boot_info)
{
	const char *cmdline;
	const struct pv_backend *b;
	struct timing before, after;

	serial_init();
	traps_init();
	cmdline = boot_cmdline(boot_info);
	kprintf("minikernel: " BOOT_PROTOCOL " boot, cmdline \"%s\"\n", cmdline);

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

	/*
	 * kmain's own call site, the table's first plain call, which
	 * mkstale.sh makes stale: line 50, as tests/t-audit.sh expects.
	 */
	PV_OPS_PRINT_CPU();
	qemu_exit(selftest_run(b));
}
