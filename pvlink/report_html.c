// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * report_html.c - the audit as one self-contained page: totals, a bar per
 * field (patchable against not), and the references grouped by field in
 * a table whose columns sort on a click.  No external resources, so the
 * page opens from a CI artifact or a mail attachment as it is.
 */
#include <inttypes.h>
#include <string.h>

#include "audit.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
	"h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{padding:.2em .6em;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}"
	"th{background:#f3f3f3;cursor:pointer;user-select:none}"
	"td.num{text-align:right}code{font-size:.95em}"
	".ok{color:#176b2c}.no{color:#a61b1b}.runtime{color:#a61b1b;font-weight:bold}"
	".bar{display:flex;width:24em;height:1em;background:#eee}"
	".bar .p{background:#3a9a4f}.bar .n{background:#d0473b}"
	".totals span{display:inline-block;margin-right:1.5em}"
	".totals b{font-size:1.3em}";

/* Clicking a header sorts its table by that column (numbers as numbers). */
static const char script[] =
	"document.querySelectorAll('table.sortable th').forEach(function(th,col){"
	"th.addEventListener('click',function(){"
	"var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows);"
	"var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir>0?'asc':'desc';"
	"rows.sort(function(a,b){var x=a.cells[col].dataset.key||a.cells[col].textContent,"
	"y=b.cells[col].dataset.key||b.cells[col].textContent,nx=parseFloat(x),ny=parseFloat(y);"
	"if(!isNaN(nx)&&!isNaN(ny))return dir*(nx-ny);return dir*x.localeCompare(y);});"
	"rows.forEach(function(r){tb.appendChild(r);});});});";

static void field_label(FILE *f, const char *name, int64_t offset)
{
	if (name)
		esc(f, name);
	else
		fprintf(f, "+0x%" PRIx64, (uint64_t)offset);
}

static void chart(FILE *f, const struct table_sum *t)
{
	fprintf(f, "<table class=\"chart\"><thead><tr><th>field</th><th>patchable / not</th>"
		"<th>calls</th><th>patchable</th><th>not</th><th>default</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < t->nfields; i++) {
		const struct field_sum *fs = &t->fields[i];
		double p = fs->calls ? 100.0 * (double)fs->patchable / (double)fs->calls : 0;
		double n = fs->calls ? 100.0 - p : 0;

		fprintf(f, "<tr><td><code>");
		field_label(f, fs->name, fs->offset);
		fprintf(f, "</code></td><td><div class=\"bar\" title=\"%zu of %zu patchable\">"
			"<div class=\"p\" style=\"width:%.1f%%\"></div>"
			"<div class=\"n\" style=\"width:%.1f%%\"></div></div></td>"
			"<td class=\"num\">%zu</td><td class=\"num ok\">%zu</td><td class=\"num no\">%zu</td>"
			"<td><code>", fs->patchable, fs->calls, p, n, fs->calls, fs->patchable,
			fs->calls - fs->patchable);
		esc(f, fs->default_impl ? fs->default_impl : "");
		fprintf(f, "</code></td></tr>\n");
	}
	fprintf(f, "</tbody></table>\n");
}

static void not_patchable(FILE *f, const struct audit_row *r)
{
	fprintf(f, "</code></td><td class=\"no\">");
	if (r->phase == PHASE_RUNTIME)
		fprintf(f, "<b class=\"runtime\">runtime write path</b>: ");
	esc(f, r->reason);
	if (r->hint) {
		fprintf(f, "<br><small>hint: ");
		esc(f, r->hint);
		fprintf(f, "</small>");
	}
	fprintf(f, "</td></tr>\n");
}

static void row(FILE *f, const struct audit_row *r)
{
	fprintf(f, "<tr><td data-key=\"%" PRIu64 "\"><code>0x%" PRIx64 "</code></td><td>",
		r->address, r->address);
	esc(f, r->section);
	fprintf(f, "+0x%" PRIx64 "</td><td><code>", r->offset);
	esc(f, r->function ? r->function : "?");
	fprintf(f, "</code></td><td>");
	if (r->source_file) {
		esc(f, r->source_file);
		fprintf(f, ":%u", r->line);
	}
	if (r->inlined) {
		fprintf(f, "<br><small>inlined: ");
		esc(f, r->inlined);
		fprintf(f, "</small>");
	}
	fprintf(f, "</td><td data-key=\"%s.%08" PRId64 "\"><code>", r->ops, r->field_offset);
	esc(f, r->ops);
	fputc('.', f);
	field_label(f, r->field, r->field_offset);
	fprintf(f, "</code></td><td>%s</td><td><code>", kind_name(r->kind));
	esc(f, r->form);
	if (r->patchable)
		fprintf(f, "</code></td><td class=\"ok\">patchable</td></tr>\n");
	else if (r->kind == KIND_WRITE)
		fprintf(f, "</code></td><td class=\"%s\">%s write</td></tr>\n",
			r->phase == PHASE_RUNTIME ? "runtime" : "ok",
			r->phase == PHASE_RUNTIME ? "runtime" : "init");
	else
		not_patchable(f, r);
}

static bool has_field(const struct table_sum *t, int64_t offset)
{
	for (size_t k = 0; k < t->nfields; k++)
		if (t->fields[k].offset == offset)
			return true;
	return false;
}

/* The rows of one kind (writes or the rest), grouped by table and field. */
static void rows(FILE *f, const struct audit *a, const struct audit_sum *s, bool writes,
		 const char *id)
{
	fprintf(f, "<table class=\"sortable\" id=\"%s\"><thead><tr><th>address</th>"
		"<th>section+offset</th><th>function</th><th>source</th><th>field</th><th>kind</th>"
		"<th>instructions</th><th>outcome</th></tr></thead><tbody>\n", id);
	for (size_t t = 0; t < s->ntables; t++)
		for (size_t k = 0; k < s->tables[t].nfields; k++)
			for (size_t i = 0; i < a->n; i++) {
				const struct audit_row *r = &a->rows[i];

				if ((r->kind == KIND_WRITE) == writes &&
				    r->field_offset == s->tables[t].fields[k].offset &&
				    !strcmp(r->ops, s->tables[t].ops))
					row(f, r);
			}
	/* then those at no field's start: a store into part of a slot */
	for (size_t t = 0; t < s->ntables; t++)
		for (size_t i = 0; i < a->n; i++) {
			const struct audit_row *r = &a->rows[i];

			if ((r->kind == KIND_WRITE) == writes && !strcmp(r->ops, s->tables[t].ops) &&
			    !has_field(&s->tables[t], r->field_offset))
				row(f, r);
		}
	fprintf(f, "</tbody></table>\n");
}

static void totals(FILE *f, const struct audit_sum *s)
{
	fprintf(f, "<p class=\"totals\"><span>sites <b id=\"total-sites\">%zu</b></span>"
		"<span>patchable <b id=\"total-patchable\" class=\"ok\">%zu</b></span>"
		"<span>not patchable <b id=\"total-not-patchable\" class=\"no\">%zu</b></span>"
		"<span>coverage <b id=\"total-coverage\">%.1f%%</b></span>"
		"<span>runtime writes <b id=\"total-runtime-writes\" class=\"%s\">%zu</b></span>"
		"<span>init writes <b id=\"total-init-writes\">%zu</b></span>"
		"<span>possible write paths <b id=\"total-write-paths\" class=\"%s\">%zu</b></span>"
		"</p>\n",
		s->sites, s->patchable, s->sites - s->patchable,
		coverage_percent(s->patchable, s->sites), s->runtime_writes ? "runtime" : "",
		s->runtime_writes, s->init_writes, s->write_paths ? "runtime" : "", s->write_paths);
}

void report_html(FILE *f, const struct audit *a, const struct audit_sum *s)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<title>pvlink audit</title><style>%s</style></head><body>\n"
		"<h1>pvlink audit</h1>\n<p>Inputs:", style);
	for (size_t i = 0; i < a->ninputs; i++) {
		fprintf(f, " <code>");
		esc(f, a->inputs[i].file);
		fprintf(f, "</code>%s", a->inputs[i].debug ? "" : " (no debug info)");
	}
	fprintf(f, "</p>\n");
	totals(f, s);
	for (size_t i = 0; i < s->ntables; i++) {
		fprintf(f, "<h2>ops table <code>");
		esc(f, s->tables[i].ops);
		fprintf(f, "</code>: %.1f%% of %zu sites patchable</h2>\n",
			coverage_percent(s->tables[i].patchable, s->tables[i].sites),
			s->tables[i].sites);
		chart(f, &s->tables[i]);
	}
	fprintf(f, "<h2>References, by field</h2>\n");
	rows(f, a, s, false, "sites");
	fprintf(f, "<h2>Writes to ops fields</h2>\n");
	rows(f, a, s, true, "writes");
	fprintf(f, "<script>%s</script>\n</body></html>\n", script);
}
