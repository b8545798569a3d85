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

#include "report.h"
#include "table.h"
#include "warn.h"

struct image_entry {
	struct pvops_site e;
	uint64_t          addr, site, slot, thunk;
};

/* A 32-bit image's addresses wrap around at 4 GiB, as its code's do. */
static uint64_t field_target(const struct elf *e, uint64_t field_addr, int32_t value)
{
	uint64_t t = field_addr + (uint64_t)(int64_t)value;

	return e->eh.e_ident[EI_CLASS] == ELFCLASS32 ? (uint32_t)t : t;
}

static void read_entry(const struct elf *e, const struct section *table, size_t i,
		       struct image_entry *ie)
{
	memcpy(&ie->e, section_bytes(table) + i * sizeof(ie->e), sizeof(ie->e));
	ie->addr = table->sh.sh_addr + i * sizeof(ie->e);
	ie->site = field_target(e, ie->addr + 4, ie->e.site);
	ie->slot = field_target(e, ie->addr + 8, ie->e.slot);
	ie->thunk = field_target(e, ie->addr + 12, ie->e.thunk);
}

/* Why entry ie does not match the image, or NULL when it does. */
static const char *check_entry(struct elf *e, const struct image_entry *ie,
			       struct section **text)
{
	uint8_t want[PVOPS_MAX_LEN], have[PVOPS_MAX_LEN];
	/* a split site's branch lies past its length */
	uint64_t span = pvops_write_offset(&ie->e) + pvops_write_len(&ie->e);

	*text = NULL;
	if (ie->e.magic != PVOPS_MAGIC || ie->e.version != PVOPS_VERSION)
		return "bad magic or version";
	if (ie->e.len > PVOPS_MAX_LEN)
		return "site longer than any form";
	*text = find_section_by_addr(e, ie->site, span > ie->e.len ? span : ie->e.len);
	if (!*text || !section_is_text(*text) || !section_bytes(*text))
		return "site is not in executable code";
	if (ie->e.written)
		return "entry records a write already (image taken from memory?)";
	if ((ie->e.form & PVOPS_I386) != e->arch->form)
		return "entry describes code of another machine (i386 and x86-64 mixed)";
	if (!pvops_original(&ie->e, ie->site, ie->slot, ie->thunk, want))
		return "entry is malformed (form, register or length)";
	pvops_gather(&ie->e, section_bytes(*text) + (ie->site - (*text)->sh.sh_addr), have);
	if (memcmp(have, want, ie->e.len))
		return "site no longer holds the recorded instructions";
	return NULL;
}

static int check_entries(struct elf *e, const struct section *table, uint64_t *sites,
			 size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct image_entry ie;
		struct section *text;
		const char *why;
		char where[128];

		read_entry(e, table, i, &ie);
		sites[i] = ie.site;
		why = check_entry(e, &ie, &text);
		if (!why)
			continue;
		if (text)
			format_location(e, text, ie.site - text->sh.sh_addr, where, sizeof(where));
		else
			snprintf(where, sizeof(where), "0x%llx", (unsigned long long)ie.site);
		ERROR(e->path, "%s: entry %zu (site 0x%llx): %s", where, i,
		      (unsigned long long)ie.site, why);
		bad++;
	}
	return bad;
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

		read_entry(e, table, i, &ie);
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
	if (!ops.n || scan_object(e, &ops, &refs)) {
		ops_free(&ops);
		return ops.n ? -1 : 0;
	}
	qsort(sites, n, sizeof(*sites), cmp_u64);
	for (size_t i = 0; i < refs.n; i++) {
		const struct ref *r = &refs.r[i];
		uint64_t addr = r->sec->sh.sh_addr + r->off;
		char where[128];

		if (o->verbose)
			report_ref_line(stdout, e, r);
		if (!r->patchable)
			continue;
		(*checked)++;
		if (bsearch(&addr, sites, n, sizeof(*sites), cmp_u64))
			continue;
		format_location(e, r->sec, r->off, where, sizeof(where));
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
	int bad, missing = 0;

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
	if (!sites)
		return EXIT_BAD_INPUT;
	bad = check_entries(e, table, sites, n);
	if (has_code_relocs(e))
		missing = check_complete(e, o, table, sites, n, &checked);
	free(sites);
	if (missing < 0)
		return EXIT_BAD_INPUT;
	if (!o->quiet)
		printf("%s: %zu entries, %d bad; %zu patchable sites rescanned, %d without entry\n",
		       e->path, n, bad, checked, missing);
	return bad || missing ? EXIT_REFUSED : EXIT_OK;
}
