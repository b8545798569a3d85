// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * report.c - the text people read about references.
 */
#include "report.h"

void report_ref_line(FILE *f, struct elf *e, const struct ref *r)
{
	char where[128], form[160];

	format_location(e, r->sec, r->off, where, sizeof(where));
	ref_form(e, r, form, sizeof(form));
	fprintf(f, "  %-32s %s+0x%llx %-7s %s: %s\n", where, r->ops->name,
		(unsigned long long)r->field, kind_name(r->kind), form,
		r->patchable ? "patchable" : r->reason);
}
