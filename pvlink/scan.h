/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scan.h - references to ops tables found in an object's code, and what
 * pvlink concluded about each.
 */
#ifndef PVLINK_SCAN_H
#define PVLINK_SCAN_H

#include "elf.h"
#include "entries.h"
#include "ops.h"
#include "pvops.h"

/* KIND_UNDECODED: the relocation lies in code Capstone cannot decode; what
   the instruction does with the field is unknown (a call, for coverage). */
enum ref_kind { KIND_CALL, KIND_JUMP, KIND_READ, KIND_WRITE, KIND_ADDRESS, KIND_UNDECODED,
		KIND_DATA /* the table's address in data (audit only) */ };

struct ref {
	struct section         *sec;       /* the executable section */
	uint64_t                off;       /* first byte of the instruction (or site) */
	struct reloc            reloc;     /* the relocation that reaches the table */
	const struct ops_table *ops;
	int64_t                 target;    /* what the instruction addresses, as an
	                                      offset from the relocation's symbol */
	int64_t                 field;     /* offset of the field in the table */
	const struct symbol    *func;      /* containing function, or NULL */
	enum ref_kind           kind;
	uint8_t                 len_a;     /* the instruction shown, at off (0: none) */
	uint8_t                 len_b;     /* a second instruction shown too, or 0 */
	uint8_t                 at_b;      /* its offset from off (after a gap: split sites) */
	bool                    show_thunk; /* the second branches to ref->thunk's symbol */
	bool                    patchable;
	uint64_t                site_off;  /* patchable: where the entry's site starts (off,
	                                      or an AArch64 branch after its load) */
	const char             *reason;    /* why not, when not patchable */
	const char             *hint;      /* what would fix it, or NULL */
	struct pvops_site       site;      /* form, len, branch, reg when patchable */
	struct reloc            thunk;     /* PVOPS_THUNK: the branch's relocation;
	                                      PVOPS_GOT: the GOT's (R_386_GOTPC) */
	struct reloc            imm;       /* the relocation on the first instruction's
	                                      immediate, when imm_reloc */
	bool                    imm_reloc;
	uint32_t                width;     /* writes: bytes stored from field on (0: a slot) */
};

struct refs {
	struct ref *r;
	size_t      n, cap;
};

/* One executable section, as a machine's classifier sees it. */
struct text_ctx {
	struct elf           *e;
	struct section       *sec;     /* its relocations read (section_relocs()) */
	const uint8_t        *bytes;
	const uint64_t       *land;    /* relocations, symbols and landing pads
	                                  pointing into the section, sorted */
	size_t                nland;
	const struct entries *entries; /* the object's unbounded ranges */
	struct code_entries  *code;    /* filled on first use */
	const struct ops_set *ops;
};

/* Room for one more reference, zeroed; NULL when out of memory. */
struct ref *refs_add(struct refs *refs);

/* Records why a reference is left alone; returns 0 so callers can `return` it. */
int ref_not_patchable(struct ref *ref, enum ref_kind kind, const char *reason,
		      const char *hint);

struct addr_lists;

/* Every reference in e's executable sections to a table of ops, in file
   order.  `lists` names sections that only list addresses, beyond the
   known ones (addrlists.h); may be NULL. */
int scan_object(struct elf *e, const struct ops_set *ops, const struct addr_lists *lists,
		struct refs *out);
void refs_free(struct refs *refs);

const char *kind_name(enum ref_kind kind);

/* The reference's instruction(s) as the machine writes them (AT&T syntax
   on x86), for reports. */
void ref_form(struct elf *e, const struct ref *r, char *buf, size_t size);

#endif
