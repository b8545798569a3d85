// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * addrlists.c - the sections known to list code addresses without being
 * ways into code.
 *
 * A section's flags cannot tell such a list from a jump table or an
 * exception table: all are allocated data holding relocations into
 * code.  So the list is by name, and each name is here because of what
 * its one consumer does with the addresses.  A name belongs here only if
 * no program ever branches, calls, returns or resumes at an address the
 * section holds; when in doubt it stays out, and its addresses stay
 * ways in (a site is then refused, never wrongly patched).  Sections of
 * other tools are named with --addresses-only.
 *
 * A consumer that rewrites the instruction at a listed address (the
 * retpoline and return-thunk passes, static calls, ftrace) must agree with
 * the applier on the sites they share; that agreement is the kernel's
 * (README, A4), not a question of where control enters.
 */
#include <string.h>

#include "addrlists.h"

static const char *const known[] = {
	/* Linux x86, written by objtool */
	".retpoline_sites",   /* thunk calls apply_retpolines() rewrites in place */
	".return_sites",      /* return-thunk jumps apply_returns() rewrites */
	".call_sites",        /* direct calls, for call depth accounting */
	".ibt_endbr_seal",    /* endbr instructions apply_ibt_endbr() turns into NOPs */
	".orc_unwind_ip",     /* the ORC unwinder's lookup keys */
	".static_call_sites", /* calls static_call_update() re-targets */
	/* Linux, written by the compiler or scripts/recordmcount */
	"__mcount_loc",                 /* fentry calls ftrace rewrites */
	"__patchable_function_entries", /* the NOP pads ftrace rewrites */
	/* Linux x86: lock prefixes the SMP alternatives swap for a DS prefix */
	".smp_locks",
};

/*
 * objtool's annotations (.discard.reachable, .discard.retpoline_safe,
 * .discard.instr_begin, ...) are read by objtool alone, and Linux's
 * linker scripts discard every .discard.* section: nothing in the image
 * holds their addresses.
 */
static const char discard_prefix[] = ".discard.";

bool section_lists_addresses(const char *section, const struct addr_lists *extra)
{
	if (!strncmp(section, discard_prefix, sizeof(discard_prefix) - 1))
		return true;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(section, known[i]))
			return true;
	for (size_t i = 0; extra && i < extra->n; i++)
		if (!strcmp(section, extra->v[i]))
			return true;
	return false;
}
