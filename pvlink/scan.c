// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * scan.c - find every reference to an ops table in an object's code.
 *
 * Strategy: walk the relocations of each executable section; keep those
 * whose symbol and addend land in or next to an ops table; decode the
 * function around each one (once per function) and let the classifier
 * decide what the instruction does with the table.  The ways into code
 * that decoding one function cannot see (entries.c) are collected first.
 */
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "warn.h"
#include "x86.h"

/* How far an instruction's operand may sit from the end of the instruction. */
#define MAX_PCREL_BIAS 16

const char *kind_name(enum ref_kind kind)
{
	static const char *const names[] = { "call", "jump", "read", "write", "address",
					     "undecoded", "data" };

	return names[kind];
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static struct ref *new_ref(struct refs *refs)
{
	if (refs->n == refs->cap) {
		size_t cap = refs->cap ? refs->cap * 2 : 64;
		struct ref *r = pvrealloc(refs->r, cap * sizeof(*r));

		if (!r)
			return NULL;
		refs->r = r;
		refs->cap = cap;
	}
	memset(&refs->r[refs->n], 0, sizeof(refs->r[0]));
	return &refs->r[refs->n++];
}

void refs_free(struct refs *refs)
{
	free(refs->r);
	memset(refs, 0, sizeof(*refs));
}

static int scan_relocs(struct x86 *x, struct text_ctx *ctx, struct refs *out)
{
	struct func_code fc = { 0 };
	struct symbol *func = NULL;
	bool decoded = false;
	int ret = 0;

	for (size_t i = 0; i < ctx->nrel && !ret; i++) {
		const struct reloc *r = &ctx->rel[i];
		struct ref *ref;
		int64_t field;
		uint64_t start, end;

		if (!ops_find(ctx->ops, ctx->e, &ctx->e->syms[r->sym], r->addend,
			      MAX_PCREL_BIAS, &field))
			continue;
		if (!decoded || r->offset < fc.start || r->offset >= fc.end) {
			find_func_bounds(ctx->e, ctx->sec->idx, r->offset, ctx->sec->sh.sh_size,
					 &func, &start, &end);
			if ((ret = x86_decode(x, ctx, start, end, &fc)))
				break;
			decoded = true;
		}
		ref = new_ref(out);
		if (!ref) {
			ret = -1;
			break;
		}
		*ref = (struct ref){ .sec = ctx->sec, .reloc = *r, .func = func };
		if (!x86_classify(x, ctx, &fc, ref))
			out->n--;
	}
	x86_free_func(&fc);
	return ret;
}

static int scan_section(struct x86 *x, struct elf *e, struct section *sec,
			const struct ops_set *ops, const struct entries *en, struct refs *out)
{
	struct code_entries code = { 0 };
	struct text_ctx ctx = { .e = e, .sec = sec, .bytes = section_bytes(sec), .ops = ops,
				.entries = en, .code = &code };
	struct reloc *rel;
	uint64_t *land = NULL;
	int ret = -1;

	rel = elf_read_relocs(e, sec->rsec, &ctx.nrel);
	if (!rel || !(land = entries_in_section(en, sec->idx, &ctx.nland)))
		goto out;
	qsort(rel, ctx.nrel, sizeof(*rel), cmp_reloc);
	ctx.rel = rel;
	ctx.land = land;
	ret = scan_relocs(x, &ctx, out);
out:
	code_entries_free(&code);
	free(rel);
	free(land);
	return ret;
}

int scan_object(struct elf *e, const struct ops_set *ops, const struct addr_lists *lists,
		struct refs *out)
{
	struct entries en;
	struct x86 x;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (x86_open(&x, e->arch)) {
		ERROR(e->path, "cannot start the Capstone decoder");
		return -1;
	}
	ret = entries_collect(e, lists, &en);
	for (size_t i = 1; i < e->nsec && !ret; i++) {
		struct section *sec = &e->secs[i];

		if (section_is_text(sec) && sec->rsec && section_bytes(sec))
			ret = scan_section(&x, e, sec, ops, &en, out);
	}
	entries_free(&en);
	x86_close(&x);
	return ret;
}
