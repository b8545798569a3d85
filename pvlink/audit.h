/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * audit.h - the rows of an audit report and the summary computed from
 * them; the formats in report_*.c only print these.
 */
#ifndef PVLINK_AUDIT_H
#define PVLINK_AUDIT_H

#include <stdio.h>

#include "fields.h"
#include "addrlists.h"
#include "scan.h"

#define AUDIT_SCHEMA_VERSION 2

enum phase { PHASE_NONE, PHASE_INIT, PHASE_RUNTIME };

struct audit_row {
	char         *file;         /* the input; "lib.a(member.o)" for a member */
	char         *section;
	uint64_t      offset;       /* of the instruction within the section */
	uint64_t      address;      /* section address + offset (objects: 0-based) */
	char         *function;     /* demangled, or NULL */
	char         *source_file;  /* NULL without line information */
	unsigned      line;
	char         *inlined;      /* inline chain, or NULL */
	char         *ops;
	const char   *field;        /* from DWARF, or NULL */
	int64_t       field_offset;
	const char   *default_impl; /* from the table's initializer, or NULL */
	char         *form;
	enum ref_kind kind;
	bool          patchable;
	const char   *reason, *hint;
	enum phase    phase;        /* writes and address uses */
	uint32_t      width;        /* writes: bytes stored (0: one slot) */
	unsigned      slot;         /* bytes of a slot on the input's machine */
};

struct audit_input {
	char *file;
	bool  debug;
	bool  btf;                      /* field names came from its BTF */
};

struct audit {
	struct audit_row   *rows;
	size_t              n, cap;
	struct audit_input *inputs;
	size_t              ninputs;
	struct field_names  fields;     /* from DWARF, else BTF */
	struct btf         *base_btf;   /* --base-btf, or NULL */
	struct field_names  defaults;   /* table, offset -> initializer's function */
	char              **tables;     /* every table reported, referenced or not */
	size_t              ntables;
	bool                verbose;    /* a note for each input without a named table */
	struct addr_lists   addr_lists; /* --addresses-only */
	const char *const  *init;       /* --init: functions that run once at start-up */
	size_t              ninit;
};

/* Per-field counts of one table, and the table's totals. */
struct field_sum {
	int64_t     offset;
	const char *name, *default_impl;
	size_t      calls, patchable, reads, writes;
};

/*
 * A table's sites are its call and jump references plus every use of its
 * address (a hoisted base pointer): calls made through such a pointer are
 * invisible to pvlink, so each counts as one site that is not patchable.
 */
struct table_sum {
	const char       *ops;
	struct field_sum *fields;
	size_t            nfields;
	size_t            sites, patchable, addresses, runtime_writes, init_writes;
	size_t            write_paths;  /* addresses taken outside init code */
};

struct audit_sum {
	struct table_sum *tables;
	size_t            ntables;
	size_t            sites, patchable, addresses, runtime_writes, init_writes, refs;
	size_t            write_paths;
};

int audit_summarise(const struct audit *a, struct audit_sum *s);
void audit_sum_free(struct audit_sum *s);
double coverage_percent(size_t patchable, size_t sites);

/* Read one input (object, image or archive) into a; returns an exit code. */
int audit_read(struct audit *a, const char *path, const char *const *ops, size_t nops);
/* The base for modules' split BTF (--base-btf); returns an exit code. */
int audit_set_base_btf(struct audit *a, const char *path);
/* Whether table `name` is one of a's; add it (0, or -1 after a message). */
bool audit_has_table(const struct audit *a, const char *name);
int audit_add_table(struct audit *a, const char *name);
/* After every input: field names from the DWARF or BTF of paths[]. */
void audit_name_fields(struct audit *a, const char *const *paths, size_t npaths);
void audit_free(struct audit *a);

void report_text(FILE *f, const struct audit *a, const struct audit_sum *s);
void report_json(FILE *f, const struct audit *a, const struct audit_sum *s);
void report_html(FILE *f, const struct audit *a, const struct audit_sum *s);

#endif
