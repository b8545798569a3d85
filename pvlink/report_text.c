// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * report_text.c - the audit for a terminal: summary first, then every
 * reference in aligned columns, then the writes to ops fields.  No
 * colour: the report is read in terminals and build logs alike.
 */
#include <inttypes.h>
#include <string.h>

#include "audit.h"

#define NCOLS 8

static const char *const site_headers[NCOLS] = {
	"ADDRESS", "SECTION+OFFSET", "FUNCTION", "SOURCE", "FIELD", "KIND", "INSTRUCTIONS",
	"OUTCOME",
};

/* The cells of one row, formatted into bufs. */
static void site_cells(const struct audit_row *r, char bufs[NCOLS][160])
{
	snprintf(bufs[0], 160, "0x%" PRIx64, r->address);
	snprintf(bufs[1], 160, "%s+0x%" PRIx64, r->section, r->offset);
	snprintf(bufs[2], 160, "%s", r->function ? r->function : "?");
	if (r->source_file) {
		const char *base = strrchr(r->source_file, '/');

		snprintf(bufs[3], 160, "%s:%u", base ? base + 1 : r->source_file, r->line);
	} else {
		snprintf(bufs[3], 160, "-");
	}
	if (r->field)
		snprintf(bufs[4], 160, "%s.%s", r->ops, r->field);
	else
		snprintf(bufs[4], 160, "%s+0x%" PRIx64, r->ops, (uint64_t)r->field_offset);
	snprintf(bufs[5], 160, "%s", kind_name(r->kind));
	snprintf(bufs[6], 160, "%s", r->form);
	if (r->patchable)
		snprintf(bufs[7], 160, "patchable");
	else if (r->kind == KIND_WRITE)
		snprintf(bufs[7], 160, "%s write", r->phase == PHASE_RUNTIME ? "RUNTIME" : "init");
	else if (r->phase)
		snprintf(bufs[7], 160, "not patchable, %s: %s", r->phase == PHASE_RUNTIME ?
			 "RUNTIME write path" : "init", r->reason);
	else
		snprintf(bufs[7], 160, "not patchable: %s", r->reason);
}

static void print_cells(FILE *f, char cells[NCOLS][160], const int *width)
{
	fprintf(f, " ");
	for (int c = 0; c < NCOLS - 1; c++)
		fprintf(f, " %-*s", width[c], cells[c]);
	fprintf(f, " %s\n", cells[NCOLS - 1]);
}

static void print_rows(FILE *f, const struct audit *a, bool writes)
{
	char cells[NCOLS][160];
	int width[NCOLS];

	for (int c = 0; c < NCOLS; c++)
		width[c] = (int)strlen(site_headers[c]);
	for (size_t i = 0; i < a->n; i++) {
		if ((a->rows[i].kind == KIND_WRITE) != writes)
			continue;
		site_cells(&a->rows[i], cells);
		for (int c = 0; c < NCOLS; c++)
			if ((int)strlen(cells[c]) > width[c])
				width[c] = (int)strlen(cells[c]);
	}
	for (int c = 0; c < NCOLS; c++)
		snprintf(cells[c], 160, "%s", site_headers[c]);
	print_cells(f, cells, width);
	for (size_t i = 0; i < a->n; i++) {
		const struct audit_row *r = &a->rows[i];

		if ((r->kind == KIND_WRITE) != writes)
			continue;
		site_cells(r, cells);
		print_cells(f, cells, width);
		if (r->inlined)
			fprintf(f, "    inlined: %s\n", r->inlined);
		if (!r->patchable && r->hint)
			fprintf(f, "    hint: %s\n", r->hint);
	}
}

/* At least 20 wide; nested names (pv_ops's "mmu.flush_tlb_one_user") widen it. */
static int field_width(const struct table_sum *t)
{
	int width = 20;

	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && (int)strlen(t->fields[i].name) > width)
			width = (int)strlen(t->fields[i].name);
	return width;
}

/* Addresses taken outside init code: said only where there are any. */
static void print_write_paths(FILE *f, size_t n)
{
	if (n)
		fprintf(f, ", %zu possible write path%s", n, n == 1 ? "" : "s");
	fprintf(f, "\n");
}

static void print_table(FILE *f, const struct table_sum *t)
{
	int never = 0, width = field_width(t);

	fprintf(f, "ops table %s: %zu sites, %zu patchable (%.1f%%), %zu not patchable; "
		"%zu runtime writes, %zu init writes", t->ops, t->sites, t->patchable,
		coverage_percent(t->patchable, t->sites), t->sites - t->patchable,
		t->runtime_writes, t->init_writes);
	print_write_paths(f, t->write_paths);
	if (t->nfields)         /* none for a table no input calls through */
		fprintf(f, "  %-*s %8s %6s %9s %4s %6s %7s  %s\n", width, "FIELD", "OFFSET",
			"CALLS", "PATCHABLE", "NOT", "READS", "WRITES", "DEFAULT");
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_sum *fs = &t->fields[i];
		char off[24];

		snprintf(off, sizeof(off), "0x%" PRIx64, (uint64_t)fs->offset);
		fprintf(f, "  %-*s %8s %6zu %9zu %4zu %6zu %7zu  %s\n", width, fs->name ? fs->name : off,
			off, fs->calls, fs->patchable, fs->calls - fs->patchable,
			fs->reads, fs->writes,
			fs->default_impl ? fs->default_impl : "-");
	}
	for (size_t i = 0; i < t->nfields; i++)
		if (!t->fields[i].calls && t->fields[i].name)
			fprintf(f, "%s%s", never++ ? ", " : "  never called: ", t->fields[i].name);
	if (never)
		fprintf(f, "\n");
	if (t->addresses)
		fprintf(f, "  %zu of the sites use the table's address (a base pointer, or a "
			"pointer in data): calls and writes through it are not seen\n",
			t->addresses);
}

void report_text(FILE *f, const struct audit *a, const struct audit_sum *s)
{
	size_t writes = s->runtime_writes + s->init_writes;

	fprintf(f, "pvlink audit: %zu input%s, %zu references to %zu ops table%s\n",
		a->ninputs, a->ninputs == 1 ? "" : "s", s->refs, s->ntables,
		s->ntables == 1 ? "" : "s");
	fprintf(f, "total: %zu sites, %zu patchable (%.1f%%), %zu not patchable; "
		"%zu runtime writes, %zu init writes", s->sites, s->patchable,
		coverage_percent(s->patchable, s->sites), s->sites - s->patchable,
		s->runtime_writes, s->init_writes);
	print_write_paths(f, s->write_paths);
	fprintf(f, "\n");
	for (size_t i = 0; i < s->ntables; i++) {
		print_table(f, &s->tables[i]);
		fprintf(f, "\n");
	}
	if (s->refs > writes) {
		fprintf(f, "references:\n");
		print_rows(f, a, false);
	}
	if (writes) {
		fprintf(f, "\nwrites to ops fields (runtime writes are findings):\n");
		print_rows(f, a, true);
	}
}
