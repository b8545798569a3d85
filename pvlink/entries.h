/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * entries.h - the ways into an object's code that decoding one function
 * cannot see: relocations from anywhere that point into code, symbols,
 * and exception landing pads.  Together with what a machine finds by
 * decoding whole sections (struct code_entries), they are the closed set
 * the proofs rest on (README, "What is patched, and why it is safe": assumption A1).
 */
#ifndef PVLINK_ENTRIES_H
#define PVLINK_ENTRIES_H

#include "elf.h"

struct landing {
	size_t   shndx;
	uint64_t off;
};

struct code_range {
	size_t   shndx;
	uint64_t start, end;
};

struct code_ranges {
	struct code_range *v;
	size_t             n, cap;
};

struct entries {
	struct landing    *land;       /* exact places control may enter, sorted */
	size_t             nland, cap;
	/* control may enter somewhere in these, pvlink cannot say where: a
	   relative jump table's entries (S + A - P in data), an exception
	   table pvlink could not read */
	struct code_ranges unbounded;
	/* calls in these ranges may unwind to a landing pad of their function */
	struct code_ranges throws;
};

/* The ways into one section that decoding it shows: filled by the
   machine's classifier, on first use (arch/x86/sweep.c). */
struct code_entries {
	uint64_t *v;        /* branch targets and computed addresses, sorted */
	size_t    n, cap;
	/* computed addresses control may reach anywhere around: the
	   functions holding an AArch64 `adr` jump table base */
	struct code_ranges open;
	bool      done;     /* computed (only when a site needs it) */
	bool      unknown;  /* some code could not be decoded: the set is open */
};

/* Adds a decoded way in (-1 when out of memory); sorts them once all are in. */
int code_entries_add(struct code_entries *ce, uint64_t off);
void code_entries_sort(struct code_entries *ce);
void code_entries_free(struct code_entries *ce);

struct text_ctx;

/*
 * Why control may enter ctx's section strictly after start and before
 * end (assumption A1: the exact landings, the unbounded ranges, and the
 * machine's decoded ways in, `code`), or NULL when it cannot.  code NULL
 * (not computed: out of memory) or open counts as a way in.
 */
const char *way_in_between(const struct text_ctx *ctx, const struct code_entries *code,
			   uint64_t start, uint64_t end);

struct addr_lists;

/* Collect e's entries, without the address lists (addrlists.h; `lists`
   names more of them, may be NULL); on failure print one line and
   return -1. */
int entries_collect(struct elf *e, const struct addr_lists *lists, struct entries *en);
void entries_free(struct entries *en);

/* The exact landings in section shndx, as sorted offsets (caller frees). */
uint64_t *entries_in_section(const struct entries *en, size_t shndx, size_t *n);

/* Does a range of `rs` in section shndx overlap [start, end)? */
bool ranges_overlap(const struct code_ranges *rs, size_t shndx, uint64_t start, uint64_t end);

/* Internal to entries.c and eh.c. */
int add_landing(struct entries *en, size_t shndx, uint64_t off);
int add_range(struct code_ranges *rs, size_t shndx, uint64_t start, uint64_t end);

/* Exception landing pads from .eh_frame and .gcc_except_table (eh.c). */
int eh_collect(struct elf *e, struct entries *en);

#endif
