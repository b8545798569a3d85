// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * scan.c - find every reference to an ops table in an object's code.
 *
 * Strategy: walk the relocations of each executable section; keep those
 * whose symbol and addend land in or next to an ops table; decode the
 * function around each one (once per function) and let the classifier
 * decide what the instruction does with the table.  Relocations from
 * everywhere else that point into code are collected first: they are the
 * branch targets (jump tables, exception tables) that decoding alone
 * cannot see.
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
	static const char *const names[] = { "call", "jump", "read", "write", "address" };

	return names[kind];
}

static int cmp_reloc(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static struct ref *new_ref(struct refs *refs)
{
	if (refs->n == refs->cap) {
		size_t cap = refs->cap ? refs->cap * 2 : 64;
		struct ref *r = realloc(refs->r, cap * sizeof(*r));

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

/* Offsets in section `sec` that some relocation outside unwind data points at. */
static int collect_landings(struct elf *e, struct section *sec, uint64_t **land, size_t *n)
{
	size_t cap = 0;

	*land = NULL;
	*n = 0;
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *rsec = &e->secs[i];
		struct reloc *r;
		size_t nr;

		/* Unwind data and pvlink's own table point at code but never
		   branch there. */
		if (!rsec->base || !(rsec->base->sh.sh_flags & SHF_ALLOC) ||
		    !strcmp(rsec->base->name, ".eh_frame") ||
		    !strcmp(rsec->base->name, PVOPS_SECTION))
			continue;
		r = elf_read_relocs(e, rsec, &nr);
		if (!r)
			return -1;
		for (size_t k = 0; k < nr; k++) {
			const struct symbol *s = &e->syms[r[k].sym];
			uint64_t t = sym_offset(e, s) + (uint64_t)r[k].addend;

			if (s->shndx != sec->idx)
				continue;
			if (*n + 1 > cap) {
				uint64_t *grown = realloc(*land, (cap = cap * 2 + 64) * sizeof(**land));

				if (!grown) {
					free(r);
					return -1;
				}
				*land = grown;
			}
			/* In code, a PC-relative operand that points at code is
			   a branch's or a lea's: the last 4 bytes of its
			   instruction, so the target is S + A + 4.  Anything else
			   (data, absolute addresses) points at S + A. */
			if (section_is_text(rsec->base) &&
			    (r[k].type == R_X86_64_PC32 || r[k].type == R_X86_64_PLT32))
				t += 4;
			(*land)[(*n)++] = t;
		}
		free(r);
	}
	qsort(*land, *n, sizeof(**land), cmp_u64);
	return 0;
}

/* The function around `off`, or the gap between functions it falls in. */
static void func_bounds(struct elf *e, struct section *sec, uint64_t off,
			const struct symbol **func, uint64_t *start, uint64_t *end)
{
	*func = NULL;
	*start = 0;
	*end = sec->sh.sh_size;
	for (size_t i = 1; i < e->nsym; i++) {
		const struct symbol *s = &e->syms[i];
		uint64_t lo = sym_offset(e, s), hi = lo + s->sym.st_size;

		if (s->shndx != sec->idx || s->type != STT_FUNC || hi > sec->sh.sh_size)
			continue;
		if (lo <= off && off < hi && s->sym.st_size) {
			*func = s;
			*start = lo;
			*end = hi;
			return;
		}
		if (hi <= off && hi > *start)
			*start = hi;
		if (lo > off && lo < *end)
			*end = lo;
	}
}

static int scan_relocs(struct x86 *x, struct text_ctx *ctx, struct refs *out)
{
	struct func_code fc = { 0 };
	const struct symbol *func = NULL;

	for (size_t i = 0; i < ctx->nrel; i++) {
		const struct reloc *r = &ctx->rel[i];
		struct ref *ref;
		int64_t field;
		uint64_t start, end;

		if (!ops_find(ctx->ops, ctx->e, &ctx->e->syms[r->sym], r->addend,
			      MAX_PCREL_BIAS, &field))
			continue;
		if (!fc.insn || r->offset < fc.start || r->offset >= fc.end) {
			x86_free_func(&fc);
			func_bounds(ctx->e, ctx->sec, r->offset, &func, &start, &end);
			x86_decode(x, ctx, start, end, &fc);
			fc.start = start;
			fc.end = end;
		}
		ref = new_ref(out);
		if (!ref)
			return -1;
		*ref = (struct ref){ .sec = ctx->sec, .reloc = *r, .func = func };
		if (!x86_classify(x, ctx, &fc, ref))
			out->n--;
	}
	x86_free_func(&fc);
	return 0;
}

static int scan_section(struct x86 *x, struct elf *e, struct section *sec,
			const struct ops_set *ops, struct refs *out)
{
	struct text_ctx ctx = { .e = e, .sec = sec, .bytes = section_bytes(sec), .ops = ops };
	struct reloc *rel;
	uint64_t *land = NULL;
	int ret = -1;

	rel = elf_read_relocs(e, sec->rsec, &ctx.nrel);
	if (!rel || collect_landings(e, sec, &land, &ctx.nland))
		goto out;
	qsort(rel, ctx.nrel, sizeof(*rel), cmp_reloc);
	ctx.rel = rel;
	ctx.land = land;
	ret = scan_relocs(x, &ctx, out);
out:
	free(rel);
	free(land);
	return ret;
}

int scan_object(struct elf *e, const struct ops_set *ops, struct refs *out)
{
	struct x86 x;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (x86_open(&x)) {
		ERROR(e->path, "cannot start the Capstone decoder");
		return -1;
	}
	for (size_t i = 1; i < e->nsec && !ret; i++) {
		struct section *sec = &e->secs[i];

		if (section_is_text(sec) && sec->rsec && section_bytes(sec))
			ret = scan_section(&x, e, sec, ops, out);
	}
	x86_close(&x);
	return ret;
}
