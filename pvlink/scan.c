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
	static const char *const names[] = { "call", "jump", "read", "write", "address", "data" };

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

struct landing {
	size_t   shndx;
	uint64_t off;
};

struct landings {
	struct landing *v;
	size_t          n, cap;
};

static int cmp_landing(const void *a, const void *b)
{
	const struct landing *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int add_landing(struct landings *l, size_t shndx, uint64_t off)
{
	if (l->n == l->cap) {
		size_t cap = l->cap * 2 + 64;
		struct landing *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = (struct landing){ shndx, off };
	return 0;
}

/* Where the relocations of one section point into code. */
static int landings_of(struct elf *e, struct section *rsec, struct landings *l)
{
	struct reloc *r;
	size_t nr;
	int ret = 0;

	r = elf_read_relocs(e, rsec, &nr);
	if (!r)
		return -1;
	for (size_t k = 0; k < nr && !ret; k++) {
		const struct symbol *s = &e->syms[r[k].sym];
		uint64_t t = sym_offset(e, s) + (uint64_t)r[k].addend;

		if (s->shndx == 0 || s->shndx >= e->nsec || !section_is_text(&e->secs[s->shndx]))
			continue;
		/* In code, a PC-relative operand that points at code is a
		   branch's, a lea's or a GOT load's (main@GOTPCREL in crt1):
		   the last 4 bytes of its instruction, so the target is
		   S + A + 4.  Anything else (data, absolute addresses)
		   points at S + A. */
		if (section_is_text(rsec->base) && reloc_pc_relative(e->arch, r[k].type))
			t += 4;
		ret = add_landing(l, s->shndx, t);
	}
	free(r);
	return ret;
}

/*
 * Every place in code that some relocation points at, outside unwind data
 * and pvlink's own table (which point at code but never branch there):
 * the branch targets decoding one function cannot see.
 */
static int collect_landings(struct elf *e, struct landings *l)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *rsec = &e->secs[i];

		if (!rsec->base || !(rsec->base->sh.sh_flags & SHF_ALLOC) ||
		    !strcmp(rsec->base->name, ".eh_frame") ||
		    !strcmp(rsec->base->name, PVOPS_SECTION))
			continue;
		if (landings_of(e, rsec, l))
			return -1;
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_landing);
	return 0;
}

/* The landings in section sec, as sorted offsets. */
static uint64_t *section_landings(const struct landings *l, size_t sec, size_t *n)
{
	size_t lo = 0, hi = l->n, first;
	uint64_t *v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].shndx < sec)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (first = lo; hi < l->n && l->v[hi].shndx == sec; hi++)
		;
	*n = hi - first;
	v = malloc((*n ? *n : 1) * sizeof(*v));
	for (size_t i = 0; v && i < *n; i++)
		v[i] = l->v[first + i].off;
	return v;
}

static int scan_relocs(struct x86 *x, struct text_ctx *ctx, struct refs *out)
{
	struct func_code fc = { 0 };
	struct symbol *func = NULL;

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
			find_func_bounds(ctx->e, ctx->sec->idx, r->offset, ctx->sec->sh.sh_size,
					 &func, &start, &end);
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
			const struct ops_set *ops, const struct landings *l, struct refs *out)
{
	struct text_ctx ctx = { .e = e, .sec = sec, .bytes = section_bytes(sec), .ops = ops };
	struct reloc *rel;
	uint64_t *land = NULL;
	int ret = -1;

	rel = elf_read_relocs(e, sec->rsec, &ctx.nrel);
	if (!rel || !(land = section_landings(l, sec->idx, &ctx.nland)))
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
	struct landings l;
	struct x86 x;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (x86_open(&x, e->arch)) {
		ERROR(e->path, "cannot start the Capstone decoder");
		return -1;
	}
	ret = collect_landings(e, &l);
	for (size_t i = 1; i < e->nsec && !ret; i++) {
		struct section *sec = &e->secs[i];

		if (section_is_text(sec) && sec->rsec && section_bytes(sec))
			ret = scan_section(&x, e, sec, ops, &l, out);
	}
	free(l.v);
	x86_close(&x);
	return ret;
}
