// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * report_json.c - the audit as JSON, schema version AUDIT_SCHEMA_VERSION
 * (Documentation/audit-json.md, Documentation/audit.schema.json).  Field
 * names are stable: tools and CI gates read them.  Add fields only with
 * a new version.
 */
#include <inttypes.h>

#include "audit.h"

static void json_string(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(FILE *f, const char *k, bool first)
{
	fprintf(f, "%s\"%s\": ", first ? "" : ", ", k);
}

static void skey(FILE *f, const char *k, const char *v)
{
	key(f, k, false);
	json_string(f, v);
}

static const char *phase_name(enum phase p)
{
	return p == PHASE_INIT ? "init" : p == PHASE_RUNTIME ? "runtime" : NULL;
}

static void site(FILE *f, const struct audit_row *r)
{
	key(f, "file", true);
	json_string(f, r->file);
	skey(f, "section", r->section);
	fprintf(f, ", \"offset\": %" PRIu64 ", \"address\": %" PRIu64, r->offset, r->address);
	skey(f, "function", r->function);
	skey(f, "source_file", r->source_file);
	key(f, "line", false);
	r->source_file ? fprintf(f, "%u", r->line) : fputs("null", f);
	skey(f, "inlined", r->inlined);
	skey(f, "ops", r->ops);
	skey(f, "field", r->field);
	fprintf(f, ", \"field_offset\": %" PRId64, r->field_offset);
	skey(f, "default", r->default_impl);
	skey(f, "form", r->form);
	skey(f, "kind", kind_name(r->kind));
	fprintf(f, ", \"patchable\": %s", r->patchable ? "true" : "false");
	skey(f, "reason", r->patchable ? NULL : r->reason);
	skey(f, "hint", r->patchable ? NULL : r->hint);
	skey(f, "phase", phase_name(r->phase));
	key(f, "width", false);
	r->kind == KIND_WRITE ? fprintf(f, "%u", r->width ? r->width : r->slot) : fputs("null", f);
}

static void counts(FILE *f, size_t sites, size_t patchable, size_t addresses,
		   size_t runtime, size_t init, size_t paths)
{
	fprintf(f, "\"sites\": %zu, \"patchable\": %zu, \"not_patchable\": %zu, "
		"\"coverage_percent\": %.1f, \"address_uses\": %zu, \"runtime_writes\": %zu, "
		"\"init_writes\": %zu, \"write_paths\": %zu", sites, patchable, sites - patchable,
		coverage_percent(patchable, sites), addresses, runtime, init, paths);
}

static void table(FILE *f, const struct table_sum *t)
{
	fprintf(f, "{\"ops\": ");
	json_string(f, t->ops);
	fprintf(f, ", ");
	counts(f, t->sites, t->patchable, t->addresses, t->runtime_writes, t->init_writes,
	       t->write_paths);
	fprintf(f, ", \"fields\": [");
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_sum *fs = &t->fields[i];

		fprintf(f, "%s\n      {\"field\": ", i ? "," : "");
		json_string(f, fs->name);
		fprintf(f, ", \"field_offset\": %" PRId64, fs->offset);
		skey(f, "default", fs->default_impl);
		fprintf(f, ", \"calls\": %zu, \"patchable\": %zu, \"not_patchable\": %zu, "
			"\"reads\": %zu, \"writes\": %zu}", fs->calls, fs->patchable,
			fs->calls - fs->patchable, fs->reads, fs->writes);
	}
	fprintf(f, "]}");
}

void report_json(FILE *f, const struct audit *a, const struct audit_sum *s)
{
	fprintf(f, "{\n  \"version\": %d,\n  \"tool\": \"pvlink\",\n  \"inputs\": [",
		AUDIT_SCHEMA_VERSION);
	for (size_t i = 0; i < a->ninputs; i++) {
		fprintf(f, "%s\n    {\"file\": ", i ? "," : "");
		json_string(f, a->inputs[i].file);
		fprintf(f, ", \"debug_info\": %s}", a->inputs[i].debug ? "true" : "false");
	}
	fprintf(f, "\n  ],\n  \"sites\": [");
	for (size_t i = 0; i < a->n; i++) {
		fprintf(f, "%s\n    {", i ? "," : "");
		site(f, &a->rows[i]);
		fprintf(f, "}");
	}
	fprintf(f, "\n  ],\n  \"summary\": {\"references\": %zu, ", s->refs);
	counts(f, s->sites, s->patchable, s->addresses, s->runtime_writes, s->init_writes,
	       s->write_paths);
	fprintf(f, ",\n    \"tables\": [");
	for (size_t i = 0; i < s->ntables; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		table(f, &s->tables[i]);
	}
	fprintf(f, "]}\n}\n");
}
