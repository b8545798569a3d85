// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * table.c - turn the patchable references into pvlink_sites sections.
 *
 * One table piece per executable section that has sites, SHF_LINK_ORDER
 * to it, so a linker that drops the code can drop its entries too.  Each
 * entry's position fields are left zero and filled by R_X86_64_PC32
 * relocations (S + A - P: the field's distance to the target), which the
 * final link resolves whatever the layout:
 *
 *   entry+4   site   section symbol of the text + offset of the site
 *   entry+8   slot   the same symbol + addend as the code's own relocation
 *   entry+12  thunk  the retpoline thunk the site branched to (thunk forms)
 */
#include <stdlib.h>
#include <string.h>

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

static GElf_Rela pc32(uint64_t at, size_t sym, int64_t addend)
{
	return (GElf_Rela){ at, GELF_R_INFO(sym, R_X86_64_PC32), addend };
}

struct piece {
	struct pvops_site *entries;
	GElf_Rela         *relas;
	size_t             n, nrela;
};

/* Entries and relocations for the patchable refs[0..n), all in one section. */
static int build_piece(struct elf *e, const struct ref *refs, size_t n, struct piece *p)
{
	const struct symbol *anchor = anchor_symbol(e, refs[0].sec);

	if (!anchor) {
		ERROR(e->path, "%s: no symbol to anchor the table's relocations", refs[0].sec->name);
		return -1;
	}
	p->entries = calloc(n, sizeof(*p->entries));
	p->relas = calloc(3 * n, sizeof(*p->relas));
	if (!p->entries || !p->relas)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct ref *r = &refs[i];
		uint64_t at = i * sizeof(struct pvops_site);

		p->entries[p->n] = r->site;
		p->entries[p->n].magic = PVOPS_MAGIC;
		p->entries[p->n].version = PVOPS_VERSION;
		p->n++;
		p->relas[p->nrela++] = pc32(at + 4, anchor->idx,
					    (int64_t)(r->off - sym_offset(e, anchor)));
		p->relas[p->nrela++] = pc32(at + 8, r->reloc.sym, r->target);
		if ((r->site.form & PVOPS_KIND) == PVOPS_THUNK)
			/* the branch's operand is 4 bytes before its end */
			p->relas[p->nrela++] = pc32(at + 12, r->thunk.sym, r->thunk.addend + 4);
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

static struct new_section rela_section(const struct piece *p, size_t symtab, size_t table)
{
	struct new_section s = { .name = ".rela" PVOPS_SECTION, .buf = p->relas,
				 .size = p->nrela * sizeof(Elf64_Rela), .type = ELF_T_RELA };

	s.sh.sh_type = SHT_RELA;
	s.sh.sh_flags = SHF_INFO_LINK;
	s.sh.sh_link = (GElf_Word)symtab;
	s.sh.sh_info = (GElf_Word)table;
	s.sh.sh_addralign = 8;
	s.sh.sh_entsize = sizeof(Elf64_Rela);
	return s;
}

/* The patchable refs, grouped by section (refs arrive in section order). */
static size_t collect_patchable(const struct refs *refs, struct ref *out)
{
	size_t n = 0;

	for (size_t i = 0; i < refs->n; i++)
		if (refs->r[i].patchable)
			out[n++] = refs->r[i];
	return n;
}

int table_write(struct elf *e, const struct refs *refs, const char *out_path)
{
	struct ref *sites = calloc(refs->n ? refs->n : 1, sizeof(*sites));
	struct piece *pieces = calloc(refs->n ? refs->n : 1, sizeof(*pieces));
	struct new_section *adds = calloc(2 * (refs->n ? refs->n : 1), sizeof(*adds));
	size_t n, npieces = 0;
	int ret = -1;

	if (!sites || !pieces || !adds)
		goto out;
	n = collect_patchable(refs, sites);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && sites[j].sec == sites[i].sec; j++)
			;
		if (build_piece(e, &sites[i], j - i, &pieces[npieces]))
			goto out;
		adds[npieces] = table_section(&pieces[npieces], sites[i].sec->idx);
		npieces++;
	}
	for (size_t k = 0; k < npieces; k++)
		adds[npieces + k] = rela_section(&pieces[k], e->symtab->idx, e->nsec + k);
	ret = elf_write_with(e, out_path, adds, 2 * npieces);
out:
	for (size_t k = 0; k < npieces; k++) {
		free(pieces[k].entries);
		free(pieces[k].relas);
	}
	free(pieces);
	free(adds);
	free(sites);
	return ret;
}
