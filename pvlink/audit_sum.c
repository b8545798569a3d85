// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * audit_sum.c - the summary of an audit: per ops table, per field, how
 * many call sites, how many patchable, who reads and writes it, and the
 * fields the debug info knows but no code calls.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "warn.h"

/* Never 100 while a site is not patchable, however the figure is rounded. */
double coverage_percent(size_t patchable, size_t sites)
{
	double pct = sites ? 100.0 * (double)patchable / (double)sites : 100.0;

	return patchable < sites && pct > 99.9 ? 99.9 : pct;
}

static struct table_sum *find_table(struct audit_sum *s, const char *ops)
{
	struct table_sum *t;

	for (size_t i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].ops, ops))
			return &s->tables[i];
	t = pvrealloc(s->tables, (s->ntables + 1) * sizeof(*t));
	if (!t)
		return NULL;
	s->tables = t;
	t = &s->tables[s->ntables++];
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	return t;
}

static struct field_sum *find_field(struct table_sum *t, int64_t offset)
{
	struct field_sum *f;

	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].offset == offset)
			return &t->fields[i];
	f = pvrealloc(t->fields, (t->nfields + 1) * sizeof(*f));
	if (!f)
		return NULL;
	t->fields = f;
	f = &t->fields[t->nfields++];
	memset(f, 0, sizeof(*f));
	f->offset = offset;
	return f;
}

static void count(struct audit_sum *s, struct table_sum *t, struct field_sum *f,
		  const struct audit_row *r)
{
	switch (r->kind) {
	case KIND_CALL:
	case KIND_JUMP:
		f->calls++, t->sites++, s->sites++;
		if (r->patchable)
			f->patchable++, t->patchable++, s->patchable++;
		break;
	case KIND_WRITE:
		if (r->phase == PHASE_RUNTIME)
			t->runtime_writes++, s->runtime_writes++;
		else
			t->init_writes++, s->init_writes++;
		break;
	case KIND_READ:
		f->reads++;
		break;
	case KIND_ADDRESS:
	case KIND_DATA:
		t->addresses++, s->addresses++;
		t->sites++, s->sites++;
		if (r->phase == PHASE_RUNTIME)
			t->write_paths++, s->write_paths++;
		break;
	case KIND_UNDECODED:
		/* maybe a call: a site that is not patchable */
		f->calls++, t->sites++, s->sites++;
		break;
	}
}

/*
 * A store counts against every slot it covers: a 16-byte SSE store two,
 * a 4-byte store into half of a slot the slot.  Slots are aligned, except
 * in a packed table, whose fields the debug info names where they are.
 */
/* Most slots one store is counted against: a fill whose count the code
   sets far beyond any real table (a crafted object) must not stall. */
#define MAX_COVER 4096

static int count_write(const struct audit *a, struct table_sum *t, const struct audit_row *r)
{
	uint64_t slot = r->slot ? r->slot : 8, width = r->width ? r->width : 1;

	if (width > MAX_COVER * slot)
		width = MAX_COVER * slot;
	uint64_t o = (uint64_t)r->field_offset, s = o - o % slot;
	struct field_sum *f;

	if (fields_lookup(&a->fields, r->ops, r->field_offset) ||
	    fields_lookup(&a->defaults, r->ops, r->field_offset))
		s = o;
	for (; s < o + width; s += slot) {
		if (!(f = find_field(t, (int64_t)s)))
			return -1;
		f->writes++;
	}
	return 0;
}

static int cmp_field(const void *a, const void *b)
{
	const struct field_sum *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int cmp_table(const void *a, const void *b)
{
	return strcmp(((const struct table_sum *)a)->ops, ((const struct table_sum *)b)->ops);
}

/* Fields the debug info or the initializer knows, even if never referenced. */
static int add_known_fields(const struct audit *a, struct table_sum *t)
{
	const struct field_names *lists[] = { &a->fields, &a->defaults };

	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			if (!strcmp(lists[l]->v[i].table, t->ops) &&
			    !find_field(t, lists[l]->v[i].offset))
				return -1;
	for (size_t i = 0; i < t->nfields; i++) {
		t->fields[i].name = fields_lookup(&a->fields, t->ops, t->fields[i].offset);
		t->fields[i].default_impl = fields_lookup(&a->defaults, t->ops, t->fields[i].offset);
	}
	if (t->nfields > 1)
		qsort(t->fields, t->nfields, sizeof(*t->fields), cmp_field);
	return 0;
}

int audit_summarise(const struct audit *a, struct audit_sum *s)
{
	memset(s, 0, sizeof(*s));
	s->refs = a->n;
	for (size_t i = 0; i < a->n; i++) {
		const struct audit_row *r = &a->rows[i];
		struct table_sum *t = find_table(s, r->ops);
		/* The table's address is no field, whatever its offset. */
		/* the table's address is no field; a write counts per slot it covers */
		bool no_field = r->kind == KIND_ADDRESS || r->kind == KIND_DATA ||
				r->kind == KIND_WRITE;
		struct field_sum *f = t && !no_field ? find_field(t, r->field_offset) : NULL;

		if (!t || (!f && !no_field) || (r->kind == KIND_WRITE && count_write(a, t, r)))
			return -1;
		count(s, t, f, r);
	}
	/* tables no input calls through still get their line: 0 sites */
	for (size_t i = 0; i < a->ntables; i++)
		if (!find_table(s, a->tables[i]))
			return -1;
	for (size_t i = 0; i < s->ntables; i++)
		if (add_known_fields(a, &s->tables[i]))
			return -1;
	qsort(s->tables, s->ntables, sizeof(*s->tables), cmp_table);
	return 0;
}

void audit_sum_free(struct audit_sum *s)
{
	for (size_t i = 0; i < s->ntables; i++)
		free(s->tables[i].fields);
	free(s->tables);
	memset(s, 0, sizeof(*s));
}
