// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * applier.c - unit tests of kernel-glue/apply.c, byte for byte.
 *
 * Sites live in a data buffer (they are rewritten, never executed), next
 * to the slots and targets, so every rel32 is in range.  Each case builds
 * an entry, runs the applier and compares the exact bytes it wrote and
 * the counters it returned.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static uint8_t text[64];                 /* where the sites live */
static void *slot;                       /* the ops slot */
static void *thunk_area[1];              /* stands in for a retpoline thunk */
static const uint8_t cli[] = { 0xfa };
static const uint8_t too_long[17] = { 0 };

static void target(void) {}
static void other(void) {}
static void noop(void) {}

static const struct pvops_patch patches[] = {
	{ (const void *)cli, cli, 1 },           /* a target that is inlined */
	{ (const void *)noop, NULL, 0 },          /* a no-op */
	{ (const void *)too_long, too_long, 17 }, /* never fits */
};
static const struct pvops_env env = { poke, NULL, patches, 3, NULL, NULL };

static void put32(uint8_t *p, int32_t v)
{
	memcpy(p, &v, 4);
}

/* An entry for `len` bytes at text[0], and those bytes as the compiler wrote them. */
static void make(struct pvops_site *ep, uint8_t form, uint8_t len, uint8_t branch,
		 uint8_t reg, const uint8_t *bytes)
{
#define e (*ep)
	memset(&e, 0, sizeof(e));
	memset(text, 0xcc, sizeof(text));
	memcpy(text, bytes, len);
	e.magic = PVOPS_MAGIC;
	e.version = PVOPS_VERSION;
	e.form = form;
	e.len = len;
	e.branch = branch;
	e.reg = reg;
	e.site = (int32_t)((char *)text - (char *)&e.site);
	e.slot = (int32_t)((char *)&slot - (char *)&e.slot);
	e.thunk = (int32_t)((char *)thunk_area - (char *)&e.thunk);
#undef e
}

static int32_t rel_from(const uint8_t *end, const void *to)
{
	return (int32_t)((const char *)to - (const char *)end);
}

static void mem_call(uint8_t *b)
{
	b[0] = 0xff, b[1] = 0x15;
	put32(b + 2, rel_from(text + 6, &slot));
}

static void test_mem_call(void)
{
	uint8_t orig[6], want[6] = { 0x2e, 0xe8 };
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;

	mem_call(orig);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)target;
	put32(want + 2, rel_from(text + 6, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("call *slot(%rip) becomes cs call rel32", !memcmp(text, want, 6));
	check("counted direct, one write", counts_are(c, 1, 0, 0, 0, 0, 0, 1));
	check("bytes after the site untouched", text[6] == 0xcc);
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("second apply writes nothing", pokes == 0 && counts_are(c, 1, 0, 0, 0, 0, 0, 0));
	slot = (void *)other;
	put32(want + 2, rel_from(text + 6, (void *)other));
	c = pvops_apply(&e, &e + 1, &env);
	check("new slot value re-targets the site", !memcmp(text, want, 6) && c.writes == 1);
	c = pvops_restore(&e, &e + 1, &env);
	check("restore puts the indirect call back", !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 1) && e.written == 0);
}

static void test_inline_and_nop(void)
{
	static const uint8_t inl[6] = { 0xfa, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const uint8_t nops[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	uint8_t orig[6];
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;

	mem_call(orig);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)cli;
	c = pvops_apply(&e, &e + 1, &env);
	check("registered code is inlined, NOP-padded", !memcmp(text, inl, 6) &&
	      counts_are(c, 0, 1, 0, 0, 0, 0, 1));
	slot = (void *)noop;
	c = pvops_apply(&e, &e + 1, &env);
	check("an inlined site is re-targeted to a no-op", !memcmp(text, nops, 6) &&
	      counts_are(c, 0, 0, 1, 0, 0, 0, 1));
	slot = (void *)too_long;
	c = pvops_apply(&e, &e + 1, &env);
	check("code longer than the site gives a direct call", text[0] == 0x2e && text[1] == 0xe8 &&
	      c.direct == 1);
}

static void test_tail_jump(void)
{
	uint8_t orig[6] = { 0xff, 0x25 }, want[6] = { 0xe9, 0, 0, 0, 0, 0xcc };
	static const uint8_t ret[6] = { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc };
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;

	put32(orig + 2, rel_from(text + 6, &slot));
	make(&e, PVOPS_MEM | PVOPS_JUMP, 6, 0, 0, orig);
	slot = (void *)target;
	put32(want + 1, rel_from(text + 5, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("jmp *slot(%rip) becomes jmp rel32; int3", !memcmp(text, want, 6) && c.direct == 1);
	slot = (void *)noop;
	pvops_apply(&e, &e + 1, &env);
	check("a tail call to a no-op becomes ret", !memcmp(text, ret, 6));
}

/* mov slot(%rip),%r11; call *%r11: 7 + 3 bytes. */
static void test_load_call(void)
{
	uint8_t orig[10] = { 0x4c, 0x8b, 0x1d, 0, 0, 0, 0, 0x41, 0xff, 0xd3 };
	uint8_t want[10] = { 0x0f, 0x1f, 0x44, 0x00, 0x00, 0xe8 };
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;

	put32(orig + 3, rel_from(text + 7, &slot));
	make(&e, PVOPS_REG, 10, 7, 11, orig);
	slot = (void *)target;
	put32(want + 6, rel_from(text + 10, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("mov+call *%r11 becomes NOPs then a call ending where it ended",
	      !memcmp(text, want, 10) && c.direct == 1);
}

/* mov slot(%rip),%rax; call __x86_indirect_thunk_rax: 7 + 5 bytes. */
static void test_thunk_call(void)
{
	uint8_t orig[12] = { 0x48, 0x8b, 0x05, 0, 0, 0, 0, 0xe8 };
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;

	put32(orig + 3, rel_from(text + 7, &slot));
	put32(orig + 8, rel_from(text + 12, thunk_area));
	make(&e, PVOPS_THUNK, 12, 7, 0, orig);
	slot = (void *)target;
	c = pvops_apply(&e, &e + 1, &env);
	check("retpoline thunk call becomes a direct call", text[7] == 0xe8 && c.direct == 1 &&
	      !memcmp(text, "\x0f\x1f\x80\x00\x00\x00\x00", 7));
	pvops_restore(&e, &e + 1, &env);
	check("restore rebuilds the call to the thunk", !memcmp(text, orig, 12));
}

/*
 * mov slot(%rip),%r11; mov $1,%edi; call __x86_indirect_thunk_r11, split:
 * only the call is rewritten, the load and what follows it stay.
 */
static void test_split(void)
{
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	uint8_t orig[17] = { 0x4c, 0x8b, 0x1d, 0, 0, 0, 0, 0xbf, 1, 0, 0, 0, 0xe8 };
	uint8_t want[17];
	struct pvops_counts c;

	put32(orig + 3, rel_from(text + 7, &slot));
	put32(orig + 13, rel_from(text + 17, thunk_area));
	make(&e, PVOPS_THUNK | PVOPS_SPLIT, 12, 12, 11, orig);
	memcpy(text, orig, 17);                          /* make() copied only len bytes */
	memcpy(want, orig, 17);
	slot = (void *)target;
	put32(want + 13, rel_from(text + 17, (void *)target));
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("split site: only the thunk call becomes a direct call",
	      !memcmp(text, want, 17) && pokes == 1 && counts_are(c, 1, 0, 0, 0, 0, 0, 1));
	slot = (void *)noop;
	pvops_apply(&e, &e + 1, &env);
	check("split site: a no-op target gives a 5-byte NOP after the untouched load",
	      !memcmp(text, orig, 12) && !memcmp(text + 12, "\x0f\x1f\x44\x00\x00", 5));
	pvops_restore(&e, &e + 1, &env);
	check("split site: restore puts the thunk call back", !memcmp(text, orig, 17));
	text[8] = 7;                                     /* between load and call: not checked */
	slot = (void *)target;
	c = pvops_apply(&e, &e + 1, &env);
	check("split site: the bytes between are neither checked nor written",
	      c.direct == 1 && text[8] == 7);
	pvops_restore(&e, &e + 1, &env);
	text[3] ^= 1;                                    /* the load now reads another slot */
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("split site: a changed load is a mismatch, nothing written",
	      pokes == 0 && c.mismatch == 1);
}

static void test_refusals(void)
{
	uint8_t orig[6];
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	struct pvops_counts c;
	const struct pvops_env refusing = { refuse, NULL, NULL, 0, NULL, NULL };

	mem_call(orig);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	text[1] = 0x25;                                  /* now a jmp: not what was recorded */
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("unrecognised bytes: skipped, never poked", pokes == 0 &&
	      counts_are(c, 0, 0, 0, 0, 1, 0, 0));
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	e.written = 0x12345679;                          /* claims a write that is not there */
	text[0] = 0x90;
	c = pvops_apply(&e, &e + 1, &env);
	check("wrong checksum of a previous write: mismatch", pokes == 0 && c.mismatch == 1);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	e.magic = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("bad magic: bad entry", pokes == 0 && counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	make(&e, PVOPS_MEM, 7, 0, 0, orig);
	c = pvops_apply(&e, &e + 1, &env);
	check("length that does not fit the form: bad entry", pokes == 0 && c.bad_entry == 1);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	slot = NULL;
	c = pvops_apply(&e, &e + 1, &env);
	check("NULL slot stays indirect", pokes == 0 && !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 0));
	slot = (void *)0x7fff00000000ull;                /* beyond rel32 from here */
	c = pvops_apply(&e, &e + 1, &env);
	check("target out of rel32 range stays indirect", pokes == 0 && c.indirect == 1);
	slot = (void *)target;
	c = pvops_apply(&e, &e + 1, &refusing);
	check("a refused poke is counted as failed", c.failed == 1 && !memcmp(text, orig, 6));
}

/* Encodings rebuilt from entries, against what the GNU assembler emits. */
static void test_original(void)
{
	static const struct { uint8_t form, len, branch, reg; const char *bytes; } cases[] = {
		{ PVOPS_MEM, 6, 0, 0, "\xff\x15" },
		{ PVOPS_MEM | PVOPS_JUMP, 6, 0, 0, "\xff\x25" },
		{ PVOPS_MEM | PVOPS_ABS, 7, 0, 0, "\xff\x14\x25" },
		{ PVOPS_MEM | PVOPS_ABS | PVOPS_JUMP, 7, 0, 0, "\xff\x24\x25" },
		{ PVOPS_REG, 9, 7, 0, "\x48\x8b\x05" },
		{ PVOPS_REG | PVOPS_ABS, 10, 8, 3, "\x48\x8b\x1c\x25" },
		{ PVOPS_REG | PVOPS_JUMP, 10, 7, 10, "\x4c\x8b\x15" },
	};
	static const char *const tails[] = { "", "", "", "", "\xff\xd0", "\xff\xd3", "\x41\xff\xe2" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, cases[i].form, 0, 0, 0,
					cases[i].len, cases[i].branch, cases[i].reg, 0, 0 };
		uint8_t out[PVOPS_MAX_LEN];
		size_t head = strlen(cases[i].bytes), tail = strlen(tails[i]);
		uint32_t n = pvops_original(&e, 0x1000, 0x2000, 0, out);
		char name[64];

		snprintf(name, sizeof(name), "original encoding, case %zu", i);
		check(name, n == cases[i].len && !memcmp(out, cases[i].bytes, head) &&
		      !memcmp(out + n - tail, tails[i], tail));
	}
}

/* A copy of *e placed at *to, naming the same addresses. */
static void copy_entry(struct pvops_site *to, const struct pvops_site *e)
{
	int32_t d = (int32_t)((const char *)e - (const char *)to);

	*to = *e;
	to->site += d;
	to->slot += d;
	to->thunk += d;
}

/*
 * A retpoline load and its thunk call recorded split although adjacent
 * (branch == the load's length): the load is kept, the call rewritten.
 */
static void test_split_adjacent(void)
{
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	uint8_t orig[12] = { 0x4c, 0x8b, 0x1d, 0, 0, 0, 0, 0xe8 };
	uint8_t want[12];
	struct pvops_counts c;

	put32(orig + 3, rel_from(text + 7, &slot));
	put32(orig + 8, rel_from(text + 12, thunk_area));
	make(&e, PVOPS_THUNK | PVOPS_SPLIT, 12, 7, 11, orig);
	memcpy(want, orig, 12);
	slot = (void *)target;
	put32(want + 8, rel_from(text + 12, (void *)target));
	check("adjacent split entry is well-formed", pvops_entry_check(&e));
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("adjacent split: the load stays, the call becomes direct",
	      !memcmp(text, want, 12) && pokes == 1 && counts_are(c, 1, 0, 0, 0, 0, 0, 1));
	c = pvops_restore(&e, &e + 1, &env);
	check("adjacent split: restore puts the thunk call back", !memcmp(text, orig, 12) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 1));
}

/*
 * Identical functions folded by the linker: two entries for one site.
 * Same slot: one write, both counted; another slot: neither written.
 */
static void test_twins(void)
{
	static struct pvops_site t[3];  /* near text[]: self-relative fields are 32-bit */
	static void *slot2;
	uint8_t orig[6];
	struct pvops_counts c;

	mem_call(orig);
	make(&t[0], PVOPS_MEM, 6, 0, 0, orig);
	copy_entry(&t[1], &t[0]);
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(t, t + 2, &env);
	check("twin entries: one write, both counted direct", pokes == 1 && text[1] == 0xe8 &&
	      counts_are(c, 2, 0, 0, 0, 0, 0, 1) && t[0].written == t[1].written);
	c = pvops_apply(t, t + 2, &env);
	check("twin entries: a second apply writes nothing", pokes == 1 &&
	      counts_are(c, 2, 0, 0, 0, 0, 0, 0));
	c = pvops_restore(t, t + 2, &env);
	check("twin entries: restore writes once", pokes == 2 && !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 2, 0, 0, 1));
	c = pvops_apply_range(t, t + 2, t + 1, t + 2, &env, 0);
	check("twin entries: the second alone does not write what the first owns",
	      pokes == 2 && c.failed == 1 && !memcmp(text, orig, 6));
	t[1].slot += (int32_t)((char *)&slot2 - (char *)&slot);
	c = pvops_apply(t, t + 2, &env);
	check("same site, other slot: neither written, both bad entries", pokes == 2 &&
	      !memcmp(text, orig, 6) && counts_are(c, 0, 0, 0, 0, 0, 2, 0));
	make(&t[0], PVOPS_MEM, 6, 0, 0, orig);
	copy_entry(&t[1], &t[0]);
	t[1].site += 3;                                  /* overlaps the first's last 3 bytes */
	memcpy(&t[2], &(struct pvops_site){ 0 }, sizeof(t[2]));
	c = pvops_apply(t, t + 3, &env);
	check("overlapping sites: neither written; an all-zero entry is bad too",
	      pokes == 2 && !memcmp(text, orig, 6) && counts_are(c, 0, 0, 0, 0, 0, 3, 0));
	t[1].site += 3;                                  /* now adjacent: both stand */
	c = pvops_apply(t, t + 2, &env);
	check("adjacent sites do not overlap", pokes == 3 && c.direct == 1 && c.mismatch == 1);
}

/* Entries out of address order take the search for shared bytes, and find none. */
static void test_unordered(void)
{
	static struct pvops_site t[2];  /* near text[]: self-relative fields are 32-bit */
	uint8_t orig[6];
	struct pvops_counts c;

	mem_call(orig);
	make(&t[1], PVOPS_MEM, 6, 0, 0, orig);          /* text[0..6) */
	copy_entry(&t[0], &t[1]);
	t[0].site += 6;                                  /* text[6..12), first in the table */
	text[6] = 0xff, text[7] = 0x15;
	put32(text + 8, rel_from(text + 12, &slot));
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(t, t + 2, &env);
	check("entries out of order: both sites written", pokes == 2 && text[1] == 0xe8 &&
	      text[7] == 0xe8 && counts_are(c, 2, 0, 0, 0, 0, 0, 2));
}

static void test_fields(void)
{
	static struct pvops_site e;  /* near text[]: self-relative fields are 32-bit */
	uint8_t orig[6];
	struct pvops_counts c;

	mem_call(orig);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	check("entry check accepts a well-formed entry", pvops_entry_check(&e));
	e.reserved = 1;
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("non-zero reserved byte: bad entry, never poked", !pvops_entry_check(&e) &&
	      pokes == 0 && counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	e.reserved = 0;
	e.version = 2;
	check("entry check refuses another version", !pvops_entry_check(&e));
}

static void set_rec(struct pvops_patch_rec *r, const void *to, const uint8_t *code,
		    uint8_t len, uint16_t magic)
{
	memset(r, 0, sizeof(*r));
	r->target = (int32_t)((const char *)to - (const char *)&r->target);
	r->code = code ? (int32_t)((const char *)code - (const char *)&r->code) : 0;
	r->len = len;
	r->magic = magic;
}

/*
 * Patches registered as records (PVOPS_INLINE/PVOPS_NOP) are found after
 * env->patches, a malformed record is ignored, and what the applier
 * writes and marks is what pvops_rewrite() and pvops_mark() say, which
 * is what `pvlink patch` writes.
 */
static void test_records(void)
{
	static const uint8_t sti[] = { 0xfb };
	static const uint8_t inl[6] = { 0xfb, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static struct pvops_patch_rec recs[3];
	static struct pvops_site e;
	const struct pvops_env renv = { poke, NULL, NULL, 0, recs, recs + 3 };
	const struct pvops_patch p = { (const void *)other, sti, 1 };
	uint8_t orig[6], want[6];
	struct pvops_counts c;
	uint32_t out;

	set_rec(&recs[0], (const void *)target, sti, 1, 0x1234);   /* bad magic: ignored */
	set_rec(&recs[1], (const void *)other, sti, 1, PVOPS_PATCH_MAGIC);
	set_rec(&recs[2], (const void *)noop, NULL, 0, PVOPS_PATCH_MAGIC);
	check("a record is 12 bytes", sizeof(recs[0]) == PVOPS_PATCH_REC_SIZE);
	mem_call(orig);
	make(&e, PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)other;
	c = pvops_apply(&e, &e + 1, &renv);
	check("a registered record is inlined", !memcmp(text, inl, 6) &&
	      counts_are(c, 0, 1, 0, 0, 0, 0, 1));
	out = pvops_rewrite(&e, (uint64_t)(uintptr_t)text, (uint64_t)(uintptr_t)other, &p,
			    orig, want);
	check("pvops_rewrite gives the applier's bytes and outcome",
	      out == PVOPS_OUT_INLINED && !memcmp(want, text, 6));
	check("pvops_mark gives the applier's mark", e.written == pvops_mark(&e, orig, want) &&
	      e.written != 0 && pvops_mark(&e, orig, orig) == 0);
	slot = (void *)noop;
	c = pvops_apply(&e, &e + 1, &renv);
	check("a no-op record removes the call", c.nop == 1 && c.writes == 1 && text[0] == 0x66);
	slot = (void *)target;
	c = pvops_apply(&e, &e + 1, &renv);
	check("a record with a bad magic is ignored: direct call", c.direct == 1 &&
	      text[0] == 0x2e && text[1] == 0xe8);
}

int main(void)
{
	test_original();
	test_mem_call();
	test_inline_and_nop();
	test_tail_jump();
	test_load_call();
	test_thunk_call();
	test_split();
	test_refusals();
	test_split_adjacent();
	test_twins();
	test_unordered();
	test_fields();
	test_records();
	return failures != 0;
}
