/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * slots.h - the slot values `pvlink patch` writes an image for (slots.c).
 */
#ifndef PVLINK_SLOTS_H
#define PVLINK_SLOTS_H

#include "elf.h"

/* What one slot holds for the target backend, and where that was said. */
struct slotval {
	uint64_t    addr;
	uint64_t    target;
	const char *from;     /* the --ops or --slot argument */
};

struct slotmap {
	struct slotval *v;
	size_t          n, cap;
};

/*
 * The values --ops TABLE=TEMPLATE and --slot TABLE.FIELD=SYM (or
 * TABLE+OFF=SYM) give, sorted by slot address; --slot wins.  -1 after one
 * message for anything that is not a table, a template of its size, a
 * field or a function in a text section.
 */
int slots_build(struct elf *e, const char *const *ops, size_t nops, const char *const *slots,
		size_t nslots, struct slotmap *m);

/* The value given for the slot at addr, or NULL when none was. */
const struct slotval *slots_find(const struct slotmap *m, uint64_t addr);
void slots_free(struct slotmap *m);

/* len bytes of the file at address addr, or NULL when no section holds them. */
const uint8_t *image_bytes(struct elf *e, uint64_t addr, uint64_t len);

#endif
