/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * arch.h - the one interface between pvlink and a machine.
 *
 * Generic code (reading objects, scanning relocations, tables, verify,
 * audit) asks e->arch and never tests the ELF machine or includes a
 * decoder.  A machine lives under arch/<name>/: its relocation types,
 * the algebra that turns a relocation into the address its instruction
 * uses, and its decoder and classifier, which decide what each reference
 * is and whether rewriting it is proven safe.  arch.c lists the machines.
 */
#ifndef PVLINK_ARCH_H
#define PVLINK_ARCH_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf;
struct reloc;
struct ref;
struct refs;
struct symbol;
struct text_ctx;

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

/* A machine's decoder, with the function it decoded last.  Each machine
   embeds this as the first member of its own state. */
struct decoder {
	const struct arch *arch;
};

struct arch {
	const char *name;
	unsigned    elf_class, machine;
	unsigned    slot_size;       /* bytes of a function pointer */
	uint8_t     form;            /* added to every entry's form: PVOPS_I386 or 0 */
	bool        rel;             /* addends live in the relocated bytes (SHT_REL) */
	uint32_t    pc32;            /* the type of the table's self-relative fields */
	uint32_t    dyn_relative;    /* the dynamic B + A relocation (RELA images) */
	/* how far beyond its target a PC-relative operand's addend may lie */
	unsigned    operand_bias;

	/* relocations */
	unsigned  (*reloc_width)(uint32_t type);     /* bytes patched, 0 for none */
	enum reloc_class (*reloc_class)(uint32_t type);
	/*
	 * What relocation r addresses, as an offset from its symbol: its
	 * addend, less whatever the machine's PC-relative encoding adds.
	 * insn_end is the end of the instruction that holds the relocated
	 * field, or 0 when no instruction was decoded there (the field is
	 * then taken to end its instruction).  The one place the machine's
	 * bias is undone.
	 */
	int64_t   (*reloc_target)(const struct reloc *r, uint64_t insn_end);

	/* code */
	/* NULL after one message naming path when it cannot start */
	struct decoder *(*decoder_open)(const struct arch *arch, const char *path);
	void      (*decoder_close)(struct decoder *d);
	/*
	 * Decode [start, end) of ctx's section, the function (or stretch
	 * between functions) that the next classify() calls look into.
	 * Returns -1 (after one message) when out of memory.
	 */
	int       (*decode)(struct decoder *d, const struct text_ctx *ctx, uint64_t start,
			    uint64_t end);
	/*
	 * Add to out the references that relocation r, in the function
	 * decoded last (func, or NULL between functions), makes to an ops
	 * table: none when its instruction, once decoded, does not reach one
	 * after all (a neighbouring object in the same section) or only
	 * starts an address another relocation completes; several when it
	 * forms a table address that several instructions use.  Returns -1
	 * when out of memory.
	 */
	int       (*classify)(struct decoder *d, const struct text_ctx *ctx, const struct reloc *r,
			      const struct symbol *func, struct refs *out);
	/* The reference's instruction(s) as people read them, for reports. */
	void      (*format_ref)(struct elf *e, const struct ref *r, char *buf, size_t size);
	void      (*format_done)(void);    /* frees what format_ref() keeps */

	const void *priv;            /* the machine's own constants */
};

/* The machine of an ELF header, or NULL when pvlink does not handle it. */
const struct arch *arch_for(const GElf_Ehdr *eh);

/* "x86-64 and i386": the machines, for messages. */
const char *arch_names(void);

/* Frees what any machine's format_ref() keeps, before the program ends. */
void arch_format_done(void);

/* The field is relative to the place it patches (its addend is biased
   by the distance to the end of the instruction on x86). */
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
