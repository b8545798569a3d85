// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * ops.c - find the ops tables.
 *
 * A table is named by a symbol.  Code reaches it either through that
 * symbol (global tables, and local ones when the assembler keeps the
 * name) or, for a file-local static, through its section symbol plus an
 * addend (`.bss+0x24c`); ops_find() maps both back to the table.
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "warn.h"

int ops_add(struct elf *e, struct ops_set *set, struct symbol *sym)
{
	struct ops_table *t;

	for (size_t i = 0; i < set->n; i++)
		if (set->t[i].sym == sym || !strcmp(set->t[i].name, sym->name))
			return 0;
	if (sym->type == STT_FUNC) {
		ERROR(e->path, "%s: is a function, not an ops table (an object)", sym->name);
		return -1;
	}
	t = pvrealloc(set->t, (set->n + 1) * sizeof(*t));
	if (!t)
		return -1;
	set->t = t;
	t = &set->t[set->n++];
	*t = (struct ops_table){ .name = sym->name, .sym = sym };
	t->defined = sym->shndx != SHN_UNDEF && sym->shndx < e->nsec;
	if (t->defined) {
		t->shndx = sym->shndx;
		t->start = sym_offset(e, sym);
		t->size = sym->sym.st_size;
	}
	return 0;
}

/* The object symbol at section offset `off`, for a marker that names a static. */
static struct symbol *find_object_at(struct elf *e, size_t shndx, uint64_t off)
{
	for (size_t i = 1; i < e->nsym; i++) {
		struct symbol *s = &e->syms[i];

		if (s->shndx == shndx && s->type == STT_OBJECT && sym_offset(e, s) == off)
			return s;
	}
	return NULL;
}

/* Tables marked with PVOPS_TABLE(): one 8-byte address each in .pvlink.ops. */
static int add_marked(struct elf *e, struct ops_set *set)
{
	struct section *sec = find_section_by_name(e, ".pvlink.ops");
	const struct reloc *r;
	int ret = 0;

	if (!sec || !sec->rsec)
		return 0;
	if (section_relocs(e, sec))
		return -1;
	r = sec->relocs;
	for (size_t i = 0; i < sec->nrelocs && !ret; i++) {
		struct symbol *sym = &e->syms[r[i].sym];

		if (sym->type == STT_SECTION)
			sym = find_object_at(e, sym->shndx, sym_offset(e, sym) + r[i].addend);
		if (!sym) {
			ERROR(e->path, ".pvlink.ops+0x%llx: marked ops table has no symbol",
			      (unsigned long long)r[i].offset);
			ret = -1;
		} else {
			ret = ops_add(e, set, sym);
		}
	}
	return ret;
}

int ops_resolve(struct elf *e, const char *const *names, size_t nnames,
		struct ops_set *set, bool need_one)
{
	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < nnames; i++) {
		struct symbol *sym = find_symbol_by_name(e, names[i]);

		if (!sym) {
			ERROR(e->path, "%s: no symbol of that name", names[i]);
			return -1;
		}
		if (ops_add(e, set, sym))
			return -1;
	}
	if (add_marked(e, set))
		return -1;
	if (!set->n && need_one) {
		ERROR(e->path, "no ops table: name one with --ops SYM or mark it with PVOPS_TABLE()");
		return -1;
	}
	return 0;
}

int ops_resolve_present(struct elf *e, const char *const *names, size_t nnames,
			struct ops_set *set, bool *present)
{
	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < nnames; i++) {
		struct symbol *sym = find_symbol_by_name(e, names[i]);

		present[i] = sym != NULL;
		if (sym && ops_add(e, set, sym))
			return -1;
	}
	return add_marked(e, set);
}

void ops_free(struct ops_set *set)
{
	free(set->t);
	memset(set, 0, sizeof(*set));
}

static bool in_table(const struct ops_table *t, int64_t field, int64_t slack)
{
	if (field < -slack)
		return false;
	if (field < 0 || t->size == 0)
		return true;
	/* unsigned: a corrupt st_size must not overflow the comparison */
	return (uint64_t)field < t->size + (uint64_t)slack;
}

const struct ops_table *ops_find(const struct ops_set *set, struct elf *e,
				 const struct symbol *sym, int64_t off, int64_t slack,
				 int64_t *field)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct ops_table *t = &set->t[i];

		if (sym == t->sym || (sym->bind != STB_LOCAL && !strcmp(sym->name, t->name))) {
			*field = off;
		} else if (t->defined && sym->shndx == t->shndx) {
			/* wraps like the linker's arithmetic, whatever the file holds */
			*field = (int64_t)(sym_offset(e, sym) - t->start + (uint64_t)off);
		} else {
			continue;
		}
		if (in_table(t, *field, slack))
			return t;
	}
	return NULL;
}
