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

/*
 * Linux's tables of self-relative pointers (CONFIG_HAVE_ARCH_PREL32_
 * RELOCATIONS and the x86 asm macros): every PC-relative entry is
 * `.long target - .`, written by a macro, never by the compiler's
 * switch lowering, so S + A is the target.  A relative jump table's entry
 * (`.long .L3 - .L4`) is relative to the table's base instead, and S + A
 * lies past its target; compilers put those in .rodata, never here.
 * Exact prefixes: `.initcall6.init`, `___ksymtab+name`, `.pci_fixup_final`.
 */
static const char *const self_relative[] = {
	"__ex_table",          /* faulting instruction, fixup */
	"__bug_table",         /* the ud2 of BUG() and WARN() */
	".altinstructions",    /* original and replacement instructions */
	"__jump_table",        /* the jump label's site and its target */
	".static_call_tramp_key", /* trampoline, key */
	".con_initcall.init",  /* console initcalls */
};
static const char *const self_relative_prefix[] = {
	".initcall",    /* initcalls, by level */
	"___ksymtab",   /* exported symbols (vmlinux.o, modules) */
	"__ksymtab",
	".pci_fixup_",  /* PCI quirk hooks */
};

#define COUNT(v) (sizeof(v) / sizeof((v)[0]))

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Is s one of the n names, or (prefix) does it begin with one? */
static bool named(const char *s, const char *const *names, size_t n, bool prefix)
{
	for (size_t i = 0; i < n; i++)
		if (prefix ? has_prefix(s, names[i]) : !strcmp(s, names[i]))
			return true;
	return false;
}

bool section_self_relative(const char *section)
{
	return named(section, self_relative, COUNT(self_relative), false) ||
	       named(section, self_relative_prefix, COUNT(self_relative_prefix), true);
}

bool section_lists_addresses(const char *section, const struct addr_lists *extra)
{
	return has_prefix(section, discard_prefix) ||
	       named(section, known, COUNT(known), false) ||
	       (extra && named(section, extra->v, extra->n, false));
}
