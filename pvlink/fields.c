// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * fields.c - read field names of ops tables from DWARF with libdwfl, or
 * from BTF (btf.c) when there is no DWARF.  Names are dotted paths down to
 * the leaf member ("cpu.io_delay"), so a call through a nested struct is
 * named by what the source calls, whichever description supplied it.
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

#include "btf.h"
#include "fields.h"
#include "warn.h"

struct walk {
	const char *const  *tables;
	size_t              ntables;
	bool               *found;      /* per table: this input describes it */
	struct field_names *out;
};

/* The index of table name in w->tables, or -1. */
static int wanted(const struct walk *w, const char *name)
{
	for (size_t i = 0; name && i < w->ntables; i++)
		if (!strcmp(w->tables[i], name))
			return (int)i;
	return -1;
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

/*
 * A member's name under its parent's: "cpu" + "io_delay" -> "cpu.io_delay".
 * An anonymous struct or union adds no name.  Returns -1 if it does not fit.
 */
int fields_join(char *buf, size_t len, const char *prefix, const char *name)
{
	int n;

	if (!name || !*name)
		n = snprintf(buf, len, "%s", prefix);
	else
		n = snprintf(buf, len, "%s%s%s", prefix, *prefix ? "." : "", name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Follow typedefs and qualifiers from die's DW_AT_type to the type itself. */
static bool strip_type(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;

	*type = *die;
	for (int depth = 0; depth < 16; depth++) {
		if (!dwarf_attr(type, DW_AT_type, &attr) || !dwarf_formref_die(&attr, type))
			return false;
		switch (dwarf_tag(type)) {
		case DW_TAG_typedef: case DW_TAG_const_type: case DW_TAG_volatile_type:
		case DW_TAG_restrict_type: case DW_TAG_atomic_type:
			continue;
		default:
			return true;
		}
	}
	return false;
}

static bool is_aggregate(Dwarf_Die *type)
{
	return dwarf_tag(type) == DW_TAG_structure_type || dwarf_tag(type) == DW_TAG_union_type;
}

/* Where member m starts in its parent; a union's members carry no location. */
static bool member_offset(Dwarf_Die *parent, Dwarf_Die *m, Dwarf_Word *off)
{
	Dwarf_Attribute attr;

	if (dwarf_hasattr(m, DW_AT_bit_size))
		return false;                   /* a bit-field holds no pointer */
	if (dwarf_attr(m, DW_AT_data_member_location, &attr))
		return dwarf_formudata(&attr, off) == 0;
	*off = 0;
	return dwarf_tag(parent) == DW_TAG_union_type;
}

/*
 * Name every leaf member of st, nested structs and unions followed, by its
 * dotted path: pv_ops's io_delay is "cpu.io_delay", not "cpu".
 */
static void add_members(struct walk *w, const char *table, Dwarf_Die *st, int64_t base,
			const char *prefix, int depth)
{
	Dwarf_Die m, type;
	Dwarf_Word off;
	char name[FIELD_NAME_MAX];

	if (depth > FIELD_DEPTH_MAX || dwarf_child(st, &m) != 0)
		return;
	do {
		if (dwarf_tag(&m) != DW_TAG_member || !member_offset(st, &m, &off) ||
		    fields_join(name, sizeof(name), prefix, dwarf_diename(&m)))
			continue;
		if (strip_type(&m, &type) && is_aggregate(&type))
			add_members(w, table, &type, base + (int64_t)off, name, depth + 1);
		else if (dwarf_diename(&m))
			fields_add(w->out, table, base + (int64_t)off, name);
	} while (dwarf_siblingof(&m, &m) == 0);
}

static void walk_cu(struct walk *w, Dwarf_Die *cu)
{
	Dwarf_Die die, st;
	int k;

	if (dwarf_child(cu, &die) != 0)
		return;
	do {
		const char *name = dwarf_diename(&die);

		if (dwarf_tag(&die) == DW_TAG_variable && (k = wanted(w, name)) >= 0 &&
		    strip_type(&die, &st) && is_aggregate(&st) && dwarf_haschildren(&st)) {
			add_members(w, name, &st, 0, "", 0);
			w->found[k] = true;
		}
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

static void load_dwarf(const char *path, struct walk *w)
{
	static char *debuginfo_path;
	static const Dwfl_Callbacks callbacks = {
		.find_elf = dwfl_build_id_find_elf,
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
		.debuginfo_path = &debuginfo_path,
	};
	Dwfl *dwfl = dwfl_begin(&callbacks);

	if (!dwfl)
		return;
	dwfl_report_begin(dwfl);
	if (dwfl_report_offline(dwfl, path, path, -1)) {
		dwfl_report_end(dwfl, NULL, NULL);
		dwfl_getmodules(dwfl, walk_module, w, 0);
	}
	dwfl_end(dwfl);
}

/*
 * DWARF first: it also names the tables of a vmlinux.o built with -g.
 * BTF second, and only for the tables this input's DWARF does not
 * describe: parsing a vmlinux's BTF costs more than auditing it.
 */
unsigned fields_load(const char *path, struct btf *base, const char *const *tables,
		     size_t ntables, struct field_names *out)
{
	bool *found = pvcalloc(ntables + 1, sizeof(*found));
	const char **rest = pvcalloc(ntables + 1, sizeof(*rest));
	struct walk w = { tables, ntables, found, out };
	size_t nrest = 0;
	unsigned from = 0;

	if (!found || !rest)
		goto out;
	load_dwarf(path, &w);
	for (size_t i = 0; i < ntables; i++)
		if (found[i])
			from |= FIELDS_DWARF;
		else
			rest[nrest++] = tables[i];
	if (nrest && btf_add_fields(path, base, rest, nrest, out))
		from |= FIELDS_BTF;
out:
	free(found);
	free(rest);
	return from;
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
