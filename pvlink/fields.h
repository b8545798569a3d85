/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fields.h - names of an ops table's fields, from the DWARF description
 * of its type.
 */
#ifndef PVLINK_FIELDS_H
#define PVLINK_FIELDS_H

#include <stddef.h>
#include <stdint.h>

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
 * archive or an image) describes in its debug info.  Without debug info
 * nothing is added; that is not an error.
 */
void fields_load(const char *path, const char *const *tables, size_t ntables,
		 struct field_names *out);

/* Record a name (copied); the first name for a table and offset wins. */
void fields_add(struct field_names *f, const char *table, int64_t offset, const char *name);

/* The field at offset in table, or NULL. */
const char *fields_lookup(const struct field_names *f, const char *table, int64_t offset);

/* Every field of table, in offset order, for "never called" lists. */
size_t fields_of(const struct field_names *f, const char *table,
		 const struct field_name **out, size_t max);

void fields_free(struct field_names *f);

#endif
