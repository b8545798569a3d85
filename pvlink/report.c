// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * report.c - the text people read about references.
 */
#include "report.h"

void report_ref_line(FILE *f, struct elf *e, const struct ref *r)
{
	char where[128];

	format_location(e, r->sec, r->off, where, sizeof(where));
	fprintf(f, "  %-32s %s+0x%llx %-7s %s: %s\n", where, r->ops->name,
		(unsigned long long)r->field, kind_name(r->kind), r->form,
		r->patchable ? "patchable" : r->reason);
}
