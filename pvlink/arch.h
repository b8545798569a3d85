/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * arch.h - the machines pvlink reads, and everything that differs between
 * them: decoder mode, pointer and slot size, relocation types, the table's
 * own relocation and retpoline thunk names.  The rest of the tool asks e->arch and never
 * tests the ELF machine itself.
 */
#ifndef PVLINK_ARCH_H
#define PVLINK_ARCH_H

#include <capstone/capstone.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>

/* What a relocation type computes, as far as pvlink cares. */
enum reloc_class {
	RC_OTHER,      /* anything else: never part of a patchable site */
	RC_ABS,        /* S + A */
	RC_PC,         /* S + A - P */
	RC_GOTPCREL,   /* x86-64 GOT slot, PC-relative: the symbol's address, loaded */
	RC_GOT,        /* i386 GOT slot, relative to the GOT: the symbol's address, loaded */
	RC_GOTOFF,     /* i386 S + A - GOT: the symbol, relative to a GOT base register */
	RC_GOTPC,      /* i386 GOT + A - P: the GOT's address, PC-relative (S is the GOT) */
};

struct arch {
	const char *name;
	unsigned    elf_class, machine;
	cs_mode     mode;            /* Capstone's decoder mode */
	unsigned    slot_size;       /* bytes of a function pointer */
	int         ptr_width;       /* gpr_number() width of a pointer register */
	uint8_t     form;            /* added to every entry's form: PVOPS_I386 or 0 */
	bool        rel;             /* addends live in the relocated bytes (SHT_REL) */
	uint32_t    pc32, plt32;     /* the table's relocation; a thunk branch's other type */
	const char *got_suffix;      /* how a GOT reference is written: @GOTPCREL, @GOT */
	const char *got_hint;        /* what makes a GOT reference a direct one */
	const char *lea_hint;        /* what keeps the compiler from hoisting the address */
	const char *const *gpr_names;  /* by x86 number, for retpoline thunk names */
	int         ngpr;
	/* the standard convention's callee-saved registers (x86 numbers): the
	   audit follows a loaded value across calls with them; no patching
	   decision rests on a convention */
	uint16_t    callee_saved;
	unsigned  (*reloc_width)(uint32_t type);
	enum reloc_class (*reloc_class)(uint32_t type);
};

/* The machine of an ELF header, or NULL when pvlink does not handle it. */
const struct arch *arch_for(const GElf_Ehdr *eh);

/* The displacement of a PC-relative relocation counts from the operand, so
   its addend carries the distance to the end of the instruction. */
static inline bool reloc_pc_relative(const struct arch *a, uint32_t type)
{
	enum reloc_class c = a->reloc_class(type);

	return c == RC_PC || c == RC_GOTPCREL;
}

/* The instruction loads the symbol's address from a GOT slot. */
static inline bool reloc_via_got(const struct arch *a, uint32_t type)
{
	enum reloc_class c = a->reloc_class(type);

	return c == RC_GOTPCREL || c == RC_GOT;
}

static inline bool reloc_got_relative(const struct arch *a, uint32_t type)
{
	return a->reloc_class(type) == RC_GOTOFF;
}

#endif
