// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * applier_a64.c - unit tests of kernel-glue/apply.c on AArch64 entries,
 * word for word.  Built twice by tests/t-applier-a64.sh:
 *
 *   AArch64   the AArch64 applier, run under qemu-aarch64: every site
 *             rewritten, re-targeted, restored; the branch range to the
 *             last word; malformed entries, changed bytes and x86 entries
 *             refused
 *   x86-64    what the tool relies on: pvops_original() and
 *             pvops_rewrite() give the same words in a 64-bit x86
 *             program, and the x86-64 applier refuses AArch64 entries
 *
 * Sites live in a data buffer (they are rewritten, never executed); the
 * targets a slot holds past the buffer are never called either.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#define A64     (PVOPS_A64 | PVOPS_REG)
#define MIB128  ((int64_t)1 << 27)

#define BLR(n)  (0xd63f0000u | (uint32_t)(n) << 5)
#define BR(n)   (0xd61f0000u | (uint32_t)(n) << 5)
#define NOP     0xd503201fu
#define RET     0xd65f03c0u
#define ADD_W0  0x0b010000u              /* add w0, w0, w1 */
#define FILL    0xd4200000u              /* brk #0: around the site, never written */

static uint32_t text[8];                 /* where the sites live: text[0] */
static void *slot;                       /* the ops slot */
static const uint8_t add_w0[4] = { 0x00, 0x00, 0x01, 0x0b };
static const uint8_t two_bytes[2] = { 0x1f, 0x20 };
static const uint8_t two_words[8] = { 0x00, 0x00, 0x01, 0x0b, 0x1f, 0x20, 0x03, 0xd5 };

static void target(void) {}
static void noop(void) {}

static const struct pvops_patch patches[] = {
	{ (const void *)add_w0, add_w0, 4 },       /* one instruction: inlined at calls */
	{ (const void *)noop, NULL, 0 },            /* a no-op */
	{ (const void *)two_bytes, two_bytes, 2 },  /* not a whole instruction */
	{ (const void *)two_words, two_words, 8 },  /* longer than the site */
};
static const struct pvops_env env = { poke, NULL, patches, 4, NULL, NULL };

static uint32_t get32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void put32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)v, b[1] = (uint8_t)(v >> 8), b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

/* An entry for the word at text[0], which holds what it records; FILL around it. */
static void make(struct pvops_site *e, uint8_t form, uint8_t reg, uint32_t insn)
{
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		put32(&text[i], FILL);
	put32(&text[0], insn);
	e->magic = PVOPS_MAGIC;
	e->version = PVOPS_VERSION;
	e->form = form;
	e->len = 4;
	e->reg = reg;
	e->site = (int32_t)((char *)text - (char *)&e->site);
	e->slot = (int32_t)((char *)&slot - (char *)&e->slot);
}

/* The words gas emits for blr/br through x0, x17 and x30, whatever the addresses. */
static void test_original(void)
{
	static const struct { uint8_t form, reg; uint32_t insn; } cases[] = {
		{ A64, 0, 0xd63f0000u }, { A64, 17, 0xd63f0220u }, { A64, 30, 0xd63f03c0u },
		{ A64 | PVOPS_JUMP, 0, 0xd61f0000u }, { A64 | PVOPS_JUMP, 17, 0xd61f0220u },
		{ A64 | PVOPS_JUMP, 30, 0xd61f03c0u },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, cases[i].form, 0, 0, 0,
					4, 0, cases[i].reg, 0, 0 };
		uint8_t out[PVOPS_MAX_LEN];
		uint32_t n = pvops_original(&e, 0x40001000, 0x40802000, 0, out);
		char name[64];

		snprintf(name, sizeof(name), "%s x%u is %08x", cases[i].form & PVOPS_JUMP ?
			 "br" : "blr", cases[i].reg, cases[i].insn);
		check(name, n == 4 && get32(out) == cases[i].insn);
	}
}

/* Each rule of a well-formed AArch64 entry, broken in turn. */
static const struct {
	const char *what;
	uint8_t     form, len, branch, reg, reserved;
	int32_t     thunk;
	uint64_t    at;
} malformed[] = {
	{ "PVOPS_A64 with PVOPS_ABS", A64 | PVOPS_ABS, 4, 0, 0, 0, 0, 0x1000 },
	{ "PVOPS_A64 with PVOPS_I386", A64 | PVOPS_I386, 4, 0, 0, 0, 0, 0x1000 },
	{ "PVOPS_A64 with PVOPS_SPLIT", A64 | PVOPS_SPLIT, 4, 0, 0, 0, 0, 0x1000 },
	{ "PVOPS_A64 with PVOPS_GOT", A64 | PVOPS_GOT, 4, 0, 0, 0, 0, 0x1000 },
	{ "PVOPS_A64 | PVOPS_MEM", PVOPS_A64 | PVOPS_MEM, 4, 0, 0, 0, 0, 0x1000 },
	{ "PVOPS_A64 | PVOPS_THUNK", PVOPS_A64 | PVOPS_THUNK, 4, 0, 0, 0, 0, 0x1000 },
	{ "len 8", A64, 8, 0, 0, 0, 0, 0x1000 },
	{ "len 3", A64, 3, 0, 0, 0, 0, 0x1000 },
	{ "branch 4", A64, 4, 4, 0, 0, 0, 0x1000 },
	{ "reg 31 (xzr)", A64, 4, 0, 31, 0, 0, 0x1000 },
	{ "thunk field not 0", A64, 4, 0, 0, 0, 0x40, 0x1000 },
	{ "reserved byte not 0", A64, 4, 0, 0, 1, 0, 0x1000 },
	{ "site not 4-byte aligned", A64, 4, 0, 0, 0, 0, 0x1002 },
};

static void test_malformed(void)
{
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, malformed[i].form, 0, 0,
					malformed[i].thunk, malformed[i].len, malformed[i].branch,
					malformed[i].reg, malformed[i].reserved, 0 };
		uint8_t out[PVOPS_MAX_LEN];
		char name[80];

		snprintf(name, sizeof(name), "malformed: %s", malformed[i].what);
		check(name, pvops_original(&e, malformed[i].at, 0x2000, 0, out) == 0);
	}
}

/* What a site at `at` becomes for `to`, as pvops_rewrite() says; orig is blr x16 or br x16. */
static uint32_t rewrite(uint8_t form, uint64_t at, uint64_t to, const struct pvops_patch *p,
			uint32_t *word)
{
	struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, form, 0, 0, 0, 4, 0, 16, 0, 0 };
	uint8_t orig[PVOPS_MAX_LEN], want[PVOPS_MAX_LEN];
	uint32_t out;

	pvops_original(&e, at, 0, 0, orig);
	out = pvops_rewrite(&e, at, to, p, orig, want);
	*word = get32(want);
	return out;
}

/*
 * The direct branch, from pvops_rewrite() alone (the tool's view too):
 * imm26 at both ends of its range, one word past each end, a misaligned
 * and a NULL target.
 */
static void test_range(void)
{
	const uint64_t at = 0x40000000;
	static const struct { const char *what; int64_t d; int jump; uint32_t out, word; } cases[] = {
		{ "bl +8", 8, 0, PVOPS_OUT_DIRECT, 0x94000002u },
		{ "bl -4", -4, 0, PVOPS_OUT_DIRECT, 0x97ffffffu },
		{ "bl to itself", 0, 0, PVOPS_OUT_DIRECT, 0x94000000u },
		{ "bl +128 MiB - 4, the last word in range", MIB128 - 4, 0, PVOPS_OUT_DIRECT,
		  0x95ffffffu },
		{ "bl -128 MiB, the first word in range", -MIB128, 0, PVOPS_OUT_DIRECT, 0x96000000u },
		{ "b +128 MiB - 4", MIB128 - 4, 1, PVOPS_OUT_DIRECT, 0x15ffffffu },
		{ "b -128 MiB", -MIB128, 1, PVOPS_OUT_DIRECT, 0x16000000u },
		{ "+128 MiB: out of range, stays blr", MIB128, 0, PVOPS_OUT_INDIRECT, BLR(16) },
		{ "-128 MiB - 4: out of range, stays blr", -MIB128 - 4, 0, PVOPS_OUT_INDIRECT,
		  BLR(16) },
		{ "+128 MiB: out of range, stays br", MIB128, 1, PVOPS_OUT_INDIRECT, BR(16) },
		{ "-128 MiB - 4: out of range, stays br", -MIB128 - 4, 1, PVOPS_OUT_INDIRECT,
		  BR(16) },
		{ "+2: misaligned target, stays blr", 2, 0, PVOPS_OUT_INDIRECT, BLR(16) },
		{ "-1: misaligned target, stays br", -1, 1, PVOPS_OUT_INDIRECT, BR(16) },
		{ "NULL target, stays blr", -(int64_t)at, 0, PVOPS_OUT_INDIRECT, BLR(16) },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t word, out = rewrite(A64 | (cases[i].jump ? PVOPS_JUMP : 0), at,
					     at + (uint64_t)cases[i].d, NULL, &word);
		char name[96];

		snprintf(name, sizeof(name), "%s: %08x", cases[i].what, cases[i].word);
		check(name, out == cases[i].out && word == cases[i].word);
	}
}

/* Registered patches, from pvops_rewrite() alone. */
static void test_patches(void)
{
	const uint64_t at = 0x40000000, to = 0x40000100;
	static const struct pvops_patch nop_p = { (const void *)1, NULL, 0 };
	static const struct pvops_patch inl = { (const void *)1, add_w0, 4 };
	static const struct pvops_patch shorter = { (const void *)1, two_bytes, 2 };
	static const struct pvops_patch longer = { (const void *)1, two_words, 8 };
	uint32_t word, out;

	out = rewrite(A64, at, to, &nop_p, &word);
	check("no-op at a call site: nop", out == PVOPS_OUT_NOP && word == NOP);
	out = rewrite(A64 | PVOPS_JUMP, at, to, &nop_p, &word);
	check("no-op at a tail-call site: ret", out == PVOPS_OUT_NOP && word == RET);
	out = rewrite(A64, at, to, &inl, &word);
	check("one instruction inlined at a call site", out == PVOPS_OUT_INLINED &&
	      word == ADD_W0);
	out = rewrite(A64 | PVOPS_JUMP, at, to, &inl, &word);
	check("inline code at a tail-call site: b instead", out == PVOPS_OUT_DIRECT &&
	      word == 0x14000040u);
	out = rewrite(A64, at, to, &shorter, &word);
	check("inline code of 2 bytes: bl instead", out == PVOPS_OUT_DIRECT && word == 0x94000040u);
	out = rewrite(A64, at, to, &longer, &word);
	check("inline code of 8 bytes: bl instead", out == PVOPS_OUT_DIRECT && word == 0x94000040u);
}

#if defined(__aarch64__)
static void other(void) {}

/* bl or b from `from` to `to`, encoded independently of the applier. */
static uint32_t branch(uint32_t op, uint64_t from, uint64_t to)
{
	return op | (uint32_t)((int64_t)(to - from) / 4 & 0x03ffffff);
}

static uint32_t bl(uint64_t from, uint64_t to) { return branch(0x94000000u, from, to); }

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void *at_offset(int64_t d)
{
	return (void *)(uintptr_t)(addr(text) + (uint64_t)d);
}

/*
 * One step on a live site: the slot is set to `to` and the table applied
 * (or restored), then the site must hold `word` (0: bl or b to `to`), the
 * word after it be untouched, the counts be these, and the entry's mark
 * be 0 exactly when the site holds its original word.
 */
struct step {
	const char *what;
	const void *to;
	int         restore;
	uint32_t    word;
	unsigned    direct, inlined, nop, indirect, writes;
};

static void run_steps(uint8_t form, uint8_t reg, uint32_t orig, const struct step *s, size_t n)
{
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	uint32_t op = form & PVOPS_JUMP ? 0x14000000u : 0x94000000u, want;
	struct pvops_counts c;

	make(&e, form, reg, orig);
	for (size_t i = 0; i < n; i++) {
		slot = (void *)s[i].to;
		pokes = 0;
		c = s[i].restore ? pvops_restore(&e, &e + 1, &env) : pvops_apply(&e, &e + 1, &env);
		want = s[i].word ? s[i].word : branch(op, addr(text), addr(s[i].to));
		check(s[i].what, get32(text) == want && get32(&text[1]) == FILL &&
		      pokes == s[i].writes && (e.written == 0) == (want == orig) &&
		      counts_are(c, s[i].direct, s[i].inlined, s[i].nop, s[i].indirect, 0, 0,
				 s[i].writes));
	}
}

/* blr x16 -> bl, idempotent, re-targeted, inlined, removed, restored. */
static void test_call(void)
{
	const struct step steps[] = {
		{ "blr x16 becomes bl target", (const void *)target, 0, 0, 1, 0, 0, 0, 1 },
		{ "second apply writes nothing", (const void *)target, 0, 0, 1, 0, 0, 0, 0 },
		{ "a new slot value re-targets the bl", (const void *)other, 0, 0, 1, 0, 0, 0, 1 },
		{ "a bl site re-targeted to inline code", add_w0, 0, ADD_W0, 0, 1, 0, 0, 1 },
		{ "an inlined site re-targeted to a no-op: nop", (const void *)noop, 0, NOP,
		  0, 0, 1, 0, 1 },
		{ "inline code of the wrong length: bl", two_bytes, 0, 0, 1, 0, 0, 0, 1 },
		{ "restore puts blr x16 back", NULL, 1, BLR(16), 0, 0, 0, 1, 1 },
		{ "a second restore writes nothing", NULL, 1, BLR(16), 0, 0, 0, 1, 0 },
	};

	run_steps(A64, 16, BLR(16), steps, sizeof(steps) / sizeof(steps[0]));
}

/* br x17 -> b, ret for a no-op, inline code refused, restored. */
static void test_tail(void)
{
	const struct step steps[] = {
		{ "br x17 becomes b target", (const void *)target, 0, 0, 1, 0, 0, 0, 1 },
		{ "a tail call to a no-op becomes ret", (const void *)noop, 0, RET, 0, 0, 1, 0, 1 },
		{ "inline code at a tail-call site: b instead", add_w0, 0, 0, 1, 0, 0, 0, 1 },
		{ "a tail call re-targeted out of range goes back to br",
		  at_offset(MIB128), 0, BR(17), 0, 0, 0, 1, 1 },
		{ "br x17 becomes b target again", (const void *)target, 0, 0,
		  1, 0, 0, 0, 1 },
		{ "restore puts br x17 back", NULL, 1, BR(17), 0, 0, 0, 1, 1 },
	};

	run_steps(A64 | PVOPS_JUMP, 17, BR(17), steps, sizeof(steps) / sizeof(steps[0]));
}

/* The limits of imm26 from a live site, and targets it cannot reach. */
static void test_reach(void)
{
	static const struct { const char *what; int64_t d; unsigned direct; uint32_t word; } cases[] = {
		{ "slot at +128 MiB - 4: bl 0x95ffffff", MIB128 - 4, 1, 0x95ffffffu },
		{ "slot at -128 MiB: bl 0x96000000", -MIB128, 1, 0x96000000u },
		{ "slot at +128 MiB: stays blr, never poked", MIB128, 0, BLR(0) },
		{ "slot at -128 MiB - 4: stays blr, never poked", -MIB128 - 4, 0, BLR(0) },
		{ "slot at a misaligned target: stays blr, never poked", 4 * 6 + 2, 0, BLR(0) },
	};
	static struct pvops_site e;
	struct pvops_counts c;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		make(&e, A64, 0, BLR(0));
		slot = at_offset(cases[i].d);
		pokes = 0;
		c = pvops_apply(&e, &e + 1, &env);
		check(cases[i].what, get32(text) == cases[i].word && pokes == cases[i].direct &&
		      counts_are(c, cases[i].direct, 0, 0, !cases[i].direct, 0, 0,
				 cases[i].direct));
	}
	make(&e, A64, 0, BLR(0));
	slot = NULL;
	c = pvops_apply(&e, &e + 1, &env);
	check("NULL slot stays blr", get32(text) == BLR(0) && counts_are(c, 0, 0, 0, 1, 0, 0, 0));
	slot = (void *)target;
	pvops_apply(&e, &e + 1, &env);
	slot = at_offset(MIB128);
	c = pvops_apply(&e, &e + 1, &env);
	check("a bl site re-targeted out of range goes back to blr", get32(text) == BLR(0) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 1) && e.written == 0);
}

/* Bytes that are not what the entry records, and entries that are not well-formed. */
static void test_refusals(void)
{
	static struct pvops_site e;
	const struct pvops_env refusing = { refuse, NULL, NULL, 0, NULL, NULL };
	struct pvops_counts c;

	make(&e, A64, 16, BLR(1));                       /* the entry says x16 */
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("blr x1 where blr x16 was recorded: mismatch, never poked", pokes == 0 &&
	      get32(text) == BLR(1) && counts_are(c, 0, 0, 0, 0, 1, 0, 0));
	make(&e, A64, 16, BR(16));                       /* a tail call where a call was */
	c = pvops_apply(&e, &e + 1, &env);
	check("br x16 where blr x16 was recorded: mismatch", pokes == 0 && c.mismatch == 1);
	make(&e, A64, 16, bl(addr(text), addr(target)));
	e.written = 0x12345679;                          /* claims a write that is not there */
	c = pvops_apply(&e, &e + 1, &env);
	check("a bl that is not the marked write: mismatch", pokes == 0 && c.mismatch == 1 &&
	      get32(text) == bl(addr(text), addr(target)));
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		char name[96];

		make(&e, malformed[i].form, malformed[i].reg, BLR(malformed[i].reg));
		e.len = malformed[i].len, e.branch = malformed[i].branch;
		e.reserved = malformed[i].reserved, e.thunk = malformed[i].thunk;
		e.site += (int32_t)(malformed[i].at & 3);
		c = pvops_apply(&e, &e + 1, &env);
		snprintf(name, sizeof(name), "applier: %s: bad entry, never poked",
			 malformed[i].what);
		check(name, pokes == 0 && !pvops_entry_check(&e) &&
		      counts_are(c, 0, 0, 0, 0, 0, 1, 0) && get32(text) == BLR(malformed[i].reg));
	}
	make(&e, PVOPS_MEM, 0, BLR(0));                  /* an x86-64 entry */
	e.len = 6;
	c = pvops_apply(&e, &e + 1, &env);
	check("an x86-64 entry is a bad entry for the AArch64 applier", pokes == 0 &&
	      counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	make(&e, PVOPS_I386 | PVOPS_ABS | PVOPS_MEM, 0, BLR(0));
	e.len = 6;
	c = pvops_apply(&e, &e + 1, &env);
	check("an i386 entry is a bad entry for the AArch64 applier", pokes == 0 &&
	      counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	make(&e, A64, 0, BLR(0));
	e.magic = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("bad magic: bad entry", pokes == 0 && counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	make(&e, A64, 0, BLR(0));
	c = pvops_apply(&e, &e + 1, &refusing);
	check("a refused poke is counted as failed", c.failed == 1 && c.writes == 0 &&
	      get32(text) == BLR(0) && e.written == 0);
}

/* Two entries for one site (linker-folded copies): one write, both counted. */
static void test_twins(void)
{
	static struct pvops_site t[2];
	struct pvops_counts c;

	make(&t[0], A64, 8, BLR(8));
	t[1] = t[0];
	t[1].site += (int32_t)((char *)&t[0] - (char *)&t[1]);
	t[1].slot += (int32_t)((char *)&t[0] - (char *)&t[1]);
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(t, t + 2, &env);
	check("twin entries: one write, both counted direct", pokes == 1 &&
	      get32(text) == bl(addr(text), addr(target)) && counts_are(c, 2, 0, 0, 0, 0, 0, 1));
	t[1].reg = 9;                                    /* now another site's shape */
	c = pvops_restore(t, t + 2, &env);
	check("an entry for the same word as another register: both bad", pokes == 1 &&
	      counts_are(c, 0, 0, 0, 0, 0, 2, 0));
}

static void test_native(void)
{
	test_call();
	test_tail();
	test_reach();
	test_refusals();
	test_twins();
}
#else
/* The x86-64 applier must not read an AArch64 entry's word as its own bytes. */
static void test_native(void)
{
	static struct pvops_site e;
	struct pvops_counts c;

	make(&e, A64, 16, BLR(16));
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("an AArch64 entry is a bad entry for the x86-64 applier", pokes == 0 &&
	      !pvops_entry_check(&e) && counts_are(c, 0, 0, 0, 0, 0, 1, 0) &&
	      get32(text) == BLR(16));
	c = pvops_restore(&e, &e + 1, &env);
	check("an AArch64 entry is a bad entry for the x86-64 restore", pokes == 0 && counts_are(c, 0, 0, 0, 0, 0, 1, 0));
}
#endif

int main(void)
{
	test_original();
	test_malformed();
	test_range();
	test_patches();
	test_native();
	return failures != 0;
}
