/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * addrlists.h - sections that list code addresses for another tool, which
 * reads or rewrites the instruction at each address but never transfers
 * control there.  Their relocations are not ways into code (README,
 * "What is patched, and why it is safe": assumption A4).
 */
#ifndef PVLINK_ADDRLISTS_H
#define PVLINK_ADDRLISTS_H

#include <stdbool.h>
#include <stddef.h>

/* Section names given on the command line (--addresses-only). */
struct addr_lists {
	const char *const *v;
	size_t             n;
};

/* Is `section` one of the known address lists, or named in `extra` (may be NULL)? */
bool section_lists_addresses(const char *section, const struct addr_lists *extra);

/*
 * Is `section` a known table of self-relative pointers, whose PC-relative
 * entries (`.long target - .`) each name their target exactly?  Such
 * entries stay ways in, but at S + A, not anywhere below it as a
 * relative jump table's entries may be.
 */
bool section_self_relative(const char *section);

#endif
