// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * image_table.c - the patch table of a linked image, entry by entry.
 *
 * Entries that cover the same bytes come from identical-code folding
 * (gold and lld --icf=all leave both copies' entries naming the one
 * function kept): twins, which the applier writes once, or entries that
 * describe the same bytes otherwise, which it writes neither of.  They
 * are found by sorting the entries' extents.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "image_table.h"
#include "warn.h"

uint64_t image_wrap(const struct elf *e, uint64_t v)
{
	return e->eh.e_ident[EI_CLASS] == ELFCLASS32 ? (uint32_t)v : v;
}

void image_entry_read(const struct elf *e, const struct section *table, size_t i,
		      struct image_entry *ie)
{
	memcpy(&ie->e, section_bytes(table) + i * sizeof(ie->e), sizeof(ie->e));
	ie->addr = table->sh.sh_addr + i * sizeof(ie->e);
	ie->site = image_wrap(e, ie->addr + 4 + (uint64_t)(int64_t)ie->e.site);
	ie->slot = image_wrap(e, ie->addr + 8 + (uint64_t)(int64_t)ie->e.slot);
	ie->thunk = image_wrap(e, ie->addr + 12 + (uint64_t)(int64_t)ie->e.thunk);
}

bool image_entries_twins(const struct image_entry *a, const struct image_entry *b)
{
	return a->site == b->site && a->slot == b->slot && a->e.form == b->e.form &&
	       a->e.len == b->e.len && a->e.branch == b->e.branch && a->e.reg == b->e.reg &&
	       ((a->e.form & PVOPS_KIND) != PVOPS_THUNK || a->thunk == b->thunk);
}

/* The bytes entry i reads: [lo, hi). */
struct extent {
	uint64_t lo, hi;
	size_t   i;
};

static int cmp_extent(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Is the entry one the applier would check at all (magic, machine, shape)? */
static bool well_formed(const struct elf *e, const struct image_entry *ie)
{
	uint8_t out[PVOPS_MAX_LEN];

	return ie->e.magic == PVOPS_MAGIC && ie->e.version == PVOPS_VERSION &&
	       ie->e.len <= PVOPS_MAX_LEN && (ie->e.form & PVOPS_MACHINE) == e->arch->form &&
	       pvops_original(&ie->e, ie->site, ie->slot, ie->thunk, out);
}

int image_entries_overlap(const struct elf *e, const struct section *table, size_t n,
			  void (*pair)(void *ctx, size_t i, size_t j), void *ctx)
{
	struct extent *x = pvcalloc(n ? n : 1, sizeof(*x));
	size_t m = 0;

	if (!x)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct image_entry ie;

		image_entry_read(e, table, i, &ie);
		if (well_formed(e, &ie))
			x[m++] = (struct extent){ ie.site, ie.site + pvops_span(&ie.e), i };
	}
	qsort(x, m, sizeof(*x), cmp_extent);
	for (size_t a = 0; a < m; a++)
		for (size_t b = a + 1; b < m && x[b].lo < x[a].hi; b++)
			pair(ctx, x[a].i < x[b].i ? x[a].i : x[b].i,
			     x[a].i < x[b].i ? x[b].i : x[a].i);
	free(x);
	return 0;
}
