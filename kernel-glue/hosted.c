// SPDX-License-Identifier: MIT
/*
 * hosted.c - the applier's environment for a program, shared library or
 * plugin (a "module": one ELF object loaded in the process).
 *
 * Strategy: find the module this file is linked into among the loaded
 * objects (dl_iterate_phdr) and read its program headers.  An entry goes
 * to the applier only when its site lies in one of the module's
 * executable segments and its slot in a readable one; any other entry is
 * a bad entry and nothing is read or written for it (the applier counts
 * a malformed one itself, from its fields alone).  Then, per executable
 * segment, the pages written by the sites the applier's own check
 * accepts are made writable with one mprotect() (and stay executable:
 * the applier itself may live on one of them), the applier runs over the
 * segment's entries, and the pages get back the protection the segment's
 * program header gives them.  When that mprotect() fails, the segment's
 * entries are done one at a time, each with its own pages, so a page
 * that cannot be made writable fails only its own sites.  The poke is a
 * copy, followed on AArch64 by the cache maintenance its instruction
 * fetch needs.  A module has its own copy of this file and its own table
 * bounds (hidden symbols): it applies its own table, never another's.
 * A module that needs no write (pre-patched by `pvlink patch` for the
 * slots it has) is checked without making any page writable.
 *
 * This must run before other threads start: a thread executing a site
 * while it is half-written would run a torn instruction.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvops.h"

/*
 * Hidden, so that they resolve to this module's own table or, when it has
 * none, to 0 at link time: never to another module's at run time.
 */
extern struct pvops_site __start_pvlink_sites[] __attribute__((weak)) PVOPS_LOCAL;
extern struct pvops_site __stop_pvlink_sites[] __attribute__((weak)) PVOPS_LOCAL;
/* The patches PVOPS_INLINE()/PVOPS_NOP() registered in this module. */
extern const struct pvops_patch_rec __start_pvlink_patches[] __attribute__((weak)) PVOPS_LOCAL;
extern const struct pvops_patch_rec __stop_pvlink_patches[] __attribute__((weak)) PVOPS_LOCAL;

struct module {
	uintptr_t        base;      /* load bias: add to p_vaddr */
	const ElfW(Phdr) *ph;
	size_t           phnum;
	uintptr_t        page;
	const ElfW(Phdr) *text, *data;  /* where the last site and slot were: most hit them */
};

/*
 * A plain copy, then what AArch64 needs before the new instruction runs:
 * its instruction fetch does not see data writes by itself (pvops.h, the
 * poke hook), and __builtin___clear_cache() cleans the data cache to the
 * point of unification, invalidates the instruction cache and
 * synchronises.  x86 keeps its instruction fetch coherent: there the
 * builtin is empty.
 */
static int poke_copy(void *addr, const void *src, uint32_t len, void *ctx)
{
	(void)ctx;
	memcpy(addr, src, len);
	__builtin___clear_cache((char *)addr, (char *)addr + len);
	return 0;
}

static int holds(const struct module *m, const ElfW(Phdr) *p, uintptr_t lo, uintptr_t n,
		 uint32_t flags)
{
	uintptr_t start = m->base + p->p_vaddr;

	return p->p_type == PT_LOAD && (p->p_flags & flags) == flags &&
	       lo >= start && n <= p->p_memsz && lo - start <= p->p_memsz - n;
}

/*
 * The PT_LOAD segment of m that holds [lo, lo + n) and has all of flags,
 * or NULL.  *hint is tried first and updated.
 */
static const ElfW(Phdr) *segment_of(const struct module *m, uintptr_t lo, uintptr_t n,
				    uint32_t flags, const ElfW(Phdr) **hint)
{
	if (*hint && holds(m, *hint, lo, n, flags))
		return *hint;
	for (size_t i = 0; i < m->phnum; i++)
		if (holds(m, &m->ph[i], lo, n, flags))
			return *hint = &m->ph[i];
	return NULL;
}

struct find {
	uintptr_t     addr;
	struct module *m;
};

/* dl_iterate_phdr callback: the loaded object that holds f->addr. */
static int find_module(struct dl_phdr_info *info, size_t size, void *data)
{
	struct find *f = data;
	struct module self = { info->dlpi_addr, info->dlpi_phdr, info->dlpi_phnum, f->m->page,
			       NULL, NULL };

	(void)size;
	if (!segment_of(&self, f->addr, 1, 0, &self.data))
		return 0;
	*f->m = self;
	return 1;
}

/*
 * The segment that holds e's site, when the applier may read it and the
 * slot; else NULL.  Whether e is well-formed is the applier's to say.
 */
static const ElfW(Phdr) *inside(struct module *m, const struct pvops_site *e)
{
	const ElfW(Phdr) *text;

	text = segment_of(m, (uintptr_t)pvops_site_addr(e), pvops_span(e), PF_R | PF_X, &m->text);
	if (!text ||
	    !segment_of(m, (uintptr_t)pvops_slot_addr(e), sizeof(void *), PF_R, &m->data))
		return NULL;
	return text;
}

static int prot_of(const ElfW(Phdr) *p)
{
	return (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
	       (p->p_flags & PF_X ? PROT_EXEC : 0);
}

/* The pages of e's write: [*lo, *hi). */
static void write_pages(const struct module *m, const struct pvops_site *e,
			uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t at = (uintptr_t)pvops_site_addr(e) + pvops_write_offset(e);

	*lo = at & ~(m->page - 1);
	*hi = (at + pvops_write_len(e) + m->page - 1) & ~(m->page - 1);
}

static void add_counts(struct pvops_counts *c, struct pvops_counts d)
{
	c->direct += d.direct;
	c->inlined += d.inlined;
	c->nop += d.nop;
	c->indirect += d.indirect;
	c->mismatch += d.mismatch;
	c->bad_entry += d.bad_entry;
	c->failed += d.failed;
	c->writes += d.writes;
}

/* The pages the applier will write in one executable segment; open: made writable. */
struct span {
	const ElfW(Phdr) *seg;
	uintptr_t         lo, hi;
	int               open;
};

#define MAX_SPANS 8     /* executable segments; a module has one or two */

struct run {
	struct module          *m;
	struct span             spans[MAX_SPANS];
	size_t                  nspans;
	struct pvops_site      *b, *e;     /* the whole table */
	const struct pvops_env *env;
	int                     restore;
	struct pvops_counts    *c;
};

static struct span *span_of(struct run *r, const ElfW(Phdr) *seg)
{
	for (size_t i = 0; i < r->nspans; i++)
		if (r->spans[i].seg == seg)
			return &r->spans[i];
	if (r->nspans == MAX_SPANS)
		return NULL;
	r->spans[r->nspans] = (struct span){ seg, UINTPTR_MAX, 0, 0 };
	return &r->spans[r->nspans++];
}

/*
 * Counts the entries the applier may not see; spans the pages of those
 * it will write, which its own check accepts.
 */
static void plan(struct run *r)
{
	uintptr_t lo, hi;

	for (struct pvops_site *x = r->b; x < r->e; x++) {
		const ElfW(Phdr) *seg = inside(r->m, x);
		struct span *s = seg ? span_of(r, seg) : NULL;

		if (!seg) {
			r->c->bad_entry++;
			continue;
		}
		if (!s || !pvops_entry_check(x))
			continue;                  /* done alone; never written */
		write_pages(r->m, x, &lo, &hi);
		s->lo = lo < s->lo ? lo : s->lo;
		s->hi = hi > s->hi ? hi : s->hi;
	}
}

/* A span with nothing to write (lo > hi) has nothing to open. */
static void open_span(struct span *s)
{
	s->open = s->lo > s->hi ||
		  !mprotect((void *)s->lo, s->hi - s->lo, prot_of(s->seg) | PROT_READ | PROT_WRITE);
}

/* The protection the program header gives, not read+execute: a segment may be writable. */
static void close_span(struct span *s)
{
	if (s->open && s->lo < s->hi)
		mprotect((void *)s->lo, s->hi - s->lo, prot_of(s->seg));
}

/* One entry with only its own pages writable: when its segment's span is not. */
static void apply_alone(struct run *r, const ElfW(Phdr) *seg, struct pvops_site *x)
{
	uintptr_t lo, hi;

	write_pages(r->m, x, &lo, &hi);
	if (mprotect((void *)lo, hi - lo, prot_of(seg) | PROT_READ | PROT_WRITE)) {
		r->c->failed++;
		return;
	}
	add_counts(r->c, pvops_apply_range(r->b, r->e, x, x + 1, r->env, r->restore));
	mprotect((void *)lo, hi - lo, prot_of(seg));
}

/*
 * The applier over each run of entries whose span is open, in table
 * order; any other entry inside the module alone.
 */
static void apply_runs(struct run *r)
{
	struct pvops_site *from = r->b;

	for (struct pvops_site *x = r->b; x <= r->e; x++) {
		const ElfW(Phdr) *seg = x < r->e ? inside(r->m, x) : NULL;
		struct span *s = seg ? span_of(r, seg) : NULL;

		if (s && s->open)
			continue;
		if (from < x)
			add_counts(r->c, pvops_apply_range(r->b, r->e, from, x, r->env,
							   r->restore));
		from = x + 1;
		if (seg)
			apply_alone(r, seg, x);
	}
}

static int poke_refuse(void *addr, const void *src, uint32_t len, void *ctx)
{
	(void)addr, (void)src, (void)len, (void)ctx;
	return -1;
}

/*
 * A module pre-patched by `pvlink patch` for the slots it now has (or
 * applied before) needs no write: then the text never becomes writable.
 * Only tried when an entry is marked as written, so a first apply of an
 * unpatched module costs one read of the table.  A pass whose pokes all
 * refuse writes nothing and leaves every mark as it was: its counts are
 * the answer when nothing failed, the entries outside the module left out.
 */
static int apply_without_writes(struct run *r)
{
	struct pvops_env dry = *r->env;
	struct pvops_counts c = { 0 };
	struct pvops_site *from = r->b, *x = r->b;

	while (x < r->e && !x->written)
		x++;
	if (x == r->e)
		return 0;
	dry.poke = poke_refuse;
	for (x = r->b; x <= r->e; x++) {
		if (x < r->e && inside(r->m, x))
			continue;
		if (from < x)
			add_counts(&c, pvops_apply_range(r->b, r->e, from, x, &dry, r->restore));
		from = x + 1;
	}
	if (c.failed)
		return 0;
	add_counts(r->c, c);
	return 1;
}

struct pvops_counts pvops_hosted_apply(const struct pvops_patch *patches,
				       uint32_t npatches, int restore)
{
	struct pvops_env env = { poke_copy, NULL, patches, npatches,
				 __start_pvlink_patches, __stop_pvlink_patches };
	struct pvops_site *b = __start_pvlink_sites, *e = __stop_pvlink_sites;
	struct module m = { 0, NULL, 0, (uintptr_t)sysconf(_SC_PAGESIZE), NULL, NULL };
	struct find f = { (uintptr_t)b, &m };
	struct pvops_counts c = { 0 };
	struct run r = { .m = &m, .b = b, .e = e, .env = &env, .restore = restore, .c = &c };

	if (!b || b >= e)
		return c;
	if (!dl_iterate_phdr(find_module, &f)) {
		c.bad_entry = (uint32_t)(e - b);         /* cannot happen: the table is ours */
		return c;
	}
	plan(&r);
	if (apply_without_writes(&r))
		return c;
	for (size_t i = 0; i < r.nspans; i++)
		open_span(&r.spans[i]);
	apply_runs(&r);
	for (size_t i = 0; i < r.nspans; i++)
		close_span(&r.spans[i]);
	return c;
}
