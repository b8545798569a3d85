// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * fields.c - read field names of ops tables from DWARF with libdwfl.
 *
 * libdwfl, not bare libdw: in a relocatable object the debug sections
 * still hold unapplied relocations (string offsets, type references),
 * and libdwfl's offline mode applies them; it also opens each member of
 * an archive.  A table's type is found from any DW_TAG_variable of that
 * name, a declaration (`extern struct pv_ops pv_ops;`) included.
 */
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "warn.h"

struct walk {
	const char *const  *tables;
	size_t              ntables;
	struct field_names *out;
};

static bool wanted(const struct walk *w, const char *name)
{
	for (size_t i = 0; name && i < w->ntables; i++)
		if (!strcmp(w->tables[i], name))
			return true;
	return false;
}

void fields_add(struct field_names *f, const char *table, int64_t offset, const char *name)
{
	struct field_name *v;

	if (fields_lookup(f, table, offset))
		return;
	v = pvrealloc(f->v, (f->n + 1) * sizeof(*v));
	if (!v)
		return;
	f->v = v;
	v[f->n].table = pvstrdup(table);
	v[f->n].name = pvstrdup(name);
	v[f->n].offset = offset;
	if (v[f->n].table && v[f->n].name)
		f->n++;
}

/* Follow typedefs and qualifiers down to the structure type. */
static bool struct_type(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;

	*type = *die;
	for (int depth = 0; depth < 16; depth++) {
		if (!dwarf_attr(type, DW_AT_type, &attr) || !dwarf_formref_die(&attr, type))
			return false;
		if (dwarf_tag(type) == DW_TAG_structure_type)
			return true;
	}
	return false;
}

static void add_members(struct walk *w, const char *table, Dwarf_Die *st)
{
	Dwarf_Die m;
	Dwarf_Attribute attr;
	Dwarf_Word off;

	if (dwarf_child(st, &m) != 0)
		return;
	do {
		if (dwarf_tag(&m) == DW_TAG_member && dwarf_diename(&m) &&
		    dwarf_attr(&m, DW_AT_data_member_location, &attr) &&
		    dwarf_formudata(&attr, &off) == 0)
			fields_add(w->out, table, (int64_t)off, dwarf_diename(&m));
	} while (dwarf_siblingof(&m, &m) == 0);
}

static void walk_cu(struct walk *w, Dwarf_Die *cu)
{
	Dwarf_Die die, st;

	if (dwarf_child(cu, &die) != 0)
		return;
	do {
		const char *name = dwarf_diename(&die);

		if (dwarf_tag(&die) == DW_TAG_variable && wanted(w, name) &&
		    struct_type(&die, &st))
			add_members(w, name, &st);
	} while (dwarf_siblingof(&die, &die) == 0);
}

static int walk_module(Dwfl_Module *mod, void **user, const char *name, Dwarf_Addr base,
		       void *arg)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Dwarf_Off off = 0, next;
	size_t hsize;

	(void)user, (void)name, (void)base;
	while (dw && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu))
			walk_cu(arg, &cu);
		off = next;
	}
	return DWARF_CB_OK;
}

void fields_load(const char *path, const char *const *tables, size_t ntables,
		 struct field_names *out)
{
	static char *debuginfo_path;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	struct walk w = { tables, ntables, out };
	Dwfl *dwfl = dwfl_begin(&callbacks);

	if (!dwfl)
		return;
	dwfl_report_begin(dwfl);
	if (dwfl_report_offline(dwfl, path, path, -1)) {
		dwfl_report_end(dwfl, NULL, NULL);
		dwfl_getmodules(dwfl, walk_module, &w, 0);
	}
	dwfl_end(dwfl);
}

const char *fields_lookup(const struct field_names *f, const char *table, int64_t offset)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].offset == offset && !strcmp(f->v[i].table, table))
			return f->v[i].name;
	return NULL;
}

size_t fields_of(const struct field_names *f, const char *table,
		 const struct field_name **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n && n < max; i++)
		if (!strcmp(f->v[i].table, table))
			out[n++] = &f->v[i];
	/* insertion sort by offset: a table has tens of fields */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j - 1]->offset > out[j]->offset; j--) {
			const struct field_name *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

void fields_free(struct field_names *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].table);
		free(f->v[i].name);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
