// SPDX-License-Identifier: MIT
/*
 * paravirt.c - the ops table, the native backend's table, and the choice
 * of backend.
 *
 * pv_ops starts out native, as Linux's does, so an op called before
 * paravirt_select() still does the right thing on bare hardware; the
 * backend chosen at boot overwrites it before any site is patched.
 * PVOPS_TABLE marks it for `pvlink table`.
 */
#include <cpu.h>

#include "console.h"
#include "kernel.h"
#include "paravirt.h"

struct pv_ops pv_ops = NATIVE_OPS;
PVOPS_TABLE(pv_ops);

/* const: `pvlink patch --ops pv_ops=native_ops` reads it from the image */
const struct pv_ops native_ops = NATIVE_OPS;

static int native_irqs_enabled(void)
{
	return flags_irqs_on(raw_save_fl());
}

const struct pv_backend native_backend = {
	.name = "native",
	.ops = &native_ops,
	.irqs_enabled = native_irqs_enabled,
	.virtual_if = 0,
};

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
