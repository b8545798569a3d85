/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fields.h - names of an ops table's fields, from the DWARF description
 * of its type, else from its BTF: dotted paths down to the leaf member,
 * "cpu.io_delay" in pv_ops.
 */
#ifndef PVLINK_FIELDS_H
#define PVLINK_FIELDS_H

#include <stddef.h>
#include <stdint.h>

/* Longest dotted name, deepest nesting followed (malformed input may loop). */
#define FIELD_NAME_MAX  256
#define FIELD_DEPTH_MAX 8

/* Where fields_load found names. */
enum { FIELDS_DWARF = 1, FIELDS_BTF = 2 };

struct btf;

struct field_name {
	char   *table;
	int64_t offset;
	char   *name;
};

struct field_names {
	struct field_name *v;
	size_t             n;
};

/*
 * Add the members of every table in tables[] that path (an object, an
 * archive or an image) describes in its DWARF, or else in its BTF (split
 * BTF read on top of base, which may be NULL).  Without either nothing is
 * added; that is not an error.  Returns FIELDS_DWARF | FIELDS_BTF: which
 * of the two described at least one of the tables (names already known
 * from another input are not added twice).
 */
unsigned fields_load(const char *path, struct btf *base, const char *const *tables,
		     size_t ntables, struct field_names *out);

/* prefix.name into buf ("" prefix: name; no name: prefix); -1 if too long. */
int fields_join(char *buf, size_t len, const char *prefix, const char *name);

/* Record a name (copied); the first name for a table and offset wins. */
void fields_add(struct field_names *f, const char *table, int64_t offset, const char *name);

/* The field at offset in table, or NULL. */
const char *fields_lookup(const struct field_names *f, const char *table, int64_t offset);

/* Every field of table, in offset order, for "never called" lists. */
size_t fields_of(const struct field_names *f, const char *table,
		 const struct field_name **out, size_t max);

void fields_free(struct field_names *f);

#endif
