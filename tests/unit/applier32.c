// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * applier32.c - unit tests of kernel-glue/apply.c on i386 entries, byte
 * for byte.  Built twice by tests/t-i386.sh:
 *
 *   -m32   the i386 applier: every form rewritten, restored, re-targeted;
 *          a target more than 2 GiB away still reached (rel32 wraps);
 *          x86-64 entries and malformed i386 ones refused as bad entries
 *   -m64   what the tool relies on: pvops_original() rebuilds i386 sites
 *          in a 64-bit program, and the x86-64 applier refuses them
 *
 * Sites live in a data buffer (they are rewritten, never executed).
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static uint8_t text[64];                 /* where the sites live */
static void *slot;                       /* the ops slot */
static void *thunk_area[1];              /* stands in for a retpoline thunk */
static const uint8_t xor_eax[] = { 0x31, 0xc0 };

static void target(void) {}
static void noop(void) {}

static const struct pvops_patch patches[] = {
	{ (const void *)xor_eax, xor_eax, 2 },   /* inlined */
	{ (const void *)noop, NULL, 0 },          /* a no-op */
};
static const struct pvops_env env = { poke, NULL, patches, 2, NULL, NULL };

#define I386 (PVOPS_I386 | PVOPS_ABS)

/* An entry for `len` bytes at text[0], and those bytes as the compiler wrote them. */
static void make(struct pvops_site *e, uint8_t form, uint8_t len, uint8_t branch,
		 uint8_t reg, const uint8_t *bytes)
{
	memset(e, 0, sizeof(*e));
	memset(text, 0xcc, sizeof(text));
	memcpy(text, bytes, len);
	e->magic = PVOPS_MAGIC;
	e->version = PVOPS_VERSION;
	e->form = form;
	e->len = len;
	e->branch = branch;
	e->reg = reg;
	e->site = (int32_t)((char *)text - (char *)&e->site);
	e->slot = (int32_t)((char *)&slot - (char *)&e->slot);
	e->thunk = (int32_t)((char *)thunk_area - (char *)&e->thunk);
}

/* The bytes gas emits for each i386 form, the slot at 0x2000, the site at 0x1000. */
static void test_original(void)
{
	static const struct { uint8_t form, len, branch, reg; const char *bytes; } cases[] = {
		{ I386 | PVOPS_MEM, 6, 0, 0, "\xff\x15\x00\x20\x00\x00" },
		{ I386 | PVOPS_MEM | PVOPS_JUMP, 6, 0, 0, "\xff\x25\x00\x20\x00\x00" },
		{ I386 | PVOPS_REG, 7, 5, 0, "\xa1\x00\x20\x00\x00\xff\xd0" },
		{ I386 | PVOPS_REG, 8, 6, 1, "\x8b\x0d\x00\x20\x00\x00\xff\xd1" },
		{ I386 | PVOPS_REG | PVOPS_JUMP, 8, 6, 7, "\x8b\x3d\x00\x20\x00\x00\xff\xe7" },
		/* thunk at 0x3000: rel32 = 0x3000 - 0x100a */
		{ I386 | PVOPS_THUNK, 10, 5, 0, "\xa1\x00\x20\x00\x00\xe8\xf6\x1f\x00\x00" },
		{ I386 | PVOPS_THUNK | PVOPS_JUMP, 11, 6, 6,
		  "\x8b\x35\x00\x20\x00\x00\xe9\xf5\x1f\x00\x00" },
		/* GOT-relative, the GOT at 0x3000: disp32 = 0x2000 - 0x3000 */
		{ PVOPS_I386 | PVOPS_GOT | PVOPS_MEM, 6, 0, 3, "\xff\x93\x00\xf0\xff\xff" },
		{ PVOPS_I386 | PVOPS_GOT | PVOPS_MEM | PVOPS_JUMP, 6, 0, 7,
		  "\xff\xa7\x00\xf0\xff\xff" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, cases[i].form, 0, 0, 0,
					cases[i].len, cases[i].branch, cases[i].reg, 0, 0 };
		uint8_t out[PVOPS_MAX_LEN];
		uint32_t n = pvops_original(&e, 0x1000, 0x2000, 0x3000, out);
		char name[64];

		snprintf(name, sizeof(name), "i386 original encoding, case %zu", i);
		check(name, n == cases[i].len && !memcmp(out, cases[i].bytes, n));
	}
}

static void test_malformed(void)
{
	struct pvops_site e = { PVOPS_MAGIC, PVOPS_VERSION, PVOPS_I386 | PVOPS_MEM, 0, 0, 0,
				6, 0, 0, 0, 0 };
	uint8_t out[PVOPS_MAX_LEN];

	check("i386 without PVOPS_ABS is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
	e.form = I386 | PVOPS_REG;
	e.len = 8, e.branch = 6, e.reg = 8;
	check("i386 register above 7 is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
	e.form = I386 | PVOPS_MEM;
	e.len = 6, e.branch = 0, e.reg = 0;
	check("i386 slot above 4 GiB is malformed",
	      !pvops_original(&e, 0x1000, 0x100000000ull, 0, out));
	e.form = PVOPS_I386 | PVOPS_GOT | PVOPS_MEM, e.reg = 4;
	check("GOT-relative through %esp is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
	e.form = I386 | PVOPS_GOT | PVOPS_MEM, e.reg = 3;
	check("GOT-relative and absolute is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
	e.form = PVOPS_GOT | PVOPS_MEM;
	check("GOT-relative x86-64 is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
	e.form = PVOPS_I386 | PVOPS_GOT | PVOPS_THUNK, e.len = 11, e.branch = 6;
	check("GOT-relative thunk form is malformed", !pvops_original(&e, 0x1000, 0x2000, 0, out));
}

#if defined(__i386__)
static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint32_t rel_from(const uint8_t *end, const void *to)
{
	return (uint32_t)((uintptr_t)to - (uintptr_t)end);
}

/* call *slot: ff 15 abs32 -> cs call rel32, then back. */
static void test_mem_call(void)
{
	uint8_t orig[6] = { 0xff, 0x15 }, want[6] = { 0x2e, 0xe8 };
	static struct pvops_site e;
	struct pvops_counts c;

	put32(orig + 2, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)target;
	put32(want + 2, rel_from(text + 6, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 call *slot becomes cs call rel32", !memcmp(text, want, 6) &&
	      counts_are(c, 1, 0, 0, 0, 0, 0, 1) && text[6] == 0xcc);
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 second apply writes nothing", pokes == 0 && counts_are(c, 1, 0, 0, 0, 0, 0, 0));
	slot = (void *)xor_eax;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 registered code inlined, NOP-padded",
	      !memcmp(text, "\x31\xc0\x0f\x1f\x40\x00", 6) && counts_are(c, 0, 1, 0, 0, 0, 0, 1));
	c = pvops_restore(&e, &e + 1, &env);
	check("i386 restore puts ff 15 abs32 back", !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 1) && e.written == 0);
}

/* call *slot@GOTOFF(%ebx): ff 93 disp32 -> cs call rel32, then back. */
static void test_got_call(void)
{
	uint8_t orig[6] = { 0xff, 0x93 }, want[6] = { 0x2e, 0xe8 };
	static struct pvops_site e;
	struct pvops_counts c;

	/* the entry's thunk field holds the GOT: here thunk_area */
	put32(orig + 2, (uint32_t)((uintptr_t)&slot - (uintptr_t)thunk_area));
	make(&e, PVOPS_I386 | PVOPS_GOT | PVOPS_MEM, 6, 0, 3, orig);
	slot = (void *)target;
	put32(want + 2, rel_from(text + 6, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 call *slot@GOTOFF(%ebx) becomes cs call rel32",
	      !memcmp(text, want, 6) && counts_are(c, 1, 0, 0, 0, 0, 0, 1));
	c = pvops_restore(&e, &e + 1, &env);
	check("i386 restore puts ff 93 disp32 back", !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 1));
	orig[2] ^= 4;                            /* another displacement: another slot */
	memcpy(text, orig, 6);
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 GOT-relative site with another displacement is a mismatch",
	      !memcmp(text, orig, 6) && counts_are(c, 0, 0, 0, 0, 1, 0, 0));
}

/* jmp *slot: ff 25 abs32 -> jmp rel32; int3, or ret for a no-op. */
static void test_tail_jump(void)
{
	uint8_t orig[6] = { 0xff, 0x25 }, want[6] = { 0xe9, 0, 0, 0, 0, 0xcc };
	static struct pvops_site e;

	put32(orig + 2, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_MEM | PVOPS_JUMP, 6, 0, 0, orig);
	slot = (void *)target;
	put32(want + 1, rel_from(text + 5, (void *)target));
	check("i386 jmp *slot becomes jmp rel32; int3",
	      pvops_apply(&e, &e + 1, &env).direct == 1 && !memcmp(text, want, 6));
	slot = (void *)noop;
	pvops_apply(&e, &e + 1, &env);
	check("i386 a tail call to a no-op becomes ret", !memcmp(text, "\xc3\xcc\xcc\xcc\xcc\xcc", 6));
}

/* mov slot,%eax (a1); call *%eax: 5 + 2 bytes. */
static void test_moffs_load_call(void)
{
	uint8_t orig[7] = { 0xa1, 0, 0, 0, 0, 0xff, 0xd0 }, want[7] = { 0x66, 0x90, 0xe8 };
	static struct pvops_site e;
	struct pvops_counts c;

	put32(orig + 1, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_REG, 7, 5, 0, orig);
	slot = (void *)target;
	put32(want + 3, rel_from(text + 7, (void *)target));
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 mov moffs,%eax; call *%eax becomes NOPs then a call ending where it ended",
	      !memcmp(text, want, 7) && c.direct == 1);
	pvops_restore(&e, &e + 1, &env);
	check("i386 restore rebuilds the a1 load", !memcmp(text, orig, 7));
}

/* mov slot,%ecx (8b 0d); jmp *%ecx: 6 + 2 bytes. */
static void test_load_jmp(void)
{
	uint8_t orig[8] = { 0x8b, 0x0d, 0, 0, 0, 0, 0xff, 0xe1 };
	uint8_t want[8] = { 0xe9, 0, 0, 0, 0, 0xcc, 0xcc, 0xcc };
	static struct pvops_site e;

	put32(orig + 2, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_REG | PVOPS_JUMP, 8, 6, 1, orig);
	slot = (void *)target;
	put32(want + 1, rel_from(text + 5, (void *)target));
	check("i386 mov slot,%ecx; jmp *%ecx becomes jmp rel32; int3",
	      pvops_apply(&e, &e + 1, &env).direct == 1 && !memcmp(text, want, 8));
}

/* mov slot,%eax; call __x86_indirect_thunk_eax: 5 + 5 bytes. */
static void test_thunk_call(void)
{
	uint8_t orig[10] = { 0xa1, 0, 0, 0, 0, 0xe8 };
	static struct pvops_site e;
	struct pvops_counts c;

	put32(orig + 1, (uint32_t)(uintptr_t)&slot);
	put32(orig + 6, rel_from(text + 10, thunk_area));
	make(&e, I386 | PVOPS_THUNK, 10, 5, 0, orig);
	slot = (void *)target;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 retpoline thunk call becomes a direct call", c.direct == 1 && text[5] == 0xe8 &&
	      !memcmp(text, "\x0f\x1f\x44\x00\x00", 5) &&
	      get32(text + 6) == rel_from(text + 10, (void *)target));
	pvops_restore(&e, &e + 1, &env);
	check("i386 restore rebuilds the call to the thunk", !memcmp(text, orig, 10));
}

/* EIP wraps at 4 GiB: a target 3 GiB away is one rel32 away. */
static void test_wrap(void)
{
	uint8_t orig[6] = { 0xff, 0x15 };
	static struct pvops_site e;
	uintptr_t far = (uintptr_t)text + 0xc0000000u;
	struct pvops_counts c;

	put32(orig + 2, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)far;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 a target 3 GiB away is reached by rel32 wrapping around",
	      c.direct == 1 && get32(text + 2) == (uint32_t)(far - (uintptr_t)(text + 6)));
}

static void test_refusals(void)
{
	uint8_t orig[6] = { 0xff, 0x15 };
	static struct pvops_site e;
	struct pvops_counts c;

	put32(orig + 2, (uint32_t)(uintptr_t)&slot);
	make(&e, I386 | PVOPS_MEM, 6, 0, 0, orig);
	put32(text + 2, (uint32_t)(uintptr_t)&slot + 4);     /* calls another slot */
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 site addressing another slot: mismatch, never poked", pokes == 0 &&
	      counts_are(c, 0, 0, 0, 0, 1, 0, 0));
	make(&e, PVOPS_MEM, 6, 0, 0, orig);                   /* the same bytes, as x86-64 */
	c = pvops_apply(&e, &e + 1, &env);
	check("an x86-64 entry is a bad entry for the i386 applier", pokes == 0 &&
	      counts_are(c, 0, 0, 0, 0, 0, 1, 0));
	make(&e, PVOPS_I386 | PVOPS_MEM, 6, 0, 0, orig);      /* no PVOPS_ABS */
	c = pvops_apply(&e, &e + 1, &env);
	check("an i386 entry without PVOPS_ABS is a bad entry", pokes == 0 && c.bad_entry == 1);
	make(&e, I386 | PVOPS_MEM, 6, 0, 0, orig);
	slot = NULL;
	c = pvops_apply(&e, &e + 1, &env);
	check("i386 NULL slot stays indirect", pokes == 0 && !memcmp(text, orig, 6) &&
	      counts_are(c, 0, 0, 0, 1, 0, 0, 0));
}

static void test_native(void)
{
	test_mem_call();
	test_got_call();
	test_tail_jump();
	test_moffs_load_call();
	test_load_jmp();
	test_thunk_call();
	test_wrap();
	test_refusals();
}
#else
/* The x86-64 applier must not read an i386 entry's bytes as its own. */
static void test_native(void)
{
	uint8_t orig[6] = { 0xff, 0x15 };
	static struct pvops_site e;
	struct pvops_counts c;

	make(&e, I386 | PVOPS_MEM, 6, 0, 0, orig);
	slot = (void *)target;
	pokes = 0;
	c = pvops_apply(&e, &e + 1, &env);
	check("an i386 entry is a bad entry for the x86-64 applier",
	      pokes == 0 && c.bad_entry == 1 && c.direct == 0);
}
#endif

int main(void)
{
	test_original();
	test_malformed();
	test_native();
	return failures != 0;
}
