/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * elf.h - pvlink's view of an ELF file: sections, symbols, relocations,
 * all validated on the way in, and the writer that adds sections to a
 * relocatable object.
 */
#ifndef PVLINK_ELF_H
#define PVLINK_ELF_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arch;
struct reloc;

struct section {
	size_t          idx;
	const char     *name;
	GElf_Shdr       sh;
	Elf_Data       *data;     /* NULL for SHT_NOBITS and empty sections */
	struct section *rsec;     /* the relocation section that applies to this one */
	struct section *base;     /* for a relocation section: the one it applies to */
	struct reloc   *relocs;   /* rsec's relocations, sorted by offset: section_relocs() */
	size_t          nrelocs;
};

struct symbol {
	size_t      idx;
	const char *name;
	GElf_Sym    sym;
	size_t      shndx;        /* section index, SHN_XINDEX resolved */
	unsigned    type, bind;
};

/*
 * A relocation, normalised: offset within its section, addend explicit
 * (for REL, read from the relocated bytes; see elf_read_relocs()).
 */
struct reloc {
	uint64_t offset;
	uint32_t type;
	uint32_t sym;
	int64_t  addend;
};

/* Defined symbols of one type, sorted by section and offset, for lookups. */
struct sym_index {
	struct symbol **v;
	size_t          n;
};

struct elf {
	const char     *path;     /* the name used in messages */
	Elf            *elf;
	int             fd;
	GElf_Ehdr       eh;
	const struct arch *arch;
	bool            linked;   /* ET_EXEC or ET_DYN: addresses are virtual */
	size_t          nsec;
	struct section *secs;
	size_t          nsym;
	struct symbol  *syms;
	struct section *symtab;
	struct symbol  *got;      /* linked i386: _GLOBAL_OFFSET_TABLE_, or NULL */
	struct sym_index funcs, objects;
};

/* Open and validate path; on failure print one line and return non-zero. */
int elf_open_read(struct elf *e, const char *path);

/* Validate an already open handle (an archive member, a buffer). */
int elf_load(struct elf *e, Elf *elf, const char *name);

/* Free what elf_load() built; the Elf handle stays with its owner. */
void elf_release(struct elf *e);

/* elf_release(), and end the handle and the file elf_open_read() opened. */
void elf_close(struct elf *e);

/*
 * Reads the relocations that apply to sec (from sec->rsec) into
 * sec->relocs, once, with offsets relative to sec and explicit addends,
 * sorted by offset; sec->relocs stays NULL when sec has none.  Returns -1
 * (after one message) when any entry points outside its section or names
 * a symbol that does not exist.  elf_release() frees them.
 *
 * SHT_REL (i386) keeps the addend in the bytes the relocation patches.
 * In an object those bytes are the addend; in a linked image (kept by
 * --emit-relocs) they hold the result, and the addend is recovered from
 * it: A = V - S for S + A, V - S + P for S + A - P, V - S + GOT for
 * S + A - GOT; GOT-slot references carry none.
 */
int section_relocs(struct elf *e, struct section *sec);

/* The relocation at offset off of sec (section_relocs() read), or NULL. */
const struct reloc *find_reloc_by_offset(const struct section *sec, uint64_t off);

struct section *find_section_by_name(struct elf *e, const char *name);

/* The SHT_GROUP section (a C++ COMDAT group) that lists section idx, or NULL. */
struct section *find_group_by_member(struct elf *e, size_t idx);

struct symbol *find_symbol_by_name(struct elf *e, const char *name);

/* Section containing [addr, addr + len) in a linked image. */
struct section *find_section_by_addr(struct elf *e, uint64_t addr, uint64_t len);

/* The symbol of `type` (STT_FUNC, STT_OBJECT) whose extent holds offset off. */
struct symbol *find_symbol_containing(struct elf *e, size_t shndx, uint64_t off,
				      unsigned type);

/*
 * The function around offset off of section shndx: *func and its extent,
 * or, between functions, *func = NULL and the gap from the end of the one
 * before to the start of the one after (or the section's ends).
 */
void find_func_bounds(struct elf *e, size_t shndx, uint64_t off, uint64_t sec_size,
		      struct symbol **func, uint64_t *start, uint64_t *end);

/* "func+0x12", or "section+0x34" when no function holds the offset. */
void format_location(struct elf *e, const struct section *sec, uint64_t off,
		     char *buf, size_t size);

/* A symbol's value as an offset within its section. */
uint64_t sym_offset(struct elf *e, const struct symbol *sym);

/* A section's bytes, or NULL when it has none in the file. */
const uint8_t *section_bytes(const struct section *sec);

static inline bool section_is_text(const struct section *sec)
{
	return sec->sh.sh_type == SHT_PROGBITS && (sec->sh.sh_flags & SHF_EXECINSTR);
}

/* A section to add: the writer assigns its name offset, file offset and size. */
struct new_section {
	const char *name;
	GElf_Shdr   sh;
	const void *buf;
	size_t      size;
	Elf_Type    type;
	size_t      group;    /* index of the SHT_GROUP it joins (set SHF_GROUP too), or 0 */
};

/*
 * Write `in` plus the sections in adds[] to path, through a temporary file
 * in the same directory that is renamed over path only on success.  The
 * added sections get indices in->nsec, in->nsec + 1, ... in order.
 */
int elf_write_with(struct elf *in, const char *path,
		   const struct new_section *adds, size_t nadds);

#endif
