// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * elf.c - read and validate an ELF file with libelf; write a relocatable
 * object with extra sections.
 *
 * Nothing read from the file is trusted before it is checked: every
 * section's data must lie within the file, every symbol's section must
 * exist, every relocation must land inside its section and name an
 * existing symbol.  Later passes rely on these checks and do not repeat
 * them.
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "elf.h"
#include "warn.h"

/*
 * The section header table must lie inside the file.  libelf reads a file
 * whose section headers were cut off as one without sections, which would
 * turn a truncated object into a misleading "no symbol" later.
 */
static int check_extent(struct elf *e)
{
	Elf_Arhdr *member = elf_getarhdr(e->elf);
	size_t size = 0;
	uint64_t count = e->eh.e_shnum ? e->eh.e_shnum : 1;

	/* For an archive member, elf_rawfile() would copy the member into a
	   buffer that elf_end() never frees; its header has the size. */
	if (member)
		size = (size_t)member->ar_size;
	else
		elf_rawfile(e->elf, &size);
	if (e->eh.e_shoff == 0) {
		ERROR(e->path, "no section headers");
		return -1;
	}
	if (e->eh.e_shoff > size || (size - e->eh.e_shoff) / count < e->eh.e_shentsize) {
		ERROR(e->path, "truncated: section headers end past the end of the file");
		return -1;
	}
	return 0;
}

static int check_header(struct elf *e)
{
	if (elf_kind(e->elf) != ELF_K_ELF) {
		ERROR(e->path, "not an ELF file");
		return -1;
	}
	if (!gelf_getehdr(e->elf, &e->eh)) {
		ERROR_ELF(e->path, "unreadable ELF header");
		return -1;
	}
	e->arch = arch_for(&e->eh);
	if (!e->arch) {
		ERROR(e->path, "unsupported machine (ELF class %d, machine %d): pvlink handles %s",
		      e->eh.e_ident[EI_CLASS], e->eh.e_machine, arch_names());
		return -1;
	}
	if (check_extent(e))
		return -1;
	e->linked = e->eh.e_type == ET_EXEC || e->eh.e_type == ET_DYN;
	if (!e->linked && e->eh.e_type != ET_REL) {
		ERROR(e->path, "unsupported ELF type %d", e->eh.e_type);
		return -1;
	}
	return 0;
}

#define MAX_ALIGN (1u << 24)

static int read_section(struct elf *e, size_t shstrndx, struct section *sec)
{
	Elf_Scn *scn = elf_getscn(e->elf, sec->idx);

	if (!scn || !gelf_getshdr(scn, &sec->sh)) {
		ERROR_ELF(e->path, "unreadable section header");
		return -1;
	}
	sec->name = elf_strptr(e->elf, shstrndx, sec->sh.sh_name);
	if (!sec->name) {
		ERROR(e->path, "section %zu has no valid name", sec->idx);
		return -1;
	}
	/* The ELF spec allows 0 or a power of two; an absurd one would make
	   the writer pad the output by gigabytes. */
	if (sec->sh.sh_addralign & (sec->sh.sh_addralign - 1) ||
	    sec->sh.sh_addralign > MAX_ALIGN) {
		ERROR(e->path, "section %s: alignment %llu is not a power of two up to %u",
		      sec->name, (unsigned long long)sec->sh.sh_addralign, MAX_ALIGN);
		return -1;
	}
	if (sec->sh.sh_type == SHT_NOBITS || sec->sh.sh_size == 0)
		return 0;
	sec->data = elf_getdata(scn, NULL);
	if (!sec->data || sec->data->d_size != sec->sh.sh_size) {
		ERROR(e->path, "section %s: data lies outside the file (truncated?)", sec->name);
		return -1;
	}
	return 0;
}

static int cmp_file_offset(const void *a, const void *b)
{
	const struct section *x = *(struct section *const *)a, *y = *(struct section *const *)b;

	return x->sh.sh_offset < y->sh.sh_offset ? -1 : x->sh.sh_offset > y->sh.sh_offset;
}

/* No two sections may share bytes of the file: a writer would duplicate them. */
static int check_overlap(struct elf *e)
{
	struct section **v = pvcalloc(e->nsec ? e->nsec : 1, sizeof(*v));
	size_t n = 0;
	int ret = 0;

	if (!v)
		return -1;
	for (size_t i = 1; i < e->nsec; i++)
		if (e->secs[i].sh.sh_type != SHT_NOBITS && e->secs[i].sh.sh_size)
			v[n++] = &e->secs[i];
	qsort(v, n, sizeof(*v), cmp_file_offset);
	for (size_t i = 1; i < n && !ret; i++)
		if (v[i - 1]->sh.sh_offset + v[i - 1]->sh.sh_size > v[i]->sh.sh_offset) {
			ERROR(e->path, "sections %s and %s overlap in the file", v[i - 1]->name,
			      v[i]->name);
			ret = -1;
		}
	free(v);
	return ret;
}

/* Pairs each relocation section with the section it applies to. */
static int link_relocs(struct elf *e)
{
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *rsec = &e->secs[i];

		if (rsec->sh.sh_type != SHT_RELA && rsec->sh.sh_type != SHT_REL)
			continue;
		/* A linked image's dynamic relocations (.rela.dyn, .rela.plt) go
		   with .dynsym; only those kept by --emit-relocs matter here. */
		if (e->linked && (rsec->sh.sh_info == 0 || !e->symtab ||
				  rsec->sh.sh_link != e->symtab->idx))
			continue;
		if (rsec->sh.sh_info == 0 || rsec->sh.sh_info >= e->nsec ||
		    rsec->sh.sh_link != (e->symtab ? e->symtab->idx : (size_t)-1)) {
			ERROR(e->path, "relocation section %s: bad target section or symbol table",
			      rsec->name);
			return -1;
		}
		rsec->base = &e->secs[rsec->sh.sh_info];
		rsec->base->rsec = rsec;
	}
	return 0;
}

static int read_sections(struct elf *e)
{
	size_t shstrndx;

	if (elf_getshdrnum(e->elf, &e->nsec) || elf_getshdrstrndx(e->elf, &shstrndx)) {
		ERROR_ELF(e->path, "unreadable section headers");
		return -1;
	}
	e->secs = pvcalloc(e->nsec ? e->nsec : 1, sizeof(*e->secs));
	if (!e->secs)
		return -1;
	for (size_t i = 1; i < e->nsec; i++) {
		e->secs[i].idx = i;
		if (read_section(e, shstrndx, &e->secs[i]))
			return -1;
		if (e->secs[i].sh.sh_type == SHT_SYMTAB)
			e->symtab = &e->secs[i];
	}
	return check_overlap(e) || link_relocs(e) ? -1 : 0;
}

static Elf_Data *find_shndx_data(struct elf *e)
{
	for (size_t i = 1; i < e->nsec; i++)
		if (e->secs[i].sh.sh_type == SHT_SYMTAB_SHNDX &&
		    e->secs[i].sh.sh_link == e->symtab->idx)
			return e->secs[i].data;
	return NULL;
}

static int read_symbol(struct elf *e, Elf_Data *xdata, struct symbol *s)
{
	Elf32_Word xndx = 0;

	if (!gelf_getsymshndx(e->symtab->data, xdata, (int)s->idx, &s->sym, &xndx)) {
		ERROR_ELF(e->path, "unreadable symbol");
		return -1;
	}
	s->name = elf_strptr(e->elf, e->symtab->sh.sh_link, s->sym.st_name);
	if (!s->name) {
		ERROR(e->path, "symbol %zu has no valid name", s->idx);
		return -1;
	}
	s->type = GELF_ST_TYPE(s->sym.st_info);
	s->bind = GELF_ST_BIND(s->sym.st_info);
	s->shndx = s->sym.st_shndx == SHN_XINDEX ? xndx : s->sym.st_shndx;
	if (s->shndx >= e->nsec && s->shndx < SHN_LORESERVE) {
		ERROR(e->path, "symbol %s: section index %zu out of range", s->name, s->shndx);
		return -1;
	}
	return 0;
}

static int read_symbols(struct elf *e)
{
	Elf_Data *xdata;

	/* Symbol 0, the null symbol, always exists: relocations may name it. */
	e->syms = pvcalloc(1, sizeof(*e->syms));
	if (!e->syms)
		return -1;
	e->syms[0].name = "";
	if (!e->symtab || !e->symtab->data)
		return 0;
	if (e->symtab->sh.sh_entsize != gelf_fsize(e->elf, ELF_T_SYM, 1, EV_CURRENT)) {
		ERROR(e->path, "symbol table: entry size %llu is not a symbol's",
		      (unsigned long long)e->symtab->sh.sh_entsize);
		return -1;
	}
	if (e->symtab->sh.sh_link >= e->nsec) {
		ERROR(e->path, "symbol table: bad string table index");
		return -1;
	}
	xdata = find_shndx_data(e);
	e->nsym = e->symtab->sh.sh_size / e->symtab->sh.sh_entsize;
	free(e->syms);
	e->syms = pvcalloc(e->nsym ? e->nsym : 1, sizeof(*e->syms));
	if (!e->syms)
		return -1;
	for (size_t i = 0; i < e->nsym; i++) {
		e->syms[i].idx = i;
		if (read_symbol(e, xdata, &e->syms[i]))
			return -1;
	}
	return 0;
}

static int index_symbols(struct elf *e, struct sym_index *ix, unsigned type);

/* i386 images: the GOT base that GOT-relative relocations count from. */
static int find_got(struct elf *e)
{
	if (e->linked && e->arch->rel)
		e->got = find_symbol_by_name(e, "_GLOBAL_OFFSET_TABLE_");
	return 0;
}

int elf_load(struct elf *e, Elf *elf, const char *name)
{
	e->elf = elf;
	e->path = name;
	if (check_header(e) || read_sections(e) || read_symbols(e) || find_got(e) ||
	    index_symbols(e, &e->funcs, STT_FUNC) || index_symbols(e, &e->objects, STT_OBJECT))
		return EXIT_BAD_INPUT;
	return 0;
}

int elf_open_read(struct elf *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->path = path;
	e->fd = open(path, O_RDONLY);
	if (e->fd < 0) {
		ERROR(path, "cannot open: %s", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ, NULL);
	if (!e->elf) {
		ERROR_ELF(path, "cannot read");
		return EXIT_BAD_INPUT;
	}
	return elf_load(e, e->elf, path);
}

void elf_release(struct elf *e)
{
	for (size_t i = 0; e->secs && i < e->nsec; i++)
		free(e->secs[i].relocs);
	free(e->secs);
	free(e->syms);
	free(e->funcs.v);
	free(e->objects.v);
	e->secs = NULL;
	e->syms = NULL;
	e->funcs.v = e->objects.v = NULL;
}

void elf_close(struct elf *e)
{
	elf_release(e);
	if (e->elf)
		elf_end(e->elf);
	if (e->fd > 0)
		close(e->fd);
	memset(e, 0, sizeof(*e));
}

/* The low `width` bytes of v, sign-extended. */
static int64_t sign_extend(uint64_t v, unsigned width)
{
	unsigned bits = 8 * width;

	if (bits == 0 || bits >= 64)
		return (int64_t)v;
	v &= (1ull << bits) - 1;
	return (int64_t)(v & (1ull << (bits - 1)) ? v | ~0ull << bits : v);
}

/* The little-endian value of `width` bytes at p. */
static uint64_t read_le(const uint8_t *p, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = width; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

/*
 * The addend of a SHT_REL relocation, from the bytes it patches (see
 * elf.h for the algebra in a linked image).  The relocation has been
 * checked to lie within its section and to name an existing symbol.
 */
static int implicit_addend(struct elf *e, const struct section *base, struct reloc *r)
{
	unsigned width = e->arch->reloc_width(r->type);
	const uint8_t *bytes = section_bytes(base);
	uint64_t v, s, p;

	if (width == 0)
		return 0;
	if (!bytes) {
		ERROR(e->path, "%s+0x%llx: relocation in a section without contents", base->name,
		      (unsigned long long)r->offset);
		return -1;
	}
	v = read_le(bytes + r->offset, width);
	if (!e->linked) {
		r->addend = sign_extend(v, width);
		return 0;
	}
	s = r->sym ? e->syms[r->sym].sym.st_value : 0;
	p = base->sh.sh_addr + r->offset;
	switch (e->arch->reloc_class(r->type)) {
	case RC_ABS:    v -= s; break;
	case RC_PC:     v += p - s; break;
	case RC_GOTPC:  v += p - s; break;  /* S is _GLOBAL_OFFSET_TABLE_ */
	case RC_GOT:    v = 0; break;   /* a GOT slot names a symbol, no offset */
	case RC_GOTOFF:
		if (!e->got) {
			ERROR(e->path, "%s+0x%llx: GOT-relative relocation in an image without "
			      "_GLOBAL_OFFSET_TABLE_", base->name, (unsigned long long)r->offset);
			return -1;
		}
		v += e->got->sym.st_value - s;
		break;
	default:        break;          /* never part of a patchable site */
	}
	r->addend = sign_extend(v, width);
	return 0;
}

static int get_reloc(struct section *rsec, size_t i, struct reloc *r)
{
	if (rsec->sh.sh_type == SHT_RELA) {
		GElf_Rela rela;

		if (!gelf_getrela(rsec->data, (int)i, &rela))
			return -1;
		*r = (struct reloc){ rela.r_offset, GELF_R_TYPE(rela.r_info),
				     GELF_R_SYM(rela.r_info), rela.r_addend };
	} else {
		GElf_Rel rel;

		if (!gelf_getrel(rsec->data, (int)i, &rel))
			return -1;
		*r = (struct reloc){ rel.r_offset, GELF_R_TYPE(rel.r_info),
				     GELF_R_SYM(rel.r_info), 0 };
	}
	return 0;
}

static struct reloc *elf_read_relocs(struct elf *e, struct section *rsec, size_t *n)
{
	struct section *base = rsec->base;
	struct reloc *r;

	*n = rsec->data && rsec->sh.sh_entsize ? rsec->sh.sh_size / rsec->sh.sh_entsize : 0;
	r = pvcalloc(*n ? *n : 1, sizeof(*r));
	if (!r)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		if (get_reloc(rsec, i, &r[i])) {
			ERROR_ELF(e->path, rsec->name);
			goto bad;
		}
		if (e->linked)
			r[i].offset -= base->sh.sh_addr;
		if (r[i].offset > base->sh.sh_size ||
		    base->sh.sh_size - r[i].offset < e->arch->reloc_width(r[i].type)) {
			ERROR(e->path, "%s+0x%llx: relocation outside its section", base->name,
			      (unsigned long long)r[i].offset);
			goto bad;
		}
		if (r[i].sym >= e->nsym && r[i].sym != 0) {
			ERROR(e->path, "%s+0x%llx: relocation names symbol %u of %zu", base->name,
			      (unsigned long long)r[i].offset, r[i].sym, e->nsym);
			goto bad;
		}
		if (rsec->sh.sh_type == SHT_REL && implicit_addend(e, base, &r[i]))
			goto bad;
	}
	return r;
bad:
	free(r);
	return NULL;
}

/* By offset, then by content: the same order whatever order the file had. */
static int cmp_reloc(const void *a, const void *b)
{
	const struct reloc *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->sym != y->sym)
		return x->sym < y->sym ? -1 : 1;
	return x->addend < y->addend ? -1 : x->addend > y->addend;
}

static bool relocs_sorted(const struct reloc *r, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (cmp_reloc(&r[i - 1], &r[i]) > 0)
			return false;
	return true;
}

int section_relocs(struct elf *e, struct section *sec)
{
	if (sec->relocs || !sec->rsec)
		return 0;
	sec->relocs = elf_read_relocs(e, sec->rsec, &sec->nrelocs);
	if (!sec->relocs)
		return -1;
	/* assemblers emit them in order: sort only what is not */
	if (!relocs_sorted(sec->relocs, sec->nrelocs))
		qsort(sec->relocs, sec->nrelocs, sizeof(*sec->relocs), cmp_reloc);
	return 0;
}

const struct reloc *find_reloc_by_offset(const struct section *sec, uint64_t off)
{
	size_t lo = 0, hi = sec->nrelocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->relocs[mid].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sec->nrelocs && sec->relocs[lo].offset == off ? &sec->relocs[lo] : NULL;
}

struct section *find_section_by_name(struct elf *e, const char *name)
{
	for (size_t i = 1; i < e->nsec; i++)
		if (!strcmp(e->secs[i].name, name))
			return &e->secs[i];
	return NULL;
}

struct section *find_group_by_member(struct elf *e, size_t idx)
{
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *g = &e->secs[i];
		const Elf32_Word *w;

		if (g->sh.sh_type != SHT_GROUP || !g->data)
			continue;
		/* word 0 is the flags (GRP_COMDAT), then member indices */
		w = g->data->d_buf;
		for (size_t k = 1; k < g->data->d_size / sizeof(*w); k++)
			if (w[k] == idx)
				return g;
	}
	return NULL;
}

struct symbol *find_symbol_by_name(struct elf *e, const char *name)
{
	struct symbol *local = NULL;

	for (size_t i = 1; i < e->nsym; i++) {
		if (strcmp(e->syms[i].name, name))
			continue;
		if (e->syms[i].bind != STB_LOCAL)
			return &e->syms[i];
		if (!local)
			local = &e->syms[i];
	}
	return local;
}

struct section *find_section_by_addr(struct elf *e, uint64_t addr, uint64_t len)
{
	for (size_t i = 1; i < e->nsec; i++) {
		GElf_Shdr *sh = &e->secs[i].sh;

		if ((sh->sh_flags & SHF_ALLOC) && addr >= sh->sh_addr &&
		    addr - sh->sh_addr <= sh->sh_size && sh->sh_size - (addr - sh->sh_addr) >= len)
			return &e->secs[i];
	}
	return NULL;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct symbol *x = *(struct symbol *const *)a, *y = *(struct symbol *const *)b;

	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int index_symbols(struct elf *e, struct sym_index *ix, unsigned type)
{
	ix->v = pvcalloc(e->nsym ? e->nsym : 1, sizeof(*ix->v));
	if (!ix->v)
		return -1;
	for (size_t i = 1; i < e->nsym; i++)
		if (e->syms[i].type == type && e->syms[i].shndx > 0 && e->syms[i].shndx < e->nsec)
			ix->v[ix->n++] = &e->syms[i];
	qsort(ix->v, ix->n, sizeof(*ix->v), cmp_sym);
	return 0;
}

/* Index of the first symbol in ix at or after (shndx, off). */
static size_t lower_bound(struct elf *e, const struct sym_index *ix, size_t shndx, uint64_t off)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct symbol *s = ix->v[mid];

		if (s->shndx < shndx || (s->shndx == shndx && sym_offset(e, s) < off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* How far back to look past symbols that start before off but end before it. */
#define NESTED_LOOKBACK 8

struct symbol *find_symbol_containing(struct elf *e, size_t shndx, uint64_t off,
				      unsigned type)
{
	const struct sym_index *ix = type == STT_FUNC ? &e->funcs : &e->objects;
	size_t i = lower_bound(e, ix, shndx, off + 1);

	for (size_t k = 0; k < NESTED_LOOKBACK && i > 0; k++) {
		struct symbol *s = ix->v[--i];
		uint64_t lo = sym_offset(e, s);

		if (s->shndx != shndx)
			break;
		if (off - lo < (s->sym.st_size ? s->sym.st_size : 1))
			return s;
	}
	return NULL;
}

void find_func_bounds(struct elf *e, size_t shndx, uint64_t off, uint64_t sec_size,
		      struct symbol **func, uint64_t *start, uint64_t *end)
{
	const struct sym_index *ix = &e->funcs;
	size_t next = lower_bound(e, ix, shndx, off + 1);

	*func = find_symbol_containing(e, shndx, off, STT_FUNC);
	if (*func && (*func)->sym.st_size &&
	    sym_offset(e, *func) + (*func)->sym.st_size <= sec_size) {
		*start = sym_offset(e, *func);
		*end = *start + (*func)->sym.st_size;
		return;
	}
	*func = NULL;
	*start = 0;
	*end = sec_size;
	if (next < ix->n && ix->v[next]->shndx == shndx && sym_offset(e, ix->v[next]) < sec_size)
		*end = sym_offset(e, ix->v[next]);
	for (size_t i = next; i > 0 && ix->v[i - 1]->shndx == shndx; i--) {
		uint64_t hi = sym_offset(e, ix->v[i - 1]) + ix->v[i - 1]->sym.st_size;

		if (hi <= off && hi <= sec_size) {
			*start = hi;
			break;
		}
	}
}

void format_location(struct elf *e, const struct section *sec, uint64_t off,
		     char *buf, size_t size)
{
	struct symbol *f = find_symbol_containing(e, sec->idx, off, STT_FUNC);

	if (f)
		snprintf(buf, size, "%s+0x%llx", f->name,
			 (unsigned long long)(off - sym_offset(e, f)));
	else
		snprintf(buf, size, "%s+0x%llx", sec->name, (unsigned long long)off);
}

uint64_t sym_offset(struct elf *e, const struct symbol *sym)
{
	if (e->linked && sym->shndx > 0 && sym->shndx < e->nsec)
		return sym->sym.st_value - e->secs[sym->shndx].sh.sh_addr;
	return sym->sym.st_value;
}

const uint8_t *section_bytes(const struct section *sec)
{
	return sec->data ? sec->data->d_buf : NULL;
}
