// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * verify.c - check a linked image's patch table against its code.
 *
 * Two checks.  Soundness: every entry's site holds exactly the bytes the
 * applier will rebuild from the entry (pvops_original(), the applier's own
 * code), so the applier will recognise it.  Completeness, when the image
 * keeps its relocations (--emit-relocs): a fresh scan of the image finds
 * no patchable site that lacks an entry.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "image_table.h"
#include "patch.h"
#include "report.h"
#include "table.h"
#include "warn.h"

/* Why an entry's fields break the format (include/pvops.h), or NULL. */
static const char *check_fields(const struct elf *e, const struct pvops_site *x)
{
	uint32_t kind = x->form & PVOPS_KIND;

	if (x->magic != PVOPS_MAGIC || x->version != PVOPS_VERSION)
		return "bad magic or version";
	if (x->len > PVOPS_MAX_LEN)
		return "site longer than any form";
	if (x->reserved)
		return "reserved byte is not zero";
	/* a GOT-relative entry uses reg (its base) and thunk (the GOT) */
	if (kind == PVOPS_MEM && x->reg && !(x->form & PVOPS_GOT))
		return "unused field reg is not zero (PVOPS_MEM entry)";
	if (kind != PVOPS_THUNK && x->thunk && !(x->form & PVOPS_GOT))
		return "unused field thunk is not zero (entry without a thunk)";
	if ((x->form & PVOPS_MACHINE) != e->arch->form)
		return (x->form | e->arch->form) & PVOPS_A64 ?
		       "entry describes code of another machine (AArch64 and x86 mixed)" :
		       "entry describes code of another machine (i386 and x86-64 mixed)";
	return NULL;
}

/* Sites pvlink patch (or an applier) rewrote, by outcome (PVOPS_OUT_*). */
struct prepatch {
	struct patch_recs recs;
	size_t            count[4];
	bool              verbose;
};

/*
 * A site marked as the applier marks what it writes: accepted when its
 * bytes are exactly what the applier writes for some target, which
 * --verbose names.
 */
static const char *prepatched(struct elf *e, const struct image_entry *ie,
			      const uint8_t *orig, const uint8_t *have, struct prepatch *pre)
{
	static const char *const what[] = { "indirect", "direct", "inlined", "nop" };
	uint64_t target = 0;
	int out = patch_identify(&ie->e, ie->site, &pre->recs, orig, have, &target);
	char site[128], to[128];
	struct section *sec;

	if (out < 0)
		return "site holds bytes marked as the applier's that it writes for no target";
	pre->count[out]++;
	if (!pre->verbose)
		return NULL;
	sec = find_section_by_addr(e, ie->site, 1);
	format_location(e, sec, ie->site - sec->sh.sh_addr, site, sizeof(site));
	sec = find_section_by_addr(e, target, 1);
	if (sec)
		format_location(e, sec, target - sec->sh.sh_addr, to, sizeof(to));
	else
		snprintf(to, sizeof(to), "0x%llx", (unsigned long long)target);
	printf("%s: pre-patched, %s: %s\n", site, what[out], to);
	return NULL;
}

/*
 * A pre-patched site gets its original bytes back, in memory only (the
 * image is read, never written): --complete then rescans the code as the
 * compiler emitted it.  What one site was rewritten into (an inline word
 * where a call was) must not change what the proofs see at another.
 */
static void put_back(struct section *text, const struct image_entry *ie, const uint8_t *orig)
{
	uint32_t wlen = pvops_write_len(&ie->e);
	uint8_t *bytes = (uint8_t *)(uintptr_t)section_bytes(text);

	memcpy(bytes + (ie->site - text->sh.sh_addr) + pvops_write_offset(&ie->e),
	       orig + ie->e.len - wlen, wlen);
}

/* Why entry ie does not match the image, or NULL when it does. */
static const char *check_entry(struct elf *e, const struct image_entry *ie,
			       struct prepatch *pre)
{
	uint8_t want[PVOPS_MAX_LEN], have[PVOPS_MAX_LEN];
	const char *why = check_fields(e, &ie->e);
	struct section *text = find_section_by_addr(e, ie->site, pvops_span(&ie->e));

	if (!text || !section_is_text(text) || !section_bytes(text))
		text = NULL;
	/* a foreign header first, then where the site is, then the other fields */
	if (why && (ie->e.magic != PVOPS_MAGIC || ie->e.version != PVOPS_VERSION ||
		    ie->e.len > PVOPS_MAX_LEN))
		return why;
	if (!text)
		return "site is not in executable code";
	if (why)
		return why;
	if (!pvops_original(&ie->e, ie->site, ie->slot, ie->thunk, want))
		return "entry is malformed (form, register or length)";
	pvops_gather(&ie->e, section_bytes(text) + (ie->site - text->sh.sh_addr), have);
	if (!memcmp(have, want, ie->e.len))
		return ie->e.written ? "entry records a write already (image taken from memory?)"
				     : NULL;
	if (ie->e.written && pvops_mark(&ie->e, want, have) == ie->e.written) {
		why = prepatched(e, ie, want, have, pre);
		if (!why)
			put_back(text, ie, want);
		return why;
	}
	return "site no longer holds the recorded instructions";
}

/* One line about entry i: `FILE: LEVEL: WHERE: entry I (site 0x...): WHY`. */
static void report_entry(struct elf *e, bool error, const struct image_entry *ie, size_t i,
			 const char *why)
{
	struct section *text = find_section_by_addr(e, ie->site, 1);
	char where[128];

	if (text && section_is_text(text))
		format_location(e, text, ie->site - text->sh.sh_addr, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "0x%llx", (unsigned long long)ie->site);
	if (error)
		ERROR(e->path, "%s: entry %zu (site 0x%llx): %s", where, i,
		      (unsigned long long)ie->site, why);
	else
		WARN(e->path, "%s: entry %zu (site 0x%llx): %s", where, i,
		     (unsigned long long)ie->site, why);
}

/* Each entry; pre-patched ones counted in count[PVOPS_OUT_*].  -1: bad records. */
static int check_entries(struct elf *e, const struct section *table, uint64_t *sites,
			 size_t n, bool *bad, bool verbose, size_t count[4])
{
	struct prepatch pre = { .verbose = verbose };

	if (patch_recs_read(e, &pre.recs))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct image_entry ie;
		const char *why;

		image_entry_read(e, table, i, &ie);
		sites[i] = ie.site;
		why = check_entry(e, &ie, &pre);
		if (!why)
			continue;
		report_entry(e, true, &ie, i, why);
		bad[i] = true;
	}
	patch_recs_free(&pre.recs);
	memcpy(count, pre.count, sizeof(pre.count));
	return 0;
}

/* The line a pre-patched image adds to the summary. */
static void print_prepatched(const struct elf *e, const size_t *count)
{
	size_t n = count[PVOPS_OUT_DIRECT] + count[PVOPS_OUT_INLINED] + count[PVOPS_OUT_NOP];

	if (n)
		printf("%s: %zu sites pre-patched: %zu inlined, %zu direct, %zu nop\n", e->path, n,
		       count[PVOPS_OUT_INLINED], count[PVOPS_OUT_DIRECT], count[PVOPS_OUT_NOP]);
}

struct overlap_ctx {
	struct elf            *e;
	const struct section  *table;
	bool                  *bad;
};

/* Entries i < j whose bytes overlap: a warning for twins, else an error for both. */
static void check_pair(void *ctx, size_t i, size_t j)
{
	struct overlap_ctx *c = ctx;
	struct image_entry a, b;
	char why[160];

	image_entry_read(c->e, c->table, i, &a);
	image_entry_read(c->e, c->table, j, &b);
	if (image_entries_twins(&a, &b)) {
		snprintf(why, sizeof(why), "the same site as entry %zu (identical code folded?): "
			 "the applier writes it once", i);
		report_entry(c->e, false, &b, j, why);
		return;
	}
	snprintf(why, sizeof(why), "shares bytes with entry %zu (site 0x%llx), which describes "
		 "them otherwise: the applier writes neither", i, (unsigned long long)a.site);
	report_entry(c->e, true, &b, j, why);
	c->bad[i] = c->bad[j] = true;
}

/*
 * Entries that cover the same bytes: gold and lld --icf=all fold identical
 * functions and leave both copies' entries naming the one kept.  Only
 * entries of this image's machine with a well-formed shape take part, as
 * in the applier.
 */
static int check_overlaps(struct elf *e, const struct section *table, size_t n, bool *bad)
{
	struct overlap_ctx c = { e, table, bad };

	return image_entries_overlap(e, table, n, check_pair, &c);
}

static bool has_code_relocs(struct elf *e)
{
	for (size_t i = 1; i < e->nsec; i++)
		if (section_is_text(&e->secs[i]) && e->secs[i].rsec)
			return true;
	return false;
}

/* Tables to rescan: those named, those marked, those the entries' slots lie in. */
static int completeness_ops(struct elf *e, const struct verify_opts *o, const struct section *table,
			    size_t n, struct ops_set *ops)
{
	if (ops_resolve(e, o->ops, o->nops, ops, false))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct image_entry ie;
		struct section *sec;
		struct symbol *sym;

		image_entry_read(e, table, i, &ie);
		sec = find_section_by_addr(e, ie.slot, e->arch->slot_size);
		sym = sec ? find_symbol_containing(e, sec->idx, ie.slot - sec->sh.sh_addr,
						   STT_OBJECT) : NULL;
		if (sym && ops_add(e, ops, sym))
			return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static int check_complete(struct elf *e, const struct verify_opts *o, const struct section *table,
			  uint64_t *sites, size_t n, size_t *checked)
{
	struct ops_set ops;
	struct refs refs;
	int bad = 0;

	if (completeness_ops(e, o, table, n, &ops))
		return -1;
	if (!ops.n || scan_object(e, &ops, &o->lists, &refs)) {
		ops_free(&ops);
		return ops.n ? -1 : 0;
	}
	qsort(sites, n, sizeof(*sites), cmp_u64);
	for (size_t i = 0; i < refs.n; i++) {
		const struct ref *r = &refs.r[i];
		uint64_t addr = r->sec->sh.sh_addr + r->site_off;
		char where[128];

		if (o->verbose)
			report_ref_line(stdout, e, r);
		if (!r->patchable)
			continue;
		(*checked)++;
		if (bsearch(&addr, sites, n, sizeof(*sites), cmp_u64))
			continue;
		format_location(e, r->sec, r->site_off, where, sizeof(where));
		ERROR(e->path, "%s: patchable call through %s+0x%llx has no table entry "
		      "(object not run through pvlink table?)", where, r->ops->name,
		      (unsigned long long)r->field);
		bad++;
	}
	refs_free(&refs);
	ops_free(&ops);
	return bad;
}

int table_verify(struct elf *e, const struct verify_opts *o)
{
	struct section *table = find_section_by_name(e, PVOPS_SECTION);
	size_t n, checked = 0;
	uint64_t *sites;
	bool *flags;
	size_t pre[4] = { 0 };
	int bad = 0, missing = 0;

	if (!e->linked) {
		ERROR(e->path, "is a relocatable object: verify checks the linked image");
		return EXIT_BAD_INPUT;
	}
	/* processed objects with nothing to patch: no table, but the note */
	if (table && !section_bytes(table))
		table = NULL;
	if (!table && !table_note_present(e)) {
		ERROR(e->path, "no pvlink table (section %s): run pvlink table on the object "
		      "before the final link", PVOPS_SECTION);
		return EXIT_REFUSED;
	}
	if (table && table->sh.sh_size % sizeof(struct pvops_site)) {
		ERROR(e->path, "%s: size %llu is not a whole number of %zu-byte entries",
		      PVOPS_SECTION, (unsigned long long)table->sh.sh_size, sizeof(struct pvops_site));
		return EXIT_REFUSED;
	}
	if (!has_code_relocs(e) && o->complete) {
		ERROR(e->path, "no relocations in the image: link with -Wl,--emit-relocs "
		      "to check completeness");
		return EXIT_BAD_INPUT;
	}
	n = table ? table->sh.sh_size / sizeof(struct pvops_site) : 0;
	sites = pvcalloc(n ? n : 1, sizeof(*sites));
	flags = pvcalloc(n ? n : 1, sizeof(*flags));
	if (!sites || !flags) {
		free(sites);
		free(flags);
		return EXIT_BAD_INPUT;
	}
	if (check_entries(e, table, sites, n, flags, o->verbose, pre) ||
	    check_overlaps(e, table, n, flags))
		missing = -1;
	for (size_t i = 0; i < n; i++)
		bad += flags[i];
	if (missing == 0 && has_code_relocs(e))
		missing = check_complete(e, o, table, sites, n, &checked);
	free(sites);
	free(flags);
	if (missing < 0)
		return EXIT_BAD_INPUT;
	if (!o->quiet)
		printf("%s: %zu entries, %d bad; %zu patchable sites rescanned, %d without entry\n",
		       e->path, n, bad, checked, missing);
	if (!o->quiet)
		print_prepatched(e, pre);
	return bad || missing ? EXIT_REFUSED : EXIT_OK;
}
