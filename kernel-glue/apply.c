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
 * for the target the slot holds now (inline code, NOPs, or a direct
 * call/jmp with padding, or the original bytes back) in a local buffer
 * and hand it to the poke hook in one call.
 *
 * The same code serves x86-64 and i386: each entry says which machine's
 * encodings it describes (PVOPS_I386), and pvops_original() rebuilds
 * either, since the tool uses it for both; applying, though, only
 * accepts entries of the machine this file was compiled for.
 *
 * Freestanding: no libc, no allocation, nothing called but env->poke.
 */
#include "pvops.h"

#if defined(__i386__)
#define NATIVE_FORM PVOPS_I386
#else
#define NATIVE_FORM 0
#endif

#define CALL_REL32 0xe8
#define JMP_REL32  0xe9
#define CS_PREFIX  0x2e
#define RET        0xc3
#define INT3       0xcc

/* Intel's recommended NOPs, 1 to 8 bytes (SDM vol. 2B, "NOP"). */
static const uint8_t nops[9][8] = {
	{ 0 },
	{ 0x90 },
	{ 0x66, 0x90 },
	{ 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static void fill_nops(uint8_t *p, uint32_t n)
{
	while (n) {
		uint32_t k = n > 8 ? 8 : n;

		for (uint32_t i = 0; i < k; i++)
			p[i] = nops[k][i];
		p += k;
		n -= k;
	}
}

static void fill(uint8_t *p, uint8_t byte, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = byte;
}

static void put32(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;

	p[0] = u;
	p[1] = u >> 8;
	p[2] = u >> 16;
	p[3] = u >> 24;
}

static int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/*
 * The rel32 of a branch ending at `end` to `to`; 0 when out of range.
 * 32-bit code computes EIP modulo 2^32, so there every target is in range.
 */
static int rel32(const struct pvops_site *e, uint64_t end, uint64_t to, int32_t *rel)
{
	int64_t d = (int64_t)(to - end);

	if (e->form & PVOPS_I386)
		d = (int32_t)(uint32_t)d;
	if (!fits32(d))
		return 0;
	*rel = (int32_t)d;
	return 1;
}

/* An absolute disp32: sign-extended in 64-bit code, an address in 32-bit code. */
static int abs32(const struct pvops_site *e, uint64_t slot, int32_t *v)
{
	if (e->form & PVOPS_I386 ? slot > UINT32_MAX : !fits32((int64_t)slot))
		return 0;
	*v = (int32_t)(uint32_t)slot;
	return 1;
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
 * i386: mov slot,%eax is `a1 abs32` (5 bytes; assemblers pick this moffs
 * form for %eax), any other register `8b /r abs32` (6 bytes).
 */
static uint32_t encode_load32(const struct pvops_site *e, uint64_t slot, uint8_t *out)
{
	int32_t v;

	if (!abs32(e, slot, &v))
		return 0;
	if (e->reg == 0) {
		out[0] = 0xa1;
		put32(out + 1, v);
		return 5;
	}
	out[0] = 0x8b;
	out[1] = (uint8_t)(e->reg << 3 | 5);           /* mod 00, rm 101: absolute */
	put32(out + 2, v);
	return 6;
}

/* The load: mov slot(%rip),%reg (7 bytes) or mov slot,%reg (8 bytes). */
static uint32_t encode_load(const struct pvops_site *e, uint64_t at, uint64_t slot,
			    uint8_t *out)
{
	uint8_t r = e->reg & 7;

	if (e->form & PVOPS_I386)
		return encode_load32(e, slot, out);
	out[0] = 0x48 | (e->reg >= 8 ? 0x04 : 0);      /* REX.W, REX.R */
	out[1] = 0x8b;
	if (e->form & PVOPS_ABS) {
		if (!fits32((int64_t)slot))
			return 0;
		out[2] = (uint8_t)(r << 3 | 4);        /* mod 00, SIB follows */
		out[3] = 0x25;                         /* no base, no index */
		put32(out + 4, (int32_t)slot);
		return 8;
	}
	if (!fits32((int64_t)(slot - (at + 7))))
		return 0;
	out[2] = (uint8_t)(r << 3 | 5);                /* mod 00, rm 101: RIP */
	put32(out + 3, (int32_t)(slot - (at + 7)));
	return 7;
}

/* The branch through the loaded register: [41] ff /2 (call) or /4 (jmp). */
static uint32_t encode_reg_branch(const struct pvops_site *e, uint8_t *out)
{
	uint32_t n = 0;

	if (e->reg >= 8)
		out[n++] = 0x41;                       /* REX.B */
	out[n++] = 0xff;
	out[n++] = (uint8_t)((e->form & PVOPS_JUMP ? 0xe0 : 0xd0) | (e->reg & 7));
	return n;
}

static uint32_t encode_mem(const struct pvops_site *e, uint64_t at, uint64_t slot,
			   uint64_t got, uint8_t *out)
{
	uint8_t modrm = e->form & PVOPS_JUMP ? 0x25 : 0x15;    /* /4 or /2, RIP */
	int32_t v;

	out[0] = 0xff;
	if (e->form & PVOPS_GOT) {
		/* mod 10, rm = the GOT register: disp32(%reg), slot - GOT */
		out[1] = (uint8_t)((modrm & 0x38) | 0x80 | e->reg);
		put32(out + 2, (int32_t)(uint32_t)(slot - got));
		return 6;
	}
	if (e->form & PVOPS_I386) {
		/* the same modrm, but in 32-bit code it means an absolute disp32 */
		if (!abs32(e, slot, &v))
			return 0;
		out[1] = modrm;
		put32(out + 2, v);
		return 6;
	}
	if (e->form & PVOPS_ABS) {
		if (!fits32((int64_t)slot))
			return 0;
		out[1] = modrm - 1;                    /* mod 00, SIB follows */
		out[2] = 0x25;
		put32(out + 3, (int32_t)slot);
		return 7;
	}
	if (!fits32((int64_t)(slot - (at + 6))))
		return 0;
	out[1] = modrm;
	put32(out + 2, (int32_t)(slot - (at + 6)));
	return 6;
}

uint32_t pvops_original(const struct pvops_site *e, uint64_t at, uint64_t slot,
			uint64_t thunk, uint8_t out[PVOPS_MAX_LEN])
{
	uint32_t n, kind = e->form & PVOPS_KIND;
	int32_t rel;

	if (e->form & ~(PVOPS_KIND | PVOPS_JUMP | PVOPS_ABS | PVOPS_I386 | PVOPS_SPLIT |
			PVOPS_GOT) ||
	    e->reg > 15 || e->reserved)            /* reserved: a meaning this code lacks */
		return 0;
	if ((e->form & PVOPS_SPLIT) && kind != PVOPS_THUNK)
		return 0;
	/* a GOT-relative slot: i386 calls through a base register, not %esp */
	if ((e->form & PVOPS_GOT) && (kind != PVOPS_MEM || !(e->form & PVOPS_I386) ||
				      (e->form & PVOPS_ABS) || e->reg == 4))
		return 0;
	/* i386 sites address the slot absolutely or from the GOT, and have
	   eight registers */
	if ((e->form & PVOPS_I386) && (!(e->form & (PVOPS_ABS | PVOPS_GOT)) || e->reg > 7))
		return 0;
	if (kind == PVOPS_MEM) {
		n = encode_mem(e, at, slot, thunk, out);
		return n && n == e->len && e->branch == 0 ? n : 0;
	}
	n = encode_load(e, at, slot, out);
	/* the branch follows the load at once, or later in a split site */
	if (!n || (e->form & PVOPS_SPLIT ? n > e->branch : n != e->branch))
		return 0;
	if (kind == PVOPS_REG) {
		n += encode_reg_branch(e, out + n);
	} else if (kind == PVOPS_THUNK) {
		if (!rel32(e, at + e->branch + 5, thunk, &rel))
			return 0;
		out[n] = e->form & PVOPS_JUMP ? JMP_REL32 : CALL_REL32;
		put32(out + n + 1, rel);
		n += 5;
	} else {
		return 0;
	}
	return n == e->len ? n : 0;
}

void pvops_gather(const struct pvops_site *e, const uint8_t *site, uint8_t out[PVOPS_MAX_LEN])
{
	uint32_t head = e->len - pvops_write_len(e);   /* a split site's load */

	for (uint32_t i = 0; i < head; i++)
		out[i] = site[i];
	for (uint32_t i = head; i < e->len; i++)
		out[i] = site[pvops_write_offset(e) + i - head];
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

/*
 * Inline code or NOPs for a registered patch.  A call site gets the code
 * then NOPs; a tail-call site gets the code, a ret, and int3 padding that
 * is never reached.  Returns 0 when it does not fit.
 */
static int build_patch(struct region r, const struct pvops_patch *p, uint8_t *out)
{
	uint32_t need = p->len + (r.jump ? 1 : 0);

	if (p->len > PVOPS_MAX_LEN || need > r.len)
		return 0;
	for (uint32_t i = 0; i < p->len; i++)
		out[i] = p->code[i];
	if (r.jump) {
		out[p->len] = RET;
		fill(out + need, INT3, r.len - need);
	} else {
		fill_nops(out + p->len, r.len - p->len);
	}
	return 1;
}

/*
 * A direct branch to target.  Calls end where the site ends, so the
 * return address is the one the indirect call pushed: NOPs come first,
 * and a 6-byte site takes a CS segment prefix (a near branch has no
 * memory operand, so it changes nothing, in 64- and 32-bit code alike)
 * instead of a separate NOP, so it stays one instruction.  Jumps go
 * first, followed by int3.  Returns 0 when out of rel32 range.
 */
static int build_direct(const struct pvops_site *e, struct region r, uint64_t target,
			uint8_t *out)
{
	int32_t rel;

	if (r.jump) {
		if (!rel32(e, r.at + 5, target, &rel))
			return 0;
		out[0] = JMP_REL32;
		put32(out + 1, rel);
		fill(out + 5, INT3, r.len - 5u);
		return 1;
	}
	if (!rel32(e, r.at + r.len, target, &rel))
		return 0;
	if (r.len == 6)
		out[0] = CS_PREFIX;
	else
		fill_nops(out, r.len - 5u);
	out[r.len - 5] = CALL_REL32;
	put32(out + r.len - 4, rel);
	return 1;
}

static int entry_ok(const struct pvops_site *e)
{
	return e->magic == PVOPS_MAGIC && e->version == PVOPS_VERSION &&
	       e->len >= 6 && e->len <= PVOPS_MAX_LEN &&
	       (e->form & PVOPS_I386) == NATIVE_FORM;
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
		if (p && build_patch(r, p, rewrite))
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
