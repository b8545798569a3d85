// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * scan.c - find every reference to an ops table in an object's code.
 *
 * Strategy: walk the relocations of each executable section; keep those
 * whose symbol and addend land in or next to an ops table; decode the
 * function around each one (once per function) and let the machine's
 * classifier (arch.h) decide what the instruction does with the table.  The ways into code
 * that decoding one function cannot see (entries.c) are collected first.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "scan.h"
#include "warn.h"

const char *kind_name(enum ref_kind kind)
{
	static const char *const names[] = { "call", "jump", "read", "write", "address",
					     "undecoded", "data" };

	return names[kind];
}

struct ref *refs_add(struct refs *refs)
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

int ref_not_patchable(struct ref *ref, enum ref_kind kind, const char *reason,
		      const char *hint)
{
	ref->kind = kind;
	ref->patchable = false;
	ref->reason = reason;
	ref->hint = hint;
	return 0;
}

void refs_free(struct refs *refs)
{
	free(refs->r);
	memset(refs, 0, sizeof(*refs));
}

static int scan_relocs(struct decoder *d, struct text_ctx *ctx, struct refs *out)
{
	const struct arch *arch = ctx->e->arch;
	const struct section *sec = ctx->sec;
	const struct symbol *func = NULL;
	uint64_t start = 0, end = 0;
	int ret = 0;

	for (size_t i = 0; i < sec->nrelocs && !ret; i++) {
		const struct reloc *r = &sec->relocs[i];
		struct symbol *f;
		int64_t field;

		if (!ops_find(ctx->ops, ctx->e, &ctx->e->syms[r->sym], r->addend,
			      arch->operand_bias, &field))
			continue;
		if (r->offset < start || r->offset >= end || start == end) {
			find_func_bounds(ctx->e, sec->idx, r->offset, sec->sh.sh_size, &f, &start,
					 &end);
			func = f;
			if ((ret = arch->decode(d, ctx, start, end)))
				break;
		}
		ret = arch->classify(d, ctx, r, func, out);
	}
	return ret;
}

/* By offset, then by the relocation that found them: a machine may find
   several references from one relocation, after those of later ones. */
static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->reloc.offset < y->reloc.offset ? -1 : x->reloc.offset > y->reloc.offset;
}

static void sort_refs(struct ref *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_ref(&r[i - 1], &r[i]) > 0) {
			qsort(r, n, sizeof(*r), cmp_ref);
			return;
		}
}

static int scan_section(struct decoder *d, struct elf *e, struct section *sec,
			const struct ops_set *ops, const struct entries *en, struct refs *out)
{
	struct code_entries code = { 0 };
	struct text_ctx ctx = { .e = e, .sec = sec, .bytes = section_bytes(sec), .ops = ops,
				.entries = en, .code = &code };
	uint64_t *land = NULL;
	size_t first;
	int ret = -1;

	if (section_relocs(e, sec) || !(land = entries_in_section(en, sec->idx, &ctx.nland)))
		goto out;
	ctx.land = land;
	first = out->n;
	ret = scan_relocs(d, &ctx, out);
	if (!ret && out->n > first)
		sort_refs(out->r + first, out->n - first);
out:
	code_entries_free(&code);
	free(land);
	return ret;
}

int scan_object(struct elf *e, const struct ops_set *ops, const struct addr_lists *lists,
		struct refs *out)
{
	struct decoder *d;
	struct entries en;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	d = e->arch->decoder_open(e->arch, e->path);
	if (!d)
		return -1;
	ret = entries_collect(e, lists, &en);
	for (size_t i = 1; i < e->nsec && !ret; i++) {
		struct section *sec = &e->secs[i];

		if (section_is_text(sec) && sec->rsec && section_bytes(sec))
			ret = scan_section(d, e, sec, ops, &en, out);
	}
	entries_free(&en);
	e->arch->decoder_close(d);
	return ret;
}

void ref_form(struct elf *e, const struct ref *r, char *buf, size_t size)
{
	e->arch->format_ref(e, r, buf, size);
}
