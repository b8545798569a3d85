/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * image_table.h - the patch table of a linked image, entry by entry: the
 * addresses its self-relative fields resolve to, and the entries that
 * cover the same bytes.  Shared by `pvlink verify` and `pvlink patch`.
 */
#ifndef PVLINK_IMAGE_TABLE_H
#define PVLINK_IMAGE_TABLE_H

#include "elf.h"
#include "pvops.h"

struct image_entry {
	struct pvops_site e;
	uint64_t          addr;              /* of the entry itself */
	uint64_t          site, slot, thunk; /* what its fields point at */
};

/* An address of the image, wrapped at 4 GiB in a 32-bit one, as its code's are. */
uint64_t image_wrap(const struct elf *e, uint64_t v);

/* Entry i of the table section. */
void image_entry_read(const struct elf *e, const struct section *table, size_t i,
		      struct image_entry *ie);

/* The same site, slot, thunk and shape: what the applier treats as one site. */
bool image_entries_twins(const struct image_entry *a, const struct image_entry *b);

/*
 * Calls pair(ctx, i, j), i < j, for every two entries of the image's
 * machine with a well-formed shape (as the applier accepts them) whose
 * bytes overlap.  Returns -1 when out of memory (after the message).
 */
int image_entries_overlap(const struct elf *e, const struct section *table, size_t n,
			  void (*pair)(void *ctx, size_t i, size_t j), void *ctx);

#endif
