// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * applier_a64_hosted.c - an AArch64 program that patches its own call
 * sites through kernel-glue/hosted.c, and runs them patched.  Built and
 * run under qemu-aarch64 by tests/t-applier-a64.sh, which compares what
 * it prints.
 *
 * The call sites and their table entries are written in assembly below,
 * as a compiler emits the calls (the slot loaded into x16 or x17, then
 * blr or br) and as pvlink records them (only the branch, PVOPS_A64 |
 * PVOPS_REG [| PVOPS_JUMP], self-relative fields that the assembler
 * leaves to R_AARCH64_PREL32 relocations).  Each site's word is printed
 * by what it is, checked against an encoding made here.
 */
#include <stdint.h>
#include <stdio.h>

#include "pvops.h"

struct ops {
	int (*add)(int, int);
	void (*tick)(void);
	int (*twice)(int);
};
struct ops ops;

static int ticks;

static int native_add(int a, int b) { return a + b; }
static void native_tick(void) { ticks++; }
static void quiet_tick(void) {}
static int native_twice(int x) { return 2 * x; }

PVOPS_INLINE(native_add, 0x00, 0x00, 0x01, 0x0b);      /* add w0, w0, w1 */
PVOPS_NOP(quiet_tick);

int call_add(int a, int b);
void call_tick(void);
int tail_twice(int x);
extern const uint8_t site_add[], site_tick[], site_twice[];

__asm__(
	".macro pvsite site, slot, form, reg\n"
	"	.pushsection pvlink_sites, \"aw\", @progbits\n"
	"	.balign 4\n"
	"	.short 0x7670\n"                     /* PVOPS_MAGIC */
	"	.byte 1, \\form\n"                   /* PVOPS_VERSION, form */
	"	.long \\site - .\n"
	"	.long \\slot - .\n"
	"	.long 0\n"                           /* thunk */
	"	.byte 4, 0, \\reg, 0\n"              /* len, branch, reg, reserved */
	"	.long 0\n"                           /* written */
	"	.popsection\n"
	".endm\n"
	"	.text\n"
	"	.balign 4\n"
	"	.globl call_add, call_tick, tail_twice, site_add, site_tick, site_twice\n"
	"call_add:\n"
	"	stp x29, x30, [sp, -16]!\n"
	"	mov x29, sp\n"
	"	adrp x16, ops\n"
	"	ldr x16, [x16, :lo12:ops]\n"
	"site_add:\n"
	"	blr x16\n"
	"	ldp x29, x30, [sp], 16\n"
	"	ret\n"
	"	pvsite site_add, ops, 0x81, 16\n"
	"call_tick:\n"
	"	stp x29, x30, [sp, -16]!\n"
	"	mov x29, sp\n"
	"	adrp x17, ops + 8\n"
	"	ldr x17, [x17, :lo12:ops + 8]\n"
	"site_tick:\n"
	"	blr x17\n"
	"	ldp x29, x30, [sp], 16\n"
	"	ret\n"
	"	pvsite site_tick, ops + 8, 0x81, 17\n"
	"tail_twice:\n"
	"	adrp x17, ops + 16\n"
	"	ldr x17, [x17, :lo12:ops + 16]\n"
	"site_twice:\n"
	"	br x17\n"
	"	pvsite site_twice, ops + 16, 0x85, 17\n");

static uint32_t word(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t branch(uint32_t op, const void *from, const void *to)
{
	return op | (uint32_t)(((uintptr_t)to - (uintptr_t)from) >> 2 & 0x03ffffff);
}

/* What a site holds, by name. */
static void show_site(const char *name, const uint8_t *site)
{
	static const struct { uint32_t w; const char *text; } words[] = {
		{ 0xd63f0200u, "blr x16" }, { 0xd63f0220u, "blr x17" }, { 0xd61f0220u, "br x17" },
		{ 0xd503201fu, "nop" }, { 0xd65f03c0u, "ret" }, { 0x0b010000u, "add w0, w0, w1" },
	};
	static const struct { const char *name; const void *to; } targets[] = {
		{ "native_add", (const void *)native_add },
		{ "native_tick", (const void *)native_tick },
		{ "quiet_tick", (const void *)quiet_tick },
		{ "native_twice", (const void *)native_twice },
	};
	uint32_t w = word(site);

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (w == words[i].w) {
			printf("  %s: %s\n", name, words[i].text);
			return;
		}
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		if (w == branch(0x94000000u, site, targets[i].to)) {
			printf("  %s: bl %s\n", name, targets[i].name);
			return;
		}
		if (w == branch(0x14000000u, site, targets[i].to)) {
			printf("  %s: b %s\n", name, targets[i].name);
			return;
		}
	}
	printf("  %s: %08x\n", name, w);
}

static void report(const char *what, struct pvops_counts c)
{
	int before = ticks;

	printf("%s: %u direct, %u inlined, %u nop, %u indirect, %u mismatch, %u bad_entry, "
	       "%u failed, %u writes\n", what, c.direct, c.inlined, c.nop, c.indirect, c.mismatch,
	       c.bad_entry, c.failed, c.writes);
	show_site("site_add", site_add);
	show_site("site_tick", site_tick);
	show_site("site_twice", site_twice);
	call_tick();
	printf("  calls: add(2, 3) = %d, twice(21) = %d, tick counted %d\n", call_add(2, 3),
	       tail_twice(21), ticks - before);
}

int main(void)
{
	struct pvops_counts none = { 0 };

	ops = (struct ops){ native_add, native_tick, native_twice };
	report("unpatched", none);
	report("apply", pvops_hosted_apply(NULL, 0, 0));
	report("again", pvops_hosted_apply(NULL, 0, 0));
	ops.tick = quiet_tick;
	report("tick is a no-op", pvops_hosted_apply(NULL, 0, 0));
	report("restore", pvops_hosted_apply(NULL, 0, 1));
	return 0;
}
