/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ops.h - the ops tables an object calls through: which symbols they are,
 * where they lie, and which table and field a relocation target is.
 */
#ifndef PVLINK_OPS_H
#define PVLINK_OPS_H

#include "elf.h"

struct ops_table {
	const char    *name;
	struct symbol *sym;      /* the symbol the user named or marked */
	bool           defined;  /* defined in this file: extent known */
	size_t         shndx;    /* when defined: its section ... */
	uint64_t       start;    /* ... offset within it ... */
	uint64_t       size;     /* ... and size (0: unknown) */
};

struct ops_set {
	struct ops_table *t;
	size_t            n;
};

/*
 * Resolve the tables named on the command line plus those marked in C
 * with PVOPS_TABLE() (the .pvlink.ops section).  Prints one message and
 * returns non-zero when a name is not a symbol of the file or names a
 * function; with no tables at all and need_one, returns non-zero too.
 */
int ops_resolve(struct elf *e, const char *const *names, size_t nnames,
		struct ops_set *set, bool need_one);

/*
 * The same for a build that runs pvlink on every object: a named table
 * that e neither defines nor references is no error, present[i] says
 * whether names[i] was found.  Non-zero (after one message) only for a
 * name that is a function or a broken PVOPS_TABLE() mark.
 */
int ops_resolve_present(struct elf *e, const char *const *names, size_t nnames,
			struct ops_set *set, bool *present);

/* Add one table by its symbol (no-op if present); non-zero for a function. */
int ops_add(struct elf *e, struct ops_set *set, struct symbol *sym);
void ops_free(struct ops_set *set);

/*
 * The table that sym + off lands in, with the field's offset in *field;
 * NULL when it lands in none.  `slack` widens each table at both ends, for
 * a first look at a relocation before its instruction is decoded.
 */
const struct ops_table *ops_find(const struct ops_set *set, struct elf *e,
				 const struct symbol *sym, int64_t off, int64_t slack,
				 int64_t *field);

#endif
