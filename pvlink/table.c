// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * table.c - turn the patchable references into pvlink_sites sections.
 *
 * One table piece per executable section that has sites, SHF_LINK_ORDER
 * to it, so a linker that drops the code can drop its entries too.  Each
 * entry's position fields are filled by PC32 relocations (S + A - P: the
 * field's distance to the target), which the final link resolves
 * whatever the layout:
 *
 *   entry+4   site   section symbol of the text + offset of the site
 *   entry+8   slot   the same symbol + addend as the code's own relocation
 *   entry+12  thunk  the retpoline thunk the site branched to (thunk forms)
 *
 * x86-64 objects take R_X86_64_PC32 in .relapvlink_sites, the fields left
 * zero.  i386 objects take R_386_PC32 in .relpvlink_sites (linkers for
 * i386 read REL only), and each field holds its addend until linked.
 *
 * Every output also carries a note (.note.pvlink, not allocated), even
 * when it has no site: an image with no table but that note was built from
 * processed objects that had nothing to patch, which verify accepts, where
 * an image without either was never processed.  A section that is not
 * allocated is neither garbage-collected nor moved by GNU ld, gold or lld;
 * a kernel's NOTES rule gathers it into .notes, still as a note.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "table.h"
#include "warn.h"

/* A symbol to anchor relocations into sec: its section symbol, else any. */
static const struct symbol *anchor_symbol(struct elf *e, const struct section *sec)
{
	const struct symbol *any = NULL;

	for (size_t i = 1; i < e->nsym; i++) {
		if (e->syms[i].shndx != sec->idx)
			continue;
		if (e->syms[i].type == STT_SECTION)
			return &e->syms[i];
		if (!any)
			any = &e->syms[i];
	}
	return any;
}

struct table_reloc {
	uint64_t at;       /* offset in the piece */
	size_t   sym;
	int64_t  addend;
	uint32_t type;     /* 0: the machine's PC32 */
};

struct piece {
	struct pvops_site  *entries;
	struct table_reloc *rel;
	size_t              n, nrel;
	void               *out;    /* rel[] as the file stores them */
};

static struct table_reloc pc32(uint64_t at, size_t sym, int64_t addend)
{
	return (struct table_reloc){ at, sym, addend, 0 };
}

/* Entries and relocations for the patchable ones of refs[0..n), all in one section. */
static int build_piece(struct elf *e, const struct ref *refs, size_t n, size_t patchable,
		       struct piece *p)
{
	const struct symbol *anchor = anchor_symbol(e, refs[0].sec);

	if (!anchor) {
		ERROR(e->path, "%s: no symbol to anchor the table's relocations", refs[0].sec->name);
		return -1;
	}
	p->entries = pvcalloc(patchable, sizeof(*p->entries));
	p->rel = pvcalloc(3 * patchable, sizeof(*p->rel));
	if (!p->entries || !p->rel)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct ref *r = &refs[i];
		uint64_t at = p->n * sizeof(struct pvops_site);

		if (!r->patchable)
			continue;
		p->entries[p->n] = r->site;
		p->entries[p->n].magic = PVOPS_MAGIC;
		p->entries[p->n].version = PVOPS_VERSION;
		p->n++;
		p->rel[p->nrel++] = pc32(at + 4, anchor->idx,
					 (int64_t)(r->site_off - sym_offset(e, anchor)));
		p->rel[p->nrel++] = pc32(at + 8, r->reloc.sym, r->target);
		if ((r->site.form & PVOPS_KIND) == PVOPS_THUNK)
			/* the thunk the branch reaches, re-expressed from the field */
			p->rel[p->nrel++] = pc32(at + 12, r->thunk.sym,
						 e->arch->reloc_target(&r->thunk, 0));
		if (r->site.form & PVOPS_GOT)
			/* GOT - P, as the code's own add $_GLOBAL_OFFSET_TABLE_ */
			p->rel[p->nrel++] = (struct table_reloc){ at + 12, r->thunk.sym, 0,
								  r->thunk.type };
	}
	return 0;
}

static uint32_t reloc_type(const struct arch *arch, const struct table_reloc *r)
{
	return r->type ? r->type : arch->pc32;
}

/* Bytes of one relocation entry in a file of this class and kind. */
static size_t reloc_entsize(const struct arch *arch)
{
	if (arch->elf_class == ELFCLASS64)
		return arch->rel ? sizeof(Elf64_Rel) : sizeof(Elf64_Rela);
	return arch->rel ? sizeof(Elf32_Rel) : sizeof(Elf32_Rela);
}

/* Relocation i of the piece, in the file's own layout. */
static void put_reloc(const struct arch *arch, struct piece *p, size_t i)
{
	const struct table_reloc *r = &p->rel[i];
	uint32_t type = reloc_type(arch, r);
	bool is64 = arch->elf_class == ELFCLASS64;

	if (is64 && arch->rel)
		((Elf64_Rel *)p->out)[i] = (Elf64_Rel){ r->at, ELF64_R_INFO(r->sym, type) };
	else if (is64)
		((Elf64_Rela *)p->out)[i] = (Elf64_Rela){ r->at, ELF64_R_INFO(r->sym, type),
							  r->addend };
	else if (arch->rel)
		((Elf32_Rel *)p->out)[i] = (Elf32_Rel){ (Elf32_Addr)r->at,
							ELF32_R_INFO((Elf32_Word)r->sym, type) };
	else
		((Elf32_Rela *)p->out)[i] = (Elf32_Rela){ (Elf32_Addr)r->at,
							  ELF32_R_INFO((Elf32_Word)r->sym, type),
							  (Elf32_Sword)r->addend };
}

/*
 * The piece's relocations in the file's format (see the top of this
 * file).  REL keeps each addend in the field it relocates: every field
 * is 32 bits.
 */
static int encode_relocs(const struct arch *arch, struct piece *p)
{
	p->out = pvcalloc(p->nrel ? p->nrel : 1, reloc_entsize(arch));
	if (!p->out)
		return -1;
	for (size_t i = 0; i < p->nrel; i++) {
		int32_t addend = (int32_t)p->rel[i].addend;

		put_reloc(arch, p, i);
		if (arch->rel)
			memcpy((uint8_t *)p->entries + p->rel[i].at, &addend, 4);
	}
	return 0;
}

static struct new_section table_section(const struct piece *p, size_t text_idx)
{
	struct new_section s = { .name = PVOPS_SECTION, .buf = p->entries,
				 .size = p->n * sizeof(struct pvops_site), .type = ELF_T_BYTE };

	s.sh.sh_type = SHT_PROGBITS;
	/* Writable: the applier records in each entry what it wrote. */
	s.sh.sh_flags = SHF_ALLOC | SHF_WRITE | SHF_LINK_ORDER;
	s.sh.sh_link = (GElf_Word)text_idx;
	s.sh.sh_addralign = 4;
	s.sh.sh_entsize = sizeof(struct pvops_site);
	return s;
}

static struct new_section rela_section(const struct arch *arch, const struct piece *p,
				       size_t symtab, size_t table)
{
	struct new_section s = { .name = arch->rel ? ".rel" PVOPS_SECTION : ".rela" PVOPS_SECTION,
				 .buf = p->out, .size = p->nrel * reloc_entsize(arch),
				 .type = arch->rel ? ELF_T_REL : ELF_T_RELA };

	s.sh.sh_type = arch->rel ? SHT_REL : SHT_RELA;
	s.sh.sh_flags = SHF_INFO_LINK;
	s.sh.sh_link = (GElf_Word)symtab;
	s.sh.sh_info = (GElf_Word)table;
	s.sh.sh_addralign = arch->elf_class == ELFCLASS64 ? 8 : 4;
	s.sh.sh_entsize = reloc_entsize(arch);
	return s;
}

struct pvlink_note {
	Elf32_Nhdr nh;
	char       name[8];    /* PVLINK_NOTE_NAME, padded to 4 bytes */
	uint32_t   version;    /* PVOPS_VERSION of the table format */
};

static bool is_pvlink_note(const GElf_Nhdr *nh, const char *name)
{
	return nh->n_type == PVLINK_NOTE_TABLE && nh->n_namesz == sizeof(PVLINK_NOTE_NAME) &&
	       !memcmp(name, PVLINK_NOTE_NAME, sizeof(PVLINK_NOTE_NAME));
}

/*
 * A linker script that gathers *(.note.*) into a section of no other
 * note (.notes in a small kernel) makes it SHT_PROGBITS: look in every
 * section named like a note too, read as notes through libelf.
 */
static bool may_hold_notes(const struct section *sec)
{
	return sec->sh.sh_type == SHT_NOTE ||
	       (sec->sh.sh_type == SHT_PROGBITS && !strncmp(sec->name, ".note", 5));
}

bool table_note_present(struct elf *e)
{
	for (size_t i = 1; i < e->nsec; i++) {
		const struct section *sec = &e->secs[i];
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, next, name, desc;

		if (!may_hold_notes(sec) || !section_bytes(sec))
			continue;
		d = elf_getdata_rawchunk(e->elf, (int64_t)sec->sh.sh_offset, sec->sh.sh_size,
					 ELF_T_NHDR);
		while (d && (next = gelf_getnote(d, off, &nh, &name, &desc)) > 0) {
			if (is_pvlink_note(&nh, (const char *)d->d_buf + name))
				return true;
			off = next;
		}
	}
	return false;
}

static struct new_section note_section(const struct pvlink_note *note)
{
	struct new_section s = { .name = PVLINK_NOTE_SECTION, .buf = note,
				 .size = sizeof(*note), .type = ELF_T_NHDR };

	s.sh.sh_type = SHT_NOTE;
	s.sh.sh_addralign = 4;
	return s;
}

/*
 * A piece and its relocations join the section group (C++ COMDAT) of the
 * text they describe, so that the linker keeps or discards all three
 * together: outside the group, gold and lld refuse a piece whose text was
 * discarded as a duplicate.
 */
static void join_group(struct elf *e, struct new_section *s, size_t text_idx)
{
	const struct section *g = find_group_by_member(e, text_idx);

	if (!g)
		return;
	s->group = g->idx;
	s->sh.sh_flags |= SHF_GROUP;
}

/* How many sections have patchable refs (refs arrive in section order). */
static size_t count_pieces(const struct refs *refs)
{
	const struct section *last = NULL;
	size_t n = 0;

	for (size_t i = 0; i < refs->n; i++)
		if (refs->r[i].patchable && refs->r[i].sec != last) {
			last = refs->r[i].sec;
			n++;
		}
	return n;
}

int table_write(struct elf *e, const struct refs *refs, const char *out_path)
{
	size_t max = count_pieces(refs), npieces = 0;
	struct piece *pieces = pvcalloc(max ? max : 1, sizeof(*pieces));
	struct new_section *adds = pvcalloc(2 * max + 1, sizeof(*adds));
	struct pvlink_note note = { { sizeof(PVLINK_NOTE_NAME), 4, PVLINK_NOTE_TABLE },
				    PVLINK_NOTE_NAME, PVOPS_VERSION };
	size_t nadds;
	int ret = -1;

	if (!pieces || !adds)
		goto out;
	for (size_t i = 0, j; i < refs->n; i = j) {
		const struct ref *r = refs->r;
		size_t patchable = 0;

		for (j = i; j < refs->n && r[j].sec == r[i].sec; j++)
			patchable += r[j].patchable;
		if (!patchable)
			continue;
		if (build_piece(e, &r[i], j - i, patchable, &pieces[npieces]) ||
		    encode_relocs(e->arch, &pieces[npieces]))
			goto out;
		adds[npieces] = table_section(&pieces[npieces], r[i].sec->idx);
		join_group(e, &adds[npieces], r[i].sec->idx);
		npieces++;
	}
	for (size_t k = 0; k < npieces; k++) {
		adds[npieces + k] = rela_section(e->arch, &pieces[k], e->symtab->idx, e->nsec + k);
		join_group(e, &adds[npieces + k], adds[k].sh.sh_link);
	}
	nadds = 2 * npieces;
	if (!table_note_present(e))
		adds[nadds++] = note_section(&note);
	ret = elf_write_with(e, out_path, adds, nadds);
out:
	for (size_t k = 0; pieces && k < max; k++) {
		free(pieces[k].entries);
		free(pieces[k].rel);
		free(pieces[k].out);
	}
	free(pieces);
	free(adds);
	return ret;
}
