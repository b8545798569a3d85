// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * entries.c - where control may enter code, from what the object says
 * outside the instructions: relocations (branches between sections, jump
 * tables, function pointers, stored label addresses), symbols, and the
 * landing pads of exception tables (eh.c).
 *
 * A relocation in data that is PC-relative (a PIC jump table entry,
 * `.long .L3 - .L4`) does not say where it points: its S + A lies past
 * the target by the entry's distance from the table's base, which no
 * relocation names.  The base lies in the same data section, at or
 * before the entry, so the target lies in [S + A - (P - section start),
 * S + A]: that range is recorded as unbounded.
 */
#include <stdlib.h>
#include <string.h>

#include "addrlists.h"
#include "arch.h"
#include "entries.h"
#include "pvops.h"
#include "scan.h"
#include "warn.h"

static int cmp_landing(const void *a, const void *b)
{
	const struct landing *x = a, *y = b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static void *grow(void *v, size_t *cap, size_t size)
{
	size_t ncap = *cap * 2 + 64;
	void *nv = pvrealloc(v, ncap * size);

	if (nv)
		*cap = ncap;
	return nv;
}

int add_landing(struct entries *en, size_t shndx, uint64_t off)
{
	if (en->nland == en->cap) {
		struct landing *v = grow(en->land, &en->cap, sizeof(*v));

		if (!v)
			return -1;
		en->land = v;
	}
	en->land[en->nland++] = (struct landing){ shndx, off };
	return 0;
}

int add_range(struct code_ranges *rs, size_t shndx, uint64_t start, uint64_t end)
{
	if (rs->n == rs->cap) {
		struct code_range *v = grow(rs->v, &rs->cap, sizeof(*v));

		if (!v)
			return -1;
		rs->v = v;
	}
	rs->v[rs->n++] = (struct code_range){ shndx, start, end };
	return 0;
}

bool ranges_overlap(const struct code_ranges *rs, size_t shndx, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].shndx == shndx && rs->v[i].start < end && start < rs->v[i].end)
			return true;
	return false;
}

/* Where the relocations of section sec point into code. */
static int landings_of(struct elf *e, struct section *sec, struct entries *en)
{
	bool from_code = section_is_text(sec);
	bool self_relative = section_self_relative(sec->name);
	const struct reloc *r;
	int ret = 0;

	if (section_relocs(e, sec))
		return -1;
	r = sec->relocs;
	for (size_t k = 0; k < sec->nrelocs && !ret; k++) {
		const struct symbol *s = &e->syms[r[k].sym];
		uint64_t t = sym_offset(e, s) + (uint64_t)r[k].addend;
		bool pc = reloc_pc_relative(e->arch, r[k].type);

		if (s->shndx == 0 || s->shndx >= e->nsec || !section_is_text(&e->secs[s->shndx]))
			continue;
		if (pc && !from_code && !self_relative) {
			/* a relative jump table: somewhere below S + A (top of file) */
			uint64_t below = r[k].offset < t ? r[k].offset : t;

			ret = add_range(&en->unbounded, s->shndx, t - below, t + 1);
			continue;
		}
		/* In code, a PC-relative operand that points at code is a
		   branch's, a lea's or a GOT load's (main@GOTPCREL in crt1):
		   the machine says where it points (the end of its
		   instruction on x86).  Anything else points at S + A: an
		   absolute address, or a self-relative pointer in data. */
		if (pc && from_code)
			t = sym_offset(e, s) + (uint64_t)e->arch->reloc_target(&r[k], 0);
		ret = add_landing(en, s->shndx, t);
	}
	return ret;
}

/* Every symbol in code is a place a caller may name. */
static int symbol_landings(struct elf *e, struct entries *en)
{
	for (size_t i = 1; i < e->nsym; i++) {
		const struct symbol *s = &e->syms[i];

		if (s->type == STT_SECTION || s->type == STT_FILE || s->shndx == 0 ||
		    s->shndx >= e->nsec || !section_is_text(&e->secs[s->shndx]))
			continue;
		if (add_landing(en, s->shndx, sym_offset(e, s)))
			return -1;
	}
	return 0;
}

/*
 * Unwind data (.eh_frame) points at every function's start but never
 * branches there; pvlink's own table points at sites but is only read by
 * the applier; address lists (addrlists.c) are read by their own tools.
 * Every other allocated section's relocations count.
 */
int entries_collect(struct elf *e, const struct addr_lists *lists, struct entries *en)
{
	memset(en, 0, sizeof(*en));
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *sec = &e->secs[i];

		if (!sec->rsec || !(sec->sh.sh_flags & SHF_ALLOC) ||
		    !strcmp(sec->name, ".eh_frame") ||
		    !strcmp(sec->name, PVOPS_SECTION) ||
		    !strcmp(sec->name, PVOPS_PATCH_SECTION) ||
		    section_lists_addresses(sec->name, lists))
			continue;
		if (landings_of(e, sec, en))
			return -1;
	}
	if (symbol_landings(e, en) || eh_collect(e, en))
		return -1;                      /* pvrealloc() said why */
	if (en->nland > 1)
		qsort(en->land, en->nland, sizeof(*en->land), cmp_landing);
	return 0;
}

void entries_free(struct entries *en)
{
	free(en->land);
	free(en->unbounded.v);
	free(en->throws.v);
	memset(en, 0, sizeof(*en));
}

uint64_t *entries_in_section(const struct entries *en, size_t shndx, size_t *n)
{
	size_t lo = 0, hi = en->nland, first;
	uint64_t *v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (en->land[mid].shndx < shndx)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (first = lo, hi = lo; hi < en->nland && en->land[hi].shndx == shndx; hi++)
		;
	*n = hi - first;
	v = pvmalloc((*n ? *n : 1) * sizeof(*v));
	for (size_t i = 0; v && i < *n; i++)
		v[i] = en->land[first + i].off;
	return v;
}

int code_entries_add(struct code_entries *ce, uint64_t off)
{
	if (ce->n == ce->cap) {
		uint64_t *v = grow(ce->v, &ce->cap, sizeof(*v));

		if (!v)
			return -1;
		ce->v = v;
	}
	ce->v[ce->n++] = off;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void code_entries_sort(struct code_entries *ce)
{
	if (ce->n > 1)
		qsort(ce->v, ce->n, sizeof(*ce->v), cmp_u64);
}

void code_entries_free(struct code_entries *ce)
{
	free(ce->v);
	free(ce->open.v);
	memset(ce, 0, sizeof(*ce));
}

/* Is some v[i] strictly inside (start, end)?  v sorted. */
static bool enters(const uint64_t *v, size_t n, uint64_t start, uint64_t end)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] < end;
}

const char *way_in_between(const struct text_ctx *ctx, const struct code_entries *code,
			   uint64_t start, uint64_t end)
{
	if (!code || code->unknown)
		return "the section holds code pvlink could not decode, so the ways into the site are not known";
	if (enters(ctx->land, ctx->nland, start, end) || enters(code->v, code->n, start, end))
		return "a branch, a stored label address or a landing pad may enter between where the register is set and the branch";
	if (ranges_overlap(&ctx->entries->unbounded, ctx->sec->idx, start + 1, end) ||
	    ranges_overlap(&code->open, ctx->sec->idx, start + 1, end))
		return "a relative jump table or an unreadable exception table may enter between where the register is set and the branch";
	return NULL;
}
