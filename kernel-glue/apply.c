// SPDX-License-Identifier: MIT
/*
 * apply.c - the pvlink applier: rewrites ops call sites at start-up.
 *
 * Strategy: for each table entry, rebuild the bytes the compiler emitted
 * at the site from the entry alone (form, register, site, slot and thunk
 * addresses).  The site is recognised when it holds exactly those bytes,
 * or exactly what this applier last wrote there (entry->written is a
 * checksum of that).  Anything else is skipped and counted: a site that
 * is not recognised is never written.  Then build the whole replacement
 * for the target the slot holds now (inline code, NOPs, a direct call or
 * jump with padding, or the original bytes back) in a local buffer and
 * hand it to the poke hook in one call.
 *
 * The same code serves x86-64, i386 and AArch64: each entry says which
 * machine's encodings it describes (PVOPS_I386, PVOPS_A64), and
 * pvops_original() rebuilds any of them, since the tool uses it for all;
 * applying, though, only accepts entries of the machine this file was
 * compiled for.  The encodings live in x86/encode.h and arm64/encode.h,
 * which this file includes: a kernel compiles this file alone.
 *
 * Freestanding: no libc, no allocation, nothing called but env->poke.
 */
#include "pvops.h"

/* The machine bits of the entries this applier accepts, and their shortest site. */
#if defined(__x86_64__)
#define NATIVE_FORM 0
#define NATIVE_MIN_LEN 6
#elif defined(__i386__)
#define NATIVE_FORM PVOPS_I386
#define NATIVE_MIN_LEN 6
#elif defined(__aarch64__)
#define NATIVE_FORM PVOPS_A64
#define NATIVE_MIN_LEN 4
#else
#define NATIVE_FORM 0xff        /* no entry has these bits: all are another machine's */
#define NATIVE_MIN_LEN 4
#endif

/* A 32-bit value, little-endian. */
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* FNV-1a, forced odd so that 0 keeps meaning "original bytes". */
static uint32_t checksum(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h | 1;
}

/*
 * The bytes the applier rewrites: where they are, how many, and whether
 * they are a tail call.  The whole site, or a split site's branch.
 */
struct region {
	uint64_t at;
	uint32_t len;
	int      jump;
};

/*
 * Each machine's encodings, in a file of their own: <m>_original()
 * rebuilds an entry's bytes, <m>_build_patch() writes registered inline
 * code or a no-op into a region, <m>_build_direct() a direct branch.
 */
#include "x86/encode.h"
#include "arm64/encode.h"

uint32_t pvops_original(const struct pvops_site *e, uint64_t at, uint64_t slot,
			uint64_t thunk, uint8_t out[PVOPS_MAX_LEN])
{
	if (e->reserved)                        /* a meaning this code lacks */
		return 0;
	if (e->form & PVOPS_A64)
		return a64_original(e, at, out);
	return x86_original(e, at, slot, thunk, out);
}

void pvops_gather(const struct pvops_site *e, const uint8_t *site, uint8_t out[PVOPS_MAX_LEN])
{
	uint32_t head = e->len - pvops_write_len(e);   /* a split site's load */

	for (uint32_t i = 0; i < head; i++)
		out[i] = site[i];
	for (uint32_t i = head; i < e->len; i++)
		out[i] = site[pvops_write_offset(e) + i - head];
}

static struct region write_region(const struct pvops_site *e, uint64_t at)
{
	return (struct region){ at + pvops_write_offset(e), pvops_write_len(e),
				e->form & PVOPS_JUMP };
}

/*
 * The patch registered for target: from env->patches first, then from the
 * records PVOPS_INLINE()/PVOPS_NOP() put in the image (the ones `pvlink
 * patch` reads too).  A record is copied into *buf; one that is not well
 * formed is ignored.
 */
static const struct pvops_patch *find_patch(const struct pvops_env *env,
					    const void *target, struct pvops_patch *buf)
{
	for (uint32_t i = 0; env->patches && i < env->npatches; i++)
		if (env->patches[i].target == target)
			return &env->patches[i];
	for (const struct pvops_patch_rec *r = env->recs; r && r < env->recs_end; r++) {
		if (r->magic != PVOPS_PATCH_MAGIC || r->len > PVOPS_MAX_LEN ||
		    pvops_rec_target(r) != target)
			continue;
		*buf = (struct pvops_patch){ target, r->len ? pvops_rec_code(r) : 0, r->len };
		return buf;
	}
	return 0;
}

/* Registered inline code or a no-op at r, in e's machine; 0 when it does not fit. */
static int build_patch(const struct pvops_site *e, struct region r,
		       const struct pvops_patch *p, uint8_t *out)
{
	if (e->form & PVOPS_A64)
		return a64_build_patch(r, p, out);
	return x86_build_patch(r, p, out);
}

/* A direct branch at r to target, in e's machine; 0 when out of range. */
static int build_direct(const struct pvops_site *e, struct region r, uint64_t target,
			uint8_t *out)
{
	if (e->form & PVOPS_A64)
		return a64_build_direct(r, target, out);
	return x86_build_direct(e, r, target, out);
}

static int entry_ok(const struct pvops_site *e)
{
	return e->magic == PVOPS_MAGIC && e->version == PVOPS_VERSION &&
	       e->len >= NATIVE_MIN_LEN && e->len <= PVOPS_MAX_LEN &&
	       (e->form & PVOPS_MACHINE) == NATIVE_FORM;
}

/* The original bytes of a well-formed entry of this machine; 0 for any other. */
static uint32_t original_of(const struct pvops_site *e, uint8_t out[PVOPS_MAX_LEN])
{
	if (!entry_ok(e))
		return 0;
	return pvops_original(e, (uint64_t)(uintptr_t)pvops_site_addr(e),
			      (uint64_t)(uintptr_t)pvops_slot_addr(e),
			      (uint64_t)(uintptr_t)pvops_thunk_addr(e), out);
}

int pvops_entry_check(const struct pvops_site *e)
{
	uint8_t orig[PVOPS_MAX_LEN];

	return original_of(e, orig) != 0;
}

/* The bytes an entry reads or writes: [*lo, *hi). */
static void extent(const struct pvops_site *e, uintptr_t *lo, uintptr_t *hi)
{
	*lo = (uintptr_t)pvops_site_addr(e);
	*hi = *lo + pvops_span(e);
}

/*
 * Two entries that rebuild the same bytes at the same place: one site
 * recorded twice, as when gold --icf=all folds identical functions and
 * both copies' entries now name the one that is kept.
 */
static int twins(const struct pvops_site *a, const struct pvops_site *b)
{
	return pvops_site_addr(a) == pvops_site_addr(b) &&
	       pvops_slot_addr(a) == pvops_slot_addr(b) &&
	       a->form == b->form && a->len == b->len && a->branch == b->branch &&
	       a->reg == b->reg &&
	       ((a->form & PVOPS_KIND) != PVOPS_THUNK ||
		pvops_thunk_addr(a) == pvops_thunk_addr(b));
}

/*
 * The usual table: well-formed entries in ascending order, none covering
 * another's bytes (linkers order SHF_LINK_ORDER pieces as their code, and
 * pvlink sorts each piece), so no entry needs a search for others.
 */
static int disjoint(const struct pvops_site *begin, const struct pvops_site *end)
{
	uintptr_t prev = 0, lo, hi;

	for (const struct pvops_site *e = begin; e < end; e++) {
		/* cheaper than pvops_entry_check(): a wider set, no less disjoint */
		if (!entry_ok(e))
			continue;
		extent(e, &lo, &hi);
		if (lo < prev)
			return 0;
		prev = hi;
	}
	return 1;
}

/*
 * Which entry of [begin, end) owns e's site: e itself, or the first of
 * its twins, whose outcome e shares.  NULL when another well-formed entry
 * covers any of e's bytes with other contents: then neither is written.
 */
static struct pvops_site *owner(struct pvops_site *begin, struct pvops_site *end,
				struct pvops_site *e)
{
	struct pvops_site *first = e;
	uintptr_t lo, hi, flo, fhi;

	extent(e, &lo, &hi);
	for (struct pvops_site *f = begin; f < end; f++) {
		if (f == e)
			continue;
		extent(f, &flo, &fhi);
		if (flo >= hi || fhi <= lo || !pvops_entry_check(f))
			continue;
		if (!twins(e, f))
			return 0;
		if (f < first)
			first = f;
	}
	return first;
}

uint32_t pvops_rewrite(const struct pvops_site *e, uint64_t at, uint64_t target,
		       const struct pvops_patch *p, const uint8_t *orig, uint8_t *want)
{
	struct region r = write_region(e, at);
	uint8_t *rewrite = want + (e->len - r.len);

	for (uint32_t i = 0; i < e->len; i++)
		want[i] = orig[i];
	if (target) {
		if (p && build_patch(e, r, p, rewrite))
			return p->len ? PVOPS_OUT_INLINED : PVOPS_OUT_NOP;
		if (build_direct(e, r, target, rewrite))
			return PVOPS_OUT_DIRECT;
	}
	/* NULL stays an indirect call: it faults where the unpatched program would. */
	for (uint32_t i = 0; i < e->len; i++)
		want[i] = orig[i];
	return PVOPS_OUT_INDIRECT;
}

uint32_t pvops_mark(const struct pvops_site *e, const uint8_t *orig, const uint8_t *want)
{
	return same(want, orig, e->len) ? 0 : checksum(want, e->len);
}

/*
 * Decides the new bytes for one site, gathered like orig (a split site's
 * load always stays as it is), and returns the counter they fall under.
 */
static uint32_t *choose(struct pvops_site *e, const struct pvops_env *env,
			int restore, const uint8_t *orig, uint8_t *want,
			struct pvops_counts *c)
{
	const void *target = restore ? 0 : *(const void *const *)pvops_slot_addr(e);
	struct pvops_patch buf;
	const struct pvops_patch *p = target ? find_patch(env, target, &buf) : 0;
	uint32_t *outcome[] = { &c->indirect, &c->direct, &c->inlined, &c->nop };

	return outcome[pvops_rewrite(e, (uint64_t)(uintptr_t)pvops_site_addr(e),
				     (uint64_t)(uintptr_t)target, p, orig, want)];
}

/*
 * One entry.  A twin that is not its site's owner is checked like any
 * entry, against what the owner (earlier in the table) left there, and
 * counted in the same outcome, but never written: one write per site.
 */
static void apply_one(struct pvops_site *begin, struct pvops_site *end, struct pvops_site *e,
		      int alone, const struct pvops_env *env, int restore, struct pvops_counts *c)
{
	uint8_t orig[PVOPS_MAX_LEN], want[PVOPS_MAX_LEN], cur[PVOPS_MAX_LEN];
	struct pvops_site *own = e;
	struct region r;
	uint32_t *outcome;

	if (!original_of(e, orig) || (!alone && !(own = owner(begin, end, e)))) {
		c->bad_entry++;
		return;
	}
	if (own != e)
		e->written = own->written;
	pvops_gather(e, pvops_site_addr(e), cur);
	if (!same(cur, orig, e->len) &&
	    !(e->written && checksum(cur, e->len) == e->written)) {
		c->mismatch++;
		return;
	}
	outcome = choose(e, env, restore, orig, want, c);
	r = write_region(e, (uint64_t)(uintptr_t)pvops_site_addr(e));
	if (!same(cur, want, e->len)) {
		/* a twin finds the site unchanged only when its owner's write failed */
		if (own != e ||
		    env->poke((void *)(uintptr_t)r.at, want + (e->len - r.len), r.len, env->ctx)) {
			c->failed++;
			return;
		}
		c->writes++;
	}
	e->written = pvops_mark(e, orig, want);
	(*outcome)++;
}

struct pvops_counts pvops_apply_range(struct pvops_site *begin, struct pvops_site *end,
				      struct pvops_site *from, struct pvops_site *to,
				      const struct pvops_env *env, int restore)
{
	struct pvops_counts c = { 0 };
	int alone = disjoint(begin, end);

	for (struct pvops_site *e = from; e < to; e++)
		apply_one(begin, end, e, alone, env, restore, &c);
	return c;
}

struct pvops_counts pvops_apply(struct pvops_site *begin, struct pvops_site *end,
				const struct pvops_env *env)
{
	return pvops_apply_range(begin, end, begin, end, env, 0);
}

struct pvops_counts pvops_restore(struct pvops_site *begin, struct pvops_site *end,
				  const struct pvops_env *env)
{
	return pvops_apply_range(begin, end, begin, end, env, 1);
}
