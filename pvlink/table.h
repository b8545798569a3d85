/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * table.h - write the patch table into an object; check it in an image.
 */
#ifndef PVLINK_TABLE_H
#define PVLINK_TABLE_H

#include "addrlists.h"
#include "scan.h"

/* The note every output of pvlink table carries: processed, maybe with no site. */
#define PVLINK_NOTE_SECTION ".note.pvlink"
#define PVLINK_NOTE_NAME    "pvlink"
#define PVLINK_NOTE_TABLE   1

/* Whether e carries that note (in any note section: a kernel merges them). */
bool table_note_present(struct elf *e);

/* Write e plus a table of its patchable refs to out_path (atomically). */
int table_write(struct elf *e, const struct refs *refs, const char *out_path);

struct verify_opts {
	const char *const *ops;    /* extra table names for the completeness check */
	size_t             nops;
	struct addr_lists  lists;     /* --addresses-only */
	bool               complete;  /* completeness is required, not just done when possible */
	bool               quiet;
	bool               verbose;   /* list the rescanned references */
};

/* Check the table of linked image e against its code; returns an exit code. */
int table_verify(struct elf *e, const struct verify_opts *opts);

#endif
