// SPDX-License-Identifier: MIT
/*
 * paravirt.c - the ops table and the choice of backend.
 *
 * pv_ops starts out native, as Linux's does, so an op called before
 * paravirt_select() still does the right thing on bare hardware; the
 * backend chosen at boot overwrites it before any site is patched.
 * PVOPS_TABLE marks it for `pvlink table`.
 */
#include "console.h"
#include "kernel.h"
#include "paravirt.h"

struct pv_ops pv_ops = {
	.irq_disable = native_irq_disable,
	.irq_enable = native_irq_enable,
	.save_fl = native_save_fl,
	.restore_fl = native_restore_fl,
	.read_cr0 = native_read_cr0,
	.write_cr0 = native_write_cr0,
	.read_cr3 = native_read_cr3,
	.write_cr3 = native_write_cr3,
	.read_msr = native_read_msr,
	.io_delay = native_io_delay,
	.flush_tlb = native_flush_tlb,
	.write_gdt_entry = native_write_gdt_entry,
};
PVOPS_TABLE(pv_ops);

static const struct pv_backend *const backends[] = { &native_backend, &pv_backend };

__init const struct pv_backend *paravirt_select(const char *cmdline)
{
	size_t len;
	const char *name = cmdline_get(cmdline, "pvops", &len);

	if (!name)
		name = "native", len = 6;
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		const struct pv_backend *b = backends[i];

		if (strlen(b->name) == len && !memcmp(b->name, name, len)) {
			pv_ops = *b->ops;
			return b;
		}
	}
	return NULL;
}
