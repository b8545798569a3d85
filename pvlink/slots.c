// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * slots.c - what each ops slot holds for the backend `pvlink patch`
 * pre-patches for: every slot of a table from a backend's template object
 * in the image (--ops TABLE=TEMPLATE), single slots from --slot, by field
 * name (DWARF or BTF) or offset.  Every value is a function in a text
 * section of the image, or NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "fields.h"
#include "slots.h"
#include "warn.h"

/* len bytes of the file at address addr, or NULL when no section holds them. */
const uint8_t *image_bytes(struct elf *e, uint64_t addr, uint64_t len)
{
	struct section *sec = find_section_by_addr(e, addr, len);

	if (!sec || !section_bytes(sec))
		return NULL;
	return section_bytes(sec) + (addr - sec->sh.sh_addr);
}

/* Set (or override) the value of the slot at addr. */
static int slot_set(struct slotmap *m, uint64_t addr, uint64_t target, const char *from)
{
	struct slotval *v;

	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].addr == addr) {
			m->v[i] = (struct slotval){ addr, target, from };
			return 0;
		}
	if (m->n == m->cap) {
		v = pvrealloc(m->v, (m->cap ? m->cap * 2 : 64) * sizeof(*v));
		if (!v)
			return -1;
		m->v = v;
		m->cap = m->cap ? m->cap * 2 : 64;
	}
	m->v[m->n++] = (struct slotval){ addr, target, from };
	return 0;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slotval *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const struct slotval *slots_find(const struct slotmap *m, uint64_t addr)
{
	struct slotval key = { addr, 0, NULL };

	return bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_slot);
}

/* A function address: 0 (NULL, the site stays indirect) or in a text section. */
static bool in_text(struct elf *e, uint64_t addr)
{
	struct section *sec = find_section_by_addr(e, addr, 1);

	return !addr || (sec && section_is_text(sec) && addr < sec->sh.sh_addr + sec->sh.sh_size);
}

/* An ops table or template: a defined data object with a size. */
static struct symbol *find_object(struct elf *e, const char *name, const char *opt,
				  const char *arg)
{
	struct symbol *sym = find_symbol_by_name(e, name);

	if (!sym || sym->shndx == SHN_UNDEF || sym->shndx >= e->nsec) {
		ERROR(e->path, "--%s %s: no symbol %s in the image", opt, arg, name);
		return NULL;
	}
	if (sym->type != STT_OBJECT || !sym->sym.st_size) {
		ERROR(e->path, "--%s %s: %s is not a data object with a size", opt, arg, name);
		return NULL;
	}
	return sym;
}

/*
 * The pointer a template holds at addr: the file's bytes, or in a
 * position-independent image the addend of the R_*_RELATIVE dynamic
 * relocation that fills it at load time (its bytes may be 0 there).
 * *ok = 0 for a slot filled by a symbol's dynamic relocation.
 */
static uint64_t template_value(struct elf *e, const uint8_t *p, uint64_t addr, int *ok)
{
	unsigned sz = e->arch->slot_size;
	uint64_t v = 0;
	GElf_Rela rela;

	for (unsigned i = 0; i < sz; i++)
		v |= (uint64_t)p[i] << (8 * i);
	for (size_t s = 1; s < e->nsec; s++) {
		struct section *sec = &e->secs[s];

		if (sec->sh.sh_type != SHT_RELA || !(sec->sh.sh_flags & SHF_ALLOC) || !sec->data)
			continue;
		for (size_t i = 0; sec->sh.sh_entsize && i < sec->sh.sh_size / sec->sh.sh_entsize;
		     i++) {
			if (!gelf_getrela(sec->data, (int)i, &rela) || rela.r_offset != addr)
				continue;
			if (GELF_R_TYPE(rela.r_info) != e->arch->dyn_relative)
				*ok = 0;
			return (uint64_t)rela.r_addend;
		}
	}
	return v;
}

/* Split "LEFT=RIGHT" at the '='; -1 after a message when there is none. */
static int split_arg(const char *arg, const char *opt, const char *shape, char **left,
		     const char **right)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1]) {
		fprintf(stderr, "pvlink: patch: --%s %s: takes %s\n", opt, arg, shape);
		return -1;
	}
	*left = pvmalloc((size_t)(eq - arg) + 1);
	if (!*left)
		return -1;
	memcpy(*left, arg, (size_t)(eq - arg));
	(*left)[eq - arg] = '\0';
	*right = eq + 1;
	return 0;
}

/* Every slot of TABLE gets what TEMPLATE holds at the same offset. */
static int add_template(struct elf *e, struct slotmap *m, const char *arg, char *table,
			const char *tmpl)
{
	struct symbol *t = find_object(e, table, "ops", arg);
	struct symbol *s = t ? find_object(e, tmpl, "ops", arg) : NULL;
	unsigned sz = e->arch->slot_size;
	const uint8_t *p;
	int ok = 1;

	if (!s)
		return -1;
	if (s->sym.st_size != t->sym.st_size) {
		ERROR(e->path, "--ops %s: %s is %llu bytes, not the size of %s (%llu)", arg, tmpl,
		      (unsigned long long)s->sym.st_size, table,
		      (unsigned long long)t->sym.st_size);
		return -1;
	}
	p = image_bytes(e, s->sym.st_value, s->sym.st_size);
	if (!p) {
		ERROR(e->path, "--ops %s: %s has no initializer in the file", arg, tmpl);
		return -1;
	}
	for (uint64_t off = 0; off + sz <= t->sym.st_size; off += sz) {
		uint64_t v = template_value(e, p + off, s->sym.st_value + off, &ok);

		if (!ok || !in_text(e, v)) {
			ERROR(e->path, "--ops %s: %s+0x%llx holds 0x%llx, which is not in a text "
			      "section", arg, tmpl, (unsigned long long)off, (unsigned long long)v);
			return -1;
		}
		if (slot_set(m, t->sym.st_value + off, v, arg))
			return -1;
	}
	return 0;
}

static int add_ops(struct elf *e, struct slotmap *m, const char *arg)
{
	const char *tmpl;
	char *table;
	int ret;

	if (split_arg(arg, "ops", "TABLE=TEMPLATE", &table, &tmpl))
		return -1;
	ret = add_template(e, m, arg, table, tmpl);
	free(table);
	return ret;
}

/* The offset of table's field `name`, from the image's DWARF or BTF; -1 if none. */
static int64_t field_offset(struct elf *e, const char *arg, const char *table, const char *name)
{
	struct field_names f = { 0 };
	int64_t off = -1;

	/* out of memory: its one message is printed already */
	if (!fields_load(e->path, NULL, &table, 1, &f) || pvlink_out_of_memory()) {
		if (!pvlink_out_of_memory())
			ERROR(e->path, "--slot %s: no debug info names the fields of %s: give "
			      "the offset, %s+0xOFF", arg, table, table);
		fields_free(&f);
		return -1;
	}
	for (size_t i = 0; i < f.n && off < 0; i++)
		if (!strcmp(f.v[i].table, table) && !strcmp(f.v[i].name, name))
			off = f.v[i].offset;
	if (off < 0)
		ERROR(e->path, "--slot %s: %s has no field %s", arg, table, name);
	fields_free(&f);
	return off;
}

/* "pv_ops.field" or "pv_ops+0x10": the slot's address, or 0 after a message. */
static uint64_t slot_addr(struct elf *e, const char *arg, char *left)
{
	char *sep = left + strcspn(left, ".+"), *end, kind = *sep;
	unsigned sz = e->arch->slot_size;
	struct symbol *t;
	int64_t off;

	if (!kind || sep == left || !sep[1]) {
		fprintf(stderr, "pvlink: patch: --slot %s: takes TABLE.FIELD=SYM or "
			"TABLE+OFFSET=SYM\n", arg);
		return 0;
	}
	off = kind == '+' ? (int64_t)strtoull(sep + 1, &end, 0) : 0;
	if (kind == '+' && *end) {
		fprintf(stderr, "pvlink: patch: --slot %s: %s is not an offset\n", arg, sep + 1);
		return 0;
	}
	*sep++ = '\0';
	t = find_object(e, left, "slot", arg);
	if (t && kind == '.')
		off = field_offset(e, arg, left, sep);
	if (!t || off < 0)
		return 0;
	if ((uint64_t)off + sz > t->sym.st_size || off % sz) {
		ERROR(e->path, "--slot %s: %s has no slot at offset 0x%llx (%llu bytes, %u-byte "
		      "slots)", arg, left, (unsigned long long)off,
		      (unsigned long long)t->sym.st_size, sz);
		return 0;
	}
	return t->sym.st_value + (uint64_t)off;
}

/* A function for one slot: it must exist and lie in a text section. */
static int add_slot(struct elf *e, struct slotmap *m, const char *arg)
{
	const char *name;
	struct symbol *sym;
	char *left;
	uint64_t addr;

	if (split_arg(arg, "slot", "TABLE.FIELD=SYM or TABLE+OFFSET=SYM", &left, &name))
		return -1;
	addr = slot_addr(e, arg, left);
	free(left);
	if (!addr)
		return -1;
	sym = find_symbol_by_name(e, name);
	if (!sym || sym->shndx == SHN_UNDEF) {
		ERROR(e->path, "--slot %s: no symbol %s in the image", arg, name);
		return -1;
	}
	if (!sym->sym.st_value || !in_text(e, sym->sym.st_value)) {
		ERROR(e->path, "--slot %s: %s is not in a text section", arg, name);
		return -1;
	}
	return slot_set(m, addr, sym->sym.st_value, arg);
}

/* The slot values the options give, sorted by address. */
int slots_build(struct elf *e, const char *const *ops, size_t nops, const char *const *slots,
		size_t nslots, struct slotmap *m)
{
	for (size_t i = 0; i < nops; i++)
		if (add_ops(e, m, ops[i]))
			return -1;
	for (size_t i = 0; i < nslots; i++)
		if (add_slot(e, m, slots[i]))
			return -1;
	if (!m->n) {
		fprintf(stderr, "pvlink: patch: say what the ops tables hold: --ops "
			"TABLE=TEMPLATE or --slot TABLE.FIELD=SYM\n");
		return -1;
	}
	qsort(m->v, m->n, sizeof(*m->v), cmp_slot);
	return 0;
}

void slots_free(struct slotmap *m)
{
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
}
