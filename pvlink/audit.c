// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * audit.c - gather every reference to an ops table in objects, archives
 * and linked images, with what a reviewer needs beside each: where it is
 * in the source, which field, what the field defaults to, and whether a
 * write happens at init time or at run time.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "audit.h"
#include "btf.h"
#include "srcloc.h"
#include "warn.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? pvstrdup(s) : NULL;
}

/*
 * Code that runs once, at boot or start-up: the kernel's init sections
 * (freed after boot) and user space's PVOPS_INIT functions.  Not gcc's
 * .text.startup: main lives there, and main runs the whole program.
 */
static bool init_section(const char *name)
{
	return !strncmp(name, ".init.", 6) || !strcmp(name, ".init") ||
	       !strcmp(name, PVOPS_INIT_SECTION) || !strcmp(name, ".text.init") ||
	       !strncmp(name, ".head.text", 10);
}

/* name is want, or a gcc clone of it (want.part.0, want.constprop.0, want.cold). */
static bool same_function(const char *name, const char *want)
{
	size_t n = strlen(want);

	return name && !strncmp(name, want, n) && (name[n] == '\0' || name[n] == '.');
}

/* Init code by section, or named with --init (raw or demangled name). */
static enum phase code_phase(const struct audit *a, const char *section,
			     const struct symbol *func, const char *shown)
{
	if (init_section(section))
		return PHASE_INIT;
	for (size_t i = 0; func && i < a->ninit; i++)
		if (same_function(func->name, a->init[i]) || same_function(shown, a->init[i]))
			return PHASE_INIT;
	return PHASE_RUNTIME;
}

static struct audit_row *new_row(struct audit *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct audit_row *r = pvrealloc(a->rows, cap * sizeof(*r));

		if (!r)
			return NULL;
		a->rows = r;
		a->cap = cap;
	}
	memset(&a->rows[a->n], 0, sizeof(a->rows[0]));
	return &a->rows[a->n++];
}

static int add_row(struct audit *a, struct elf *e, struct srcloc_ctx *src,
		   const char *name, const struct ref *r)
{
	struct audit_row *row = new_row(a);
	struct symbol *func;
	struct srcloc loc;
	char form[160];

	if (!row)
		return -1;
	row->file = pvstrdup(name);
	row->section = pvstrdup(r->sec->name);
	row->offset = r->off;
	row->address = r->sec->sh.sh_addr + r->off;
	func = find_symbol_containing(e, r->sec->idx, r->off, STT_FUNC);
	row->function = func ? srcloc_demangle(src, func->name) : NULL;
	if (srcloc_find(src, r->sec->sh.sh_offset, r->sec->sh.sh_size, r->off, &loc) == 0) {
		row->source_file = dup_or_null(loc.file);
		row->line = loc.line;
		row->inlined = dup_or_null(loc.inlined);
	}
	row->ops = pvstrdup(r->ops->name);
	row->field_offset = r->field;
	ref_form(e, r, form, sizeof(form));
	row->form = pvstrdup(form);
	row->kind = r->kind;
	row->patchable = r->patchable;
	row->reason = r->reason;
	row->hint = r->hint;
	row->width = r->width;
	row->slot = e->arch->slot_size;
	/* a write, or the table's address taken: a path to writes pvlink cannot see */
	if (r->kind == KIND_WRITE || r->kind == KIND_ADDRESS)
		row->phase = code_phase(a, r->sec->name, func, row->function);
	return row->file && row->section && row->ops && row->form ? 0 : -1;
}

/* Loaded data other than unwind tables and pvlink's own. */
static bool data_section(const struct section *sec)
{
	return sec && (sec->sh.sh_flags & SHF_ALLOC) && !section_is_text(sec) &&
	       strcmp(sec->name, ".eh_frame") && strcmp(sec->name, PVOPS_SECTION);
}

static int add_data_row(struct audit *a, struct elf *e, const char *name,
			const struct section *sec, const struct reloc *r,
			const struct ops_table *t, int64_t field)
{
	struct audit_row *row = new_row(a);
	struct symbol *obj;
	char form[160];

	if (!row)
		return -1;
	obj = find_symbol_containing(e, sec->idx, r->offset, STT_OBJECT);
	snprintf(form, sizeof(form), "%s %s+0x%" PRIx64,
		 e->arch->reloc_width(r->type) == 8 ? ".quad" : ".long", t->name, (uint64_t)field);
	row->file = strdup(name);
	row->section = strdup(sec->name);
	row->offset = r->offset;
	row->address = sec->sh.sh_addr + r->offset;
	row->function = obj && *obj->name ? strdup(obj->name) : NULL;
	row->ops = strdup(t->name);
	row->field_offset = field;
	row->form = strdup(form);
	row->kind = KIND_DATA;
	row->reason = "the table's address is stored in data: code that loads it may write the table unseen";
	row->phase = init_section(sec->name) ? PHASE_INIT : PHASE_RUNTIME;
	row->slot = e->arch->slot_size;
	return row->file && row->section && row->ops && row->form ? 0 : -1;
}

/* PVOPS_TABLE()'s own pointer, which only keeps a static table alive. */
static bool keeps_table(struct elf *e, const struct section *sec, uint64_t off)
{
	const struct symbol *obj = find_symbol_containing(e, sec->idx, off, STT_OBJECT);

	return obj && !strncmp(obj->name, PVOPS_KEEP_PREFIX, strlen(PVOPS_KEEP_PREFIX));
}

/*
 * The table's address in initialized data (.data.rel, a pointer in a
 * struct, an exported symbol's entry): whoever loads it can write the
 * table, so each is a possible write path, like a lea in code.
 */
static int add_data_rows(struct audit *a, struct elf *e, const char *name,
			 const struct ops_set *ops)
{
	for (size_t i = 1; i < e->nsec; i++) {
		struct section *sec = &e->secs[i];
		const struct ops_table *t;
		const struct reloc *r;
		int64_t field;
		int ret = 0;

		if (!sec->rsec || !data_section(sec))
			continue;
		if (section_relocs(e, sec))
			return -1;
		r = sec->relocs;
		for (size_t k = 0; k < sec->nrelocs && !ret; k++)
			if ((t = ops_find(ops, e, &e->syms[r[k].sym], r[k].addend, 0, &field)) &&
			    !keeps_table(e, sec, r[k].offset))
				ret = add_data_row(a, e, name, sec, &r[k], t, field);
		if (ret)
			return -1;
	}
	return 0;
}

/* A table's static initializer: the function each slot's relocation names. */
static void read_defaults(struct audit *a, struct elf *e, const struct ops_table *t)
{
	struct section *sec = t->defined ? &e->secs[t->shndx] : NULL;
	const struct reloc *r;

	if (!sec || !sec->rsec || section_relocs(e, sec))
		return;
	r = sec->relocs;
	for (size_t i = 0; i < sec->nrelocs; i++) {
		struct symbol *s = &e->syms[r[i].sym];
		int64_t field = (int64_t)(r[i].offset - t->start);

		if (r[i].offset < t->start || field >= (int64_t)t->size)
			continue;
		if (s->type == STT_SECTION)
			s = find_symbol_containing(e, s->shndx, sym_offset(e, s) + r[i].addend, STT_FUNC);
		if (s && *s->name)
			fields_add(&a->defaults, t->name, field, s->name);
	}
}

bool audit_has_table(const struct audit *a, const char *name)
{
	for (size_t i = 0; i < a->ntables; i++)
		if (!strcmp(a->tables[i], name))
			return true;
	return false;
}

int audit_add_table(struct audit *a, const char *name)
{
	char **t;

	if (audit_has_table(a, name))
		return 0;
	t = pvrealloc(a->tables, (a->ntables + 1) * sizeof(*t));
	if (!t)
		return -1;
	a->tables = t;
	t[a->ntables] = pvstrdup(name);
	return t[a->ntables] ? (a->ntables++, 0) : -1;
}

/*
 * Tables of this input: those named that it defines or references, and
 * those marked in it.  A named table it does not know is no error: most
 * objects of a build call nothing through it.
 */
static int input_ops(struct audit *a, struct elf *e, const char *const *names, size_t nnames,
		     struct ops_set *ops)
{
	bool *present = pvcalloc(nnames + 1, sizeof(*present));
	int ret = -1;

	if (!present || ops_resolve_present(e, names, nnames, ops, present))
		goto out;
	for (size_t i = 0; a->verbose && i < nnames; i++)
		if (!present[i])
			NOTE(e->path, "%s: neither defined nor referenced here: 0 sites", names[i]);
	for (size_t i = 0; i < ops->n; i++)
		if (audit_add_table(a, ops->t[i].name))
			goto out;
	ret = 0;
out:
	free(present);
	return ret;
}

static int add_input(struct audit *a, const char *name, bool debug)
{
	struct audit_input *v = pvrealloc(a->inputs, (a->ninputs + 1) * sizeof(*v));
	char *file;

	if (!v)
		return -1;              /* a->inputs stays valid for audit_free() */
	a->inputs = v;
	file = pvstrdup(name);
	if (!file)
		return -1;
	a->inputs[a->ninputs++] = (struct audit_input){ file, debug, false };
	return 0;
}

static bool has_code_relocs(struct elf *e)
{
	for (size_t i = 1; i < e->nsec; i++)
		if (section_is_text(&e->secs[i]) && e->secs[i].rsec)
			return true;
	return false;
}

static int audit_elf(struct audit *a, Elf *elf, const char *name, const char *path,
		     const char *member, const char *const *names, size_t nnames)
{
	struct elf e = { 0 };
	struct ops_set ops = { 0 };
	struct refs refs = { 0 };
	struct srcloc_ctx *src = NULL;
	int ret = EXIT_BAD_INPUT;

	if (elf_load(&e, elf, name))
		goto out;
	if (e.linked && !has_code_relocs(&e)) {
		ERROR(name, "no relocations in the image: link with -Wl,--emit-relocs to audit it");
		goto out;
	}
	if (input_ops(a, &e, names, nnames, &ops) || scan_object(&e, &ops, &a->addr_lists, &refs))
		goto out;
	src = srcloc_open(path, member);
	if (add_input(a, name, srcloc_has_debug(src)))
		goto out;
	for (size_t i = 0; i < ops.n; i++)
		read_defaults(a, &e, &ops.t[i]);
	for (size_t i = 0; i < refs.n; i++)
		if (add_row(a, &e, src, name, &refs.r[i]))
			goto out;
	if (add_data_rows(a, &e, name, &ops))
		goto out;
	ret = EXIT_OK;
out:
	srcloc_close(src);
	refs_free(&refs);
	ops_free(&ops);
	elf_release(&e);
	return ret;
}

/* Every member of an archive; one that is not ELF is reported and skipped. */
static int audit_archive(struct audit *a, int fd, Elf *ar, const char *path,
			 const char *const *names, size_t nnames)
{
	Elf_Cmd cmd = ELF_C_READ;
	Elf *m;
	int ret = EXIT_OK;

	while (ret == EXIT_OK && (m = elf_begin(fd, cmd, ar))) {
		Elf_Arhdr *h = elf_getarhdr(m);
		char name[512];

		if (h && h->ar_name[0] != '/') {
			snprintf(name, sizeof(name), "%s(%s)", path, h->ar_name);
			if (elf_kind(m) != ELF_K_ELF)
				WARN(name, "not an ELF object, skipped");
			else
				ret = audit_elf(a, m, name, path, h->ar_name, names, nnames);
		}
		cmd = elf_next(m);
		elf_end(m);
	}
	return ret;
}

int audit_read(struct audit *a, const char *path, const char *const *names, size_t nnames)
{
	int fd = open(path, O_RDONLY), ret;
	Elf *elf;

	if (fd < 0) {
		ERROR(path, "cannot open: %s", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) == ELF_K_NONE) {
		ERROR(path, "not an ELF file or archive");
		ret = EXIT_BAD_INPUT;
	} else if (elf_kind(elf) == ELF_K_AR) {
		ret = audit_archive(a, fd, elf, path, names, nnames);
	} else {
		ret = audit_elf(a, elf, path, path, NULL, names, nnames);
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

int audit_set_base_btf(struct audit *a, const char *path)
{
	a->base_btf = btf_open_base(path);
	return a->base_btf ? EXIT_OK : EXIT_BAD_INPUT;
}

/* The inputs read from path, archive members "path(member)" included. */
static void mark_btf(struct audit *a, const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < a->ninputs; i++)
		if (!strncmp(a->inputs[i].file, path, len) &&
		    (!a->inputs[i].file[len] || a->inputs[i].file[len] == '('))
			a->inputs[i].btf = true;
}

void audit_name_fields(struct audit *a, const char *const *paths, size_t npaths)
{
	const char **tables = pvcalloc(a->n + a->ntables + 1, sizeof(*tables));
	size_t n = 0;

	if (!tables)
		return;
	for (size_t i = 0; i < a->ntables; i++)
		tables[n++] = a->tables[i];
	for (size_t i = 0; i < a->n; i++) {
		size_t k = 0;

		while (k < n && strcmp(tables[k], a->rows[i].ops))
			k++;
		if (k == n)
			tables[n++] = a->rows[i].ops;
	}
	for (size_t i = 0; i < npaths && n; i++)
		if (fields_load(paths[i], a->base_btf, tables, n, &a->fields) & FIELDS_BTF)
			mark_btf(a, paths[i]);
	for (size_t i = 0; i < a->n; i++) {
		struct audit_row *r = &a->rows[i];

		if (r->kind == KIND_ADDRESS || r->kind == KIND_DATA)
			continue;               /* the table itself, not a field */
		r->field = fields_lookup(&a->fields, r->ops, r->field_offset);
		r->default_impl = fields_lookup(&a->defaults, r->ops, r->field_offset);
	}
	free(tables);
}

void audit_free(struct audit *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct audit_row *r = &a->rows[i];

		free(r->file), free(r->section), free(r->function), free(r->source_file);
		free(r->inlined), free(r->ops), free(r->form);
	}
	for (size_t i = 0; i < a->ninputs; i++)
		free(a->inputs[i].file);
	for (size_t i = 0; i < a->ntables; i++)
		free(a->tables[i]);
	free(a->tables);
	free(a->rows);
	free(a->inputs);
	fields_free(&a->fields);
	fields_free(&a->defaults);
	btf_close_base(a->base_btf);
	memset(a, 0, sizeof(*a));
}
